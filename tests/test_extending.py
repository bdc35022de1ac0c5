"""docs/extending.md's tutorials, applied as written: "add a subtask" (its code blocks go into a copy of the
desktop-organizer task, and the new signal is found by annotate and used by generate) and "add a teleop device"
(the device module, and its entry in the copy's teleop_devices, built by Isaac Lab's factory)."""

from __future__ import annotations

import ast
import importlib
import importlib.util
import pathlib
import re
import shutil
import sys
import time

import gymnasium as gym
import h5py
import numpy as np
import pytest

REPO = pathlib.Path(__file__).resolve().parents[1]
TUTORIAL = REPO / "docs" / "extending.md"
ORGANIZER = REPO / "source" / "isaaclab_mimic_tasks" / "tasks" / "desktop_organizer"
COPY_PREFIX = "Tutorial-Organizer-Carry-"
UDP_MODULE = "isaaclab_mimic_tasks.devices.udp"
"""Where the device tutorial puts its module (loaded from the tutorial's code, not written into the package)."""


def tutorial_blocks() -> dict[str, str]:
    """The tutorial's code blocks by their ``<!-- tutorial: where -->`` marker, de-indented to the fence."""
    pattern = re.compile(r"<!-- tutorial: ([^\n]+?) -->\n( *)```python\n(.*?)\n *```", re.S)  # a marker is one line
    blocks = {}
    for where, indent, body in pattern.findall(TUTORIAL.read_text()):
        blocks[where] = "\n".join(line[len(indent) :] for line in body.splitlines())
    return blocks


def insert_line(text: str, anchor: str, block: str, after: bool) -> str:
    """``block`` inserted on its own lines after (or before) the one line of ``text`` containing ``anchor``."""
    lines = text.splitlines()
    (index,) = [i for i, line in enumerate(lines) if anchor in line]
    lines[index + 1 if after else index : index + 1 if after else index] = block.splitlines()
    return "\n".join(lines) + "\n"


def insert_after_assignment(text: str, attribute: str, block: str) -> str:
    """``block`` inserted on its own lines after the one statement of ``text`` that assigns ``self.<attribute>``
    (found by its syntax, however it is line-wrapped)."""
    (end,) = [
        node.end_lineno
        for node in ast.walk(ast.parse(text))
        if isinstance(node, ast.Assign)
        and any(isinstance(target, ast.Attribute) and target.attr == attribute for target in node.targets)
    ]
    lines = text.splitlines()
    lines[end:end] = block.splitlines()
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def carry_task(tmp_path_factory):
    """A copy of the organizer with the tutorial's three edits, registered under new IDs (the only test-only
    change), and taken out of the registry again afterwards."""
    from isaaclab_mimic_tasks.registration import recording_registrations

    blocks = tutorial_blocks()
    mine = [where for where in blocks if "learning/" not in where and not where.startswith("own package:")]
    assert len(mine) == 5, list(blocks)  # subtask 3, device 2
    root = tmp_path_factory.mktemp("tutorial")
    package = root / "organizer_with_carry"
    shutil.copytree(ORGANIZER, package, ignore=shutil.ignore_patterns("__pycache__"))
    init = package / "__init__.py"
    init.write_text(init.read_text().replace("Isaac-Desktop-Organizer-", COPY_PREFIX))

    # the three steps, each skipped where the organizer already has it (the tutorial applied in the tree itself)
    # step 1: the signal function, appended to mdp/observations.py and named in its __all__
    observations = package / "mdp" / "observations.py"
    block = blocks["append to mdp/observations.py"]
    if block.strip() not in observations.read_text():
        text = observations.read_text() + "\n\n" + block + "\n"
        observations.write_text(text.replace("__all__ = [", '__all__ = ["object_above_container", ', 1))
    # step 2: the subtask_terms term, after lift
    env_cfg = package / "organizer_env_cfg.py"
    block = blocks["after the lift term of organizer_env_cfg.py"]
    if block.strip() not in env_cfg.read_text():
        env_cfg.write_text(insert_line(env_cfg.read_text(), "lift = ObsTerm(", block, after=True))
    # step 3: the subtask, before the place entry
    mimic_cfg = package / "franka_ik_rel_mimic_env_cfg.py"
    block = blocks["before the place entry of franka_ik_rel_mimic_env_cfg.py"]
    if block.strip() not in mimic_cfg.read_text():
        mimic_cfg.write_text(insert_line(mimic_cfg.read_text(), '("container", None,', block, after=False))
    # the device tutorial's step 2: its entry in the robot subclass's teleop_devices, and the import it names
    robot_cfg = package / "franka_ik_rel_env_cfg.py"
    block = blocks["after the teleop_devices of franka_ik_rel_env_cfg.py"]
    text = insert_after_assignment(robot_cfg.read_text(), "teleop_devices", block)
    robot_cfg.write_text(
        text.replace(
            "from . import mdp\n", "from isaaclab_mimic_tasks.devices.udp import UdpSe3Cfg\n\nfrom . import mdp\n", 1
        )
    )

    # the device tutorial's step 1: devices/udp.py, loaded as the module it would be in the package
    device_module = root / "udp.py"
    device_module.write_text(blocks["devices/udp.py"] + "\n")
    spec = importlib.util.spec_from_file_location(UDP_MODULE, device_module)
    sys.modules[UDP_MODULE] = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(sys.modules[UDP_MODULE])

    sys.path.insert(0, str(root))
    before = set(gym.registry)
    try:
        with recording_registrations():
            module = importlib.import_module("organizer_with_carry")
        ids = module.RELATED_TASK_IDS
        yield ids
    finally:
        for task in set(gym.registry) - before:
            del gym.registry[task]
        sys.path.remove(str(root))
        del sys.modules[UDP_MODULE]


