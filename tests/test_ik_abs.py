"""The organizer's absolute end-effector variant (IK-Abs): its expert succeeds, Mimic generates with it, and demos
converted between relative and absolute actions (``mimic-tasks convert``) replay to success in the other variant.

The generic checks (``gym.make`` of its three IDs, declarations, a few steps under its expert) are in
``test_every_task.py``; the replays reuse ``tiny_pipeline_dir``'s recorded and annotated demos.
"""

from __future__ import annotations

import json

import h5py
import numpy as np
import pytest
from conftest import digest, in_process_cli

from isaaclab_mimic_tasks.datasets.convert import PoseActionCfg, convert_pose_actions

REL = "Isaac-Desktop-Organizer-Franka-IK-Rel-v0"
ABS = "Isaac-Desktop-Organizer-Franka-IK-Abs-v0"
ABS_MIMIC = "Isaac-Desktop-Organizer-Franka-IK-Abs-Mimic-v0"


def _random_poses(rng, steps: int) -> tuple[np.ndarray, np.ndarray]:
    quat = rng.normal(size=(steps, 4))
    return rng.uniform(-0.5, 0.5, size=(steps, 3)), quat / np.linalg.norm(quat, axis=-1, keepdims=True)


@pytest.mark.fast
def test_relative_to_absolute_and_back_is_exact_with_any_scale():
    """Relative -> absolute -> relative gives the actions back (float64, 1e-9), the gripper is copied, and the
    absolute quaternions are unit and on the hand's side (no sign flips)."""
    rng = np.random.default_rng(0)
    eef_pos, eef_quat = _random_poses(rng, 50)
    relative = np.concatenate([rng.uniform(-0.3, 0.3, size=(50, 6)), rng.choice([-1.0, 1.0], size=(50, 1))], -1)
    for scale in (1.0, 0.5, (0.5, 0.5, 0.5, 2.0, 2.0, 2.0)):
        rel, absolute = PoseActionCfg(relative=True, scale=scale), PoseActionCfg(relative=False)
        converted = convert_pose_actions(relative, eef_pos, eef_quat, rel, absolute)
        assert converted.shape == (50, 8) and np.array_equal(converted[:, 7], relative[:, 6])
        assert np.allclose(np.linalg.norm(converted[:, 3:7], axis=-1), 1.0)
        assert (np.sum(converted[:, 3:7] * eef_quat, axis=-1) >= 0).all()
        back = convert_pose_actions(converted, eef_pos, eef_quat, absolute, rel)
        assert np.allclose(back, relative, atol=1e-9)


def _tiny_relative_file(path, task: str = REL) -> None:
    rng = np.random.default_rng(1)
    with h5py.File(path, "w") as f:
        f.create_group("data").attrs["env_args"] = json.dumps({"env_name": task, "type": 2})
        eef_pos, eef_quat = _random_poses(rng, 6)
        f["data/demo_0/actions"] = np.concatenate([rng.uniform(-0.05, 0.05, (6, 6)), np.ones((6, 1))], -1)
        f["data/demo_0/processed_actions"] = f["data/demo_0/actions"][()]
        f["data/demo_0/obs/eef_pos"], f["data/demo_0/obs/eef_quat"] = eef_pos, eef_quat
        f["data/demo_0"].attrs["success"] = True


