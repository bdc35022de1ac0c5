"""Recording with a person in the loop: a teleop device drives one environment, the viewer window shows it.

The device is built from the task's ``teleop_devices`` with Isaac Lab's factory (``create_teleop_device``, what
``record_demos.py`` calls), so any device a task lists works here; what the session needs to know of it (its
``--teleop_device`` name, whether it reads the viewer window, a check before the simulator starts) its cfg declares
(:class:`isaaclab_mimic_tasks.devices.TeleopDeviceCfg`). A demo is kept once the success term held
``num_success_steps`` steps; a time-out or a dropped object ends the attempt unsaved. Keys of the key map (and
the SpaceMouse's right button) act between steps: ``discard`` drops the attempt and resets, ``switch_hand``
changes the driven wrist of a bimanual robot, ``save_and_quit`` (ESCAPE; closing the window does the same)
keeps the demos recorded so far and ends. The status (recording, demos kept / wanted, the last attempt's
outcome) is shown in the window's panel and on the terminal's last line.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
import warnings
from dataclasses import dataclass

import torch

from .record import RecordStats


@dataclass
class _Flags:
    discard: bool = False
    quit: bool = False


class StatusLine:
    """The session's status, in the window's panel and on the terminal's last line (rewritten in place).

    The terminal line is cut to fit the terminal (at most :data:`TERMINAL_COLUMNS`); the panel gets the longer
    ``panel`` text where one is given. An event (an attempt ended) is also printed as a line of its own.
    """

    TERMINAL_COLUMNS = 80

    def __init__(self, window, stream=None):
        self.window = window
        self.stream = stream or sys.stdout
        self._tty = self.stream.isatty()
        self.text = ""
        self._columns = self.TERMINAL_COLUMNS
        if self._tty:
            self._columns = min(self._columns, shutil.get_terminal_size((self.TERMINAL_COLUMNS, 24)).columns)

    def show(self, text: str, event: str | None = None, panel: str | None = None) -> None:
        """Show ``text`` (and print ``event`` as its own line, if given)."""
        self.text = text[: self._columns - 1]  # the last column would wrap on some terminals
        if self.window is not None:
            self.window.status = (panel or text).replace(" | ", "\n")  # the panel is narrow: one part a line
        if event is not None:
            if self._tty:
                self.stream.write("\r\x1b[K")
            print(event, file=self.stream, flush=True)
        if self._tty:
            self.stream.write("\r" + self.text + "\x1b[K")
            self.stream.flush()

    def end(self) -> None:
        if self._tty and self.text:
            self.stream.write("\n")
            self.stream.flush()


def _device_entry(env_cfg, task: str, device: str) -> tuple[str, dict]:
    """The ``teleop_devices`` entry ``--teleop_device device`` names, and the task's devices; a one-line error
    listing every device the task offers if it has no such one."""
    from isaaclab_mimic_tasks.devices import find_teleop_device, teleop_device_names
    from isaaclab_mimic_tasks.errors import UserInputError

    devices = env_cfg.teleop_devices.devices or {}
    entry = find_teleop_device(devices, device)
    if entry is None:
        listed = ", ".join(teleop_device_names(devices)) or "none"
        raise UserInputError(f"task '{task}' lists no {device} device (it has: {listed})")
    return entry, devices


def _check_window(device: str, devices: dict, viz: str) -> None:
    """A device that reads the viewer window needs ``--viz newton_gl``: a one-line error naming the task's devices
    that do not, otherwise."""
    from isaaclab_mimic_tasks.devices import teleop_device_names
    from isaaclab_mimic_tasks.devices.teleop_cfg import declared
    from isaaclab_mimic_tasks.errors import UserInputError
    from isaaclab_mimic_tasks.rendering.viewer import resolve_viz

    if resolve_viz(viz) != "none":
        return
    windowless = [
        name for name, entry in teleop_device_names(devices).items() if not declared(devices[entry]).needs_viewer_window
    ]
    hint = f" (without a display: --teleop_device {' or '.join(windowless)})" if windowless else ""
    raise UserInputError(f"--teleop_device {device} reads keys in the viewer window: add --viz newton_gl{hint}")


def record_teleop_dataset(
    task: str,
    output: str,
    num_demos: int,
    device: str = "keyboard",
    viz: str = "none",
    seed: int = 0,
    num_success_steps: int | None = None,
    keymap_path: str | None = None,
    max_steps: int | None = None,
) -> RecordStats:
    """Record ``num_demos`` demos of ``task`` driven by ``device`` into ``output`` (which must not exist); the stats
    count demos kept and attempts ended (kept, failed or discarded).

    ``device`` is a ``--teleop_device`` name of the task's ``teleop_devices`` (``keyboard``: ours, in the viewer
    window). ``viz="newton_gl"`` opens the viewer window (a device that reads it needs it). ``max_steps`` ends the
    session after that many env steps (demos kept so far are saved), for unattended runs.
    """
    from isaaclab_mimic_tasks.datasets.io import publish, staging_path
    from isaaclab_mimic_tasks.devices import KeyboardDeviceCfg, load_keymap
    from isaaclab_mimic_tasks.devices.teleop_cfg import declared
    from isaaclab_mimic_tasks.envs import open_env
    from isaaclab_mimic_tasks.errors import UserInputError
    from isaaclab_mimic_tasks.rendering.viewer import enable_viewer, open_viewer_window

    from .record import recording_env_cfg

    if num_demos < 1 or (num_success_steps is not None and num_success_steps < 1):
        raise UserInputError("--num_demos and --num_success_steps must be at least 1")
    if os.path.exists(output):
        raise UserInputError(f"{output} exists; remove it or choose another --dataset_file")
    keymap = load_keymap(keymap_path)  # a bad key map fails before the simulator starts
    staging = staging_path(output)
    env_cfg, success_term = recording_env_cfg(task, 1, staging)
    # a person ends an attempt (success held, R), not a clock: Isaac Lab's teleop scripts do the same
    env_cfg.terminations.time_out = None
    entry, devices = _device_entry(env_cfg, task, device)
    device_cfg = devices[entry]
    if declared(device_cfg).needs_viewer_window:
        _check_window(device, devices, viz)
    declared(device_cfg).check_before_start()  # e.g. no SpaceMouse connected: before the simulator starts
    if isinstance(device_cfg, KeyboardDeviceCfg):  # a keyboard reads the same key map ...
        device_cfg.keymap_path = keymap_path
        device_cfg.control_period = env_cfg.sim.dt * env_cfg.decimation  # ... and moves by the time a key is held
    launch_args = enable_viewer(env_cfg, viz)
    if num_success_steps is None:
        num_success_steps = env_cfg.record_success_steps
    os.makedirs(os.path.dirname(os.path.abspath(output)), exist_ok=True)
    # a device that needs no window is made first: one that is missing fails before the simulator starts
    teleop = None if declared(device_cfg).needs_viewer_window else _create_device(entry, devices)
    try:
        with open_env(task, num_envs=1, seed=seed, env_cfg=env_cfg, launch_args=launch_args) as env:
            teleop = teleop or _create_device(entry, devices)
            window = open_viewer_window(env)
            return _run_session(env, teleop, window, keymap, success_term, num_demos, num_success_steps, max_steps)
    finally:
        publish(staging, output)


def _create_device(entry: str, devices: dict):
    from isaaclab_teleop.deprecated.teleop_device_factory import create_teleop_device

    with warnings.catch_warnings():  # 3.0 deprecates the factory and retargeters its record_demos.py still uses
        warnings.simplefilter("ignore", DeprecationWarning)
        return create_teleop_device(entry, devices)


def _run_session(
    env, teleop, window, keymap, success_term, num_demos: int, num_success_steps: int, max_steps: int | None
) -> RecordStats:
    from isaaclab_mimic_tasks.envs import SuccessStreak
    from isaaclab_mimic_tasks.rendering.viewer import FramePacer

    flags = _Flags()
    retargeters = [r for r in getattr(teleop, "_retargeters", []) if hasattr(r, "switch_hand")]
    commands = {
        "discard": lambda: setattr(flags, "discard", True),
        "save_and_quit": lambda: setattr(flags, "quit", True),
    }
    if hasattr(teleop, "keys"):  # a keyboard: its own key map binds the commands (and switches hands itself)
        for command, func in commands.items():
            teleop.add_callback(command, func)
    else:  # e.g. the SpaceMouse: its right button discards, the window's keys give the other commands
        if retargeters:
            commands["switch_hand"] = lambda: [r.switch_hand() for r in retargeters]
        teleop.add_callback("R", commands["discard"])
        if window is not None:
            by_key = {keymap.commands[command]: func for command, func in commands.items()}
            window.listen(lambda key: by_key[key]() if key in by_key else None)
    if hasattr(teleop, "keys"):
        help_lines = teleop.help_lines()
    else:  # the device's own lines, then the window's command keys
        unused = () if retargeters else ("switch_hand",)
        help_lines = str(teleop).splitlines()[1:] + keymap.help_lines(("commands",), omit=unused)
    print(f"teleoperating {env.cfg.env_name} with {type(teleop).__name__}; keys:\n  " + "\n  ".join(help_lines))
    if window is not None:
        window.help_lines = help_lines
    status = StatusLine(window)
    step_period = env.step_dt  # never faster than the control rate: a person drives in real time
    pacer = FramePacer(window, step_period)  # real time, the window redrawn when there is time

    from isaaclab_mimic_tasks.tasks.common.mdp import eef_pos

    end_effectors = list(env.cfg.end_effectors.values())
    end_effector = end_effectors[0] if len(end_effectors) == 1 else None  # its tool point in the status (one arm)
    streak = SuccessStreak(env, success_term)
    recorder = env.recorder_manager
    stats = RecordStats(0, 0, num_envs=1, step_period=step_period)
    attempt_steps = 0
    start = time.perf_counter()

    def end_attempt(outcome: str) -> None:
        nonlocal attempt_steps
        stats.attempts += 1
        event = f"attempt {stats.attempts}: {outcome} after {attempt_steps} steps ({attempt_steps * step_period:.1f} s)"
        attempt_steps = 0
        teleop.reset()
        streak.reset()
        status.show(_status_text(stats, num_demos, num_success_steps, 0, teleop), event=event)

    try:
        while stats.demos < num_demos and not flags.quit and (window is None or window.is_open()):
            if max_steps is not None and stats.steps >= max_steps:
                break
            if flags.discard:
                flags.discard = False
                env.reset()  # the recorder drops the unfinished episode (only successes are exported)
                end_attempt("discarded (R)")
                continue
            tick = time.perf_counter()
            pacer.before_step()
            action = teleop.advance().reshape(1, -1).to(env.device)
            _, _, terminated, truncated, _ = env.step(action)
            stats.steps += 1
            attempt_steps += 1
            held = int(streak.update()[0])
            if bool(terminated[0] | truncated[0]):  # the env reset itself; the recorder dropped the attempt
                end_attempt(f"ended by {', '.join(_fired_terms(env)) or 'a termination'}, not saved")
            elif held >= num_success_steps:
                ids = torch.tensor([0], device=env.device)
                recorder.record_pre_reset(ids, force_export_or_skip=False)
                recorder.set_success_to_episodes(ids, torch.ones(1, 1, dtype=torch.bool, device=env.device))
                recorder.export_episodes(ids)
                env.reset()
                stats.demos += 1
                end_attempt(f"kept as demo {stats.demos}/{num_demos}")
            else:
                eef = eef_pos(env, end_effector)[0].tolist() if end_effector is not None else None
                rate = stats.steps / max(time.perf_counter() - start, 1e-9)
                status.show(
                    _status_text(stats, num_demos, num_success_steps, held, teleop, attempt_steps, eef),
                    panel=_status_text(stats, num_demos, num_success_steps, held, teleop, attempt_steps, eef, long=True)
                    + f" | {rate:.1f} steps/s ({rate * step_period:.2f}x real time)",
                )
            pacer.after_step(time.perf_counter() - tick)
    finally:
        status.end()
        stats.seconds = time.perf_counter() - start
        stats.frames = pacer.frames
        close = getattr(teleop, "close", None)
        if close is not None:
            close()
    return stats


def _fired_terms(env) -> list[str]:
    """The termination terms that ended environment 0's episode at the last step."""
    manager = env.termination_manager
    return [name for name in manager.active_terms if bool(manager.get_term(name)[0])]


