"""What the Mimic environments of several tasks share."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch

INTENDED_ACTIONS_ATTR = "_mimic_intended_actions"
"""Attribute of a Mimic env: env id -> (intended, executed) action of its coming step, set by :func:`noisy_action`."""


def subtask_term_signals(env, env_ids: Sequence[int] | None = None) -> dict[str, torch.Tensor]:
    """The ``subtask_terms`` observations named by any end effector's subtask configs, name -> (len(env_ids),).

    What ``ManagerBasedRLMimicEnv.get_subtask_term_signals`` returns for a task whose signals are observation terms.
    """
    if env_ids is None:
        env_ids = slice(None)
    terms = env.obs_buf["subtask_terms"]
    return {
        subtask.subtask_term_signal: terms[subtask.subtask_term_signal][env_ids]
        for subtasks in env.cfg.subtask_configs.values()
        for subtask in subtasks
        if subtask.subtask_term_signal is not None
    }


def action_noise_generator(seed: int | None, env_id: int, device: str | torch.device = "cpu") -> torch.Generator:
    """The random stream of env ``env_id``'s action noise, seeded from the env's ``seed`` (None: 0).

    One stream per env, so the noise of a seeded generation can be drawn again (tests do) whatever the order in
    which the envs' Mimic coroutines ask for actions.
    """
    state = np.random.SeedSequence([0 if seed is None else int(seed), env_id]).generate_state(1, dtype=np.uint64)
    return torch.Generator(device=device).manual_seed(int(state[0] % (2**63)))


def draw_action_noise(generator: torch.Generator, noise_std: torch.Tensor) -> torch.Tensor:
    """One draw of action noise, (action_dim,): Gaussian of std ``noise_std`` per dim; always one full-size draw
    from ``generator`` (also where the std is 0), so every call advances the stream by the same amount."""
    return noise_std * torch.randn(noise_std.shape, generator=generator, device=generator.device).to(noise_std)


def noisy_action(
    env, env_id: int, intended: torch.Tensor, noise_std: torch.Tensor, clip: float | None = None
) -> torch.Tensor:
    """Remember ``intended`` (action_dim,) as env ``env_id``'s intended (noise-free) action of the coming step and
    return the executed action: ``intended`` plus Gaussian noise of std ``noise_std`` (per action dim, 0 = none),
    both clipped to [-clip, clip] when given.

    The noise comes from env ``env_id``'s own stream (:func:`action_noise_generator`, seeded from ``env.cfg.seed``).
    The generation recorder (``datagen.recorders.IntendedActionRecorder``) stores the intended action next to the
    executed one; a step whose executed action is not the one returned here is recorded as intended = executed.
    """
    generators = env.__dict__.setdefault("_mimic_action_noise_generators", {})
    if env_id not in generators:
        generators[env_id] = action_noise_generator(getattr(env.cfg, "seed", None), env_id, intended.device)
    executed = intended + draw_action_noise(generators[env_id], noise_std.to(intended))
    if clip is not None:
        intended, executed = intended.clamp(-clip, clip), executed.clamp(-clip, clip)
    env.__dict__.setdefault(INTENDED_ACTIONS_ATTR, {})[env_id] = (intended.detach().clone(), executed.detach().clone())
    return executed
