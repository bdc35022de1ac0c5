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
