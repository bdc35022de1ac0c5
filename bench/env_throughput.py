"""Env-steps/s of a task at 1 and 16 environments (16 also with the physics step not graph-captured), the share of
time in IK, and the physics limit.

The limit is the same model (Newton's MuJoCo export of the 1-env scene) stepped with raw MuJoCo C
(``mujoco.mj_step``), with the same dt and decimation; the printed ratios are measured in this one run.
Both use the expert's actions so contacts and grasps are part of the cost. For a task whose action term solves
Pink IK (the GR1T2), the time inside the IK solves is measured too.

    .venv/bin/python bench/env_throughput.py [--task ID] [--steps 40]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time

os.environ.setdefault(
    "WARP_CACHE_PATH", os.path.join(os.path.expanduser("~"), ".cache", "isaaclab_mimic_tasks", "warp")
)

TASK = "Isaac-Desktop-Organizer-Franka-IK-Rel-v0"


def _time_ik(env) -> list[float]:
    """Seconds spent in each Pink IK action term's solves, accumulated in the returned list (empty: no Pink IK)."""
    spent = []
    for name in env.action_manager.active_terms:
        term = env.action_manager.get_term(name)
        solve = getattr(term, "_compute_ik_solutions", None)
        if solve is None or not hasattr(term, "_ik_controllers"):
            continue
        spent.append(0.0)

        def timed(solve=solve, slot=len(spent) - 1):
            start = time.perf_counter()
            result = solve()
            spent[slot] += time.perf_counter() - start
            return result

        term._compute_ik_solutions = timed  # benchmark instrumentation of this one instance
    return spent


def isaaclab_rate(
    task: str, num_envs: int, steps: int, mjcf_path: str | None = None, captured: bool = True
) -> tuple[float, float | None]:
    """Env-steps/s of Isaac Lab's env.step with the scripted expert driving every environment, and the share of
    that time spent in Pink IK (None if the task has none). ``captured=False``: the physics step runs eagerly,
    not replayed from its Warp graph (``tasks/common/cpu_graph_manager.py``)."""
    from isaaclab_mimic_tasks.envs import load_env_cfg, open_env, scripted_expert_class

    cfg = load_env_cfg(task, num_envs=num_envs)
    cfg.sim.physics.use_cuda_graph = captured
    if mjcf_path:
        cfg.sim.physics.solver_cfg.save_to_mjcf = mjcf_path
    with open_env(task, num_envs=num_envs, seed=0, env_cfg=cfg) as env:
        expert = scripted_expert_class(task)(env)
        expert.reset()
        for _ in range(3):  # warm-up (kernel loading, first contacts)
            env.step(expert.advance())
        ik_seconds = _time_ik(env)
        start = time.perf_counter()
        for _ in range(steps):
            env.step(expert.advance())
        elapsed = time.perf_counter() - start
        return steps * num_envs / elapsed, (sum(ik_seconds) / elapsed if ik_seconds else None)


def mujoco_rate(mjcf_path: str, decimation: int, steps: int) -> float:
    """Env-steps/s of raw MuJoCo C on the exported model (``decimation`` mj_step calls per env-step)."""
    import mujoco

    model = mujoco.MjModel.from_xml_path(mjcf_path)
    data = mujoco.MjData(model)
    mujoco.mj_forward(model, data)
    start = time.perf_counter()
    for _ in range(steps * decimation):
        mujoco.mj_step(model, data)
    return steps / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--task", default=TASK, help="gym task ID")
    parser.add_argument("--steps", type=int, default=40, help="timed env.step calls per setting")
    args = parser.parse_args()
    from isaaclab_mimic_tasks.envs import load_env_cfg

    decimation = load_env_cfg(args.task).decimation
    with tempfile.TemporaryDirectory() as tmp:
        mjcf = os.path.join(tmp, "scene.xml")
        one, ik_one = isaaclab_rate(args.task, 1, args.steps, mjcf_path=mjcf)
        limit = mujoco_rate(mjcf, decimation, args.steps * 5)
    sixteen, ik_sixteen = isaaclab_rate(args.task, 16, args.steps)
    eager, ik_eager = isaaclab_rate(args.task, 16, args.steps, captured=False)
    print(args.task)
    print(f"{'setting':34s} {'env-steps/s':>12s} {'vs MuJoCo C':>12s} {'time in IK':>11s}")

    def share(value):
        return f"{100 * value:10.0f}%" if value is not None else f"{'-':>11s}"

    print(f"{'raw MuJoCo C, 1 env (limit)':34s} {limit:12.1f} {1.0:12.2f} {'-':>11s}")
    print(f"{'Isaac Lab + Newton MJWarp, 1 env':34s} {one:12.1f} {one / limit:12.3f} {share(ik_one)}")
    print(f"{'Isaac Lab + Newton MJWarp, 16 envs':34s} {sixteen:12.1f} {sixteen / limit:12.3f} {share(ik_sixteen)}")
    print(f"{'the same, step not graph-captured':34s} {eager:12.1f} {eager / limit:12.3f} {share(ik_eager)}")
    print(f"16 envs vs 1 env: {sixteen / one:.1f}x; graph-captured vs eager step at 16 envs: {sixteen / eager:.2f}x")


if __name__ == "__main__":
    main()
