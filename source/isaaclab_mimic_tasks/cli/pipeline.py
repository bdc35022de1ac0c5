"""``mimic-tasks pipeline``: the whole recipe in one command, with a report
(:func:`isaaclab_mimic_tasks.pipeline.run_pipeline`)."""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from isaaclab_mimic_tasks.learning.families import registered_algos
    from isaaclab_mimic_tasks.pipeline import PipelineSettings

    from .train import add_action_labels_argument

    defaults = PipelineSettings()
    parser.add_argument("--task", default=defaults.task, help="Mimic task ID")
    parser.add_argument("--output_dir", default="./mimic_pipeline", help="folder for datasets, training and the report")
    parser.add_argument("--num_source_demos", type=int, default=defaults.num_source_demos, help="scripted source demos")
    parser.add_argument(
        "--generation_num_trials", type=int, default=defaults.generation_num_trials, help="demos to generate"
    )
    parser.add_argument("--num_envs", type=int, default=defaults.num_envs, help="environments stepped together")
    parser.add_argument(
        "--algo",
        default=defaults.algo,
        help=f"what to train (any registered policy family's: {', '.join(registered_algos())})",
    )
    parser.add_argument(
        "--epochs",
        type=int,
        default=defaults.num_epochs,
        help="training epochs, if the family takes them (default: the config's)",
    )
    parser.add_argument("--num_rollouts", type=int, default=defaults.num_rollouts, help="policy rollouts to evaluate")
    parser.add_argument("--horizon", type=int, default=None, help="steps of a policy rollout (default: episode length)")
    parser.add_argument("--seed", type=int, default=defaults.seed, help="seed of recording, generation and training")
    add_action_labels_argument(parser, "actions to train on")


def main(args: argparse.Namespace) -> int:
    from isaaclab_mimic_tasks.pipeline import PipelineSettings, run_pipeline

    settings = PipelineSettings(
        task=args.task,
        num_source_demos=args.num_source_demos,
        generation_num_trials=args.generation_num_trials,
        num_envs=args.num_envs,
        algo=args.algo,
        num_epochs=args.epochs,
        num_rollouts=args.num_rollouts,
        horizon=args.horizon,
        seed=args.seed,
        action_labels=args.action_labels,
    )
    report = run_pipeline(settings, args.output_dir)
    gen, policy = report.generation, report.policy
    print(
        f"pipeline done: {gen['demos']} generated demos ({100 * gen['success_rate']:.0f}% of attempts), "
        f"policy {policy['successes']}/{policy['rollouts']} successful rollouts; report: {report.files['report']}"
    )
    return 0
