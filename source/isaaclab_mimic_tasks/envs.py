"""Making environments of this package's tasks kit-less, and reading what each task declares.

A task declares in its gym registration (string entry points, nothing imported at registration):
``related_task_ids`` (its ``base``, ``play`` and ``mimic`` IDs, which share datasets and checkpoints),
``scripted_expert_entry_point``, ``robomimic_<algo>_cfg_entry_point`` and ``lerobot_<algo>_cfg_entry_point``
(agent config files, ``module:file``); in its env cfg, a subclass of
:class:`~isaaclab_mimic_tasks.tasks.common.TaskEnvCfg`: the task contract (``instruction``, ``end_effectors``,
``record_success_steps``, ``placement``, ``video_view``, ``camera_views``, ``teleop_devices``, ``sim.physics``),
checked by :func:`load_env_cfg`, and its success term.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import sys
import warnings
from collections.abc import Iterator

import gymnasium as gym

from isaaclab_mimic_tasks.errors import UserInputError
from isaaclab_mimic_tasks.registration import plugin_failures

__all__ = [
    "SuccessStreak",
    "UserInputError",
    "check_same_task",
    "default_task",
    "load_env_cfg",
    "load_mimic_env_cfg",
    "scripted_expert_class",
    "open_env",
    "quiet_simulator",
    "registered_agent_file",
    "related_task",
    "take_success_term",
    "task_family",
    "task_ids",
]

VERBOSE_ENV_VAR = "ISAACLAB_MIMIC_TASKS_VERBOSE"
"""Set to 1 (``mimic-tasks --verbose``) to let Isaac Lab print its manager tables and ``[INFO]`` lines."""


def task_ids() -> list[str]:
    """The gym IDs of this package's tasks and of task plugins (every registration that declares
    ``related_task_ids``)."""
    import isaaclab_mimic_tasks  # noqa: F401  (registers the IDs)

    return sorted(spec.id for spec in gym.registry.values() if "related_task_ids" in spec.kwargs)


def _spec(task: str):
    known = task_ids()
    if task not in known:
        raise UserInputError(
            f"unknown task '{task}'; choose one of: {', '.join(known)}{plugin_failures('task plugin')}"
        )
    return gym.spec(task)


def related_task(task: str, role: str) -> str:
    """The ``role`` ID (``base``, ``play`` or ``mimic``) of ``task``'s family, as its registration declares it."""
    related = _spec(task).kwargs["related_task_ids"]
    if role not in related:
        raise UserInputError(f"task '{task}' declares no {role} variant (it has: {', '.join(related)})")
    return related[role]


def default_task(role: str = "base") -> str:
    """The ``role`` ID (``base``, ``play`` or ``mimic``) of the default task
    (:data:`isaaclab_mimic_tasks.tasks.DEFAULT_TASK`): what a command runs without ``--task``."""
    from isaaclab_mimic_tasks.tasks import DEFAULT_TASK

    return related_task(DEFAULT_TASK, role)


def task_family(task: str) -> str:
    """The base task of an ID: its Mimic and Play variants share datasets and checkpoints with it.

    IDs of other packages (e.g. recorded by stock Isaac Lab) are their own family."""
    spec = gym.registry.get(task)
    if spec is None or "related_task_ids" not in spec.kwargs:
        return task
    return spec.kwargs["related_task_ids"]["base"]


def check_same_task(dataset_task: str, task: str, path: str) -> None:
    """Raise a clear error if a dataset recorded on ``dataset_task`` is used with an unrelated ``task``."""
    if dataset_task and task_family(dataset_task) != task_family(task):
        raise UserInputError(f"{path} holds demos of '{dataset_task}', not of '{task}'; pass the matching --task")


def load_env_cfg(task: str, num_envs: int = 1, device: str = "cpu"):
    """The registered env cfg of ``task`` for ``num_envs`` environments on ``device``; a clear error naming the
    contract fields it leaves unset (:func:`~isaaclab_mimic_tasks.tasks.common.check_task_contract`)."""
    _spec(task)
    from isaaclab_tasks.utils import parse_env_cfg

    from isaaclab_mimic_tasks.tasks.common import check_task_contract

    with quiet_simulator():  # "[INFO]: Parsing configuration from ..."
        env_cfg = parse_env_cfg(task, device=device, num_envs=num_envs)
    check_task_contract(env_cfg)
    return env_cfg


def load_mimic_env_cfg(task: str, num_envs: int = 1, device: str = "cpu"):
    """:func:`load_env_cfg` for a Mimic task; a clear error for a task without a ``datagen_config``."""
    env_cfg = load_env_cfg(task, num_envs, device)
    if not hasattr(env_cfg, "datagen_config"):
        raise UserInputError(f"'{task}' is not a Mimic task; pass its -Mimic- ID to --task")
    return env_cfg


def registered_agent_file(task: str, entry_point_key: str) -> str | None:
    """The agent config file ``task`` registers under ``entry_point_key`` (e.g. ``robomimic_bc_rnn_cfg_entry_point``),
    resolved as Isaac Lab's scripts do (``module:file`` next to the module, else a path); None if it registers none."""
    import importlib

    entry = _spec(task).kwargs.get(entry_point_key)
    if entry is None or ":" not in entry:
        return entry
    module_name, file_name = entry.split(":")
    return os.path.join(os.path.dirname(importlib.import_module(module_name).__file__), file_name)


