"""Termination terms of the GR1T2 pick-and-place task."""

from __future__ import annotations

from typing import TYPE_CHECKING

import torch
from isaaclab.managers import SceneEntityCfg

from isaaclab_mimic_tasks.tasks.common.mdp import object_in_region, object_speed

from .observations import object_in_hand

if TYPE_CHECKING:
    from isaaclab.envs import ManagerBasedRLEnv

__all__ = ["object_below", "object_resting_in_container"]


def object_resting_in_container(
    env: ManagerBasedRLEnv,
    object_cfg: SceneEntityCfg,
    container_cfg: SceneEntityCfg,
    region: tuple[tuple[float, float, float], tuple[float, float, float]],
    frame: str,
    side: str,
    grasp_point: tuple[float, float, float],
    max_speed: float = 0.05,
) -> torch.Tensor:
    """Success: the object is inside the container's ``region``, at rest (slower than ``max_speed`` m/s), and the
    hand has let go of it."""
    inside = object_in_region(env, object_cfg, container_cfg, region).bool()
    resting = object_speed(env, object_cfg) < max_speed
    released = ~object_in_hand(env, frame, side, grasp_point, object_cfg).bool()
    return inside & resting & released


def object_below(env: ManagerBasedRLEnv, object_cfg: SceneEntityCfg, minimum_height: float) -> torch.Tensor:
    """The object fell below ``minimum_height`` (m, env frame): off the table."""
    obj = env.scene[object_cfg.name]
    return obj.data.root_pos_w.torch[:, 2] - env.scene.env_origins[:, 2] < minimum_height
