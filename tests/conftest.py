"""Shared test helpers: the CLI as a user runs it, file digests, and bad-input files made from a good one.

Plain functions (import them with ``from conftest import ...``) and fixtures. Also keeps compiled Warp kernels
between runs (the first compile takes ~50 s).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys

import h5py
import numpy as np
import pytest

os.environ.setdefault("WARP_CACHE_PATH", os.path.join(os.path.expanduser("~"), ".cache", "isaaclab_mimic_tasks", "warp"))

OTHER_TASK = "Isaac-Lift-Cube-Franka-IK-Rel-v0"
"""A stock Isaac Lab task ID, unrelated to this package's tasks."""

BAD_INPUT_KINDS = ("missing", "not_hdf5", "truncated", "other_task", "nan_actions")
"""What :func:`bad_input_file` can make of a good dataset."""


def cli(*args, timeout: float = 1800, **kwargs) -> subprocess.CompletedProcess:
    """Run ``mimic-tasks ARGS`` as a user would (a fresh interpreter)."""
    return subprocess.run(
        [sys.executable, "-m", "isaaclab_mimic_tasks.cli.main", *map(str, args)],
        capture_output=True, text=True, timeout=timeout, **kwargs,
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
