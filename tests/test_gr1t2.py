"""The GR1T2 humanoid task kit-less: its asset, Pink IK, the hand's grasp under Mimic's noise, subtask signals and
success, the Mimic API of both end effectors, and the whole chain on a tiny run (real simulator, CPU)."""

from __future__ import annotations

import json
import math
import shutil
import sys

import h5py
import isaaclab.utils.math as math_utils
import pytest
import torch
from conftest import assert_clear_failure, cli, digest

from isaaclab_mimic_tasks.assets.cache import AssetSourceError
from isaaclab_mimic_tasks.assets.gr1t2 import (
    ARM_JOINT_NAMES,
    HAND_JOINT_NAMES,
    ik_urdf_path,
    packaged_urdf,
    prepared_urdf,
)
from isaaclab_mimic_tasks.envs import open_env, take_success_term

TASK = "Isaac-PickPlace-GR1T2-Abs-v0"
MIMIC_TASK = "Isaac-PickPlace-GR1T2-Abs-Mimic-v0"


def right_hand_signals() -> list[str]:
    """The right hand's subtask signals in the Mimic cfg's order (grasp, lift)."""
    from isaaclab_mimic_tasks.datagen.annotate import subtask_order
    from isaaclab_mimic_tasks.envs import load_mimic_env_cfg

    return subtask_order(load_mimic_env_cfg(MIMIC_TASK))["right"]


def test_prepared_urdf_holds_the_lower_body_and_boxes_the_hands():
    """Legs, waist and head are fixed, the pelvis is welded to the world, hands collide through boxes only."""
    robot = prepared_urdf(packaged_urdf()).getroot()
    movable = {j.get("name") for j in robot.findall("joint") if j.get("type") != "fixed"}
    assert movable == set(ARM_JOINT_NAMES) | set(HAND_JOINT_NAMES)
    root = next(j for j in robot.findall("joint") if j.get("name") == "root_joint")
    assert (root.find("parent").get("link"), root.find("child").get("link")) == ("world", "base_link")
    for link in robot.findall("link"):
        geometries = [c.find("geometry")[0].tag for c in link.findall("collision")]
        if link.get("name").startswith(("R_", "L_")):
            assert set(geometries) <= {"box"}, link.get("name")
        elif "leg" in link.get("name") or "thigh" in link.get("name") or link.get("name") == "base_link":
            assert not geometries
    assert (
        sum(1 for link in robot.findall("link") if link.get("name").startswith("R_") and link.findall("collision"))
        == 12
    )


def test_ik_urdf_loads_in_pinocchio_without_meshes():
    """The kinematics-only URDF written beside the USD has the 36 arm and hand joints and no meshes."""
    import pinocchio

    path = ik_urdf_path()
    assert "<mesh" not in open(path).read()
    model = pinocchio.buildModelFromUrdf(path)
    assert set(model.names[1:]) == set(ARM_JOINT_NAMES) | set(HAND_JOINT_NAMES)


def test_missing_asset_package_is_a_clear_error(monkeypatch):
    """Without fourier-robot-descriptions the asset build says which package to install."""
    monkeypatch.setitem(sys.modules, "fourier_robot_descriptions", None)
    with pytest.raises(AssetSourceError, match="fourier-robot-descriptions.*scripts/setup.sh"):
        packaged_urdf()


def _idle(env) -> torch.Tensor:
    return torch.tensor([env.cfg.idle_action] * env.num_envs)


