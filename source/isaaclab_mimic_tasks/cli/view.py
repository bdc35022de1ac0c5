"""``mimic-tasks view``: browse a dataset's demos frame by frame in the viewer window, without changing it
(:func:`isaaclab_mimic_tasks.datagen.browse.view_dataset`)."""

from __future__ import annotations

import argparse

from ._dataset_args import add_dataset_argument, dataset_path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_dataset_argument(parser)
    parser.add_argument("--task", default=None, help="gym task ID (default: the one recorded in the dataset)")
    parser.add_argument("--keymap", default=None, help="key map file (default: config/teleop_keymap.toml)")


def main(args: argparse.Namespace) -> int:
    from isaaclab_mimic_tasks.datagen.browse import view_dataset

    count = view_dataset(dataset_path(args), task=args.task, keymap_path=args.keymap)
    print(f"viewed {dataset_path(args)} ({count} demos, unchanged)")
    return 0
