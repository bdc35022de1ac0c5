"""A trained robomimic policy (BC, BC-RNN) as a batched controller of an Isaac Lab env.

:func:`load_policy` reads a checkpoint of ``mimic-tasks train`` (or of robomimic's own train script): the
observation statistics (``obs_normalization_stats``) and the action normalization (``action_normalization_stats``)
stored in it are applied, so a rollout needs no ``--norm_factor_*`` flags.
"""

from __future__ import annotations

import contextlib
import io
import os

import torch

from .normalization import ActionNormalization
from .train import ACTION_STATS_KEY


class Policy:
    """A trained robomimic BC / BC-RNN policy as a batched controller: the env's ``obs["policy"]`` in, env actions out.

    Use :func:`load_policy` to make one. BC-RNN keeps one hidden state per environment, zeroed at the start of
    each rollout (:meth:`reset`) and every ``rnn.horizon`` steps, as robomimic's own rollouts and its training
    sequences do.
    """

    def __init__(self, rollout_policy, checkpoint: dict, device: str | torch.device = "cpu"):
        from robomimic.algo.bc import BC_RNN

        self.algo = rollout_policy.policy
        self.device = torch.device(device)
        self.obs_keys: list[str] = list(checkpoint["shape_metadata"]["all_obs_keys"])
        self.task: str = (checkpoint.get("env_metadata") or {}).get("env_name", "")
        stats = checkpoint.get(ACTION_STATS_KEY)
        self.action_normalization = ActionNormalization.from_dict(stats) if stats else None
        """None for checkpoints without it (e.g. from robomimic's own train script): the outputs are used as they
        are."""
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

        from isaaclab_mimic_tasks.errors import UserInputError

        missing = [key for key in self.obs_keys if key not in obs]
        if missing:
            raise UserInputError(
                f"the policy reads observations {', '.join(missing)}, which the env's policy group lacks"
                f" (it has {', '.join(obs)}); play it on the task it was trained on ({self.task or 'see its config'})"
            )
        out_device = obs[self.obs_keys[0]].device
        batch = {key: obs[key].to(self.device, torch.float32) for key in self.obs_keys}
        for key in self.obs_keys:
            if key in self.obs_normalization:
                stats = self.obs_normalization[key]
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

    from isaaclab_mimic_tasks.errors import UserInputError

    hint = "pass a .pth written by `mimic-tasks train` (in logs/robomimic/<task>/<name>/<time>/models/)"
    if not os.path.isfile(checkpoint):
        raise UserInputError(f"checkpoint {checkpoint} does not exist; {hint}")
    try:
        ckpt = torch.load(checkpoint, map_location=device, weights_only=True)
    except Exception as error:
        raise UserInputError(
            f"cannot read checkpoint {checkpoint} ({' '.join(str(error).split())[:200]}); {hint}"
        ) from None
    if not isinstance(ckpt, dict) or not {"model", "config", "algo_name", "shape_metadata"} <= set(ckpt):
        raise UserInputError(f"{checkpoint} is not a robomimic checkpoint; {hint}")
    if ckpt["algo_name"] != "bc":
        raise UserInputError(f"{checkpoint} holds a robomimic '{ckpt['algo_name']}' policy; play runs bc and bc_rnn")
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            rollout_policy, _ = FileUtils.policy_from_checkpoint(device=torch.device(device), ckpt_dict=ckpt)
    except Exception as error:
        raise UserInputError(
            f"cannot load the policy in {checkpoint} ({' '.join(str(error).split())[:200]}); {hint}"
        ) from None
    rnn = rollout_policy.policy.algo_config.rnn
    if rollout_policy.policy.algo_config.transformer.enabled or (rnn.enabled and rnn.get("open_loop", False)):
        raise UserInputError(
            f"{checkpoint}: play runs bc and closed-loop bc_rnn policies, not transformer or open-loop ones"
        )
    return Policy(rollout_policy, ckpt, device)
