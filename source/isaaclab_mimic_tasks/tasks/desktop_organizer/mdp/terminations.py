"""Termination terms."""

from __future__ import annotations

from typing import TYPE_CHECKING

import torch

from isaaclab.managers import SceneEntityCfg

from .observations import eef_near_object, gripper_pos, object_in_region

if TYPE_CHECKING:
    from isaaclab.envs import ManagerBasedRLEnv

__all__ = ["object_placed_in_container", "object_off_table"]


def object_placed_in_container(
    env: ManagerBasedRLEnv,
    object_cfg: SceneEntityCfg = SceneEntityCfg("ketchup"),
    container_cfg: SceneEntityCfg = SceneEntityCfg("basket"),
) -> torch.Tensor:
    """Success: the object rests inside the container region and the gripper has let go of it."""
    inside = object_in_region(env, object_cfg, container_cfg).bool()
    released = (gripper_pos(env) > env.cfg.gripper_open_val - env.cfg.gripper_threshold).all(dim=-1)
    away = ~eef_near_object(env, threshold=0.03, object_cfg=object_cfg).bool()
    return inside & (released | away)


def object_off_table(
    env: ManagerBasedRLEnv,
    minimum_height: float = -0.05,
    object_cfg: SceneEntityCfg = SceneEntityCfg("ketchup"),
) -> torch.Tensor:
    """The object fell below the table top (``minimum_height`` m under the env origin)."""
    obj = env.scene[object_cfg.name]
    return obj.data.root_pos_w.torch[:, 2] < env.scene.env_origins[:, 2] + minimum_height
