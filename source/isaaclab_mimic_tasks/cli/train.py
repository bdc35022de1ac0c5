"""``mimic-tasks train``: train a policy of any registered policy family on a dataset
(:func:`isaaclab_mimic_tasks.learning.families.policy_family`: the family of ``--algo`` trains it)."""

from __future__ import annotations

import argparse
import os

from isaaclab_mimic_tasks.envs import default_task

TRAIN_OPTIONS = {
    "epochs": None,
    "steps": None,
    "batch_size": None,
    "name": None,
    "seed": None,
    "config": None,
    "normalize_training_actions": True,
    "action_normalization": "global",
    "normalize_observations": True,
    "action_labels": None,
    "obs_keys": None,
}
"""The options handed to the family (their defaults: an option left at it is not given); a family refuses the
ones it does not list in its ``options``."""


def _taken_by(option: str) -> str:
    """The registered families that take ``option`` (for the help)."""
    from isaaclab_mimic_tasks.learning.families import policy_families

    return ", ".join(family.name for family in policy_families() if option in family.options) or "none"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from isaaclab_mimic_tasks.learning.families import policy_families

    families = policy_families()
    parser.add_argument("--task", default=default_task(), help="gym task ID")
    algos = "; ".join(f"{family.name}: {', '.join(family.algos)}" for family in families)
    parser.add_argument("--algo", default="bc_rnn", help=f"what to train ({algos})")
    parser.add_argument(
        "--dataset",
        "--dataset_file",
        dest="dataset",
        default=None,
        help=f"dataset to train on ({'; '.join(f'{family.name}: {family.dataset_kinds}' for family in families)})",
    )
    parser.add_argument(
        "--config",
        default=TRAIN_OPTIONS["config"],
        help="the family's config file to use instead of the task's (see --export_config)",
    )
    parser.add_argument(
        "--export_config",
        default=None,
        metavar="FILE",
        help="write the task's registered config for --algo to FILE (to edit) and exit",
    )
    parser.add_argument(
        "--name",
        default=TRAIN_OPTIONS["name"],
        help=f"experiment name ({_taken_by('name')}; default: the config's experiment.name)",
    )
    parser.add_argument(
        "--log_dir",
        default=None,
        help="runs go to ./logs/<log_dir>/<task>/... (default: the name of the --algo's policy family)",
    )
    for option, what in (("epochs", "number of epochs"), ("steps", "training steps"), ("batch_size", "batch size")):
        parser.add_argument(
            f"--{option}",
            type=int,
            default=TRAIN_OPTIONS[option],
            help=f"{what} ({_taken_by(option)}; default: the config's)",
        )
    parser.add_argument("--seed", type=int, default=TRAIN_OPTIONS["seed"], help="training seed (default: the config's)")
    parser.add_argument(
        "--normalize_training_actions",
        action=argparse.BooleanOptionalAction,
        default=TRAIN_OPTIONS["normalize_training_actions"],
        help=f"map actions to [-1, 1] from the training split; stored in the checkpoint"
        f" ({_taken_by('normalize_training_actions')}; default: on)",
    )
    parser.add_argument(
        "--action_normalization",
        choices=("global", "per_dimension"),
        default=TRAIN_OPTIONS["action_normalization"],
        help="global: one factor, what Isaac Lab's play.py undoes with --norm_factor_min/max (default);"
        f" per_dimension: each dimension's min and max ({_taken_by('action_normalization')})",
    )
    parser.add_argument(
        "--normalize_observations",
        action=argparse.BooleanOptionalAction,
        default=TRAIN_OPTIONS["normalize_observations"],
        help="standardize observations per dimension from the training split; stored in the checkpoint"
        f" ({_taken_by('normalize_observations')}; default: on)",
    )
    add_action_labels_argument(parser, "actions to train on")
    parser.add_argument(
        "--obs_keys",
        default=TRAIN_OPTIONS["obs_keys"],
        metavar="K1,K2,...",
        help=f"policy observations the policy reads ({_taken_by('obs_keys')}; default: those of the task's BC-RNN"
        " config)",
    )


def add_action_labels_argument(parser: argparse.ArgumentParser, what: str) -> None:
    """``--action_labels executed|intended`` (default None: the policy family's ``default_action_labels``)."""
    from isaaclab_mimic_tasks.datasets.action_labels import ACTION_LABELS

    parser.add_argument(
        "--action_labels",
        choices=tuple(ACTION_LABELS),
        default=None,
        help=f"{what}: executed (recorded 'actions', Mimic's noise included) or intended (the noise-free"
        " 'intended_actions' of generated demos) (default: the policy family's, executed)",
    )


def main(args: argparse.Namespace) -> int:
    from isaaclab_mimic_tasks.errors import UserInputError
    from isaaclab_mimic_tasks.learning.families import policy_family

    family = policy_family(args.algo)
    if args.export_config:
        print(
            f"wrote {family.export_config(args.task, args.algo, args.export_config)};"
            f" train with --config {args.export_config}"
        )
        return 0
    if not args.dataset:
        raise UserInputError(f"no dataset given; pass --dataset {family.dataset_kinds}")
    options = {name: getattr(args, name) for name, default in TRAIN_OPTIONS.items() if getattr(args, name) != default}
    family.check_options(options)
    output_dir = os.path.join("logs", args.log_dir or family.name, args.task)
    result = family.train(args.task, args.algo, args.dataset, output_dir, options)
    for line in family.train_summary(result):
        print(line)
    return 130 if result.interrupted else 0
