"""What a teleop device declares for a recording session (``mimic-tasks record --teleop_device NAME``).

A task lists its devices in its env cfg's ``teleop_devices`` (Isaac Lab's ``DevicesCfg``: entry -> ``DeviceCfg``),
and a session builds the chosen entry with Isaac Lab's ``create_teleop_device``. What the session must know
besides is declared by the device's cfg on :class:`TeleopDeviceCfg`: the name ``--teleop_device`` gives it,
whether it reads the viewer window, and a check that runs before the simulator starts. Any other ``DeviceCfg`` (a
user's, Isaac Lab's) declares none of them and gets the defaults: named by its entry, no window, no check.
"""

from __future__ import annotations

from isaaclab.devices import DeviceCfg
from isaaclab.utils import configclass


@configclass
class TeleopDeviceCfg(DeviceCfg):
    """A ``DeviceCfg`` with the declarations a recording session reads (defaults: what a plain device needs)."""

    teleop_name: str | None = None
    """The name ``--teleop_device`` gives this device; None: its ``teleop_devices`` entry. A declared name wins over
    an entry of that name (the organizer lists Isaac Lab's Kit keyboard as ``keyboard`` for Isaac Lab's
    ``record_demos.py``; ours is listed as ``newton_keyboard`` and declares ``keyboard``)."""
    needs_viewer_window: bool = False
    """It reads the viewer window (``--viz newton_gl``): the session requires the window and builds the device once
    the window is open. Other devices are built before the simulator starts, so a missing one fails early."""

    def check_before_start(self) -> None:
        """Raise a one-line :class:`~isaaclab_mimic_tasks.errors.UserInputError` if the device cannot work (no
        hardware, no permission); called before the simulator starts. Default: nothing to check."""


def declared(cfg: DeviceCfg) -> TeleopDeviceCfg:
    """``cfg``'s declarations: itself, or the defaults for a ``DeviceCfg`` that declares none."""
    return cfg if isinstance(cfg, TeleopDeviceCfg) else TeleopDeviceCfg()


def teleop_device_names(devices: dict[str, DeviceCfg]) -> dict[str, str]:
    """``--teleop_device`` name -> ``teleop_devices`` entry, one name for each entry a session can choose.

    An entry goes by its declared :attr:`~TeleopDeviceCfg.teleop_name`, else by its key; an entry whose key another
    entry declares as its name is hidden by that entry.
    """
    declared_names = {declared(cfg).teleop_name: entry for entry, cfg in devices.items() if declared(cfg).teleop_name}
    names = {}
    for entry, cfg in devices.items():
        name = declared(cfg).teleop_name or entry
        names[name] = declared_names.get(name, entry)
    return names


def find_teleop_device(devices: dict[str, DeviceCfg], name: str) -> str | None:
    """The entry ``--teleop_device name`` builds (see :func:`teleop_device_names`; an entry's own key works too), or
    None if the task lists no such device."""
    return teleop_device_names(devices).get(name) or (name if name in devices else None)
