"""GR1T2 pick-and-place scene, robot and IK action (kit-less, Newton on the CPU).

Layout (env frame, the stock task's): the robot's pelvis at (0, 0, 0.93) facing +y, a table in front of it,
the can on the robot's right, the basket ahead of the midline. The table is lower than in the stock scene
(top at 0.84 m against about 1.0): with the forearms above the table the fingers, which spread 6 cm below
the thumb-index pinch, clear its top, and the wrist targets stay well inside the arm's joint limits.
"""

from __future__ import annotations

import math
from dataclasses import MISSING

import isaaclab.sim as sim_utils
from isaaclab.assets import ArticulationCfg, AssetBaseCfg, RigidObjectCfg
from isaaclab.controllers.pink_ik import DampingTaskCfg, FrameTaskCfg, NullSpacePostureTaskCfg, PinkIKControllerCfg
from isaaclab.devices import DevicesCfg
from isaaclab.managers import ObservationTermCfg as ObsTerm
from isaaclab.managers import SceneEntityCfg
from isaaclab.managers import TerminationTermCfg as DoneTerm
from isaaclab.scene import InteractiveSceneCfg
from isaaclab.utils import configclass

from isaaclab_mimic_tasks.assets import asset_path
from isaaclab_mimic_tasks.assets.gr1t2 import ARM_JOINT_NAMES, HAND_JOINT_NAMES, gr1t2_cfg, ik_urdf_path
from isaaclab_mimic_tasks.assets.libero_mjcf import BASKET_CONTAIN_REGION
from isaaclab_mimic_tasks.devices import BimanualWristRetargeterCfg
from isaaclab_mimic_tasks.tasks.common import (
    CameraViewCfg,
    EndEffectorCfg,
    ObjectPlacementCfg,
    ResetEventsCfg,
    SeparateTermsObsGroupCfg,
    TaskEnvCfg,
)
from isaaclab_mimic_tasks.tasks.common.mdp.pink_actions import StepwisePinkIKActionCfg
from isaaclab_mimic_tasks.tasks.common.physics import newton_cpu_physics
from isaaclab_mimic_tasks.tasks.common.scene import table_cfg
from isaaclab_mimic_tasks.tasks.common.teleop import kitless_teleop_devices

from . import mdp

TABLE_TOP_Z = 0.842
TABLE_SIZE = (1.2, 0.6, 0.05)
TABLE_CENTER = (0.0, 0.55, TABLE_TOP_Z - TABLE_SIZE[2] / 2)

CAN_SCALE = (1.0, 1.6, 1.0)
"""LIBERO's tomato-sauce can stretched along its axis (the asset's y) from 7.7 to 12.3 cm, 6.2 cm across: the
GR1T2's open fingers reach about 6 cm below its thumb-index pinch, so any grasp of the 7.7 cm can put them
into the table (``docs/physics.md``)."""
CAN_HALF_HEIGHT = 0.0385 * CAN_SCALE[1]

WRIST_FRAMES = {"left": "left_hand_pitch_link", "right": "right_hand_pitch_link"}
"""The frames Pink IK moves (and the end-effector poses Mimic reads)."""


def hand_end_effector(side: str) -> EndEffectorCfg:
    """The end effector ``side`` (``"left"`` or ``"right"``, as the Mimic cfg names its subtask lists): the wrist
    frame and the hand's 11 joints, which open and close along ``mdp.hand_posture`` rather than to one position."""
    return EndEffectorCfg(
        body=SceneEntityCfg("robot", body_names=[WRIST_FRAMES[side]]),
        gripper=SceneEntityCfg("robot", joint_names=[f"{side[0].upper()}_.*"]),
    )


IDLE_WRIST_POSES = {
    "left": (-0.22878, 0.2536, 1.0953, 0.5, -0.5, 0.5, 0.5),
    "right": (0.22878, 0.2536, 1.0953, 0.5, -0.5, 0.5, 0.5),
}
"""Wrist poses (position, quaternion x, y, z, w; env frame) at the start posture: the stock ``idle_action``."""

WRIST_TARGET_BOUNDS = ((-0.45, 0.05, 0.86), (0.45, 0.65, 1.35))
"""Box (env frame) every wrist target is clamped to: above the table top, within the arms' reach."""

