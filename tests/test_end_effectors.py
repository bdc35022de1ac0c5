"""End effectors are first-class: a two-end-effector Mimic cfg (right and left hand, each its own subtask list,
the shape of stock Isaac Lab's GR1T2 and nut-pour cfgs) annotates per hand, and generation failures, ``info``
and the report are accounted per hand."""

from __future__ import annotations

import json

import h5py
import numpy as np
import pytest
import torch
from isaaclab.envs.mimic_env_cfg import MimicEnvCfg, SubTaskConfig

from isaaclab_mimic_tasks.datagen.annotate import annotation_problem, subtask_order, subtask_term_offsets
from isaaclab_mimic_tasks.datagen.generate import GenerationStats, failure_chains, failure_labels, subtask_order_lines
from isaaclab_mimic_tasks.datasets import dataset_summary, format_summary

pytestmark = pytest.mark.fast  # the quick check: per-hand annotation and accounting (~5 s)

STEPS = 40


def two_hand_cfg() -> MimicEnvCfg:
    """A stand-in bimanual Mimic cfg: the right hand grasps and lifts the can, the left hand reaches and holds
    the basket; each list ends with a subtask that has no signal (it ends with the demo)."""
    cfg = MimicEnvCfg()
    cfg.subtask_configs["right"] = [
        SubTaskConfig(object_ref="can", subtask_term_signal="grasp_can"),
        SubTaskConfig(object_ref="can", subtask_term_signal="lift_can"),
        SubTaskConfig(object_ref="basket", subtask_term_signal=None),
    ]
    cfg.subtask_configs["left"] = [
        SubTaskConfig(object_ref="basket", subtask_term_signal="reach_basket"),
        SubTaskConfig(object_ref="basket", subtask_term_signal=None),
    ]
    return cfg


def signals(**rises: int) -> dict[str, torch.Tensor]:
    """0/1 signals over STEPS steps, each rising at the given step (never if -1)."""
    steps = torch.arange(STEPS)
    return {name: ((steps >= at) & (at >= 0)).float() for name, at in rises.items()}


def test_subtask_order_is_per_end_effector():
    assert subtask_order(two_hand_cfg()) == {"right": ["grasp_can", "lift_can"], "left": ["reach_basket"]}


@pytest.mark.parametrize(
    "rises",
    [
        {"grasp_can": 5, "lift_can": 10, "reach_basket": 30},  # right hand first
        {"grasp_can": 20, "lift_can": 25, "reach_basket": 3},  # left hand first
        {"grasp_can": 5, "lift_can": 25, "reach_basket": 12},  # interleaved
    ],
    ids=["right-first", "left-first", "interleaved"],
)
def test_hands_finishing_in_different_orders_annotate(rises):
    assert annotation_problem(signals(**rises), subtask_order(two_hand_cfg())) is None


def test_a_signal_out_of_order_is_reported_for_its_hand():
    order = subtask_order(two_hand_cfg())
    problem = annotation_problem(signals(grasp_can=20, lift_can=8, reach_basket=3), order)
    assert problem is not None and problem.startswith("right: ") and "out of order" in problem
    problem = annotation_problem(signals(grasp_can=5, lift_can=10, reach_basket=-1), order)
    assert problem == "left: subtask 'reach_basket' never completed"
    problem = annotation_problem(signals(grasp_can=0, lift_can=10, reach_basket=4), order)
    assert problem == "right: subtask 'grasp_can' is already complete at the first step"


def test_one_end_effector_keeps_plain_messages():
    order = {"franka": ["reach", "grasp", "lift"]}
    assert annotation_problem(signals(reach=3, grasp=2, lift=9), order).startswith("subtasks end out of order")


def test_two_subtasks_ending_on_the_same_step_are_reported():
    """Signals may rise together, but Mimic cannot split a demo into an empty subtask: the demo is skipped with why."""
    order = {"franka": ["reach", "grasp", "lift"]}
    problem = annotation_problem(signals(reach=3, grasp=7, lift=7), order)
    assert problem == "subtasks 'grasp' and 'lift' end on the same step (6); Mimic needs each subtask to last a step"


