"""Policy rollouts in a task: batched, seeded, with the task's success rule; optional video.

A rollout succeeds once the task's success term has held for ``num_success_steps`` consecutive steps (an object
dropped on the way does not count); it fails at the horizon or on any other termination. Each rollout is counted
once; an environment whose rollout ended starts the next one while more are needed. Flags of ``mimic-tasks play``
follow Isaac Lab's ``scripts/imitation_learning/robomimic/play.py``.
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass

import torch
from tqdm import tqdm


@dataclass
class RolloutStats:
    """Outcome of :func:`run_policy_rollouts`."""

    successes: int
    rollouts: int
    """Rollouts that ended (fewer than asked if interrupted)."""
    steps: int
    """env.step calls made."""
    seconds: float
    interrupted: bool = False
    video: str | None = None
    """The video written, if one was asked for."""

    @property
    def success_rate(self) -> float:
        return self.successes / max(self.rollouts, 1)


def rollout_env_cfg(task: str, num_envs: int, video: bool = False):
    """The env cfg of ``task`` for rollouts, and its success term (taken out of the terminations: the rollout
    decides when a success has held long enough). The time-out is removed too (the horizon ends a rollout)."""
    from isaaclab_mimic_tasks.envs import load_env_cfg, take_success_term

    env_cfg = load_env_cfg(task, num_envs)
    success_term = take_success_term(env_cfg)
    env_cfg.terminations.time_out = None
    if video:
        from isaaclab_mimic_tasks.rendering.video import enable_video

        enable_video(env_cfg)
    return env_cfg, success_term


def run_policy_rollouts(
    env, policy, num_rollouts: int, horizon: int, num_success_steps: int, success_term, video=None
) -> RolloutStats:
    """Run ``num_rollouts`` rollouts of ``policy`` on the environments of ``env``; Ctrl-C stops early with what ended.

    Args:
        env: The unwrapped env, made from :func:`rollout_env_cfg` (no success or time-out termination).
        policy: Maps ``obs["policy"]`` to actions and has ``reset(env_ids=None)``: a policy family's
            :class:`~.families.BatchedPolicy`.
        num_rollouts: Rollouts to count.
        horizon: Steps after which a rollout fails.
        num_success_steps: Consecutive steps the success term must hold for a success.
        success_term: The task's success term cfg (``func``, ``params``).
        video: Optional :class:`~isaaclab_mimic_tasks.rendering.video.VideoRecorder`: captures its environment
            while that one runs a counted rollout.
    """
    from isaaclab_mimic_tasks.envs import SuccessStreak
    from isaaclab_mimic_tasks.rendering.viewer import window_closed

    n, device = env.num_envs, env.device
    streak = SuccessStreak(env, success_term)
    obs, _ = env.reset()
    policy.reset()
    active = torch.arange(n, device=device) < num_rollouts  # running a rollout that will be counted
    started = int(active.sum())
    rollout_steps = torch.zeros(n, dtype=torch.long, device=device)
    successes = ended = steps = 0
    interrupted = False
    start = time.perf_counter()
    with tqdm(total=num_rollouts, desc="policy rollouts", unit="rollout") as bar:
        try:
            while ended < num_rollouts and not window_closed(env):
                actions = policy(obs["policy"])
                actions[~active] = 0.0  # idle environments hold still
                obs, _, terminated, truncated, _ = env.step(actions)
                steps += 1
                rollout_steps += 1
                if video is not None and bool(active[video.env_index]):
                    video.capture()
                held = streak.update() >= num_success_steps
                failed = active & (terminated | truncated)  # these were reset by the env already
                success = active & ~failed & held
                done = success | failed | (active & (rollout_steps >= horizon))
                if not bool(done.any()):
                    continue
                successes += int(success.sum())
                ended += int(done.sum())
                bar.update(int(done.sum()))
                bar.set_postfix(success=f"{successes}/{ended}")
                done_ids = done.nonzero().squeeze(-1)
                restart = done_ids[: max(0, num_rollouts - started)]
                active[done_ids[len(restart) :]] = False
                started += len(restart)
                to_reset = restart[~failed[restart]]
                if len(to_reset):
                    obs, _ = env.reset(env_ids=to_reset)
                streak.reset(done_ids)
                policy.reset(done_ids)
                rollout_steps[done_ids] = 0
        except KeyboardInterrupt:
            interrupted = True
    return RolloutStats(successes, ended, steps, time.perf_counter() - start, interrupted)


def load_checkpoint_policy(checkpoint: str, task: str = "", options: dict | None = None):
    """The batched policy in ``checkpoint``, loaded by the registered policy family it belongs to
    (:func:`.families.family_for_checkpoint`) with ``options`` (its ``play_options``; others are refused)."""
    from isaaclab_mimic_tasks.errors import UserInputError

    from .families import family_for_checkpoint

    family = family_for_checkpoint(checkpoint)
    refused = [f"--{name}" for name in options or {} if name not in family.play_options]
    if refused:
        raise UserInputError(f"{', '.join(refused)}: not an option of {family.name} checkpoints; play it without")
    return family.load_policy(checkpoint, task, **(options or {}))


def evaluate_checkpoint(
    task: str,
    checkpoint: str,
    num_rollouts: int,
    num_envs: int | None = None,
    horizon: int | None = None,
    seed: int = 101,
    num_success_steps: int = 5,
    video_path: str | None = None,
    viz: str = "none",
    policy_options: dict | None = None,
) -> RolloutStats:
    """Load ``checkpoint`` and run :func:`run_policy_rollouts` on a fresh env of ``task`` (see ``mimic-tasks play``);
    ``viz="newton_gl"`` shows the rollouts in the viewer window (closing it stops them); ``policy_options`` go to
    the family's ``load_policy`` (e.g. ``temporal_ensemble_coeff``)."""
    from isaaclab_mimic_tasks.envs import open_env, task_family
    from isaaclab_mimic_tasks.errors import UserInputError
    from isaaclab_mimic_tasks.rendering.viewer import enable_viewer

    if num_rollouts < 1 or (num_envs is not None and num_envs < 1) or num_success_steps < 1:
        raise UserInputError("--num_rollouts, --num_envs and --num_success_steps must be at least 1")
    if horizon is not None and horizon < 1:
        raise UserInputError(f"--horizon must be at least 1, got {horizon}")
    policy = load_checkpoint_policy(checkpoint, task, policy_options)
    if policy.task and task_family(policy.task) != task_family(task):
        raise UserInputError(f"{checkpoint} was trained on '{policy.task}', not '{task}'; pass --task {policy.task}")
    num_envs = num_envs or min(num_rollouts, 4)
    env_cfg, success_term = rollout_env_cfg(task, num_envs, video=video_path is not None)
    launch_args = enable_viewer(env_cfg, viz)
    torch.manual_seed(seed)
    with open_env(task, num_envs=num_envs, seed=seed, env_cfg=env_cfg, launch_args=launch_args) as env:
        horizon = horizon or int(env.max_episode_length)
        video = None
        if video_path is not None:
            from isaaclab_mimic_tasks.rendering.video import VideoRecorder

            video = VideoRecorder(env, video_path)
        with video if video is not None else contextlib.nullcontext():
            stats = run_policy_rollouts(env, policy, num_rollouts, horizon, num_success_steps, success_term, video)
    if video is not None:
        stats.video = video.path
    return stats