GRASP_TILT = 15.0
"""Degrees the right hand is pitched down (about the world x axis) from its start orientation to grasp: the
fingers point forward and a little down, the hand upright beside the can, the forearm above the table."""
GRASP_POINT = (-0.01, 0.07, -0.125)
"""Where the can's centre sits in ``right_hand_pitch_link`` when grasped: 7 cm toward the thumb, 12.5 cm along
the fingers, 1 cm toward the little finger (found by sweeping it in the simulator; under wrist noise of std 0.005,
6/8 lifts held with these hand drives, 8/8 with stiffer ones, 1000/30 and 20 N m)."""

BASKET = SceneEntityCfg("basket")
RIGHT_HAND = {"frame": WRIST_FRAMES["right"], "side": "R", "grasp_point": GRASP_POINT, "object_cfg": MISSING}
"""Params of the terms about the right hand's grasp; ``object_cfg`` is filled from the env cfg's ``task_objects``."""


@configclass
class PickPlaceGR1T2SceneCfg(InteractiveSceneCfg):
    """Robot, table, can (LIBERO tomato sauce stretched to 12.3 cm, standing: its axis is the asset's y) and basket."""

    robot: ArticulationCfg = MISSING
    table = table_cfg(TABLE_SIZE, center=TABLE_CENTER)
    object = RigidObjectCfg(
        prim_path="{ENV_REGEX_NS}/Object",
        init_state=RigidObjectCfg.InitialStateCfg(
            pos=(0.12, 0.37, TABLE_TOP_Z + CAN_HALF_HEIGHT + 0.002), rot=(0.7071068, 0.0, 0.0, 0.7071068)
        ),
        spawn=sim_utils.UsdFileCfg(usd_path=MISSING, scale=CAN_SCALE),
    )
    basket = RigidObjectCfg(
        prim_path="{ENV_REGEX_NS}/Basket",
        init_state=RigidObjectCfg.InitialStateCfg(pos=(-0.05, 0.45, TABLE_TOP_Z - 0.004), rot=(0.0, 0.0, 0.0, 1.0)),
        spawn=sim_utils.UsdFileCfg(usd_path=MISSING),
    )
    light = AssetBaseCfg(prim_path="/World/light", spawn=sim_utils.DomeLightCfg(intensity=3000.0))


@configclass
class PlacementCfg(ObjectPlacementCfg):
    """Reset ranges of every object, the one place to change randomization (read by ``mdp.place_objects``).

    Uniform offsets (m) around the nominal poses. The stock task's +-1 cm teaches a policy nothing; +-3 cm for
    the can and +-2 cm for the basket keep every pose inside the right arm's comfortable reach.
    """

    object: dict = {"x": (-0.03, 0.03), "y": (-0.03, 0.03)}
    basket: dict = {"x": (-0.02, 0.02), "y": (-0.02, 0.02)}
    min_separation = 0.15
    robot_clearance = 0.3  # from the robot's pelvis


def pink_ik_controller_cfg() -> PinkIKControllerCfg:
    """Pink IK on the packaged URDF. Frame tasks with little Levenberg-Marquardt damping and full gain: the
    stock settings (damping 12, gain 0.5) need many solves to turn the wrist 90 degrees."""
    frame_tasks = [
        FrameTaskCfg(frame=frame, position_cost=8.0, orientation_cost=2.0, lm_damping=0.1, gain=1.0)
        for frame in WRIST_FRAMES.values()
    ]
    return PinkIKControllerCfg(
        articulation_name="robot",
        base_link_name="base_link",
        urdf_path=MISSING,
        num_hand_joints=len(HAND_JOINT_NAMES),
        show_ik_warnings=False,
        fail_on_joint_limit_violation=False,
        variable_input_tasks=[
            *frame_tasks,
            DampingTaskCfg(cost=0.05),
            # keeps the redundant arm near its start posture, wrists included (they hit their limits otherwise)
            NullSpacePostureTaskCfg(
                cost=0.5,
                lm_damping=1.0,
                controlled_frames=list(WRIST_FRAMES.values()),
                controlled_joints=list(ARM_JOINT_NAMES),
            ),
        ],
        fixed_input_tasks=[],
    )


