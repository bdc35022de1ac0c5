"""``mimic-tasks expert``: run the scripted expert for seeded episodes and print its success rate."""

from __future__ import annotations

import argparse
from dataclasses import dataclass

import torch
from tqdm import tqdm


@dataclass
class EpisodeStats:
    """Outcome of a batch of expert episodes."""

    episodes: int
    successes: int
    steps: int
    """env.step calls made."""
    seconds: float

    @property
    def success_rate(self) -> float:
        return self.successes / max(self.episodes, 1)


def run_expert_episodes(env, num_episodes: int, max_steps: int | None = None, expert_cfg=None) -> EpisodeStats:
    """Run the scripted expert on every environment of ``env`` until ``num_episodes`` episodes ended.

    An episode ends on any termination (success, ketchup off the table, time out); it counts as a
    success if the success term fired. Environments reset automatically and start a new episode while
    more are needed; the first ``num_episodes`` episodes to end are counted.
    """
    import time

    from isaaclab_mimic_tasks.devices import PickPlaceExpert

    expert = PickPlaceExpert(env, expert_cfg)
    expert.reset()
    max_steps = max_steps or 10 * env.max_episode_length * (num_episodes // env.num_envs + 1)
    ended = successes = steps = 0
    start = time.perf_counter()
    with tqdm(total=num_episodes, desc="expert episodes", unit="ep") as bar:
        while ended < num_episodes and steps < max_steps:
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
    return EpisodeStats(ended, successes, steps, time.perf_counter() - start)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--task", default="Isaac-Desktop-Organizer-Franka-IK-Rel-v0", help="gym task ID")
    parser.add_argument("--num_episodes", type=int, default=4, help="episodes to run")
    parser.add_argument("--num_envs", type=int, default=4, help="environments stepped together")
    parser.add_argument("--seed", type=int, default=0, help="seed of the first reset")


def main(args: argparse.Namespace) -> int:
    from isaaclab_mimic_tasks.envs import UserInputError, open_env

    if args.num_episodes < 1 or args.num_envs < 1:
        raise UserInputError("--num_episodes and --num_envs must be at least 1")
    with open_env(args.task, num_envs=args.num_envs, seed=args.seed) as env:
        stats = run_expert_episodes(env, args.num_episodes)
    print(
        f"scripted expert on {args.task}: {stats.successes}/{stats.episodes} successful episodes "
        f"({100 * stats.success_rate:.0f}%), {stats.steps * args.num_envs / stats.seconds:.1f} env-steps/s"
    )
    return 0
