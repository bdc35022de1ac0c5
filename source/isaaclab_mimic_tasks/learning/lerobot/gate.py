"""The one gate every LeRobot import of this package goes through: call :func:`quiet_lerobot` first, then import
``lerobot`` (LeRobot is an optional extra: :func:`require_lerobot` names the install command when it is missing)."""

from __future__ import annotations

import os

from isaaclab_mimic_tasks.errors import UserInputError


def require_lerobot() -> None:
    """A one-line error naming the install command when LeRobot (the optional extra) is not installed."""
    import importlib.util

    if importlib.util.find_spec("lerobot") is None:
        raise UserInputError("LeRobot is not installed here; add it with `bash scripts/setup.sh --lerobot`")


def quiet_lerobot() -> None:
    """Before importing lerobot (checked with :func:`require_lerobot`): no traceback wall when torchcodec finds no
    system FFmpeg (LeRobot falls back to PyAV, which this package's state-only exports do not even need) and no
    progress bar per saved episode."""
    import logging

    require_lerobot()
    # Everything this package hands LeRobot is local (exports, checkpoints); huggingface_hub reads this at import.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import datasets

    logging.getLogger("lerobot.utils.import_utils").setLevel(logging.ERROR)
    datasets.disable_progress_bars()
