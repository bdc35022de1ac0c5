"""The CPU graph shim (``tasks/common/cpu_graph_manager.py``): a physics step replayed from a captured Warp graph
gives the same trajectory as Isaac Lab's eager CPU step, for every task, across a partial reset."""

from __future__ import annotations

import pytest
import torch

from isaaclab_mimic_tasks.envs import load_env_cfg, open_env, scripted_expert_class, task_family, task_ids

FAMILIES = sorted({task_family(task) for task in task_ids()})
STEPS = 12
RESET_AT = 6


def _trajectory(task: str, captured: bool) -> tuple[torch.Tensor, bool]:
    """Policy observations of 2 environments under the task's expert for STEPS steps, environment 0 reset at
    RESET_AT; and whether a graph was replayed."""
    from isaaclab_newton.physics.newton_manager import NewtonManager

    cfg = load_env_cfg(task, num_envs=2)
    cfg.sim.physics.use_cuda_graph = captured
    frames = []
    with open_env(task, num_envs=2, seed=3, env_cfg=cfg) as env:
        expert = scripted_expert_class(task)(env)
        expert.reset()
        replayed = False
        for step in range(STEPS):
            if step == RESET_AT:
                env.reset(env_ids=torch.tensor([0], device=env.device))
                expert.reset(torch.tensor([0], device=env.device))
            obs, *_ = env.step(expert.advance())
            replayed |= NewtonManager._graph is not None
            frames.append(torch.cat([value.flatten(1) for value in obs["policy"].values()], dim=1))
    return torch.stack(frames), replayed


@pytest.mark.parametrize("task", FAMILIES)
def test_captured_step_gives_the_same_trajectory(task):
    assert "CpuGraph" in load_env_cfg(task).sim.physics.solver_cfg.class_type  # every task runs on the shim
    eager, eager_replayed = _trajectory(task, captured=False)
    captured, captured_replayed = _trajectory(task, captured=True)
    assert captured_replayed and not eager_replayed
    assert (eager[-1] - eager[0]).abs().max() > 1e-3  # the robot moved
    torch.testing.assert_close(captured, eager, rtol=0, atol=1e-6)
