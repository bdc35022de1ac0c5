"""``mimic-tasks train``: train a robomimic 0.3 policy (BC, BC-RNN: :func:`isaaclab_mimic_tasks.learning.robomimic.train.train_policy`)
or a LeRobot policy (ACT, diffusion: :func:`isaaclab_mimic_tasks.learning.lerobot.train.train_policy`) on a dataset."""

from __future__ import annotations

import argparse
import os


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--task", default="Isaac-Desktop-Organizer-Franka-IK-Rel-v0", help="gym task ID")
    parser.add_argument("--algo", default="bc_rnn", help="robomimic: bc, bc_rnn; LeRobot: act, diffusion")
    parser.add_argument(
        "--dataset", "--dataset_file", dest="dataset", default=None,
        help="HDF5 dataset to train on (act, diffusion: also a LeRobot export folder)",
    )
    parser.add_argument(
        "--config", default=None, help="robomimic or LeRobot JSON config to use instead of the task's (see --export_config)"
    )
    parser.add_argument(
        "--export_config", default=None, metavar="FILE", help="write the task's registered config for --algo to FILE (to edit) and exit"
    )
    parser.add_argument("--name", default=None, help="experiment name (default: the config's experiment.name)")
    parser.add_argument(
        "--log_dir", default=None,
        help="runs go to ./logs/<log_dir>/<task>/<name>/<time>/ (default: robomimic, or lerobot for act and diffusion)",
    )
    parser.add_argument("--epochs", type=int, default=None, help="number of epochs (robomimic; default: the config's)")
    parser.add_argument("--steps", type=int, default=None, help="training steps (act, diffusion; default: the config's)")
    parser.add_argument("--batch_size", type=int, default=None, help="batch size (act, diffusion; default: the config's)")
    parser.add_argument("--seed", type=int, default=None, help="training seed (default: the config's)")
    parser.add_argument(
        "--normalize_training_actions",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="map actions to [-1, 1] from the training split; stored in the checkpoint (default: on)",
    )
    parser.add_argument(
        "--action_normalization",
        choices=("global", "per_dimension"),
        default="global",
        help="global: one factor, what Isaac Lab's play.py undoes with --norm_factor_min/max (default);"
        " per_dimension: each dimension's min and max",
    )
    parser.add_argument(
        "--normalize_observations",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="standardize observations per dimension from the training split; stored in the checkpoint (default: on)",
    )


def main(args: argparse.Namespace) -> int:
    from isaaclab_mimic_tasks.errors import UserInputError
    from isaaclab_mimic_tasks.learning.lerobot.train import ALGOS as LEROBOT_ALGOS
    from isaaclab_mimic_tasks.learning.robomimic.config import ALGOS as ROBOMIMIC_ALGOS

    if args.algo not in ROBOMIMIC_ALGOS + LEROBOT_ALGOS:
        raise UserInputError(f"unknown --algo '{args.algo}'; choose one of: {', '.join(ROBOMIMIC_ALGOS + LEROBOT_ALGOS)}")
    if args.algo in LEROBOT_ALGOS:
        return _train_lerobot(args)
    from isaaclab_mimic_tasks.learning.robomimic.config import export_config
    from isaaclab_mimic_tasks.learning.robomimic.train import train_policy

    if args.export_config:
        print(f"wrote {export_config(args.task, args.algo, args.export_config)}; train with --config {args.export_config}")
        return 0
    if not args.dataset:
        raise UserInputError("no dataset given; pass --dataset FILE.hdf5")
    if args.steps is not None or args.batch_size is not None:
        raise UserInputError("--steps and --batch_size are for act and diffusion; robomimic trains --epochs")
    result = train_policy(
        args.task, args.algo, args.dataset, os.path.join("logs", args.log_dir or "robomimic", args.task), num_epochs=args.epochs,
        seed=args.seed, config_path=args.config, name=args.name,
        action_normalization=args.action_normalization if args.normalize_training_actions else None,
        normalize_obs=args.normalize_observations,
    )
    valid = f", valid loss {result.valid_loss[-1]:.5f}" if result.valid_loss else ""
    print(
        f"trained {len(result.train_loss)} epochs in {result.seconds:.0f} s: train loss {result.train_loss[-1]:.5f}{valid};"
        f" checkpoint {result.checkpoint}; tensorboard --logdir {os.path.join(result.run_dir, 'logs')}"
    )
    if result.norm_factors is not None:
        low, high = result.norm_factors
        print(f"Isaac Lab's robomimic/play.py: --norm_factor_min {low:.6g} --norm_factor_max {high:.6g}")
    return 0


def _train_lerobot(args: argparse.Namespace) -> int:
    from isaaclab_mimic_tasks.errors import UserInputError
    from isaaclab_mimic_tasks.learning.lerobot.train import format_command, registered_config_path, train_policy
    from isaaclab_mimic_tasks.learning.robomimic.config import export_config

    if args.export_config:
        print(f"wrote {export_config(args.task, args.algo, args.export_config, registered_config_path)};"
              f" train with --config {args.export_config}")
        return 0
    if not args.dataset:
        raise UserInputError("no dataset given; pass --dataset FILE.hdf5 (or a LeRobot export folder)")
    ignored = [flag for flag, value in (("--epochs", args.epochs), ("--name", args.name)) if value is not None]
    ignored += [flag for flag, on in (("--no-normalize_training_actions", not args.normalize_training_actions),
                                     ("--no-normalize_observations", not args.normalize_observations)) if on]
    if ignored:
        raise UserInputError(f"{', '.join(ignored)}: for robomimic's bc and bc_rnn only; act and diffusion take --steps"
                             " (their normalization: the policy's normalization_mapping in --config)")
    result = train_policy(
        args.task, args.algo, args.dataset, os.path.join("logs", args.log_dir or "lerobot", args.task), steps=args.steps,
        seed=args.seed, batch_size=args.batch_size, config_path=args.config,
    )
    loss = f", loss {result.losses[-1][1]:.4f} at step {result.losses[-1][0]}" if result.losses else ""
    log = os.path.join(result.run_dir, "train.log")
    if result.interrupted:
        print(f"interrupted after {result.seconds:.0f} s{loss}; log {log}")
        if result.checkpoint:
            step = os.path.basename(os.path.dirname(os.path.realpath(result.checkpoint)))
            print(f"checkpoint {result.checkpoint} (step {int(step)}); resume with: lerobot-train"
                  f" --config_path={os.path.join(result.checkpoint, 'train_config.json')} --resume=true")
        return 130
    print(f"trained {args.algo} {result.steps} steps on {result.train_episodes} episodes in {result.seconds:.0f} s{loss};"
          f" log {log}")
    print(f"checkpoint {result.checkpoint}")
    print(f"the same with LeRobot's CLI: {format_command(result.command)}")
    return 0
