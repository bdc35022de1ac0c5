"""A person records demos by held keys in the viewer window, to the end of real tasks: ``mimic-tasks record
--teleop_device keyboard --viz newton_gl`` under Xvfb, keys pressed and held through the X server (xdotool) with a
person's timing (holds of 150-600 ms, at least 300 ms between decisions), the driver seeing only what a person sees:
the status line (the tool point or the driven hand's target, the success hold) and where the objects lie. No time-out
ends an attempt; the datasets pass ``validate`` and replay to success.
"""

from __future__ import annotations

import contextlib
import os
import re
import time

import pytest
import torch
from conftest import Session, WindowKeys, cli

pytestmark = pytest.mark.slow  # minutes: the full suite only (the quick check is pytest -m fast)

ORGANIZER = "Isaac-Desktop-Organizer-Franka-IK-Rel-v0"
GR1T2 = "Isaac-PickPlace-GR1T2-Abs-v0"
SEED = 3
NUMBER = r"([-+]\d+\.\d+)"
STATUS = re.compile(
    rf"demos (\d+)/\d+ \| step (\d+) \|(?: held (\d+)/\d+ \|)?(?:.*?(?:eef|target) {NUMBER} {NUMBER} {NUMBER})?"
    r"(?: \| ([LR])\* (open|closed))?"
)
"""The status line: demos kept, this attempt's step, the success hold, the tool point or the driven hand's target, and
(bimanual) the driven hand and its state."""

HOLD = (0.15, 0.6)
"""Shortest and longest key hold of the driver (s)."""
THINK = 0.3
"""Pause between two decisions (s): the driver looks at the window again."""
FINE_FACTOR = 0.25
"""Speed of the motion keys with SHIFT held (``KeyCommand.FINE_FACTOR``)."""


def _parse(match):
    demos, step, held, x, y, z, hand, grip = match
    point = [float(x), float(y), float(z)] if x else None
    return {"demos": int(demos), "step": int(step), "held": int(held or 0), "point": point, "hand": hand, "grip": grip}


def _scenes(task: str, count: int, names: tuple[str, str], robot_frame: bool) -> list[dict[str, list[float]]]:
    """Where the object and the container lie in the first ``count`` scenes of ``record --seed SEED`` (robot base
    frame, or env frame): each attempt starts from the next reset. What a person sees on the screen, handed to the
    driver."""
    from isaaclab_mimic_tasks.envs import load_env_cfg, open_env

    cfg = load_env_cfg(task, 1)
    scenes = []
    with open_env(task, num_envs=1, seed=SEED, env_cfg=cfg) as env:
        for _ in range(count):
            origin = env.scene["robot"].data.root_pos_w.torch[0] if robot_frame else env.scene.env_origins[0]
            scene = {name: (env.scene[name].data.root_pos_w.torch[0] - origin).tolist() for name in names}
            if task == ORGANIZER:  # the organizer: where the bottle's body is (its grasp point)
                from isaaclab_mimic_tasks.tasks.common.mdp import point_in_object_w
                from isaaclab_mimic_tasks.tasks.desktop_organizer.organizer_env_cfg import GRASP_POINT, KETCHUP

                scene["grasp"] = (point_in_object_w(env, KETCHUP, GRASP_POINT)[0] - origin).tolist()
            scenes.append(scene)
            env.reset()
    return scenes


class AttemptEnded(Exception):
    """The attempt ended while the person was still driving it."""


