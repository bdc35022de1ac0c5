"""What the Mimic environments of several tasks share."""

from __future__ import annotations

from collections.abc import Sequence

import torch


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
