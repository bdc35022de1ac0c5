"""A LeRobot policy (ACT, diffusion) trained on an export, as a batched controller of an Isaac Lab env.

:func:`load_policy` reads a ``pretrained_model`` folder written by ``mimic-tasks train --algo act|diffusion`` or by
``lerobot-train`` on an export: the policy, and its pre- and post-processors (normalization from the export's
statistics). The env's policy observations are concatenated into ``observation.state`` and
``observation.environment_state`` as the export did (the observation keys stored with the export, else the
export's default: those of the task's BC-RNN config).

LeRobot's own ``select_action`` keeps one action queue (and diffusion one observation history) for the whole
batch, so one environment cannot start a new rollout while the others go on. :class:`LeRobotPolicy` keeps them
per environment instead: each environment gets a new chunk from ``predict_action_chunk`` when its queue is empty
or its rollout starts, and its own history of the last ``n_obs_steps`` observations (filled with the first
observation at the start, as LeRobot's queues are). ACT with temporal ensembling gets a new chunk every step and
one ``ACTTemporalEnsembler`` (LeRobot's) per environment, restarted with its rollout.
"""

from __future__ import annotations

import contextlib
import io
import json
import os

import torch

from isaaclab_mimic_tasks.errors import UserInputError

HINT = (
    "pass a LeRobot pretrained_model folder (e.g. logs/lerobot/<task>/<algo>/<time>/checkpoints/last/pretrained_model)"
)


def is_lerobot_checkpoint(path: str | os.PathLike) -> bool:
    """Whether ``path`` is a folder holding a LeRobot policy (``config.json`` beside the weights)."""
    return os.path.isdir(path) and os.path.isfile(os.path.join(path, "config.json"))


def training_provenance(checkpoint: str | os.PathLike) -> dict:
    """The export provenance (``meta/isaaclab_mimic.json``: task, observation keys) of the dataset a checkpoint was
    trained on, found through its ``train_config.json``; empty if that dataset is not on this machine."""
    from .export import read_provenance

    try:
        with open(os.path.join(checkpoint, "train_config.json")) as f:
            root = (json.load(f).get("dataset") or {}).get("root")
        return read_provenance(root) if root else {}
    except (OSError, ValueError):
        return {}


