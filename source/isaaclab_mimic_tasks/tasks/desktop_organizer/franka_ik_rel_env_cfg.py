"""Franka Panda with a relative differential-IK action ``[dpos(3), drot axis-angle(3), gripper]``."""

from __future__ import annotations

from isaaclab.controllers.differential_ik_cfg import DifferentialIKControllerCfg
from isaaclab.devices import DevicesCfg
from isaaclab.devices.keyboard import Se3KeyboardCfg
from isaaclab.managers import SceneEntityCfg
from isaaclab.utils import configclass
from isaaclab_physx.physics import PhysxCfg

from isaaclab_mimic_tasks.assets.robots import franka_panda_cfg
from isaaclab_mimic_tasks.tasks.common import CameraViewCfg, EndEffectorCfg
from isaaclab_mimic_tasks.tasks.common.teleop import kitless_teleop_devices

from . import mdp
from .organizer_env_cfg import OrganizerEnvCfg

EEF_NAME = "franka"
"""The name of the Panda's end effector (its key in ``end_effectors`` and in the Mimic cfg's ``subtask_configs``)."""

PANDA_HAND_TCP_OFFSET = (0.0, 0.0, 0.1034)
"""Tool centre point (between the finger pads) in the ``panda_hand`` frame."""

TCP_WORKSPACE = ((0.15, -0.55, 0.01), (0.85, 0.55, 0.6))
"""Box (robot base frame, m) the IK target of the tool point is clamped to: over the table, within reach. Its floor is
where the open fingertips touch the table top (measured: tool point at z 0.0096); a held "down" stops there instead
of pressing the hand into the table, where it slid 13 cm forward in 2 s. The expert's and Mimic's targets stay
above it (the ketchup is grasped at z ~0.03)."""


@configclass
class FrankaOrganizerIKRelEnvCfg(OrganizerEnvCfg):
    """``Isaac-Desktop-Organizer-Franka-IK-Rel-v0``."""

    def __post_init__(self):
        super().__post_init__()
        self.scene.robot = franka_panda_cfg().replace(prim_path="{ENV_REGEX_NS}/Robot")
        self.set_end_effector(
            EEF_NAME,
            EndEffectorCfg(
                body=SceneEntityCfg("robot", body_names=["panda_hand"]),
                offset=PANDA_HAND_TCP_OFFSET,
                gripper=SceneEntityCfg("robot", joint_names=["panda_finger_joint.*"]),
                gripper_open=0.04,
            ),
        )
        self.actions.arm_action = mdp.GravityCompensatedDiffIKActionCfg(
            asset_name="robot",
            joint_names=["panda_joint.*"],
            body_name="panda_hand",
            controller=DifferentialIKControllerCfg(command_type="pose", use_relative_mode=True, ik_method="dls"),
            scale=1.0,
            body_offset=mdp.DifferentialInverseKinematicsActionCfg.OffsetCfg(pos=PANDA_HAND_TCP_OFFSET),
            target_position_bounds=TCP_WORKSPACE,
        )
        self.camera_views["gripper"] = CameraViewCfg(
            eye=(0.22, -0.32, 0.22), target=(0.0, 0.0, -0.12), follow=SceneEntityCfg("robot", body_names=["panda_hand"])
        )
        self.actions.gripper_action = mdp.BinaryJointPositionActionCfg(
            asset_name="robot",
            joint_names=["panda_finger_joint1"],
            open_command_expr={"panda_finger_joint1": 0.04},
            close_command_expr={"panda_finger_joint1": 0.0},
        )
        # what record_demos.py --teleop_device NAME and mimic-tasks record offer. The hand moves about 22% of a
        # relative-IK delta per step (measured), so a 4.5 cm delta is about 1 cm a step at 20 Hz (and half a step
        # more after a key is released); 0.15 rad is about 2 degrees. "keyboard" is Isaac Lab's (needs Kit);
        # ours, kit-less, read the viewer window or a terminal
        steps = dict(pos_sensitivity=0.045, rot_sensitivity=0.15, sim_device=self.sim.device)
        self.teleop_devices = DevicesCfg(
            devices={"keyboard": Se3KeyboardCfg(**steps), **kitless_teleop_devices(**steps)}
        )


@configclass
class FrankaOrganizerIKRelEnvCfg_PLAY(FrankaOrganizerIKRelEnvCfg):
    """``...-Play-v0``: evaluation settings (longer episodes, a few environments)."""

    def __post_init__(self):
        super().__post_init__()
        self.scene.num_envs = 4
        self.episode_length_s = 30.0


@configclass
class FrankaOrganizerIKRelEnvCfg_PHYSX(FrankaOrganizerIKRelEnvCfg):
    """The same task on PhysX, for users with Isaac Sim (the Newton tuning does not apply there)."""

    def __post_init__(self):
        super().__post_init__()
        self.sim.physics = PhysxCfg(bounce_threshold_velocity=0.01, solve_articulation_contact_last=True)
        self.decimation = 5
        self.sim.dt = 0.01
        self.sim.device = "cuda:0"
