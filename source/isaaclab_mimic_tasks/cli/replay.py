"""``mimic-tasks replay``: replay the actions of recorded demos and report which still succeed
(:func:`isaaclab_mimic_tasks.datagen.replay_dataset`)."""

from __future__ import annotations

import argparse

from ._viz_args import add_viz_argument


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dataset_file", required=True, help="HDF5 dataset to replay")
    parser.add_argument("--task", default=None, help="gym task ID (default: the one recorded in the dataset)")
    parser.add_argument("--select_episodes", type=int, nargs="+", default=None, help="demo indices to replay")
    parser.add_argument("--num_envs", type=int, default=4, help="demos replayed at once")
    add_viz_argument(parser)


def main(args: argparse.Namespace) -> int:
    from isaaclab_mimic_tasks.datagen import replay_dataset

    outcome = replay_dataset(
        dataset_path=args.dataset_file,
        task=args.task,
        select=args.select_episodes,
        num_envs=args.num_envs,
        viz=args.viz,
    )
    failed = [name for name, ok in outcome.items() if not ok]
    print(f"replayed {len(outcome)} demos: {len(outcome) - len(failed)} still succeed")
    if failed:
        print(f"no longer successful: {', '.join(failed)}")
    return 0 if not failed else 1
