"""End-effector and object pose terms, in the robot base frame (the frame the IK actions work in)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import isaaclab.utils.math as math_utils
import torch
from isaaclab.managers import SceneEntityCfg

if TYPE_CHECKING:
    from isaaclab.envs import ManagerBasedRLEnv

    from ..declarations import EndEffectorCfg

__all__ = [
    "SceneEntityCfg",
    "eef_pose",
    "eef_pos",
    "eef_quat",
    "gripper_pos",
    "object_in_region",
    "object_pose",
    "object_speed",
    "point_in_object_w",
]


def _resolved(env: ManagerBasedRLEnv, entity_cfg: SceneEntityCfg) -> SceneEntityCfg:
    """``entity_cfg`` with its body and joint ids looked up (once: the cfg keeps them)."""
    if isinstance(entity_cfg.body_ids, slice) and isinstance(entity_cfg.joint_ids, slice):
        entity_cfg.resolve(env.scene)
    return entity_cfg


def eef_pose(env: ManagerBasedRLEnv, end_effector: EndEffectorCfg) -> tuple[torch.Tensor, torch.Tensor]:
    """Position and quaternion (x, y, z, w) of the end effector's tool point in the robot base frame.

    The body is the IK action's, shifted by ``end_effector.offset``: the frame the differential-IK controller
    tracks, so Mimic's target poses and the actions agree.
    """
    body = _resolved(env, end_effector.body)
    robot = env.scene[body.name]
    body_idx = body.body_ids[0]
    body_pos_w = robot.data.body_pos_w.torch[:, body_idx]
    body_quat_w = robot.data.body_quat_w.torch[:, body_idx]
    offset = torch.tensor(end_effector.offset, device=env.device).expand(env.num_envs, 3)
    eef_pos_w = body_pos_w + math_utils.quat_apply(body_quat_w, offset)
    return math_utils.subtract_frame_transforms(
        robot.data.root_pos_w.torch, robot.data.root_quat_w.torch, eef_pos_w, body_quat_w
    )


def eef_pos(env: ManagerBasedRLEnv, end_effector: EndEffectorCfg) -> torch.Tensor:
    """End-effector position in the robot base frame, (N, 3)."""
    return eef_pose(env, end_effector)[0]


def eef_quat(env: ManagerBasedRLEnv, end_effector: EndEffectorCfg) -> torch.Tensor:
    """End-effector orientation (x, y, z, w) in the robot base frame, (N, 4)."""
    return eef_pose(env, end_effector)[1]


def gripper_pos(env: ManagerBasedRLEnv, end_effector: EndEffectorCfg) -> torch.Tensor:
    """Gripper joint positions, (N, number of gripper joints)."""
    gripper = _resolved(env, end_effector.gripper)
    return env.scene[gripper.name].data.joint_pos.torch[:, gripper.joint_ids]


def object_pose(
    env: ManagerBasedRLEnv, object_cfg: SceneEntityCfg, robot_cfg: SceneEntityCfg = SceneEntityCfg("robot")
) -> torch.Tensor:
    """Object position and quaternion (x, y, z, w) in the robot base frame, (N, 7)."""
    robot = env.scene[robot_cfg.name]
    obj = env.scene[object_cfg.name]
    pos, quat = math_utils.subtract_frame_transforms(
        robot.data.root_pos_w.torch, robot.data.root_quat_w.torch, obj.data.root_pos_w.torch, obj.data.root_quat_w.torch
    )
    return torch.cat([pos, quat], dim=-1)


def point_in_object_w(
    env: ManagerBasedRLEnv, object_cfg: SceneEntityCfg, offset: tuple[float, float, float]
) -> torch.Tensor:
    """World position of a point fixed in an object's frame, (N, 3)."""
    obj = env.scene[object_cfg.name]
    local = torch.tensor(offset, device=env.device).expand(env.num_envs, 3)
    return obj.data.root_pos_w.torch + math_utils.quat_apply(obj.data.root_quat_w.torch, local)


def object_in_region(
    env: ManagerBasedRLEnv,
    object_cfg: SceneEntityCfg,
    container_cfg: SceneEntityCfg,
    region: tuple[tuple[float, float, float], tuple[float, float, float]],
) -> torch.Tensor:
    """1 where the object's centre lies inside ``region`` (centre, half size: an axis-aligned box in the
    container's frame), (N,)."""
    center, half_size = region
    container = env.scene[container_cfg.name]
    delta_w = env.scene[object_cfg.name].data.root_pos_w.torch - point_in_object_w(env, container_cfg, center)
    delta_local = math_utils.quat_apply_inverse(container.data.root_quat_w.torch, delta_w)
    return (delta_local.abs() <= torch.tensor(half_size, device=env.device)).all(dim=-1).float()


def object_speed(env: ManagerBasedRLEnv, object_cfg: SceneEntityCfg) -> torch.Tensor:
    """Linear speed (m/s) of the object, (N,)."""
    return torch.linalg.vector_norm(env.scene[object_cfg.name].data.root_lin_vel_w.torch, dim=-1)
