"""Newton physics on the CPU with its step captured into a Warp graph.

Isaac Lab 3.0's :class:`NewtonManager` captures the physics step into a graph only on CUDA (``"cuda" in device`` in
``step`` and ``_invalidate_graph``). Warp >= 1.17 captures CPU launches too (``wp.capture_begin(device="cpu")``,
replayed in C++ by ``wp.capture_launch``), which removes most of Warp's per-launch Python overhead, the bulk of a
CPU physics step (~170 launches). :class:`NewtonCpuGraphMJWarpManager` is that one change, selected by a config
(:class:`~isaaclab_mimic_tasks.tasks.common.physics.CpuGraphMJWarpSolverCfg`, through the ``class_type`` Isaac Lab
reads): everything else, when a graph is captured and when it is dropped (resets, model changes), is Isaac Lab's
CUDA-graph logic. Remove it once Isaac Lab captures on the CPU itself.

It also counts each world's contacts before every solver step
(:class:`~isaaclab_mimic_tasks.tasks.common.physics_monitor.ContactMonitor`, Warp launches captured with the step),
so that a contact overflow ends that environment's attempt instead of passing unnoticed.

Only Warp launches are replayed: a callback that does its work in torch or Python inside the captured region
would run once, at capture. ``tests/test_physics.py`` checks that a captured and an uncaptured run give the same
trajectory for every task.
"""

from __future__ import annotations

import warp as wp
from isaaclab.physics import PhysicsManager
from isaaclab_newton.physics.mjwarp_manager import NewtonMJWarpManager
from isaaclab_newton.physics.newton_manager import NewtonManager

from .physics_monitor import ContactMonitor

__all__ = ["NewtonCpuGraphMJWarpManager"]


def _on_cpu() -> bool:
    device = PhysicsManager._device
    return device is not None and "cuda" not in device


class NewtonCpuGraphMJWarpManager(NewtonMJWarpManager):
    """MuJoCo Warp manager that also captures its step into a graph on the CPU (``use_cuda_graph=True``) and keeps a
    :class:`ContactMonitor`.

    Its name starts with "Newton" because Isaac Lab picks the asset backends by the manager's name."""

    contact_monitor: ContactMonitor | None = None
    """Each world's contacts at every physics step (made at the first step, before any graph is captured)."""

    @classmethod
    def _step_solver(cls, state_0, state_1, control, contacts, substep_dt) -> None:
        if contacts is not None:
            monitor = NewtonCpuGraphMJWarpManager.contact_monitor
            if monitor is None or monitor._contacts is not contacts:
                buffer_size = cls._solver.mjw_data.naconmax  # nconmax for every world
                monitor = ContactMonitor(cls.backend.model, contacts, buffer_size, PhysicsManager._device)
                NewtonCpuGraphMJWarpManager.contact_monitor = monitor
            monitor.record()
        super()._step_solver(state_0, state_1, control, contacts, substep_dt)

    @classmethod
    def _solver_specific_clear(cls) -> None:
        super()._solver_specific_clear()
        NewtonCpuGraphMJWarpManager.contact_monitor = None

    @classmethod
    def _invalidate_graph(cls) -> None:
        super()._invalidate_graph()  # drops the graph; schedules a capture on CUDA only
        cfg = PhysicsManager._cfg
        if _on_cpu() and cfg is not None and cfg.use_cuda_graph and cls._supports_cuda_graph_capture():
            NewtonManager._graph_capture_pending = True

    @classmethod
    def _capture_graph(cls, capture_target):
        if not _on_cpu():
            return super()._capture_graph(capture_target)
        with wp.ScopedCapture(device=PhysicsManager._device) as capture:
            capture_target()
        return capture.graph

    @classmethod
    def _is_all_graphable(cls) -> bool:
        # read by ``handles_decimation`` (the env then applies actions once per env step) and by ``step`` (which
        # then runs ``_simulate_full``: ``decimation`` x (collide + solver substeps))
        cfg = PhysicsManager._cfg
        folded = cfg is not None and getattr(cfg.solver_cfg, "fold_decimation", False) and cls._adapter is None
        return folded or super()._is_all_graphable()

    # ``step`` launches a graph only on CUDA and otherwise calls these two eagerly: replay the CPU graph here.
    @classmethod
    def _simulate_full(cls) -> None:
        if not cls._replay_cpu_graph():
            super()._simulate_full()

    @classmethod
    def _simulate_physics_only(cls) -> None:
        if not cls._replay_cpu_graph():
            super()._simulate_physics_only()

    @classmethod
    def _replay_cpu_graph(cls) -> bool:
        graph = NewtonManager._graph
        if graph is None or not _on_cpu():
            return False
        wp.capture_launch(graph)
        return True
