"""``--viz``, Isaac Lab's flag for the live view, shared by the commands that step a task."""

from __future__ import annotations

import argparse

VIZ_CHOICES = ("none", "newton_gl", "newton", "kit", "newton_rtx", "rerun", "viser")
"""Isaac Lab's values; kit-less only ``newton_gl`` (alias ``newton``) opens a window, the others say why not
(:func:`isaaclab_mimic_tasks.rendering.viewer.resolve_viz`)."""


def add_viz_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--viz",
        "--visualizer",
        dest="viz",
        default="none",
        choices=VIZ_CHOICES,
        help="newton_gl: show the scene in the Newton viewer window (needs a display; ESC closes it)",
    )
