"""Making environments of this package's tasks kit-less, with clear errors for bad task IDs."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import gymnasium as gym


class UserInputError(Exception):
    """Bad input from the user; the message says what is wrong and how to fix it (no traceback)."""


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