def scripted_expert_class(task: str):
    """The scripted expert class ``task`` declares (``scripted_expert_entry_point``); build it with ``cls(env)``.

    Its instances drive every environment at once: ``reset(env_ids=None)``, ``advance() -> actions``.
    """
    from isaaclab.utils.string import string_to_callable

    entry_point = _spec(task).kwargs.get("scripted_expert_entry_point")
    if entry_point is None:
        raise UserInputError(f"task '{task}' declares no scripted expert; record its demos with a teleop device")
    return string_to_callable(entry_point)


@contextlib.contextmanager
def quiet_simulator() -> Iterator[None]:
    """Keep Isaac Lab's start-up tables, ``[INFO]`` prints and info logs (and robomimic's banners and per-batch
    bars) off the terminal, unless verbose.

    Warnings and errors still show; ``ISAACLAB_MIMIC_TASKS_VERBOSE=1`` (``mimic-tasks --verbose``) shows all.
    """
    if os.environ.get(VERBOSE_ENV_VAR, "") not in ("", "0"):
        yield
        return
    # a fixed-base robot has no root velocity: Isaac Lab's Newton backend says so for every robot it builds
    thresholds = {name: logging.WARNING for name in ("isaaclab", "isaaclab_newton", "isaaclab_mimic", "newton")}
    thresholds["isaaclab_newton.assets.articulation.articulation_data"] = logging.ERROR
    loggers = [logging.getLogger(name) for name in thresholds]
    levels = [logger.level for logger in loggers]
    for logger, threshold in zip(loggers, thresholds.values()):
        logger.setLevel(max(logger.getEffectiveLevel(), threshold))
    _quiet_warp()
    _quiet_timers()
    try:
        with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
            # Isaac Lab 3.0 warns about APIs it still uses itself
            warnings.simplefilter("ignore", DeprecationWarning)
            warnings.simplefilter("ignore", FutureWarning)
            yield
    finally:
        _quiet_warp()  # imported meanwhile (by gym.make): its kernel-load lines come later, during env.step
        for logger, level in zip(loggers, levels):
            logger.setLevel(level)


def _quiet_timers() -> None:
    """Isaac Lab's timer lines off (e.g. "CUDA graph took:", printed at the first env.step when the physics step is
    captured, outside any quiet block)."""
    from isaaclab.utils.timer import Timer

    Timer.enable_display_output = False


def _quiet_warp() -> None:
    """Warp's "Module ... loaded" lines off, if Warp is imported (without importing it)."""
    warp = sys.modules.get("warp")
    if warp is not None:
        warp.config.quiet = True


@contextlib.contextmanager
def open_env(
    task: str, num_envs: int = 1, seed: int | None = 0, device: str = "cpu", env_cfg=None, launch_args=None
) -> Iterator:
    """Create ``task`` (kit-less: ``launch_simulation`` starts nothing for Newton on the CPU) and close it after.

    Yields the unwrapped environment, already reset with ``seed``. ``launch_args`` go to ``launch_simulation``
    (e.g. ``{"visualizer": ["newton_gl"]}`` from :func:`isaaclab_mimic_tasks.rendering.viewer.enable_viewer`).
    """
    cfg = env_cfg if env_cfg is not None else load_env_cfg(task, num_envs, device)
    if seed is not None:
        cfg.seed = seed
    from isaaclab.app import launch_simulation

    user_error = None
    with launch_simulation(cfg, dict(launch_args or {})):
        with quiet_simulator():
            env = gym.make(task, cfg=cfg).unwrapped
        try:
            env.reset(seed=seed)
            yield env
        except UserInputError as error:  # raised below, outside: launch_simulation prints a traceback of any error
            user_error = error
        finally:
            with quiet_simulator():
                env.close()
    if user_error is not None:
        raise user_error


def take_success_term(env_cfg):
    """Remove the success term from ``env_cfg``'s terminations and return it.

    Recording, replay, generation checks and rollouts decide themselves when a success has held long enough
    (:class:`SuccessStreak`), so the env must not reset on the first step it holds.
    """
    success_term = env_cfg.terminations.success
    env_cfg.terminations.success = None
    return success_term


class SuccessStreak:
    """Per environment, how many consecutive steps the task's success term has held.

    A demo or rollout counts as a success only if the task is still solved at its end: the stock
    generator's "success at any step" would count an object lifted and then dropped.
    """

    def __init__(self, env, success_term):
        import torch

        self._env = env
        self._term = success_term
        self.steps = torch.zeros(env.num_envs, dtype=torch.long, device=env.device)
        self.solved = torch.zeros(env.num_envs, dtype=torch.bool, device=env.device)
        """Whether the success term held at the last :meth:`update`, per environment."""

    def update(self):
        """Evaluate the success term after an ``env.step``; returns the streaks, shape (num_envs,)."""
        self.solved = self._term.func(self._env, **self._term.params).bool()
        return self.steps.add_(1).mul_(self.solved)  # in place: this runs every env.step

    def as_term(self):
        """A success term that answers from the last :meth:`update` instead of evaluating the task's again: Mimic's
        generator asks it once per environment after every step, which would evaluate it ``num_envs`` times."""
        from isaaclab.managers import TerminationTermCfg

        return TerminationTermCfg(func=lambda env: self.solved)

    def reset(self, env_ids=None) -> None:
        """Start counting again for ``env_ids`` (all if None), e.g. after their reset."""
        if env_ids is None:
            self.steps.zero_()
        else:
            self.steps[env_ids] = 0
