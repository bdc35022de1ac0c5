"""``mimic-tasks expert``: run the task's scripted expert for seeded episodes and print its success rate
(:func:`isaaclab_mimic_tasks.datagen.evaluate_expert`)."""

from __future__ import annotations

import argparse

from isaaclab_mimic_tasks.envs import default_task

from ._viz_args import add_viz_argument


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--task", default=default_task(), help="gym task ID")
    parser.add_argument("--num_episodes", type=int, default=4, help="episodes to run")
    parser.add_argument("--num_envs", type=int, default=4, help="environments stepped together")
    parser.add_argument("--seed", type=int, default=0, help="seed of the first reset")
    add_viz_argument(parser)


def main(args: argparse.Namespace) -> int:
    from isaaclab_mimic_tasks.datagen import evaluate_expert

    stats = evaluate_expert(args.task, args.num_episodes, args.num_envs, args.seed, args.viz)
    print(
        f"scripted expert on {args.task}: {stats.successes}/{stats.episodes} successful episodes "
        f"({100 * stats.success_rate:.0f}%), {stats.env_steps_per_second:.1f} env-steps/s"
    )
    return 0
