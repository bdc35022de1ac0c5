"""Train/validation split of a dataset, stored as robomimic filter keys (``mask/train``, ``mask/valid``)."""

from __future__ import annotations

import math
import os
import shutil

import h5py
import numpy as np

from isaaclab_mimic_tasks.errors import UserInputError

from .io import _natural_key, _one_line, atomic_output, demo_names, mask_names, open_dataset
from .validate import check_dataset


def _num_valid(num_demos: int, ratio: float) -> int:
    """Validation demos for ``ratio`` of ``num_demos`` (rounded half up), keeping at least one training demo."""
    return max(0, min(math.floor(ratio * num_demos + 0.5), num_demos - 1))


def split_train_valid(
    path: str | os.PathLike, ratio: float = 0.1, seed: int = 0, filter_key: str | None = None
) -> dict[str, list[str]]:
    """Write ``mask/train`` and ``mask/valid`` into the dataset at ``path``, like robomimic's ``split_train_val.py``.

    The masks are arrays of demo names as byte strings, which robomimic reads with ``filter_by_attribute`` /
    ``hdf5_filter_key``. With ``filter_key``, only the demos of ``mask/<filter_key>`` are split, into
    ``mask/<filter_key>_train`` and ``mask/<filter_key>_valid``. Masks of the same names are replaced, so a
    split with the same seed is reproducible. The dataset is checked first and rewritten atomically (a copy
    beside it gets the masks, then replaces it), so it is never left damaged.

    Args:
        path: The HDF5 dataset.
        ratio: Fraction of the demos for validation, in [0, 1); rounded to whole demos, at least one stays
            for training.
        seed: Seed of the shuffle.
        filter_key: Split only the demos of this existing mask.

    Returns:
        The demo names of each written mask, by mask name (e.g. ``{"train": [...], "valid": [...]}``).
    """
    path = os.fspath(path)
    if not 0.0 <= ratio < 1.0:
        raise UserInputError(f"--ratio must be in [0, 1) (the fraction of demos for validation), got {ratio}")
    check_dataset(path)
    with open_dataset(path) as f:
        if filter_key is None:
            demos = demo_names(f)
        else:
            mask = f.get(f"mask/{filter_key}")
            if not isinstance(mask, h5py.Dataset):
                known = ", ".join(f["mask"].keys()) if isinstance(f.get("mask"), h5py.Group) else "none"
                raise UserInputError(f"{path} has no mask/{filter_key} to split; its masks: {known}")
            names = set(mask_names(mask))
            demos = sorted(names, key=_natural_key)
            missing = [n for n in demos if n not in f["data"]]
            if missing:
                raise UserInputError(
                    f"{path}: mask/{filter_key} names demos that do not exist ({', '.join(missing[:5])})"
                )
    order = np.random.default_rng(seed).permutation(len(demos))
    num_valid = _num_valid(len(demos), ratio)
    valid = sorted((demos[i] for i in order[:num_valid]), key=_natural_key)
    train = sorted((demos[i] for i in order[num_valid:]), key=_natural_key)
    prefix = f"{filter_key}_" if filter_key else ""
    masks = {f"{prefix}train": train, f"{prefix}valid": valid}
    try:
        with atomic_output(path) as tmp:
            shutil.copyfile(path, tmp)
            shutil.copymode(path, tmp)
            with h5py.File(tmp, "a") as out:
                for name, names in masks.items():
                    if f"mask/{name}" in out:
                        del out[f"mask/{name}"]
                    out[f"mask/{name}"] = np.array(names, dtype="S")
    except OSError as error:
        raise UserInputError(
            f"could not write the masks into {path} ({_one_line(error)}); check that its folder is writable and"
            " has free space"
        ) from None
    return masks
