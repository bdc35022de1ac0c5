"""Opening Isaac Lab / robomimic HDF5 datasets with clear errors, and writing files atomically.

The layout is the one :class:`isaaclab.utils.datasets.HDF5DatasetFileHandler` writes and robomimic reads:
``data`` (attrs ``env_args`` JSON, ``total``), ``data/demo_N`` (attrs ``num_samples``, ``success``; datasets
``actions``, ``obs/*``, ...) and, after a split, ``mask/<name>`` arrays of demo names.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from collections.abc import Iterator

import h5py
import numpy as np

from isaaclab_mimic_tasks.errors import UserInputError

SOURCE_DEMOS_ATTR = "mimic_source_demos"
"""Attribute of a generated demo: the source demo Mimic used for each subtask, per end effector (JSON)."""

SUBTASK_ORDER_ATTR = "mimic_subtask_order"
"""Attribute of ``data`` in an annotated dataset: per end effector, its subtask-end signals in order (JSON; the last
subtask of each has none: it ends with the demo). Written by ``mimic-tasks annotate``."""


def _one_line(error: BaseException) -> str:
    """The message of ``error`` on one line."""
    return " ".join(str(error).split()) or type(error).__name__


def _natural_key(name: str) -> tuple:
    """Sort key that orders ``demo_2`` before ``demo_10``."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name))


def demo_names(f: h5py.File) -> list[str]:
    """The demo groups under ``data``, sorted numerically (``demo_2`` before ``demo_10``)."""
    data = f.get("data")
    if not isinstance(data, h5py.Group):
        return []
    return sorted((name for name, item in data.items() if isinstance(item, h5py.Group)), key=_natural_key)


def mask_names(mask: h5py.Dataset) -> list[str]:
    """The demo names a ``mask/<key>`` dataset holds (byte strings, as robomimic writes them), as ``str``."""
    return [n.decode() if isinstance(n, bytes) else str(n) for n in np.atleast_1d(mask[()])]


def json_attr(attrs, key: str):
    """The JSON attribute ``key`` of an HDF5 object's ``attrs``, parsed; None if missing or not JSON."""
    raw = attrs.get(key)
    if raw is None:
        return None
    try:
        return json.loads(raw.decode() if isinstance(raw, bytes) else str(raw))
    except (ValueError, UnicodeDecodeError):
        return None


def dataset_task(f: h5py.File) -> str:
    """The task (``env_name`` of ``data.attrs["env_args"]``) the dataset was recorded on; "" if unknown."""
    data = f.get("data")
    env_args = json_attr(data.attrs, "env_args") if isinstance(data, h5py.Group) else None
    return str(env_args.get("env_name", "") or "") if isinstance(env_args, dict) else ""


@contextlib.contextmanager
def open_dataset(path: str | os.PathLike, task: str | None = None) -> Iterator[h5py.File]:
    """Open an Isaac Lab / robomimic dataset read-only; yields the :class:`h5py.File`.

    Raises :class:`UserInputError` (one line: what is wrong and how to fix it) if the file is missing, is
    not HDF5, is truncated or corrupt (also when reading it inside the ``with`` block fails), has no
    ``data`` group or no demos, or was recorded on a task of another family than ``task``.
    """
    path = os.fspath(path)
    if not os.path.isfile(path):
        what = "is a folder, not a file" if os.path.isdir(path) else "does not exist"
        raise UserInputError(
            f"{path} {what}; pass the path of an .hdf5 dataset (e.g. one written by `mimic-tasks record`)"
        )
    try:
        is_hdf5 = h5py.is_hdf5(path)
    except OSError as error:
        raise UserInputError(f"cannot read {path} ({_one_line(error)}); check its permissions") from None
    if not is_hdf5:
        raise UserInputError(f"{path} is not an HDF5 file; pass an .hdf5 dataset written by Isaac Lab's recorder")
    try:
        f = h5py.File(path, "r")
    except OSError as error:
        raise UserInputError(
            f"{path} is truncated or corrupt ({_one_line(error)}); record it again or restore a complete copy"
        ) from None
    try:
        if not isinstance(f.get("data"), h5py.Group):
            raise UserInputError(
                f"{path} has no 'data' group, so it is not an Isaac Lab / robomimic dataset; pass a file written by"
                " `mimic-tasks record` or Isaac Lab's recorder"
            )
        if not demo_names(f):
            raise UserInputError(f"{path} holds no demos (data/demo_N); record some first with `mimic-tasks record`")
        if task:
            from isaaclab_mimic_tasks.envs import check_same_task  # imports gymnasium: only when a task is checked

            check_same_task(dataset_task(f), task, path)
        yield f
    except (OSError, RuntimeError) as error:
        raise UserInputError(
            f"cannot read {path}, it is truncated or corrupt ({_one_line(error)}); record it again or restore a"
            " complete copy"
        ) from None
    finally:
        f.close()


@contextlib.contextmanager
def atomic_output(path: str | os.PathLike) -> Iterator[str]:
    """Yield a temporary path beside ``path``; on success it replaces ``path``, on error it is deleted.

    The output is thus written completely or not at all (``os.replace`` is atomic within one folder).
    """
    path = os.fspath(path)
    folder, name = os.path.split(os.path.abspath(path))
    tmp = os.path.join(folder, f".{name}.tmp-{os.getpid()}")
    try:
        yield tmp
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.remove(tmp)
        raise


def staging_path(output: str) -> str:
    """A hidden file beside ``output`` to write into, so no half-written file ever has the final name."""
    folder, name = os.path.split(os.path.abspath(output))
    return os.path.join(folder, f".{os.path.splitext(name)[0]}.{os.getpid()}.hdf5")


def publish(staging: str, output: str) -> int:
    """Move ``staging`` onto ``output`` if it holds at least one demo (else delete it); returns the demo count.

    Called also after Ctrl-C, so the demos finished before the interruption are kept.
    """
    import h5py

    if not os.path.exists(staging):
        return 0
    try:
        with h5py.File(staging, "r") as f:
            count = len(f["data"]) if "data" in f else 0
    except OSError:
        count = 0
    if count:
        os.replace(staging, output)
    else:
        os.remove(staging)
    return count
