"""The Fourier GR1T2 humanoid with 6-DoF Fourier hands, built from ``fourier-robot-descriptions``' URDF.

:func:`build_gr1t2_usd` prepares a copy of the packaged URDF for a fixed-base upper-body task and converts
it with ``urdf-usd-converter``; next to the USD it writes the URDF Pink IK reads (Isaac Lab's own path to
that URDF goes through a Kit-only USD exporter). What the copy changes, and why:

* the legs, waist and head are held: their joints become ``fixed`` (no drives that could spin up, fewer
  degrees of freedom to simulate), and a ``world`` link fixes the pelvis (``base_link``) in place;
* the hand links collide through boxes fitted to their meshes (axis-aligned in the link frame): mesh
  contacts with the can slowed the simulation to 0.59 env.step/s (4 without contact);
* only the arms and hands keep colliders; the rest of the body never touches the scene;
* the IK copy has no visual or collision tags: pinocchio then needs no meshes (its ``mesh_path`` lookup
  fails on a folder).

Every hand joint in the URDF has ``effort="0"``: :func:`gr1t2_cfg` sets the effort limits explicitly.
"""

from __future__ import annotations

import pathlib
import xml.etree.ElementTree as ET

from .cache import AssetSourceError

FOURIER_ROBOT_DESCRIPTIONS = "fourier-robot-descriptions"
URDF_NAME = "gr1t2_fourier_hand_6dof.urdf"
IK_URDF_NAME = "gr1t2_ik.urdf"
"""File name of the kinematics-only URDF written next to the USD."""

HELD_JOINT_KEYS = ("hip", "knee", "ankle", "waist", "head")
"""Joints whose name contains one of these are made ``fixed`` (the robot's lower body, waist and head)."""

ARM_JOINT_NAMES = [
    f"{side}_{joint}_joint"
    for side in ("left", "right")
    for joint in (
        "shoulder_pitch",
        "shoulder_roll",
        "shoulder_yaw",
        "elbow_pitch",
        "wrist_yaw",
        "wrist_roll",
        "wrist_pitch",
    )
]
"""The 14 arm joints, left then right, in the stock task's order (the ones Pink IK drives)."""

HAND_JOINT_NAMES = [
    *[f"L_{f}_proximal_joint" for f in ("index", "middle", "pinky", "ring")],
    "L_thumb_proximal_yaw_joint",
    *[f"R_{f}_proximal_joint" for f in ("index", "middle", "pinky", "ring")],
    "R_thumb_proximal_yaw_joint",
    *[f"L_{f}_intermediate_joint" for f in ("index", "middle", "pinky", "ring")],
    "L_thumb_proximal_pitch_joint",
    *[f"R_{f}_intermediate_joint" for f in ("index", "middle", "pinky", "ring")],
    "R_thumb_proximal_pitch_joint",
    "L_thumb_distal_joint",
    "R_thumb_distal_joint",
]
"""The 22 hand joints in the stock action's (interleaved) order: the last 22 values of the 36-D action."""

HAND_LEADER_JOINTS = ".*_(index|middle|ring|pinky)_proximal_joint|.*_thumb_proximal_(yaw|pitch)_joint"
"""Driven hand joints. The followers (finger intermediate, thumb distal) are coupled to them by the URDF's
mimic joints, which Newton turns into equality constraints; driving them too makes the fingers oscillate."""
HAND_FOLLOWER_JOINTS = ".*_(index|middle|ring|pinky)_intermediate_joint|.*_thumb_distal_joint"


def packaged_urdf() -> pathlib.Path:
    """The GR1T2 URDF installed by ``fourier-robot-descriptions``; raises :class:`AssetSourceError` if missing."""
    try:
        import fourier_robot_descriptions
    except ImportError:
        raise AssetSourceError(
            f"the GR1T2 needs the '{FOURIER_ROBOT_DESCRIPTIONS}' package; run scripts/setup.sh"
            f" (or: pip install {FOURIER_ROBOT_DESCRIPTIONS})"
        ) from None
    path = pathlib.Path(fourier_robot_descriptions.__file__).parent / "assets" / "urdf" / URDF_NAME
    if not path.is_file():
        raise AssetSourceError(f"{URDF_NAME} not found in {path.parent}; reinstall {FOURIER_ROBOT_DESCRIPTIONS}")
    return path


def _box_for_mesh(collision: ET.Element, urdf_dir: pathlib.Path) -> None:
    """Replace a mesh collision geometry by the box bounding the mesh (in the link frame)."""
    import trimesh

    geometry = collision.find("geometry")
    mesh = geometry.find("mesh")
    origin = collision.find("origin")
    if origin is None:
        origin = ET.SubElement(collision, "origin", xyz="0 0 0", rpy="0 0 0")
    if any(float(v) != 0.0 for v in origin.get("rpy", "0 0 0").split()):
        raise ValueError("a rotated mesh collision origin is not supported")
    offset = [float(v) for v in origin.get("xyz", "0 0 0").split()]
    low, high = trimesh.load(str(urdf_dir / mesh.get("filename")), force="mesh").bounds
    centre = [(lo + hi) / 2 + o for lo, hi, o in zip(low, high, offset)]
    origin.set("xyz", " ".join(f"{v:.5f}" for v in centre))
    origin.set("rpy", "0 0 0")
    geometry.remove(mesh)
    ET.SubElement(geometry, "box", size=" ".join(f"{hi - lo:.5f}" for lo, hi in zip(low, high)))


