"""Per environment: did the last env step overflow a contact or constraint buffer, or leave a non-finite state?

MuJoCo Warp has fixed buffers: ``nconmax`` contacts and ``njmax`` constraint rows per world. When Newton's
collision pipeline finds more contacts than the buffer holds, the surplus is dropped with only a printed line
(``Number of Newton contacts (...) exceeded MJWarp limit``), bodies then sink into each other and the state can
turn NaN a few steps later. :class:`ContactMonitor` counts each world's contacts at every physics step (Warp kernels
launched before each solver step, so they are captured into the step's graph too) and keeps each world's peak;
MuJoCo Warp flags a constraint overflow per world itself (``Data.overflow``). :func:`physics_failures` reads both
after an env step, with a check of the scene's state for non-finite values, and resets them.

Every command that steps a task ends the attempt of an environment :func:`physics_failures` names: the tasks declare
it as a termination term (:func:`~isaaclab_mimic_tasks.tasks.common.mdp.physics_failure`); replay and generation,
which run without terminations, call it after each step.
"""

from __future__ import annotations

import logging

import torch
import warp as wp

logger = logging.getLogger("isaaclab_mimic_tasks.physics")

__all__ = ["ContactMonitor", "physics_failures", "peak_counts"]

CONSTRAINT_OVERFLOW_BITS = 0b11
"""MuJoCo Warp's ``OverflowType.NEFC | NJMAX_NNZ``: more constraint rows than ``njmax`` (solver iteration limits,
also flagged there, are not failures)."""


@wp.kernel
def _zero_counts(counts: wp.array[wp.int32]):
    counts[wp.tid()] = 0


@wp.kernel
def _count_contacts(
    contact_count: wp.array[wp.int32],
    shape0: wp.array[wp.int32],
    shape1: wp.array[wp.int32],
    shape_world: wp.array[wp.int32],
    counts: wp.array[wp.int32],
):
    tid = wp.tid()
    if tid >= contact_count[0]:
        return
    world = -1
    if shape0[tid] >= 0:
        world = shape_world[shape0[tid]]
    if world < 0 and shape1[tid] >= 0:
        world = shape_world[shape1[tid]]
    if world >= 0:
        wp.atomic_add(counts, world, 1)


@wp.kernel
def _keep_peaks(
    counts: wp.array[wp.int32],
    contact_count: wp.array[wp.int32],
    buffer_size: int,
    per_world_size: int,
    peak: wp.array[wp.int32],
    overflowed: wp.array[wp.int32],
):
    world = wp.tid()
    peak[world] = wp.max(peak[world], counts[world])
    # contacts beyond the whole buffer are dropped; charge the worlds that hold more than their share
    if contact_count[0] > buffer_size and counts[world] > per_world_size:
        overflowed[world] = wp.max(overflowed[world], counts[world])


class ContactMonitor:
    """Each world's contact count at every physics step: its peak, and the count where the buffer overflowed."""

    def __init__(self, model, contacts, buffer_size: int, device):
        self.world_count = model.world_count
        self.buffer_size = buffer_size
        self.nconmax = buffer_size // self.world_count
        """Each world's share of the contact buffer."""
        self._contacts = contacts
        self._shape_world = model.shape_world
        self._counts = wp.zeros(self.world_count, dtype=wp.int32, device=device)
        self.peak = wp.zeros(self.world_count, dtype=wp.int32, device=device)
        """Most contacts in each world at one physics step."""
        self.overflowed = wp.zeros(self.world_count, dtype=wp.int32, device=device)
        """Per world, the contact count of a step whose contacts did not fit the buffer (0: none)."""

    def record(self) -> None:
        """Count the contacts Newton's pipeline produced for the coming solver step (Warp launches only)."""
        contacts = self._contacts
        device = self._counts.device
        wp.launch(_zero_counts, dim=self.world_count, inputs=[self._counts], device=device)
        wp.launch(
            _count_contacts,
            dim=contacts.rigid_contact_max,
            inputs=[
                contacts.rigid_contact_count,
                contacts.rigid_contact_shape0,
                contacts.rigid_contact_shape1,
                self._shape_world,
                self._counts,
            ],
            device=device,
        )
        wp.launch(
            _keep_peaks,
            dim=self.world_count,
            inputs=[
                self._counts,
                contacts.rigid_contact_count,
                self.buffer_size,
                self.nconmax,
                self.peak,
                self.overflowed,
            ],
            device=device,
        )

    def take_overflows(self) -> torch.Tensor:
        """Per world, the contact count of a step that overflowed since the last call (0: none); reset after."""
        overflowed = wp.to_torch(self.overflowed).clone()
        self.overflowed.zero_()
        return overflowed

    def peaks(self) -> torch.Tensor:
        """Each world's most contacts at one physics step since the simulation started."""
        return wp.to_torch(self.peak).cpu().clone()


def _active_monitor() -> tuple[ContactMonitor | None, object | None]:
    """The contact monitor and MuJoCo Warp data of the running simulation (None where the physics has none)."""
    from isaaclab.physics import PhysicsManager

    manager = PhysicsManager._sim.physics_manager if getattr(PhysicsManager, "_sim", None) is not None else None
    monitor = getattr(manager, "contact_monitor", None)
    solver = getattr(manager, "_solver", None)
    return monitor, getattr(solver, "mjw_data", None)


def _non_finite_envs(env) -> torch.Tensor:
    """Per environment: a joint state or object pose of the scene is NaN or infinite."""
    bad = torch.zeros(env.num_envs, dtype=torch.bool, device=env.device)
    for articulation in env.scene.articulations.values():
        for values in (articulation.data.joint_pos.torch, articulation.data.joint_vel.torch):
            bad |= ~torch.isfinite(values).all(dim=-1)
    for rigid_object in env.scene.rigid_objects.values():
        bad |= ~torch.isfinite(rigid_object.data.root_state_w.torch).all(dim=-1)
    return bad


def physics_failures(env) -> dict[int, str]:
    """Environments whose last step failed physically -> what happened (one line each, also logged as a warning).

    A failure is a contact or constraint buffer overflow (contacts were dropped, so bodies may pass through each
    other) or a non-finite joint state or object pose. Reading resets the overflow records.
    """
    failures: dict[int, str] = {}
    monitor, mjw_data = _active_monitor()
    if monitor is not None:
        overflowed = monitor.take_overflows()
        for env_id in overflowed.nonzero().flatten().tolist():
            failures[env_id] = (
                f"{int(overflowed[env_id])} contacts, more than the {monitor.nconmax} the physics holds (nconmax)"
            )
    if mjw_data is not None and getattr(mjw_data, "overflow", None) is not None:
        flags = wp.to_torch(mjw_data.overflow)
        rows = (flags & CONSTRAINT_OVERFLOW_BITS).nonzero().flatten().tolist()
        for env_id in rows:
            failures.setdefault(env_id, f"more constraint rows than the physics holds (njmax {mjw_data.njmax})")
        if rows:
            flags &= ~CONSTRAINT_OVERFLOW_BITS
    for env_id in _non_finite_envs(env).nonzero().flatten().tolist():
        failures.setdefault(env_id, "the simulation state became non-finite (NaN)")
    for env_id, what in sorted(failures.items()):
        logger.warning("env %d: physics failure: %s; its attempt ends and it is reset", env_id, what)
    return failures


def peak_counts() -> torch.Tensor | None:
    """Each world's most contacts at one physics step since the simulation started (None without a monitor)."""
    monitor, _ = _active_monitor()
    if monitor is None:
        return None
    return monitor.peaks()
