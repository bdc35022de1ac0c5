"""``mimic-tasks info``: print what a dataset holds (demos, lengths, actions, observations, annotation, masks)."""

from __future__ import annotations

import argparse
import json

from ._dataset_args import add_dataset_argument, dataset_path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_dataset_argument(parser)
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")


def main(args: argparse.Namespace) -> int:
    from isaaclab_mimic_tasks.datasets import dataset_summary, format_summary

    summary = dataset_summary(dataset_path(args))
    print(json.dumps(summary, indent=2) if args.json else format_summary(summary))
    return 0
