"""Robot assets: USD built from packaged URDFs, and the articulation configs using them."""

from __future__ import annotations

import pathlib
import shutil
import subprocess
import sys
import sysconfig
import xml.etree.ElementTree as ET

EXAMPLE_ROBOT_DATA = "example-robot-data"


def example_robot_data_share() -> pathlib.Path:
    """The ``share/example-robot-data`` folder installed by the ``example-robot-data`` wheel (cmeel layout)."""
    return pathlib.Path(sysconfig.get_paths()["purelib"]) / "cmeel.prefix" / "share" / "example-robot-data"


def build_panda_usd(out_dir: pathlib.Path) -> pathlib.Path:
    """Convert example-robot-data's Panda URDF to USD with ``urdf-usd-converter``.

    The URDF already fixes the base to the world (``root_joint``), the fingers have box colliders, and
    ``panda_finger_joint2`` is written as a Newton mimic joint of ``panda_finger_joint1``. The robot USD
    gets no physics scene of its own (the simulation context owns it).
    """
    share = example_robot_data_share()
    urdf = share / "robots" / "panda_description" / "urdf" / "panda.urdf"
    if not urdf.is_file():
        from .cache import AssetSourceError

        raise AssetSourceError(
            f"Panda URDF not found at {urdf}; run scripts/setup.sh (pip install {EXAMPLE_ROBOT_DATA})"
        )
    return convert_urdf(urdf, out_dir, packages={EXAMPLE_ROBOT_DATA: share})


def convert_urdf(
    urdf: pathlib.Path, out_dir: pathlib.Path, packages: dict | None = None, max_visual_triangles: int | None = None
) -> pathlib.Path:
    """Convert ``urdf`` with ``urdf-usd-converter`` into ``out_dir`` (no physics scene), its visual meshes decimated
    (:mod:`.visual_meshes`); returns the main USD file.

    ``packages`` maps ROS package names to folders, for ``package://`` mesh paths; ``max_visual_triangles``: the
    decimation's limit per mesh (default :data:`~.visual_meshes.MAX_VISUAL_TRIANGLES`).
    """
    converter = shutil.which("urdf_usd_converter", path=str(pathlib.Path(sys.executable).parent)) or shutil.which(
        "urdf_usd_converter"
    )
    cmd = [converter or "urdf_usd_converter", "--no-physics-scene"]
    for name, folder in (packages or {}).items():
        cmd += ["--package", f"{name}={folder}"]
    result = subprocess.run([*cmd, str(urdf), str(out_dir)], capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"urdf_usd_converter failed on {urdf}:\n{result.stderr[-2000:]}")
    robot_name = ET.parse(urdf).getroot().get("name")
    usd = out_dir / f"{robot_name}.usda"
    from .visual_meshes import MAX_VISUAL_TRIANGLES, simplify_visual_meshes

    simplify_visual_meshes(usd, max_visual_triangles or MAX_VISUAL_TRIANGLES)  # the viewer window draws them on the CPU
    return usd


def franka_panda_cfg():
    """Franka Panda from the example-robot-data URDF, tuned for grasping on MuJoCo Warp.

    Arm: stiff PD (400/80) for differential IK, with gravity compensated by the action term. Fingers:
    ``panda_finger_joint1`` is driven with 20 N; ``panda_finger_joint2`` follows it (mimic joint).
    Finger armature 0.5 is what lets a grasp survive Mimic's action noise: with 0.01 the light fingers
    are shaken open by pose noise of even +-0.01 (see ``docs/physics.md``).
    """
    import isaaclab.sim as sim_utils
    from isaaclab.actuators import ImplicitActuatorCfg
    from isaaclab.assets import ArticulationCfg
    from isaaclab_newton.sim.schemas import NewtonArticulationCfg

    from . import asset_path

    return ArticulationCfg(
        spawn=sim_utils.UsdFileCfg(
            usd_path=asset_path("panda"),
            articulation_props=[NewtonArticulationCfg(self_collision_enabled=False)],
        ),
        init_state=ArticulationCfg.InitialStateCfg(
            # Isaac Lab's default start drives joint 6 into its limit under IK
            joint_pos={
                "panda_joint1": 0.0,
                "panda_joint2": -0.3,
                "panda_joint3": 0.0,
                "panda_joint4": -2.2,
                "panda_joint5": 0.0,
                "panda_joint6": 1.9,
                "panda_joint7": 0.785,
                "panda_finger_joint.*": 0.04,
            },
        ),
        actuators={
            "panda_arm": ImplicitActuatorCfg(
                joint_names_expr=["panda_joint[1-7]"],
                joint_effort_limit={"panda_joint[1-4]": 87.0, "panda_joint[5-7]": 12.0},
                stiffness=400.0,
                damping=80.0,
            ),
            "panda_hand": ImplicitActuatorCfg(
                joint_names_expr=["panda_finger_joint1"],
                joint_effort_limit=20.0,
                stiffness=2000.0,
                damping=100.0,
                armature=0.5,
            ),
            "panda_finger2_passive": ImplicitActuatorCfg(
                joint_names_expr=["panda_finger_joint2"],
                joint_effort_limit=20.0,
                stiffness=0.0,
                damping=0.0,
                armature=0.5,
            ),
        },
        soft_joint_pos_limit_factor=1.0,
    )
