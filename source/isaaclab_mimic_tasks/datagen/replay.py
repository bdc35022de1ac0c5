"""Replay: recorded actions stepped from each demo's recorded initial state, several demos at a time.

Flags of ``mimic-tasks replay`` follow Isaac Lab's ``scripts/tools/replay_demos.py``. The engine here is also
what annotation uses.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import torch
from tqdm import tqdm


def replay_env_cfg(task: str, num_envs: int):
    """The env cfg of ``task`` for replay: no terminations (a replay ends with its demo), success term apart."""
    from isaaclab_mimic_tasks.envs import load_env_cfg, take_success_term

    env_cfg = load_env_cfg(task, num_envs)
    env_cfg.env_name = task
    success_term = take_success_term(env_cfg)
    env_cfg.terminations = None
    # a replay must not be cut short by the episode length either
    env_cfg.episode_length_s = 1.0e6
    return env_cfg, success_term


def replay_episodes(
    env,
    dataset_path: str,
    demo_names: Sequence[str],
    success_term,
    on_demo_end: Callable[[int, str, bool], None] | None = None,
    desc: str = "replaying demos",
) -> dict[str, bool]:
    """Replay ``demo_names`` of ``dataset_path``, one per environment at a time.

    Each demo starts from its recorded initial state and steps its recorded actions. When a demo's last
    action has been applied, ``on_demo_end(env_id, demo_name, success)`` is called (``success``: the
    success term holds at that step) before the environment takes the next demo. A demo whose physics failed (a
    buffer overflow or a non-finite state) ends at that step, as not succeeding. Environments left
    without a demo get zero actions until all demos are done.

    Returns:
        Whether each demo ended in success.
    """
    from isaaclab.utils.datasets import HDF5DatasetFileHandler

    from isaaclab_mimic_tasks.rendering.viewer import window_closed
    from isaaclab_mimic_tasks.tasks.common.physics_monitor import physics_failures

    handler = HDF5DatasetFileHandler()
    handler.open(dataset_path)
    queue = list(demo_names)
    current: list[tuple[str, torch.Tensor] | None] = [None] * env.num_envs
    step_index = torch.zeros(env.num_envs, dtype=torch.long)
    outcome: dict[str, bool] = {}
    actions = torch.zeros(env.action_space.shape, device=env.device)

    def start_next(env_id: int) -> None:
        if not queue:
            current[env_id] = None
            return
        name = queue.pop(0)
        episode = handler.load_episode(name, env.device)
        ids = torch.tensor([env_id], device=env.device)
        env.reset_to(episode.data["initial_state"], ids, is_relative=True)
        current[env_id] = (name, episode.data["actions"])
        step_index[env_id] = 0

    try:
        with torch.inference_mode(), tqdm(total=len(queue), desc=desc, unit="demo") as bar:
            for env_id in range(env.num_envs):
                start_next(env_id)
            while any(c is not None for c in current) and not window_closed(env):
                actions.zero_()
                for env_id, entry in enumerate(current):
                    if entry is not None:
                        actions[env_id] = entry[1][step_index[env_id]]
                env.step(actions)
                step_index += 1
                solved = success_term.func(env, **success_term.params).bool()
                failed = physics_failures(env)  # such a demo ends here, as not succeeding
                for env_id, entry in enumerate(current):
                    if entry is not None and (step_index[env_id] >= len(entry[1]) or env_id in failed):
                        outcome[entry[0]] = bool(solved[env_id]) and env_id not in failed
                        if on_demo_end is not None:
                            on_demo_end(env_id, entry[0], outcome[entry[0]])
                        bar.update(1)
                        bar.set_postfix(success=f"{sum(outcome.values())}/{len(outcome)}")
                        start_next(env_id)
    finally:
        handler.close()
    return outcome


def select_demos(dataset_path: str, select: Sequence[int] | None, task: str | None = None) -> tuple[str, list[str]]:
    """The task recorded in ``dataset_path`` and the demo names to replay (all, or ``demo_<i>`` for ``select``)."""
    from isaaclab_mimic_tasks.datasets import check_dataset, dataset_task, demo_names, open_dataset
    from isaaclab_mimic_tasks.errors import UserInputError

    check_dataset(dataset_path, task=task)  # unreadable files, another task, NaN actions
    with open_dataset(dataset_path, task=task) as f:
        names = demo_names(f)
        recorded_task = dataset_task(f)
    if select:
        wanted = [f"demo_{i}" for i in select]
        missing = [n for n in wanted if n not in names]
        if missing:
            raise UserInputError(f"{dataset_path} has no {', '.join(missing)}; it holds {len(names)} demos")
        names = wanted
    return recorded_task, names


def replay_dataset(
    dataset_path: str,
    task: str | None = None,
    select: Sequence[int] | None = None,
    num_envs: int = 4,
    viz: str = "none",
) -> dict[str, bool]:
    """Replay the demos of ``dataset_path`` (all, or the indices ``select``) on ``task`` (default: the recorded
    one); returns whether each still ends in success. ``viz="newton_gl"``: in the viewer window (closing it
    stops the replay; the demos finished by then are returned)."""
    from isaaclab_mimic_tasks.envs import open_env
    from isaaclab_mimic_tasks.errors import UserInputError
    from isaaclab_mimic_tasks.rendering.viewer import enable_viewer

    recorded_task, names = select_demos(dataset_path, select, task)
    task = task or recorded_task
    if not task:
        raise UserInputError(f"{dataset_path} does not name its task; pass --task")
    num_envs = max(1, min(num_envs, len(names)))
    env_cfg, success_term = replay_env_cfg(task, num_envs)
    launch_args = enable_viewer(env_cfg, viz)
    with open_env(task, num_envs=num_envs, seed=0, env_cfg=env_cfg, launch_args=launch_args) as env:
        return replay_episodes(env, dataset_path, names, success_term)