@pytest.mark.fast
def test_convert_writes_a_tagged_new_file_and_refuses_bad_input_in_one_line(tmp_path, capsys):
    """The output names the absolute variant, drops ``processed_actions`` and says where it came from; the input is
    left as it was. A file converted to what it already is, a missing file and an existing output are refused in
    one line (exit 2)."""
    source = tmp_path / "relative.hdf5"
    _tiny_relative_file(source)
    before = digest(source)
    out = tmp_path / "absolute.hdf5"
    code, _ = in_process_cli(capsys, "convert", "--actions", "absolute", "--dataset", source, "--out", out)
    assert code == 0 and digest(source) == before
    with h5py.File(out, "r") as f:
        assert json.loads(f["data"].attrs["env_args"])["env_name"] == ABS
        assert json.loads(f["data"].attrs["actions_converted_from"])["actions"] == "relative"
        assert f["data/demo_0/actions"].shape == (6, 8) and "processed_actions" not in f["data/demo_0"]
    for args in (
        ("--actions", "relative", "--dataset", source, "--out", tmp_path / "again.hdf5"),  # relative already
        ("--actions", "relative", "--dataset", out, "--out", out),  # the output exists
        ("--actions", "absolute", "--dataset", tmp_path / "missing.hdf5", "--out", tmp_path / "x.hdf5"),
    ):
        code, err = in_process_cli(capsys, "convert", *args)
        assert code == 2 and len(err.strip().splitlines()) == 1, err
    assert digest(source) == before and not (tmp_path / "again.hdf5").exists()


def test_absolute_expert_succeeds():
    """The expert emitting the poses it steers to (``PickPlacePoseExpert``) solves the absolute variant."""
    from isaaclab_mimic_tasks.datagen import evaluate_expert

    stats = evaluate_expert(ABS, num_episodes=2, num_envs=2)
    assert stats.successes == 2, stats


def test_relative_demos_converted_to_absolute_replay_to_success_and_back(tiny_pipeline_dir, tmp_path, capsys):
    """The tiny pipeline's recorded relative demos, converted to absolute, succeed when replayed in the absolute
    variant; converted back, they equal the original actions and succeed in the relative variant."""
    from isaaclab_mimic_tasks.datagen import replay_dataset

    source = tiny_pipeline_dir / "datasets" / "source.hdf5"
    absolute, relative = tmp_path / "absolute.hdf5", tmp_path / "relative.hdf5"
    assert in_process_cli(capsys, "convert", "--actions", "absolute", "--dataset", source, "--out", absolute)[0] == 0
    outcome = replay_dataset(str(absolute), num_envs=2)
    assert outcome and all(outcome.values()), outcome
    assert in_process_cli(capsys, "convert", "--actions", "relative", "--dataset", absolute, "--out", relative)[0] == 0
    with h5py.File(source, "r") as original, h5py.File(relative, "r") as back:
        assert json.loads(back["data"].attrs["env_args"])["env_name"] == REL
        for name in original["data"]:
            assert np.allclose(back[f"data/{name}/actions"][()], original[f"data/{name}/actions"][()], atol=1e-5)
    outcome = replay_dataset(str(relative), num_envs=2)
    assert outcome and all(outcome.values()), outcome


def test_absolute_mimic_generates_from_converted_annotated_demos(tiny_pipeline_dir, tmp_path, capsys):
    """Annotated relative demos converted to absolute keep their datagen_info (poses and signals do not depend on
    the action), so the IK-Abs Mimic env generates from them: a successful demo whose executed pose actions are
    the intended ones plus the noise."""
    from isaaclab_mimic_tasks.datagen import generate_dataset

    annotated, generated = tmp_path / "annotated_abs.hdf5", tmp_path / "generated_abs.hdf5"
    source = tiny_pipeline_dir / "datasets" / "annotated.hdf5"
    assert in_process_cli(capsys, "convert", "--actions", "absolute", "--dataset", source, "--out", annotated)[0] == 0
    stats = generate_dataset(
        ABS_MIMIC, str(annotated), str(generated), num_envs=2, generation_num_trials=1, split_ratio=None
    )
    assert stats.demos == 1
    with h5py.File(generated, "r") as f:
        demo = f["data/demo_0"]
        assert json.loads(f["data"].attrs["env_args"])["env_name"] == ABS_MIMIC
        noise = demo["actions"][()] - demo["intended_actions"][()]
        assert demo["actions"].shape[1] == 8 and 0.005 < noise[:, :3].std() < 0.03 and not noise[:, 7].any()