class Person:
    """Drives one axis at a time toward a point: holds the axis key for as long as the distance needs (at the hand's
    speed), lets go, looks again."""

    def __init__(self, session: Session, keys: WindowKeys, axis_keys, speed: float, lag: float):
        self.session, self.keys = session, keys
        self.axis_keys = axis_keys
        """Per axis of the status point: (key for +, key for -)."""
        self.speed, self.lag = speed, lag
        self.decisions = 0

    attempt = 1
    """The attempt being driven: once its outcome is printed (e.g. a bottle that slipped into the basket on the way
    counts as kept), :meth:`look` raises :class:`AttemptEnded`."""

    def look(self) -> dict:
        time.sleep(THINK)
        if f"attempt {self.attempt}: " in self.session.output:
            raise AttemptEnded
        return self.session.wait_status(lambda status: status["point"] is not None)

    def move_to(self, target, tolerance, timeout: float = 90, fine_within: float = 0.0) -> None:
        """Move the status point to ``target`` (per-axis ``tolerance``); closer than ``fine_within``, with SHIFT held
        (a quarter of the speed)."""
        deadline = time.time() + timeout
        tolerance = tolerance if isinstance(tolerance, (list, tuple)) else [tolerance] * 3
        while time.time() < deadline:
            point = self.look()["point"]
            errors = [t - p for t, p in zip(target, point)]
            axis = max(range(3), key=lambda i: abs(errors[i]) / tolerance[i])
            if abs(errors[axis]) <= tolerance[axis]:
                return
            key = self.axis_keys[axis][0 if errors[axis] > 0 else 1]
            fine = abs(errors[axis]) < fine_within
            speed = self.speed * (FINE_FACTOR if fine else 1.0)
            hold = min(max((abs(errors[axis]) - self.lag) / speed, HOLD[0]), HOLD[1])
            self.press(key, hold, fine)
        raise AssertionError(f"did not reach {target}: {self.session.status}")

    def press(self, key: str, hold: float = HOLD[0], fine: bool = False) -> None:
        if fine:
            self.keys.hold("Shift_L")
        self.keys.hold(key)
        time.sleep(hold)
        self.keys.release(key)
        if fine:
            self.keys.release("Shift_L")
        self.decisions += 1

    def snap(self, name: str) -> None:
        """A screenshot of the display, where ``PERSON_SCREENSHOTS`` names a folder (to look at what the person saw)."""
        folder = os.environ.get("PERSON_SCREENSHOTS")
        if folder:
            from PIL import ImageGrab

            os.makedirs(folder, exist_ok=True)
            ImageGrab.grab(xdisplay=self.keys.env["DISPLAY"]).save(os.path.join(folder, f"{name}.png"))

    def watch(self, steps: int) -> None:
        """Watch the scene for ``steps`` env steps (e.g. the fingers closing), however fast the simulation runs."""
        start = self.session.wait_status()["step"]
        self.session.wait_status(lambda status: status["step"] >= start + steps or status["step"] < start)

    def outcome(self, attempt: int, timeout: float = 15) -> str:
        """The attempt's outcome line (waiting up to ``timeout`` s), or "" if it has not ended."""
        deadline = time.time() + timeout
        pattern = re.compile(rf"attempt {attempt}: ([^\r\n]*)")
        while time.time() < deadline:
            found = pattern.search(self.session.output)
            if found:
                return found.group(1)
            assert self.session.process.poll() is None, self.session.output[-1500:]
            time.sleep(0.1)
        return ""


def _record(task: str, path, demos: int, display: str) -> tuple[Session, WindowKeys]:
    session = Session(
        [
            "record",
            "--task",
            task,
            "--teleop_device",
            "keyboard",
            "--viz",
            "newton_gl",
            "--dataset_file",
            path,
            "--num_demos",
            demos,
            "--seed",
            SEED,
        ],
        STATUS,
        _parse,
        env={**os.environ, "DISPLAY": display},
    )
    keys = WindowKeys(display)
    session.wait_status()
    return session, keys


def _check_dataset(path, task: str, demos: int, session: Session) -> None:
    code, stderr = session.finish()
    assert code == 0, stderr[-2000:]
    assert "failed (time out)" not in session.output and "time_out" not in session.output
    assert re.search(rf"recorded {demos} demos in \d+ attempts", session.output), session.output[-800:]
    assert re.search(r"env-steps/s", session.output)
    validated = cli("validate", "--dataset", path, "--task", task)
    assert validated.returncode == 0, validated.stdout + validated.stderr[-1500:]
    replayed = cli("replay", "--dataset_file", path, "--num_envs", 1, timeout=900)
    assert replayed.returncode == 0, replayed.stdout + replayed.stderr[-2000:]
    assert f"replayed {demos} demos: {demos} still succeed" in replayed.stdout, replayed.stdout


def test_a_person_records_two_organizer_demos_by_held_keys(tmp_path, display):
    scenes = _scenes(ORGANIZER, 6, ("ketchup", "basket"), robot_frame=True)
    path = tmp_path / "organizer.hdf5"
    session, keys = _record(ORGANIZER, path, 2, display)
    with session:  # no command left running if the test fails half-way
        # W/S, A/D, Q/E move the tool point along x, y, z at about 0.2 m/s (relative IK: the hand trails its target)
        person = Person(session, keys, (("w", "s"), ("a", "d"), ("q", "e")), speed=0.2, lag=0.006)
        kept, attempt, starts = 0, 0, []
        while kept < 2:
            attempt += 1
            assert attempt <= len(scenes), session.output[-2000:]
            starts.append(time.time())
            person.attempt = attempt
            body, basket = scenes[attempt - 1]["grasp"], scenes[attempt - 1]["basket"]
            # over the bottle's body (2.5 cm from its centre toward the heavy end), then down to its middle, the last
            # centimetres with SHIFT (fine steps), as the task's grasp is made
            grasp = [body[0], body[1], 0.03]
            with contextlib.suppress(AttemptEnded):
                person.move_to([grasp[0], grasp[1], 0.12], [0.015, 0.01, 0.03])
                person.move_to(grasp, [0.012, 0.008, 0.006], fine_within=0.03)
                person.press("5")  # the view over the gripper
                person.snap(f"attempt{attempt}_1_at_grasp")
                person.press("k")  # close, and watch the fingers close
                person.watch(15)
                person.snap(f"attempt{attempt}_2_closed")
                person.move_to([grasp[0], grasp[1], 0.2], [0.03, 0.03, 0.03])
                person.move_to([basket[0], basket[1], 0.2], [0.02, 0.02, 0.04])
                person.move_to([basket[0], basket[1], 0.13], [0.02, 0.02, 0.02])
                person.snap(f"attempt{attempt}_3_over_basket")
                person.press("k")  # open: the bottle drops in
            outcome = person.outcome(attempt)
            person.snap(f"attempt{attempt}_4_released")
            if not outcome:  # not kept: a person gives up on this one
                person.press("r")
                outcome = person.outcome(attempt)
            if session.process.poll() is None:
                person.press("1")  # back to the view from behind
            kept += outcome.startswith("kept")
            print(
                f"attempt {attempt}: {outcome}, {time.time() - starts[-1]:.0f} s wall,"
                f" {person.decisions} decisions so far"
            )
        _check_dataset(path, ORGANIZER, 2, session)


