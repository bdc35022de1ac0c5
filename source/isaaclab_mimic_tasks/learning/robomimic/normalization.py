"""Action and observation normalization of robomimic training, from the train split, stored in the checkpoint.

Actions are mapped to [-1, 1] from the training split: robomimic's actors squash their output (or their GMM means)
with ``tanh``, so targets must lie in [-1, 1]. The default map is one symmetric factor for every dimension, so that
Isaac Lab's ``play.py`` can undo it with its ``--norm_factor_min/max``; per dimension is the alternative for
actions whose dimensions differ in scale (rotation deltas are ~10x smaller than position deltas).

Observations are standardized per dimension with the mean and standard deviation of the training split
(robomimic's formula), for every recorded observation key (robomimic's rollout policy normalizes every key it is
given, and Isaac Lab's ``play.py`` gives it the whole ``policy`` group): positions that vary by a few cm around
0.5 m otherwise barely move the network's input, and the policy learns to ignore where the object is.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from isaaclab_mimic_tasks.learning.normalization import NEAR_CONSTANT_STD

ACTION_NORMALIZATIONS = ("global", "per_dimension")
"""Kinds of :class:`ActionNormalization` (``mimic-tasks train --action_normalization``)."""


@dataclass
class ActionNormalization:
    """An affine map of actions to [-1, 1], ``(a - center) / half_range``, from the train split.

    ``per_dimension``: each dimension's own min and max. ``global`` (the default): one symmetric factor ``m``,
    the largest absolute value of the non-binary dimensions, for every dimension; binary dimensions (only -1 and
    +1, e.g. a gripper command, whose sign is all the env reads) are kept as they are. The global map is what
    Isaac Lab's ``robomimic/play.py`` undoes with ``--norm_factor_min -m --norm_factor_max m``.
    """

    minimum: np.ndarray
    maximum: np.ndarray
    kind: str = "per_dimension"
    binary: np.ndarray | None = None
    """Dimensions kept as they are when normalizing (``global`` only)."""

    @classmethod
    def from_actions(cls, actions: np.ndarray, kind: str = "global") -> ActionNormalization:
        """The normalization of ``actions`` (N, action_dim)."""
        if kind == "per_dimension":
            return cls(actions.min(axis=0).astype(np.float64), actions.max(axis=0).astype(np.float64), kind)
        if kind != "global":
            raise ValueError(f"unknown action normalization {kind!r}; choose one of {ACTION_NORMALIZATIONS}")
        binary = (np.abs(actions) == 1.0).all(axis=0)
        factor = float(np.abs(actions[:, ~binary]).max()) if (~binary).any() else 1.0
        factor = factor if factor > 1e-8 else 1.0
        full = np.full(actions.shape[1], factor, dtype=np.float64)
        return cls(-full, full, kind, binary)

    @classmethod
    def from_dict(cls, stats: dict) -> ActionNormalization:
        kind = "global" if stats.get("type") == "global" else "per_dimension"  # "min_max": earlier checkpoints
        binary = np.asarray(stats["binary"], dtype=bool) if stats.get("binary") is not None else None
        return cls(np.asarray(stats["min"], dtype=np.float64), np.asarray(stats["max"], dtype=np.float64), kind, binary)

    def to_dict(self) -> dict:
        """Plain lists (loads with ``torch.load(weights_only=True)``)."""
        stats = {"type": self.kind, "min": self.minimum.tolist(), "max": self.maximum.tolist()}
        if self.kind == "global":
            stats |= {
                "binary": self.binary.tolist(),
                **dict(zip(("norm_factor_min", "norm_factor_max"), self.norm_factors)),
            }
        return stats

    @property
    def norm_factors(self) -> tuple[float, float] | None:
        """``--norm_factor_min`` and ``--norm_factor_max`` of Isaac Lab's ``play.py`` (``global`` only)."""
        return (float(self.minimum[0]), float(self.maximum[0])) if self.kind == "global" else None

    @property
    def center(self) -> np.ndarray:
        return (self.maximum + self.minimum) / 2

    @property
    def half_range(self) -> np.ndarray:
        """Half the range; 1 for constant dimensions (they map to 0)."""
        half = (self.maximum - self.minimum) / 2
        return np.where(half > 1e-8, half, 1.0)

    def normalize(self, actions):
        """Dataset actions (numpy, any leading shape) to [-1, 1]."""
        normalized = (actions - self.center) / self.half_range
        if self.binary is not None:
            normalized[..., self.binary] = actions[..., self.binary]
        return normalized.astype(actions.dtype)

    def denormalize(self, actions: torch.Tensor) -> torch.Tensor:
        """Policy outputs (torch, any leading shape) back to env actions (what ``play.py`` computes for ``global``)."""
        center = torch.as_tensor(self.center, dtype=actions.dtype, device=actions.device)
        half = torch.as_tensor(self.half_range, dtype=actions.dtype, device=actions.device)
        return actions * half + center