def _status_text(
    stats: RecordStats,
    num_demos: int,
    num_success_steps: int,
    held: int,
    teleop,
    steps: int = 0,
    eef=None,
    long: bool = False,
) -> str:
    """The status: demos kept, this attempt's step, the success hold, the tool point, each gripper (the active hand
    marked ``*``). ``long``: the window panel's wording (one part a line, room for words)."""
    parts = [f"demos {stats.demos}/{num_demos}", f"step {steps}"]
    if long:
        parts = ["recording", f"demos kept {stats.demos}/{num_demos}", f"attempt {stats.attempts + 1}, step {steps}"]
    if held:
        parts.append(f"held {held}/{num_success_steps}" if not long else f"success held {held}/{num_success_steps}")
    if eef is not None:  # the declared end effector's tool point (robot base frame)
        parts.append("eef " + " ".join(f"{v:+.3f}" for v in eef))
    bimanual = [r for r in getattr(teleop, "_retargeters", []) if hasattr(r, "active_side")]
    for retargeter in bimanual:  # each hand's state, the driven one first and marked
        order = sorted(range(len(retargeter.cfg.sides)), key=lambda i: i != retargeter.active)
        hands = []
        for i in order:
            side = retargeter.cfg.sides[i]
            name = side if long else side[0].upper()
            hands.append(
                f"{name}{'*' if i == retargeter.active else ''} {'closed' if retargeter.closed[i] else 'open'}"
            )
        target = retargeter.poses[retargeter.active][:3].tolist()  # the driven wrist's target (env frame)
        parts.append("target " + " ".join(f"{v:+.3f}" for v in target))
        parts.append(("hands (* driven): " if long else "") + " ".join(hands))
    keys = getattr(teleop, "keys", None)
    if keys is not None and not bimanual:
        parts.append("gripper closed" if keys.gripper_closed else "gripper open")
    return " | ".join(parts)