def test_a_person_records_a_gr1t2_demo_switching_hands(tmp_path, display):
    import isaaclab.utils.math as math_utils

    from isaaclab_mimic_tasks.tasks.pick_place_gr1t2.pickplace_gr1t2_env_cfg import (
        CAN_HALF_HEIGHT,
        GRASP_POINT,
        IDLE_WRIST_POSES,
    )

    scenes = _scenes(GR1T2, 4, ("object", "basket"), robot_frame=False)
    path = tmp_path / "gr1t2.hdf5"
    session, keys = _record(GR1T2, path, 1, display)
    with session:  # no command left running if the test fails half-way
        # the robot faces +y: W/S move the driven wrist along +y/-y, D/A along +x/-x, Q/E up and down; the status shows
        # the driven wrist's target (env frame), which the wrist follows at about 0.12 m/s
        person = Person(session, keys, (("d", "a"), ("w", "s"), ("q", "e")), speed=0.2, lag=0.0)
        status = person.look()
        assert status["hand"] == "R"
        start = status["point"]
        # TAB: the left hand is driven now; a held key moves its target, the right one keeps its own (no widget took it)
        person.press("Tab")
        status = person.look()
        assert status["hand"] == "L" and abs(status["point"][0] - start[0]) > 0.3  # the left wrist's target
        left = status["point"]
        person.press("q", 0.4)
        status = person.look()
        assert status["hand"] == "L" and status["point"][2] > left[2] + 0.04, (left, status)
        person.press("e", 0.4)
        person.press("Tab")
        status = person.look()
        assert status["hand"] == "R" and max(abs(a - b) for a, b in zip(status["point"], start)) < 1e-3
        # T pitches the hand down about 15 degrees (0.05 rad per control period held): fingers forward and down, the
        # grasp the task is made for; the can then sits between thumb and fingers at the task's grasp point
        tilt = math_utils.quat_from_euler_xyz(torch.tensor([-0.25]), torch.zeros(1), torch.zeros(1))
        hand = math_utils.quat_mul(tilt, torch.tensor([IDLE_WRIST_POSES["right"][3:]]))

        def wrist_for(can_centre):
            return (torch.tensor([can_centre]) - math_utils.quat_apply(hand, torch.tensor([GRASP_POINT])))[0].tolist()

        kept, attempt = False, 0
        while not kept:
            attempt += 1
            assert attempt <= len(scenes), session.output[-2000:]
            can, basket = scenes[attempt - 1]["object"], scenes[attempt - 1]["basket"]
            grasp = wrist_for(can)
            person.attempt = attempt
            carry = basket[2] + 0.141 + 0.04 + CAN_HALF_HEIGHT  # the can's centre above the basket's rim
            with contextlib.suppress(AttemptEnded):
                person.press("t", 0.25)  # every attempt starts from the start posture
                person.move_to([grasp[0] + 0.06, grasp[1], grasp[2] + 0.03], 0.012, fine_within=0.03)  # beside it
                person.move_to(grasp, 0.006, fine_within=0.04)
                person.snap(f"gr1t2_attempt{attempt}_1_at_grasp")
                person.press("k")  # close the right hand, and watch it close
                person.watch(25)
                person.move_to([grasp[0], grasp[1], wrist_for([0, 0, carry])[2]], [0.03, 0.03, 0.015])
                person.move_to(wrist_for([basket[0], basket[1], carry]), [0.015, 0.015, 0.03], fine_within=0.03)
                person.move_to(wrist_for([basket[0], basket[1], basket[2] + 0.121 + CAN_HALF_HEIGHT]), 0.015)
                person.snap(f"gr1t2_attempt{attempt}_2_over_basket")
                person.press("k")  # open: the can drops in
                if not person.outcome(attempt, timeout=3):  # the hand still touches the can: it backs away
                    point = person.look()["point"]
                    person.move_to([point[0] + 0.05, point[1] - 0.05, point[2] + 0.05], 0.02)
            outcome = person.outcome(attempt)
            if not outcome:
                person.press("r")
                outcome = person.outcome(attempt)
            kept = outcome.startswith("kept")
            print(f"attempt {attempt}: {outcome}, {person.decisions} decisions so far")
        _check_dataset(path, GR1T2, 1, session)
