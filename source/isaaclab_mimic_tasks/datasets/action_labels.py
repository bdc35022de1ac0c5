"""Which action a policy learns from: the executed one (``actions``) or the intended one (``intended_actions``).

Isaac Lab Mimic adds Gaussian noise (each subtask config's ``action_noise``) to the action it asks for and executes
the noisy action, which is what Isaac Lab records as ``actions``. ``mimic-tasks generate`` also stores the
noise-free action of each step as ``intended_actions`` (same shape and steps). Recorded and annotated demos have
no injected noise and only ``actions``.
"""

from __future__ import annotations

import os

import h5py

from isaaclab_mimic_tasks.errors import UserInputError

from .io import demo_names, open_dataset

ACTION_LABELS = {"executed": "actions", "intended": "intended_actions"}
"""``--action_labels`` value -> the demo dataset holding those actions."""
INTENDED_ACTIONS_KEY = ACTION_LABELS["intended"]


def action_key(labels: str) -> str:
    """The demo dataset of ``labels`` (``executed`` or ``intended``)."""
    if labels not in ACTION_LABELS:
        raise UserInputError(f"unknown --action_labels '{labels}'; choose one of: {', '.join(ACTION_LABELS)}")
    return ACTION_LABELS[labels]


def demo_action_labels(demo: h5py.Group) -> list[str]:
    """The labels a demo holds (``executed`` always where it has ``actions``)."""
    return [label for label, key in ACTION_LABELS.items() if isinstance(demo.get(key), h5py.Dataset)]


def file_action_labels(f: h5py.File) -> list[str]:
    """The labels every demo of an open dataset holds."""
    data = f["data"]
    labels = list(ACTION_LABELS)
    for name in demo_names(f):
        held = demo_action_labels(data[name])
        labels = [label for label in labels if label in held]
    return labels


def check_action_labels(path: str | os.PathLike, labels: str) -> str:
    """The demo dataset of ``labels``; a one-line :class:`UserInputError` if a demo of ``path`` lacks it."""
    key = action_key(labels)
    with open_dataset(path) as f:
        held = file_action_labels(f)
    if labels not in held:
        raise UserInputError(
            f"{os.fspath(path)} has {' and '.join(held) or 'no'} actions only, no {labels} ones ('{key}' in every"
            " demo: `mimic-tasks generate` stores them); use --action_labels executed"
        )
    return key
