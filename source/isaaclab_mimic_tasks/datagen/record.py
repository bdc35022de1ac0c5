"""Recording: successful demos into Isaac Lab's HDF5 layout (Isaac Lab's recorder manager).

Flags of ``mimic-tasks record`` follow Isaac Lab's ``scripts/tools/record_demos.py``. A demo is kept once the
task's success term has held for ``num_success_steps`` consecutive steps; failed attempts are dropped. The
file is written next to its final name and moved into place when recording ends, also on Ctrl-C (finished
demos kept).
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

import torch
from tqdm import tqdm


@dataclass(kw_only=True)
class SteppedRun:
    """How long a batched run of env steps took (the base of the outcomes of recording and expert runs)."""

    steps: int = 0
    """env.step calls made."""
    seconds: float = 0.0
    num_envs: int = 1

    @property
    def env_steps_per_second(self) -> float:
        return self.steps * self.num_envs / max(self.seconds, 1e-9)


@dataclass
class RecordStats(SteppedRun):
    """Outcome of a recording session."""

    demos: int
    attempts: int
    frames: int = 0
    """Frames the viewer window drew (a person's session)."""
    step_period: float = 0.0
    """Seconds of simulated time per env step, where the session ran in real time (a person's)."""


def recording_env_cfg(task: str, num_envs: int, output_path: str):
    """The env cfg of ``task`` with Isaac Lab's action/state recorder writing successful demos to ``output_path``.

    The success term is taken out of the terminations (the recorder decides when a demo ends) and
    returned separately.
    """
    from isaaclab.envs.mdp.recorders.recorders_cfg import ActionStateRecorderManagerCfg
    from isaaclab.managers import DatasetExportMode

    from isaaclab_mimic_tasks.envs import load_env_cfg, take_success_term

    env_cfg = load_env_cfg(task, num_envs)
    env_cfg.env_name = task
    success_term = take_success_term(env_cfg)
    env_cfg.recorders = ActionStateRecorderManagerCfg()
    env_cfg.recorders.dataset_export_dir_path = os.path.dirname(os.path.abspath(output_path))
    env_cfg.recorders.dataset_filename = os.path.splitext(os.path.basename(output_path))[0]
    env_cfg.recorders.dataset_export_mode = DatasetExportMode.EXPORT_SUCCEEDED_ONLY
    return env_cfg, success_term


def record_demos(
    env, expert, success_term, num_demos: int, num_success_steps: int, max_steps: int | None = None
) -> RecordStats:
    """Drive every environment with ``expert`` (batched ``reset(env_ids)`` / ``advance()``) and export each
    demo that ends in a held success; ``max_steps`` ends the run after that many env steps."""
    from isaaclab_mimic_tasks.envs import SuccessStreak
    from isaaclab_mimic_tasks.rendering.viewer import window_closed

    expert.reset()
    streak = SuccessStreak(env, success_term)
    recorder = env.recorder_manager
    demos = attempts = steps = 0
    start = time.perf_counter()
    with tqdm(total=num_demos, desc="recording demos", unit="demo") as bar:
        while demos < num_demos and not window_closed(env) and (max_steps is None or steps < max_steps):
            _, _, terminated, truncated, _ = env.step(expert.advance())
            steps += 1
            # time-outs, dropped objects and physics failures were reset by the env (the recorder discards them)
            failed = (terminated | truncated).nonzero().squeeze(-1)
            held = streak.update() >= num_success_steps
            held[failed] = False
            done = held.nonzero().squeeze(-1)[: num_demos - demos]
            if len(done):
                recorder.record_pre_reset(done, force_export_or_skip=False)
                recorder.set_success_to_episodes(done, torch.ones(len(done), 1, dtype=torch.bool, device=env.device))
                recorder.export_episodes(done)
                env.reset(env_ids=done)
                demos += len(done)
                bar.update(len(done))
            restart = torch.cat([failed, held.nonzero().squeeze(-1)])
            attempts += len(restart)
            expert.reset(restart)
            streak.reset(restart)
            bar.set_postfix(attempts=attempts, refresh=False)
    return RecordStats(demos, attempts, steps=steps, seconds=time.perf_counter() - start, num_envs=env.num_envs)


def record_dataset(
    task: str,
    output: str,
    num_demos: int,
    num_envs: int = 4,
    seed: int = 0,
    num_success_steps: int | None = None,
    viz: str = "none",
) -> RecordStats:
    """Record ``num_demos`` demos of ``task`` with its scripted expert into ``output`` (which must not exist).

    ``num_success_steps`` defaults to the task's ``record_success_steps`` declaration: the
    settled tail a source demo ends with, which Mimic replays at the end of every generated demo.
    ``viz="newton_gl"`` shows the recording in the viewer window (closing it stops; finished demos are kept).
    """
    from isaaclab_mimic_tasks.datasets.io import publish, staging_path
    from isaaclab_mimic_tasks.envs import open_env, scripted_expert_class
    from isaaclab_mimic_tasks.errors import UserInputError
    from isaaclab_mimic_tasks.rendering.viewer import enable_viewer

    if num_demos < 1 or num_envs < 1 or (num_success_steps is not None and num_success_steps < 1):
        raise UserInputError("--num_demos, --num_envs and --num_success_steps must be at least 1")
    if os.path.exists(output):
        raise UserInputError(f"{output} exists; remove it or choose another --dataset_file")
    os.makedirs(os.path.dirname(os.path.abspath(output)), exist_ok=True)
    staging = staging_path(output)
    num_envs = min(num_envs, num_demos)
    expert_class = scripted_expert_class(task)
    env_cfg, success_term = recording_env_cfg(task, num_envs, staging)
    launch_args = enable_viewer(env_cfg, viz)
    if num_success_steps is None:
        num_success_steps = env_cfg.record_success_steps
    try:
        with open_env(task, num_envs=num_envs, seed=seed, env_cfg=env_cfg, launch_args=launch_args) as env:
            return record_demos(env, expert_class(env), success_term, num_demos, num_success_steps)
    finally:
        publish(staging, output)
