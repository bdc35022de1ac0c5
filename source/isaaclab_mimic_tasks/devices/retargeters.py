"""Retargeters: from a device's Se3 command to a robot's action (Isaac Lab's ``RetargeterBase`` interface).

:class:`BimanualWristRetargeter` drives a two-armed robot with absolute wrist-pose actions (the GR1T2's
``[left pose(7), right pose(7), hand joints]``) from one Se3 device: the increments move the *active* wrist's
target, an absolute pose integrated from them and clamped to a reachable box; the gripper toggle opens or closes
the active hand through the task's grasp posture; the other wrist and hand hold their targets.
:meth:`BimanualWristRetargeter.switch_hand` changes the active side (bound to a key by the recording session).

:class:`Se3PoseRetargeter` drives one arm with an absolute pose action (``[x, y, z, qx, qy, qz, qw, gripper]``, e.g.
the organizer's IK-Abs variant) from the same increments, integrated into a target that starts at the pose the robot
resets to and is clamped to a box.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import MISSING

import torch
from isaaclab.devices.retargeter_base import RetargeterBase, RetargeterCfg
from isaaclab.utils import configclass


def build_retargeters(cfg) -> list:
    """The retargeters ``cfg`` lists, built. Isaac Lab's factory passes them only to a ``class_type`` whose signature
    it can read, not to a lazily resolved ``"module:Class"`` string like ours."""
    with warnings.catch_warnings():  # 3.0 deprecates the retargeter interface its devices still take
        warnings.simplefilter("ignore", DeprecationWarning)
        return [retargeter_cfg.retargeter_type(retargeter_cfg) for retargeter_cfg in cfg.retargeters or []]


class BimanualWristRetargeter(RetargeterBase):
    """Se3 increments ``[dpos(3), drot axis-angle(3), gripper(+1 open / -1 closed)]`` -> bimanual absolute action.

    The action is ``[pose of side 0 (x, y, z, qx, qy, qz, qw), pose of side 1, hand joint targets]``; the hand
    joint targets are the sum of each side's ``hand_posture(closure, side, joint_names)`` (each side's posture
    leaves the other side's joints at 0).
    """

    def __init__(self, cfg: BimanualWristRetargeterCfg):
        with warnings.catch_warnings():  # Isaac Lab 3.0 deprecates the interface its devices still take
            warnings.simplefilter("ignore", DeprecationWarning)
            super().__init__(cfg)
        from isaaclab.utils.string import string_to_callable

        self.cfg = cfg
        self._posture: Callable = (
            string_to_callable(cfg.hand_posture) if isinstance(cfg.hand_posture, str) else cfg.hand_posture
        )
        self._low = torch.tensor(cfg.position_bounds[0], dtype=torch.float32)
        self._high = torch.tensor(cfg.position_bounds[1], dtype=torch.float32)
        yaw = torch.tensor(cfg.command_yaw, dtype=torch.float32)
        cos, sin = torch.cos(yaw), torch.sin(yaw)
        self._command_rotation = torch.tensor([[cos, -sin, 0.0], [sin, cos, 0.0], [0.0, 0.0, 1.0]])
        self.reset()

    def reset(self) -> None:
        """Targets back to the start poses, hands open, the first side active."""
        self.poses = torch.tensor([self.cfg.start_poses[side] for side in self.cfg.sides], dtype=torch.float32)
        self.closure = torch.full((len(self.cfg.sides),), self.cfg.hand_open)
        self.closed = [False] * len(self.cfg.sides)
        self.active = self.cfg.sides.index(self.cfg.first_active)
        self._last_gripper: float | None = None

    @property
    def active_side(self) -> str:
        return self.cfg.sides[self.active]

    def switch_hand(self) -> None:
        """Drive the other side from now on (its target stays where it was)."""
        self.active = (self.active + 1) % len(self.cfg.sides)

    def retarget(self, data: torch.Tensor) -> torch.Tensor:
        import isaaclab.utils.math as math_utils

        command = torch.as_tensor(data, dtype=torch.float32).reshape(-1).cpu()
        pose = self.poses[self.active]
        pose[:3] = torch.minimum(torch.maximum(pose[:3] + self._command_rotation @ command[:3], self._low), self._high)
        rotation = self._command_rotation @ command[3:6]
        angle = torch.linalg.norm(rotation)
        if angle > 0:
            turn = math_utils.quat_from_angle_axis(angle.reshape(1), (rotation / angle).reshape(1, 3))
            pose[3:7] = math_utils.quat_mul(turn, pose[3:7].reshape(1, 4)).reshape(4)  # about the fixed axes
        if len(command) > 6:
            gripper = float(command[6])
            # the device toggles one gripper state; a change of it toggles the active hand
            if self._last_gripper is not None and gripper != self._last_gripper:
                self.closed[self.active] = not self.closed[self.active]
            self._last_gripper = gripper
        goal = torch.tensor([self.cfg.hand_closed if closed else self.cfg.hand_open for closed in self.closed])
        self.closure += torch.clamp(goal - self.closure, -self.cfg.closure_step, self.cfg.closure_step)
        hands = sum(
            self._posture(self.closure[i].reshape(1), side_code, list(self.cfg.hand_joint_names))[0]
            for i, side_code in enumerate(self.cfg.hand_sides)
        )
        return torch.cat([self.poses.reshape(-1), hands]).to(self._sim_device)


@configclass
class BimanualWristRetargeterCfg(RetargeterCfg):
    """What the robot's task declares: its sides, start poses, reach box and grasp posture."""

    sides: tuple[str, ...] = ("left", "right")
    """Order of the wrist poses in the action."""
    hand_sides: tuple[str, ...] = ("L", "R")
    """Each side's code for ``hand_posture``."""
    first_active: str = "right"
    start_poses: dict[str, tuple[float, ...]] = MISSING
    """Wrist target (x, y, z, qx, qy, qz, qw) of each side at reset."""
    position_bounds: tuple[tuple[float, float, float], tuple[float, float, float]] = MISSING
    """Box (low, high) every wrist target position is clamped to."""
    command_yaw: float = 0.0
    """Yaw (rad) from the device's axes to the action's frame: pi/2 for a robot that faces +y."""
    hand_posture: Callable | str = MISSING
    """``f(closure (N,), side_code, joint_names) -> (N, len(joint_names))`` joint targets."""
    hand_joint_names: tuple[str, ...] = MISSING
    hand_open: float = -1.0
    hand_closed: float = 1.0
    closure_step: float = 0.15
    """Largest change of a hand's closure per step (the hand closes over a few steps)."""
    retargeter_type: type[RetargeterBase] = BimanualWristRetargeter


