"""Reset events: object placement from the ranges in ``env.cfg.placement``, which every task declares (the task
contract's :class:`~isaaclab_mimic_tasks.tasks.common.ObjectPlacementCfg`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import isaaclab.utils.math as math_utils
import torch

if TYPE_CHECKING:
    from isaaclab.envs import ManagerBasedRLEnv

__all__ = ["place_objects"]

_MAX_TRIES = 100


def _sample(ranges: dict[str, tuple[float, float]], key: str, n: int, device) -> torch.Tensor:
    low, high = ranges.get(key, (0.0, 0.0))
    return torch.rand(n, device=device) * (high - low) + low


def place_objects(env: ManagerBasedRLEnv, env_ids: torch.Tensor, object_names: list[str]) -> None:
    """Place each object at its ``init_state`` pose plus an offset drawn from ``env.cfg.placement``.

    ``env.cfg.placement.<name>`` holds uniform ranges for ``x``, ``y`` (m) and ``yaw`` (rad) around the
    object's nominal pose. Objects are placed in the listed order; an object is redrawn (up to 100 times)
    while its centre is closer than ``env.cfg.placement.min_separation`` to an object already placed or
    than ``env.cfg.placement.robot_clearance`` to the robot base, so later (wider-range) objects make room
    for earlier ones. Reading the ranges at reset time keeps them in one place and overridable.

    The ranges are read from the env cfg, not taken as a term param, on purpose: Isaac Lab's managers deep-copy
    their term params, so a range changed in ``env.cfg.placement`` (before or after the env is made) would not
    reach a param copy.
    """
    if env_ids is None or isinstance(env_ids, slice):
        env_ids = torch.arange(env.num_envs, device=env.device)
    n = len(env_ids)
    placement = env.cfg.placement
    origins = env.scene.env_origins[env_ids]
    placed_xy: list[torch.Tensor] = []
    for name in object_names:
        obj = env.scene[name]
        ranges = getattr(placement, name)
        nominal = torch.tensor(obj.cfg.init_state.pos, device=env.device)
        xy = torch.zeros(n, 2, device=env.device)
        todo = torch.ones(n, dtype=torch.bool, device=env.device)
        for _ in range(_MAX_TRIES):
            k = int(todo.sum())
            if k == 0:
                break
            candidate = torch.stack([_sample(ranges, "x", k, env.device), _sample(ranges, "y", k, env.device)], -1)
            candidate += nominal[:2]
            ok = torch.linalg.vector_norm(candidate, dim=-1) >= placement.robot_clearance
            for other in placed_xy:
                ok &= torch.linalg.vector_norm(candidate - other[todo], dim=-1) >= placement.min_separation
            # every pending env takes the draw; ranges too tight to separate keep their last one
            idx = todo.nonzero().squeeze(-1)
            xy[idx] = candidate
            todo[idx[ok]] = False
        placed_xy.append(xy)

        yaw = _sample(ranges, "yaw", n, env.device)
        yaw_quat = math_utils.quat_from_euler_xyz(torch.zeros_like(yaw), torch.zeros_like(yaw), yaw)
        nominal_quat = torch.tensor(obj.cfg.init_state.rot, device=env.device).expand(n, 4)
        pos_w = origins + torch.cat([xy, nominal[2:].expand(n, 1)], dim=-1)
        quat_w = math_utils.quat_mul(yaw_quat, nominal_quat)
        obj.write_root_pose_to_sim_index(root_pose=torch.cat([pos_w, quat_w], -1), env_ids=env_ids)
        obj.write_root_velocity_to_sim_index(root_velocity=torch.zeros(n, 6, device=env.device), env_ids=env_ids)
