"""Termination terms several tasks share."""

from __future__ import annotations

import torch

__all__ = ["physics_failure"]


def physics_failure(env) -> torch.Tensor:
    """Per environment: the last step overflowed a contact or constraint buffer of the physics, or left a non-finite
    joint state or object pose (:func:`~isaaclab_mimic_tasks.tasks.common.physics_monitor.physics_failures`, which
    also logs one line per failure). The attempt cannot be trusted from there on: end it."""
    from isaaclab_mimic_tasks.tasks.common.physics_monitor import physics_failures

    failed = torch.zeros(env.num_envs, dtype=torch.bool, device=env.device)
    ids = list(physics_failures(env))
    if ids:
        failed[ids] = True
    return failed
