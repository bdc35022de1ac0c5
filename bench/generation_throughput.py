"""Mimic generation speed and success rate on this machine, next to the peer figure in DESIGN.md.

Records scripted source demos and annotates them (once, cached in --work_dir), then generates
``--trials`` demos with ``--num_envs`` environments at once and prints demos/min, env-steps/s inside
generation and the success rate, with their ratios to MimicGen on robosuite measured on the same kind of
CPU (DESIGN.md: ~24 demos/min, ~46 env-steps/s, demos of ~108 steps) and to raw MuJoCo C stepping the same
model (Newton's MJCF export of the 1-env scene). Then it generates ``--profile_demos`` more under cProfile and
prints where an env.step's time goes (physics, IK, gravity torques, observations, recorders, Mimic's Python).

    .venv/bin/python bench/generation_throughput.py --num_envs 10 --trials 100 [--task <Mimic ID>]
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import tempfile

os.environ.setdefault("WARP_CACHE_PATH", os.path.join(os.path.expanduser("~"), ".cache", "isaaclab_mimic_tasks", "warp"))

PEER_DEMOS_PER_MINUTE = 24.0
PEER_ENV_STEPS_PER_SECOND = 46.0
MIMIC_TASK = "Isaac-Desktop-Organizer-Franka-Mimic-IK-Rel-v0"


PROFILE_PARTS = {
    # label: (file suffix, function name) whose cumulative time is that part
    "physics step (Newton)": ("isaaclab_newton/physics/newton_manager.py", "step"),
    "IK (Jacobian, solve)": ("isaaclab/envs/mdp/actions/task_space_actions.py", "apply_actions"),
    "gravity torques (RNEA)": ("isaaclab_newton/assets/articulation/articulation_data.py", "gravity_compensation_forces"),
    "observations": ("isaaclab/managers/observation_manager.py", "compute"),
    "recorders": ("isaaclab/managers/recorder_manager.py", "record_post_step"),
    "Mimic's Python (waypoints, pose -> action)": ("isaaclab_mimic/datagen/data_generator.py", "generate"),
}
"""Parts of a generation step, by the function whose cumulative time is that part (IK, gravity torques and
Pink IK run inside the action terms; Mimic's coroutine is timed only while it runs, not while it waits)."""


LOOP_PARTS = (("isaaclab/envs/manager_based_rl_env.py", "step"), ("asyncio/base_events.py", "run_until_complete"))
"""The generation loop: the batched env.step, and the event loop running Mimic's coroutines between steps."""


def profile_shares(stats: pstats.Stats) -> dict[str, float]:
    """Share of the generation loop's time (:data:`LOOP_PARTS`) spent in each of :data:`PROFILE_PARTS`."""
    cumulative, total = {}, 0.0
    for (filename, _, name), (_, _, _, cum, _) in stats.stats.items():
        total += sum(cum for suffix, function in LOOP_PARTS if filename.endswith(suffix) and name == function)
        for label, (suffix, function) in PROFILE_PARTS.items():
            if filename.endswith(suffix) and name == function:
                cumulative[label] = cumulative.get(label, 0.0) + cum
    return {label: cumulative.get(label, 0.0) / max(total, 1e-9) for label in PROFILE_PARTS}


def raw_mujoco_rate(task: str, steps: int = 200) -> float:
    """Env-steps/s of raw MuJoCo C stepping the task's 1-env model (Newton's MJCF export), no actions."""
    from env_throughput import mujoco_rate

    from isaaclab_mimic_tasks.envs import load_env_cfg, open_env

    cfg = load_env_cfg(task, num_envs=1)
    with tempfile.TemporaryDirectory() as tmp:
        mjcf = os.path.join(tmp, "scene.xml")
        cfg.sim.physics.solver_cfg.save_to_mjcf = mjcf
        with open_env(task, num_envs=1, seed=0, env_cfg=cfg):
            pass
        return mujoco_rate(mjcf, cfg.decimation * cfg.sim.physics.num_substeps, steps)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--task", default=MIMIC_TASK, help="Mimic task ID")
    parser.add_argument("--work_dir", default="/tmp/mimic_tasks_bench")
    parser.add_argument("--num_source_demos", type=int, default=10)
    parser.add_argument("--num_envs", type=int, default=10)
    parser.add_argument("--trials", type=int, default=50)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--profile_demos", type=int, default=3, help="demos generated under cProfile (0: no profile)")
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
    raw = raw_mujoco_rate(related_task(task, "base"))
    print(f"  raw MuJoCo C      {raw:6.1f} env-steps/s of the same model (1 env, no actions); generation / raw C: "
          f"{stats.env_steps_per_second / raw:.3f}, MimicGen / raw C: {PEER_ENV_STEPS_PER_SECOND / raw:.3f}")
    if args.profile_demos:
        profiled = os.path.join(work_dir, "profiled.hdf5")
        if os.path.exists(profiled):
            os.remove(profiled)
        profiler = cProfile.Profile()
        profiler.runcall(generate_dataset, task, annotated, profiled, args.num_envs, args.profile_demos,
                         seed=args.seed + 1, split_ratio=None)
        print(f"  where a generation step's time goes ({args.num_envs} envs, cProfile, {args.profile_demos} demos):")
        for label, share in profile_shares(pstats.Stats(profiler)).items():
            print(f"    {label:44s} {100 * share:5.1f}%")


if __name__ == "__main__":
    main()
