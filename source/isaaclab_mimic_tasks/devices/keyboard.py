"""Keyboard teleoperation kit-less: in the Newton viewer window, or in a terminal.

Both devices follow Isaac Lab's device interface (:class:`~isaaclab.devices.DeviceBase`: ``reset``,
``add_callback``, ``advance``; a :class:`~isaaclab.devices.DeviceCfg` with ``class_type``) and its
``Se3Keyboard`` output: ``advance()`` returns ``[dx, dy, dz, rx, ry, rz, gripper]`` (metres and an axis-angle
rotation per step, gripper +1 open / -1 closed), or, with retargeters, their concatenated outputs. Isaac Lab's
own ``record_demos.py`` builds them by name from a task's ``teleop_devices``.

- :class:`NewtonKeyboard` listens to the viewer window's key press and release events: a held key moves the
  robot every env step until released, a tap shorter than a step still moves it one step.
- :class:`TerminalKeyboard` reads the terminal (no window needed, e.g. over SSH). Terminals send presses only
  (auto-repeat while held), so each press moves one fixed step.
"""

from __future__ import annotations

import contextlib
import os
import select
import sys
from collections.abc import Callable

import torch

from isaaclab.devices import DeviceBase, DeviceCfg
from isaaclab.utils import configclass

from isaaclab_mimic_tasks.errors import UserInputError

from .keymap import MOTION_AXES, TERMINAL_SEQUENCES, KeyMap, load_keymap
from .retargeters import build_retargeters


class KeyCommand:
    """What the pressed keys command: a twist from the motion keys, a gripper toggle, callbacks of other keys.

    Callbacks run where the key event arrives (inside the viewer's frame, i.e. inside ``env.step``): they
    should only set flags.
    """

    def __init__(self, keymap: KeyMap, pos_step: float, rot_step: float):
        self.keymap = keymap
        self.pos_step = pos_step
        self.rot_step = rot_step
        self._axis_of = {key: MOTION_AXES[action] for action, key in keymap.motion.items()}
        self._callbacks: dict[str, list[Callable[[], None]]] = {}
        self.held: set[str] = set()
        self._tapped: set[str] = set()
        self.gripper_closed = False

    def add_callback(self, key: str, func: Callable[[], None]) -> None:
        """Call ``func`` when ``key`` (a key name, or a command of the key map, e.g. ``"discard"``) is pressed."""
        key = self.keymap.commands.get(key, self.keymap.annotate.get(key, key.upper()))
        self._callbacks.setdefault(key, []).append(func)

    def press(self, key: str) -> None:
        if key in self._axis_of:
            self.held.add(key)
            self._tapped.add(key)
        if key == self.keymap.commands["toggle_gripper"]:
            self.gripper_closed = not self.gripper_closed
        for func in self._callbacks.get(key, []):
            func()

    def release(self, key: str) -> None:
        self.held.discard(key)

    def reset(self) -> None:
        self.held.clear()
        self._tapped.clear()
        self.gripper_closed = False

    def take_twist(self) -> list[float]:
        """The 6-D step of the keys held now or tapped since the last call (each key counts once)."""
        twist = [0.0] * 6
        for key in self.held | self._tapped:
            index, sign = self._axis_of[key]
            twist[index] += sign * (self.pos_step if index < 3 else self.rot_step)
        self._tapped.clear()
        return twist


@configclass
class KeyboardDeviceCfg(DeviceCfg):
    """Shared settings of the keyboard devices. The step sizes are per env step: set them per task."""

    pos_sensitivity: float = 0.01
    """Metres per step (about 1 cm suits a tabletop arm at 20 Hz; Isaac Lab's 0.4 is 4 m/s there)."""
    rot_sensitivity: float = 0.05
    """Radians per step."""
    gripper_term: bool = True
    """Append the gripper command (+1 open, -1 closed), as Isaac Lab's ``Se3Keyboard`` does."""
    keymap_path: str | None = None
    """Key map file; None: ``config/teleop_keymap.toml``."""


