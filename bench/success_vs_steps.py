"""Success of every checkpoint a LeRobot training run saved, against its training steps and minutes.

A LeRobot run (``mimic-tasks train --algo act|diffusion``, or ``bench/policy_families.py``) saves a checkpoint every
``save_freq`` steps (the packaged configs: 1000). This plays each of them on the task's Play ID, ``--num_rollouts``
seeded rollouts per seed, and prints one row per checkpoint: step, minutes of training before it was saved (from
LeRobot's log), success per seed and the mean: the success-vs-training-time curve of one run, no retraining.

    .venv/bin/python bench/success_vs_steps.py --run_dir /tmp/mimic_tasks_bench/policy_families/act/act/<time>

Rows are also written to ``<run_dir>/success_vs_steps.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

os.environ.setdefault(
    "WARP_CACHE_PATH", os.path.join(os.path.expanduser("~"), ".cache", "isaaclab_mimic_tasks", "warp")
)


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--run_dir", required=True, help="a LeRobot run: <output>/<algo>/<time> (train.log, train/)")
    parser.add_argument("--task", default=None, help="task to play on (default: the Play ID of the run's data)")
    parser.add_argument("--steps", type=int, nargs="*", default=None, help="play only these saved steps")
    parser.add_argument("--num_rollouts", type=int, default=50)
    parser.add_argument("--num_envs", type=int, default=25)
    parser.add_argument("--horizon", type=int, default=None, help="default: the task's episode length")
    parser.add_argument("--seeds", type=int, nargs="+", default=[101])
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)

    from isaaclab_mimic_tasks.envs import related_task
    from isaaclab_mimic_tasks.learning.lerobot.export import read_provenance
    from isaaclab_mimic_tasks.learning.lerobot.train import checkpoint_times
    from isaaclab_mimic_tasks.learning.rollouts import evaluate_checkpoint

    saved = checkpoint_times(os.path.join(args.run_dir, "train.log"))
    if args.steps:
        saved = [(step, seconds) for step, seconds in saved if step in args.steps]
    if not saved:
        print(f"no checkpoint in the log of {args.run_dir} (train.log); pass a LeRobot run folder", file=sys.stderr)
        return 2
    export = os.path.join(args.run_dir, "dataset")
    if args.task is None and not os.path.isdir(export):
        print(f"{args.run_dir} holds no export (dataset/) naming its task; pass --task", file=sys.stderr)
        return 2
    task = args.task or related_task(related_task(read_provenance(export)["task"], "base"), "play")
    rows = []
    for step, seconds in saved:
        checkpoint = os.path.join(args.run_dir, "train", "checkpoints", f"{step:06d}", "pretrained_model")
        successes = [
            evaluate_checkpoint(task, checkpoint, args.num_rollouts, args.num_envs, args.horizon, seed).successes
            for seed in args.seeds
        ]
        rows.append({"step": step, "seconds": seconds, "successes": successes, "rollouts": args.num_rollouts})
        print(f"step {step}: {sum(successes)}/{args.num_rollouts * len(args.seeds)}", file=sys.stderr)
    print(f"\nsuccess vs training of {args.run_dir} on {task}, seeds {args.seeds}:")
    print(f"{'step':>7} {'minutes':>8} " + " ".join(f"{'seed ' + str(s):>10}" for s in args.seeds) + f" {'mean':>6}")
    for row in rows:
        mean = sum(row["successes"]) / (row["rollouts"] * len(args.seeds))
        cells = " ".join(f"{n}/{row['rollouts']}".rjust(10) for n in row["successes"])
        print(f"{row['step']:>7} {row['seconds'] / 60:>8.1f} {cells} {100 * mean:>5.0f}%")
    with open(os.path.join(args.run_dir, "success_vs_steps.json"), "w") as f:
        json.dump({"task": task, "seeds": args.seeds, "rows": rows}, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
