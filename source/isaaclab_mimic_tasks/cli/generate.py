"""``mimic-tasks generate``: Isaac Lab Mimic generation, several environments at once, resumable
(:func:`isaaclab_mimic_tasks.datagen.generate_dataset`)."""

from __future__ import annotations

import argparse

from isaaclab_mimic_tasks.envs import default_task


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--task", default=default_task("mimic"), help="Mimic task ID")
    parser.add_argument("--input_file", required=True, help="annotated source demos")
    parser.add_argument(
        "--output_file", default="./datasets/generated_dataset.hdf5", help="generated demos (resumed if it exists)"
    )
    parser.add_argument("--num_envs", type=int, default=4, help="environments generating at once")
    parser.add_argument(
        "--generation_num_trials", type=int, default=None, help="demos to generate (default: the task's datagen config)"
    )
    parser.add_argument(
        "--num_success_steps", type=int, default=5, help="steps the success must hold at the end of a demo"
    )
    parser.add_argument(
        "--settle_steps",
        type=int,
        default=10,
        help="steps the robot may hold still after Mimic's trajectory while the object comes to rest",
    )
    parser.add_argument(
        "--max_num_failures", type=int, default=None, help="stop after this many failed attempts in one run"
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of the generation (same seed, same demos)")
    parser.add_argument(
        "--split_ratio", type=float, default=0.1, help="share of demos in mask/valid (added at the end)"
    )
    parser.add_argument("--no_split", action="store_true", help="do not add mask/train and mask/valid")
    parser.add_argument(
        "--ray",
        nargs="?",
        const="",
        default=None,
        metavar="ADDRESS",
        help="shard the trials over Ray workers: a cluster's address (ray start --head prints it; "
        "'auto': the one on this machine), or none to start Ray on this machine for the run",
    )
    parser.add_argument("--workers", type=int, default=2, help="with --ray: shards, one Ray worker process each")


def main(args: argparse.Namespace) -> int:
    from isaaclab_mimic_tasks.datagen.generate import subtask_order_lines
    from isaaclab_mimic_tasks.envs import load_mimic_env_cfg

    split_ratio = None if args.no_split else args.split_ratio
    mimic_cfg = load_mimic_env_cfg(args.task)
    print("\n".join(subtask_order_lines(mimic_cfg.subtask_configs)), flush=True)
    if args.ray is not None:
        from isaaclab_mimic_tasks.datagen.distributed import generate_on_ray

        trials = args.generation_num_trials or mimic_cfg.datagen_config.generation_num_trials
        stats = generate_on_ray(
            task=args.task,
            input_file=args.input_file,
            output_file=args.output_file,
            num_envs=args.num_envs,
            generation_num_trials=trials,
            workers=args.workers,
            address=args.ray or None,
            seed=args.seed,
            split_ratio=split_ratio,
            num_success_steps=args.num_success_steps,
            max_num_failures=args.max_num_failures,
            settle_steps=args.settle_steps,
        )
    else:
        from isaaclab_mimic_tasks.datagen import generate_dataset

        stats = generate_dataset(
            task=args.task,
            input_file=args.input_file,
            output_file=args.output_file,
            num_envs=args.num_envs,
            generation_num_trials=args.generation_num_trials,
            seed=args.seed,
            num_success_steps=args.num_success_steps,
            max_num_failures=args.max_num_failures,
            split_ratio=split_ratio,
            settle_steps=args.settle_steps,
        )
    print(
        f"{stats.demos} demos in {args.output_file}: {stats.demos}/{stats.attempts} attempts succeeded "
        f"({100 * stats.success_rate:.0f}%), {stats.demos_per_minute:.1f} demos/min, "
        f"{stats.env_steps_per_second:.1f} env-steps/s"
    )
    if stats.failures_by_subtask:
        print("failures by subtask: " + ", ".join(f"{k} {v}" for k, v in stats.failures_by_subtask.items()))
    if len(stats.failures_by_eef) > 1:
        for eef, counts in stats.failures_by_eef.items():
            print(f"failures of {eef}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return 0