@configclass
class ActionsCfg:
    """The stock 36-D action: left wrist pose, right wrist pose (position + quaternion x, y, z, w), 22 hand joints."""

    upper_body_ik = StepwisePinkIKActionCfg(
        asset_name="robot",
        pink_controlled_joint_names=list(ARM_JOINT_NAMES),
        hand_joint_names=list(HAND_JOINT_NAMES),
        target_eef_link_names={f"{side}_wrist": frame for side, frame in WRIST_FRAMES.items()},
        controller=pink_ik_controller_cfg(),
        target_position_bounds=WRIST_TARGET_BOUNDS,
        # a target leads the wrist by at most 1.5 cm and 0.06 rad, so the expert's waypoints, and a policy's, are
        # reached at a bounded speed: the wrist then moves about 6 mm a step (0.12 m/s at 20 Hz)
        max_wrist_step=0.015,
        max_wrist_rotation_step=0.06,
    )


@configclass
class ObservationsCfg:
    """``policy``: the keys the stock robomimic config reads (eef poses, hand joint state, object) and more;
    ``subtask_terms``: 0/1 signals of the right hand's subtasks, for automatic annotation."""

    @configclass
    class PolicyCfg(SeparateTermsObsGroupCfg):
        left_eef_pos = ObsTerm(func=mdp.wrist_pos, params={"frame": WRIST_FRAMES["left"]})
        left_eef_quat = ObsTerm(func=mdp.wrist_quat, params={"frame": WRIST_FRAMES["left"]})
        right_eef_pos = ObsTerm(func=mdp.wrist_pos, params={"frame": WRIST_FRAMES["right"]})
        right_eef_quat = ObsTerm(func=mdp.wrist_quat, params={"frame": WRIST_FRAMES["right"]})
        hand_joint_state = ObsTerm(
            func=mdp.joint_pos, params={"asset_cfg": SceneEntityCfg("robot", joint_names=["R_.*", "L_.*"])}
        )
        robot_joint_pos = ObsTerm(func=mdp.joint_pos)
        object = ObsTerm(
            func=mdp.object_obs,
            params={"left_frame": WRIST_FRAMES["left"], "right_frame": WRIST_FRAMES["right"], "object_cfg": MISSING},
        )
        basket_pos = ObsTerm(func=mdp.root_pos_w, params={"asset_cfg": BASKET})

    @configclass
    class SubtaskCfg(SeparateTermsObsGroupCfg):
        grasp = ObsTerm(func=mdp.object_in_hand, params=dict(RIGHT_HAND))
        lift = ObsTerm(func=mdp.object_lifted_in_hand, params=dict(RIGHT_HAND))

    policy: PolicyCfg = PolicyCfg()
    subtask_terms: SubtaskCfg = SubtaskCfg()


@configclass
class TerminationsCfg:
    """Success (the can at rest in the basket, let go), time out, the can falling off the table, and a physics failure
    (buffer overflow, NaN)."""

    time_out = DoneTerm(func=mdp.time_out, time_out=True)
    physics_failure = DoneTerm(func=mdp.physics_failure)
    object_dropping = DoneTerm(
        func=mdp.object_below, params={"object_cfg": MISSING, "minimum_height": TABLE_TOP_Z - 0.1}
    )
    success = DoneTerm(
        func=mdp.object_resting_in_container,
        params={**RIGHT_HAND, "container_cfg": MISSING, "region": BASKET_CONTAIN_REGION},
    )


def teleop_devices(sim_device: str) -> DevicesCfg:
    """Keyboard (window or terminal) and SpaceMouse, bimanual: the increments move the active wrist's target (1 cm,
    3 degrees a step; the action term then moves the wrist 6 mm a step), the gripper toggle opens or closes its hand
    through the grasp posture, ``switch_hand`` (TAB) changes the active side. The robot faces +y: forward is +y."""
    retargeter = BimanualWristRetargeterCfg(
        sides=("left", "right"),
        hand_sides=("L", "R"),
        first_active="right",
        start_poses=IDLE_WRIST_POSES,
        position_bounds=WRIST_TARGET_BOUNDS,
        command_yaw=math.pi / 2,
        hand_posture=mdp.hand_posture,
        hand_joint_names=tuple(HAND_JOINT_NAMES),
        hand_open=mdp.HAND_OPEN,
        hand_closed=mdp.HAND_CLOSED,
        sim_device=sim_device,
    )
    steps = dict(pos_sensitivity=0.01, rot_sensitivity=0.05, sim_device=sim_device, retargeters=[retargeter])
    return DevicesCfg(devices=kitless_teleop_devices(**steps))


