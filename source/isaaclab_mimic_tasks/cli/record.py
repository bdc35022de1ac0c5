"""``mimic-tasks record``: record successful demos into Isaac Lab's HDF5 layout
(:func:`isaaclab_mimic_tasks.datagen.record_dataset`)."""

from __future__ import annotations

import argparse

TELEOP_DEVICES = ("scripted", "keyboard", "spacemouse", "handtracking")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--task", default="Isaac-Desktop-Organizer-Franka-IK-Rel-v0", help="gym task ID")
    parser.add_argument("--teleop_device", default="scripted", choices=TELEOP_DEVICES, help="where actions come from")
    parser.add_argument("--dataset_file", default="./datasets/dataset.hdf5", help="HDF5 file to write")
    parser.add_argument("--num_demos", type=int, default=10, help="successful demos to record")
    parser.add_argument(
        "--num_success_steps", type=int, default=None,
        help="steps the success must hold before a demo is kept (default: the task's, 10 for most)",
    )
    parser.add_argument("--num_envs", type=int, default=4, help="environments stepped together (scripted only)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the first reset")


def main(args: argparse.Namespace) -> int:
    from isaaclab_mimic_tasks.datagen import record_dataset
    from isaaclab_mimic_tasks.errors import UserInputError

    if args.teleop_device == "handtracking":
        raise UserInputError(
            "--teleop_device handtracking needs an XR headset and Isaac Sim; kit-less, record with --teleop_device scripted"
        )
    if args.teleop_device != "scripted":
        raise UserInputError(f"--teleop_device {args.teleop_device} is not available yet; use --teleop_device scripted")
    output = args.dataset_file if args.dataset_file.endswith(".hdf5") else args.dataset_file + ".hdf5"
    stats = record_dataset(args.task, output, args.num_demos, args.num_envs, args.seed, args.num_success_steps)
    print(
        f"recorded {stats.demos} demos in {stats.attempts} attempts to {output} "
        f"({stats.env_steps_per_second:.1f} env-steps/s)"
    )
    return 0
