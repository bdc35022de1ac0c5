"""Franka Panda with an absolute differential-IK action ``[x, y, z, qx, qy, qz, qw, gripper]``: the target pose of
the tool point in the robot base frame, as Isaac Lab's Franka stack IK-Abs variants (the relative variant's robot,
body offset, frames and workspace box)."""

from __future__ import annotations

from isaaclab.controllers.differential_ik_cfg import DifferentialIKControllerCfg
from isaaclab.devices import DevicesCfg
from isaaclab.utils import configclass

from isaaclab_mimic_tasks.devices.retargeters import Se3PoseRetargeterCfg
from isaaclab_mimic_tasks.tasks.common.teleop import kitless_teleop_devices

from .franka_ik_rel_env_cfg import TCP_WORKSPACE, FrankaOrganizerIKRelEnvCfg

TCP_START_POSE = (0.4635, 0.0, 0.4028, 1.0, 0.0, 0.0, 0.0)
"""The tool point's pose (robot base frame; x, y, z, qx, qy, qz, qw) after the Panda's reset (measured: within
0.2 mm and 0.0002 of it): where the teleop target starts."""


@configclass
class FrankaOrganizerIKAbsEnvCfg(FrankaOrganizerIKRelEnvCfg):
    """``Isaac-Desktop-Organizer-Franka-IK-Abs-v0``."""

    def __post_init__(self):
        super().__post_init__()
        self.actions.arm_action.controller = DifferentialIKControllerCfg(
            command_type="pose", use_relative_mode=False, ik_method="dls"
        )
        # the devices emit increments; the retargeter integrates them into the target pose. The hand keeps up
        # with a target moving 1 cm (and 0.05 rad) a step at 20 Hz, about the relative variant's speed
        retargeter = Se3PoseRetargeterCfg(start_pose=TCP_START_POSE, position_bounds=TCP_WORKSPACE)
        steps = dict(pos_sensitivity=0.01, rot_sensitivity=0.05, sim_device=self.sim.device, retargeters=[retargeter])
        self.teleop_devices = DevicesCfg(devices=kitless_teleop_devices(**steps))


@configclass
class FrankaOrganizerIKAbsEnvCfg_PLAY(FrankaOrganizerIKAbsEnvCfg):
    """``...-IK-Abs-Play-v0``: evaluation settings (longer episodes, a few environments)."""

    def __post_init__(self):
        super().__post_init__()
        self.scene.num_envs = 4
        self.episode_length_s = 30.0
