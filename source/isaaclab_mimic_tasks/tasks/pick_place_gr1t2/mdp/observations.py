"""Observation terms and subtask signals of the GR1T2 pick-and-place task. Poses are in the env frame (the frame of
the wrist-pose action); signals return a (num_envs,) tensor of 0/1."""

from __future__ import annotations

from typing import TYPE_CHECKING

import isaaclab.utils.math as math_utils
import torch
from isaaclab.managers import SceneEntityCfg

from .hand import hand_closure

if TYPE_CHECKING:
    from isaaclab.envs import ManagerBasedRLEnv

__all__ = ["object_in_hand", "object_lifted_in_hand", "object_obs", "wrist_pos", "wrist_quat"]


def wrist_pos(env: ManagerBasedRLEnv, frame: str, asset_cfg: SceneEntityCfg = SceneEntityCfg("robot")) -> torch.Tensor:
    """Position of the robot body ``frame`` in the env frame, (N, 3)."""
    robot = env.scene[asset_cfg.name]
    return robot.data.body_pos_w.torch[:, robot.data.body_names.index(frame)] - env.scene.env_origins


def wrist_quat(env: ManagerBasedRLEnv, frame: str, asset_cfg: SceneEntityCfg = SceneEntityCfg("robot")) -> torch.Tensor:
    """Orientation (x, y, z, w) of the robot body ``frame``, (N, 4)."""
    robot = env.scene[asset_cfg.name]
    return robot.data.body_quat_w.torch[:, robot.data.body_names.index(frame)]


def object_obs(env: ManagerBasedRLEnv, left_frame: str, right_frame: str, object_cfg: SceneEntityCfg) -> torch.Tensor:
    """The stock ``object`` observation: object position and quaternion (env frame), then the vectors from the
    left and the right wrist to the object, (N, 13)."""
    obj = env.scene[object_cfg.name]
    pos = obj.data.root_pos_w.torch - env.scene.env_origins
    to_object = [pos - wrist_pos(env, frame) for frame in (left_frame, right_frame)]
    return torch.cat([pos, obj.data.root_quat_w.torch, *to_object], dim=-1)


def _grasp_point(env: ManagerBasedRLEnv, frame: str, grasp_point: tuple[float, float, float]) -> torch.Tensor:
    point = torch.tensor(grasp_point, device=env.device).expand(env.num_envs, 3)
    return wrist_pos(env, frame) + math_utils.quat_apply(wrist_quat(env, frame), point)


def object_in_hand(
    env: ManagerBasedRLEnv,
    frame: str,
    side: str,
    grasp_point: tuple[float, float, float],
    object_cfg: SceneEntityCfg,
    min_closure: float = 0.4,
    threshold: float = 0.035,
) -> torch.Tensor:
    """1 where the hand ``side`` has closed (past ``min_closure``) with the object's centre within ``threshold``
    m of its ``grasp_point`` (the object centre's place in the wrist ``frame`` when grasped), (N,)."""
    robot = env.scene["robot"]
    closed = hand_closure(robot.data.joint_pos.torch, side, robot.data.joint_names) > min_closure
    obj = env.scene[object_cfg.name].data.root_pos_w.torch - env.scene.env_origins
    near = torch.linalg.vector_norm(obj - _grasp_point(env, frame, grasp_point), dim=-1) < threshold
    return (closed & near).float()


def object_lifted_in_hand(
    env: ManagerBasedRLEnv,
    frame: str,
    side: str,
    grasp_point: tuple[float, float, float],
    object_cfg: SceneEntityCfg,
    height: float = 0.05,
) -> torch.Tensor:
    """1 where the object is held in the hand ``height`` m above its reset height, (N,)."""
    obj = env.scene[object_cfg.name]
    raised = obj.data.root_pos_w.torch[:, 2] - env.scene.env_origins[:, 2] > obj.cfg.init_state.pos[2] + height
    return raised.float() * object_in_hand(env, frame, side, grasp_point, object_cfg)
