"""A person's recording session in a terminal, driven for real: ``mimic-tasks record`` on the organizer with the
terminal keyboard (keys typed into a pseudo-terminal; the viewer window's keyboard: ``test_person_records.py``).
The test closes the loop the way a person does: it reads the status line (step, end-effector position) and holds
a key until the gripper is where it should be. The demo is saved, and replays to success; R discards an attempt,
ESCAPE saves and quits."""

from __future__ import annotations

import os
import re
import termios
import time

import pytest
from conftest import Session, cli

TASK = "Isaac-Desktop-Organizer-Franka-IK-Rel-v0"
SEED = 0
STATUS = re.compile(r"demos (\d+)/\d+ \| step (\d+) \|.*?eef ([-+]\d+\.\d+) ([-+]\d+\.\d+) ([-+]\d+\.\d+)")
"""The terminal's status line: demos kept, this attempt's step, the tool point (robot base frame)."""


def record_session(args: list, env: dict) -> Session:
    """``mimic-tasks record ARGS`` on a pseudo-terminal; its status: (step, demos kept, eef position)."""

    def parse(match):
        demos, step, *eef = match
        return int(step), int(demos), [float(v) for v in eef]

    return Session(["record", *args], STATUS, parse, env=env)


@pytest.fixture(scope="module")
def scene_targets():
    """Grasp point, and the basket, of the scene ``record --seed SEED`` starts from (robot base frame)."""
    from isaaclab_mimic_tasks.envs import open_env
    from isaaclab_mimic_tasks.tasks.common.mdp import point_in_object_w
    from isaaclab_mimic_tasks.tasks.desktop_organizer.organizer_env_cfg import GRASP_POINT, KETCHUP

    with open_env(TASK, num_envs=1, seed=SEED) as env:
        base = env.scene["robot"].data.root_pos_w.torch[0]
        grasp = (point_in_object_w(env, KETCHUP, GRASP_POINT)[0] - base).tolist()
        basket = (env.scene["basket"].data.root_pos_w.torch[0] - base).tolist()
        ketchup = env.scene["ketchup"].data.root_pos_w.torch[0].tolist()
    return {"grasp": grasp, "basket": basket, "ketchup": ketchup}


class TerminalKeys:
    """Keys typed into the session's terminal: one step per press, so a held key is typed once per step."""

    def __init__(self, session: Session):
        self.session = session
        self.held: set[str] = set()
        self.names = {"Escape": "\x1b"}

    def hold(self, key: str) -> None:
        self.held.add(key)
        self.tap(key)

    def release(self, key: str) -> None:
        self.held.discard(key)

    def tap(self, key: str) -> None:
        os.write(self.session.master, self.names.get(key, key).encode())

    def each_step(self) -> None:
        for key in self.held:
            self.tap(key)


AXIS_KEYS = (("w", "s"), ("a", "d"), ("q", "e"))
"""Keys of +x/-x, +y/-y, +z/-z in config/teleop_keymap.toml."""


def drive_to(session: Session, keys, target, tolerance: float = 0.008, timeout: float = 240) -> None:
    """Hold the axis keys toward ``target`` until the eef is within ``tolerance`` on every axis, re-reading the
    eef from the status line. A key is released a little early: the hand moves on about half a step after."""
    deadline = time.time() + timeout
    held: dict[int, tuple[str, float]] = {}
    settled = 0
    try:
        while time.time() < deadline:
            _, _, eef = session.wait_status()
            errors = [t - e for t, e in zip(target, eef)]
            for axis, error in enumerate(errors):
                if axis in held and error * held[axis][1] <= EARLY_RELEASE:
                    keys.release(held.pop(axis)[0])
                elif axis not in held and abs(error) > tolerance:
                    direction = 1.0 if error > 0 else -1.0
                    held[axis] = (AXIS_KEYS[axis][0 if direction > 0 else 1], direction)
                    keys.hold(held[axis][0])
            settled = settled + 1 if not held and all(abs(e) <= tolerance for e in errors) else 0
            if settled >= 2:  # still there a step later
                return
            keys.each_step()
        raise AssertionError(f"did not reach {target}; eef {session.status}")
    finally:
        for key, _ in held.values():
            keys.release(key)


