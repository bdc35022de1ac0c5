"""Checking a dataset before it is used, with one human line per problem."""

from __future__ import annotations

import os
from collections.abc import Sequence

import h5py
import numpy as np

from isaaclab_mimic_tasks.errors import UserInputError

from .action_labels import INTENDED_ACTIONS_KEY
from .io import demo_names, mask_names, open_dataset

DATAGEN_INFO_KEYS = ("eef_pose", "object_pose", "target_eef_pose", "subtask_term_signals")
"""The groups of ``obs/datagen_info`` that Isaac Lab Mimic's annotation writes and its generator reads."""

MASKS = ("train", "valid")
"""The filter keys ``mimic-tasks split`` writes and robomimic's training reads."""


def _datasets(group: h5py.Group) -> dict[str, h5py.Dataset]:
    """All datasets below ``group`` (recursively), by path relative to it."""
    found: dict[str, h5py.Dataset] = {}
    group.visititems(lambda name, item: found.__setitem__(name, item) if isinstance(item, h5py.Dataset) else None)
    return found


def _demo_problems(path: str, name: str, demo: h5py.Group) -> list[str]:
    """Problems of one demo: its actions (and intended actions), ``num_samples`` and observation lengths."""
    actions = demo.get("actions")
    if not isinstance(actions, h5py.Dataset):
        return [f"{path}: {name} has no 'actions' dataset; record the demo again"]
    problems = []
    if actions.ndim != 2 or not np.issubdtype(actions.dtype, np.floating):
        problems.append(
            f"{path}: {name}/actions has shape {actions.shape} and dtype {actions.dtype};"
            " expected (T, action_dim) floats"
        )
    elif not np.isfinite(actions[()]).all():
        problems.append(f"{path}: {name}/actions holds NaN or Inf values; drop the demo or record it again")
    intended = demo.get(INTENDED_ACTIONS_KEY)
    if intended is not None and (intended.shape != actions.shape or not np.isfinite(intended[()]).all()):
        problems.append(
            f"{path}: {name}/{INTENDED_ACTIONS_KEY} is not finite or has shape {intended.shape}, not that of"
            f" actions {actions.shape}; drop the demo or generate it again"
        )
    length = actions.shape[0] if actions.ndim else 0
    num_samples = demo.attrs.get("num_samples")
    if num_samples is None:
        problems.append(f"{path}: {name} has no 'num_samples' attribute (expected {length}, the number of actions)")
    elif int(num_samples) != length:
        problems.append(f"{path}: {name} has num_samples={int(num_samples)} but {length} actions")
    obs = demo.get("obs")
    if isinstance(obs, h5py.Group):
        for key, item in _datasets(obs).items():
            if item.ndim == 0 or item.shape[0] != length:
                steps = item.shape[0] if item.ndim else 0
                problems.append(f"{path}: {name}/obs/{key} has {steps} steps but {length} actions")
    return problems


def _mask_problems(path: str, f: h5py.File, demos: list[str]) -> list[str]:
    """Problems of ``mask/train`` and ``mask/valid``."""
    fix = f"run `mimic-tasks split --dataset {path}`"
    masks: dict[str, list[str]] = {}
    for key in MASKS:
        item = f.get(f"mask/{key}")
        if not isinstance(item, h5py.Dataset):
            return [f"{path} has no mask/{key}; {fix}"]
        masks[key] = mask_names(item)
    problems = []
    known = set(demos)
    for key, names in masks.items():
        unknown = [n for n in names if n not in known]
        if unknown:
            problems.append(
                f"{path}: mask/{key} names {len(unknown)} demos that do not exist ({', '.join(unknown[:5])}); {fix}"
            )
    overlap = sorted(set(masks["train"]) & set(masks["valid"]))
    if overlap:
        problems.append(
            f"{path}: mask/train and mask/valid share {len(overlap)} demos ({', '.join(overlap[:5])}); {fix}"
        )
    if not masks["train"]:
        problems.append(f"{path}: mask/train is empty; {fix} with a smaller --ratio")
    return problems


def find_problems(
    path: str | os.PathLike,
    task: str | None = None,
    require_datagen_info: bool = False,
    require_masks: bool = False,
    obs_keys: Sequence[str] | None = None,
) -> list[str]:
    """What is wrong with the dataset at ``path``, one human line per problem (empty if nothing).

    Always checked: the file opens as a dataset of ``task``'s family (if given), every demo has finite 2-D
    float ``actions``, ``num_samples`` equal to their number, observations of that length, and
    ``data.attrs["total"]`` (if present) is the sum of ``num_samples``.

    Args:
        path: The HDF5 dataset.
        task: If given, the dataset must have been recorded on this task or a Mimic/Play variant of it.
        require_datagen_info: Every demo must be annotated (``obs/datagen_info/...``), as Mimic needs.
        require_masks: ``mask/train`` and ``mask/valid`` must exist and be a valid split, as training needs.
        obs_keys: Observations (``obs/<key>``) every demo must have, e.g. those of a policy config.
    """
    path = os.fspath(path)
    try:
        with open_dataset(path, task) as f:
            demos = demo_names(f)
            problems: list[str] = []
            total = 0
            for name in demos:
                demo = f["data"][name]
                problems += _demo_problems(path, name, demo)
                total += int(demo.attrs.get("num_samples", 0))
            recorded_total = f["data"].attrs.get("total")
            if recorded_total is not None and int(recorded_total) != total:
                problems.append(
                    f"{path}: data.attrs['total'] is {int(recorded_total)} but the demos hold {total} samples"
                )
            if require_datagen_info:
                lacking = [
                    n for n in demos if any(f"obs/datagen_info/{k}" not in f["data"][n] for k in DATAGEN_INFO_KEYS)
                ]
                if lacking:
                    fix = f"`mimic-tasks annotate --auto --input_file {path} --output_file ANNOTATED.hdf5`"
                    if len(lacking) == len(demos):
                        problems.append(f"{path} has no obs/datagen_info: annotate it first with {fix}")
                    else:
                        problems.append(
                            f"{path}: {len(lacking)} demos ({', '.join(lacking[:5])}) have no complete obs/datagen_info"
                            f" ({', '.join(DATAGEN_INFO_KEYS)}): annotate the dataset again with {fix}"
                        )
            if require_masks:
                problems += _mask_problems(path, f, demos)
            if obs_keys:
                missing = [k for k in obs_keys if any(f"obs/{k}" not in f["data"][n] for n in demos)]
                if missing:
                    obs = f["data"][demos[0]].get("obs")
                    have = sorted(k for k in obs if k != "datagen_info") if isinstance(obs, h5py.Group) else []
                    problems.append(
                        f"{path}: observation keys missing: {', '.join(missing)};"
                        f" the dataset has: {', '.join(have) or 'none'}"
                    )
            return problems
    except UserInputError as error:
        return [str(error)]


def check_dataset(path: str | os.PathLike, **kwargs) -> None:
    """Raise :class:`UserInputError` with the first problem :func:`find_problems` finds (same arguments)."""
    problems = find_problems(path, **kwargs)
    if problems:
        more = f" ({len(problems) - 1} more: run `mimic-tasks validate {os.fspath(path)}`)" if len(problems) > 1 else ""
        raise UserInputError(problems[0] + more)
