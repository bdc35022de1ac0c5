"""``mimic-tasks annotate``: add Isaac Lab Mimic's ``datagen_info`` to recorded demos
(:func:`isaaclab_mimic_tasks.datagen.annotate_dataset`): with ``--auto`` from the task's subtask signals, without it
marked by hand in the viewer window (frame by frame, forward and back)."""

from __future__ import annotations

import argparse

from isaaclab_mimic_tasks.envs import default_task

from ._viz_args import add_viz_argument


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--task", default=default_task("mimic"), help="Mimic task ID")
    parser.add_argument("--input_file", default="./datasets/dataset.hdf5", help="recorded demos")
    parser.add_argument("--output_file", default="./datasets/annotated_dataset.hdf5", help="annotated demos")
    parser.add_argument(
        "--auto",
        action="store_true",
        help="subtask ends from the subtask_terms observations (without it: marked by hand in the viewer window)",
    )
    parser.add_argument("--num_envs", type=int, default=4, help="demos replayed at once")
    parser.add_argument(
        "--keymap", default=None, help="key map file (without --auto; default: config/teleop_keymap.toml)"
    )
    add_viz_argument(parser)
    # None: not given (manual annotation always opens the window; --auto replays without one)
    parser.set_defaults(viz=None)


def main(args: argparse.Namespace) -> int:
    from isaaclab_mimic_tasks.datagen import annotate_dataset
    from isaaclab_mimic_tasks.errors import UserInputError

    written, skipped = annotate_dataset(
        task=args.task,
        input_file=args.input_file,
        output_file=args.output_file,
        num_envs=args.num_envs,
        manual=not args.auto,
        keymap_path=args.keymap,
        viz=args.viz,
    )
    for name, why in skipped.items():
        print(f"skipped {name}: {why}")
    if not written:
        raise UserInputError(f"no demo of {args.input_file} could be annotated; nothing written")
    print(f"annotated {written} demos -> {args.output_file}")
    return 0