class TestPinkIK:
    """Pink IK on the real simulator, one 2-env task for the class (one simulation per process at a time)."""

    @pytest.fixture(scope="class")
    def gr1t2_env(self):
        with open_env(TASK, num_envs=2, seed=0) as env:
            yield env

    def test_pink_ik_reaches_a_wrist_target(self, gr1t2_env):
        """A reachable right-wrist target (8 cm away, wrist pitched down 30 degrees) is reached within 1 cm and 0.1 rad
        in 1 s, while the left wrist holds its pose."""
        env = gr1t2_env
        env.reset(seed=0)
        action = _idle(env)
        action[:, 7:10] += torch.tensor([-0.03, 0.06, -0.05])
        tilt = math_utils.quat_from_euler_xyz(torch.tensor([-math.radians(30)]), torch.zeros(1), torch.zeros(1))
        action[:, 10:14] = math_utils.quat_mul(tilt.expand(2, 4), action[:, 10:14])
        for _ in range(20):
            obs, *_ = env.step(action)
        policy = obs["policy"]
        assert (policy["right_eef_pos"] - action[:, 7:10]).norm(dim=1).max() < 0.01
        assert math_utils.quat_error_magnitude(policy["right_eef_quat"], action[:, 10:14]).max() < 0.1
        assert (policy["left_eef_pos"] - action[:, 0:3]).norm(dim=1).max() < 0.01

    def test_unreachable_or_malformed_targets_are_clamped_never_nan(self, gr1t2_env):
        """A target far outside the workspace is clamped to the documented box; a NaN or zero quaternion keeps the
        previous target. The joints stay finite and the wrist stays inside the box."""
        env = gr1t2_env
        env.reset(seed=0)
        low, high = (torch.tensor(b) for b in env.cfg.actions.upper_body_ik.target_position_bounds)
        action = _idle(env)
        for _ in range(3):
            env.step(action)
        action[:, 7:10] = torch.tensor([5.0, 5.0, 5.0])
        action[1, 0:7] = float("nan")
        action[1, 10:14] = 0.0
        for _ in range(45):  # the clamped target is 0.5 m away: 34 steps at the wrist's speed limit
            obs, *_ = env.step(action)
        assert torch.isfinite(env.scene["robot"].data.joint_pos.torch).all()
        right = obs["policy"]["right_eef_pos"]
        assert ((right[0] >= low - 0.01) & (right[0] <= high + 0.01)).all()
        assert right[0, 2] > 1.2, "env 0 moved toward the clamped target (up to the box's top)"
        idle_right = torch.tensor(env.cfg.idle_action[7:10])
        assert (right[1] - idle_right).norm() < 0.01 and (
            obs["policy"]["left_eef_pos"][1] - action[0, 0:3]
        ).norm() < 0.01

    def test_a_far_waypoint_is_reached_at_the_wrist_speed_limit(self, gr1t2_env):
        """A waypoint 15 cm away and 45 degrees off: the wrist moves toward it at most ``max_wrist_step`` per step
        (and turns at most ``max_wrist_rotation_step``), steadily, and arrives within 1 cm and 0.1 rad in 30 steps."""
        env = gr1t2_env
        env.reset(seed=0)
        action_cfg = env.cfg.actions.upper_body_ik
        action = _idle(env)
        action[:, 7:10] += torch.tensor([-0.05, 0.10, -0.10])
        tilt = math_utils.quat_from_euler_xyz(torch.tensor([-math.radians(45)]), torch.zeros(1), torch.zeros(1))
        action[:, 10:14] = math_utils.quat_mul(tilt.expand(2, 4), action[:, 10:14])
        obs = env.observation_manager.compute()
        steps, turns = [], []
        for _ in range(30):
            before_pos, before_quat = obs["policy"]["right_eef_pos"].clone(), obs["policy"]["right_eef_quat"].clone()
            obs, *_ = env.step(action)
            steps.append((obs["policy"]["right_eef_pos"] - before_pos).norm(dim=1).max().item())
            turns.append(math_utils.quat_error_magnitude(obs["policy"]["right_eef_quat"], before_quat).max().item())
        # the limit bounds the target's lead over the measured wrist; IK and drives then close about 40% of it a step
        assert max(steps) < action_cfg.max_wrist_step, steps
        assert max(turns) < action_cfg.max_wrist_rotation_step, turns
        assert sum(s > 0.3 * action_cfg.max_wrist_step for s in steps) >= 15, f"the wrist should move steadily: {steps}"
        assert (obs["policy"]["right_eef_pos"] - action[:, 7:10]).norm(dim=1).max() < 0.01
        assert math_utils.quat_error_magnitude(obs["policy"]["right_eef_quat"], action[:, 10:14]).max() < 0.1

    def test_hand_targets_follow_the_stock_order(self, gr1t2_env):
        """Value i of the 22 hand values drives ``HAND_JOINT_NAMES[i]`` (the stock term drove the articulation's
        order)."""
        env = gr1t2_env
        env.reset(seed=0)
        robot = env.scene["robot"]
        action = _idle(env)
        action[:, 14 + HAND_JOINT_NAMES.index("R_thumb_proximal_yaw_joint")] = -1.0
        action[:, 14 + HAND_JOINT_NAMES.index("R_index_proximal_joint")] = -0.8
        for _ in range(15):
            env.step(action)
        joint_pos = {name: robot.data.joint_pos.torch[0, i].item() for i, name in enumerate(robot.data.joint_names)}
        assert joint_pos["R_thumb_proximal_yaw_joint"] == pytest.approx(-1.0, abs=0.05)
        assert joint_pos["R_index_proximal_joint"] == pytest.approx(-0.8, abs=0.05)
        # the follower is passive: the URDF's mimic coupling (0.975) moves it
        assert joint_pos["R_index_intermediate_joint"] == pytest.approx(-0.8 * 0.975, abs=0.05)
        assert abs(joint_pos["L_thumb_proximal_yaw_joint"]) < 0.05


