"""``mimic-tasks merge``: the demos of several datasets of one task in a new file, renumbered."""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("inputs", nargs="+", metavar="DATASET", help="the datasets to merge, in order")
    parser.add_argument("--output", "--output_file", dest="output", required=True, help="the new file to write")


def main(args: argparse.Namespace) -> int:
    from isaaclab_mimic_tasks.datasets.merge import merge_datasets

    count = merge_datasets(args.inputs, args.output)
    print(
        f"wrote {args.output}: {count} demos from {len(args.inputs)} files (split it again: masks are not carried over)"
    )
    return 0
