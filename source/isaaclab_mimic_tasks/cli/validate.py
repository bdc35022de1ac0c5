"""``mimic-tasks validate``: check a dataset and say what is wrong with it (exit code 1 if anything)."""

from __future__ import annotations

import argparse
import sys

from ._dataset_args import add_dataset_argument, dataset_path

MAX_PRINTED = 50
"""Problems listed at most (a broken recording can have one per demo)."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_dataset_argument(parser)
    parser.add_argument("--task", default=None, help="the task the dataset must have been recorded on")
    parser.add_argument("--require_datagen_info", action="store_true", help="every demo must be annotated (for Mimic)")
    parser.add_argument(
        "--require_masks", action="store_true", help="mask/train and mask/valid must exist (for training)"
    )
    parser.add_argument("--obs_keys", nargs="+", default=None, metavar="KEY", help="observations every demo must have")


def main(args: argparse.Namespace) -> int:
    from isaaclab_mimic_tasks.datasets import find_problems

    path = dataset_path(args)
    problems = find_problems(
        path,
        task=args.task,
        require_datagen_info=args.require_datagen_info,
        require_masks=args.require_masks,
        obs_keys=args.obs_keys,
    )
    if not problems:
        print(f"ok: {path}")
        return 0
    for problem in problems[:MAX_PRINTED]:
        print(problem)
    if len(problems) > MAX_PRINTED:
        print(f"... and {len(problems) - MAX_PRINTED} more")
    print(f"mimic-tasks validate: {len(problems)} problem(s) in {path}", file=sys.stderr)
    return 1