def test_hand_holds_the_can_through_a_lift_under_mimic_noise():
    """Seeded Gaussian noise of Mimic's std (the Mimic cfg's action_noise) on both wrist targets, 4 environments:
    every hand closes on its can and holds it through the lift."""
    from isaaclab_mimic_tasks.tasks.pick_place_gr1t2.pickplace_gr1t2_mimic_env_cfg import ACTION_NOISE
    from isaaclab_mimic_tasks.tasks.pick_place_gr1t2.scripted_expert import GR1T2PickPlaceExpert, Phase

    torch.manual_seed(0)
    with open_env(TASK, num_envs=4, seed=1) as env:
        rest_z = env.scene["object"].data.root_pos_w.torch[:, 2].clone()
        expert = GR1T2PickPlaceExpert(env)
        expert.reset()
        lifted = torch.zeros(4, dtype=torch.bool)
        for _ in range(250):
            action = expert.advance()
            action[:, :14] += ACTION_NOISE * torch.randn(4, 14)
            obs, *_ = env.step(action)
            carrying = expert.phase == Phase.CARRY
            lifted |= carrying & (obs["subtask_terms"]["lift"] > 0.5)
            if (expert.phase >= Phase.CARRY).all():
                break
        height = env.scene["object"].data.root_pos_w.torch[:, 2] - rest_z
    assert lifted.all(), lifted
    assert (height > 0.1).all(), height


def test_signals_rise_in_order_and_success_only_in_the_basket():
    """A scripted episode: the right hand's signals (grasp, lift) rise in the Mimic cfg's order, and success only
    after them; a can dropped beside the basket (env 1) never counts as a success."""
    from isaaclab_mimic_tasks.envs import load_env_cfg
    from isaaclab_mimic_tasks.tasks.pick_place_gr1t2.scripted_expert import GR1T2PickPlaceExpert

    cfg = load_env_cfg(TASK, num_envs=2)
    success_term = take_success_term(cfg)
    with open_env(TASK, num_envs=2, seed=2, env_cfg=cfg) as env:
        expert = GR1T2PickPlaceExpert(env)
        expert.reset()
        expert.place_offset[1] = torch.tensor([0.0, -0.17])  # beside the basket, toward the robot
        signals = right_hand_signals()
        first = {name: [None, None] for name in (*signals, "success")}
        for step in range(300):
            obs, *_ = env.step(expert.advance())
            values = {**obs["subtask_terms"], "success": success_term.func(env, **success_term.params).float()}
            for name in first:
                value = values[name]
                for i in range(2):
                    if first[name][i] is None and value[i] > 0.5:
                        first[name][i] = step
            if first["success"][0] is not None and step > first["success"][0] + 30:
                break
    order = [first[name][0] for name in (*signals, "success")]
    assert None not in order and order == sorted(order) and order[-2] < order[-1], first
    assert all(first[name][1] is not None for name in signals), first
    assert first["success"][1] is None, first


