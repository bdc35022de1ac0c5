"""The task contract (``tasks/common/task_env_cfg.py``): every registered task declares all of it, and a task cfg that
leaves a contract field unset fails to load with that field's name. Loads cfgs only: no simulator is started."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import MISSING

import gymnasium as gym
import pytest
from isaaclab.utils import configclass

from isaaclab_mimic_tasks.envs import load_env_cfg, related_task, task_ids
from isaaclab_mimic_tasks.errors import UserInputError
from isaaclab_mimic_tasks.tasks.common import CONTRACT_FIELDS, TaskEnvCfg, check_task_contract, missing_contract_fields
from isaaclab_mimic_tasks.tasks.desktop_organizer.franka_ik_rel_env_cfg import (
    FrankaOrganizerIKRelEnvCfg,
    FrankaOrganizerIKRelEnvCfg_PHYSX,
)
from isaaclab_mimic_tasks.tasks.desktop_organizer.franka_ik_rel_mimic_env_cfg import FrankaOrganizerIKRelMimicEnvCfg

ORGANIZER = "Isaac-Desktop-Organizer-Franka-IK-Rel-v0"
TEST_TASK = "Isaac-Contract-Test-v0"


@pytest.mark.parametrize("task", task_ids())
def test_every_task_declares_the_contract(task):
    """Each registered ID's cfg subclasses the base cfg, sets every contract field, and names its end effectors as
    its Mimic variant keys its subtask lists."""
    cfg = load_env_cfg(task)  # checks the contract
    assert isinstance(cfg, TaskEnvCfg)
    assert missing_contract_fields(cfg) == []
    assert cfg.instruction and cfg.record_success_steps >= 1 and cfg.camera_views
    assert set(cfg.end_effectors) == set(load_env_cfg(related_task(task, "mimic")).subtask_configs)


def test_the_physx_variant_declares_the_contract():
    check_task_contract(FrankaOrganizerIKRelEnvCfg_PHYSX())


def without(cfg_class: type, path: str) -> type:
    """A subclass of ``cfg_class`` that resets the field at the dotted ``path`` to ``MISSING`` after its own
    ``__post_init__``: a task that forgot to declare it."""

    @configclass
    class Incomplete(cfg_class):
        def __post_init__(self):
            super().__post_init__()
            *parents, name = path.split(".")
            owner = self
            for parent in parents:
                owner = owner[parent] if isinstance(owner, dict) else getattr(owner, parent)
            if isinstance(owner, dict):
                owner[name] = MISSING
            else:
                setattr(owner, name, MISSING)

    return Incomplete


@contextlib.contextmanager
def registered(env_cfg_entry_point) -> Iterator[str]:
    """:data:`TEST_TASK` registered for the duration, with ``env_cfg_entry_point`` and the organizer's other kwargs."""
    kwargs = {**gym.spec(ORGANIZER).kwargs, "env_cfg_entry_point": env_cfg_entry_point}
    kwargs["related_task_ids"] = {"base": TEST_TASK, "mimic": TEST_TASK}
    gym.register(id=TEST_TASK, entry_point="isaaclab.envs:ManagerBasedRLEnv", kwargs=kwargs, disable_env_checker=True)
    try:
        yield TEST_TASK
    finally:
        del gym.registry[TEST_TASK]


@pytest.mark.parametrize("field", CONTRACT_FIELDS)
def test_a_task_missing_a_contract_field_fails_with_its_name(field):
    with registered(without(FrankaOrganizerIKRelEnvCfg, field)) as task:
        with pytest.raises(UserInputError) as error:
            load_env_cfg(task)
    assert f"does not declare {field}:" in str(error.value)
    assert task_ids().count(TEST_TASK) == 0  # the registry is as it was


def test_a_field_missing_inside_a_declaration_is_named_by_its_path():
    cfg = without(FrankaOrganizerIKRelEnvCfg, "end_effectors.franka.body")()
    assert missing_contract_fields(cfg) == ["end_effectors.franka.body"]
    with pytest.raises(UserInputError, match=r"does not declare end_effectors\.franka\.body:"):
        check_task_contract(cfg)


def test_mimic_subtask_lists_must_name_the_declared_end_effectors():
    @configclass
    class Renamed(FrankaOrganizerIKRelMimicEnvCfg):
        def __post_init__(self):
            super().__post_init__()
            self.subtask_configs["panda"] = self.subtask_configs.pop("franka")

    with pytest.raises(UserInputError, match="declares end effectors franka but keys its subtask_configs by panda"):
        check_task_contract(Renamed())


def test_task_objects_must_name_scene_entities():
    @configclass
    class Misspelt(FrankaOrganizerIKRelEnvCfg):
        task_objects = {"object": "orange_juice", "container": "basket"}

        def __post_init__(self):
            super().__post_init__()
            self.task_objects = {"object": "orange_jiuce", "container": "basket"}

    with pytest.raises(UserInputError, match="task_objects name orange_jiuce, which its scene does not have"):
        check_task_contract(Misspelt())
