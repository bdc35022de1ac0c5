"""``mimic-tasks export``: write a dataset in another ecosystem's format (``--format lerobot``: a LeRobotDataset v3)."""

from __future__ import annotations

import argparse

from ._dataset_args import add_dataset_argument, dataset_path
from .train import add_action_labels_argument


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_dataset_argument(parser)
    parser.add_argument("--format", required=True, choices=("lerobot",), help="what to write")
    parser.add_argument("--out", required=True, help="the folder to create (it must not exist)")
    parser.add_argument("--repo_id", default=None, help="the dataset's name (default: isaaclab_mimic/<file name>)")
    parser.add_argument("--fps", type=int, default=None, help="frames per second (default: the task's control rate)")
    parser.add_argument(
        "--obs_keys",
        default=None,
        metavar="K1,K2,...",
        help="policy observations to export (default: those the task's BC-RNN config reads)",
    )
    add_action_labels_argument(parser, "actions to export as 'action'")


def main(args: argparse.Namespace) -> int:
    from isaaclab_mimic_tasks.learning.lerobot.export import STATS_FLOOR, export_lerobot, parse_observation_keys
    from isaaclab_mimic_tasks.learning.lerobot.gate import require_lerobot

    path = dataset_path(args)
    require_lerobot()

    obs_keys = parse_observation_keys(args.obs_keys)
    export = export_lerobot(
        path, args.out, repo_id=args.repo_id, fps=args.fps, obs_keys=obs_keys, action_labels=args.action_labels
    )
    print(
        f"wrote {export.root}: LeRobot dataset '{export.repo_id}', {export.episodes} episodes, {export.frames} frames"
        f" at {export.fps} fps, splits {export.splits}"
    )
    print(f"  observation.state: {', '.join(export.state_keys)}; action: the {export.action_labels} actions")
    if export.environment_keys:
        print(f"  observation.environment_state: {', '.join(export.environment_keys)}")
    if export.floored_dims:
        print(
            f"  statistics made safe to normalize by (near-constant states: not scaled; others: std and range at least"
            f" {STATS_FLOOR:g}): {', '.join(export.floored_dims)}"
        )
    return 0