@configclass
class PickPlaceGR1T2EnvCfg(TaskEnvCfg):
    """GR1T2 pick-and-place with the absolute wrist-pose action (``Isaac-PickPlace-GR1T2-Abs-v0`` once registered)."""

    scene: PickPlaceGR1T2SceneCfg = PickPlaceGR1T2SceneCfg(num_envs=1, env_spacing=2.5, replicate_physics=True)
    observations: ObservationsCfg = ObservationsCfg()
    actions: ActionsCfg = ActionsCfg()
    events: ResetEventsCfg = ResetEventsCfg()
    terminations: TerminationsCfg = TerminationsCfg()
    placement: PlacementCfg = PlacementCfg()

    task_objects = {"object": "object", "container": "basket"}
    """The can (the scene entity ``object``, as in the stock task) and the basket."""
    instruction = "Pick up the can with the right hand and place it in the basket."
    video_view: CameraViewCfg = CameraViewCfg(eye=(0.75, 0.05, 1.25), target=(0.1, 0.4, 0.9))
    """Video camera: on the robot's right, above the table, looking at the can and the basket."""
    camera_views: dict = {
        "behind": CameraViewCfg(eye=(0.45, -0.3, 1.85), target=(0.05, 0.5, 0.84)),
        "side": CameraViewCfg(eye=(1.0, 0.45, 1.05), target=(0.0, 0.45, 0.9)),
        "top": CameraViewCfg(eye=(0.0, 0.38, 2.05), target=(0.0, 0.45, 0.84)),
        "front": CameraViewCfg(eye=(0.0, 1.55, 1.45), target=(0.0, 0.3, 0.95)),
        "right hand": CameraViewCfg(
            eye=(0.25, -0.25, 0.3),
            target=(0.0, 0.1, -0.1),
            follow=SceneEntityCfg("robot", body_names=["right_hand_pitch_link"]),
        ),
    }
    """The viewer window's views (number keys 1-5). "behind": over the robot's right shoulder, so the motion keys go
    about the way they look; "side": heights and the reach; "top": where over the table; "right hand": over the
    right hand."""

    record_success_steps = 20
    """20, not 10: a dropped can settles for a while; with 10, Mimic's replay of the source's short tail ended 5 of 41
    generated demos before their can was at rest (73% kept), with 20: 91%."""

    idle_action = [*IDLE_WRIST_POSES["left"], *IDLE_WRIST_POSES["right"], *([0.0] * len(HAND_JOINT_NAMES))]
    """The action that holds the start posture (the stock cfg's ``idle_action``)."""

    def __post_init__(self):
        super().__post_init__()
        # the upstream Newton preset's impratio with MuJoCo Warp's default line search (the preset's 15 iterations
        # ran out in contact and printed a warning every step). Buffers sized from the worst measured (2026-12-05): a
        # person's keyboard grasp of the can made 307-318 contacts (300 overflowed), bench/clumsy_operator.py at 20
        # envs 326 contacts and 168 constraint rows per env: about 2x margin on contacts
        self.sim.physics = newton_cpu_physics(njmax=600, nconmax=640, impratio=10.0)
        for side in WRIST_FRAMES:  # this task's terms take wrist frame names, not end effectors
            self.set_end_effector(side, hand_end_effector(side), term_param=f"{side}_end_effector")
        # assets are built on first use, when the cfg is made (registering the task builds nothing)
        self.scene.robot = gr1t2_cfg().replace(prim_path="{ENV_REGEX_NS}/Robot")
        self.actions.upper_body_ik.controller.urdf_path = ik_urdf_path()
        self.scene.object.spawn.usd_path = asset_path("tomato_sauce")
        self.scene.basket.spawn.usd_path = asset_path("basket")
        self.teleop_devices = teleop_devices(self.sim.device)


@configclass
class PickPlaceGR1T2EnvCfg_PLAY(PickPlaceGR1T2EnvCfg):
    """``...-Play-v0``: evaluation settings (longer episodes, a few environments)."""

    def __post_init__(self):
        super().__post_init__()
        self.scene.num_envs = 4
        self.episode_length_s = 30.0
