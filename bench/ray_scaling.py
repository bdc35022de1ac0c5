"""Generation throughput on Ray with 1 and 2 workers on this machine, and without Ray, in one run.

Uses the annotated source demos ``bench/generation_throughput.py`` caches in --work_dir (recorded and annotated
here if missing). Each setting generates --trials demos with --num_envs environments per worker; the wall time
counts from the start of the command to the merged file, worker start-up included (that is what a user waits
for). Prints demos/min and env-steps/s of each, and the ratio of 2 workers to 1.

    .venv/bin/python bench/ray_scaling.py [--trials 20 --num_envs 10]
"""

from __future__ import annotations

import argparse
import os
import shutil
import time

os.environ.setdefault(
    "WARP_CACHE_PATH", os.path.join(os.path.expanduser("~"), ".cache", "isaaclab_mimic_tasks", "warp")
)

MIMIC_TASK = "Isaac-Desktop-Organizer-Franka-Mimic-IK-Rel-v0"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--task", default=MIMIC_TASK, help="Mimic task ID")
    parser.add_argument("--work_dir", default="/tmp/mimic_tasks_bench")
    parser.add_argument("--num_source_demos", type=int, default=10)
    parser.add_argument("--num_envs", type=int, default=10, help="environments per worker")
    parser.add_argument("--trials", type=int, default=20)
    args = parser.parse_args()

    from isaaclab_mimic_tasks.datagen import annotate_dataset, generate_dataset, record_dataset
    from isaaclab_mimic_tasks.datagen.distributed import generate_on_ray, shard_dir
    from isaaclab_mimic_tasks.envs import related_task, task_family

    work_dir = os.path.join(args.work_dir, task_family(args.task))
    os.makedirs(work_dir, exist_ok=True)
    source = os.path.join(work_dir, f"source_{args.num_source_demos}.hdf5")
    annotated = os.path.join(work_dir, f"annotated_{args.num_source_demos}.hdf5")
    if not os.path.exists(source):
        record_dataset(related_task(args.task, "base"), source, args.num_source_demos, num_envs=10)
    if not os.path.exists(annotated):
        annotate_dataset(args.task, source, annotated, num_envs=10)

    rows = []
    for workers in (None, 1, 2):
        output = os.path.join(work_dir, f"ray_{workers or 0}workers.hdf5")
        for path in (output, shard_dir(output)):
            if os.path.isdir(path):
                shutil.rmtree(path)
            elif os.path.exists(path):
                os.remove(path)
        start = time.perf_counter()
        if workers is None:
            stats = generate_dataset(args.task, annotated, output, args.num_envs, args.trials, split_ratio=None)
        else:
            stats = generate_on_ray(args.task, annotated, output, args.num_envs, args.trials, workers, split_ratio=None)
        wall = time.perf_counter() - start
        rows.append((f"Ray, {workers} worker(s)" if workers else "no Ray (one process)", stats, wall))

    print(f"\n{args.task}: {args.trials} demos, {args.num_envs} envs per worker, {os.cpu_count()} CPUs")
    print(f"{'setting':24s} {'wall s':>8s} {'demos/min':>10s} {'env-steps/s':>12s} {'success':>8s}")
    for label, stats, wall in rows:
        print(
            f"{label:24s} {wall:8.1f} {60 * stats.demos / wall:10.1f} {stats.env_steps / wall:12.1f} "
            f"{100 * stats.success_rate:7.0f}%"
        )
    one, two = rows[1][2], rows[2][2]
    print(f"2 workers vs 1: {one / two:.2f}x demos/min")


if __name__ == "__main__":
    main()
