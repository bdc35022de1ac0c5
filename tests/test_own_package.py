"""docs/extending.md's "A task in your own package", as written: the package's files go into a temporary folder, it is
built as a wheel by its own pyproject.toml and unpacked into that folder, which the commands run here get on
``PYTHONPATH`` (its entry points are then installed for them, and nothing is installed into the venv). Its IDs show in
``mimic-tasks`` and in the standard scripts' hook, the generic task tests run on them, and record -> annotate ->
generate -> train run on the orange juice task (and its policy family, declared by a second entry point, trains)."""

from __future__ import annotations

import importlib.metadata
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import zipfile

import h5py
import numpy as np
import pytest
from conftest import assert_clear_failure, cli
from test_extending import tutorial_blocks
from test_standard_scripts import STAND_IN_SCRIPT

pytestmark = pytest.mark.slow  # minutes: the generic task tests and a tiny chain, each command in a fresh interpreter

REPO = pathlib.Path(__file__).resolve().parents[1]
TUTORIAL = REPO / "docs" / "extending.md"
DISTRIBUTION = "organizer_juice"
BASE, MIMIC = "Organizer-Juice-Franka-IK-Rel-v0", "Organizer-Juice-Franka-Mimic-IK-Rel-v0"


def own_package_blocks() -> dict[str, str]:
    """The section's code blocks (Python and TOML) by their ``<!-- tutorial: own package: where -->`` marker."""
    pattern = re.compile(r"<!-- tutorial: own package: ([^\n]+?) -->\n( *)```(?:python|toml)\n(.*?)\n *```", re.S)
    return {
        where: "\n".join(line[len(indent) :] for line in body.splitlines()) + "\n"
        for where, indent, body in pattern.findall(TUTORIAL.read_text())
    }


@pytest.fixture(scope="module")
def plugin_env(tmp_path_factory):
    """The environment of commands that see the tutorial's package installed (in a temporary folder, removed after)."""
    blocks = own_package_blocks()
    files = [where for where in blocks if where.startswith(f"{DISTRIBUTION}/")]
    assert len(files) == 3, list(blocks)  # pyproject.toml, __init__.py, env_cfg.py
    root = tmp_path_factory.mktemp("own_package")
    for where in files:
        (root / where).parent.mkdir(parents=True, exist_ok=True)
        (root / where).write_text(blocks[where])
    # the policy family paragraph: the family tutorial's module in the package, and the entry point it shows
    project = root / DISTRIBUTION
    (project / DISTRIBUTION / "nearest_neighbour.py").write_text(tutorial_blocks()["learning/nearest_neighbour.py"])
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text() + "\n" + blocks["policy family entry point"])

    # what `pip install` does for a pure-Python package: build the wheel with its backend (the venv's setuptools,
    # offline), unpack it into a folder on sys.path
    build = "import sys; from setuptools import build_meta; print(build_meta.build_wheel(sys.argv[1]))"
    result = subprocess.run(
        [sys.executable, "-c", build, str(root / "wheel")], cwd=project, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-3000:]
    site = root / "site"
    with zipfile.ZipFile(root / "wheel" / result.stdout.split()[-1]) as wheel:
        wheel.extractall(site)
    entry_points = (site / f"{DISTRIBUTION}-0.1.0.dist-info" / "entry_points.txt").read_text()
    assert "[isaaclab_mimic_tasks.tasks]" in entry_points and "[isaaclab_mimic_tasks.policy_families]" in entry_points
    path = os.pathsep.join(filter(None, [str(site), os.environ.get("PYTHONPATH")]))
    yield {**os.environ, "PYTHONPATH": path}
    shutil.rmtree(root)
    with pytest.raises(importlib.metadata.PackageNotFoundError):  # nothing left in the venv
        importlib.metadata.distribution(DISTRIBUTION)


def test_its_ids_show_in_commands_and_in_the_standard_scripts_hook(plugin_env, tmp_path):
    result = cli("expert", "--task", "Organizer-Juice-v9", env=plugin_env, timeout=300)
    assert_clear_failure(result, max_lines=1)
    assert "unknown task" in result.stderr and f"{BASE}, {MIMIC}" in result.stderr
    without = cli("expert", "--task", "Organizer-Juice-v9", timeout=300)  # not installed into the venv
    assert "unknown task" in without.stderr and BASE not in without.stderr
    result = cli("train", "--help", env=plugin_env, timeout=300)
    assert result.returncode == 0 and "nearest_neighbour: nn" in " ".join(result.stdout.split())

    # Isaac Lab's standard scripts (the stand-in: imports isaaclab_mimic.envs and isaaclab_tasks, never this package)
    script = tmp_path / "stand_in_script.py"
    script.write_text(STAND_IN_SCRIPT)
    env = {key: value for key, value in plugin_env.items() if key != "ISAACLAB_MIMIC_TASKS_NO_HOOK"}
    result = subprocess.run(
        [sys.executable, str(script), BASE, MIMIC], capture_output=True, text=True, cwd=tmp_path, env=env, timeout=300
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(next(line for line in result.stdout.splitlines() if line.startswith("REPORT "))[7:])
    assert not report["stand_in_imported_us"]
    assert report["tasks"][BASE]["env_cfg"] == f"{DISTRIBUTION}.env_cfg.FrankaJuiceEnvCfg"
    assert report["tasks"][MIMIC]["env_cfg"] == f"{DISTRIBUTION}.env_cfg.FrankaJuiceMimicEnvCfg"
    assert report["tasks"][MIMIC]["robomimic"]  # the organizer's configs, named by the registration


def test_generic_task_tests_run_on_its_ids(plugin_env):
    """tests/test_every_task.py, unedited, with the package installed: its IDs are among the parametrized ones."""
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-k", "Juice or registered_by_importing"]
        + [str(REPO / "tests" / "test_every_task.py")],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=plugin_env,
        timeout=1200,
    )
    assert result.returncode == 0, result.stdout[-3000:]
    assert re.search(r"\b7 passed\b", result.stdout), result.stdout[-2000:]  # 3 tests x 2 IDs, and the registry one


