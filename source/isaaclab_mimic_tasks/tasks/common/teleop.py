"""Teleop device entries several tasks share."""

from __future__ import annotations

from isaaclab.devices import DeviceCfg

from isaaclab_mimic_tasks.devices import NewtonKeyboardCfg, SpaceMouseCfg, TerminalKeyboardCfg

__all__ = ["kitless_teleop_devices"]


def kitless_teleop_devices(**settings) -> dict[str, DeviceCfg]:
    """``teleop_devices`` entries of this package's kit-less devices (the viewer window's keyboard, a terminal's
    keyboard, a SpaceMouse), each made with ``settings`` (sensitivities, ``sim_device``, retargeters)."""
    return {
        "newton_keyboard": NewtonKeyboardCfg(**settings),
        "terminal_keyboard": TerminalKeyboardCfg(**settings),
        "spacemouse": SpaceMouseCfg(**settings),
    }