class LeRobotPolicy:
    """A LeRobot ``PreTrainedPolicy`` as a batched controller: the env's ``obs["policy"]`` in, env actions out.

    Use :func:`load_policy` to make one. Action chunks and observation histories are kept per environment
    (:meth:`reset` starts new rollouts for some environments only).
    """

    def __init__(
        self,
        policy,
        preprocessor,
        postprocessor,
        observation_keys: dict[str, list[str]],
        task: str = "",
        temporal_ensemble_coeff: float | None = None,
    ):
        self.policy, self.preprocessor, self.postprocessor = policy, preprocessor, postprocessor
        self.observation_keys = observation_keys
        """Feature name -> the env's policy observation keys concatenated into it
        (``observation.images.<key>``: one)."""
        from lerobot.utils.constants import OBS_IMAGES  # the policy was loaded through the gate

        self._images_prefix = f"{OBS_IMAGES}."
        self.task = task
        config = policy.config
        self.n_obs_steps = int(getattr(config, "n_obs_steps", 1))
        self.n_action_steps = int(config.n_action_steps)
        self.temporal_ensemble_coeff = temporal_ensemble_coeff
        """ACT's temporal ensembling: a new chunk every step, each step's action the weighted average of what every
        chunk so far predicted for it (LeRobot's ``ACTTemporalEnsembler``, one per environment); None: execute
        ``n_action_steps`` of each chunk."""
        self._ensemblers: list | None = None  # one ACTTemporalEnsembler per environment
        self._history: dict[str, torch.Tensor] | None = None  # feature -> (num_envs, n_obs_steps, ...)
        self._chunk: torch.Tensor | None = None  # (num_envs, n_action_steps, action_dim), env units
        self._next: torch.Tensor | None = None  # index of each environment's next action in its chunk
        self._fresh: torch.Tensor | None = None

    def reset(self, env_ids: torch.Tensor | None = None) -> None:
        """Start new rollouts for ``env_ids`` (all if None)."""
        if env_ids is None or self._fresh is None:
            self._history = self._chunk = self._next = self._fresh = None
        else:
            self._fresh[env_ids.cpu()] = True

    def _features(self, obs: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
        missing = sorted({key for keys in self.observation_keys.values() for key in keys} - set(obs))
        if missing:
            raise UserInputError(
                f"the policy reads observations {', '.join(missing)}, which the env's policy group lacks (it has"
                f" {', '.join(obs)}); play it on the task it was trained on ({self.task or 'see its dataset'})"
            )
        features = {}
        for name, keys in self.observation_keys.items():
            if name.startswith(self._images_prefix):  # (N, H, W, 3) uint8 -> (N, 3, H, W) in [0, 1]
                features[name] = obs[keys[0]].cpu().permute(0, 3, 1, 2).float() / 255.0
                continue
            value = torch.cat([obs[key].cpu().reshape(len(obs[key]), -1).float() for key in keys], dim=1)
            expected = self.policy.config.input_features[name].shape[-1]
            if value.shape[1] != expected:
                raise UserInputError(
                    f"the policy's {name} has {expected} dims; {'+'.join(keys)} of this task have {value.shape[1]};"
                    f" play it on the task it was trained on ({self.task or 'see its dataset'})"
                )
            features[name] = value
        return features

    @torch.no_grad()
    def __call__(self, obs: dict[str, torch.Tensor]) -> torch.Tensor:
        """Actions (num_envs, action_dim) for policy observations (``{key: (num_envs, ...)}``), on their device."""
        out_device = next(iter(obs.values())).device
        features = self._features(obs)
        num = next(iter(features.values())).shape[0]
        if self._history is None or self._fresh.shape[0] != num:
            self._history = {k: v.unsqueeze(1).repeat_interleave(self.n_obs_steps, 1) for k, v in features.items()}
            self._fresh = torch.ones(num, dtype=torch.bool)
            self._next = torch.full((num,), self.n_action_steps, dtype=torch.long)
            self._chunk = self._ensemblers = None
        fresh = self._fresh
        for key, value in features.items():
            history = torch.cat([self._history[key][:, 1:], value.unsqueeze(1)], dim=1)
            history[fresh] = value[fresh].unsqueeze(1)  # a new rollout sees only its first observation
            self._history[key] = history
        actions = self._ensembled_actions(fresh) if self.temporal_ensemble_coeff is not None else self._queued(fresh)
        self._fresh = torch.zeros_like(fresh)
        return actions.to(out_device)

    def _chunks(self, rows: torch.Tensor) -> torch.Tensor:
        """The policy's normalized action chunks for the environments ``rows``, from their observation histories."""
        batch = {k: (h[rows] if self.n_obs_steps > 1 else h[rows, -1]) for k, h in self._history.items()}
        return self.policy.predict_action_chunk(self.preprocessor(batch))

    def _queued(self, fresh: torch.Tensor) -> torch.Tensor:
        """The next action of each environment's chunk; a new chunk where it is used up or a rollout starts."""
        num = len(fresh)
        need = fresh | (self._next >= self.n_action_steps)
        if bool(need.any()):
            rows = need.nonzero().squeeze(-1)
            chunk = self.postprocessor(self._chunks(rows)[:, : self.n_action_steps]).cpu().float()
            if self._chunk is None:
                self._chunk = torch.zeros(num, self.n_action_steps, chunk.shape[-1])
            self._chunk[rows] = chunk
            self._next[rows] = 0
        actions = self._chunk[torch.arange(num), self._next]
        self._next += 1
        return actions

    def _ensembled_actions(self, fresh: torch.Tensor) -> torch.Tensor:
        """A new chunk for every environment, folded into its own temporal ensemble (restarted with its rollout)."""
        from lerobot.policies.act.modeling_act import ACTTemporalEnsembler

        if self._ensemblers is None:
            chunk_size = int(self.policy.config.chunk_size)
            self._ensemblers = [ACTTemporalEnsembler(self.temporal_ensemble_coeff, chunk_size) for _ in fresh]
        chunks = self._chunks(torch.arange(len(fresh)))
        actions = []
        for env, ensembler in enumerate(self._ensemblers):
            if fresh[env]:
                ensembler.reset()
            actions.append(ensembler.update(chunks[env : env + 1]))  # normalized, as in LeRobot's select_action
        return self.postprocessor(torch.cat(actions)).cpu().float()


def load_policy(
    checkpoint: str | os.PathLike, task: str = "", device: str = "cpu", temporal_ensemble_coeff: float | None = None
) -> LeRobotPolicy:
    """Load a LeRobot ``pretrained_model`` folder as a :class:`LeRobotPolicy`, offline.

    Args:
        checkpoint: The folder (``config.json``, ``model.safetensors``, ``policy_preprocessor.json``, ...).
        task: The task it will run in; its policy observations give the feature layout when the export the policy
            was trained on is not on this machine.
        device: Torch device of the network.
        temporal_ensemble_coeff: Run an ACT policy with temporal ensembling, this coefficient (the ACT paper's: 0.01);
            default: the checkpoint's own ``temporal_ensemble_coeff`` (None: its chunks of ``n_action_steps``).

    Raises :class:`UserInputError` if the folder is missing, not a LeRobot policy, or one this bridge cannot run.
    """
    from .export import default_observation_keys, observation_roles
    from .gate import quiet_lerobot

    checkpoint = os.fspath(checkpoint)
    if not is_lerobot_checkpoint(checkpoint):
        if os.path.isdir(os.path.join(checkpoint, "pretrained_model")):
            raise UserInputError(
                f"{checkpoint} is a LeRobot checkpoint step; pass {os.path.join(checkpoint, 'pretrained_model')}"
            )
        raise UserInputError(f"{checkpoint} is not a LeRobot policy folder (no config.json); {HINT}")
    quiet_lerobot()
    from lerobot.configs.policies import PreTrainedConfig
    from lerobot.policies.factory import get_policy_class, make_pre_post_processors
    from lerobot.utils.constants import OBS_ENV_STATE, OBS_IMAGES, OBS_STATE

    try:
        config = PreTrainedConfig.from_pretrained(checkpoint)
        config.device = device
        with contextlib.redirect_stdout(io.StringIO()):  # "Loading weights from local directory"
            policy = get_policy_class(config.type).from_pretrained(checkpoint, config=config)
        preprocessor, postprocessor = make_pre_post_processors(
            config,
            pretrained_path=checkpoint,
            preprocessor_overrides={"device_processor": {"device": device}},
        )
    except Exception as error:
        raise UserInputError(
            f"cannot load the LeRobot policy in {checkpoint} ({' '.join(str(error).split())[:200]}); {HINT}"
        ) from None
    if not hasattr(policy, "predict_action_chunk") or not hasattr(config, "n_action_steps"):
        raise UserInputError(
            f"{checkpoint} holds a LeRobot '{config.type}' policy; play runs action-chunking policies (act, diffusion)"
        )
    if temporal_ensemble_coeff is not None and config.type != "act":
        raise UserInputError(
            f"--temporal_ensemble_coeff is ACT's temporal ensembling; {checkpoint} holds a '{config.type}' policy:"
            " run it without the flag"
        )
    if temporal_ensemble_coeff is None:
        temporal_ensemble_coeff = getattr(config, "temporal_ensemble_coeff", None)
    policy.eval()

    provenance = training_provenance(checkpoint)
    keys = provenance.get("observation_keys") or {}
    if not keys.get(OBS_STATE) and task:
        from isaaclab_mimic_tasks.envs import load_env_cfg, task_family

        env_cfg = load_env_cfg(task_family(task))
        state_keys, environment_keys = observation_roles(env_cfg, default_observation_keys(task))
        keys = {OBS_STATE: state_keys, OBS_ENV_STATE: environment_keys}
    layout = {}
    for name in config.input_features:
        if name.startswith(f"{OBS_IMAGES}."):
            layout[name] = [name[len(OBS_IMAGES) + 1 :]]
        elif keys.get(name):
            layout[name] = list(keys[name])
        else:
            raise UserInputError(f"{checkpoint} reads '{name}', which no observation of the task fills; {HINT}")
    return LeRobotPolicy(
        policy, preprocessor, postprocessor, layout, provenance.get("task", ""), temporal_ensemble_coeff
    )
