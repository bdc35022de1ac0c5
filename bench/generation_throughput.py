"""Mimic generation speed and success rate on this machine, next to the peer figure in DESIGN.md.

Records scripted source demos and annotates them (once, cached in --work_dir), then generates
``--trials`` demos with ``--num_envs`` environments at once and prints demos/min, env-steps/s inside
generation and the success rate, with their ratios to MimicGen on robosuite measured on the same kind of
CPU (DESIGN.md: ~24 demos/min, ~46 env-steps/s, demos of ~108 steps).

    .venv/bin/python bench/generation_throughput.py --num_envs 10 --trials 100 [--task <Mimic ID>]
"""

from __future__ import annotations

import argparse
import os

os.environ.setdefault("WARP_CACHE_PATH", os.path.join(os.path.expanduser("~"), ".cache", "isaaclab_mimic_tasks", "warp"))

PEER_DEMOS_PER_MINUTE = 24.0
PEER_ENV_STEPS_PER_SECOND = 46.0
MIMIC_TASK = "Isaac-Desktop-Organizer-Franka-Mimic-IK-Rel-v0"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--task", default=MIMIC_TASK, help="Mimic task ID")
    parser.add_argument("--work_dir", default="/tmp/mimic_tasks_bench")
    parser.add_argument("--num_source_demos", type=int, default=10)
    parser.add_argument("--num_envs", type=int, default=10)
    parser.add_argument("--trials", type=int, default=50)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    from isaaclab_mimic_tasks.datagen import annotate_dataset, generate_dataset, record_dataset
    from isaaclab_mimic_tasks.envs import related_task, task_family

    task = args.task
    work_dir = os.path.join(args.work_dir, task_family(task))
    os.makedirs(work_dir, exist_ok=True)
    source = os.path.join(work_dir, f"source_{args.num_source_demos}.hdf5")
    annotated = os.path.join(work_dir, f"annotated_{args.num_source_demos}.hdf5")
    output = os.path.join(work_dir, f"generated_{args.num_envs}envs_{args.trials}_seed{args.seed}.hdf5")
    if not os.path.exists(source):
        record_dataset(related_task(task, "base"), source, args.num_source_demos, num_envs=10)
    if not os.path.exists(annotated):
        annotate_dataset(task, source, annotated, num_envs=10)
    if os.path.exists(output):
        os.remove(output)
    stats = generate_dataset(task, annotated, output, args.num_envs, args.trials, seed=args.seed, split_ratio=None)

    print(f"\n{task}: Mimic generation, {args.num_envs} envs, {stats.demos} demos from {args.num_source_demos} source demos:")
    print(f"  success rate      {stats.demos}/{stats.attempts} = {100 * stats.success_rate:.0f}%")
    print(f"  failures          {stats.failures_by_subtask}")
    print(f"  demos/min         {stats.demos_per_minute:6.1f}   ratio to MimicGen/robosuite (24): "
          f"{stats.demos_per_minute / PEER_DEMOS_PER_MINUTE:.2f}")
    print(f"  env-steps/s       {stats.env_steps_per_second:6.1f}   ratio to MimicGen/robosuite (46): "
          f"{stats.env_steps_per_second / PEER_ENV_STEPS_PER_SECOND:.2f}")
    print(f"  steps per demo    {stats.env_steps / max(stats.attempts, 1):6.1f} (attempts included)")


if __name__ == "__main__":
    main()
