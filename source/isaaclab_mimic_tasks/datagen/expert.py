"""Evaluating a task's scripted expert: its success rate over seeded episodes (``mimic-tasks expert``)."""

from __future__ import annotations

import time
from dataclasses import dataclass

from tqdm import tqdm

from .record import SteppedRun


@dataclass
class EpisodeStats(SteppedRun):
    """Outcome of a batch of expert episodes."""

    episodes: int
    successes: int

    @property
    def success_rate(self) -> float:
        return self.successes / max(self.episodes, 1)


def run_expert_episodes(env, expert, num_episodes: int, max_steps: int | None = None) -> EpisodeStats:
    """Run ``expert`` on every environment of ``env`` until ``num_episodes`` episodes ended.

    An episode ends on any termination (success, object dropped, time out); it counts as a success if the
    success term fired. Environments reset automatically and start a new episode while more are needed; the
    first ``num_episodes`` episodes to end are counted.
    """
    from isaaclab_mimic_tasks.rendering.viewer import window_closed

    expert.reset()
    max_steps = max_steps or 10 * env.max_episode_length * (num_episodes // env.num_envs + 1)
    ended = successes = steps = 0
    start = time.perf_counter()
    with tqdm(total=num_episodes, desc="expert episodes", unit="ep") as bar:
        while ended < num_episodes and steps < max_steps and not window_closed(env):
            _, _, terminated, truncated, _ = env.step(expert.advance())
            steps += 1
            done = (terminated | truncated).nonzero().squeeze(-1)
            if len(done) == 0:
                continue
            success = env.termination_manager.get_term("success")[done]
            take = min(len(done), num_episodes - ended)
            successes += int(success[:take].sum())
            ended += take
            bar.update(take)
            bar.set_postfix(success=f"{successes}/{ended}")
            expert.reset(done)
    return EpisodeStats(ended, successes, steps=steps, seconds=time.perf_counter() - start, num_envs=env.num_envs)


def evaluate_expert(task: str, num_episodes: int, num_envs: int = 4, seed: int = 0, viz: str = "none") -> EpisodeStats:
    """The success rate of ``task``'s declared scripted expert over ``num_episodes`` seeded episodes.

    ``viz="newton_gl"`` shows them in the viewer window; closing it stops early (the episodes ended count).
    """
    from isaaclab_mimic_tasks.envs import load_env_cfg, open_env, scripted_expert_class
    from isaaclab_mimic_tasks.errors import UserInputError
    from isaaclab_mimic_tasks.rendering.viewer import enable_viewer

    if num_episodes < 1 or num_envs < 1:
        raise UserInputError("--num_episodes and --num_envs must be at least 1")
    expert_class = scripted_expert_class(task)
    env_cfg = load_env_cfg(task, num_envs)
    launch_args = enable_viewer(env_cfg, viz)
    with open_env(task, num_envs=num_envs, seed=seed, env_cfg=env_cfg, launch_args=launch_args) as env:
        return run_expert_episodes(env, expert_class(env), num_episodes)
