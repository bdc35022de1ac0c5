"""Teleop devices without a simulation: the GR1T2's bimanual mapping through the real terminal keyboard and the
task's declared retargeter, the SpaceMouse fed a synthetic HID report stream, and the key map's errors."""

from __future__ import annotations

import os
import pty
import time

import pytest
import torch
from conftest import assert_clear_failure, cli

GR1T2 = "Isaac-PickPlace-GR1T2-Abs-v0"
ORGANIZER = "Isaac-Desktop-Organizer-Franka-IK-Rel-v0"


def _teleop_cfg(task: str, name: str):
    from isaaclab_mimic_tasks.envs import load_env_cfg

    return load_env_cfg(task).teleop_devices.devices[name]


@pytest.fixture
def terminal():
    """A pseudo-terminal: (what the device reads, a function that types into it)."""
    master, slave = pty.openpty()
    stream = os.fdopen(slave, "r")
    yield stream, lambda text: os.write(master, text.encode())
    stream.close()
    os.close(master)


def _gr1t2_keyboard(stream):
    from isaaclab_mimic_tasks.devices import TerminalKeyboard

    cfg = _teleop_cfg(GR1T2, "terminal_keyboard")
    device = TerminalKeyboard(cfg, stream=stream)  # builds the retargeter the task declares
    return device, cfg


@pytest.mark.fast
def test_gr1t2_keyboard_integrates_increments_switches_hands_clamps_and_toggles_the_hand(terminal):
    from isaaclab_mimic_tasks.tasks.pick_place_gr1t2.mdp import HAND_CLOSED, HAND_OPEN, hand_posture
    from isaaclab_mimic_tasks.tasks.pick_place_gr1t2.pickplace_gr1t2_env_cfg import (
        HAND_JOINT_NAMES,
        IDLE_WRIST_POSES,
        WRIST_TARGET_BOUNDS,
    )

    stream, type_keys = terminal
    device, cfg = _gr1t2_keyboard(stream)
    step = cfg.pos_sensitivity
    left0, right0 = torch.tensor(IDLE_WRIST_POSES["left"]), torch.tensor(IDLE_WRIST_POSES["right"])

    def advance(keys: str = "") -> torch.Tensor:
        type_keys(keys)
        time.sleep(0.02)
        return device.advance()

    action = advance()
    assert action.shape == (36,)
    assert torch.allclose(action[:7], left0) and torch.allclose(action[7:14], right0)
    # the right hand is active; W (forward: +y, the robot faces +y) three times, one step per press
    for _ in range(3):
        action = advance("w")
    assert torch.allclose(action[7:10], right0[:3] + torch.tensor([0.0, 3 * step, 0.0]), atol=1e-6)
    action = advance("q")  # up
    assert torch.allclose(action[7:10], right0[:3] + torch.tensor([0.0, 3 * step, step]), atol=1e-6)
    assert torch.allclose(action[:7], left0)  # the idle hand holds still
    # switch to the left hand: the right target stays where it was, A (left: -x) moves the left one
    right_now = action[7:14].clone()
    action = advance("\t")
    action = advance("a")
    assert torch.allclose(action[7:14], right_now)
    assert torch.allclose(action[:3], left0[:3] + torch.tensor([-step, 0.0, 0.0]), atol=1e-6)
    # a rotation key turns the active wrist only
    action = advance("c")  # yaw +
    assert not torch.allclose(action[3:7], left0[3:7]) and torch.allclose(action[10:14], right_now[3:])
    assert torch.isclose(torch.linalg.norm(action[3:7]), torch.tensor(1.0))
    # clamping: far more downward presses than the box allows leave the target on its floor
    for _ in range(40):
        action = advance("e")
    assert torch.isclose(action[2], torch.tensor(WRIST_TARGET_BOUNDS[0][2]))
    # K closes the active (left) hand through the grasp posture, over a few steps; the right stays open
    advance("k")
    for _ in range(15):
        action = advance()
    names = list(HAND_JOINT_NAMES)
    closed_left = hand_posture(torch.tensor([HAND_CLOSED]), "L", names)[0]
    open_right = hand_posture(torch.tensor([HAND_OPEN]), "R", names)[0]
    assert torch.allclose(action[14:], closed_left + open_right, atol=1e-6)
    advance("k")  # and opens it again
    for _ in range(15):
        action = advance()
    open_left = hand_posture(torch.tensor([HAND_OPEN]), "L", names)[0]
    assert torch.allclose(action[14:], open_left + open_right, atol=1e-6)
    # reset (what a discarded attempt does): both targets back to the start poses, the right hand active
    device.reset()
    action = advance("w")
    assert torch.allclose(action[:7], left0) and torch.allclose(action[8], right0[1] + step)
    device.close()


