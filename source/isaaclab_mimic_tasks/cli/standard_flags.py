"""Flags of Isaac Lab's standard scripts that mean nothing here, accepted so a command from the Isaac Lab docs
runs unchanged; each prints one line saying what happens instead."""

from __future__ import annotations

import argparse
import sys

STEPPING_COMMANDS = ("expert", "record", "replay", "annotate", "generate", "play", "pipeline", "view")
"""Commands that open a simulation: they take ``--enable_pinocchio``, ``--headless`` and ``--device``."""


def add_arguments(parser: argparse.ArgumentParser, command: str) -> None:
    """Add the standard scripts' flags that ``command`` accepts but does not need."""
    group = parser.add_argument_group("flags of Isaac Lab's scripts, accepted and not needed here")
    if command in STEPPING_COMMANDS:
        group.add_argument("--enable_pinocchio", action="store_true", help="ignored: Pink IK always works here")
        group.add_argument(
            "--headless", action="store_true", help="the default: a window opens only with --viz newton_gl"
        )
        group.add_argument("--device", default=None, help="ignored: the tasks run on the CPU (Newton)")
    if command == "play":
        group.add_argument("--norm_factor_min", type=float, default=None, help="ignored: the checkpoint holds it")
        group.add_argument("--norm_factor_max", type=float, default=None, help="ignored: the checkpoint holds it")


def notes(args: argparse.Namespace) -> list[str]:
    """One line for each such flag given."""
    lines = []
    if getattr(args, "enable_pinocchio", False):
        lines.append("--enable_pinocchio is not needed: Pink IK (pinocchio) works here without Isaac Sim")
    if getattr(args, "headless", False):
        lines.append("--headless is the default here: a window opens only with --viz newton_gl")
    if getattr(args, "device", None) not in (None, "cpu"):
        lines.append(f"--device {args.device} ignored: the tasks run on the CPU (Newton physics)")
    if getattr(args, "norm_factor_min", None) is not None or getattr(args, "norm_factor_max", None) is not None:
        lines.append("--norm_factor_min/--norm_factor_max ignored: the checkpoint holds its own action normalization")
    return lines


def print_notes(args: argparse.Namespace) -> None:
    for line in notes(args):
        print(f"mimic-tasks {args.command}: note: {line}", file=sys.stderr)
