"""The GR1T2 humanoid kit-less: its asset built from fourier-robot-descriptions, and Pink IK on the real simulator."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET

import pytest
import torch

import isaaclab.utils.math as math_utils

from isaaclab_mimic_tasks.assets.gr1t2 import ARM_JOINT_NAMES, HAND_JOINT_NAMES, ik_urdf_path, packaged_urdf, prepared_urdf


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
    assert sum(1 for link in robot.findall("link") if link.get("name").startswith("R_") and link.findall("collision")) == 12


def test_ik_urdf_loads_in_pinocchio_without_meshes():
    """The kinematics-only URDF written beside the USD has the 36 arm and hand joints and no meshes."""
    import pinocchio

    path = ik_urdf_path()
    assert "<mesh" not in open(path).read()
    model = pinocchio.buildModelFromUrdf(path)
    assert set(model.names[1:]) == set(ARM_JOINT_NAMES) | set(HAND_JOINT_NAMES)


@pytest.fixture(scope="module")
def gr1t2_env():
    from isaaclab.app import launch_simulation
    from isaaclab.envs import ManagerBasedRLEnv

    from isaaclab_mimic_tasks.envs import quiet_simulator
    from isaaclab_mimic_tasks.tasks.pick_place_gr1t2.pickplace_gr1t2_env_cfg import PickPlaceGR1T2EnvCfg

    cfg = PickPlaceGR1T2EnvCfg()
    cfg.scene.num_envs = 2
    with launch_simulation(cfg, {}):
        with quiet_simulator():
            env = ManagerBasedRLEnv(cfg)
        env.reset(seed=0)
        yield env
        with quiet_simulator():
            env.close()


def _idle(env) -> torch.Tensor:
    return torch.tensor([env.cfg.idle_action] * env.num_envs)


def test_pink_ik_reaches_a_wrist_target(gr1t2_env):
    """A reachable right-wrist target (8 cm away, wrist pitched down 30 degrees) is reached within 1 cm and 0.1 rad
    in 1 s, while the left wrist holds its pose."""
    env = gr1t2_env
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


def test_unreachable_or_malformed_targets_are_clamped_never_nan(gr1t2_env):
    """A target far outside the workspace is clamped to the documented box; a NaN or zero quaternion keeps the
    previous target. The joints stay finite and the wrist stays inside the box."""
    env = gr1t2_env
    low, high = (torch.tensor(b) for b in env.cfg.actions.upper_body_ik.target_position_bounds)
    action = _idle(env)
    for _ in range(3):
        env.step(action)
    action[:, 7:10] = torch.tensor([5.0, 5.0, 5.0])
    action[1, 0:7] = float("nan")
    action[1, 10:14] = 0.0
    for _ in range(15):
        obs, *_ = env.step(action)
    assert torch.isfinite(env.scene["robot"].data.joint_pos.torch).all()
    right = obs["policy"]["right_eef_pos"]
    assert ((right[0] >= low - 0.01) & (right[0] <= high + 0.01)).all()
    assert right[0, 2] > 1.2, "env 0 moved toward the clamped target (up to the box's top)"
    idle_right = torch.tensor(env.cfg.idle_action[7:10])
    assert (right[1] - idle_right).norm() < 0.01 and (obs["policy"]["left_eef_pos"][1] - action[0, 0:3]).norm() < 0.01


def test_hand_targets_follow_the_stock_order(gr1t2_env):
    """Value i of the 22 hand values drives ``HAND_JOINT_NAMES[i]`` (the stock term drove the articulation's order)."""
    env = gr1t2_env
    robot = env.scene["robot"]
    action = _idle(env)
    thumb_yaw = 14 + HAND_JOINT_NAMES.index("R_thumb_proximal_yaw_joint")
    index_proximal = 14 + HAND_JOINT_NAMES.index("R_index_proximal_joint")
    action[:, thumb_yaw] = -1.0
    action[:, index_proximal] = -0.8
    for _ in range(15):
        env.step(action)
    joint_pos = {name: robot.data.joint_pos.torch[0, i].item() for i, name in enumerate(robot.data.joint_names)}
    assert joint_pos["R_thumb_proximal_yaw_joint"] == pytest.approx(-1.0, abs=0.05)
    assert joint_pos["R_index_proximal_joint"] == pytest.approx(-0.8, abs=0.05)
    # the follower is passive: the URDF's mimic coupling (0.975) moves it
    assert joint_pos["R_index_intermediate_joint"] == pytest.approx(-0.8 * 0.975, abs=0.05)
    assert abs(joint_pos["L_thumb_proximal_yaw_joint"]) < 0.05
