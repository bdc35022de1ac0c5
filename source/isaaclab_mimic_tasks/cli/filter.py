"""``mimic-tasks filter``: the demos of a dataset that meet every criterion given, in a new file."""

from __future__ import annotations

import argparse

from ._dataset_args import add_dataset_argument, dataset_path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_dataset_argument(parser)
    parser.add_argument("--output", "--output_file", dest="output", required=True, help="the new file to write")
    parser.add_argument(
        "--success",
        dest="success",
        action="store_const",
        const=True,
        default=None,
        help="only successful demos (their 'success' attribute)",
    )
    parser.add_argument("--failed", dest="success", action="store_const", const=False, help="only failed demos")
    parser.add_argument("--min_length", type=int, default=None, help="only demos of at least this many steps")
    parser.add_argument("--max_length", type=int, default=None, help="only demos of at most this many steps")
    parser.add_argument(
        "--source_demo",
        default=None,
        help="only generated demos that used this source demo (e.g. demo_3) for a subtask",
    )
    parser.add_argument("--mask", default=None, help="only the demos of this mask (e.g. train)")


def main(args: argparse.Namespace) -> int:
    from isaaclab_mimic_tasks.datasets.filter import DemoFilter, filter_dataset

    path = dataset_path(args)
    keep = DemoFilter(
        success=args.success,
        min_length=args.min_length,
        max_length=args.max_length,
        source_demo=args.source_demo,
        mask=args.mask,
    )
    selected = filter_dataset(path, args.output, keep)
    print(f"wrote {args.output}: {len(selected)} demos of {path}")
    return 0
