"""Browsing recorded demos frame by frame in the viewer window, and marking subtask ends by hand.

Frame ``t`` is the scene before the demo's action ``t``: ``initial_state`` for frame 0, else ``states[t - 1]``
(Isaac Lab records ``states`` after each step). Going to a frame restores that state exactly (``env.reset_to``),
forward or back, without simulating from the start. Where the task has subtask signals (``subtask_terms``), the
window shows them at the current frame: the value annotation records at step ``t`` (``obs/datagen_info`` is
recorded before each step), so the frame where a signal first shows 1 is the subtask end ``--auto`` stores, and
marking it there writes the same signal.

:func:`mark_subtask_ends` is the person's part of manual annotation (``mimic-tasks annotate`` without
``--auto``): per demo, per end effector, the frame where each subtask ends. :func:`view_dataset` browses a
dataset without changing it (``mimic-tasks view``). Keys: the ``[annotate]`` table of the key map.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import torch

FRAME_PERIOD = 1.0 / 30
"""Seconds between the session's frames (the window stays responsive; browsing simulates nothing)."""


def state_at(states: dict, index: int) -> dict:
    """Row ``index`` of recorded scene states (nested dict of (T, ...) tensors -> (1, ...) tensors)."""
    return {
        key: state_at(value, index) if isinstance(value, dict) else value[index : index + 1]
        for key, value in states.items()
    }


def frame_state(episode_data: dict, frame: int) -> dict:
    """The scene before action ``frame`` of a loaded demo: its ``initial_state`` for frame 0,
    else ``states[frame - 1]``."""
    if frame == 0:
        return episode_data["initial_state"]
    return state_at(episode_data["states"], frame - 1)


class DemoBrowser:
    """Restores the recorded states of one demo at a time in environment 0 of ``env``."""

    def __init__(self, env, dataset_path: str):
        from isaaclab.utils.datasets import HDF5DatasetFileHandler

        self.env = env
        self._handler = HDF5DatasetFileHandler()
        self._handler.open(dataset_path)
        self._ids = torch.tensor([0], device=env.device)
        self.name = ""
        self.data: dict = {}
        self.num_frames = 0
        self.frame = 0

    def load(self, name: str) -> None:
        """Take demo ``name`` and show its first frame (one frame per action)."""
        episode = self._handler.load_episode(name, self.env.device)
        self.name = name
        self.data = episode.data
        self.num_frames = len(episode.data["actions"])
        self.goto(0)

    def goto(self, frame: int) -> None:
        """Restore the scene of ``frame`` (clamped to the demo): the state before its action (:func:`frame_state`)."""
        self.frame = max(0, min(int(frame), self.num_frames - 1))
        self.env.reset_to(frame_state(self.data, self.frame), self._ids, is_relative=True)

    def signals(self) -> dict[str, bool]:
        """The task's subtask signals at the current frame (empty if it has none): what annotation records at this
        step, so the first frame showing 1 is the end ``--auto`` stores."""
        if "subtask_terms" not in getattr(self.env, "obs_buf", {}) or not hasattr(self.env.cfg, "subtask_configs"):
            return {}
        from isaaclab_mimic_tasks.tasks.common.mimic import subtask_term_signals

        return {name: bool(value[0]) for name, value in subtask_term_signals(self.env).items()}

    def close(self) -> None:
        self._handler.close()


def subtask_help_lines(subtask_configs: dict) -> list[str]:
    """Help lines of the panel while marking: per end effector, the subtasks offered for marking in their order, and
    why the last subtask of each is not offered (it has no signal: it ends at the demo's end)."""
    lines = ["subtasks to mark, in order:"]
    for eef, subtasks in subtask_configs.items():
        signals = [subtask.subtask_term_signal for subtask in subtasks if subtask.subtask_term_signal]
        lines.append(f"  {eef}: {', '.join(signals) or '(none)'}")
    lasts = "; ".join(f"{eef}: {subtasks[-1].description or 'its last'}" for eef, subtasks in subtask_configs.items())
    lines += [
        f"The last subtask of each end effector ({lasts}) has no signal:",
        "it ends at the demo's end, so it is not offered for marking.",
    ]
    return lines


@dataclass
class _Keys:
    """What the person asked for since the last frame."""

    frame_delta: int = 0
    mark: bool = False
    next_subtask: bool = False
    demo_delta: int = 0


@dataclass
class Marks:
    """Subtask-end frames marked by hand: demo -> signal name -> frame; ``done``: demos the person finished."""

    frames: dict[str, dict[str, int]] = field(default_factory=dict)
    done: list[str] = field(default_factory=list)