EARLY_RELEASE = 0.007
"""Metres before the target at which a held key is released (the hand moves on about half a step)."""


def wait_event(session: Session, text: str, timeout: float = 120) -> None:
    """Wait until the session prints an attempt's outcome line containing ``text``."""
    deadline = time.time() + timeout
    while text not in session.output:
        assert time.time() < deadline and session.process.poll() is None, session.output[-1500:]
        time.sleep(0.05)


def wait_steps(session: Session, keys, count: int) -> None:
    first = session.wait_status()[0]
    session.wait_status(lambda status: status[0] >= first + count)


def pick_and_place(session: Session, keys, targets) -> None:
    """What a person does: above the ketchup, down, close, up, over the basket, down, open."""
    grasp, basket = targets["grasp"], targets["basket"]
    drive_to(session, keys, [grasp[0], grasp[1], grasp[2] + 0.08])
    drive_to(session, keys, grasp)
    keys.tap("k")
    wait_steps(session, keys, 8)
    drive_to(session, keys, [grasp[0], grasp[1], 0.2], tolerance=0.015)
    drive_to(session, keys, [basket[0], basket[1], 0.2], tolerance=0.012)
    drive_to(session, keys, [basket[0], basket[1], basket[2] + 0.13], tolerance=0.012)
    keys.tap("k")


def check_saved_demo(path, targets) -> None:
    import h5py

    with h5py.File(path, "r") as f:
        assert list(f["data"].keys()) == ["demo_0"]
        actions = f["data/demo_0/actions"][:]
        ketchup = f["data/demo_0/initial_state/rigid_object/ketchup/root_pose"][0]
    assert abs(ketchup[:3] - targets["ketchup"][:3]).max() < 1e-4  # the scene the test planned for
    # the keys drove it: 1 cm steps along the axes, the gripper closed and opened again
    moving = abs(actions[:, :3]).max(axis=1) > 0
    largest = abs(actions[moving, :3]).max()  # the task's step per control period a key was held (at most 3 a step)
    assert moving.sum() > 30 and 0.045 - 1e-6 <= largest <= 3 * 0.045 + 1e-6
    assert (actions[:, 6] < 0).any() and actions[-1, 6] > 0
    replayed = cli("replay", "--dataset_file", path, "--num_envs", "1", timeout=900)
    assert replayed.returncode == 0, replayed.stdout + replayed.stderr[-2000:]
    assert "replayed 1 demos: 1 still succeed" in replayed.stdout


def test_terminal_keyboard_records_a_demo_that_replays(tmp_path, scene_targets):
    path = tmp_path / "terminal.hdf5"
    session = record_session(
        [
            "--task",
            TASK,
            "--teleop_device",
            "terminal_keyboard",
            "--dataset_file",
            path,
            "--num_demos",
            "2",
            "--seed",
            SEED,
        ],
        env={**os.environ, "DISPLAY": ""},  # no window anywhere
    )
    keys = TerminalKeys(session)
    session.wait_status()
    assert not termios.tcgetattr(session.master)[3] & termios.ECHO  # keys are read raw, not echoed
    pick_and_place(session, keys, scene_targets)
    wait_event(session, "attempt 1: kept as demo 1/2")
    keys.tap("r")
    wait_event(session, "attempt 2: discarded")
    keys.tap("Escape")
    code, stderr = session.finish()
    assert code == 0, stderr[-2000:]
    assert "recorded 1 demos in 2 attempts" in session.output
    # the terminal was in cbreak mode (no echo) while keys were read, and got its settings back at exit
    assert session.terminal_settings["end"] == session.terminal_settings["start"]
    # every status line fits an 80-column terminal (rewritten in place with \r, cleared to the end with ESC [K)
    lines = [line.replace("\x1b[K", "") for line in re.split(r"[\r\n]", session.output)]
    statuses = [line for line in lines if line.startswith("demos ")]
    assert statuses and max(len(line) for line in statuses) <= 80, max(statuses, key=len)
    check_saved_demo(path, scene_targets)
