"""The 3Dconnexion SpaceMouse through Isaac Lab's kit-less ``Se3SpaceMouse`` (hidapi), for every task.

:class:`SpaceMouse` adds two things to Isaac Lab's class: the cfg's retargeters are applied (Isaac Lab's
``advance`` ignores them, and the GR1T2 needs its bimanual retargeter), and a missing device or a missing USB
permission ends in one line that names the fix instead of an ``OSError``.
"""

from __future__ import annotations

import torch
from isaaclab.devices import DeviceBase
from isaaclab.devices.spacemouse import Se3SpaceMouseCfg
from isaaclab.utils import configclass

from isaaclab_mimic_tasks.errors import UserInputError

from .retargeters import build_retargeters
from .teleop_cfg import TeleopDeviceCfg

PERMISSION_FIX = "give your user read/write access to its USB node (a udev rule, see docs/devices.md)"


def _spacemouse_class():
    try:
        from isaaclab.devices.spacemouse.se3_spacemouse import Se3SpaceMouse
    except ImportError as error:  # hidapi's library
        raise UserInputError(f"the SpaceMouse needs hidapi ({error}); install it with `pip install hidapi`") from None
    return Se3SpaceMouse


def check_spacemouse() -> None:
    """Fail in one line, before anything starts, if no supported SpaceMouse is connected or it cannot be opened
    (the same test Isaac Lab's class makes, once, without its 5 s of retries)."""
    from isaaclab.devices.spacemouse.utils import resolve_device_name

    se3_spacemouse_class = _spacemouse_class()
    import isaaclab.devices.spacemouse.se3_spacemouse as se3_spacemouse

    supported = [
        d for d in se3_spacemouse.hid.enumerate() if resolve_device_name(d, se3_spacemouse_class.SUPPORTED_DEVICES)
    ]
    if not supported:
        raise UserInputError(f"no SpaceMouse found: connect it (USB or its receiver), and on Linux {PERMISSION_FIX}")
    device = se3_spacemouse.hid.device()
    try:
        device.open(supported[0]["vendor_id"], supported[0]["product_id"])
    except OSError:
        raise UserInputError(f"a SpaceMouse is connected but cannot be opened: {PERMISSION_FIX}") from None
    device.close()


class SpaceMouse(DeviceBase):
    """Isaac Lab's ``Se3SpaceMouse`` (``[dpos, drot, gripper]`` per step), then the cfg's retargeters.

    Buttons (Isaac Lab's): left toggles the gripper (callback key ``"L"``), right resets the command (callback
    key ``"R"``), both together toggle reading rotations.
    """

    def __init__(self, cfg: SpaceMouseCfg, retargeters=None):
        super().__init__(build_retargeters(cfg) if retargeters is None else retargeters)
        self.cfg = cfg
        try:
            self._mouse = _spacemouse_class()(cfg)
        except OSError as error:
            message = str(error)
            if "could not open" in message:
                raise UserInputError(f"a SpaceMouse is connected but cannot be opened: {PERMISSION_FIX}") from None
            raise UserInputError(
                f"no SpaceMouse found: connect it (USB or its receiver), and on Linux {PERMISSION_FIX}"
            ) from None

    def reset(self) -> None:
        self._mouse.reset()
        for retargeter in self._retargeters:
            if hasattr(retargeter, "reset"):
                retargeter.reset()

    def add_callback(self, key, func) -> None:
        self._mouse.add_callback(key, func)

    def _get_raw_data(self) -> torch.Tensor:
        return self._mouse.advance()

    def __str__(self) -> str:
        return str(self._mouse)


@configclass
class SpaceMouseCfg(Se3SpaceMouseCfg, TeleopDeviceCfg):
    """Isaac Lab's SpaceMouse settings (sensitivities per step) with retargeters that are applied; a missing or
    unopenable SpaceMouse fails before the simulator starts."""

    retargeters: list = []
    class_type: type[DeviceBase] | str = "{DIR}.spacemouse:SpaceMouse"

    def check_before_start(self) -> None:
        check_spacemouse()