class NormalizedDataset(torch.utils.data.Dataset):
    """A robomimic ``SequenceDataset`` whose samples have normalized ``actions`` and/or observations.

    With ``action_key`` other than ``actions`` (e.g. ``intended_actions``, which must be among the dataset's
    ``dataset_keys``), that dataset is what the samples' ``actions`` hold: the label trained on, normalized.
    """

    def __init__(
        self, dataset, actions: ActionNormalization | None, obs_stats: dict | None, action_key: str = "actions"
    ):
        self.dataset = dataset
        self.actions = actions
        self.obs_stats = obs_stats
        self.action_key = action_key

    def __len__(self) -> int:
        return len(self.dataset)

    def __getitem__(self, index: int) -> dict:
        item = dict(self.dataset[index])
        if self.action_key != "actions":
            item["actions"] = item.pop(self.action_key)
        if self.actions is not None:
            item["actions"] = self.actions.normalize(item["actions"])
        for group in ("obs", "next_obs") if self.obs_stats is not None else ():
            if item.get(group) is not None:
                item[group] = {
                    key: (value - self.obs_stats[key]["mean"]) / self.obs_stats[key]["std"]
                    if key in self.obs_stats
                    else value
                    for key, value in item[group].items()
                }
        return item

    def get_dataset_sampler(self):
        return self.dataset.get_dataset_sampler()


def action_normalization(
    dataset: str, demos: list[str], kind: str = "global", action_key: str = "actions"
) -> ActionNormalization:
    """The :class:`ActionNormalization` of kind ``kind`` of the actions of ``demos`` (their ``action_key``
    dataset: the label trained on)."""
    import h5py

    with h5py.File(dataset, "r") as f:
        actions = np.concatenate([f[f"data/{d}/{action_key}"][()] for d in demos])
    return ActionNormalization.from_actions(actions, kind)


def recorded_obs_keys(dataset: str, demo: str) -> list[str]:
    """The low-dimensional observation keys recorded for ``demo`` (``obs/*`` arrays of shape (T, D); Mimic's
    ``datagen_info`` group left out): what the env's ``policy`` group holds."""
    import h5py

    with h5py.File(dataset, "r") as f:
        obs = f[f"data/{demo}/obs"]
        return sorted(key for key, item in obs.items() if isinstance(item, h5py.Dataset) and item.ndim == 2)


def obs_normalization(dataset: str, demos: list[str], obs_keys: list[str]) -> dict[str, dict[str, np.ndarray]]:
    """Mean and standard deviation of each observation of ``demos``, per dimension, as robomimic stores them
    (``{key: {"mean": (1, D), "std": (1, D)}}``, with robomimic's 1e-3 added to the std; 1 for a dimension whose
    std is below :data:`NEAR_CONSTANT_STD`)."""
    import h5py

    stats = {}
    with h5py.File(dataset, "r") as f:
        for key in obs_keys:
            values = np.concatenate([f[f"data/{d}/obs/{key}"][()] for d in demos]).astype(np.float64)
            values = values.reshape(len(values), -1)
            std = values.std(axis=0, keepdims=True)
            stats[key] = {
                "mean": values.mean(axis=0, keepdims=True).astype(np.float32),
                "std": np.where(std < NEAR_CONSTANT_STD, 1.0, std + 1e-3).astype(np.float32),
            }
    return stats
