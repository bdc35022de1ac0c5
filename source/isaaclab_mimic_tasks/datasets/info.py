"""What a dataset holds: demos, lengths, actions, observations, annotation and masks."""

from __future__ import annotations

import json
import os
from typing import Any

import h5py
import numpy as np

from .io import dataset_task, demo_names, open_dataset


def _demo_length(demo: h5py.Group) -> int:
    """The ``num_samples`` of a demo, or its number of actions if the attribute is missing."""
    actions = demo.get("actions")
    fallback = actions.shape[0] if isinstance(actions, h5py.Dataset) and actions.ndim else 0
    return int(demo.attrs.get("num_samples", fallback))


def dataset_summary(path: str | os.PathLike) -> dict[str, Any]:
    """Summary of the dataset at ``path`` (plain Python values, JSON-serializable).

    Keys: ``path``, ``task``, ``format_version`` (None if the file has none: legacy WXYZ quaternions),
    ``num_demos``, ``total_samples``, ``demo_length`` (``min``, ``mean``, ``max``), ``action_dim``, ``obs``
    (key -> per-step shape, of the first demo, without ``datagen_info``), ``datagen_info`` (bool),
    ``subtask_signals`` (names), ``masks`` (name -> number of demos), ``num_success`` (demos whose
    ``success`` attribute is true), ``generation`` (the totals of ``mimic-tasks generate``, or None).
    """
    path = os.fspath(path)
    with open_dataset(path) as f:
        data = f["data"]
        demos = demo_names(f)
        lengths = [_demo_length(data[n]) for n in demos]
        first = data[demos[0]]
        actions = first.get("actions")
        obs = first.get("obs")
        obs_shapes = {}
        if isinstance(obs, h5py.Group):
            obs_shapes = {k: list(v.shape[1:]) for k, v in obs.items() if isinstance(v, h5py.Dataset)}
        annotated = [n for n in demos if isinstance(data[n].get("obs/datagen_info"), h5py.Group)]
        signals: list[str] = []
        if annotated:
            group = data[annotated[0]].get("obs/datagen_info/subtask_term_signals")
            signals = list(group.keys()) if isinstance(group, h5py.Group) else []
        masks = {}
        if isinstance(f.get("mask"), h5py.Group):
            masks = {k: int(np.atleast_1d(v[()]).size) for k, v in f["mask"].items() if isinstance(v, h5py.Dataset)}
        version = f.attrs.get("format_version")
        generation = data.attrs.get("mimic_generation")  # written by `mimic-tasks generate`
        return {
            "generation": json.loads(generation) if generation is not None else None,
            "path": path,
            "task": dataset_task(f),
            "format_version": None if version is None else int(version),
            "num_demos": len(demos),
            "total_samples": sum(lengths),
            "demo_length": {"min": min(lengths), "mean": float(np.mean(lengths)), "max": max(lengths)},
            "action_dim": int(actions.shape[-1]) if isinstance(actions, h5py.Dataset) and actions.ndim == 2 else None,
            "obs": obs_shapes,
            "datagen_info": len(annotated) == len(demos),
            "subtask_signals": signals,
            "masks": masks,
            "num_success": sum(bool(np.all(data[n].attrs.get("success", False))) for n in demos),
        }


def format_summary(summary: dict[str, Any]) -> str:
    """Readable multi-line text of a :func:`dataset_summary`."""
    s = summary
    length = s["demo_length"]
    version = s["format_version"]
    if version is None:
        version_text = "none (legacy: quaternions wxyz)"
    else:
        version_text = f"{version} (quaternions xyzw)" if version >= 1 else str(version)
    lines = [
        f"dataset:        {s['path']}",
        f"task:           {s['task'] or '(not recorded)'}",
        f"format version: {version_text}",
        f"demos:          {s['num_demos']} ({s['num_success']} marked successful)",
        f"samples:        {s['total_samples']}"
        f" (per demo: min {length['min']}, mean {length['mean']:.1f}, max {length['max']})",
        f"action dim:     {s['action_dim']}",
        "observations:",
        *(f"  {key:24s} {tuple(shape)}" for key, shape in s["obs"].items()),
    ]
    if s["datagen_info"]:
        lines.append(f"datagen_info:   yes, subtask signals: {', '.join(s['subtask_signals']) or 'none'}")
    else:
        lines.append("datagen_info:   no (not annotated: `mimic-tasks annotate`)")
    if s["masks"]:
        lines.append("masks:          " + ", ".join(f"{k} ({n} demos)" for k, n in s["masks"].items()))
    else:
        lines.append("masks:          none (`mimic-tasks split`)")
    gen = s.get("generation")
    if gen:
        failures = ", ".join(f"{k} {v}" for k, v in gen["failures_by_subtask"].items()) or "none"
        lines.append(
            f"generation:     {gen['demos']}/{gen['attempts']} attempts kept in {gen['runs']} run(s), "
            f"{60 * gen['demos'] / max(gen['seconds'], 1e-9):.1f} demos/min; failures by subtask: {failures}"
        )
        by_eef = gen.get("failures_by_eef") or {}
        for eef, counts in by_eef.items() if len(by_eef) > 1 else ():
            lines.append(f"  end effector {eef}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return "\n".join(lines)
