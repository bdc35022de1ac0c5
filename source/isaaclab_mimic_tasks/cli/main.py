"""Entry point of ``mimic-tasks``: dispatches to one module per subcommand.

Errors the user can fix (bad task ID, missing asset package, bad flags) end in a one-line message and
exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from isaaclab_mimic_tasks.cli import standard_flags

SUBCOMMANDS = {
    "assets": "build the robot and object assets from packaged sources",
    "expert": "run the scripted expert and print its success rate",
    "record": "record successful demos (scripted expert, keyboard, SpaceMouse) to an HDF5 dataset",
    "replay": "replay the actions of a dataset and report which demos still succeed",
    "annotate": "add Mimic's datagen_info (subtask ends: automatic, or marked by hand in the viewer) to recorded demos",
    "generate": "generate demos from annotated source demos with Isaac Lab Mimic (resumable)",
    "split": "add mask/train and mask/valid to a dataset",
    "merge": "write the demos of several datasets of one task into a new file",
    "filter": "write the demos of a dataset that meet a filter (success, length, source demo, mask) into a new file",
    "convert": "write a dataset with its end-effector actions converted to --actions absolute|relative",
    "view": "browse a dataset's demos frame by frame in the viewer window",
    "export": "write a dataset as a LeRobotDataset (--format lerobot)",
    "info": "print what a dataset holds",
    "validate": "check a dataset and say what is wrong with it",
    "train": "train a policy of a registered family on a dataset (--algo bc, bc_rnn, act, diffusion, ...)",
    "play": "roll out a trained policy and print its success rate",
    "pipeline": "run the whole chain (record, annotate, generate, split, train, play) and write a report",
}

DATASET_ONLY = ("info", "validate", "split", "merge", "filter")
"""Commands that only read and write HDF5 files: they never start Warp (:func:`main` starts it for the others)."""


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The CLI parser; only ``command``'s module is imported (a quick error or --help costs no torch import)."""
    parser = argparse.ArgumentParser(prog="mimic-tasks", description="Isaac Lab Mimic tasks, kit-less.")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, help_text in SUBCOMMANDS.items():
        subparser = sub.add_parser(name, help=help_text)
        if name == command:
            importlib.import_module(f"isaaclab_mimic_tasks.cli.{name}").add_arguments(subparser)
            standard_flags.add_arguments(subparser, name)
            subparser.add_argument(
                "--verbose", action="store_true", help="also show Isaac Lab's start-up tables and [INFO] lines"
            )
    return parser


def main(argv: list[str] | None = None) -> int:
    # keep compiled Warp kernels between runs (the first compile takes about 50 s)
    os.environ.setdefault(
        "WARP_CACHE_PATH", os.path.join(os.path.expanduser("~"), ".cache", "isaaclab_mimic_tasks", "warp")
    )
    argv = sys.argv[1:] if argv is None else argv
    args = build_parser(next((a for a in argv if a in SUBCOMMANDS), None)).parse_args(argv)
    from isaaclab_mimic_tasks.envs import VERBOSE_ENV_VAR
    from isaaclab_mimic_tasks.errors import UserInputError  # AssetSourceError is one too

    if getattr(args, "verbose", False):
        os.environ[VERBOSE_ENV_VAR] = "1"
    standard_flags.print_notes(args)
    if args.command not in DATASET_ONLY:
        from isaaclab_mimic_tasks.warp_init import init_warp_quietly

        init_warp_quietly()  # no "CUDA driver" warning on a CPU-only machine

    try:
        return importlib.import_module(f"isaaclab_mimic_tasks.cli.{args.command}").main(args)
    except UserInputError as error:
        print(f"mimic-tasks {args.command}: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"mimic-tasks {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