@pytest.mark.fast
def test_terminal_keyboard_counts_every_press_one_step_each(terminal):
    """Ten presses typed at once (faster than the control rate) move ten steps, one per step, then nothing."""
    from isaaclab_mimic_tasks.devices import TerminalKeyboard

    stream, type_keys = terminal
    cfg = _teleop_cfg(ORGANIZER, "terminal_keyboard")
    device = TerminalKeyboard(cfg, stream=stream)
    type_keys("w" * 10 + "a")
    time.sleep(0.05)
    actions = torch.stack([device.advance() for _ in range(12)])
    device.close()
    step = cfg.pos_sensitivity
    assert torch.allclose(actions[:10, 0], torch.full((10,), step)) and (actions[10:, 0] == 0).all()
    assert torch.isclose(actions[0, 1], torch.tensor(step)) and (actions[1:, 1] == 0).all()  # A once, with W's first
    assert (actions[:, 6] == 1.0).all()  # gripper open throughout


@pytest.mark.fast
@pytest.mark.parametrize("frame_period", [0.05, 0.12])
def test_a_held_key_moves_by_the_time_it_was_held_whatever_the_frame_rate(frame_period):
    """A key held 1 s moves 20 control periods' worth (20 Hz) whether steps come at 20 Hz or at about 8 Hz (a slow
    window): the distance of a hold does not depend on the frame rate. A tap shorter than a step moves one step."""
    from isaaclab_mimic_tasks.devices.keyboard import KeyCommand
    from isaaclab_mimic_tasks.devices.keymap import load_keymap

    now = [0.0]
    keys = KeyCommand(load_keymap(), pos_step=0.01, rot_step=0.05, control_period=0.05, clock=lambda: now[0])
    keys.take_twist()
    travelled = 0.0
    keys.press("W")
    while now[0] < 1.0 - 1e-9:
        now[0] += frame_period
        if now[0] >= 1.0:
            now[0] = 1.0
            keys.release("W")
        travelled += keys.take_twist()[0]
    assert abs(travelled - 0.2) < 1e-6
    keys.press("S")  # a tap between two steps: one step
    now[0] += 0.01
    keys.release("S")
    now[0] += frame_period
    assert keys.take_twist()[0] == pytest.approx(-0.01)
    assert keys.take_twist()[0] == 0.0


@pytest.mark.fast
def test_key_help_lists_only_the_keys_the_task_uses(terminal):
    from isaaclab_mimic_tasks.devices import TerminalKeyboard

    stream, _ = terminal
    franka = TerminalKeyboard(_teleop_cfg(ORGANIZER, "terminal_keyboard"), stream=stream)
    assert not any("switch hand" in line for line in franka.help_lines())  # one arm
    franka.close()
    gr1t2, _ = _gr1t2_keyboard(stream)
    assert "TAB: switch hand" in gr1t2.help_lines()
    gr1t2.close()


class FakeHID:
    """A stand-in for the ``hid`` module: one SpaceMouse Compact that sends ``reports`` (8-bit values), in order."""

    VENDOR, PRODUCT = 0x256F, 0xC635

    def __init__(self, reports, openable: bool = True, present: bool = True):
        self.reports = list(reports)
        self.openable = openable
        self.present = present
        self.read_all = False
        hid = self

        class Device:
            def open(self, vendor_id, product_id):
                if not hid.openable:
                    raise OSError("open failed")

            def read(self, size):
                if hid.reports:
                    return hid.reports.pop(0)
                hid.read_all = True
                time.sleep(0.01)
                return None

            def get_manufacturer_string(self):
                return "3Dconnexion"

            def get_product_string(self):
                return "SpaceMouse Compact"

        self.device = Device

    def enumerate(self):
        if not self.present:
            return []
        return [{"vendor_id": self.VENDOR, "product_id": self.PRODUCT, "product_string": "SpaceMouse Compact"}]


def _axis_bytes(*values: int) -> list[int]:
    """Little-endian int16 pairs, as the SpaceMouse reports its axes."""
    out = []
    for value in values:
        value &= 0xFFFF
        out += [value & 0xFF, value >> 8]
    return out


def _spacemouse(monkeypatch, task: str, hid: FakeHID):
    import isaaclab.devices.spacemouse.se3_spacemouse as se3_spacemouse

    from isaaclab_mimic_tasks.devices import SpaceMouse

    monkeypatch.setattr(se3_spacemouse, "hid", hid)
    cfg = _teleop_cfg(task, "spacemouse")
    return SpaceMouse(cfg), cfg


def _send(hid: FakeHID, *reports) -> None:
    """Let the device's reading thread take ``reports``, and wait until it has."""
    hid.read_all = False
    hid.reports += list(reports)
    _wait_for(hid)


def _wait_for(hid: FakeHID) -> None:
    for _ in range(500):
        if hid.read_all:
            return
        time.sleep(0.01)
    raise AssertionError("the device thread did not read the reports")


