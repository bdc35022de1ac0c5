"""``lerobot-eval`` in this package's tasks, through LeRobot's plugin mechanism for third-party environments.

Importing this module registers :class:`IsaacLabMimicEnvConfig` as ``--env.type=isaaclab_mimic``. LeRobot imports
it itself: through the ``lerobot_env_isaaclab_mimic`` distribution (``setup.sh --lerobot`` installs it; LeRobot
imports every installed ``lerobot_env_*`` distribution) or with
``--env.discover_packages_path=isaaclab_mimic_tasks.learning.lerobot.eval_env``::

    lerobot-eval --env.type=isaaclab_mimic --env.task=Isaac-Desktop-Organizer-Franka-IK-Rel-Play-v0 \\
        --policy.path=<pretrained_model> --policy.device=cpu --eval.batch_size=10 --eval.n_episodes=50

``create_envs`` returns one batched Isaac Lab env behind the vector-env interface LeRobot's ``rollout`` uses, with
the observations of the export (``agent_pos`` -> ``observation.state``, ``environment_state`` ->
``observation.environment_state``; ``--env.obs_keys`` as the export's ``--obs_keys``) and this package's success
rule: an environment ends with ``is_success`` once the task's success term held ``num_success_steps`` steps, fails
on any other termination, and holds still once done. Every environment of the batch starts its rollout together
(LeRobot's ``rollout`` resets them all, and the policy), so ACT's temporal ensembling runs in LeRobot's own
``select_action`` (one ensemble for the batch): a checkpoint trained with ``temporal_ensemble_coeff`` uses it, any
other ACT checkpoint with ``--policy.temporal_ensemble_coeff=0.01 --policy.n_action_steps=1``.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field

import numpy as np

from isaaclab_mimic_tasks.envs import default_task

from .gate import quiet_lerobot

quiet_lerobot()  # the gate, before LeRobot's modules: this module exists to register a LeRobot env config
from lerobot.configs import FeatureType, PolicyFeature  # noqa: E402
from lerobot.envs.configs import EnvConfig  # noqa: E402
from lerobot.utils.constants import ACTION, OBS_ENV_STATE, OBS_STATE  # noqa: E402

ENV_TYPE = "isaaclab_mimic"


@EnvConfig.register_subclass(ENV_TYPE)
@dataclass
class IsaacLabMimicEnvConfig(EnvConfig):
    """``--env.type=isaaclab_mimic``: a task of this package (``--env.task``), evaluated batched on the CPU."""

    task: str | None = default_task("play")
    fps: int = 20
    episode_length: int | None = None
    """Steps of a rollout (default: the task's episode length)."""
    num_success_steps: int = 5
    """Consecutive steps the success term must hold (as ``mimic-tasks play``)."""
    video: bool = True
    """Render the episodes LeRobot writes videos of (Newton's Warp ray tracer, ~0.1 s a frame on a CPU); off: blank
    frames, for speed."""
    video_width: int = 320
    video_height: int = 240
    obs_keys: str | None = None
    """The policy observations the policy reads, comma separated (default: those of the task's BC-RNN config, what
    ``mimic-tasks export`` and ``train`` use by default): the ``--obs_keys`` the policy was trained with."""
    features: dict[str, PolicyFeature] = field(default_factory=dict)
    """Filled by :meth:`create_envs` from the env (the action and state widths)."""
    features_map: dict[str, str] = field(
        default_factory=lambda: {ACTION: ACTION, "agent_pos": OBS_STATE, "environment_state": OBS_ENV_STATE}
    )

    @property
    def gym_kwargs(self) -> dict:
        return {}

    def create_envs(self, n_envs: int, use_async_envs: bool = False):
        """``{env type: {0: vector env}}``: one Isaac Lab env with ``n_envs`` environments (never async: one scene)."""
        env = IsaacLabVectorEnv(self, n_envs)
        self.features = {
            ACTION: PolicyFeature(type=FeatureType.ACTION, shape=(env.action_dim,)),
            "agent_pos": PolicyFeature(type=FeatureType.STATE, shape=(env.state_dim,)),
        }
        if env.environment_keys:
            self.features["environment_state"] = PolicyFeature(type=FeatureType.ENV, shape=(env.environment_dim,))
        return {ENV_TYPE: {0: env}}


class IsaacLabVectorEnv:
    """The vector-env interface of LeRobot's ``rollout`` (``num_envs``, ``reset(seed=[...])``, ``step`` with
    ``info["is_success"]``, ``call`` / ``get_attr``, ``render``, ``close``) over one batched Isaac Lab env."""

    def __init__(self, cfg: IsaacLabMimicEnvConfig, num_envs: int):
        from isaaclab_mimic_tasks.envs import SuccessStreak, open_env
        from isaaclab_mimic_tasks.errors import UserInputError
        from isaaclab_mimic_tasks.learning.rollouts import rollout_env_cfg

        from .export import default_observation_keys, observation_roles, parse_observation_keys

        if not cfg.task:
            raise UserInputError("--env.task is required: one of this package's task IDs")
        if num_envs < 1 or cfg.num_success_steps < 1:
            raise UserInputError("--eval.batch_size and --env.num_success_steps must be at least 1")
        self.cfg, self.num_envs = cfg, num_envs
        self.task = cfg.task
        env_cfg, success_term = rollout_env_cfg(self.task, num_envs, video=False)
        if cfg.video:
            from isaaclab_mimic_tasks.rendering.video import enable_video

            enable_video(env_cfg, width=cfg.video_width, height=cfg.video_height)
        self.instruction = env_cfg.instruction
        keys = parse_observation_keys(cfg.obs_keys) or default_observation_keys(self.task)
        self.state_keys, self.environment_keys = observation_roles(env_cfg, keys)
        self._stack = contextlib.ExitStack()
        self.env = self._stack.enter_context(open_env(self.task, num_envs=num_envs, env_cfg=env_cfg))
        self._streak = SuccessStreak(self.env, success_term)
        self.max_episode_steps = int(cfg.episode_length or self.env.max_episode_length)
        self.action_dim = int(self.env.action_manager.total_action_dim)
        obs = self.env.obs_buf["policy"]  # of open_env's reset
        self.state_dim = sum(int(np.prod(obs[key].shape[1:])) for key in self.state_keys)
        self.environment_dim = sum(int(np.prod(obs[key].shape[1:])) for key in self.environment_keys)
        self.metadata = {"render_fps": cfg.fps}
        self._done = np.zeros(num_envs, dtype=bool)
        self._steps = 0

    @property
    def unwrapped(self):
        return self

    def _observation(self, obs) -> dict[str, np.ndarray]:
        policy = obs["policy"]

        def concatenated(keys):
            return np.concatenate([policy[k].reshape(self.num_envs, -1).cpu().numpy() for k in keys], 1).astype(
                np.float32
            )

        out = {"agent_pos": concatenated(self.state_keys)}
        if self.environment_keys:
            out["environment_state"] = concatenated(self.environment_keys)
        return out

    def reset(self, seed=None, options=None):
        """Reset every environment; ``seed`` (an int or one per environment: the first is used) seeds the resets."""
        first = seed[0] if isinstance(seed, (list, tuple, np.ndarray)) else seed
        if first is not None:
            self.env.seed(int(first))
        obs, _ = self.env.reset()
        self._streak.reset()
        self._done[:] = False
        self._steps = 0
        return self._observation(obs), {}

    def step(self, actions):
        import torch

        actions = torch.as_tensor(np.asarray(actions), dtype=torch.float32, device=self.env.device)
        actions[torch.as_tensor(self._done, device=self.env.device)] = 0.0  # finished environments hold still
        obs, _, terminated, truncated, _ = self.env.step(actions)
        self._steps += 1
        held = (self._streak.update() >= self.cfg.num_success_steps).cpu().numpy()
        failed = (terminated | truncated).cpu().numpy() & ~held
        success = held & ~self._done
        terminated_now = (held | failed) & ~self._done
        truncated_now = np.full(self.num_envs, self._steps >= self.max_episode_steps) & ~self._done & ~terminated_now
        self._done |= terminated_now | truncated_now
        reward = success.astype(np.float32)
        return self._observation(obs), reward, terminated_now, truncated_now, {"is_success": success}

    def render(self) -> list[np.ndarray]:
        """One (height, width, 3) uint8 frame per environment: the video camera's, or blank with ``video`` off."""
        from isaaclab_mimic_tasks.rendering.video import VIDEO_CAMERA

        if not self.cfg.video:
            return [np.zeros((self.cfg.video_height, self.cfg.video_width, 3), np.uint8)] * self.num_envs
        camera = self.env.scene.sensors[VIDEO_CAMERA]
        camera.update(0.0)
        images = camera.data.output["rgb"].detach().cpu().numpy()[..., :3]
        return [np.ascontiguousarray(image, dtype=np.uint8) for image in images]

    def call(self, name: str, *args, **kwargs):
        """What LeRobot asks each sub-env for, one value per environment."""
        if name == "render":
            return self.render()
        return [self.get_attr(name)] * self.num_envs

    def get_attr(self, name: str):
        """``task_description`` / ``task`` (the task's instruction) and ``_max_episode_steps``."""
        values = {
            "task_description": self.instruction,
            "task": self.instruction,
            "_max_episode_steps": self.max_episode_steps,
        }
        if name not in values:
            raise AttributeError(name)
        return values[name]

    def close(self) -> None:
        self._stack.close()
