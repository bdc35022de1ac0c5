"""The organizer's scripted pick-and-place expert, for relative end-effector actions ``[dpos, drot, gripper]``
(:class:`PickPlaceExpert`) and absolute ones ``[pos, quat, gripper]`` (:class:`PickPlacePoseExpert`).

The task declares it in its registration (``scripted_expert_entry_point``); ``mimic-tasks record`` and
``expert`` build it with :func:`isaaclab_mimic_tasks.envs.scripted_expert_class`. Its object, container and grasp
point come from the env cfg's ``task_objects`` (:meth:`PickPlaceExpertCfg.for_task`), so a task retargeted to
another object is driven without a new expert.

It plays the role of a teleop device (``reset()`` / ``advance()``), but for every environment at once:
``advance()`` reads the simulation state and returns one action per environment. Each environment
runs its own phase machine: approach above the grasp point, descend, close, lift, carry above the
container, lower, release, retreat.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import IntEnum

import isaaclab.utils.math as math_utils
import torch

from . import mdp
from .organizer_env_cfg import GRASP_POINT, GRASP_POINTS


class Phase(IntEnum):
    APPROACH = 0
    DESCEND = 1
    CLOSE = 2
    LIFT = 3
    CARRY = 4
    LOWER = 5
    RELEASE = 6
    RETREAT = 7


@dataclass
class PickPlaceExpertCfg:
    """Waypoint heights (m, in the robot base frame) and controller limits."""

    object_name: str = "ketchup"
    container_name: str = "basket"
    grasp_point: tuple[float, float, float] = GRASP_POINT
    """Where the fingers close, in the object frame."""
    hover_height: float = 0.10
    """Height above the grasp point to approach from."""
    grasp_depth: float = 0.0
    """Grasp-point height correction (m; negative: grip lower on the object)."""
    carry_height: float = 0.2
    """Height of the carry (clears the distractors)."""
    release_height: float = 0.13
    """End-effector height above the container origin at release."""
    max_step: float = 0.05
    """Largest position step per action (m)."""
    max_rot_step: float = 0.1
    """Largest rotation step per action (rad)."""
    tolerance: float = 0.006
    """Distance (m) at which a fine waypoint (descend) counts as reached."""
    coarse_tolerance: float = 0.015
    """Distance (m) at which a transit waypoint counts as reached."""
    settle_steps: int = 0
    """Steps the open hand holds at the grasp point before closing (spaces the grasp signal's rise from reach's)."""
    close_steps: int = 8
    release_steps: int = 6
    phase_timeout: int = 80
    """Steps after which a phase moves on even if its waypoint was not reached."""

    @classmethod
    def for_task(cls, env_cfg) -> PickPlaceExpertCfg:
        """The settings for the task ``env_cfg`` declares: its ``task_objects``, the object's grasp point and any
        per-object setting of :data:`OBJECT_SETTINGS`."""
        target = env_cfg.task_objects["object"]
        return replace(
            cls(),
            object_name=target,
            container_name=env_cfg.task_objects["container"],
            grasp_point=GRASP_POINTS[target],
            **OBJECT_SETTINGS.get(target, {}),
        )


OBJECT_SETTINGS = {
    "orange_juice": {"carry_height": 0.3, "release_height": 0.16, "settle_steps": 4},
}
"""Settings that differ per object from :class:`PickPlaceExpertCfg`'s defaults. The 13 cm carton stands: held 2.6 cm
below its top, it hangs about 10 cm below the tool point, so it is carried and released higher than the ketchup.
Its grasp point is reached soon after the reach signal rises (as few as 5 steps, which Mimic's subtask offsets
(3, 8) do not allow), so the hand settles there before closing."""


class PickPlaceExpert:
    """Batched scripted expert for the desktop-organizer task family (see module docstring).

    Its phases follow the task's subtasks: APPROACH and DESCEND end at ``reach``, CLOSE at ``grasp``, LIFT at
    ``lift``, CARRY brings the object above the container, LOWER and RELEASE ``place`` it. A new subtask whose
    motion is one of these (e.g. "above the basket", reached at the end of CARRY) needs no change here; one
    that needs a new motion needs a new phase and its waypoint in :meth:`advance`.
    """

    def __init__(self, env, cfg: PickPlaceExpertCfg | None = None):
        self.env = env.unwrapped
        self.cfg = cfg or PickPlaceExpertCfg.for_task(self.env.cfg)
        (self.end_effector,) = self.env.cfg.end_effectors.values()  # a one-arm robot: its one end effector
        n, device = self.env.num_envs, self.env.device
        self.phase = torch.zeros(n, dtype=torch.long, device=device)
        self.phase_steps = torch.zeros(n, dtype=torch.long, device=device)
        self.target_quat = torch.zeros(n, 4, device=device)
        self.place_offset = torch.zeros(n, 2, device=device)
        """Per-env xy offset (m) of the release point from the container centre (e.g. to drop beside it)."""

    def reset(self, env_ids: torch.Tensor | None = None) -> None:
        """Start the given environments (default: all) from the first phase, keeping their current hand orientation."""
        if env_ids is None:
            env_ids = torch.arange(self.env.num_envs, device=self.env.device)
        self.phase[env_ids] = Phase.APPROACH
        self.phase_steps[env_ids] = 0
        self.target_quat[env_ids] = mdp.eef_pose(self.env, self.end_effector)[1][env_ids]

    def _grasp_point(self) -> tuple[torch.Tensor, torch.Tensor]:
        """Grasp point and object centre, (N, 3) each, in the robot base frame."""
        pose = mdp.object_pose(self.env, mdp.SceneEntityCfg(self.cfg.object_name))
        offset = torch.tensor(self.cfg.grasp_point, device=self.env.device).expand(self.env.num_envs, 3)
        point = pose[:, :3] + math_utils.quat_apply(pose[:, 3:], offset)
        point[:, 2] += self.cfg.grasp_depth
        return point, pose[:, :3]

    def advance(self) -> torch.Tensor:
        """Actions for every environment, (num_envs, action dim) (:meth:`action`); advances each environment's phase
        machine."""
        cfg = self.cfg
        eef_pos, eef_quat = mdp.eef_pose(self.env, self.end_effector)
        grasp, object_center = self._grasp_point()
        # carry the object's centre (not the gripper) over the container's centre
        container = mdp.object_pose(self.env, mdp.SceneEntityCfg(cfg.container_name))[:, :3]
        container[:, :2] += (grasp - object_center)[:, :2] + self.place_offset

        target = eef_pos.clone()
        gripper = torch.ones(self.env.num_envs, device=self.env.device)  # +1 open, -1 close
        p = self.phase
        hover = grasp + torch.tensor([0.0, 0.0, cfg.hover_height], device=grasp.device)
        above_container = container.clone()
        above_container[:, 2] = cfg.carry_height
        lowered = container.clone()
        lowered[:, 2] += cfg.release_height
        lifted = eef_pos.clone()
        lifted[:, 2] = cfg.carry_height

        waypoints = {
            Phase.APPROACH: (hover, 1.0, cfg.coarse_tolerance),
            Phase.DESCEND: (grasp, 1.0, cfg.tolerance),
            Phase.CLOSE: (grasp, -1.0, None),
            Phase.LIFT: (lifted, -1.0, cfg.coarse_tolerance),
            Phase.CARRY: (above_container, -1.0, cfg.coarse_tolerance),
            Phase.LOWER: (lowered, -1.0, cfg.coarse_tolerance),
            Phase.RELEASE: (lowered, 1.0, None),
            Phase.RETREAT: (above_container, 1.0, None),
        }
        done = torch.zeros_like(p, dtype=torch.bool)
        for phase, (waypoint, grip, tolerance) in waypoints.items():
            mask = p == phase
            if not mask.any():
                continue
            target[mask] = waypoint[mask]
            gripper[mask] = grip
            if tolerance is not None:
                reached = torch.linalg.vector_norm(waypoint - eef_pos, dim=-1) < tolerance
                done |= mask & reached
        gripper[(p == Phase.CLOSE) & (self.phase_steps < cfg.settle_steps)] = 1.0  # settling: still open
        # the lift target keeps the current xy, so only its height decides
        done |= (p == Phase.LIFT) & (eef_pos[:, 2] > cfg.carry_height - cfg.coarse_tolerance)
        done |= (p == Phase.CLOSE) & (self.phase_steps >= cfg.settle_steps + cfg.close_steps)
        done |= (p == Phase.RELEASE) & (self.phase_steps >= cfg.release_steps)
        done |= (p != Phase.RETREAT) & (self.phase_steps >= cfg.phase_timeout)

        delta = target - eef_pos
        norm = torch.linalg.vector_norm(delta, dim=-1, keepdim=True)
        delta = delta * torch.clamp(cfg.max_step / norm.clamp_min(1e-9), max=1.0)
        rot = math_utils.axis_angle_from_quat(math_utils.quat_mul(self.target_quat, math_utils.quat_inv(eef_quat)))
        rot_norm = torch.linalg.vector_norm(rot, dim=-1, keepdim=True)
        rot = rot * torch.clamp(cfg.max_rot_step / rot_norm.clamp_min(1e-9), max=1.0)

        self.phase_steps += 1
        self.phase_steps[done] = 0
        self.phase[done] = torch.clamp(self.phase[done] + 1, max=Phase.RETREAT)
        return self.action(eef_pos, eef_quat, delta, rot, gripper[:, None])

    def action(self, eef_pos, eef_quat, delta, rot, gripper) -> torch.Tensor:
        """The action that moves the tool point (at ``eef_pos``, ``eef_quat``) by ``delta`` and turns it by ``rot``
        (axis-angle): relative, ``[delta, rot, gripper]``."""
        return torch.cat([delta, rot, gripper], dim=-1)


class PickPlacePoseExpert(PickPlaceExpert):
    """:class:`PickPlaceExpert` for absolute end-effector actions ``[pos, quat (x, y, z, w), gripper]``: each step
    it emits the pose it steers the tool point to, the one the relative expert's action makes the IK target."""

    def action(self, eef_pos, eef_quat, delta, rot, gripper) -> torch.Tensor:
        """The target pose ``delta`` and ``rot`` lead to, as the relative IK computes it."""
        target_pos, target_quat = math_utils.apply_delta_pose(eef_pos, eef_quat, torch.cat([delta, rot], dim=-1))
        return torch.cat([target_pos, target_quat, gripper], dim=-1)
