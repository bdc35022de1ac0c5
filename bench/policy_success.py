"""Success rate of a robomimic policy (default BC-RNN) trained on generated demos, against an issue's target.

Trains the task's packaged BC-RNN config (``mimic-tasks train`` defaults: actions and observations normalized
from the train split) on a generated dataset, then plays ``--num_rollouts`` seeded rollouts on the Play task
for each ``--seeds`` and prints the success rates. The dataset is the one ``bench/generation_throughput.py``
writes (split 10% for validation here if it has no masks yet):

    .venv/bin/python bench/generation_throughput.py --num_envs 20 --trials 120
    .venv/bin/python bench/policy_success.py [--task ID --algo bc] \
        --dataset /tmp/mimic_tasks_bench/Isaac-Desktop-Organizer-Franka-IK-Rel-v0/generated_20envs_120_seed0.hdf5
"""

from __future__ import annotations

import argparse
import os

os.environ.setdefault(
    "WARP_CACHE_PATH", os.path.join(os.path.expanduser("~"), ".cache", "isaaclab_mimic_tasks", "warp")
)

TARGETS = {"Isaac-Desktop-Organizer-Franka-IK-Rel-v0": 0.7, "Isaac-PickPlace-GR1T2-Abs-v0": 0.8}
"""Policy success each task's issue asks for."""
TASK = "Isaac-Desktop-Organizer-Franka-IK-Rel-v0"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--task", default=TASK, help="task ID the dataset was generated for (any of its family)")
    parser.add_argument("--algo", default="bc_rnn", help="robomimic algorithm (bc, bc_rnn)")
    parser.add_argument(
        "--dataset",
        default="/tmp/mimic_tasks_bench/Isaac-Desktop-Organizer-Franka-IK-Rel-v0/generated_20envs_120_seed0.hdf5",
    )
    parser.add_argument("--work_dir", default="/tmp/mimic_tasks_bench")
    parser.add_argument("--epochs", type=int, default=None, help="default: the packaged config's")
    parser.add_argument("--train_seed", type=int, default=None, help="default: the packaged config's")
    parser.add_argument("--checkpoint", default=None, help="play this checkpoint instead of training one")
    parser.add_argument("--action_normalization", default="global", choices=("global", "per_dimension"))
    parser.add_argument("--num_rollouts", type=int, default=50)
    parser.add_argument("--num_envs", type=int, default=50)
    parser.add_argument("--seeds", type=int, nargs="+", default=[101, 202])
    args = parser.parse_args()

    import h5py

    from isaaclab_mimic_tasks.datasets.split import split_train_valid
    from isaaclab_mimic_tasks.envs import related_task
    from isaaclab_mimic_tasks.learning.robomimic.train import train_policy
    from isaaclab_mimic_tasks.learning.rollouts import evaluate_checkpoint

    task, play_task = related_task(args.task, "base"), related_task(args.task, "play")

    checkpoint = args.checkpoint
    if checkpoint is None:
        with h5py.File(args.dataset, "r") as f:
            has_masks = "mask/train" in f
        if not has_masks:
            split_train_valid(args.dataset, ratio=0.1)
        result = train_policy(
            task,
            args.algo,
            args.dataset,
            os.path.join(args.work_dir, "policy_runs"),
            num_epochs=args.epochs,
            seed=args.train_seed,
            action_normalization=args.action_normalization,
        )
        checkpoint = result.checkpoint
        with h5py.File(args.dataset, "r") as f:
            num_train = len(f["mask/train"])
        print(
            f"trained on {num_train} demos, {len(result.losses)} epochs in {result.seconds:.0f} s:"
            f" train loss {result.losses[-1][1]:.4f},"
            f" valid loss {result.valid_losses[-1][1] if result.valid_losses else float('nan'):.4f}"
        )

    rates = []
    for seed in args.seeds:
        stats = evaluate_checkpoint(play_task, checkpoint, args.num_rollouts, args.num_envs, seed=seed)
        rates.append(stats.success_rate)
        print(
            f"seed {seed}: {stats.successes}/{stats.rollouts} successful rollouts ({100 * stats.success_rate:.0f}%),"
            f" {stats.steps / max(stats.seconds, 1e-9):.1f} steps/s"
        )
    mean = sum(rates) / len(rates)
    print(
        f"\n{args.algo} policy success on {play_task} ({checkpoint}, {args.action_normalization} action normalization):"
    )
    target = TARGETS.get(task, 0.7)
    print(
        f"  mean over seeds {args.seeds}: {100 * mean:.0f}%"
        f"   ratio to the {100 * target:.0f}% target: {mean / target:.2f}"
    )


if __name__ == "__main__":
    main()
