"""``mimic-tasks info``: print what a dataset holds (demos, lengths, actions, observations, annotation, masks), or with
``--demo N`` one annotated demo's subtask end frames per end effector."""

from __future__ import annotations

import argparse
import json

from ._dataset_args import add_dataset_argument, dataset_path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_dataset_argument(parser)
    parser.add_argument(
        "--demo",
        default=None,
        help="demo_N or N: that annotated demo's subtask end frames per end effector, its length and success",
    )
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")


def main(args: argparse.Namespace) -> int:
    from isaaclab_mimic_tasks.datasets import dataset_summary, format_summary
    from isaaclab_mimic_tasks.datasets.info import demo_subtask_ends, format_demo_subtask_ends

    if args.demo is not None:
        summary, text = demo_subtask_ends(dataset_path(args), args.demo), format_demo_subtask_ends
    else:
        summary, text = dataset_summary(dataset_path(args)), format_summary
    print(json.dumps(summary, indent=2) if args.json else text(summary))
    return 0