def prepared_urdf(source: pathlib.Path) -> ET.ElementTree:
    """The packaged URDF changed for a fixed-base upper-body task (see the module docstring)."""
    tree = ET.parse(source)
    robot = tree.getroot()
    for joint in robot.findall("joint"):
        if joint.get("type") == "revolute" and any(key in joint.get("name") for key in HELD_JOINT_KEYS):
            joint.set("type", "fixed")
            for tag in ("limit", "dynamics", "axis", "mimic"):
                for element in joint.findall(tag):
                    joint.remove(element)
    for link in robot.findall("link"):
        name = link.get("name")
        is_hand = name.startswith(("L_", "R_"))
        for collision in link.findall("collision"):
            if is_hand and collision.find("geometry/mesh") is not None:
                _box_for_mesh(collision, source.parent)
            elif not (is_hand or "arm" in name or "hand" in name):
                link.remove(collision)
    for mesh in robot.iter("mesh"):
        mesh.set("filename", str((source.parent / mesh.get("filename")).resolve()))
    robot.insert(0, ET.Element("link", name="world"))
    root_joint = ET.SubElement(robot, "joint", name="root_joint", type="fixed")
    ET.SubElement(root_joint, "parent", link="world")
    ET.SubElement(root_joint, "child", link="base_link")
    return tree


def kinematic_copy(tree: ET.ElementTree) -> ET.ElementTree:
    """The same robot without visual and collision tags, for pinocchio (Pink IK)."""
    copy = ET.ElementTree(ET.fromstring(ET.tostring(tree.getroot())))
    for link in copy.getroot().findall("link"):
        for tag in ("visual", "collision"):
            for element in link.findall(tag):
                link.remove(element)
    return copy


def build_gr1t2_usd(out_dir: pathlib.Path) -> pathlib.Path:
    """Write ``gr1t2.urdf`` and ``gr1t2_ik.urdf`` into ``out_dir``, convert the first to USD, return the USD."""
    from .robots import convert_urdf

    tree = prepared_urdf(packaged_urdf())
    urdf = out_dir / "gr1t2.urdf"
    tree.write(urdf)
    kinematic_copy(tree).write(out_dir / IK_URDF_NAME)
    # its CAD shells lose their shape below about 5000 triangles a mesh (the Panda's keep it at 1500)
    return convert_urdf(urdf, out_dir / "usd", max_visual_triangles=5000)


def ik_urdf_path() -> str:
    """The kinematics-only URDF of the built GR1T2 (built on first use, like its USD)."""
    from . import asset_path

    return str(pathlib.Path(asset_path("gr1t2")).parent.parent / IK_URDF_NAME)


def gr1t2_cfg():
    """GR1T2 upper body for pick-and-place on MuJoCo Warp: fixed base, arms and hand leaders driven.

    Arms: stiff PD (400/40) that tracks Pink IK's joint targets, gravity compensated by the action term.
    Hands: only the leader joints are driven (see :data:`HAND_LEADER_JOINTS`); gains near the upstream
    Newton preset's (PhysX's USD gains, 17184/558, go non-finite on MJWarp).
    """
    import isaaclab.sim as sim_utils
    from isaaclab.actuators import ImplicitActuatorCfg
    from isaaclab.assets import ArticulationCfg
    from isaaclab_newton.sim.schemas import NewtonArticulationCfg

    from . import asset_path

    return ArticulationCfg(
        spawn=sim_utils.UsdFileCfg(
            usd_path=asset_path("gr1t2"),
            # the IK action's gravity compensation reads rigid_props.disable_gravity
            rigid_props=sim_utils.RigidBodyPropertiesCfg(disable_gravity=False),
            articulation_props=[NewtonArticulationCfg(self_collision_enabled=False)],
        ),
        init_state=ArticulationCfg.InitialStateCfg(
            # the stock task's start: upper arms down, forearms forward
            pos=(0.0, 0.0, 0.93),
            rot=(0.0, 0.0, 0.7071068, 0.7071068),
            joint_pos={".*_elbow_pitch_joint": -1.5708},
        ),
        actuators={
            "arms": ImplicitActuatorCfg(
                joint_names_expr=[".*_(shoulder|elbow|wrist)_.*_joint"],
                stiffness=400.0,
                damping=40.0,
                effort_limit_sim=200.0,
                armature=0.01,
            ),
            "hand_leaders": ImplicitActuatorCfg(
                joint_names_expr=[HAND_LEADER_JOINTS],
                stiffness=200.0,
                damping=6.0,
                effort_limit_sim=10.0,
                armature=0.01,
            ),
            "hand_followers": ImplicitActuatorCfg(
                joint_names_expr=[HAND_FOLLOWER_JOINTS],
                stiffness=0.0,
                damping=0.0,
                effort_limit_sim=10.0,
                armature=0.01,
            ),
        },
        soft_joint_pos_limit_factor=1.0,
    )