def test_mimic_api_round_trips_both_end_effectors():
    """action -> (target wrist poses, per-hand joints) -> action gives the action back, and each hand's 11 values
    are its own joints (stock's split put five right-hand joints in "left")."""
    from isaaclab_mimic_tasks.tasks.pick_place_gr1t2.scripted_expert import GR1T2PickPlaceExpert

    with open_env(MIMIC_TASK, num_envs=2, seed=0) as env:
        expert = GR1T2PickPlaceExpert(env)
        expert.reset()
        for _ in range(30):
            action = expert.advance()
            env.step(action)
        action = expert.advance()
        poses = env.action_to_target_eef_pose(action)
        hands = env.actions_to_gripper_actions(action[:, None, :])
        assert set(poses) == set(hands) == {"left", "right"}
        names = {
            side: [HAND_JOINT_NAMES[i] for i in range(22) if HAND_JOINT_NAMES[i].startswith(side[0].upper())]
            for side in poses
        }
        for side in ("left", "right"):
            assert len(names[side]) == 11 and hands[side].shape == (2, 1, 11)
        # the expert holds the right fingers at -0.05 rad (open) and leaves the left hand at 0
        assert torch.allclose(hands["right"][:, 0, names["right"].index("R_index_proximal_joint")], torch.tensor(-0.05))
        assert not hands["left"].any()
        for env_id in range(2):
            rebuilt = env.target_eef_pose_to_action(
                {eef: pose[env_id] for eef, pose in poses.items()},
                {eef: hand[env_id, 0] for eef, hand in hands.items()},
                env_id=env_id,
            )
            expected = action[env_id].clone()
            for start in (3, 10):  # quaternions compare up to sign
                expected[start : start + 4] = math_utils.quat_unique(expected[start : start + 4])
            assert torch.allclose(rebuilt, expected, atol=1e-5), (rebuilt - expected).abs().max()


@pytest.fixture(scope="module")
def pipeline_dir(tmp_path_factory):
    """The tutorial's chain on a tiny run: 2 scripted demos, annotate --auto, 2 generated, 1 epoch of BC, 1 rollout."""
    out = tmp_path_factory.mktemp("gr1t2_pipeline")
    result = cli(
        "pipeline",
        "--task",
        MIMIC_TASK,
        "--output_dir",
        out,
        "--num_source_demos",
        2,
        "--generation_num_trials",
        2,
        "--num_envs",
        2,
        "--algo",
        "bc",
        "--epochs",
        1,
        "--num_rollouts",
        1,
        "--horizon",
        30,
        "--enable_pinocchio",
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "--enable_pinocchio is not needed" in result.stderr
    return out


def test_tiny_pipeline_on_the_humanoid(pipeline_dir):
    """Every file of the report is written; the generated demos and the per-hand failure rows are there."""
    summary = json.loads((pipeline_dir / "summary.json").read_text())
    assert summary["source_demos"] == 2 and summary["generation"]["demos"] == 2
    assert set(summary["generation"]["subtask_signals"]) == {"right", "left"}
    assert summary["policy"]["rollouts"] == 1
    for name in ("report.md", "generation_outcomes.png", "training_loss.png"):
        assert (pipeline_dir / name).stat().st_size > 0, name


def test_auto_annotation_finds_every_subtask_end(pipeline_dir):
    """In the annotated file every demo's right-hand signals (grasp, lift) rise (0 -> 1), in the Mimic cfg's order."""
    annotated = next(pipeline_dir.rglob("*annotated*.hdf5"))
    with h5py.File(annotated, "r") as f:
        demos = list(f["data"])
        assert len(demos) == 2
        for demo in demos:
            signals = f[f"data/{demo}/obs/datagen_info/subtask_term_signals"]
            order = right_hand_signals()
            assert all(signals[name][()].any() for name in order), demo
            rises = [int(signals[name][()].astype(bool).argmax()) for name in order]
            assert 0 < rises[0] and rises == sorted(rises), (demo, rises)


@pytest.mark.parametrize("command", ["annotate", "generate", "replay"])
def test_organizer_dataset_is_refused_by_the_humanoid_task(pipeline_dir, tmp_path, command):
    """A dataset recorded on the organizer given to the GR1T2 task: a one-line error, the input untouched."""
    organizer = "Isaac-Desktop-Organizer-Franka-IK-Rel-v0"
    path = tmp_path / "organizer.hdf5"
    shutil.copy(next(pipeline_dir.rglob("*annotated*.hdf5")), path)
    with h5py.File(path, "a") as f:
        f["data"].attrs["env_args"] = json.dumps({"env_name": organizer, "type": 2})
    before = digest(path)
    files = {
        "annotate": ["--auto", "--input_file", path, "--output_file", tmp_path / "out.hdf5"],
        "generate": ["--input_file", path, "--output_file", tmp_path / "out.hdf5", "--generation_num_trials", 1],
        "replay": ["--dataset_file", path],
    }
    task = TASK if command == "replay" else MIMIC_TASK
    result = cli(command, "--task", task, *files[command])
    assert_clear_failure(result)
    assert organizer in result.stderr and task in result.stderr, result.stderr
    assert digest(path) == before and not (tmp_path / "out.hdf5").exists()
