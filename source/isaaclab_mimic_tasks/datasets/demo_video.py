"""A recorded demo of a dataset as a video: the dataset's checks here, the rendering in
:func:`isaaclab_mimic_tasks.rendering.demo_render.render_episode` (datasets call rendering, not the other way round).
"""

from __future__ import annotations

import os


def render_demo(
    task: str | None, dataset_path: str | os.PathLike, demo_name: str, out_path: str | os.PathLike, **options
) -> str:
    """Write a video of ``demo_name`` of the dataset: the recorded states, one frame each; returns the path.

    ``task`` None takes the task the dataset was recorded on; a missing demo, or one without recorded states, is a
    one-line error. ``options`` are :func:`~isaaclab_mimic_tasks.rendering.demo_render.render_episode`'s
    (``max_frames``, ``stride``, ``width``, ``height``, ``fps``); the path is ``out_path``, or its ``.gif`` twin
    without ffmpeg.
    """
    from isaaclab.utils.datasets import HDF5DatasetFileHandler

    from isaaclab_mimic_tasks.errors import UserInputError
    from isaaclab_mimic_tasks.rendering.demo_render import render_episode

    from .io import dataset_task, demo_names, open_dataset

    dataset_path = os.fspath(dataset_path)
    with open_dataset(dataset_path, task=task) as f:
        task = task or dataset_task(f)
        if not task:
            raise UserInputError(f"{dataset_path} does not say which task it was recorded on; pass --task")
        names = demo_names(f)
        if demo_name not in names:
            shown = ", ".join(names[:5]) + (", ..." if len(names) > 5 else "")
            raise UserInputError(f"{dataset_path} has no demo '{demo_name}'; it holds {len(names)}: {shown}")
        if "states" not in f["data"][demo_name] or "initial_state" not in f["data"][demo_name]:
            raise UserInputError(
                f"demo '{demo_name}' of {dataset_path} has no recorded states; record it with Isaac Lab's"
                " ActionStateRecorderManagerCfg (`mimic-tasks record` does)"
            )
    handler = HDF5DatasetFileHandler()
    handler.open(dataset_path)
    try:
        episode = handler.load_episode(demo_name, device="cpu")
    finally:
        handler.close()
    return render_episode(task, episode, out_path, **options)
