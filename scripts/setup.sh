#!/usr/bin/env bash
# One-step, idempotent install: a Python 3.12 venv with the pinned requirements, reused while
# requirements.lock is unchanged (the venv lives in a cache folder keyed by the lock's hash), plus this
# package in editable mode. `.venv` in the repository links to it. `--lerobot` adds the LeRobot bridge
# (requirements-lerobot.lock: lerobot 0.6.1 and what it needs, no core pin moved) to the same venv. The lint tools
# (requirements-dev.lock: ruff, codespell; CI runs them before the tests) always go in, reused while that lock is
# unchanged.
set -euo pipefail
with_lerobot=0
for arg in "$@"; do
  case $arg in
    --lerobot) with_lerobot=1 ;;
    *) echo "usage: bash scripts/setup.sh [--lerobot]" >&2; exit 2 ;;
  esac
done
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cache=${MIMIC_TASKS_CACHE:-$HOME/.cache/isaaclab_mimic_tasks}
mkdir -p "$cache"

# isaaclab 3.0 needs Python 3.12; these machines have it through pyenv.
py=""
for cand in python3.12 "env PYENV_VERSION=3.12.1 python3"; do
  if $cand -c 'import sys; assert sys.version_info[:2] == (3, 12)' 2>/dev/null; then py=$cand; break; fi
done
[ -n "$py" ] || { echo "setup: Python 3.12 not found (isaaclab 3.0 needs it); install it, e.g. 'pyenv install 3.12'" >&2; exit 1; }

# The viewer-window tests (and --viz newton_gl on a machine without a desktop) need a virtual X display with
# software OpenGL, and xdotool to type into the window: Debian's packages, installed once.
debs="xvfb xauth libgl1-mesa-dri xdotool"
if ! command -v Xvfb >/dev/null || ! command -v xdotool >/dev/null; then
  if command -v apt-get >/dev/null; then
    sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
    echo "setup: installing $debs (apt-get)"
    $sudo apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $debs >/dev/null
  else
    echo "setup: note: install $debs (or your system's Xvfb and xdotool) for the viewer-window tests" >&2
  fi
fi

# uv installs the ~8 GB torch/isaaclab set in ~30 s cold (pip: ~3 min) and hard-links from its cache.
uv="$cache/uv-boot/bin/uv"
if [ ! -x "$uv" ]; then
  $py -m venv "$cache/uv-boot"
  "$cache/uv-boot/bin/pip" install -q uv==0.13.8
fi

hash=$(sha256sum "$root/requirements.lock" | cut -c1-16)
venv="$cache/venv-$hash"
if [ ! -f "$venv/.complete" ]; then
  echo "setup: installing requirements into $venv (a few minutes on a fresh machine)"
  rm -rf "$venv"
  "$uv" venv -q -p "$($py -c 'import sys; print(sys.executable)')" "$venv"
  "$uv" pip install -q -p "$venv/bin/python" -r "$root/requirements.lock"
  touch "$venv/.complete"
fi
if [ "$with_lerobot" = 1 ]; then
  lerobot_hash=$(sha256sum "$root/requirements-lerobot.lock" | cut -c1-16)
  if [ ! -f "$venv/.lerobot-$lerobot_hash" ]; then
    echo "setup: adding LeRobot (requirements-lerobot.lock) to $venv"
    "$uv" pip install -q -p "$venv/bin/python" -r "$root/requirements-lerobot.lock"
    touch "$venv/.lerobot-$lerobot_hash"
  fi
fi
dev_hash=$(sha256sum "$root/requirements-dev.lock" | cut -c1-16)
if [ ! -f "$venv/.dev-$dev_hash" ]; then
  echo "setup: adding the lint tools (requirements-dev.lock) to $venv"
  "$uv" pip install -q -p "$venv/bin/python" -r "$root/requirements-dev.lock"
  touch "$venv/.dev-$dev_hash"
fi
"$uv" pip install -q -p "$venv/bin/python" --no-deps -e "$root"
if [ "$with_lerobot" = 1 ]; then
  # `lerobot-eval --env.type=isaaclab_mimic`: LeRobot imports installed lerobot_env_* distributions itself
  "$uv" pip install -q -p "$venv/bin/python" --no-deps -e "$root/plugins/lerobot_env_isaaclab_mimic"
fi
ln -sfn "$venv" "$root/.venv"
echo "setup: ready ($root/.venv -> $venv)"
