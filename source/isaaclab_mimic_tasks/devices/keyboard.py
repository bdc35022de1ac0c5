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
import time
from collections.abc import Callable

import torch
from isaaclab.devices import DeviceBase
from isaaclab.utils import configclass

from isaaclab_mimic_tasks.errors import UserInputError

from .keymap import MOTION_AXES, TERMINAL_SEQUENCES, KeyMap, load_keymap
from .retargeters import build_retargeters
from .teleop_cfg import TeleopDeviceCfg
from .window_keys import WindowKeys, newton_visualizer


class KeyCommand:
    """What the pressed keys command: a twist from the motion keys, a gripper toggle, callbacks of other keys.

    A held key moves by how long it was held: with a ``control_period`` (the env step's duration), each call of
    :meth:`take_twist` moves a held key's axis by its step times the wall time it was held since the last call,
    in control periods (at least one step for a tap, at most :data:`MAX_STEPS_PER_CALL`), so the distance of a
    hold does not depend on how fast the simulation runs. Without one, a held key moves one step per call.
    :meth:`press_once` queues a press that moves exactly one step (a terminal's key press): several pressed
    between two calls each count, one per call.

    Callbacks run where the key event arrives (inside the viewer's frame, i.e. inside ``env.step``): they
    should only set flags.
    """

    FINE_KEYS = ("LSHIFT", "RSHIFT")
    """Held with motion keys, these move a quarter as far (fine positioning near an object)."""
    FINE_FACTOR = 0.25
    MAX_STEPS_PER_CALL = 3.0
    """A stalled frame (e.g. the window being dragged) moves a held key by at most this many steps."""
    MAX_QUEUED_PRESSES = 10
    """Presses of one key waiting for a step, at most (a held terminal key repeats faster than 20 Hz)."""

    def __init__(
        self,
        keymap: KeyMap,
        pos_step: float,
        rot_step: float,
        control_period: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.keymap = keymap
        self.pos_step = pos_step
        self.rot_step = rot_step
        self.control_period = control_period
        self._clock = clock
        self._axis_of = {key: MOTION_AXES[action] for action, key in keymap.motion.items()}
        self._callbacks: dict[str, list[Callable[[], None]]] = {}
        self.held: dict[str, float] = {}
        """Motion keys held now -> when they were pressed."""
        self._released: dict[str, tuple[float, float]] = {}
        """Motion keys pressed and released since the last :meth:`take_twist` -> (press, release) times."""
        self._queued: dict[str, int] = {}
        self._last_take: float | None = None
        self.gripper_closed = False
        self.fine = False
        """SHIFT is held: motion keys move :data:`FINE_FACTOR` as far."""

    def add_callback(self, key: str, func: Callable[[], None]) -> None:
        """Call ``func`` when ``key`` (a key name, or a command of the key map, e.g. ``"discard"``) is pressed."""
        key = self.keymap.commands.get(key, self.keymap.annotate.get(key, key.upper()))
        self._callbacks.setdefault(key, []).append(func)

    def press(self, key: str) -> None:
        if key in self.FINE_KEYS:
            self.fine = True
        if key in self._axis_of and key not in self.held:
            self.held[key] = self._clock()
        self._command(key)

    def release(self, key: str) -> None:
        if key in self.FINE_KEYS:
            self.fine = False
        pressed = self.held.pop(key, None)
        if pressed is not None:
            self._released[key] = (pressed, self._clock())

    def press_once(self, key: str) -> None:
        """A press without a release event: a motion key moves one step (queued), other keys act at once."""
        if key in self._axis_of:
            self._queued[key] = min(self._queued.get(key, 0) + 1, self.MAX_QUEUED_PRESSES)
        self._command(key)

    def _command(self, key: str) -> None:
        if key == self.keymap.commands["toggle_gripper"]:
            self.gripper_closed = not self.gripper_closed
        for func in self._callbacks.get(key, []):
            func()

    def reset(self) -> None:
        self.held.clear()
        self._released.clear()
        self._queued.clear()
        self._last_take = None
        self.gripper_closed = False
        self.fine = False

    def _steps(self, pressed: float, released: float | None, now: float) -> float:
        """How many steps a key pressed at ``pressed`` (released at ``released``, or still held) moves now."""
        if self.control_period is None or self._last_take is None:
            return 1.0
        held = (released if released is not None else now) - max(pressed, self._last_take)
        return min(max(held / self.control_period, 1.0 if pressed >= self._last_take else 0.0), self.MAX_STEPS_PER_CALL)

    def take_twist(self) -> list[float]:
        """The 6-D step of the keys held, released or queued since the last call."""
        now = self._clock()
        steps: dict[str, float] = {}
        for key, (pressed, released) in self._released.items():
            steps[key] = steps.get(key, 0.0) + self._steps(pressed, released, now)
        for key, pressed in self.held.items():
            steps[key] = steps.get(key, 0.0) + self._steps(pressed, None, now)
        for key in [key for key, count in self._queued.items() if count]:
            steps[key] = steps.get(key, 0.0) + 1.0
            self._queued[key] -= 1
        twist = [0.0] * 6
        scale = self.FINE_FACTOR if self.fine else 1.0
        for key, count in steps.items():
            index, sign = self._axis_of[key]
            twist[index] += sign * count * scale * (self.pos_step if index < 3 else self.rot_step)
        self._released.clear()
        self._last_take = now
        return twist


@configclass
class KeyboardDeviceCfg(TeleopDeviceCfg):
    """Shared settings of the keyboard devices. The step sizes are per env step: set them per task."""

    pos_sensitivity: float = 0.01
    """Metres per step (about 1 cm suits a tabletop arm at 20 Hz; Isaac Lab's 0.4 is 4 m/s there)."""
    rot_sensitivity: float = 0.05
    """Radians per step."""
    gripper_term: bool = True
    """Append the gripper command (+1 open, -1 closed), as Isaac Lab's ``Se3Keyboard`` does."""
    keymap_path: str | None = None
    """Key map file; None: ``config/teleop_keymap.toml``."""
    control_period: float | None = None
    """Seconds of one env step (set by the recording session): a held key then moves ``pos_sensitivity`` per period
    it is held, however fast the simulation runs. None: one step per ``advance()``."""


class _KeyboardDevice(DeviceBase):
    """The common part of both keyboards: key map, command state, Se3 output, retargeting."""

    title = "Keyboard"
    """The first line of ``str(device)``, above the key map."""

    def __init__(self, cfg: KeyboardDeviceCfg, retargeters=None):
        super().__init__(build_retargeters(cfg) if retargeters is None else retargeters)
        self.cfg = cfg
        self.keymap = load_keymap(cfg.keymap_path)
        self.keys = KeyCommand(self.keymap, cfg.pos_sensitivity, cfg.rot_sensitivity, cfg.control_period)
        for retargeter in self._retargeters:  # a bimanual retargeter: the switch_hand key changes its active side
            if hasattr(retargeter, "switch_hand"):
                self.keys.add_callback("switch_hand", lambda retargeter=retargeter: self._switch_hand(retargeter))

    def _switch_hand(self, retargeter) -> None:
        """Drive the other hand; motion of keys released before the switch still belongs to the old one (dropped
        here, not applied to the new one at the next step)."""
        self.keys.take_twist()
        retargeter.switch_hand()

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

    @property
    def bimanual(self) -> bool:
        """Whether a retargeter switches between hands (the ``switch_hand`` key means something)."""
        return any(hasattr(retargeter, "switch_hand") for retargeter in self._retargeters)

    def help_lines(self) -> list[str]:
        """The keys this device uses (``switch_hand`` only for a bimanual robot)."""
        unused = () if self.bimanual else ("switch_hand",)
        return self.keymap.help_lines(omit=unused)

    def __str__(self) -> str:
        return f"{self.title}:\n\t" + "\n\t".join(self.help_lines())


class NewtonKeyboard(_KeyboardDevice):
    """Keys of the Newton viewer window (``--viz newton_gl``): press and release events, held keys move on."""

    title = "Keyboard in the Newton viewer window"

    def __init__(self, cfg: NewtonKeyboardCfg, retargeters=None):
        super().__init__(cfg, retargeters)
        visualizer = newton_visualizer()
        if visualizer is None:
            raise UserInputError(
                "the keyboard device reads keys from the viewer window: open it with --viz newton_gl "
                "(or use --teleop_device terminal_keyboard)"
            )
        self.window = WindowKeys(visualizer)
        self.window.listen(self.keys.press, self.keys.release)

    def advance(self) -> torch.Tensor:
        self.window.pump_events()
        return super().advance()

    def help_lines(self) -> list[str]:
        return super().help_lines() + [f"SHIFT + motion keys: {KeyCommand.FINE_FACTOR:g} as far (fine)"]


@configclass
class NewtonKeyboardCfg(KeyboardDeviceCfg):
    class_type: type[DeviceBase] | str = "{DIR}.keyboard:NewtonKeyboard"
    teleop_name: str | None = "keyboard"
    needs_viewer_window: bool = True


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
                    self.keys.press_once(key)  # a terminal sends no release: each press is one step
                    text = text[len(sequence) :]
                    break
            else:
                text = text[1:]  # a key the map does not use

    def advance(self) -> torch.Tensor:
        self.poll()
        return super().advance()


@configclass
class TerminalKeyboardCfg(KeyboardDeviceCfg):
    class_type: type[DeviceBase] | str = "{DIR}.keyboard:TerminalKeyboard"
