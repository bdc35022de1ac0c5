"""``mimic-tasks record``: record successful demos into Isaac Lab's HDF5 layout (recorder manager).

Flags follow Isaac Lab's ``scripts/tools/record_demos.py``. A demo is kept once the task's success term
has held for ``--num_success_steps`` consecutive steps; failed attempts are dropped. The file is written
next to its final name and moved into place when recording ends, also on Ctrl-C (finished demos kept).
"""

from __future__ import annotations

import argparse
import os
import time
from dataclasses import dataclass

import torch
from tqdm import tqdm

TELEOP_DEVICES = ("scripted", "keyboard", "spacemouse")


@dataclass
class RecordStats:
    """Outcome of a recording session."""

    demos: int
    attempts: int
    steps: int
    """env.step calls made."""
    seconds: float


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


def record_scripted_demos(env, success_term, num_demos: int, num_success_steps: int) -> RecordStats:
    """Drive every environment with the scripted expert and export each demo that ends in a held success."""
    from isaaclab_mimic_tasks.devices import PickPlaceExpert
    from isaaclab_mimic_tasks.envs import SuccessStreak

    expert = PickPlaceExpert(env)
    expert.reset()
    streak = SuccessStreak(env, success_term)
    recorder = env.recorder_manager
    demos = attempts = steps = 0
    start = time.perf_counter()
    with tqdm(total=num_demos, desc="recording demos", unit="demo") as bar:
        while demos < num_demos:
            _, _, terminated, truncated, _ = env.step(expert.advance())
            steps += 1
            # time-outs and dropped bottles were reset by the env (the recorder discards them)
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
            bar.set_postfix(attempts=attempts)
    return RecordStats(demos, attempts, steps, time.perf_counter() - start)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--task", default="Isaac-Desktop-Organizer-Franka-IK-Rel-v0", help="gym task ID")
    parser.add_argument("--teleop_device", default="scripted", choices=TELEOP_DEVICES, help="where actions come from")
    parser.add_argument("--dataset_file", default="./datasets/dataset.hdf5", help="HDF5 file to write")
    parser.add_argument("--num_demos", type=int, default=10, help="successful demos to record")
    parser.add_argument(
        "--num_success_steps", type=int, default=10, help="steps the success must hold before a demo is kept"
    )
    parser.add_argument("--num_envs", type=int, default=4, help="environments stepped together (scripted only)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the first reset")


def record_dataset(
    task: str, output: str, num_demos: int, num_envs: int = 4, seed: int = 0, num_success_steps: int = 10
) -> RecordStats:
    """Record ``num_demos`` scripted demos of ``task`` into ``output`` (which must not exist yet)."""
    from isaaclab_mimic_tasks.datasets.recording import publish, staging_path
    from isaaclab_mimic_tasks.envs import UserInputError, open_env

    if num_demos < 1 or num_envs < 1 or num_success_steps < 1:
        raise UserInputError("--num_demos, --num_envs and --num_success_steps must be at least 1")
    if os.path.exists(output):
        raise UserInputError(f"{output} exists; remove it or choose another --dataset_file")
    os.makedirs(os.path.dirname(os.path.abspath(output)), exist_ok=True)
    staging = staging_path(output)
    num_envs = min(num_envs, num_demos)
    env_cfg, success_term = recording_env_cfg(task, num_envs, staging)
    try:
        with open_env(task, num_envs=num_envs, seed=seed, env_cfg=env_cfg) as env:
            return record_scripted_demos(env, success_term, num_demos, num_success_steps)
    finally:
        publish(staging, output)


def main(args: argparse.Namespace) -> int:
    from isaaclab_mimic_tasks.envs import UserInputError

    if args.teleop_device != "scripted":
        raise UserInputError(f"--teleop_device {args.teleop_device} is not available yet; use --teleop_device scripted")
    output = args.dataset_file if args.dataset_file.endswith(".hdf5") else args.dataset_file + ".hdf5"
    stats = record_dataset(args.task, output, args.num_demos, args.num_envs, args.seed, args.num_success_steps)
    print(
        f"recorded {stats.demos} demos in {stats.attempts} attempts to {output} "
        f"({stats.steps * min(args.num_envs, args.num_demos) / stats.seconds:.1f} env-steps/s)"
    )
    return 0
