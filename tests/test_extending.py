"""docs/extending.md's "add a subtask" tutorial, applied as written: its code blocks go into a copy of the
desktop-organizer task, and the new signal is found by annotate and used by generate."""

from __future__ import annotations

import importlib
import pathlib
import re
import shutil
import sys

import gymnasium as gym
import h5py
import numpy as np
import pytest

REPO = pathlib.Path(__file__).resolve().parents[1]
TUTORIAL = REPO / "docs" / "extending.md"
ORGANIZER = REPO / "source" / "isaaclab_mimic_tasks" / "tasks" / "desktop_organizer"
COPY_PREFIX = "Tutorial-Organizer-Carry-"


def tutorial_blocks() -> dict[str, str]:
    """The tutorial's code blocks by their ``<!-- tutorial: where -->`` marker, de-indented to the fence."""
    pattern = re.compile(r"<!-- tutorial: (.+?) -->\n( *)```python\n(.*?)\n *```", re.S)
    blocks = {}
    for where, indent, body in pattern.findall(TUTORIAL.read_text()):
        blocks[where] = "\n".join(line[len(indent):] for line in body.splitlines())
    return blocks


def insert_line(text: str, anchor: str, block: str, after: bool) -> str:
    """``block`` inserted on its own lines after (or before) the one line of ``text`` containing ``anchor``."""
    lines = text.splitlines()
    (index,) = [i for i, line in enumerate(lines) if anchor in line]
    lines[index + 1 if after else index : index + 1 if after else index] = block.splitlines()
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def carry_task(tmp_path_factory):
    """A copy of the organizer with the tutorial's three edits, registered under new IDs (the only test-only
    change), and taken out of the registry again afterwards."""
    from isaaclab_mimic_tasks.registration import recording_registrations

    blocks = tutorial_blocks()
    assert len(blocks) == 3, list(blocks)
    root = tmp_path_factory.mktemp("tutorial")
    package = root / "organizer_with_carry"
    shutil.copytree(ORGANIZER, package, ignore=shutil.ignore_patterns("__pycache__"))
    init = package / "__init__.py"
    init.write_text(init.read_text().replace("Isaac-Desktop-Organizer-", COPY_PREFIX))

    # step 1: the signal function, appended to mdp/observations.py and named in its __all__
    observations = package / "mdp" / "observations.py"
    text = observations.read_text() + "\n\n" + blocks["append to mdp/observations.py"] + "\n"
    observations.write_text(text.replace("__all__ = [", '__all__ = ["object_above_container", ', 1))
    # step 2: the subtask_terms term, after lift
    env_cfg = package / "organizer_env_cfg.py"
    block = blocks["after the lift term of organizer_env_cfg.py"]
    env_cfg.write_text(insert_line(env_cfg.read_text(), "lift = ObsTerm(", block, after=True))
    # step 3: the subtask, before the place entry
    mimic_cfg = package / "franka_ik_rel_mimic_env_cfg.py"
    block = blocks["before the place entry of franka_ik_rel_mimic_env_cfg.py"]
    mimic_cfg.write_text(insert_line(mimic_cfg.read_text(), '("basket", None,', block, after=False))

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
