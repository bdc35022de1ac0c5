"""The GR1T2 pick-and-place scripted expert, for the absolute 36-D action (left wrist, right wrist, 22 hand joints).

The task declares it in its registration (``scripted_expert_entry_point``); ``mimic-tasks record`` and
``expert`` build it with :func:`isaaclab_mimic_tasks.envs.scripted_expert_class`. Like the organizer's, it
works for every environment at once (``reset()`` / ``advance()``), each with its own phase machine:

PRE      the right wrist turns to the grasp orientation and moves beside the can (on its right, a little higher),
         hand open with the thumb along the index;
APPROACH the wrist slides to the grasp pose (the can then sits at ``GRASP_POINT`` in the wrist frame);
THUMB    the thumb swings across the palm;
CLOSE    fingers and thumb close to ``HAND_CLOSED``;
LIFT     the can is raised above the basket's rim;
CARRY    the can is carried above the basket;
LOWER    the can is lowered into the basket, as deep as the hand clears the rim;
RELEASE  the hand opens and the can drops the last few centimetres;
RETREAT  the wrist backs away.

The left wrist holds its start pose; its hand stays open.

Each wrist action is the current phase's waypoint itself, not the next small step toward it: the task's action
term limits how far a wrist moves per step (``max_wrist_step``, ``max_wrist_rotation_step``). A policy cloned from
waypoint actions learns where to go; one cloned from next-step actions learned to copy the current pose
(robomimic BC stood still, BC-RNN ran away along its own motion).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import IntEnum

import isaaclab.utils.math as math_utils
import torch

from isaaclab_mimic_tasks.assets.gr1t2 import HAND_JOINT_NAMES

from . import mdp
from .pickplace_gr1t2_env_cfg import CAN_HALF_HEIGHT, GRASP_POINT, GRASP_TILT, IDLE_WRIST_POSES, WRIST_FRAMES


class Phase(IntEnum):
    PRE = 0
    APPROACH = 1
    THUMB = 2
    CLOSE = 3
    LIFT = 4
    CARRY = 5
    LOWER = 6
    RELEASE = 7
    RETREAT = 8


@dataclass
class GR1T2PickPlaceExpertCfg:
    """Waypoints (m, env frame) and rate limits."""

    approach_offset: tuple[float, float, float] = (0.06, 0.0, 0.03)
    """Wrist offset of the PRE waypoint from the grasp pose: beside the can, away from the palm, a little higher."""
    carry_clearance: float = 0.04
    """Height (m) of the can's bottom above the basket's rim while lifted and carried."""
    basket_rim: float = 0.141
    """Height of the basket's rim above its origin."""
    release_depth: float = 0.02
    """Depth (m) of the can's bottom below the rim at release: the hand, around the can's upper half, still clears
    the rim; the can then falls about 10 cm instead of 15 and stays upright."""
    retreat_offset: tuple[float, float, float] = (0.05, -0.05, 0.05)
    closure_step: float = 0.15
    """Largest change of the hand closure per action."""
    tolerance: float = 0.006
    """Distance (m) at which the APPROACH waypoint counts as reached."""
    coarse_tolerance: float = 0.015
    """Distance (m) at which a transit waypoint counts as reached."""
    hold_steps: int = 4
    """Steps a hand posture is held before the next phase (the fingers settle)."""
    dwell_steps: int = 2
    """Steps a wrist waypoint is held once reached before the next phase: slack for Mimic's replays, whose
    wrist may arrive a step or two later than the source's did."""
    phase_timeout: int = 80
    """Steps after which a phase moves on even if its waypoint was not reached."""


