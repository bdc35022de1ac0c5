"""Observation terms: end-effector and object poses (robot base frame) and the subtask signals."""

from __future__ import annotations

from typing import TYPE_CHECKING

import torch

import isaaclab.utils.math as math_utils
from isaaclab.managers import SceneEntityCfg

if TYPE_CHECKING:
    from isaaclab.envs import ManagerBasedRLEnv

__all__ = [
    "SceneEntityCfg",
    "eef_pose",
    "eef_pos",
    "eef_quat",
    "gripper_pos",
    "object_pose",
    "object_in_region",
    "eef_near_object",
    "object_grasped",
    "object_lifted",
]


def eef_pose(env: ManagerBasedRLEnv, robot_cfg: SceneEntityCfg = SceneEntityCfg("robot")) -> tuple[torch.Tensor, torch.Tensor]:
    """Position and quaternion (x, y, z, w) of the end-effector frame in the robot base frame.

    The frame is the IK action's body (``eef_body_name``) shifted by ``eef_offset``: the same frame the
    differential-IK controller tracks, so Mimic's target poses and the actions agree.
    """
    robot = env.scene[robot_cfg.name]
    body_idx = robot.find_bodies(env.cfg.eef_body_name)[0][0]
    body_pos_w = robot.data.body_pos_w.torch[:, body_idx]
    body_quat_w = robot.data.body_quat_w.torch[:, body_idx]
    offset = torch.tensor(env.cfg.eef_offset, device=env.device).expand(env.num_envs, 3)
    eef_pos_w = body_pos_w + math_utils.quat_apply(body_quat_w, offset)
    return math_utils.subtract_frame_transforms(
        robot.data.root_pos_w.torch, robot.data.root_quat_w.torch, eef_pos_w, body_quat_w
    )


def eef_pos(env: ManagerBasedRLEnv) -> torch.Tensor:
    """End-effector position in the robot base frame, (N, 3)."""
    return eef_pose(env)[0]


def eef_quat(env: ManagerBasedRLEnv) -> torch.Tensor:
    """End-effector orientation (x, y, z, w) in the robot base frame, (N, 4)."""
    return eef_pose(env)[1]


def gripper_pos(env: ManagerBasedRLEnv, robot_cfg: SceneEntityCfg = SceneEntityCfg("robot")) -> torch.Tensor:
    """Finger joint positions (opening of each finger, m), (N, 2)."""
    robot = env.scene[robot_cfg.name]
    joint_ids = robot.find_joints(env.cfg.gripper_joint_names)[0]
    return robot.data.joint_pos.torch[:, joint_ids]


def object_pose(
    env: ManagerBasedRLEnv,
    object_cfg: SceneEntityCfg,
    robot_cfg: SceneEntityCfg = SceneEntityCfg("robot"),
) -> torch.Tensor:
    """Object position and quaternion (x, y, z, w) in the robot base frame, (N, 7)."""
    robot = env.scene[robot_cfg.name]
    obj = env.scene[object_cfg.name]
    pos, quat = math_utils.subtract_frame_transforms(
        robot.data.root_pos_w.torch,
        robot.data.root_quat_w.torch,
        obj.data.root_pos_w.torch,
        obj.data.root_quat_w.torch,
    )
    return torch.cat([pos, quat], dim=-1)


def _object_point_w(env: ManagerBasedRLEnv, object_cfg: SceneEntityCfg, offset: tuple[float, float, float]) -> torch.Tensor:
    """World position of a point fixed in an object's frame."""
    obj = env.scene[object_cfg.name]
    local = torch.tensor(offset, device=env.device).expand(env.num_envs, 3)
    return obj.data.root_pos_w.torch + math_utils.quat_apply(obj.data.root_quat_w.torch, local)


def object_in_region(
    env: ManagerBasedRLEnv,
    object_cfg: SceneEntityCfg = SceneEntityCfg("ketchup"),
    container_cfg: SceneEntityCfg = SceneEntityCfg("basket"),
) -> torch.Tensor:
    """1 where the object's centre lies inside the container's region (``env.cfg.container_region``), (N,).

    The region is an axis-aligned box (centre, half size) in the container's frame.
    """
    center, half_size = env.cfg.container_region
    container = env.scene[container_cfg.name]
    point_w = env.scene[object_cfg.name].data.root_pos_w.torch
    delta_w = point_w - _object_point_w(env, container_cfg, center)
    delta_local = math_utils.quat_apply_inverse(container.data.root_quat_w.torch, delta_w)
    inside = (delta_local.abs() <= torch.tensor(half_size, device=env.device)).all(dim=-1)
    return inside.float()


def eef_near_object(
    env: ManagerBasedRLEnv,
    threshold: float = 0.02,
    object_cfg: SceneEntityCfg = SceneEntityCfg("ketchup"),
) -> torch.Tensor:
    """1 where the end-effector is within ``threshold`` m of the object's grasp point, (N,).

    The grasp point (``env.cfg.grasp_point``) is in the object's frame.
    """
    robot = env.scene["robot"]
    pos_b, _ = eef_pose(env)
    eef_w = robot.data.root_pos_w.torch + math_utils.quat_apply(robot.data.root_quat_w.torch, pos_b)
    grasp_w = _object_point_w(env, object_cfg, env.cfg.grasp_point)
    return (torch.linalg.vector_norm(eef_w - grasp_w, dim=-1) < threshold).float()


def object_grasped(
    env: ManagerBasedRLEnv,
    threshold: float = 0.04,
    object_cfg: SceneEntityCfg = SceneEntityCfg("ketchup"),
) -> torch.Tensor:
    """1 where the fingers have closed on the object near the end-effector, (N,).

    Closed on it: both fingers moved in from open, but not shut (something is between them).
    """
    fingers = gripper_pos(env)
    closing = (fingers < env.cfg.gripper_open_val - env.cfg.gripper_threshold).all(dim=-1)
    not_shut = (fingers > env.cfg.gripper_threshold).all(dim=-1)
    return eef_near_object(env, threshold, object_cfg) * (closing & not_shut).float()


def object_lifted(
    env: ManagerBasedRLEnv,
    height: float = 0.05,
    object_cfg: SceneEntityCfg = SceneEntityCfg("ketchup"),
) -> torch.Tensor:
    """1 where the object is held ``height`` m above its reset height, (N,)."""
    obj = env.scene[object_cfg.name]
    rest_z = env.scene.env_origins[:, 2] + obj.cfg.init_state.pos[2]
    raised = obj.data.root_pos_w.torch[:, 2] > rest_z + height
    return raised.float() * object_grasped(env, object_cfg=object_cfg)
