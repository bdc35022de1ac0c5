"""Merging datasets: the demos of several files in one, renumbered, each byte-identical to its original, with
where it came from.

Each merged demo keeps every dataset and attribute of its original (copied by HDF5, not re-encoded) and gets
one more attribute, ``merged_from`` (JSON: the source file, the demo's name there, and what the caller adds,
e.g. the shard and seed of a distributed generation). Masks are not carried over (demo names change): split
the merged file again.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence

import h5py

from isaaclab_mimic_tasks.errors import UserInputError

from .io import atomic_output, dataset_task, demo_names, open_dataset

MERGED_FROM_ATTR = "merged_from"


def merge_datasets(
    inputs: Sequence[str | os.PathLike],
    output: str | os.PathLike,
    provenance: Sequence[dict] | None = None,
    data_attrs: dict | None = None,
    overwrite: bool = False,
) -> int:
    """Write the demos of ``inputs``, in order, into ``output`` as ``demo_0`` ... ``demo_{N-1}``.

    Args:
        inputs: Datasets of one task (Isaac Lab's layout); each must hold demos.
        output: The merged file; it must not exist unless ``overwrite``. Written atomically.
        provenance: Per input, extra fields for its demos' ``merged_from`` attribute.
        data_attrs: Attributes of the output's ``data`` group, on top of the first input's ``env_args``.

    Returns:
        The number of demos written.
    """
    output = os.fspath(output)
    if not inputs:
        raise UserInputError("nothing to merge: pass at least one dataset")
    if provenance is not None and len(provenance) != len(inputs):
        raise ValueError("provenance needs one entry per input")
    if os.path.exists(output) and not overwrite:
        raise UserInputError(f"{output} exists; merge writes a new file: choose another output or move it away")
    if any(os.path.abspath(os.fspath(path)) == os.path.abspath(output) for path in inputs):
        raise UserInputError(f"{output} is also an input; merge writes a new file")
    tasks = {}
    for path in inputs:
        with open_dataset(path) as f:  # a clear error for a missing, non-HDF5, empty or damaged input
            tasks[os.fspath(path)] = dataset_task(f)
    if len(set(tasks.values())) > 1:
        listed = ", ".join(f"{os.path.basename(p)}: {t or 'unknown'}" for p, t in tasks.items())
        raise UserInputError(f"cannot merge demos of different tasks ({listed})")
    os.makedirs(os.path.dirname(os.path.abspath(output)), exist_ok=True)
    count = 0
    with atomic_output(output) as tmp, h5py.File(tmp, "w") as out:
        data = out.create_group("data")
        for index, path in enumerate(inputs):
            with h5py.File(path, "r") as f:
                if index == 0 and "env_args" in f["data"].attrs:
                    data.attrs["env_args"] = f["data"].attrs["env_args"]
                for name in demo_names(f):
                    target = f"demo_{count}"
                    f.copy(f[f"data/{name}"], data, name=target)
                    extra = provenance[index] if provenance is not None else {}
                    origin = {"file": os.path.abspath(os.fspath(path)), "demo": name, **extra}
                    data[target].attrs[MERGED_FROM_ATTR] = json.dumps(origin)
                    count += 1
        data.attrs["total"] = sum(int(data[name].attrs.get("num_samples", 0)) for name in data)
        for key, value in (data_attrs or {}).items():
            data.attrs[key] = value
    return count
