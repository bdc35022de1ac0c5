"""Generic checks of every registered task ID: what each task declares, and that it builds and steps kit-less.

Parametrized over ``task_ids()``: a new task is covered by registering it.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import os
import subprocess
import sys

import gymnasium as gym
import pytest
import torch

from isaaclab_mimic_tasks.envs import (
    load_env_cfg,
    open_env,
    related_task,
    scripted_expert_class,
    task_family,
    task_ids,
)

pytestmark = pytest.mark.fast  # the quick check: every task ID declares, builds and steps (~25 s)

TASKS = task_ids()


def test_every_task_is_registered_by_importing_the_package():
    """Importing the package in a fresh interpreter registers exactly the IDs these generic tests cover (an ID
    registered without ``related_task_ids`` would silently drop out of all of them) and imports no simulator;
    every entry point of this package names a file or a top-level name that exists (checked without importing)."""
    probe = (
        "import json, sys, gymnasium as gym; before = set(gym.registry); import isaaclab_mimic_tasks; "
        "print(json.dumps({'new': sorted(set(gym.registry) - before), 'simulator': sorted(m for m in sys.modules "
        "if m.split('.')[0] in ('isaaclab', 'isaaclab_newton', 'newton', 'warp', 'torch'))}))"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    registered = json.loads(result.stdout.splitlines()[-1])
    assert registered["new"] == TASKS and len(TASKS) >= 2
    assert registered["simulator"] == [], "registering the tasks imported a simulator"
    for task in TASKS:
        spec = gym.spec(task)
        for key, value in {"entry_point": spec.entry_point, **spec.kwargs}.items():
            if key.endswith("entry_point") and isinstance(value, str) and value.startswith("isaaclab_mimic_tasks."):
                assert entry_point_exists(value), f"{task}: {key} {value!r} names nothing"


def entry_point_exists(entry_point: str) -> bool:
    """``module:Name`` names a top-level name of the module, ``module:path/file.json`` a file in its package."""
    module, _, target = entry_point.partition(":")
    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None:
        return False
    if "/" in target or "." in target:
        return os.path.isfile(os.path.join(os.path.dirname(spec.origin), target))
    tree = ast.parse(open(spec.origin).read())
    names = {getattr(node, "name", None) for node in tree.body}
    names |= {t.id for node in tree.body if isinstance(node, ast.Assign) for t in node.targets if hasattr(t, "id")}
    names |= {a.asname or a.name for node in tree.body if isinstance(node, ast.ImportFrom) for a in node.names}
    return target in names


@pytest.mark.parametrize("task", TASKS)
def test_related_ids_point_back(task):
    """The plain, -Play- and -Mimic- IDs each task declares exist and declare the same family."""
    related = gym.spec(task).kwargs["related_task_ids"]
    assert task in related.values() and {"base", "mimic"} <= set(related)
    for role, other in related.items():
        assert other in TASKS and related_task(other, role) == other
        assert task_family(other) == task_family(task) == related["base"]


@pytest.mark.parametrize("task", TASKS)
def test_declarations(task):
    """Each task declares its teleop devices (what Isaac Lab's record_demos.py reads), video view, success term,
    and its robomimic configs; its Mimic variant has subtask configs for each end effector."""
    from isaaclab.devices import DeviceCfg, DevicesCfg

    from isaaclab_mimic_tasks.learning.robomimic.config import load_config

    cfg = load_env_cfg(task)
    assert isinstance(cfg.teleop_devices, DevicesCfg)
    assert cfg.teleop_devices.devices, "no teleop device"
    for name, device in cfg.teleop_devices.devices.items():
        assert isinstance(device, DeviceCfg) and device.class_type, name
    assert len(cfg.video_view.eye) == 3 and len(cfg.video_view.target) == 3
    assert cfg.terminations.success is not None
    for key in gym.spec(task).kwargs:
        if key.startswith("robomimic_") and key.endswith("_cfg_entry_point"):
            config, _ = load_config(task, key.removeprefix("robomimic_").removesuffix("_cfg_entry_point"))
            assert set(config.all_obs_keys) <= set(vars(cfg.observations.policy)), key
    mimic = load_env_cfg(related_task(task, "mimic"))
    assert mimic.subtask_configs and all(mimic.subtask_configs.values())
    signals = {s.subtask_term_signal for subtasks in mimic.subtask_configs.values() for s in subtasks} - {None}
    assert signals <= set(vars(mimic.observations.subtask_terms))


@pytest.mark.parametrize("task", TASKS)
def test_builds_and_steps_with_its_expert(task):
    """Each ID builds kit-less on the CPU and steps under its declared scripted expert: finite observations."""
    from isaaclab.utils.string import string_to_callable

    expert_entry = gym.spec(task).kwargs.get("scripted_expert_entry_point")
    assert expert_entry is None or string_to_callable(expert_entry) is scripted_expert_class(task)
    with open_env(task, num_envs=2, seed=0) as env:
        expert = scripted_expert_class(task)(env) if expert_entry else None
        if expert is not None:
            expert.reset()
        for _ in range(3):
            action = expert.advance() if expert is not None else torch.zeros(env.action_space.shape)
            assert action.shape == (2, env.action_manager.total_action_dim)
            obs, *_ = env.step(action)
        for group in ("policy", "subtask_terms"):
            for key, value in obs[group].items():
                assert torch.isfinite(value).all(), (group, key)
