"""Making demonstrations: record (scripted expert or a person with a teleop device), replay, annotate (Mimic's
datagen_info), generate (Mimic).

Each step is a library function; ``mimic-tasks record|replay|annotate|generate|expert`` are thin commands
over them. Imports are lazy: ``import isaaclab_mimic_tasks.datagen`` loads no simulator.
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "record_dataset": ".record",
    "record_demos": ".record",
    "recording_env_cfg": ".record",
    "RecordStats": ".record",
    "record_teleop_dataset": ".teleop",
    "replay_dataset": ".replay",
    "replay_episodes": ".replay",
    "replay_env_cfg": ".replay",
    "select_demos": ".replay",
    "annotate_dataset": ".annotate",
    "annotation_problem": ".annotate",
    "subtask_order": ".annotate",
    "generate_dataset": ".generate",
    "GenerationStats": ".generate",
    "evaluate_expert": ".expert",
    "run_expert_episodes": ".expert",
    "EpisodeStats": ".expert",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_EXPORTS[name], __name__), name)
