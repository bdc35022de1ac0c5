"""docs/extending.md's "add a policy family" tutorial, applied as written: its module and its registration line go
into a copy of the package (first on ``PYTHONPATH`` of the commands run here), and the nearest-neighbour family
trains, plays through ``mimic-tasks play`` and runs the whole chain through ``mimic-tasks pipeline --algo nn``."""

from __future__ import annotations

import importlib.util
import json
import os
import pathlib
import re
import shutil

import h5py
import numpy as np
import pytest
import torch
from conftest import TINY_PIPELINE_NUM_ENVS, assert_clear_failure, cli
from test_extending import tutorial_blocks

from isaaclab_mimic_tasks.datasets import mask_names

pytestmark = pytest.mark.slow  # minutes: a tiny pipeline run

REPO = pathlib.Path(__file__).resolve().parents[1]
PACKAGE = REPO / "source" / "isaaclab_mimic_tasks"
MODULE = "learning/nearest_neighbour.py"
MIMIC_TASK = "Isaac-Desktop-Organizer-Franka-Mimic-IK-Rel-v0"
TASK = "Isaac-Desktop-Organizer-Franka-IK-Rel-v0"
PLAY_TASK = "Isaac-Desktop-Organizer-Franka-IK-Rel-Play-v0"


@pytest.fixture(scope="module")
def family_env(tmp_path_factory):
    """The environment of commands that see the package with the tutorial's two edits (a copy; removed after)."""
    blocks = tutorial_blocks()
    root = tmp_path_factory.mktemp("policy_family") / "src"
    package = root / "isaaclab_mimic_tasks"
    shutil.copytree(PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__"))
    (package / MODULE).write_text(blocks[MODULE] + "\n")
    families = package / "learning" / "families.py"
    families.write_text(families.read_text() + blocks["end of learning/families.py"] + "\n")
    assert not (PACKAGE / MODULE).exists()  # the tutorial's module lives in the copy only
    path = os.pathsep.join(filter(None, [str(root), os.environ.get("PYTHONPATH")]))
    yield {**os.environ, "PYTHONPATH": path}
    shutil.rmtree(root)
    assert not (PACKAGE / MODULE).exists()


@pytest.fixture(scope="module")
def pipeline_dir(family_env, tiny_pipeline_dir, tmp_path_factory):
    """`mimic-tasks pipeline --algo nn` in a folder holding the tiny BC-RNN pipeline's datasets and training: the
    pipeline reuses the recorded, annotated and generated files (2 demos) and trains the new family (the BC-RNN
    training in the folder is not taken for it), then plays 2 rollouts."""
    out = tmp_path_factory.mktemp("nn_pipeline")
    shutil.copytree(tiny_pipeline_dir / "datasets", out / "datasets")
    shutil.copytree(tiny_pipeline_dir / "training", out / "training")
    result = cli(
        "pipeline",
        "--task",
        MIMIC_TASK,
        "--output_dir",
        out,
        "--algo",
        "nn",
        "--num_source_demos",
        2,
        "--generation_num_trials",
        2,
        "--num_envs",
        TINY_PIPELINE_NUM_ENVS,
        "--num_rollouts",
        2,
        "--horizon",
        20,
        env=family_env,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "train" in json.loads((out / "summary.json").read_text())["step_seconds"]  # trained, not reused
    return out


def test_pipeline_trains_and_plays_the_new_family(pipeline_dir):
    summary = json.loads((pipeline_dir / "summary.json").read_text())
    checkpoint = summary["training"]["checkpoint"]
    assert summary["training"]["algo"] == "nn" and checkpoint.endswith("nearest_neighbour.npz")
    assert os.path.isfile(checkpoint) and summary["policy"]["rollouts"] == 2
    report = (pipeline_dir / "report.md").read_text()
    assert (
        "| training (nn) |" in report
        and f"--algo nn --dataset {pipeline_dir / 'datasets' / 'generated.hdf5'}" in report
    )
    assert f"mimic-tasks play --task {TASK} --checkpoint {checkpoint} " in report
    assert (pipeline_dir / "training_loss.png").stat().st_size > 0


def test_train_and_play_commands_run_the_new_family(pipeline_dir, family_env, tmp_path):
    generated = pipeline_dir / "datasets" / "generated.hdf5"
    result = cli("train", "--task", TASK, "--algo", "nn", "--dataset", generated, cwd=tmp_path, env=family_env)
    assert result.returncode == 0, result.stderr[-3000:]
    checkpoint = re.search(r"checkpoint (\S+nearest_neighbour\.npz)$", result.stdout, re.MULTILINE).group(1)
    assert checkpoint.startswith(str(tmp_path / "logs" / "nearest_neighbour" / TASK / "nn"))
    result = cli(
        "play",
        "--task",
        PLAY_TASK,
        "--checkpoint",
        checkpoint,
        "--num_rollouts",
        2,
        "--num_envs",
        2,
        "--horizon",
        20,
        "--video",
        cwd=tmp_path,
        env=family_env,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert re.search(r"[012]/2 successful rollouts", result.stdout), result.stdout[-2000:]
    video = os.path.join(os.path.dirname(checkpoint), "videos", "play_nearest_neighbour_seed101.mp4")
    assert os.path.getsize(video) > 0  # the family's run folder (PolicyFamily.run_dir's default)
    # an option the family does not list: one line, nothing trained
    result = cli("train", "--algo", "nn", "--dataset", generated, "--epochs", 3, cwd=tmp_path, env=family_env)
    assert_clear_failure(result, max_lines=1)
    assert "--epochs: not an option of nearest_neighbour (nn)" in result.stderr


def test_the_policy_returns_the_action_of_the_nearest_training_observation(pipeline_dir, family_env, tmp_path):
    """The tutorial's module as written (loaded from the copy): a training observation gets its own action."""
    source = pathlib.Path(family_env["PYTHONPATH"].split(os.pathsep)[0]) / "isaaclab_mimic_tasks" / MODULE
    spec = importlib.util.spec_from_file_location("nearest_neighbour_tutorial", source)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    generated = str(pipeline_dir / "datasets" / "generated.hdf5")
    family = module.NearestNeighbourFamily()
    result = family.train(TASK, "nn", generated, str(tmp_path), {})
    assert family.is_checkpoint(result.checkpoint) and not family.is_checkpoint(generated)
    policy = family.load_policy(result.checkpoint, TASK)
    assert policy.task == TASK
    with h5py.File(generated, "r") as f:
        name = mask_names(f["mask/train"])[0] if "mask/train" in f else "demo_0"
        obs = {key: torch.as_tensor(f[f"data/{name}/obs/{key}"][[3, 7]]) for key in policy.keys}
        expected = f[f"data/{name}/actions"][[3, 7]]
    np.testing.assert_allclose(policy(obs).numpy(), expected, rtol=1e-6)
