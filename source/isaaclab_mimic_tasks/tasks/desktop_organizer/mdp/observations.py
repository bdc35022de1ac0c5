"""Subtask signals of the organizer: the end effector at the object's grasp point, the object grasped and
lifted (inside the container's region: the shared ``object_in_region``). Each returns a (num_envs,) tensor of 0/1."""

from __future__ import annotations

from typing import TYPE_CHECKING

import isaaclab.utils.math as math_utils
import torch
from isaaclab.managers import SceneEntityCfg

from isaaclab_mimic_tasks.tasks.common.mdp import eef_pose, gripper_pos, point_in_object_w

if TYPE_CHECKING:
    from isaaclab.envs import ManagerBasedRLEnv

    from isaaclab_mimic_tasks.tasks.common import EndEffectorCfg

__all__ = ["eef_near_object", "object_grasped", "object_lifted"]


def eef_near_object(
    env: ManagerBasedRLEnv,
    end_effector: EndEffectorCfg,
    object_cfg: SceneEntityCfg,
    grasp_point: tuple[float, float, float],
    threshold: float = 0.02,
) -> torch.Tensor:
    """1 where the end effector is within ``threshold`` m of the object's ``grasp_point`` (object frame), (N,)."""
    robot = env.scene[end_effector.body.name]
    pos_b, _ = eef_pose(env, end_effector)
    eef_w = robot.data.root_pos_w.torch + math_utils.quat_apply(robot.data.root_quat_w.torch, pos_b)
    grasp_w = point_in_object_w(env, object_cfg, grasp_point)
    return (torch.linalg.vector_norm(eef_w - grasp_w, dim=-1) < threshold).float()


def gripper_open(env: ManagerBasedRLEnv, end_effector: EndEffectorCfg) -> torch.Tensor:
    """True where every gripper joint is (nearly) fully open, (N,)."""
    return (gripper_pos(env, end_effector) > end_effector.gripper_open - end_effector.gripper_threshold).all(dim=-1)


def object_grasped(
    env: ManagerBasedRLEnv,
    end_effector: EndEffectorCfg,
    object_cfg: SceneEntityCfg,
    grasp_point: tuple[float, float, float],
    threshold: float = 0.04,
    finger_travel: float | None = None,
) -> torch.Tensor:
    """1 where the fingers have closed on the object near the end effector, (N,).

    Closed on it: every finger moved in from open by ``finger_travel`` m (None: the end effector's
    ``gripper_threshold``), but not shut (something is between them).
    """
    travel = end_effector.gripper_threshold if finger_travel is None else finger_travel
    fingers = gripper_pos(env, end_effector)
    closing = (fingers < end_effector.gripper_open - travel).all(dim=-1)
    not_shut = (fingers > end_effector.gripper_threshold).all(dim=-1)
    near = eef_near_object(env, end_effector, object_cfg, grasp_point, threshold)
    return near * (closing & not_shut).float()


def object_lifted(
    env: ManagerBasedRLEnv,
    end_effector: EndEffectorCfg,
    object_cfg: SceneEntityCfg,
    grasp_point: tuple[float, float, float],
    height: float = 0.05,
    finger_travel: float | None = None,
) -> torch.Tensor:
    """1 where the object is held (:func:`object_grasped`) ``height`` m above its reset height, (N,)."""
    obj = env.scene[object_cfg.name]
    rest_z = env.scene.env_origins[:, 2] + obj.cfg.init_state.pos[2]
    raised = obj.data.root_pos_w.torch[:, 2] > rest_z + height
    return raised.float() * object_grasped(env, end_effector, object_cfg, grasp_point, finger_travel=finger_travel)
