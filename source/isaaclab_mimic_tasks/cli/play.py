"""``mimic-tasks play``: roll out a trained policy of any registered policy family and print its success rate
(:func:`isaaclab_mimic_tasks.learning.rollouts.evaluate_checkpoint`).

Flags follow Isaac Lab's ``scripts/imitation_learning/robomimic/play.py``, plus ``--num_envs`` (rollouts side by
side) and ``--video``; the family whose checkpoint it is loads it, normalization included
(:func:`isaaclab_mimic_tasks.learning.families.family_for_checkpoint`).
"""

from __future__ import annotations

import argparse
import os

from isaaclab_mimic_tasks.envs import default_task

from ._viz_args import add_viz_argument


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--task", default=default_task("play"), help="gym task ID")
    parser.add_argument(
        "--checkpoint",
        required=True,
        help="a checkpoint written by `mimic-tasks train` (e.g. model_epoch_<N>.pth, a pretrained_model folder)",
    )
    parser.add_argument("--num_rollouts", type=int, default=1, help="rollouts to count")
    parser.add_argument(
        "--num_envs", type=int, default=None, help="rollouts run side by side (default: min(num_rollouts, 4))"
    )
    parser.add_argument(
        "--horizon", type=int, default=None, help="steps of a rollout (default: the task's episode length)"
    )
    parser.add_argument("--seed", type=int, default=101, help="seed of the env resets and of the policy's sampling")
    parser.add_argument("--num_success_steps", type=int, default=5, help="steps the success must hold")
    parser.add_argument(
        "--video", action="store_true", help="write a video of environment 0 (in the training run's videos/ folder)"
    )
    parser.add_argument(
        "--temporal_ensemble_coeff",
        type=float,
        default=None,
        help="ACT checkpoints: temporal ensembling with this coefficient (the ACT paper's: 0.01): a new chunk every"
        " step, the actions predicted for a step averaged (default: the checkpoint's own setting)",
    )
    add_viz_argument(parser)


def main(args: argparse.Namespace) -> int:
    from isaaclab_mimic_tasks.learning.rollouts import evaluate_checkpoint

    video_path = None
    if args.video:
        from isaaclab_mimic_tasks.learning.families import family_for_checkpoint

        run_dir, name = family_for_checkpoint(args.checkpoint).run_dir(args.checkpoint)
        video_path = os.path.join(run_dir, "videos", f"play_{name}_seed{args.seed}.mp4")
    stats = evaluate_checkpoint(
        args.task,
        args.checkpoint,
        args.num_rollouts,
        args.num_envs,
        args.horizon,
        args.seed,
        args.num_success_steps,
        video_path,
        args.viz,
        {"temporal_ensemble_coeff": args.temporal_ensemble_coeff} if args.temporal_ensemble_coeff is not None else None,
    )
    if stats.video:
        print(f"video of environment 0: {stats.video}")
    print(
        f"{'interrupted: ' if stats.interrupted else ''}policy {args.checkpoint} on {args.task}:"
        f" {stats.successes}/{stats.rollouts} successful rollouts ({100 * stats.success_rate:.0f}%),"
        f" {stats.steps / max(stats.seconds, 1e-9):.1f} steps/s"
    )
    return 130 if stats.interrupted else 0