def test_record_annotate_generate_train_on_its_task(plugin_env, tmp_path):
    source, annotated, generated = (tmp_path / f"{name}.hdf5" for name in ("source", "annotated", "generated"))
    chain = [
        ("record", "--task", BASE, "--teleop_device", "scripted", "--dataset_file", source, "--num_demos", 2),
        ("annotate", "--task", MIMIC, "--input_file", source, "--output_file", annotated, "--auto"),
        ("generate", "--task", MIMIC, "--input_file", annotated, "--output_file", generated),
    ]
    for args in chain:
        extra = ["--generation_num_trials", 2] if args[0] == "generate" else []
        result = cli(*args, "--num_envs", 2, *extra, env=plugin_env, timeout=900)
        assert result.returncode == 0, (args[0], result.stderr[-3000:])
    assert "place the orange juice in the basket" in result.stdout  # generate's subtask order
    with h5py.File(source, "r") as f:  # the orange juice went into the basket; the ketchup stayed where it was
        for name in f["data"]:
            juice = f[f"data/{name}/states/rigid_object/orange_juice/root_pose"][()]
            ketchup = f[f"data/{name}/states/rigid_object/ketchup/root_pose"][()]
            assert np.linalg.norm(juice[-1, :2] - juice[0, :2]) > 0.1, name
            assert np.linalg.norm(ketchup[-1, :3] - ketchup[0, :3]) < 0.02, name
    with h5py.File(generated, "r") as f:
        assert json.loads(f["data"].attrs["env_args"])["env_name"] == MIMIC and len(f["data"]) == 2

    # a demo whose grasp ends 2 steps after its reach (annotate skips such demos): one line naming it, no traceback
    moved = tmp_path / "moved.hdf5"
    shutil.copy(annotated, moved)
    with h5py.File(moved, "r+") as f:
        name = sorted(f["data"])[-1]
        signals = f[f"data/{name}/obs/datagen_info/subtask_term_signals"]
        reach = int(np.argmax(signals["reach"][()].reshape(-1) > 0))
        grasp = signals["grasp"][()]
        grasp[...] = 0
        grasp[reach + 2 :] = 1
        signals["grasp"][...] = grasp
    generate = ("generate", "--task", MIMIC, "--input_file", moved, "--output_file", tmp_path / "x.hdf5")
    result = cli(*generate, "--num_envs", 2, env=plugin_env, timeout=900)
    assert_clear_failure(result, max_lines=1)
    assert f"demo '{name}'" in result.stderr and "'reach' and 'grasp'" in result.stderr, result.stderr
    assert "re-annotate" in result.stderr

    train = ("train", "--task", BASE, "--dataset", generated, "--log_dir", tmp_path / "logs")
    result = cli(*train, "--algo", "bc_rnn", "--epochs", 1, env=plugin_env, timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    assert re.search(r"checkpoint \S+\.pth", result.stdout), result.stdout[-2000:]
    # the family of the package's second entry point
    result = cli(*train, "--algo", "nn", env=plugin_env, timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    assert re.search(r"checkpoint \S+nearest_neighbour\.npz", result.stdout), result.stdout[-2000:]


def test_a_plugin_that_fails_to_import_is_named_and_the_rest_still_load(tmp_path):
    """An installed plugin whose module (or family) does not import: one log line each, named in the error that
    lists the tasks (or the --algo values); this package's tasks and families still work."""
    dist_info = tmp_path / "broken_plugin-0.1.dist-info"
    dist_info.mkdir()
    (dist_info / "METADATA").write_text("Metadata-Version: 2.1\nName: broken_plugin\nVersion: 0.1\n")
    (dist_info / "entry_points.txt").write_text(
        "[isaaclab_mimic_tasks.tasks]\nbroken = broken_tasks\n\n"
        "[isaaclab_mimic_tasks.policy_families]\nbroken_family = broken_tasks.family:Family\n"
    )
    (tmp_path / "broken_tasks.py").write_text("import not_a_module_anywhere\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(tmp_path), os.environ.get("PYTHONPATH")]))}
    failed = "task plugin 'broken' (broken_tasks, from broken_plugin) could not be imported: ModuleNotFoundError"
    result = cli("expert", "--task", "Nope-v0", env=env, timeout=300)
    assert_clear_failure(result)  # the log line and the error
    log, error = result.stderr.strip().splitlines()
    assert failed in log and "Isaac-Desktop-Organizer-Franka-IK-Rel-v0" in error and failed in error
    result = cli("train", "--algo", "nope", "--dataset", tmp_path / "x.hdf5", env=env, timeout=300)
    assert "policy family 'broken_family'" in result.stderr and "bc_rnn" in result.stderr.splitlines()[-1]
    assert "task plugin" not in result.stderr.splitlines()[-1]
