"""Termination terms."""

from __future__ import annotations

from typing import TYPE_CHECKING

import torch
from isaaclab.managers import SceneEntityCfg

from isaaclab_mimic_tasks.tasks.common.mdp import object_in_region, object_speed

from .observations import eef_near_object, gripper_open

if TYPE_CHECKING:
    from isaaclab.envs import ManagerBasedRLEnv

    from isaaclab_mimic_tasks.tasks.common import EndEffectorCfg

__all__ = ["object_off_table", "object_placed_in_container"]


def object_placed_in_container(
    env: ManagerBasedRLEnv,
    end_effector: EndEffectorCfg,
    object_cfg: SceneEntityCfg,
    container_cfg: SceneEntityCfg,
    region: tuple[tuple[float, float, float], tuple[float, float, float]],
    grasp_point: tuple[float, float, float],
    max_speed: float = 0.05,
) -> torch.Tensor:
    """Success: the object is inside the container's ``region``, at rest (slower than ``max_speed`` m/s), and the
    gripper has let go of it.

    Without the speed bound the term fired as the object fell into the region: demos ended with it still falling.
    """
    inside = object_in_region(env, object_cfg, container_cfg, region).bool()
    resting = object_speed(env, object_cfg) < max_speed
    away = ~eef_near_object(env, end_effector, object_cfg, grasp_point, threshold=0.03).bool()
    return inside & resting & (gripper_open(env, end_effector) | away)


def object_off_table(env: ManagerBasedRLEnv, object_cfg: SceneEntityCfg, minimum_height: float = -0.05) -> torch.Tensor:
    """The object fell below the table top (``minimum_height`` m under the env origin)."""
    obj = env.scene[object_cfg.name]
    return obj.data.root_pos_w.torch[:, 2] < env.scene.env_origins[:, 2] + minimum_height
