"""Filtering a dataset: the demos that meet every criterion given, in a new file, each byte-identical to its
original, with where it came from.

The selected demos are renumbered ``demo_0`` ... and keep every dataset and attribute of their original (copied by
HDF5), plus ``filtered_from`` (JSON: the source file and the demo's name there). The masks are carried over,
restricted to the selected demos and renamed with them; the ``data`` attributes (``env_args``, the generation
totals) are kept, and ``total`` counts the selected samples.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass

import h5py
import numpy as np

from isaaclab_mimic_tasks.errors import UserInputError

from .io import SOURCE_DEMOS_ATTR, atomic_output, demo_names, json_attr, mask_names, open_dataset

FILTERED_FROM_ATTR = "filtered_from"


@dataclass
class DemoFilter:
    """What a demo must be to be kept; None: any."""

    success: bool | None = None
    """The demo's ``success`` attribute."""
    min_length: int | None = None
    max_length: int | None = None
    """Bounds (inclusive) on the demo's steps."""
    source_demo: str | None = None
    """A source demo Mimic used for one of the demo's subtasks (``mimic_source_demos``; generated files only)."""
    mask: str | None = None
    """A mask of the file (``train``, ``valid``, ...) that lists the demo."""


def _source_demos(demo: h5py.Group) -> set[str] | None:
    per_eef = json_attr(demo.attrs, SOURCE_DEMOS_ATTR)
    if not isinstance(per_eef, dict):
        return None
    return {name for names in per_eef.values() for name in names}


def select_demos(f: h5py.File, path: str, keep: DemoFilter) -> list[str]:
    """The demos of the open dataset ``f`` that meet ``keep``, in order; clear errors for a criterion the file
    cannot answer (an unknown mask, source demos of a file that was not generated)."""
    names = demo_names(f)
    if keep.mask is not None:
        if f"mask/{keep.mask}" not in f:
            known = ", ".join(sorted(f["mask"])) if "mask" in f else "none"
            raise UserInputError(f"{path} has no mask '{keep.mask}' (its masks: {known})")
        listed = set(mask_names(f[f"mask/{keep.mask}"]))
        names = [n for n in names if n in listed]
    selected = []
    for name in names:
        demo = f[f"data/{name}"]
        length = int(demo.attrs.get("num_samples", len(demo["actions"]) if "actions" in demo else 0))
        if keep.success is not None and bool(demo.attrs.get("success", False)) != keep.success:
            continue
        if keep.min_length is not None and length < keep.min_length:
            continue
        if keep.max_length is not None and length > keep.max_length:
            continue
        if keep.source_demo is not None:
            sources = _source_demos(demo)
            if sources is None:
                raise UserInputError(
                    f"{path}/{name} does not say which source demos it was generated from"
                    f" ({SOURCE_DEMOS_ATTR}); --source_demo works on files written by `mimic-tasks generate`"
                )
            if keep.source_demo not in sources:
                continue
        selected.append(name)
    return selected


def filter_dataset(input_file: str | os.PathLike, output: str | os.PathLike, keep: DemoFilter) -> list[str]:
    """Write the demos of ``input_file`` that meet ``keep`` into ``output`` (a new file, written atomically).

    Returns the names (in the input) of the demos written. Raises :class:`UserInputError` for a bad input, an
    existing output, or a filter no demo meets; then nothing is written.
    """
    input_file, output = os.fspath(input_file), os.fspath(output)
    if os.path.exists(output):
        raise UserInputError(f"{output} exists; filter writes a new file: choose another output or move it away")
    if os.path.abspath(input_file) == os.path.abspath(output):
        raise UserInputError(f"{output} is also the input; filter writes a new file")
    for bound in (keep.min_length, keep.max_length):
        if bound is not None and bound < 0:
            raise UserInputError(f"--min_length and --max_length must be at least 0, got {bound}")
    with open_dataset(input_file) as f:
        selected = select_demos(f, input_file, keep)
        if not selected:
            raise UserInputError(f"no demo of {input_file} meets the filter; nothing written")
        renamed = {name: f"demo_{i}" for i, name in enumerate(selected)}
        os.makedirs(os.path.dirname(os.path.abspath(output)), exist_ok=True)
        with atomic_output(output) as tmp, h5py.File(tmp, "w") as out:
            for key, value in f.attrs.items():
                out.attrs[key] = value
            data = out.create_group("data")
            for key, value in f["data"].attrs.items():
                data.attrs[key] = value
            for name, target in renamed.items():
                f.copy(f[f"data/{name}"], data, name=target)
                data[target].attrs[FILTERED_FROM_ATTR] = json.dumps({"file": os.path.abspath(input_file), "demo": name})
            data.attrs["total"] = sum(int(data[name].attrs.get("num_samples", 0)) for name in renamed.values())
            for key in f["mask"] if "mask" in f else []:
                out[f"mask/{key}"] = np.array(
                    [renamed[n] for n in mask_names(f[f"mask/{key}"]) if n in renamed], dtype="S"
                )
    return selected
