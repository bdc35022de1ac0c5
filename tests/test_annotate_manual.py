"""Manual annotation and browsing, for real: ``mimic-tasks annotate`` without ``--auto`` driven by key events sent
to the viewer window under Xvfb gives the same ``datagen_info`` as ``--auto`` on the same demos (within the frames
marked); going to a frame, forward or back, restores the recorded state exactly; ``mimic-tasks view`` changes
nothing."""

from __future__ import annotations

import json
import os
import re

import h5py
import numpy as np
import pytest
import torch
from conftest import Session, WindowKeys, assert_clear_failure, cli, digest

TASK = "Isaac-Desktop-Organizer-Franka-IK-Rel-v0"
MIMIC_TASK = "Isaac-Desktop-Organizer-Franka-Mimic-IK-Rel-v0"


def declared_signals() -> list[str]:
    """The organizer's subtask signals in its Mimic cfg's order (one end effector): what is marked and written."""
    from isaaclab_mimic_tasks.datagen.annotate import subtask_order
    from isaaclab_mimic_tasks.envs import load_mimic_env_cfg

    (signals,) = subtask_order(load_mimic_env_cfg(MIMIC_TASK)).values()
    return signals


STATUS = re.compile(
    r"(demo_\d+) \((\d+)/\d+\) \| frame (\d+)/\d+(?: \| selected: (\w+) \| marks: ([^|\r\x1b]*?))?(?= \||$|\r|\x1b)"
)