@pytest.mark.fast
def test_tutorial_subtask_is_annotated_and_used_by_generation(carry_task, tmp_path):
    from isaaclab_mimic_tasks.datagen import annotate_dataset, generate_dataset, record_dataset

    source, annotated, generated = (tmp_path / f"{name}.hdf5" for name in ("source", "annotated", "generated"))
    record_dataset(carry_task["base"], str(source), num_demos=2, num_envs=2)
    written, skipped = annotate_dataset(carry_task["mimic"], str(source), str(annotated), num_envs=2)
    assert written == 2, skipped

    # annotate found the new signal: it rises in every demo, after lift
    with h5py.File(annotated, "r") as f:
        for name in f["data"]:
            signals = f[f"data/{name}/obs/datagen_info/subtask_term_signals"]
            assert set(signals) == {"reach", "grasp", "lift", "carry"}, name
            rise = {key: int(np.argmax(signals[key][()].astype(bool))) for key in signals}
            assert 0 < rise["lift"] < rise["carry"], (name, rise)

    # generate used it: the source demos are split at five subtask ends, and a demo comes out
    stats = generate_dataset(
        carry_task["mimic"], str(annotated), str(generated), num_envs=2, generation_num_trials=1, split_ratio=None
    )
    assert stats.subtask_signals == {"franka": ["reach", "grasp", "lift", "carry"]}
    assert stats.demos == 1


@pytest.mark.fast
def test_tutorial_device_is_built_by_isaac_labs_factory_and_listed_by_the_task(carry_task, tmp_path):
    """The "add a teleop device" code blocks as written: devices/udp.py, and the teleop_devices entry in the task
    copy; Isaac Lab's factory builds it from the task's cfg, and it gives the Se3 command it was sent. The recording
    session offers it by name, and its declared check fails in one line while its port is taken."""
    import socket
    import struct
    import warnings

    import torch
    from isaaclab_teleop.deprecated.teleop_device_factory import create_teleop_device

    from isaaclab_mimic_tasks.datagen import record_teleop_dataset
    from isaaclab_mimic_tasks.envs import load_env_cfg
    from isaaclab_mimic_tasks.errors import UserInputError

    module = sys.modules[UDP_MODULE]
    devices = load_env_cfg(carry_task["base"]).teleop_devices.devices
    assert isinstance(devices["udp"], module.UdpSe3Cfg)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:  # a free port
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    devices["udp"].port = port
    discards = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        device = create_teleop_device("udp", devices, {"R": lambda: discards.append(True)})
    sender = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sender.sendto(struct.pack("<7f", 0.01, 0.0, -0.02, 0.0, 0.0, 0.1, -1.0), ("127.0.0.1", port))
    sender.sendto(b"R", ("127.0.0.1", port))
    time.sleep(0.2)
    command = device.advance()
    assert torch.allclose(command, torch.tensor([0.01, 0.0, -0.02, 0.0, 0.0, 0.1, -1.0]))
    assert discards == [True]
    assert torch.allclose(device.advance(), torch.tensor([0.0] * 6 + [-1.0]))  # each datagram moves once
    with pytest.raises(UserInputError, match=f"UDP port {port} is in use"):  # the device holds it
        devices["udp"].check_before_start()
    sender.close()
    device._socket.close()
    devices["udp"].check_before_start()  # free again

    # mimic-tasks record lists every device the task offers, the tutorial's included
    listed = re.escape("lists no joystick device (it has: keyboard, terminal_keyboard, spacemouse, udp)")
    with pytest.raises(UserInputError, match=listed):
        record_teleop_dataset(carry_task["base"], str(tmp_path / "demos.hdf5"), 1, device="joystick")
    assert not any(tmp_path.iterdir())
