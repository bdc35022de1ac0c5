"""Declarations a task's env cfg makes about itself, read by its MDP terms (as term params) and by shared code."""

from __future__ import annotations

from dataclasses import MISSING

from isaaclab.managers import SceneEntityCfg
from isaaclab.utils import configclass


@configclass
class EndEffectorCfg:
    """An end effector: the body the IK action moves, the tool point on it, and its gripper joints.

    A task declares each of its robot's end effectors under the name its Mimic cfg's ``subtask_configs`` uses
    (:meth:`~isaaclab_mimic_tasks.tasks.common.TaskEnvCfg.set_end_effector`).
    """

    body: SceneEntityCfg = MISSING
    """The robot and its end-effector body, e.g. ``SceneEntityCfg("robot", body_names=["panda_hand"])``."""
    offset: tuple[float, float, float] = (0.0, 0.0, 0.0)
    """Tool point in the body frame (the frame the IK action tracks)."""
    gripper: SceneEntityCfg = MISSING
    """The robot and its gripper joints, e.g. ``SceneEntityCfg("robot", joint_names=["panda_finger_joint.*"])``."""
    gripper_open: float | None = None
    """Gripper joint position when fully open; None for a hand whose joints open along a posture rather than to one
    position (the GR1T2's Fourier hands: ``mdp.hand_posture``)."""
    gripper_threshold: float = 0.005
    """Distance (joint units) from open or shut below which the gripper counts as open or shut."""


@configclass
class ObjectPlacementCfg:
    """Reset ranges of a task's objects, the one place to change randomization (read by ``mdp.place_objects``).

    A task subclasses it with one entry per object it places: uniform offsets around the object's nominal pose,
    ``{"x": (low, high), "y": ..., "yaw": ...}`` (m, m, rad; a missing key means no offset).
    """

    min_separation: float = MISSING
    """Least distance (m) between object centres; an object is redrawn until it keeps it."""
    robot_clearance: float = MISSING
    """Least distance (m) of an object centre from the robot base (the env origin in the table plane)."""


@configclass
class CameraViewCfg:
    """Where a camera looks from: both points in the env frame (m), or, with ``follow``, offsets from a body."""

    eye: tuple[float, float, float] = (1.5, -0.8, 1.05)
    target: tuple[float, float, float] = (0.35, 0.03, 0.22)
    follow: SceneEntityCfg | None = None
    """A body the view moves with (e.g. ``SceneEntityCfg("robot", body_names=["panda_hand"])``): ``eye`` and
    ``target`` are then offsets from its position, along the world axes."""


def fill_term_params(env_cfg, name: str, value, only_missing: bool = False) -> list[str]:
    """Set the param ``name`` to ``value`` in every observation, termination and event term that has it (with
    ``only_missing``: only where it is ``MISSING``, so terms that name another entity keep it).

    A robot subclass declares e.g. its :class:`EndEffectorCfg` once; every term that takes ``end_effector``
    gets it. Returns the names of the terms it set (``group.term``).
    """
    groups = {"terminations": env_cfg.terminations, "events": env_cfg.events}
    for group_name, group in vars(env_cfg.observations).items():
        if group is not None and not group_name.startswith("_"):
            groups[f"observations.{group_name}"] = group
    filled = []
    for group_name, group in groups.items():
        for term_name, term in vars(group).items():
            params = getattr(term, "params", None)
            if isinstance(params, dict) and name in params:
                if only_missing and type(params[name]) is not type(MISSING):  # a deep copy of MISSING: its type
                    continue
                params[name] = value
                filled.append(f"{group_name}.{term_name}")
    return filled