class _KeyboardDevice(DeviceBase):
    """The common part of both keyboards: key map, command state, Se3 output, retargeting."""

    title = "Keyboard"
    """The first line of ``str(device)``, above the key map."""

    def __init__(self, cfg: KeyboardDeviceCfg, retargeters=None):
        super().__init__(build_retargeters(cfg) if retargeters is None else retargeters)
        self.cfg = cfg
        self.keymap = load_keymap(cfg.keymap_path)
        self.keys = KeyCommand(self.keymap, cfg.pos_sensitivity, cfg.rot_sensitivity)
        for retargeter in self._retargeters:  # a bimanual retargeter: the switch_hand key changes its active side
            if hasattr(retargeter, "switch_hand"):
                self.keys.add_callback("switch_hand", retargeter.switch_hand)

    def reset(self) -> None:
        self.keys.reset()
        for retargeter in self._retargeters:
            if hasattr(retargeter, "reset"):
                retargeter.reset()

    def add_callback(self, key: str, func: Callable[[], None]) -> None:
        self.keys.add_callback(key, func)

    def _get_raw_data(self) -> torch.Tensor:
        command = self.keys.take_twist()
        if self.cfg.gripper_term:
            command.append(-1.0 if self.keys.gripper_closed else 1.0)
        return torch.tensor(command, dtype=torch.float32, device=self.cfg.sim_device)

    def help_lines(self) -> list[str]:
        return self.keymap.help_lines()

    def __str__(self) -> str:
        return f"{self.title}:\n\t" + "\n\t".join(self.help_lines())


class NewtonKeyboard(_KeyboardDevice):
    """Keys of the Newton viewer window (``--viz newton_gl``): press and release events, held keys move on."""

    title = "Keyboard in the Newton viewer window"

    def __init__(self, cfg: NewtonKeyboardCfg, retargeters=None):
        super().__init__(cfg, retargeters)
        from .viewer import open_viewer_window

        window = open_viewer_window()
        if window is None:
            raise UserInputError(
                "the keyboard device reads keys from the viewer window: open it with --viz newton_gl "
                "(or use --teleop_device terminal_keyboard)"
            )
        window.listen(self.keys.press, self.keys.release)
        self.window = window

    def advance(self) -> torch.Tensor:
        self.window.pump_events()
        return super().advance()


@configclass
class NewtonKeyboardCfg(KeyboardDeviceCfg):
    class_type: type[DeviceBase] | str = "{DIR}.keyboard:NewtonKeyboard"


class TerminalKeyboard(_KeyboardDevice):
    """Keys typed in the terminal (no window needed): one fixed step per key press.

    The terminal is put in cbreak mode (no echo, no line buffering; Ctrl-C still interrupts) while the device
    lives and restored by :meth:`close` (called at exit too).
    """

    title = "Keyboard in this terminal (one step per key press)"

    def __init__(self, cfg: TerminalKeyboardCfg, retargeters=None, stream=None):
        super().__init__(cfg, retargeters)
        import atexit
        import termios
        import tty

        self._stream = stream or sys.stdin
        try:
            self._fd = self._stream.fileno()
            self._saved = termios.tcgetattr(self._fd)
        except (OSError, ValueError, termios.error):
            raise UserInputError("--teleop_device terminal_keyboard needs a terminal on stdin") from None
        tty.setcbreak(self._fd)
        atexit.register(self.close)
        # longest sequence first, so an arrow key is not read as ESCAPE followed by letters
        self._sequences = sorted(((seq, key) for key, seq in TERMINAL_SEQUENCES.items()), key=lambda s: -len(s[0]))

    def close(self) -> None:
        """Give the terminal its settings back."""
        import atexit
        import termios

        if getattr(self, "_saved", None) is not None:
            with contextlib.suppress(OSError, termios.error):  # the terminal may be gone already
                termios.tcsetattr(self._fd, termios.TCSADRAIN, self._saved)
            self._saved = None
            atexit.unregister(self.close)

    def poll(self) -> None:
        """Read what was typed since the last call and press those keys (called by ``advance``)."""
        text = ""
        while select.select([self._fd], [], [], 0)[0]:
            data = os.read(self._fd, 1024)
            if not data:
                break
            text += data.decode(errors="ignore")
        while text:
            for sequence, key in self._sequences:
                if text.startswith(sequence) or text[0].lower() == sequence:  # shift+letter: the letter
                    self.keys.press(key)
                    self.keys.release(key)  # a terminal sends no release: the press is one step
                    text = text[len(sequence):]
                    break
            else:
                text = text[1:]  # a key the map does not use

    def advance(self) -> torch.Tensor:
        self.poll()
        return super().advance()


@configclass
class TerminalKeyboardCfg(KeyboardDeviceCfg):
    class_type: type[DeviceBase] | str = "{DIR}.keyboard:TerminalKeyboard"
