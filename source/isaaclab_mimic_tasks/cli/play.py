"""``mimic-tasks play``: roll out a trained robomimic policy and print its success rate.

Flags follow Isaac Lab's ``scripts/imitation_learning/robomimic/play.py`` (``--task --checkpoint --num_rollouts
--horizon --seed``), plus ``--num_envs`` (rollouts run side by side) and ``--video``. The action normalization is
read from the checkpoint (``mimic-tasks train`` stores it), so there are no ``--norm_factor_*`` flags.

A rollout succeeds once the task's success term has held for ``--num_success_steps`` consecutive steps (a bottle
dropped on the way does not count); it fails at the horizon or on any other termination (ketchup off the table).
Each rollout is counted once; an environment whose rollout ended starts the next one while more are needed.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import time
from dataclasses import dataclass

import torch
from tqdm import tqdm


@dataclass
class RolloutStats:
    """Outcome of :func:`run_policy_rollouts`."""

    successes: int
    rollouts: int
    """Rollouts that ended (fewer than asked if interrupted)."""
    steps: int
    """env.step calls made."""
    seconds: float
    interrupted: bool = False

    @property
    def success_rate(self) -> float:
        return self.successes / max(self.rollouts, 1)


class Policy:
    """A trained robomimic BC / BC-RNN policy as a batched controller: the env's ``obs["policy"]`` in, env actions out.

    Use :func:`load_policy` to make one. BC-RNN keeps one hidden state per environment, zeroed at the start of
    each rollout (:meth:`reset`) and every ``rnn.horizon`` steps, as robomimic's own rollouts and its training
    sequences do.
    """

    def __init__(self, rollout_policy, checkpoint: dict, device: str | torch.device = "cpu"):
        from robomimic.algo.bc import BC_RNN

        from .train import ACTION_STATS_KEY, ActionNormalization

        self.algo = rollout_policy.policy
        self.device = torch.device(device)
        self.obs_keys: list[str] = list(checkpoint["shape_metadata"]["all_obs_keys"])
        self.task: str = (checkpoint.get("env_metadata") or {}).get("env_name", "")
        stats = checkpoint.get(ACTION_STATS_KEY)
        self.action_normalization = ActionNormalization.from_dict(stats) if stats else None
        """None for checkpoints without it (e.g. from robomimic's own train script): the outputs are used as they are."""
        self.obs_normalization = {
            key: {k: torch.as_tensor(v, dtype=torch.float32, device=self.device) for k, v in value.items()}
            for key, value in (rollout_policy.obs_normalization_stats or {}).items()
        }
        self.is_rnn = isinstance(self.algo, BC_RNN)
        self._rnn_state = None
        self._rnn_steps: torch.Tensor | None = None

    def reset(self, env_ids: torch.Tensor | None = None) -> None:
        """Start new rollouts for ``env_ids`` (all if None)."""
        if env_ids is None or self._rnn_steps is None:
            self._rnn_state, self._rnn_steps = None, None
        else:
            self._rnn_steps[env_ids.to(self._rnn_steps.device)] = 0

    def __call__(self, obs: dict[str, torch.Tensor]) -> torch.Tensor:
        """Actions (num_envs, action_dim) for policy observations (``{key: (num_envs, ...)}``), on their device."""
        import robomimic.utils.obs_utils as ObsUtils

        from isaaclab_mimic_tasks.envs import UserInputError

        missing = [key for key in self.obs_keys if key not in obs]
        if missing:
            raise UserInputError(
                f"the policy reads observations {', '.join(missing)}, which the env's policy group lacks"
                f" (it has {', '.join(obs)}); play it on the task it was trained on ({self.task or 'see its config'})"
            )
        out_device = obs[self.obs_keys[0]].device
        batch = {key: obs[key].to(self.device, torch.float32) for key in self.obs_keys}
        for key, stats in self.obs_normalization.items():
            batch[key] = (batch[key] - stats["mean"]) / stats["std"]
        batch = ObsUtils.process_obs_dict(batch)
        with torch.no_grad():
            actions = self._rnn_step(batch) if self.is_rnn else self.algo.get_action(batch)
        if self.action_normalization is not None:
            actions = self.action_normalization.denormalize(actions)
        return actions.to(out_device)

    def _rnn_step(self, batch: dict[str, torch.Tensor]) -> torch.Tensor:
        net = self.algo.nets["policy"]
        num = next(iter(batch.values())).shape[0]
        if self._rnn_steps is None or self._rnn_steps.shape[0] != num:
            self._rnn_state = net.get_rnn_init_state(batch_size=num, device=self.device)
            self._rnn_steps = torch.zeros(num, dtype=torch.long, device=self.device)
        fresh = self._rnn_steps % self.algo.algo_config.rnn.horizon == 0
        for state in self._rnn_state if isinstance(self._rnn_state, tuple) else (self._rnn_state,):
            state[:, fresh] = 0.0  # (num_layers, num_envs, hidden)
        actions, self._rnn_state = net.forward_step(batch, rnn_state=self._rnn_state)
        self._rnn_steps += 1
        return actions


def load_policy(checkpoint: str, device: str = "cpu") -> Policy:
    """Load a checkpoint of ``mimic-tasks train`` (or robomimic's train script) as a :class:`Policy`.

    Raises :class:`UserInputError` if the file is missing, unreadable, or not a BC / BC-RNN robomimic checkpoint.
    """
    import robomimic.utils.file_utils as FileUtils

    from isaaclab_mimic_tasks.envs import UserInputError

    hint = "pass a .pth written by `mimic-tasks train` (in logs/robomimic/<task>/<name>/<time>/models/)"
    if not os.path.isfile(checkpoint):
        raise UserInputError(f"checkpoint {checkpoint} does not exist; {hint}")
    try:
        ckpt = torch.load(checkpoint, map_location=device, weights_only=True)
    except Exception as error:
        raise UserInputError(f"cannot read checkpoint {checkpoint} ({' '.join(str(error).split())[:200]}); {hint}") from None
    if not isinstance(ckpt, dict) or not {"model", "config", "algo_name", "shape_metadata"} <= set(ckpt):
        raise UserInputError(f"{checkpoint} is not a robomimic checkpoint; {hint}")
    if ckpt["algo_name"] != "bc":
        raise UserInputError(f"{checkpoint} holds a robomimic '{ckpt['algo_name']}' policy; play runs bc and bc_rnn")
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            rollout_policy, _ = FileUtils.policy_from_checkpoint(device=torch.device(device), ckpt_dict=ckpt)
    except Exception as error:
        raise UserInputError(f"cannot load the policy in {checkpoint} ({' '.join(str(error).split())[:200]}); {hint}") from None
    rnn = rollout_policy.policy.algo_config.rnn
    if rollout_policy.policy.algo_config.transformer.enabled or (rnn.enabled and rnn.get("open_loop", False)):
        raise UserInputError(f"{checkpoint}: play runs bc and closed-loop bc_rnn policies, not transformer or open-loop ones")
    return Policy(rollout_policy, ckpt, device)


def rollout_env_cfg(task: str, num_envs: int, video: bool = False):
    """The env cfg of ``task`` for rollouts, and its success term (taken out of the terminations: the rollout
    decides when a success has held long enough). The time-out is removed too (the horizon ends a rollout)."""
    from isaaclab_mimic_tasks.envs import load_env_cfg, take_success_term

    env_cfg = load_env_cfg(task, num_envs)
    success_term = take_success_term(env_cfg)
    env_cfg.terminations.time_out = None
    if video:
        from isaaclab_mimic_tasks.datasets.video import enable_video

        enable_video(env_cfg)
    return env_cfg, success_term


def run_policy_rollouts(
    env, policy, num_rollouts: int, horizon: int, num_success_steps: int, success_term, video=None
) -> RolloutStats:
    """Run ``num_rollouts`` rollouts of ``policy`` on the environments of ``env``; Ctrl-C stops early with what ended.

    Args:
        env: The unwrapped env, made from :func:`rollout_env_cfg` (no success or time-out termination).
        policy: Maps ``obs["policy"]`` to actions and has ``reset(env_ids=None)`` (e.g. :class:`Policy`).
        num_rollouts: Rollouts to count.
        horizon: Steps after which a rollout fails.
        num_success_steps: Consecutive steps the success term must hold for a success.
        success_term: The task's success term cfg (``func``, ``params``).
        video: Optional :class:`~isaaclab_mimic_tasks.datasets.video.VideoRecorder`: captures its environment
            while that one runs a counted rollout.
    """
    from isaaclab_mimic_tasks.envs import SuccessStreak

    n, device = env.num_envs, env.device
    streak = SuccessStreak(env, success_term)
    obs, _ = env.reset()
    policy.reset()
    active = torch.arange(n, device=device) < num_rollouts  # running a rollout that will be counted
    started = int(active.sum())
    rollout_steps = torch.zeros(n, dtype=torch.long, device=device)
    successes = ended = steps = 0
    interrupted = False
    start = time.perf_counter()
    with tqdm(total=num_rollouts, desc="policy rollouts", unit="rollout") as bar:
        try:
            while ended < num_rollouts:
                actions = policy(obs["policy"])
                actions[~active] = 0.0  # idle environments hold still
                obs, _, terminated, truncated, _ = env.step(actions)
                steps += 1
                rollout_steps += 1
                if video is not None and bool(active[video.env_index]):
                    video.capture()
                held = streak.update() >= num_success_steps
                failed = active & (terminated | truncated)  # these were reset by the env already
                success = active & ~failed & held
                done = success | failed | (active & (rollout_steps >= horizon))
                if not bool(done.any()):
                    continue
                successes += int(success.sum())
                ended += int(done.sum())
                bar.update(int(done.sum()))
                bar.set_postfix(success=f"{successes}/{ended}")
                done_ids = done.nonzero().squeeze(-1)
                restart = done_ids[: max(0, num_rollouts - started)]
                active[done_ids[len(restart):]] = False
                started += len(restart)
                to_reset = restart[~failed[restart]]
                if len(to_reset):
                    obs, _ = env.reset(env_ids=to_reset)
                streak.reset(done_ids)
                policy.reset(done_ids)
                rollout_steps[done_ids] = 0
        except KeyboardInterrupt:
            interrupted = True
    return RolloutStats(successes, ended, steps, time.perf_counter() - start, interrupted)


def evaluate_checkpoint(
    task: str,
    checkpoint: str,
    num_rollouts: int,
    num_envs: int | None = None,
    horizon: int | None = None,
    seed: int = 101,
    num_success_steps: int = 5,
    video_path: str | None = None,
) -> RolloutStats:
    """Load ``checkpoint`` and run :func:`run_policy_rollouts` on a fresh env of ``task`` (see ``mimic-tasks play``)."""
    from isaaclab_mimic_tasks.envs import UserInputError, open_env, task_family

    if num_rollouts < 1 or (num_envs is not None and num_envs < 1) or num_success_steps < 1:
        raise UserInputError("--num_rollouts, --num_envs and --num_success_steps must be at least 1")
    if horizon is not None and horizon < 1:
        raise UserInputError(f"--horizon must be at least 1, got {horizon}")
    policy = load_policy(checkpoint)
    if policy.task and task_family(policy.task) != task_family(task):
        raise UserInputError(f"{checkpoint} was trained on '{policy.task}', not '{task}'; pass --task {policy.task}")
    num_envs = num_envs or min(num_rollouts, 4)
    env_cfg, success_term = rollout_env_cfg(task, num_envs, video=video_path is not None)
    torch.manual_seed(seed)
    with open_env(task, num_envs=num_envs, seed=seed, env_cfg=env_cfg) as env:
        horizon = horizon or int(env.max_episode_length)
        video = None
        if video_path is not None:
            from isaaclab_mimic_tasks.datasets.video import VideoRecorder

            video = VideoRecorder(env, video_path)
        with video if video is not None else contextlib.nullcontext():
            stats = run_policy_rollouts(env, policy, num_rollouts, horizon, num_success_steps, success_term, video)
    if video is not None:
        print(f"video of environment 0: {video.path}")
    return stats


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--task", default="Isaac-Desktop-Organizer-Franka-IK-Rel-Play-v0", help="gym task ID")
    parser.add_argument("--checkpoint", required=True, help="model_epoch_<N>.pth written by `mimic-tasks train`")
    parser.add_argument("--num_rollouts", type=int, default=1, help="rollouts to count")
    parser.add_argument("--num_envs", type=int, default=None, help="rollouts run side by side (default: min(num_rollouts, 4))")
    parser.add_argument("--horizon", type=int, default=None, help="steps of a rollout (default: the task's episode length)")
    parser.add_argument("--seed", type=int, default=101, help="seed of the env resets and of the policy's sampling")
    parser.add_argument("--num_success_steps", type=int, default=5, help="steps the success must hold")
    parser.add_argument(
        "--video", action="store_true", help="write a video of environment 0 (next to the checkpoint, in ../videos/)"
    )


def main(args: argparse.Namespace) -> int:
    video_path = None
    if args.video:
        run_dir = os.path.dirname(os.path.dirname(os.path.abspath(args.checkpoint)))
        name = os.path.splitext(os.path.basename(args.checkpoint))[0]
        video_path = os.path.join(run_dir, "videos", f"play_{name}_seed{args.seed}.mp4")
        os.makedirs(os.path.dirname(video_path), exist_ok=True)
    stats = evaluate_checkpoint(
        args.task, args.checkpoint, args.num_rollouts, args.num_envs, args.horizon, args.seed,
        args.num_success_steps, video_path,
    )
    print(
        f"{'interrupted: ' if stats.interrupted else ''}policy {args.checkpoint} on {args.task}:"
        f" {stats.successes}/{stats.rollouts} successful rollouts ({100 * stats.success_rate:.0f}%),"
        f" {stats.steps / max(stats.seconds, 1e-9):.1f} steps/s"
    )
    return 130 if stats.interrupted else 0
