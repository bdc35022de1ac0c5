"""``mimic-tasks convert``: a dataset's end-effector actions as relative or absolute ones, in a new file tagged with
the task of that action variant (:func:`isaaclab_mimic_tasks.datasets.convert.convert_dataset_actions`)."""

from __future__ import annotations

import argparse

from ._dataset_args import add_dataset_argument, dataset_path

ACTIONS = ("absolute", "relative")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--actions", required=True, choices=ACTIONS, help="the action variant to convert to")
    add_dataset_argument(parser)
    parser.add_argument("--out", "--output", dest="output", required=True, help="the new file to write")
    parser.add_argument(
        "--task",
        default=None,
        help="the task to tag the output with (default: the --actions variant of the dataset's task, same role)",
    )


def variant_tasks(recorded: str, task: str | None, actions: str) -> tuple[str, str]:
    """(the dataset's task, the output's task): the same role (base, play, mimic) in the two action-variant families
    that the task's registration declares (``action_variants``)."""
    import gymnasium as gym

    from isaaclab_mimic_tasks.envs import related_task, task_family
    from isaaclab_mimic_tasks.errors import UserInputError

    known = task or recorded
    if not known:
        raise UserInputError("the dataset does not name its task; pass --task (the task to convert its actions for)")
    related_task(known, "base")  # a clear error for an unknown task
    variants = gym.spec(known).kwargs.get("action_variants")
    if not variants or actions not in variants or len(variants) != 2:
        raise UserInputError(f"task '{known}' declares no relative and absolute action variants to convert between")
    source_family = next(family for name, family in variants.items() if name != actions)
    if recorded and task_family(recorded) != source_family:
        raise UserInputError(
            f"the dataset holds demos of '{recorded}', not of the {ACTIONS[ACTIONS.index(actions) - 1]} variant"
            f" '{source_family}': its actions are {actions} already, or pass the dataset of that task"
        )
    role = next(role for role, other in gym.spec(known).kwargs["related_task_ids"].items() if other == known)
    source_task = recorded or related_task(source_family, role)
    return source_task, task or related_task(variants[actions], role)


def main(args: argparse.Namespace) -> int:
    from isaaclab_mimic_tasks.datasets import dataset_task, open_dataset
    from isaaclab_mimic_tasks.datasets.convert import convert_dataset_actions, pose_action_cfg
    from isaaclab_mimic_tasks.envs import load_env_cfg
    from isaaclab_mimic_tasks.errors import UserInputError

    path = dataset_path(args)
    with open_dataset(path) as f:
        recorded = dataset_task(f)
    source_task, output_task = variant_tasks(recorded, args.task, args.actions)
    source, target = pose_action_cfg(load_env_cfg(source_task)), pose_action_cfg(load_env_cfg(output_task))
    if target.name != args.actions:
        raise UserInputError(f"'{output_task}' takes {target.name} actions, not {args.actions}; pass another --task")
    count = convert_dataset_actions(path, args.output, source, target, output_task)
    print(f"wrote {args.output}: {count} demos of {path} with {args.actions} actions, for {output_task}")
    return 0
