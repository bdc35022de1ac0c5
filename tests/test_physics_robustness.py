"""Physics that survives a clumsy person: the worst contact a person can produce at the keyboard (``bench/
clumsy_operator.py``: hand pressed into the table, closing on the object while pressing, the object pushed into the
basket, sweeps through the objects, both GR1T2 hands in contact) overflows no buffer and leaves every value finite, in
several random scenes at once; a forced overflow ends that attempt with one line and writes nothing; holding "down"
over free table stops the hand at its workspace floor."""

from __future__ import annotations

import logging
import os
import sys

import h5py
import numpy as np
import pytest
import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "bench"))

ORGANIZER = "Isaac-Desktop-Organizer-Franka-IK-Rel-v0"
GR1T2 = "Isaac-PickPlace-GR1T2-Abs-v0"


@pytest.mark.parametrize("task", [ORGANIZER, GR1T2])
def test_clumsy_operator_overflows_nothing_and_stays_finite(task):
    from clumsy_operator import run_scenarios

    result = run_scenarios(task, num_envs=3, seed=1, log=lambda line: None)
    assert result["failures"] == {}, result["failures"]
    assert not result["non_finite_actions"]
    # the scenarios reach real contact (the table, the object, the basket), with room left in the buffers
    assert 60 < max(result["contacts_peak"]) < result["nconmax"], result
    assert max(result["rows_peak"]) < result["njmax"], result


def test_a_forced_contact_overflow_ends_the_attempt_in_one_line_and_writes_nothing(tmp_path, caplog):
    from isaaclab_mimic_tasks.datagen.record import record_demos, recording_env_cfg
    from isaaclab_mimic_tasks.datasets.io import publish, staging_path
    from isaaclab_mimic_tasks.envs import open_env, scripted_expert_class

    output = tmp_path / "overflow.hdf5"
    staging = staging_path(str(output))
    env_cfg, success_term = recording_env_cfg(ORGANIZER, 2, staging)
    env_cfg.sim.physics.solver_cfg.nconmax = 20  # the objects resting on the table alone need about 60
    with caplog.at_level(logging.WARNING, logger="isaaclab_mimic_tasks.physics"):
        with open_env(ORGANIZER, num_envs=2, seed=0, env_cfg=env_cfg) as env:
            stats = record_demos(env, scripted_expert_class(ORGANIZER)(env), success_term, 1, 10, max_steps=4)
            for name in ("robot", "ketchup"):  # reset after each failure: finite again
                data = env.scene[name].data
                state = data.joint_pos.torch if name == "robot" else data.root_state_w.torch
                assert torch.isfinite(state).all()
    publish(staging, str(output))
    lines = [r.getMessage() for r in caplog.records if r.name == "isaaclab_mimic_tasks.physics"]
    assert len(lines) == 2 * 4, lines  # each environment, each step: its attempt ended at once
    assert all("\n" not in line and "nconmax" in line and "attempt ends" in line for line in lines), lines
    assert stats.demos == 0 and stats.attempts == 8
    if output.exists():  # nothing was exported, and nothing non-finite
        with h5py.File(output) as f:
            assert len(f.get("data", {})) == 0


def test_holding_down_over_free_table_stops_at_the_workspace_floor():
    """The relative-IK hand pressed down by a held key (the keyboard's step every step) stops at the floor of the
    task's workspace box and stays there; it no longer slides along the table."""
    from isaaclab_mimic_tasks.envs import load_env_cfg, open_env
    from isaaclab_mimic_tasks.tasks.common.mdp import eef_pos
    from isaaclab_mimic_tasks.tasks.desktop_organizer.franka_ik_rel_env_cfg import TCP_WORKSPACE

    cfg = load_env_cfg(ORGANIZER, 1)
    cfg.terminations.time_out = None
    step = cfg.teleop_devices.devices["newton_keyboard"].pos_sensitivity
    with open_env(ORGANIZER, num_envs=1, seed=0, env_cfg=cfg) as env:
        base = env.scene["robot"].data.root_pos_w.torch[0]
        objects = [env.scene[n].data.root_pos_w.torch[0, :2] - base[:2] for n in env.scene.rigid_objects]
        spots = [torch.tensor([x, y]) for x in (0.35, 0.45, 0.55, 0.65) for y in (-0.35, -0.2, 0.0, 0.2, 0.35)]
        free = max(spots, key=lambda p: min(float(torch.linalg.norm(p - o)) for o in objects))
        target = torch.tensor([free[0], free[1], 0.2])
        for _ in range(50):  # above the free spot
            here = eef_pos(env, env.cfg.end_effectors["franka"])[0]
            env.step(torch.cat([torch.clamp(target - here, -step, step), torch.zeros(3), torch.ones(1)])[None])
        start = eef_pos(env, env.cfg.end_effectors["franka"])[0].clone()
        path = []
        for _ in range(60):  # "down" held for 3 s
            env.step(torch.tensor([[0.0, 0.0, -step, 0.0, 0.0, 0.0, 1.0]]))
            path.append(eef_pos(env, env.cfg.end_effectors["franka"])[0].clone())
    path = torch.stack(path)
    floor = TCP_WORKSPACE[0][2]
    assert abs(float(path[-1, 2]) - floor) < 0.003, path[-1]
    sideways = torch.linalg.norm(path[:, :2] - start[:2], dim=1).max()
    assert sideways < 0.02, sideways
    assert float(torch.linalg.norm(path[-1] - path[-20])) < 0.002  # it stopped
    assert np.isfinite(path.numpy()).all()
