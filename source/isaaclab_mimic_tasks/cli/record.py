"""``mimic-tasks record``: record successful demos into Isaac Lab's HDF5 layout, from the scripted expert
(:func:`isaaclab_mimic_tasks.datagen.record_dataset`) or a person with a teleop device
(:func:`isaaclab_mimic_tasks.datagen.record_teleop_dataset`)."""

from __future__ import annotations

import argparse

from isaaclab_mimic_tasks.envs import default_task

from ._viz_args import add_viz_argument

TELEOP_DEVICES = ("scripted", "keyboard", "terminal_keyboard", "spacemouse")
"""The usual ones; any other entry of the task's ``teleop_devices`` works too (e.g. a device added by a user)."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--task", default=default_task(), help="gym task ID")
    parser.add_argument(
        "--teleop_device",
        default="scripted",
        metavar="|".join(TELEOP_DEVICES),
        help="where actions come from: the scripted expert, the keyboard in the viewer window (with --viz "
        "newton_gl), the keyboard in this terminal, a SpaceMouse, or any other device the task's teleop_devices lists",
    )
    parser.add_argument("--dataset_file", default="./datasets/dataset.hdf5", help="HDF5 file to write")
    parser.add_argument("--num_demos", type=int, default=10, help="successful demos to record")
    parser.add_argument(
        "--num_success_steps",
        type=int,
        default=None,
        help="steps the success must hold before a demo is kept (default: the task's, 10 for most)",
    )
    parser.add_argument("--num_envs", type=int, default=4, help="environments stepped together (scripted only)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the first reset")
    add_viz_argument(parser)
    parser.add_argument("--keymap", default=None, help="key map file (default: config/teleop_keymap.toml)")
    parser.add_argument(
        "--max_steps", type=int, default=None, help="end a teleop session after this many steps (demos kept are saved)"
    )


def main(args: argparse.Namespace) -> int:
    from isaaclab_mimic_tasks.errors import UserInputError

    if args.teleop_device == "handtracking":
        raise UserInputError(
            "--teleop_device handtracking needs an XR headset and Isaac Sim; kit-less, record with --teleop_device "
            "keyboard (in the viewer window), terminal_keyboard, spacemouse or scripted"
        )
    output = args.dataset_file if args.dataset_file.endswith(".hdf5") else args.dataset_file + ".hdf5"
    if args.teleop_device == "scripted":
        from isaaclab_mimic_tasks.datagen import record_dataset

        stats = record_dataset(
            task=args.task,
            output=output,
            num_demos=args.num_demos,
            num_envs=args.num_envs,
            seed=args.seed,
            num_success_steps=args.num_success_steps,
            viz=args.viz,
        )
    else:
        from isaaclab_mimic_tasks.datagen import record_teleop_dataset

        stats = record_teleop_dataset(
            task=args.task,
            output=output,
            num_demos=args.num_demos,
            device=args.teleop_device,
            viz=args.viz,
            seed=args.seed,
            num_success_steps=args.num_success_steps,
            keymap_path=args.keymap,
            max_steps=args.max_steps,
        )
    saved = f"to {output}" if stats.demos else "(nothing saved)"
    rate = f"{stats.env_steps_per_second:.1f} env-steps/s"
    if stats.step_period:  # a person drove: how close to real time the session ran
        rate += f", {stats.env_steps_per_second * stats.step_period:.2f}x real time"
        if stats.frames:
            rate += f", window {stats.frames / max(stats.seconds, 1e-9):.1f} frames/s"
    print(f"recorded {stats.demos} demos in {stats.attempts} attempts {saved} ({rate})")
    return 0
