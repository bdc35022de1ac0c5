"""A recorded episode as a video: a 1-env scene set to each recorded state and rendered, without physics.

The dataset side (which task, which demo, whether it has states) is
:func:`isaaclab_mimic_tasks.datasets.demo_video.render_demo`, which loads the episode and calls
:func:`render_episode`.
"""

from __future__ import annotations

import os

from .video import VideoRecorder, enable_video


def render_episode(
    task: str,
    episode,
    out_path: str | os.PathLike,
    max_frames: int | None = None,
    stride: int = 1,
    width: int = 320,
    height: int = 240,
    fps: float | None = None,
) -> str:
    """Write a video of ``episode`` (Isaac Lab's ``EpisodeData`` with ``initial_state`` and ``states``): the recorded
    states, one frame each; returns the path.

    The scene of a 1-env ``task`` is set to the initial state and then to each state (relative to the env origin,
    as Isaac Lab's recorder writes them) and rendered; no physics step is taken, so the video shows exactly what was
    recorded. ``stride`` keeps every ``stride``-th state (a time lapse at the same ``fps``); ``max_frames`` stops
    after that many frames. The default ``fps`` is the control rate divided by ``stride`` (real time). The path is
    ``out_path``, or its ``.gif`` twin without ffmpeg.
    """
    import torch

    from isaaclab_mimic_tasks.envs import load_env_cfg, open_env
    from isaaclab_mimic_tasks.errors import UserInputError

    if stride < 1 or (max_frames is not None and max_frames < 1):
        raise UserInputError(f"stride ({stride}) and max_frames ({max_frames}) must be at least 1")
    num_states = len(next(_leaves(episode.data["states"])))
    indices = [None] + list(range(num_states))  # None: the initial state
    indices = indices[::stride]
    if max_frames is not None:
        indices = indices[:max_frames]

    env_cfg = enable_video(load_env_cfg(task, num_envs=1), width, height)
    env_cfg.recorders = None
    with open_env(task, num_envs=1, seed=0, env_cfg=env_cfg) as env:  # states are set, not simulated
        env_ids = torch.tensor([0], device=env.device)
        with VideoRecorder(env, out_path, fps=fps or 1.0 / (env.step_dt * stride)) as recorder:
            for index in indices:
                state = episode.get_initial_state() if index is None else episode.get_state(index)
                env.scene.reset_to(_to_device(state, env.device), env_ids, is_relative=True)
                env.sim.forward()  # link poses from the joint positions
                recorder.capture()
        return recorder.path


def _leaves(tree):
    """The tensors of a nested dict."""
    for value in tree.values():
        if isinstance(value, dict):
            yield from _leaves(value)
        else:
            yield value


def _to_device(tree, device):
    return {k: _to_device(v, device) if isinstance(v, dict) else v.to(device) for k, v in tree.items()}
