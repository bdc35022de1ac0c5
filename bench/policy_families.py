"""Every registered policy family on the same demos, in one run: success, training time, ratio to BC-RNN.

For a task and a generated dataset it trains each ``--algos`` entry (default: every algorithm of every registered
policy family: robomimic bc and bc_rnn, LeRobot act and diffusion) with the task's packaged config, as
``mimic-tasks train`` does, then plays ``--num_rollouts`` seeded rollouts of each checkpoint on the task's Play ID
for each of ``--seeds``, and prints one row per algorithm: success per seed, the mean, training seconds, and both
as a ratio to BC-RNN's (the family this package's data was first tuned for). Rows are also written to
``<work_dir>/policy_families.json``.

    .venv/bin/python bench/policy_families.py --dataset mimic_pipeline/datasets/generated.hdf5
    .venv/bin/python bench/policy_families.py --task Isaac-PickPlace-GR1T2-Abs-v0 --dataset generated_gr1.hdf5 \\
        --algos bc_rnn act diffusion --seeds 101 202 --num_rollouts 50

``--epochs`` / ``--steps`` override the packaged configs (robomimic / LeRobot) for short runs, ``--action_labels``
the labels trained on (``mimic-tasks train --action_labels``); ``--checkpoints
ALGO=PATH ...`` plays checkpoints trained before instead of training them.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

os.environ.setdefault(
    "WARP_CACHE_PATH", os.path.join(os.path.expanduser("~"), ".cache", "isaaclab_mimic_tasks", "warp")
)

REFERENCE_ALGO = "bc_rnn"


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--task", default=None, help="task ID the dataset was generated for (default: the file's)")
    parser.add_argument("--dataset", required=True, help="generated HDF5 file (split into train/valid if it is not)")
    parser.add_argument("--algos", nargs="+", default=None, help="default: every registered family's algorithms")
    parser.add_argument("--work_dir", default="/tmp/mimic_tasks_bench/policy_families")
    parser.add_argument("--epochs", type=int, default=None, help="robomimic epochs (default: the config's)")
    parser.add_argument("--steps", type=int, default=None, help="LeRobot training steps (default: the config's)")
    parser.add_argument("--action_labels", default=None, help="executed or intended (default: each family's)")
    parser.add_argument("--checkpoints", nargs="*", default=[], metavar="ALGO=PATH", help="play these, do not train")
    parser.add_argument("--num_rollouts", type=int, default=50)
    parser.add_argument("--num_envs", type=int, default=25)
    parser.add_argument("--horizon", type=int, default=None, help="default: the task's episode length")
    parser.add_argument("--seeds", type=int, nargs="+", default=[101, 202])
    return parser.parse_args(argv)


def train_options(family, args: argparse.Namespace) -> dict:
    """The ``mimic-tasks train`` options of this run that ``family`` takes."""
    given = {"epochs": args.epochs, "steps": args.steps, "action_labels": args.action_labels}
    return {name: value for name, value in given.items() if value is not None and name in family.options}


def format_rows(rows: list[dict], seeds: list[int]) -> list[str]:
    """The table: one line per algorithm, ratios to :data:`REFERENCE_ALGO`'s row where it ran."""
    reference = next((row for row in rows if row["algo"] == REFERENCE_ALGO), None)
    header = f"{'family':<10} {'algo':<10} " + " ".join(f"{f'seed {s}':>10}" for s in seeds)
    header += f" {'mean':>6} {'train s':>8} {'success/bc_rnn':>15} {'time/bc_rnn':>12}"
    lines = [header]
    for row in rows:
        cells = " ".join(f"{n}/{total}".rjust(10) for n, total in zip(row["successes"], row["rollouts"]))
        ratio = time_ratio = "-"
        if reference is not None:
            if reference["mean"] > 0:
                ratio = f"{row['mean'] / reference['mean']:.2f}"
            if reference["train_seconds"]:
                time_ratio = f"{row['train_seconds'] / reference['train_seconds']:.1f}"
        lines.append(
            f"{row['family']:<10} {row['algo']:<10} {cells} {100 * row['mean']:>5.0f}% {row['train_seconds']:>8.0f}"
            f" {ratio:>15} {time_ratio:>12}"
        )
    return lines


def main(argv=None) -> int:
    args = parse_args(argv)

    import h5py

    from isaaclab_mimic_tasks.datasets import dataset_task
    from isaaclab_mimic_tasks.datasets.split import split_train_valid
    from isaaclab_mimic_tasks.envs import related_task
    from isaaclab_mimic_tasks.learning.families import policy_family, registered_algos
    from isaaclab_mimic_tasks.learning.rollouts import evaluate_checkpoint

    with h5py.File(args.dataset, "r") as f:
        has_masks, file_task = "mask/train" in f, dataset_task(f)
    task = related_task(args.task or file_task, "base")
    play_task = related_task(task, "play")
    if not has_masks:
        split_train_valid(args.dataset, ratio=0.1)
    checkpoints = dict(item.split("=", 1) for item in args.checkpoints)
    rows = []
    for algo in args.algos or registered_algos():
        family = policy_family(algo)
        train_seconds = 0.0
        checkpoint = checkpoints.get(algo)
        if checkpoint is None:
            run_dir = os.path.join(args.work_dir, algo)
            result = family.train(task, algo, args.dataset, run_dir, train_options(family, args))
            checkpoint, train_seconds = result.checkpoint, result.seconds
        successes, rollouts = [], []
        for seed in args.seeds:
            stats = evaluate_checkpoint(play_task, checkpoint, args.num_rollouts, args.num_envs, args.horizon, seed)
            successes.append(stats.successes)
            rollouts.append(stats.rollouts)
        mean = sum(successes) / max(sum(rollouts), 1)
        rows.append(
            {
                "family": family.name,
                "algo": algo,
                "checkpoint": checkpoint,
                "successes": successes,
                "rollouts": rollouts,
                "mean": mean,
                "train_seconds": train_seconds,
            }
        )
        print(f"{algo}: {sum(successes)}/{sum(rollouts)} rollouts, trained in {train_seconds:.0f} s", file=sys.stderr)
    print(f"\npolicy families on {play_task}, trained on {args.dataset}, seeds {args.seeds}:")
    for line in format_rows(rows, args.seeds):
        print(line)
    os.makedirs(args.work_dir, exist_ok=True)
    with open(os.path.join(args.work_dir, "policy_families.json"), "w") as f:
        json.dump({"task": task, "dataset": args.dataset, "seeds": args.seeds, "rows": rows}, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
