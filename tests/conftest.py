"""Shared test helpers: the CLI as a user runs it, file digests, and bad-input files made from a good one.

Plain functions (import them with ``from conftest import ...``) and fixtures. Also keeps compiled Warp kernels
between runs (the first compile takes ~50 s).
"""

from __future__ import annotations

import hashlib
import json
import os
import pty
import shutil
import subprocess
import sys
import termios
import threading
import time

import h5py
import numpy as np
import pytest

os.environ.setdefault(
    "WARP_CACHE_PATH", os.path.join(os.path.expanduser("~"), ".cache", "isaaclab_mimic_tasks", "warp")
)

OTHER_TASK = "Isaac-Lift-Cube-Franka-IK-Rel-v0"
"""A stock Isaac Lab task ID, unrelated to this package's tasks."""

BAD_INPUT_KINDS = ("missing", "not_hdf5", "truncated", "other_task", "nan_actions")
"""What :func:`bad_input_file` can make of a good dataset."""


def cli(*args, timeout: float = 1800, **kwargs) -> subprocess.CompletedProcess:
    """Run ``mimic-tasks ARGS`` as a user would (a fresh interpreter)."""
    return subprocess.run(
        [sys.executable, "-m", "isaaclab_mimic_tasks.cli.main", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        **kwargs,
    )


def in_process_cli(capsys, *args) -> tuple[int, str]:
    """``mimic-tasks ARGS`` in this process (for errors raised before any simulation); returns (exit code, stderr)."""
    from isaaclab_mimic_tasks.cli.main import main

    code = main([str(a) for a in args])
    return code, capsys.readouterr().err


def digest(path) -> str:
    """SHA-256 of a file's bytes (to show an input was left as it was)."""
    with open(path, "rb") as file:
        return hashlib.sha256(file.read()).hexdigest()


def bad_input_file(kind: str, good, tmp_path):
    """A broken variant ``kind`` (one of :data:`BAD_INPUT_KINDS`) of the good dataset ``good``, in ``tmp_path``."""
    path = tmp_path / f"bad_{kind}.hdf5"
    if kind == "missing":
        return tmp_path / "missing.hdf5"
    if kind == "not_hdf5":
        path.write_text("these are not demos\n")
    elif kind == "truncated":
        data = open(good, "rb").read()
        path.write_bytes(data[: len(data) // 2])
    else:
        shutil.copy(good, path)
        with h5py.File(path, "a") as f:
            if kind == "other_task":
                f["data"].attrs["env_args"] = json.dumps({"env_name": OTHER_TASK, "type": 2})
            elif kind == "nan_actions":
                f["data/demo_0/actions"][3, 1] = np.nan
            else:
                raise ValueError(f"unknown bad-input kind {kind!r}")
    return path


def assert_clear_failure(result: subprocess.CompletedProcess, max_lines: int = 2) -> None:
    """A failed command: non-zero exit, no traceback, one or two lines on stderr."""
    assert result.returncode not in (0, None), result.stdout[-2000:]
    assert "Traceback" not in result.stderr + result.stdout, result.stderr[-3000:]
    assert 1 <= len(result.stderr.strip().splitlines()) <= max_lines, result.stderr


@pytest.fixture(scope="session")
def all_task_ids() -> list[str]:
    """Every gym ID this package registers."""
    from isaaclab_mimic_tasks.envs import task_ids

    return task_ids()


@pytest.fixture(scope="session")
def display():
    """A virtual X display (Xvfb) with software OpenGL, for the viewer window."""
    if shutil.which("Xvfb") is None or shutil.which("xdotool") is None:
        pytest.fail("Xvfb and xdotool are missing: run scripts/setup.sh (it installs them)")
    number = next(n for n in range(90, 200) if not os.path.exists(f"/tmp/.X11-unix/X{n}"))
    server = subprocess.Popen(
        ["Xvfb", f":{number}", "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        if os.path.exists(f"/tmp/.X11-unix/X{number}"):
            break
        time.sleep(0.05)
    yield f":{number}"
    server.terminate()
    server.wait()


class Session:
    """``mimic-tasks ARGS`` with stdin and stdout on a pseudo-terminal (what a person's terminal is), its status
    line parsed with ``pattern`` into :attr:`status` (a tuple of the pattern's groups, through ``parse``)."""

    def __init__(self, args: list, pattern, parse, env: dict | None = None):
        master, slave = pty.openpty()
        self.master = master
        self.terminal_settings = {"start": termios.tcgetattr(master)}
        self.stderr = open(os.devnull, "w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "isaaclab_mimic_tasks.cli.main", *map(str, args)],
            stdin=slave,
            stdout=slave,
            stderr=subprocess.PIPE,
            env=env or os.environ.copy(),
            text=True,
        )
        os.close(slave)
        self.output = ""
        self.status = None
        self.updates = 0
        self._pattern, self._parse = pattern, parse
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                data = os.read(self.master, 4096)
            except OSError:
                return
            if not data:
                return
            text = data.decode(errors="replace")
            self.output += text
            matches = self._pattern.findall(self.output[-(len(text) + 500) :])
            if matches:
                self.status = self._parse(matches[-1])
                self.updates += 1

    def wait_status(self, condition=lambda status: True, timeout: float = 300):
        """The first status line printed after now that satisfies ``condition``."""
        start = self.updates
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"the command ended early ({self.process.returncode}): {self.output[-1500:]}")
            status = self.status
            if status is not None and self.updates > start and condition(status):
                return status
            time.sleep(0.02)
        raise AssertionError(f"no such status within {timeout} s; last: {self.status}")

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc) -> None:
        """A test that failed half-way leaves no command running (it would take a core from the next tests)."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def finish(self, timeout: float = 300) -> tuple[int, str]:
        _, stderr = self.process.communicate(timeout=timeout)
        self._reader.join(timeout=5)
        self.terminal_settings["end"] = termios.tcgetattr(self.master)
        os.close(self.master)
        return self.process.returncode, stderr


class WindowKeys:
    """Key events sent to the viewer window with xdotool (XTEST: real press and release events)."""

    def __init__(self, display: str):
        self.env = {**os.environ, "DISPLAY": display}
        for _ in range(600):
            found = subprocess.run(
                ["xdotool", "search", "--name", "Newton"], capture_output=True, text=True, env=self.env
            )
            if found.stdout.strip():
                self.window = found.stdout.split()[0]
                break
            time.sleep(0.5)
        else:
            raise AssertionError("the viewer window did not open")
        subprocess.run(["xdotool", "windowfocus", "--sync", self.window], env=self.env, check=True)

    def _xdotool(self, *args) -> None:
        subprocess.run(["xdotool", *args], env=self.env, check=True)

    def hold(self, key: str) -> None:
        self._xdotool("keydown", key)

    def release(self, key: str) -> None:
        self._xdotool("keyup", key)

    def tap(self, key: str) -> None:
        self._xdotool("key", key)

    def each_step(self) -> None:
        pass  # held keys keep moving by themselves


TINY_PIPELINE_TASK = "Isaac-Desktop-Organizer-Franka-Mimic-IK-Rel-v0"
TINY_PIPELINE_NUM_ENVS = 2


@pytest.fixture(scope="session")
def tiny_pipeline_dir(tmp_path_factory):
    """One tiny run of the whole chain (organizer): 2 scripted demos, 2 generated, 1 epoch of BC-RNN, 1 rollout.

    Shared by the tests of the pipeline and of the policy-family tutorial (which reuses its datasets)."""
    out = tmp_path_factory.mktemp("pipeline")
    result = cli(
        "pipeline",
        "--task",
        TINY_PIPELINE_TASK,
        "--output_dir",
        out,
        "--num_source_demos",
        2,
        "--generation_num_trials",
        2,
        "--num_envs",
        TINY_PIPELINE_NUM_ENVS,
        "--epochs",
        1,
        "--num_rollouts",
        1,
        "--horizon",
        40,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    (out / "stdout.txt").write_text(result.stdout)
    (out / "stderr.txt").write_text(result.stderr)
    return out