class GR1T2PickPlaceExpert:
    """Batched scripted expert for the GR1T2 pick-and-place task (see the module docstring)."""

    def __init__(self, env, cfg: GR1T2PickPlaceExpertCfg | None = None):
        self.env = env.unwrapped
        self.cfg = cfg or GR1T2PickPlaceExpertCfg()
        n, device = self.env.num_envs, self.env.device
        self.phase = torch.zeros(n, dtype=torch.long, device=device)
        self.phase_steps = torch.zeros(n, dtype=torch.long, device=device)
        self.closure = torch.full((n,), mdp.HAND_OPEN, device=device)
        self.hold = torch.zeros(n, dtype=torch.long, device=device)
        """Steps the current hand posture (or wrist waypoint) has been held."""
        idle = IDLE_WRIST_POSES["right"]
        tilt = math_utils.quat_from_euler_xyz(
            torch.tensor([-math.radians(GRASP_TILT)]), torch.zeros(1), torch.zeros(1)
        ).to(device)
        self.grasp_quat = math_utils.quat_mul(tilt, torch.tensor([idle[3:]], device=device)).expand(n, 4)
        self.left_pose = torch.tensor([IDLE_WRIST_POSES["left"]], device=device).expand(n, 7)
        self.grasp_point = torch.tensor(GRASP_POINT, device=device).expand(n, 3)
        self.place_offset = torch.zeros(n, 2, device=device)
        """Per-env xy offset (m) of the release point from the basket centre (e.g. to drop the can beside it)."""

    def reset(self, env_ids: torch.Tensor | None = None) -> None:
        """Start the given environments (default: all) from the first phase, hand open."""
        if env_ids is None:
            env_ids = torch.arange(self.env.num_envs, device=self.env.device)
        self.phase[env_ids] = Phase.PRE
        self.phase_steps[env_ids] = 0
        self.closure[env_ids] = mdp.HAND_OPEN
        self.hold[env_ids] = 0

    def _wrist_for_can(self, can_center: torch.Tensor) -> torch.Tensor:
        """Wrist position that puts the grasped can's centre at ``can_center``, (N, 3)."""
        return can_center - math_utils.quat_apply(self.grasp_quat, self.grasp_point)

    def advance(self) -> torch.Tensor:
        """Actions for every environment, (num_envs, 36); advances each environment's phase machine."""
        cfg, env = self.cfg, self.env
        n, device = env.num_envs, env.device
        wrist = mdp.wrist_pos(env, WRIST_FRAMES["right"])
        quat = mdp.wrist_quat(env, WRIST_FRAMES["right"])
        objects = env.cfg.task_objects  # the can and the basket, as the task declares them
        can = env.scene[objects["object"]].data.root_pos_w.torch - env.scene.env_origins
        basket = env.scene[objects["container"]].data.root_pos_w.torch - env.scene.env_origins
        carry_z = basket[:, 2] + cfg.basket_rim + cfg.carry_clearance + CAN_HALF_HEIGHT

        grasp = self._wrist_for_can(can)
        lifted_can = can.clone()
        lifted_can[:, 2] = carry_z
        above_basket = basket.clone()
        above_basket[:, :2] += self.place_offset
        above_basket[:, 2] = carry_z
        in_basket = above_basket.clone()
        in_basket[:, 2] = basket[:, 2] + cfg.basket_rim - cfg.release_depth + CAN_HALF_HEIGHT
        release_wrist = self._wrist_for_can(in_basket)
        offsets = {
            key: torch.tensor(value, device=device)
            for key, value in (("pre", cfg.approach_offset), ("retreat", cfg.retreat_offset))
        }
        waypoints = {  # phase: (wrist waypoint, hand closure, tolerance or None)
            Phase.PRE: (grasp + offsets["pre"], mdp.HAND_OPEN, cfg.coarse_tolerance),
            Phase.APPROACH: (grasp, mdp.HAND_OPEN, cfg.tolerance),
            Phase.THUMB: (grasp, mdp.HAND_READY, None),
            Phase.CLOSE: (grasp, mdp.HAND_CLOSED, None),
            Phase.LIFT: (self._wrist_for_can(lifted_can), mdp.HAND_CLOSED, cfg.coarse_tolerance),
            Phase.CARRY: (self._wrist_for_can(above_basket), mdp.HAND_CLOSED, cfg.coarse_tolerance),
            Phase.LOWER: (release_wrist, mdp.HAND_CLOSED, cfg.coarse_tolerance),
            Phase.RELEASE: (release_wrist, mdp.HAND_OPEN, None),
            Phase.RETREAT: (release_wrist + offsets["retreat"], mdp.HAND_OPEN, None),
        }
        target = wrist.clone()
        closure_goal = torch.empty(n, device=device)
        done = torch.zeros(n, dtype=torch.bool, device=device)
        reached = torch.zeros(n, dtype=torch.bool, device=device)
        for phase, (waypoint, closure, tolerance) in waypoints.items():
            mask = self.phase == phase
            if not mask.any():
                continue
            target[mask] = waypoint[mask]
            closure_goal[mask] = closure
            if tolerance is not None:
                reached |= mask & (torch.linalg.vector_norm(waypoint - wrist, dim=-1) < tolerance)
        # the hand phases end once the posture is reached and held; PRE and APPROACH once the waypoint is reached
        # and held (the other wrist phases as soon as it is reached)
        hand_phase = (self.phase == Phase.THUMB) | (self.phase == Phase.CLOSE) | (self.phase == Phase.RELEASE)
        dwell_phase = (self.phase == Phase.PRE) | (self.phase == Phase.APPROACH)
        posture_held = (self.closure - closure_goal).abs() < 1e-6
        holding = (hand_phase & posture_held) | (dwell_phase & reached)
        self.hold = torch.where(holding, self.hold + 1, torch.zeros_like(self.hold))
        done |= hand_phase & (self.hold >= cfg.hold_steps)
        done |= dwell_phase & (self.hold > cfg.dwell_steps)
        done |= reached & ~dwell_phase
        # the turn must be done before the hand closes in beside the can
        aligned = math_utils.quat_error_magnitude(quat, self.grasp_quat) < 0.05
        done &= (self.phase != Phase.PRE) | aligned
        done |= (self.phase != Phase.RETREAT) & (self.phase_steps >= cfg.phase_timeout)

        self.closure += torch.clamp(closure_goal - self.closure, -cfg.closure_step, cfg.closure_step)

        self.phase_steps += 1
        self.phase_steps[done] = 0
        self.hold[done] = 0
        self.phase[done] = torch.clamp(self.phase[done] + 1, max=Phase.RETREAT)
        hands = mdp.hand_posture(self.closure, "R", HAND_JOINT_NAMES)
        return torch.cat([self.left_pose, target, self.grasp_quat, hands], dim=-1)
