"""What a dataset holds: demos, lengths, actions, observations, annotation and masks; one demo's subtask ends."""

from __future__ import annotations

import os
from typing import Any

import h5py
import numpy as np

from isaaclab_mimic_tasks.errors import UserInputError

from .action_labels import file_action_labels
from .io import SUBTASK_ORDER_ATTR, dataset_task, demo_names, json_attr, open_dataset

SIGNALS_GROUP = "obs/datagen_info/subtask_term_signals"
"""Where an annotated demo keeps its subtask-end signals (one 0/1 dataset per signal, one row per step)."""


def _demo_length(demo: h5py.Group) -> int:
    """The ``num_samples`` of a demo, or its number of actions if the attribute is missing."""
    actions = demo.get("actions")
    fallback = actions.shape[0] if isinstance(actions, h5py.Dataset) and actions.ndim else 0
    return int(demo.attrs.get("num_samples", fallback))


def dataset_summary(path: str | os.PathLike) -> dict[str, Any]:
    """Summary of the dataset at ``path`` (plain Python values, JSON-serializable).

    Keys: ``path``, ``task``, ``format_version`` (None if the file has none: legacy WXYZ quaternions),
    ``num_demos``, ``total_samples``, ``demo_length`` (``min``, ``mean``, ``max``), ``action_dim``,
    ``action_labels`` (what every demo holds: ``executed``, and ``intended`` in generated demos), ``obs``
    (key -> per-step shape, of the first demo, without ``datagen_info``), ``datagen_info`` (bool),
    ``subtask_signals`` (names), ``subtask_order`` (per end effector, its signals in subtask order: what
    ``mimic-tasks annotate`` records, else the ``subtask_signals`` of ``mimic_generation``; None if neither is
    there), ``masks`` (name -> number of demos), ``num_success`` (demos whose ``success`` attribute is true),
    ``generation`` (the totals of ``mimic-tasks generate``, or None).
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
        generation = json_attr(data.attrs, "mimic_generation")  # written by `mimic-tasks generate`
        order = json_attr(data.attrs, SUBTASK_ORDER_ATTR)
        if not isinstance(order, dict) and isinstance(generation, dict):
            order = generation.get("subtask_signals")
        return {
            "generation": generation,
            "path": path,
            "task": dataset_task(f),
            "format_version": None if version is None else int(version),
            "num_demos": len(demos),
            "total_samples": sum(lengths),
            "demo_length": {"min": min(lengths), "mean": float(np.mean(lengths)), "max": max(lengths)},
            "action_dim": int(actions.shape[-1]) if isinstance(actions, h5py.Dataset) and actions.ndim == 2 else None,
            "action_labels": file_action_labels(f),
            "obs": obs_shapes,
            "datagen_info": len(annotated) == len(demos),
            "subtask_signals": signals,
            "subtask_order": order if isinstance(order, dict) and order else None,
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
        f"action labels:  {', '.join(s.get('action_labels') or []) or 'none'}",
        "observations:",
        *(f"  {key:24s} {tuple(shape)}" for key, shape in s["obs"].items()),
    ]
    order = s.get("subtask_order")
    if s["datagen_info"] and order:
        lines.append("datagen_info:   yes, subtask signals per end effector, in subtask order:")
        lines += [f"  {eef}: {_chain(signals)}" for eef, signals in order.items()]
    elif s["datagen_info"]:
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
        for eef, signals in (gen.get("subtask_signals") or {}).items():
            lines.append(f"  subtask signals of {eef}: {_chain(signals)}")
        by_eef = gen.get("failures_by_eef") or {}
        for eef, counts in by_eef.items() if len(by_eef) > 1 else ():
            lines.append(f"  end effector {eef}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return "\n".join(lines)


def _chain(signals: list[str]) -> str:
    """An end effector's subtask signals in order, then its last subtask, which has none."""
    return " -> ".join([*signals, "(last subtask: ends with the demo, no signal)"])