def browse(
    env,
    dataset_path: str,
    names: list[str],
    window,
    keymap,
    order: dict[str, list[str]] | None = None,
    marks: Marks | None = None,
) -> Marks:
    """Show ``names`` frame by frame in ``window`` until the last demo is left or the window is closed.

    With ``order`` (per end effector, the subtask signals in order) the person marks ends: ``mark_subtask_end``
    marks the selected subtask's end at the current frame (again at the same frame: unmarks it),
    ``next_subtask`` selects the next one; the panel's help lists them (:func:`subtask_help_lines`). ``next_demo``
    finishes a demo (it counts as done).
    """
    from .teleop import StatusLine

    marks = marks or Marks()
    selectable = [(eef, signal) for eef, signals in (order or {}).items() for signal in signals]
    keys = _Keys()
    steps = {
        keymap.annotate["next_frame"]: 1,
        keymap.annotate["previous_frame"]: -1,
        keymap.annotate["forward_10"]: 10,
        keymap.annotate["back_10"]: -10,
    }

    def on_press(key: str) -> None:
        keys.frame_delta += steps.get(key, 0)
        if key == keymap.annotate["mark_subtask_end"]:
            keys.mark = True
        elif key == keymap.annotate["next_subtask"]:
            keys.next_subtask = True
        elif key == keymap.annotate["next_demo"]:
            keys.demo_delta += 1
        elif key == keymap.annotate["previous_demo"]:
            keys.demo_delta -= 1

    window.listen(on_press)
    sections = ("annotate",)
    window.help_lines = [line for line in keymap.help_lines(sections) if selectable or "subtask" not in line]
    if selectable:
        window.help_lines += subtask_help_lines(env.cfg.subtask_configs)
    status = StatusLine(window)
    browser = DemoBrowser(env, dataset_path)
    index, selected = 0, 0
    browser.load(names[index])
    try:
        while window.is_open():
            window.pump_events()
            if keys.demo_delta:
                if keys.demo_delta > 0 and names[index] not in marks.done:
                    marks.done.append(names[index])
                index += keys.demo_delta
                keys.demo_delta = 0
                if index >= len(names):
                    break
                index = max(index, 0)
                browser.load(names[index])
                selected = 0
                keys.mark = keys.next_subtask = False  # keys pressed for the demo just left
                keys.frame_delta = 0
            if keys.frame_delta:
                browser.goto(browser.frame + keys.frame_delta)
                keys.frame_delta = 0
            demo_marks = marks.frames.setdefault(browser.name, {})
            if selectable and keys.next_subtask:
                selected = (selected + 1) % len(selectable)
            if selectable and keys.mark:
                signal = selectable[selected][1]
                if demo_marks.get(signal) == browser.frame:
                    del demo_marks[signal]
                else:
                    demo_marks[signal] = browser.frame
            keys.mark = keys.next_subtask = False
            status.show(
                _browse_status(browser, index, len(names), selectable, selected, demo_marks),
                panel=_browse_status(browser, index, len(names), selectable, selected, demo_marks, long=True),
            )
            env.sim.render()
            time.sleep(FRAME_PERIOD)
    finally:
        status.end()
        browser.close()
    return marks


def _browse_status(
    browser: DemoBrowser, index: int, count: int, selectable, selected: int, demo_marks, long: bool = False
) -> str:
    """Demo, frame, the selected subtask and the marks; ``long`` (the window's panel): also the end effector and the
    subtask signals at this frame (the terminal line keeps to 80 columns)."""
    parts = [f"{browser.name} ({index + 1}/{count})", f"frame {browser.frame}/{browser.num_frames - 1}"]
    if selectable:
        eef, signal = selectable[selected]
        parts.append(f"selected: {signal} ({eef})" if long else f"selected: {signal}")
        parts.append("marks: " + " ".join(f"{s}={demo_marks.get(s, '-')}" for _, s in selectable))
    signals = browser.signals() if long else {}
    if signals:
        parts.append("signals: " + " ".join(f"{name}={int(value)}" for name, value in signals.items()))
    return " | ".join(parts)


def view_dataset(dataset_path: str, task: str | None = None, keymap_path: str | None = None) -> int:
    """Browse the demos of ``dataset_path`` in the viewer window (``mimic-tasks view``); the file is only read.

    The scene is the task family's Mimic variant where there is one, so its subtask signals are shown. Returns
    the number of demos it holds.
    """
    from isaaclab_mimic_tasks.devices.keymap import load_keymap
    from isaaclab_mimic_tasks.envs import open_env, task_ids
    from isaaclab_mimic_tasks.errors import UserInputError
    from isaaclab_mimic_tasks.rendering.viewer import enable_viewer, open_viewer_window

    from .replay import replay_env_cfg, select_demos

    keymap = load_keymap(keymap_path)
    recorded_task, names = select_demos(dataset_path, None, task)
    task = task or recorded_task
    if not task:
        raise UserInputError(f"{dataset_path} does not name its task; pass --task")
    if task in task_ids():
        import gymnasium as gym

        task = gym.spec(task).kwargs["related_task_ids"].get("mimic", task)
    env_cfg, _ = replay_env_cfg(task, 1)
    launch_args = enable_viewer(env_cfg, "newton_gl")
    with open_env(task, num_envs=1, seed=0, env_cfg=env_cfg, launch_args=launch_args) as env:
        browse(env, dataset_path, names, open_viewer_window(env), keymap)
    return len(names)