@pytest.mark.fast
def test_spacemouse_gives_increments_and_button_callbacks_from_hid_reports(monkeypatch):
    # translation report: y, x, z raw 175, -350, 350 (scale 350 -> 0.5, -1, 1; z is flipped), then buttons
    hid = FakeHID([])
    device, cfg = _spacemouse(monkeypatch, ORGANIZER, hid)
    calls = []
    device.add_callback("L", lambda: calls.append("L"))
    device.add_callback("R", lambda: calls.append("R"))
    _send(hid, [1, *_axis_bytes(175, -350, 350)], [3, 1], [3, 0])
    command = device.advance()
    step = cfg.pos_sensitivity
    assert torch.allclose(command[:3], torch.tensor([-step, 0.5 * step, -step]), atol=1e-6)
    assert command[6] == -1.0 and calls == ["L"]  # the left button closed the gripper
    _send(hid, [3, 2], [3, 0])  # the right button: reset (the recording session's discard)
    command = device.advance()
    assert calls == ["L", "R"] and torch.all(command[:6] == 0) and command[6] == 1.0


@pytest.mark.fast
def test_spacemouse_drives_the_gr1t2_through_its_retargeter(monkeypatch):
    from isaaclab_mimic_tasks.tasks.pick_place_gr1t2.pickplace_gr1t2_env_cfg import IDLE_WRIST_POSES

    hid = FakeHID([[1, *_axis_bytes(0, 350, 0)]])  # full forward
    device, cfg = _spacemouse(monkeypatch, GR1T2, hid)
    _wait_for(hid)
    action = device.advance()
    right0 = torch.tensor(IDLE_WRIST_POSES["right"])
    assert action.shape == (36,)
    assert torch.allclose(action[7:10], right0[:3] + torch.tensor([0.0, cfg.pos_sensitivity, 0.0]), atol=1e-6)


@pytest.mark.fast
@pytest.mark.parametrize("present", [True, False], ids=["no_permission", "no_device"])
def test_missing_spacemouse_or_permission_is_one_line_naming_the_fix(monkeypatch, present):
    from isaaclab_mimic_tasks.errors import UserInputError

    hid = FakeHID([], openable=False, present=present)  # no_permission: enumerated, but opening it fails
    with pytest.raises(UserInputError) as error:
        _spacemouse(monkeypatch, ORGANIZER, hid)
    message = str(error.value)
    assert "\n" not in message and "udev rule" in message
    assert ("cannot be opened" in message) == present


def test_spacemouse_record_without_a_device_fails_in_one_line_and_writes_nothing(tmp_path):
    output = tmp_path / "demos.hdf5"
    result = cli("record", "--teleop_device", "spacemouse", "--dataset_file", output, "--num_demos", "1", timeout=600)
    assert_clear_failure(result)
    assert "SpaceMouse" in result.stderr
    assert not any(tmp_path.iterdir())


@pytest.mark.parametrize(
    "bad, expected",
    [
        ('x_plus = "WW"', "unknown key name 'WW'"),
        ('x_plus = "H"', "hides the viewer's panels"),
        ('x_plus = "K"', "bound to both"),
        ('x_forward = "W"', "unknown action motion.x_forward"),
    ],
    ids=["unknown_key", "viewer_key", "twice", "unknown_action"],
)
def test_bad_key_map_is_one_line_before_anything_starts(tmp_path, bad, expected):
    from isaaclab_mimic_tasks.devices.keymap import DEFAULT_KEYMAP_PATH

    text = open(DEFAULT_KEYMAP_PATH).read().replace('x_plus = "W"', bad)
    keymap = tmp_path / "keys.toml"
    keymap.write_text(text)
    output = tmp_path / "demos.hdf5"
    start = time.perf_counter()
    result = cli(
        "record", "--teleop_device", "terminal_keyboard", "--keymap", keymap, "--dataset_file", output, timeout=300
    )
    assert_clear_failure(result)
    assert expected in result.stderr
    assert time.perf_counter() - start < 60  # no simulator was started
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keys.toml"]


def test_no_display_is_one_line_for_every_command_that_steps(tmp_path):
    environment = {**os.environ, "DISPLAY": ""}
    for command in (
        ["expert", "--viz", "newton_gl"],
        ["record", "--teleop_device", "keyboard", "--viz", "newton_gl", "--dataset_file", tmp_path / "a.hdf5"],
        ["record", "--teleop_device", "scripted", "--viz", "newton", "--dataset_file", tmp_path / "b.hdf5"],
    ):
        result = cli(*command, env=environment, timeout=300)
        assert_clear_failure(result)
        assert "no display is set" in result.stderr, result.stderr
    # the window keyboard without a window, and a visualizer that needs Kit
    for command, expected in (
        (["record", "--teleop_device", "keyboard", "--dataset_file", tmp_path / "c.hdf5"], "add --viz newton_gl"),
        (["expert", "--viz", "kit"], "needs Isaac Sim"),
    ):
        result = cli(*command, timeout=300)
        assert_clear_failure(result)
        assert expected in result.stderr, result.stderr
    assert not any(tmp_path.iterdir())
