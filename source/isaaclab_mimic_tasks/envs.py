"""Making environments of this package's tasks kit-less, with clear errors for bad task IDs."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import gymnasium as gym

from isaaclab_mimic_tasks.errors import UserInputError

__all__ = [
    "SuccessStreak",
    "UserInputError",
    "check_same_task",
    "load_env_cfg",
    "load_mimic_env_cfg",
    "open_env",
    "take_success_term",
    "task_ids",
    "task_family",
]


def task_ids() -> list[str]:
    """The gym IDs this package registers."""
    import isaaclab_mimic_tasks.tasks  # noqa: F401  (registers the IDs)

    return sorted(
        spec.id for spec in gym.registry.values() if str(spec.kwargs.get("env_cfg_entry_point", "")).startswith("isaaclab_mimic_tasks.")
    )


def load_env_cfg(task: str, num_envs: int = 1, device: str = "cpu"):
    """The registered env cfg of ``task`` for ``num_envs`` environments on ``device``."""
    known = task_ids()
    if task not in known:
        raise UserInputError(f"unknown task '{task}'; choose one of: {', '.join(known)}")
    from isaaclab_tasks.utils import parse_env_cfg

    return parse_env_cfg(task, device=device, num_envs=num_envs)


def load_mimic_env_cfg(task: str, num_envs: int = 1, device: str = "cpu"):
    """:func:`load_env_cfg` for a Mimic task; a clear error for a task without a ``datagen_config``."""
    env_cfg = load_env_cfg(task, num_envs, device)
    if not hasattr(env_cfg, "datagen_config"):
        raise UserInputError(f"'{task}' is not a Mimic task; pass its -Mimic- ID to --task")
    return env_cfg


@contextlib.contextmanager
def open_env(task: str, num_envs: int = 1, seed: int | None = 0, device: str = "cpu", env_cfg=None) -> Iterator:
    """Create ``task`` (kit-less: ``launch_simulation`` starts nothing for Newton on the CPU) and close it after.

    Yields the unwrapped environment, already reset with ``seed``.
    """
    from isaaclab.app import launch_simulation

    cfg = env_cfg if env_cfg is not None else load_env_cfg(task, num_envs, device)
    if seed is not None:
        cfg.seed = seed
    with launch_simulation(cfg, {}):
        env = gym.make(task, cfg=cfg).unwrapped
        try:
            env.reset(seed=seed)
            yield env
        finally:
            env.close()


def task_family(task: str) -> str:
    """The base task of an ID: Mimic and Play variants share data with it (``-Mimic``/``-Play`` removed)."""
    return task.replace("-Mimic", "").replace("-Play", "")


def check_same_task(dataset_task: str, task: str, path: str) -> None:
    """Raise a clear error if a dataset recorded on ``dataset_task`` is used with an unrelated ``task``."""
    if dataset_task and task_family(dataset_task) != task_family(task):
        raise UserInputError(f"{path} holds demos of '{dataset_task}', not of '{task}'; pass the matching --task")


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

    def update(self):
        """Evaluate the success term after an ``env.step``; returns the streaks, shape (num_envs,)."""
        solved = self._term.func(self._env, **self._term.params).bool()
        return self.steps.add_(1).mul_(solved)  # in place: this runs every env.step

    def reset(self, env_ids=None) -> None:
        """Start counting again for ``env_ids`` (all if None), e.g. after their reset."""
        if env_ids is None:
            self.steps.zero_()
        else:
            self.steps[env_ids] = 0