def demo_name(demo: str | int) -> str:
    """``demo_N`` for ``N`` or ``"N"``; other names as given."""
    text = str(demo).strip()
    return f"demo_{text}" if text.isdigit() else text


def _first_one(signal: h5py.Dataset) -> int | None:
    """The first step where ``signal`` is 1 (nonzero), or None if it never is."""
    ones = np.flatnonzero(np.asarray(signal[()]).reshape(len(signal), -1).any(axis=1))
    return int(ones[0]) if ones.size else None


def demo_subtask_ends(path: str | os.PathLike, demo: str | int) -> dict[str, Any]:
    """The subtask ends of one annotated demo of the dataset at ``path`` (``demo``: ``demo_N`` or ``N``).

    A subtask ends at the first step where its annotated signal (``obs/datagen_info/subtask_term_signals/<name>``)
    is 1. The order per end effector is the one ``mimic-tasks annotate`` records (:data:`SUBTASK_ORDER_ATTR`, the
    task's Mimic ``subtask_configs``); a file without it (annotated elsewhere) lists its signals by end frame under
    one end effector ``None``. Each end effector's last subtask has no signal: it ends with the demo.

    Returns:
        ``demo``, ``length`` (steps), ``success`` (its ``success`` attribute; None if it has none),
        ``order_recorded`` (bool) and ``end_effectors``: a list of ``{"name", "subtasks": [{"signal", "end"}]}``
        (``end``: a step, or None if the signal never is 1).

    Raises:
        UserInputError: the file cannot be read, it has no such demo, or the demo is not annotated.
    """
    path = os.fspath(path)
    name = demo_name(demo)
    with open_dataset(path) as f:
        names = demo_names(f)
        if name not in names:
            raise UserInputError(f"{path} has no {name}; it holds {len(names)} demos ({names[0]} .. {names[-1]})")
        group = f["data"][name]
        signals = group.get(SIGNALS_GROUP)
        if not isinstance(signals, h5py.Group) or not len(signals):
            raise UserInputError(
                f"{name} of {path} is not annotated (no {SIGNALS_GROUP}); annotate it with `mimic-tasks annotate`"
            )
        ends = {signal: _first_one(data) for signal, data in signals.items() if isinstance(data, h5py.Dataset)}
        order = json_attr(f["data"].attrs, SUBTASK_ORDER_ATTR)
        success = group.attrs.get("success")
        summary = {
            "demo": name,
            "length": _demo_length(group),
            "success": None if success is None else bool(np.all(success)),
            "order_recorded": isinstance(order, dict),
        }
    if not isinstance(order, dict):  # by end frame; signals that never rise last
        order = {None: sorted(ends, key=lambda signal: (ends[signal] is None, ends[signal] or 0, signal))}
    summary["end_effectors"] = [
        {"name": eef, "subtasks": [{"signal": signal, "end": ends.get(signal)} for signal in signal_names]}
        for eef, signal_names in order.items()
    ]
    return summary


def format_demo_subtask_ends(ends: dict[str, Any]) -> str:
    """Readable multi-line text of a :func:`demo_subtask_ends`."""
    success = {True: "yes", False: "no", None: "not recorded"}[ends["success"]]
    lines = [f"{ends['demo']}: {ends['length']} steps, success: {success}"]
    if not ends["order_recorded"]:
        lines.append("(the file does not record the subtask order: signals by end frame, end effectors not known)")
    lines.append("subtask end frames (the first frame, i.e. step, where its signal is 1):")
    for eef in ends["end_effectors"]:
        if eef["name"] is not None:
            lines.append(f"  {eef['name']}:")
        indent = "    " if eef["name"] is not None else "  "
        for subtask in eef["subtasks"]:
            end = "never (its signal is never 1)" if subtask["end"] is None else str(subtask["end"])
            lines.append(f"{indent}{subtask['signal']:12s} {end}")
        lines.append(f"{indent}{'(last)':12s} ends with the demo (no signal)")
    return "\n".join(lines)
