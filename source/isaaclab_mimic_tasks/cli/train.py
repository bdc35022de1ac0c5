"""``mimic-tasks train``: placeholder until implemented."""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    pass


def main(args: argparse.Namespace) -> int:
    from isaaclab_mimic_tasks.envs import UserInputError

    raise UserInputError("'train' is not implemented yet")
