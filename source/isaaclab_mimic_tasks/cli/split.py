"""``mimic-tasks split``: placeholder until implemented."""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    pass


def main(args: argparse.Namespace) -> int:
    from isaaclab_mimic_tasks.envs import UserInputError

    raise UserInputError("'split' is not implemented yet")
