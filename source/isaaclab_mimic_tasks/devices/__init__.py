"""Teleop devices kit-less, with Isaac Lab's device interface (``DeviceBase``, ``DeviceCfg.class_type``).

- :class:`NewtonKeyboard`: keys of the Newton viewer window (held keys move on; press and release events);
- :class:`TerminalKeyboard`: keys typed in a terminal (one step per press), for a machine without a display;
- :class:`SpaceMouse`: Isaac Lab's ``Se3SpaceMouse`` (hidapi) with retargeters and one-line errors;
- :class:`BimanualWristRetargeter`: one Se3 device drives either wrist of a two-armed robot (the GR1T2).

A task lists the ones it supports in its env cfg's ``teleop_devices``; the key map is ``config/teleop_keymap.toml``.
What a recording session needs to know of a device (its ``--teleop_device`` name, whether it reads the viewer window,
a check before the simulator starts) its cfg declares on :class:`TeleopDeviceCfg`. The window keys the keyboard reads:
:mod:`.window_keys`; the viewer window itself (panel, camera views): :mod:`isaaclab_mimic_tasks.rendering.viewer`.
"""

from .keyboard import KeyboardDeviceCfg, NewtonKeyboard, NewtonKeyboardCfg, TerminalKeyboard, TerminalKeyboardCfg
from .keymap import KeyMap, load_keymap
from .retargeters import BimanualWristRetargeter, BimanualWristRetargeterCfg
from .spacemouse import SpaceMouse, SpaceMouseCfg
from .teleop_cfg import TeleopDeviceCfg, find_teleop_device, teleop_device_names

__all__ = [
    "BimanualWristRetargeter",
    "BimanualWristRetargeterCfg",
    "KeyMap",
    "KeyboardDeviceCfg",
    "NewtonKeyboard",
    "NewtonKeyboardCfg",
    "SpaceMouse",
    "SpaceMouseCfg",
    "TerminalKeyboard",
    "TeleopDeviceCfg",
    "TerminalKeyboardCfg",
    "find_teleop_device",
    "load_keymap",
    "teleop_device_names",
]
