"""Physics configs shared by the tasks: MuJoCo Warp on the CPU with its step captured into a Warp graph.

:func:`newton_cpu_physics` is every task's physics preset (measurements in ``docs/physics.md``). The manager behind
it is :class:`~isaaclab_mimic_tasks.tasks.common.cpu_graph_manager.NewtonCpuGraphMJWarpManager` (named by string, so
that loading an env cfg does not import the simulator).
"""

from __future__ import annotations

from isaaclab.utils import configclass
from isaaclab_newton.physics import MJWarpSolverCfg, NewtonCfg, NewtonShapeCfg

__all__ = ["CpuGraphMJWarpSolverCfg", "newton_cpu_physics"]


@configclass
class CpuGraphMJWarpSolverCfg(MJWarpSolverCfg):
    """:class:`MJWarpSolverCfg` whose manager captures the CPU physics step into a Warp graph; set
    ``NewtonCfg.use_cuda_graph`` to turn the capture on (off: Isaac Lab's eager CPU step)."""

    class_type: type | str = "isaaclab_mimic_tasks.tasks.common.cpu_graph_manager:NewtonCpuGraphMJWarpManager"

    fold_decimation: bool = False
    """Run an env step's ``decimation`` physics steps as one call (one graph on the CPU too), the actions applied
    once per env step instead of before each physics step.

    Isaac Lab does this itself when every actuator is a Newton-native one; this extends it to articulations whose
    actuators are all implicit (the solver applies their PD gains at every solver step, so the targets an action
    writes once hold through the env step). Action terms are then applied once per env step: a differential IK
    solves once, from the pose at the start of the step. Collisions are still detected at every physics step.
    Leave it off for explicit actuators computed in Python (they would be stepped once per env step)."""


def newton_cpu_physics(*, njmax: int, nconmax: int, impratio: float = 1.0) -> NewtonCfg:
    """MuJoCo Warp on the CPU under which grasps hold: implicit-fast integration, elliptic friction cones, Newton's
    collision pipeline, MuJoCo Warp's default solver iterations and line search, the step replayed from a Warp graph.

    What differs between tasks is a parameter: ``njmax`` and ``nconmax``, the constraint rows and contacts per env,
    sized from the worst a person produced on that task (an overflow leaves NaN state); ``impratio``, MuJoCo's
    frictional-to-normal impedance ratio (the GR1T2's hands hold the can with the upstream preset's 10).
    """
    return NewtonCfg(
        solver_cfg=CpuGraphMJWarpSolverCfg(
            integrator="implicitfast",
            cone="elliptic",
            impratio=impratio,
            njmax=njmax,
            nconmax=nconmax,
            use_mujoco_contacts=False,
            # 2.1x env-steps/s when on, but policies trained on demos generated with it succeeded less (docs/physics.md)
            fold_decimation=False,
        ),
        # MuJoCo solref (0.01, 1): fingers sink 0.5 mm per side instead of 3 mm
        default_shape_cfg=NewtonShapeCfg(ke=1.0e4, kd=200.0),
        use_cuda_graph=True,  # on the CPU too: the step replays from a Warp graph (tasks/common/cpu_graph_manager.py)
    )
