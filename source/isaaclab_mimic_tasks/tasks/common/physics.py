"""Physics configs shared by the tasks: MuJoCo Warp on the CPU with its step captured into a Warp graph.

The manager behind it is :class:`~isaaclab_mimic_tasks.tasks.common.cpu_graph_manager.NewtonCpuGraphMJWarpManager`
(named by string, so that loading an env cfg does not import the simulator).
"""

from __future__ import annotations

from isaaclab.utils import configclass
from isaaclab_newton.physics import MJWarpSolverCfg

__all__ = ["CpuGraphMJWarpSolverCfg"]


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
