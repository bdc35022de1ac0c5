"""Clean labels: generated demos store the noise-free ``intended_actions`` next to the executed ``actions``, and
``train`` / ``export`` learn from either (``--action_labels``).

The noise check is not circular: Mimic's noise is drawn from a per-env stream seeded from the generation's seed,
which the test draws again on its own and finds, step by step, in executed minus intended actions."""

from __future__ import annotations

import json
from types import SimpleNamespace

import h5py
import numpy as np
import pytest
import torch
from conftest import TINY_PIPELINE_NUM_ENVS, TINY_PIPELINE_TASK, cli, in_process_cli

TASK = "Isaac-Desktop-Organizer-Franka-IK-Rel-v0"
POSE_DIMS = slice(0, 6)
"""The organizer's action: 6 pose deltas Mimic adds noise to, then the gripper."""


def labelled_demos(path) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Demo name -> (executed, intended) actions."""
    with h5py.File(path, "r") as f:
        return {n: (f[f"data/{n}/actions"][()], f[f"data/{n}/intended_actions"][()]) for n in f["data"]}


def regenerated_noise(path, num_envs: int) -> list[np.ndarray]:
    """Each env's standard-normal action-noise draws of the generation in ``path`` (one row per Mimic action)."""
    from isaaclab_mimic_tasks.datagen.generate import generation_run_seed
    from isaaclab_mimic_tasks.tasks.common.mimic import action_noise_generator, draw_action_noise

    with h5py.File(path, "r") as f:
        stats = json.loads(f["data"].attrs["mimic_generation"])
        action_dim = f["data/demo_0/actions"].shape[1]
    assert stats["runs"] == 1  # a resumed run would start new streams
    seed = generation_run_seed(stats["seed"], 0)
    streams = []
    for env_id in range(num_envs):
        generator, unit = action_noise_generator(seed, env_id), torch.ones(action_dim)
        draws = [draw_action_noise(generator, unit) for _ in range(stats["env_steps"] // num_envs)]
        streams.append(torch.stack(draws).numpy())
    return streams


@pytest.mark.fast
def test_noisy_action_remembers_the_intended_action_and_draws_from_the_envs_seeded_stream():
    from isaaclab_mimic_tasks.tasks.common.mimic import (
        INTENDED_ACTIONS_ATTR,
        action_noise_generator,
        draw_action_noise,
        noisy_action,
    )

    env = SimpleNamespace(cfg=SimpleNamespace(seed=7))
    intended, std = torch.tensor([0.1, -0.2, 0.99, 1.0]), torch.tensor([0.01, 0.01, 0.5, 0.0])
    executed = [noisy_action(env, 1, intended, std, clip=1.0) for _ in range(3)]
    again = action_noise_generator(7, 1)
    for action in executed:
        expected = (intended + draw_action_noise(again, std)).clamp(-1.0, 1.0)
        assert torch.equal(action, expected)
    assert executed[0][3] == 1.0 and not torch.equal(executed[0], executed[1])
    remembered_intended, remembered_executed = getattr(env, INTENDED_ACTIONS_ATTR)[1]
    assert torch.equal(remembered_intended, intended) and torch.equal(remembered_executed, executed[-1])
    # another env has another stream
    assert not torch.equal(noisy_action(env, 0, intended, std), executed[0])


slow = pytest.mark.slow  # the tests below share the session's tiny pipeline run (minutes)


@slow
def test_executed_minus_intended_is_the_injected_noise_step_by_step(tiny_pipeline_dir):
    from isaaclab_mimic_tasks.envs import load_mimic_env_cfg

    generated = tiny_pipeline_dir / "datasets" / "generated.hdf5"
    subtask_configs = load_mimic_env_cfg(TINY_PIPELINE_TASK).subtask_configs.values()
    (sigma,) = {subtask.action_noise for subtasks in subtask_configs for subtask in subtasks}  # one std: 0.015
    streams = regenerated_noise(generated, TINY_PIPELINE_NUM_ENVS)
    noisy_steps = []
    for name, (executed, intended) in labelled_demos(generated).items():
        assert executed.shape == intended.shape, name
        difference = (executed - intended).astype(np.float64)
        assert np.array_equal(executed[:, 6:], intended[:, 6:]), f"{name}: the gripper gets no noise"
        pose = difference[:, POSE_DIMS]
        noisy = np.abs(pose).max(axis=1) > 0
        assert noisy.mean() > 0.5, f"{name}: Mimic's noise is off during interpolation and settling only"
        # the one env stream and offset whose draws are this demo's first noise, then every step in turn
        first = int(np.flatnonzero(noisy)[0])
        matches = [
            (env_id, row - first)
            for env_id, draws in enumerate(streams)
            for row in np.flatnonzero(np.abs(sigma * draws[:, POSE_DIMS] - pose[first]).max(axis=1) < 1e-6)
        ]
        assert len(matches) == 1, f"{name}: its first noise is not exactly one draw of the envs' streams"
        env_id, offset = matches[0]
        draws = streams[env_id][offset : offset + len(pose), POSE_DIMS]
        unclipped = (np.abs(executed[:, POSE_DIMS]) < 1.0).all(axis=1)
        expected = np.where(noisy[:, None], sigma * draws, 0.0)
        np.testing.assert_allclose(pose[unclipped], expected[unclipped], atol=1e-6, err_msg=name)
        noisy_steps.append(pose[noisy])
        # a one-step misalignment would add the action's own (smooth) change: no lag-1 correlation
        steps = pose[noisy]
        lag1 = [np.corrcoef(steps[:-1, d], steps[1:, d])[0, 1] for d in range(6)]
        assert np.abs(lag1).max() < 0.3, (name, lag1)
    noise = np.concatenate(noisy_steps)
    assert np.abs(noise).max() <= 5 * sigma
    np.testing.assert_allclose(noise.std(axis=0), sigma, rtol=0.2)
    assert np.abs(noise.mean(axis=0)).max() < 4 * sigma / np.sqrt(len(noise))


@slow
def test_info_and_validate_see_the_labels(tiny_pipeline_dir):
    from isaaclab_mimic_tasks.datasets import dataset_summary, find_problems

    datasets = tiny_pipeline_dir / "datasets"
    assert dataset_summary(datasets / "generated.hdf5")["action_labels"] == ["executed", "intended"]
    assert dataset_summary(datasets / "annotated.hdf5")["action_labels"] == ["executed"]
    assert not find_problems(str(datasets / "generated.hdf5"))
    summary = json.loads((tiny_pipeline_dir / "summary.json").read_text())
    assert summary["action_labels"] == "executed"


@slow
def test_bc_rnn_trains_on_intended_actions_normalized_per_dimension(tiny_pipeline_dir, tmp_path):
    generated = tiny_pipeline_dir / "datasets" / "generated.hdf5"
    result = cli(
        "train",
        "--task",
        TASK,
        "--algo",
        "bc_rnn",
        "--dataset",
        generated,
        "--epochs",
        1,
        "--action_labels",
        "intended",
        "--action_normalization",
        "per_dimension",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    (checkpoint,) = (tmp_path / "logs").rglob("model_epoch_1.pth")
    stats = torch.load(checkpoint, map_location="cpu", weights_only=False)["action_normalization_stats"]
    with h5py.File(generated, "r") as f:
        train = [n.decode() for n in f["mask/train"][()]]
        intended = np.concatenate([f[f"data/{n}/intended_actions"][()] for n in train])
        executed = np.concatenate([f[f"data/{n}/actions"][()] for n in train])
    np.testing.assert_allclose(stats["min"], intended.min(axis=0), rtol=1e-6)
    np.testing.assert_allclose(stats["max"], intended.max(axis=0), rtol=1e-6)
    assert not np.allclose(stats["max"], executed.max(axis=0))
    config = json.loads(next((tmp_path / "logs").rglob("config.json")).read_text())
    assert "intended_actions" in config["train"]["dataset_keys"]


@slow
def test_lerobot_export_of_intended_actions_holds_them(tiny_pipeline_dir, tmp_path):
    from isaaclab_mimic_tasks.learning.lerobot.export import export_lerobot, read_provenance
    from isaaclab_mimic_tasks.learning.lerobot.gate import quiet_lerobot

    generated = tiny_pipeline_dir / "datasets" / "generated.hdf5"
    export = export_lerobot(generated, tmp_path / "export", repo_id="test/intended", action_labels="intended")
    provenance = read_provenance(export.root)
    assert export.action_labels == provenance["action_labels"] == "intended"
    quiet_lerobot()
    from lerobot.datasets.lerobot_dataset import LeRobotDataset

    dataset = LeRobotDataset("test/intended", root=export.root)
    actions = np.asarray(dataset.hf_dataset.with_format("numpy")["action"])
    with h5py.File(generated, "r") as f:
        intended = np.concatenate([f[f"data/{n}/intended_actions"][()] for n in provenance["episode_demos"]])
    np.testing.assert_array_equal(actions, intended.astype(np.float32))


@slow
@pytest.mark.parametrize("command", ["train", "export"])
def test_intended_labels_of_a_file_without_them_is_a_one_line_error(command, tiny_pipeline_dir, tmp_path, capsys):
    annotated = tiny_pipeline_dir / "datasets" / "annotated.hdf5"
    if command == "train":
        args = ("train", "--task", TASK, "--algo", "bc_rnn", "--dataset", annotated, "--log_dir", tmp_path)
    else:
        args = ("export", "--format", "lerobot", "--dataset", annotated, "--out", tmp_path / "export")
    code, err = in_process_cli(capsys, *args, "--action_labels", "intended")
    assert code != 0 and len(err.strip().splitlines()) == 1, err
    assert str(annotated) in err and "executed" in err and "intended" in err
    assert not (tmp_path / "export").exists()