@pytest.fixture(scope="module")
def demos(tmp_path_factory):
    """Two scripted demos and their automatic annotation."""
    folder = tmp_path_factory.mktemp("manual")
    source, auto = folder / "source.hdf5", folder / "auto.hdf5"
    result = cli("record", "--task", TASK, "--num_demos", 2, "--num_envs", 2, "--dataset_file", source)
    assert result.returncode == 0, result.stderr[-2000:]
    # one demo at a time, as manual annotation replays them (replays with 1 and 2 envs differ slightly)
    result = cli(
        "annotate", "--auto", "--task", MIMIC_TASK, "--input_file", source, "--output_file", auto, "--num_envs", 1
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return source, auto


def _first_rises(path) -> dict[str, dict[str, int]]:
    with h5py.File(path, "r") as f:
        return {
            demo: {
                name: int(np.argmax(signal[:] > 0))
                for name, signal in f[f"data/{demo}/obs/datagen_info/subtask_term_signals"].items()
            }
            for demo in f["data"]
        }


def _browse_session(args: list, display: str) -> Session:
    """A browsing command on a pseudo-terminal; its status: (frame, demo, demo index, selected subtask, marks)."""

    def parse(match):
        demo, index, frame, selected, marks = match
        return int(frame), demo, int(index), selected, dict(m.split("=") for m in marks.split()) if marks else {}

    return Session(args, STATUS, parse, env={**os.environ, "DISPLAY": display})


def _go_to(session: Session, keys: WindowKeys, frame: int) -> None:
    """Step to ``frame`` with the frame keys (10 at a time, then 1), reading the frame from the status."""
    while session.status[0] != frame:
        now = session.status[0]
        distance = frame - now
        key = ("Up" if distance > 0 else "Down") if abs(distance) >= 10 else ("Right" if distance > 0 else "Left")
        keys.tap(key)
        session.wait_status(lambda status, now=now: status[0] != now, timeout=60)


def test_manual_marks_by_key_events_give_the_auto_annotation(demos, display, tmp_path):
    source, auto = demos
    rises = _first_rises(auto)
    order = declared_signals()
    output = tmp_path / "manual.hdf5"
    before = digest(source)
    session = _browse_session(
        ["annotate", "--task", MIMIC_TASK, "--input_file", source, "--output_file", output], display
    )
    keys = WindowKeys(display)
    for demo in sorted(rises):
        session.wait_status(lambda status, demo=demo: status[1] == demo, timeout=300)
        for position, signal in enumerate(order):
            assert session.status[3] == signal
            target = rises[demo][signal]
            if position == 0:
                _go_to(session, keys, target + 11)  # past it, then back: restoring works backward too
            _go_to(session, keys, target)
            keys.tap("m")
            session.wait_status(
                lambda status, signal=signal, target=target: status[4].get(signal) == str(target), timeout=60
            )
            keys.tap("n")
            if position + 1 < len(order):
                session.wait_status(lambda status, following=order[position + 1]: status[3] == following, timeout=60)
        keys.tap("Return")
    code, stderr = session.finish(timeout=900)
    assert code == 0, stderr[-2000:]
    assert "annotated 2 demos" in session.output
    assert digest(source) == before  # the input is only read
    with h5py.File(auto, "r") as a, h5py.File(output, "r") as m:
        assert sorted(a["data"]) == sorted(m["data"])
        for demo in a["data"]:
            info_a, info_m = a[f"data/{demo}/obs/datagen_info"], m[f"data/{demo}/obs/datagen_info"]
            for group in ("eef_pose", "object_pose", "target_eef_pose"):
                for name in info_a[group]:
                    np.testing.assert_array_equal(info_a[f"{group}/{name}"][:], info_m[f"{group}/{name}"][:])
            for signal in order:
                auto_signal, manual_signal = (
                    info_a[f"subtask_term_signals/{signal}"][:],
                    info_m[f"subtask_term_signals/{signal}"][:],
                )
                mark = rises[demo][signal]
                np.testing.assert_array_equal(auto_signal[: mark + 1], manual_signal[: mark + 1])
                assert manual_signal[mark:].all()
    # and Mimic can generate from it: its datagen_info validates
    assert cli("validate", "--dataset", output, "--task", MIMIC_TASK, "--require_datagen_info").returncode == 0


def test_going_to_a_frame_restores_its_recorded_state_exactly(demos):
    """Frame t is the scene before action t: the initial state for frame 0, else the state recorded after action t-1."""
    from isaaclab.utils.datasets import HDF5DatasetFileHandler

    from isaaclab_mimic_tasks.datagen.browse import DemoBrowser, state_at
    from isaaclab_mimic_tasks.datagen.replay import replay_env_cfg
    from isaaclab_mimic_tasks.envs import open_env

    source, _ = demos
    handler = HDF5DatasetFileHandler()
    handler.open(str(source))
    episode = handler.load_episode("demo_1", "cpu").data
    handler.close()
    recorded, initial = episode["states"], episode["initial_state"]

    def assert_same(a: dict, b: dict) -> None:
        for key in a:
            if isinstance(a[key], dict):
                assert_same(a[key], b[key])
            else:
                assert torch.equal(a[key], b[key]), key

    env_cfg, _ = replay_env_cfg(MIMIC_TASK, 1)
    with open_env(MIMIC_TASK, num_envs=1, seed=0, env_cfg=env_cfg) as env:
        browser = DemoBrowser(env, str(source))
        browser.load("demo_1")
        for frame in (60, 100, 3, 0, 60):  # forward, forward, back, to the start, forward again
            browser.goto(frame)
            assert_same(initial if frame == 0 else state_at(recorded, frame - 1), env.scene.get_state(is_relative=True))
        signals = browser.signals()
        browser.close()
    assert list(signals) == declared_signals()


def test_marking_where_the_hint_first_shows_1_writes_what_auto_writes(demos):
    """The window's signal hint at each frame of the recorded demos is the signal ``--auto`` stores at that step, so the
    frame where it first shows 1 is the subtask end ``--auto`` stores, and a mark there writes the same end."""
    from isaaclab_mimic_tasks.datagen.annotate import marked_signal
    from isaaclab_mimic_tasks.datagen.browse import DemoBrowser
    from isaaclab_mimic_tasks.datagen.replay import replay_env_cfg
    from isaaclab_mimic_tasks.envs import open_env

    source, auto = demos
    env_cfg, _ = replay_env_cfg(MIMIC_TASK, 1)
    hints: dict[str, list[dict[str, bool]]] = {}
    with open_env(MIMIC_TASK, num_envs=1, seed=0, env_cfg=env_cfg) as env:
        browser = DemoBrowser(env, str(source))  # what manual annotation browses
        for demo in ("demo_0", "demo_1"):
            browser.load(demo)
            hints[demo] = []
            for frame in range(browser.num_frames):
                browser.goto(frame)
                hints[demo].append(browser.signals())
        browser.close()
    with h5py.File(auto, "r") as f:
        for demo, frames in hints.items():
            for signal, stored in f[f"data/{demo}/obs/datagen_info/subtask_term_signals"].items():
                stored = stored[:].reshape(-1)
                hint = np.array([frame[signal] for frame in frames])
                np.testing.assert_array_equal(hint, stored.astype(bool), err_msg=f"{demo} {signal}")
                first = int(np.argmax(hint))
                assert hint[first], f"{demo}: the hint never shows {signal}=1"
                written = marked_signal(torch.from_numpy(stored), first).numpy()
                assert int(np.argmax(written > 0)) == int(np.argmax(stored > 0)) == first
                np.testing.assert_array_equal(written[: first + 1], stored[: first + 1])


def test_annotation_records_the_subtask_order_and_info_lists_the_end_frames(demos):
    _, auto = demos
    rises = _first_rises(auto)["demo_1"]
    result = cli("info", "--dataset", auto, "--demo", "1", "--json")
    assert result.returncode == 0, result.stderr
    ends = json.loads(result.stdout)
    assert ends["order_recorded"] and ends["success"] is True
    assert ends["end_effectors"] == [
        {
            "name": "franka",
            "subtasks": [{"signal": signal, "end": rises[signal]} for signal in declared_signals()],
        }
    ]


@pytest.mark.parametrize("task", [MIMIC_TASK, "Isaac-PickPlace-GR1T2-Abs-Mimic-v0"])
def test_the_panel_lists_the_subtasks_to_mark_and_says_why_the_last_is_not(task):
    """Per end effector, its signals in the Mimic cfg's order (``(none)`` for one without), and each last subtask
    by its description (the organizer's: "franka: Place the ketchup in the basket")."""
    from isaaclab_mimic_tasks.datagen.annotate import subtask_order
    from isaaclab_mimic_tasks.datagen.browse import subtask_help_lines
    from isaaclab_mimic_tasks.envs import load_mimic_env_cfg

    cfg = load_mimic_env_cfg(task)
    subtask_configs = cfg.subtask_configs
    lines = subtask_help_lines(subtask_configs)
    listed = [f"  {eef}: {', '.join(signals) or '(none)'}" for eef, signals in subtask_order(cfg).items()]
    assert all(line in lines for line in listed), lines
    text = " ".join(lines)
    for eef, subtasks in subtask_configs.items():
        assert f"{eef}: {subtasks[-1].description}" in text
    assert "no signal" in text and "ends at the demo's end" in text and "not offered" in text


@pytest.mark.parametrize("flags", [["--viz", "newton_gl"], ["--viz", "newton"], ["--auto", "--viz", "newton_gl"]])
def test_annotate_takes_viz_newton_gl_and_opens_the_window(demos, tmp_path, flags):
    """``--viz newton_gl`` is accepted (manual annotation opens the window anyway, ``--auto`` shows its replay): without
    a display that is the one-line "no display" error, not a rejected flag."""
    source, _ = demos
    result = cli(
        "annotate",
        "--task",
        MIMIC_TASK,
        "--input_file",
        source,
        "--output_file",
        tmp_path / "out.hdf5",
        *flags,
        env={**os.environ, "DISPLAY": ""},
        timeout=300,
    )
    assert_clear_failure(result)
    assert "no display" in result.stderr
    assert not any(tmp_path.iterdir())


def test_manual_annotation_with_viz_none_is_one_line(demos, tmp_path):
    source, _ = demos
    result = cli(
        "annotate",
        "--task",
        MIMIC_TASK,
        "--input_file",
        source,
        "--output_file",
        tmp_path / "out.hdf5",
        "--viz",
        "none",
        timeout=300,
    )
    assert_clear_failure(result)
    assert "viewer window" in result.stderr and "--auto" in result.stderr
    assert not any(tmp_path.iterdir())


def test_view_browses_without_changing_the_dataset(demos, display):
    source, auto = demos
    before = digest(auto)
    session = _browse_session(["view", "--dataset", auto], display)
    keys = WindowKeys(display)
    session.wait_status(timeout=300)
    keys.tap("Up")
    session.wait_status(lambda status: status[0] == 10, timeout=60)
    keys.tap("m")  # marking means nothing here
    keys.tap("Return")
    session.wait_status(lambda status: status[1] == "demo_1", timeout=60)
    keys.tap("Escape")
    code, stderr = session.finish(timeout=300)
    assert code == 0, stderr[-2000:]
    assert digest(auto) == before


def test_manual_annotation_without_a_display_is_one_line_and_writes_nothing(demos, tmp_path):
    source, _ = demos
    result = cli(
        "annotate",
        "--task",
        MIMIC_TASK,
        "--input_file",
        source,
        "--output_file",
        tmp_path / "out.hdf5",
        env={**os.environ, "DISPLAY": ""},
        timeout=300,
    )
    assert_clear_failure(result)
    assert "no display" in result.stderr
    assert not any(tmp_path.iterdir())
