"""Mimic generation speed and success rate on this machine, next to the peer figure in DESIGN.md.

Records scripted source demos and annotates them (once, cached in --work_dir), then generates
``--trials`` demos with ``--num_envs`` environments at once and prints demos/min, env-steps/s inside
generation and the success rate, with their ratios to MimicGen on robosuite measured on the same kind of
CPU (DESIGN.md: ~24 demos/min, ~46 env-steps/s, demos of ~108 steps) and to raw MuJoCo C stepping the same
model (Newton's MJCF export of the 1-env scene). With ``--before`` it first generates the same count from the same
source demos with the settings from before issue 12 (eager physics step, IK and gravity torques at every physics
step, success without the rest rule, no settling tail) and prints the after/before ratios. Then it generates
``--profile_demos`` more under cProfile and prints where an env.step's time goes (physics, IK, gravity torques,
observations, recorders, Mimic's Python).

    .venv/bin/python bench/generation_throughput.py --num_envs 10 --trials 100 [--before] [--task <Mimic ID>]
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import os
import pstats
import tempfile

os.environ.setdefault(
    "WARP_CACHE_PATH", os.path.join(os.path.expanduser("~"), ".cache", "isaaclab_mimic_tasks", "warp")
)

PEER_DEMOS_PER_MINUTE = 24.0
PEER_ENV_STEPS_PER_SECOND = 46.0
# raw MuJoCo C on this model when the peer was measured (issue 12): this machine's speed varies from day to day
# (1200-3100 raw C steps/s measured), so the bench also compares against the peer scaled by today's raw C rate
PEER_DAY_RAW_MUJOCO_RATE = 1900.0
MIMIC_TASK = "Isaac-Desktop-Organizer-Franka-Mimic-IK-Rel-v0"


PROFILE_PARTS = {
    # label: (file suffix, function name) whose cumulative time is that part
    "physics step (Newton)": ("isaaclab_newton/physics/newton_manager.py", "step"),
    "IK (Jacobian, solve)": ("isaaclab/envs/mdp/actions/task_space_actions.py", "apply_actions"),
    "gravity torques (RNEA)": (
        "isaaclab_newton/assets/articulation/articulation_data.py",
        "gravity_compensation_forces",
    ),
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


@contextlib.contextmanager
def settings_before_issue_12():
    """Generation as it was before issue 12: eager physics step, actions (IK, gravity torques) at every physics step,
    success without the rest rule (callers pass ``settle_steps=0``)."""
    import isaaclab_mimic.datagen.generation as generation

    setup_env_config = generation.setup_env_config

    def setup_before(*args, **kwargs):
        env_cfg, success_term = setup_env_config(*args, **kwargs)
        env_cfg.sim.physics.use_cuda_graph = False
        if hasattr(env_cfg.sim.physics.solver_cfg, "fold_decimation"):
            env_cfg.sim.physics.solver_cfg.fold_decimation = False
        if "max_speed" in success_term.params:
            success_term.params["max_speed"] = float("inf")
        return env_cfg, success_term

    generation.setup_env_config = setup_before
    try:
        yield
    finally:
        generation.setup_env_config = setup_env_config


def print_generation(label: str, stats, num_envs: int, num_source_demos: int) -> None:
    print(f"\n{label}: Mimic generation, {num_envs} envs, {stats.demos} demos from {num_source_demos} source demos:")
    print(f"  success rate      {stats.demos}/{stats.attempts} = {100 * stats.success_rate:.0f}%")
    print(f"  failures          {stats.failures_by_subtask}")
    print(
        f"  demos/min         {stats.demos_per_minute:6.1f}   ratio to MimicGen/robosuite (24): "
        f"{stats.demos_per_minute / PEER_DEMOS_PER_MINUTE:.2f}"
    )
    print(
        f"  env-steps/s       {stats.env_steps_per_second:6.1f}   ratio to MimicGen/robosuite (46): "
        f"{stats.env_steps_per_second / PEER_ENV_STEPS_PER_SECOND:.2f}"
    )
    print(f"  steps per demo    {stats.env_steps / max(stats.attempts, 1):6.1f} (attempts included)")


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
    parser.add_argument(
        "--before",
        action="store_true",
        help="also generate with the settings from before issue 12 and print the ratios",
    )
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
    before = None
    if args.before:
        output_before = output.replace(".hdf5", "_before.hdf5")
        if os.path.exists(output_before):
            os.remove(output_before)
        with settings_before_issue_12():
            before = generate_dataset(
                task,
                annotated,
                output_before,
                args.num_envs,
                args.trials,
                seed=args.seed,
                split_ratio=None,
                settle_steps=0,
            )
    if os.path.exists(output):
        os.remove(output)
    stats = generate_dataset(task, annotated, output, args.num_envs, args.trials, seed=args.seed, split_ratio=None)

    if before is not None:
        print_generation(
            f"{task}, BEFORE (eager step, IK at every physics step, no rest rule)",
            before,
            args.num_envs,
            args.num_source_demos,
        )
    print_generation(task, stats, args.num_envs, args.num_source_demos)
    if before is not None:
        print(
            f"  after / before    env-steps/s {stats.env_steps_per_second / before.env_steps_per_second:.2f}x, "
            f"demos/min {stats.demos_per_minute / before.demos_per_minute:.2f}x, "
            f"success {100 * before.success_rate:.0f}% -> {100 * stats.success_rate:.0f}%"
        )
    raw = raw_mujoco_rate(related_task(task, "base"))
    print(
        f"  raw MuJoCo C      {raw:6.1f} env-steps/s of the same model (1 env, no actions); generation / raw C: "
        f"{stats.env_steps_per_second / raw:.3f}, MimicGen / raw C on its day: "
        f"{PEER_ENV_STEPS_PER_SECOND / PEER_DAY_RAW_MUJOCO_RATE:.3f}"
    )
    peer_today = PEER_ENV_STEPS_PER_SECOND * raw / PEER_DAY_RAW_MUJOCO_RATE
    print(
        f"  MimicGen scaled   {peer_today:6.1f} env-steps/s"
        f" (46 x today's raw C / {PEER_DAY_RAW_MUJOCO_RATE:.0f} on its day);"
        f" ratio {stats.env_steps_per_second / peer_today:.2f}"
    )
    if args.profile_demos:
        profiled = os.path.join(work_dir, "profiled.hdf5")
        if os.path.exists(profiled):
            os.remove(profiled)
        profiler = cProfile.Profile()
        profiler.runcall(
            generate_dataset,
            task,
            annotated,
            profiled,
            args.num_envs,
            args.profile_demos,
            seed=args.seed + 1,
            split_ratio=None,
        )
        print(f"  where a generation step's time goes ({args.num_envs} envs, cProfile, {args.profile_demos} demos):")
        for label, share in profile_shares(pstats.Stats(profiler)).items():
            print(f"    {label:44s} {100 * share:5.1f}%")


if __name__ == "__main__":
    main()