def test_subtask_ends_closer_than_the_offsets_allow_are_reported():
    """Mimic's check of its cfg's offsets (end_{i-1} + max_offset_{i-1} < end_i + min_offset_i): with (3, 8) the
    ends must be more than 5 steps apart, or generation refuses the demo."""
    cfg = two_hand_cfg()
    for subtask in cfg.subtask_configs["right"][:2]:
        subtask.subtask_term_offset_range = (3, 8)
    offsets = subtask_term_offsets(cfg)
    assert offsets["right"] == [(3, 8), (3, 8)] and len(offsets["left"]) == 1
    order = subtask_order(cfg)
    assert annotation_problem(signals(grasp_can=5, lift_can=11, reach_basket=4), order, offsets) is None
    problem = annotation_problem(signals(grasp_can=5, lift_can=10, reach_basket=4), order, offsets)
    assert problem == (
        "right: subtasks 'grasp_can' and 'lift_can' end 5 steps apart (4, 9); Mimic needs more than 5 with their"
        " subtask_term_offset_range"
    )
    assert annotation_problem(signals(grasp_can=5, lift_can=10, reach_basket=4), order) is None  # no offsets given


def test_generation_failures_are_labelled_per_end_effector():
    order = subtask_order(two_hand_cfg())
    chains = failure_chains(order, ["grasp_can", "lift_can", "reach_basket", "place"])
    assert chains == {"right": ["grasp_can", "lift_can"], "left": ["reach_basket"]}  # "place" belongs to no hand
    reached = {"grasp_can": True, "lift_can": False, "reach_basket": True, "place": False}
    assert failure_labels(reached, chains, ever_solved=False) == (
        "right: lift_can",
        {"right": "lift_can", "left": "done"},
    )
    reached = {"grasp_can": False, "lift_can": False, "reach_basket": False, "place": False}
    label, per_eef = failure_labels(reached, chains, ever_solved=False)
    assert label == "right: grasp_can; left: reach_basket" and per_eef == {"right": "grasp_can", "left": "reach_basket"}
    reached = dict.fromkeys(reached, True)
    assert failure_labels(reached, chains, ever_solved=True)[0] == "solved, not held"
    # one end effector owns every signal, so the organizer's "place" still labels its failures
    single = failure_chains({"franka": ["reach", "grasp", "lift"]}, ["reach", "grasp", "lift", "place"])
    assert single == {"franka": ["reach", "grasp", "lift", "place"]}
    assert failure_labels({"reach": True, "grasp": True, "lift": True, "place": False}, single, False)[0] == "place"


def test_info_shows_failures_per_end_effector(tmp_path):
    path = tmp_path / "generated.hdf5"
    stats = GenerationStats(
        task="",
        source="annotated.hdf5",
        seed=0,
        num_success_steps=5,
        demos=1,
        attempts=3,
        runs=1,
        seconds=60.0,
        failures_by_subtask={"right: lift_can": 1, "left: reach_basket": 1},
        failures_by_eef={"right": {"lift_can": 1, "done": 1}, "left": {"done": 1, "reach_basket": 1}},
        subtask_signals={"right": ["lift_can", "grasp_can"], "left": ["reach_basket"]},  # not alphabetical
    )
    with h5py.File(path, "w") as f:
        demo = f.create_group("data/demo_0")
        demo.attrs["num_samples"] = 4
        demo["actions"] = np.zeros((4, 7), dtype=np.float32)
        f["data"].attrs["mimic_generation"] = json.dumps(stats.__dict__)
    summary = dataset_summary(path)
    text = format_summary(summary)
    assert summary["subtask_order"] == stats.subtask_signals  # the generation's, as the file records no annotation
    last = "(last subtask: ends with the demo, no signal)"
    assert f"subtask signals of right: lift_can -> grasp_can -> {last}" in text
    assert f"subtask signals of left: reach_basket -> {last}" in text
    assert "end effector right: lift_can 1, done 1" in text
    assert "end effector left: done 1, reach_basket 1" in text


def test_generate_prints_each_end_effectors_subtask_order_at_start(tmp_path):
    """One line per end effector, its signals in order and its last subtask (no signal) by its description; the
    organizer's, printed by ``mimic-tasks generate`` before it starts (here before its input is refused)."""
    from conftest import cli

    from isaaclab_mimic_tasks.envs import load_mimic_env_cfg

    lines = subtask_order_lines(two_hand_cfg().subtask_configs)
    assert lines[0].startswith("subtasks of right: grasp_can -> lift_can -> ")
    assert lines[0].endswith("(ends with the task's success)") and lines[1].startswith("subtasks of left: reach_basket")
    task = "Isaac-Desktop-Organizer-Franka-Mimic-IK-Rel-v0"
    (signals,) = subtask_order(load_mimic_env_cfg(task)).values()
    last = "place the ketchup in the basket (ends with the task's success)"
    expected = f"subtasks of franka: {' -> '.join([*signals, last])}"
    output = tmp_path / "generated.hdf5"
    result = cli("generate", "--task", task, "--input_file", tmp_path / "none.hdf5", "--output_file", output)
    assert result.returncode != 0 and result.stdout.splitlines()[0] == expected, (result.stdout, result.stderr[-500:])