class Se3PoseRetargeter(RetargeterBase):
    """Se3 increments ``[dpos(3), drot axis-angle(3), gripper]`` -> ``[target pos(3), target quat(4), gripper]``."""

    def __init__(self, cfg: Se3PoseRetargeterCfg):
        with warnings.catch_warnings():  # Isaac Lab 3.0 deprecates the interface its devices still take
            warnings.simplefilter("ignore", DeprecationWarning)
            super().__init__(cfg)
        self.cfg = cfg
        self._low, self._high = (torch.tensor(bound, dtype=torch.float32) for bound in cfg.position_bounds)
        self.reset()

    def reset(self) -> None:
        """Target back to the start pose (where the robot's reset puts the tool point)."""
        self.pose = torch.tensor(self.cfg.start_pose, dtype=torch.float32)

    def retarget(self, data: torch.Tensor) -> torch.Tensor:
        import isaaclab.utils.math as math_utils

        command = torch.as_tensor(data, dtype=torch.float32).reshape(1, -1).cpu()
        pos, quat = math_utils.apply_delta_pose(self.pose[None, :3], self.pose[None, 3:], command[:, :6])
        self.pose = torch.cat([torch.minimum(torch.maximum(pos[0], self._low), self._high), quat[0]])
        return torch.cat([self.pose, command[0, 6:]]).to(self._sim_device)


@configclass
class Se3PoseRetargeterCfg(RetargeterCfg):
    """Where the target starts and the box it stays in (robot base frame)."""

    start_pose: tuple[float, ...] = MISSING
    """Target (x, y, z, qx, qy, qz, qw) at reset: the tool point's pose after the robot's reset."""
    position_bounds: tuple[tuple[float, float, float], tuple[float, float, float]] = MISSING
    """Box (low, high) the target position is clamped to."""
    retargeter_type: type[RetargeterBase] = Se3PoseRetargeter
