"""Annotation: Isaac Lab Mimic's ``datagen_info`` added to recorded demos.

Flags of ``mimic-tasks annotate`` follow Isaac Lab's ``scripts/imitation_learning/isaaclab_mimic/annotate_demos.py``.
Each demo is replayed in the Mimic environment with recorders for the end-effector and object poses, the
target pose of every action and, with ``--auto``, the subtask-end signals of the ``subtask_terms`` observation
group. A demo is written only if it still succeeds on replay and, for every end effector, each subtask signal
rises, in that end effector's order (end effectors are independent: a right hand may finish before a left
one starts). Demos keep their names; the output is written beside its final name and moved into place at the
end (also on Ctrl-C, keeping the demos finished so far).
"""

from __future__ import annotations

import os

import torch

from isaaclab_mimic_tasks.errors import UserInputError


def subtask_order(env_cfg) -> dict[str, list[str]]:
    """Per end effector, the subtask-end signals of a Mimic env cfg in order (the last subtask has none)."""
    return {
        eef: [subtask.subtask_term_signal for subtask in subtasks if subtask.subtask_term_signal]
        for eef, subtasks in env_cfg.subtask_configs.items()
    }


def subtask_term_offsets(env_cfg) -> dict[str, list[tuple[int, int]]]:
    """Per end effector, the ``subtask_term_offset_range`` of each subtask with an end signal, in
    :func:`subtask_order`'s order."""
    return {
        eef: [tuple(subtask.subtask_term_offset_range) for subtask in subtasks if subtask.subtask_term_signal]
        for eef, subtasks in env_cfg.subtask_configs.items()
    }


def annotation_problem(
    signals: dict[str, torch.Tensor],
    order: dict[str, list[str]],
    term_offsets: dict[str, list[tuple[int, int]]] | None = None,
) -> str | None:
    """Why a demo's subtask signals cannot be used by Mimic, or None if they can.

    Mimic takes each subtask's end at the first 0 -> 1 rise of its signal and needs, per end effector, the
    ends in that end effector's order (:func:`subtask_order`), each after the one before (a subtask lasts at least
    a step); with ``term_offsets`` (:func:`subtask_term_offsets`) also its check that the ends, moved by their
    offsets, cannot cross: ``end_{i-1} + max_offset_{i-1} < end_i + min_offset_i``. With several end effectors the
    message names the one at fault.
    """
    for eef, names in order.items():
        where = f"{eef}: " if len(order) > 1 else ""
        ends = []
        for name in names:
            signal = signals[name].flatten().bool()
            if not signal.any():
                return f"{where}subtask '{name}' never completed"
            if signal[0]:
                return f"{where}subtask '{name}' is already complete at the first step"
            ends.append(int(signal.int().diff().nonzero()[0]))
        if ends != sorted(ends):
            return f"{where}subtasks end out of order ({dict(zip(names, ends))})"
        for (first, end), (second, next_end) in zip(zip(names, ends), zip(names[1:], ends[1:])):
            if end == next_end:  # Mimic's DataGenInfoPool refuses an empty subtask
                same = f"subtasks '{first}' and '{second}' end on the same step ({end})"
                return f"{where}{same}; Mimic needs each subtask to last a step"
        offsets = (term_offsets or {}).get(eef)
        for i in range(1, len(ends) if offsets else 0):
            if ends[i - 1] + offsets[i - 1][1] >= ends[i] + offsets[i][0]:
                apart = f"subtasks '{names[i - 1]}' and '{names[i]}' end {ends[i] - ends[i - 1]} steps apart"
                needs = f"more than {offsets[i - 1][1] - offsets[i][0]} with their subtask_term_offset_range"
                return f"{where}{apart} ({ends[i - 1]}, {ends[i]}); Mimic needs {needs}"
    return None


def marked_signal(signal: torch.Tensor, frame: int) -> torch.Tensor:
    """A subtask signal marked by hand at ``frame``: 0 before it, 1 from it on (``signal``'s shape and dtype).

    ``frame`` is a step index, as the viewer's frames are (:mod:`~isaaclab_mimic_tasks.datagen.browse`): marking the
    frame where the window's signal hint first shows 1 gives the end ``--auto`` takes (the signal's first rise).
    """
    marked = torch.zeros_like(signal)
    marked[frame:] = 1
    return marked


def annotation_viz(manual: bool, viz: str | None = None) -> str:
    """The visualizer annotation runs with: ``newton_gl`` (the window) or ``none``.

    Manual annotation is done in the window, so ``viz`` may only be None (the default), ``newton_gl`` or ``newton``
    there; with ``--auto`` the replay is shown in the window if ``viz`` asks for it (default: none).
    """
    from isaaclab_mimic_tasks.rendering.viewer import resolve_viz

    if viz is None:
        return "newton_gl" if manual else "none"
    viz = resolve_viz(viz)
    if manual and viz == "none":
        raise UserInputError(
            "manual annotation marks subtask ends in the viewer window, so it cannot run with --viz "
            "none; drop --viz, or pass --auto to annotate from the subtask signals"
        )
    return viz


def annotate_dataset(
    task: str,
    input_file: str,
    output_file: str,
    num_envs: int = 4,
    manual: bool = False,
    keymap_path: str | None = None,
    viz: str | None = None,
) -> tuple[int, dict[str, str]]:
    """Replay every demo of ``input_file`` in ``task`` (a Mimic ID) and write the annotated ones.

    ``manual``: the subtask ends are marked by a person first, browsing the demos in the viewer window
    (:func:`~isaaclab_mimic_tasks.datagen.browse.browse`); a subtask's signal is then 0 before its marked frame and
    1 from it on, and everything else is recorded exactly as without ``manual``. Demos left without every end
    marked are skipped. ``viz``: see :func:`annotation_viz` (``newton_gl`` with ``manual=False``: the replay in the
    window; closing it stops the replay, the demos finished by then are written). The output's ``data`` records
    the subtask order per end effector (:data:`~isaaclab_mimic_tasks.datasets.io.SUBTASK_ORDER_ATTR`).

    Returns:
        The number of demos written and, for each skipped demo, why.
    """
    from isaaclab.managers import DatasetExportMode

    from isaaclab_mimic_tasks.datasets.io import publish, staging_path
    from isaaclab_mimic_tasks.envs import open_env

    from .recorders import AnnotationRecorderManagerCfg
    from .replay import replay_env_cfg, replay_episodes, select_demos

    if os.path.abspath(input_file) == os.path.abspath(output_file):
        raise UserInputError("--output_file must differ from --input_file (the input is never modified)")
    if os.path.exists(output_file):
        raise UserInputError(f"{output_file} exists; remove it or choose another --output_file")
    viz = annotation_viz(manual, viz)
    keymap = None
    if manual:
        from isaaclab_mimic_tasks.devices.keymap import load_keymap

        keymap = load_keymap(keymap_path)
        num_envs = 1  # one demo at a time, in the window
    _, names = select_demos(input_file, None, task)
    env_cfg, success_term = replay_env_cfg(task, max(1, min(num_envs, len(names))))
    if not hasattr(env_cfg, "subtask_configs"):
        raise UserInputError(f"'{task}' is not a Mimic task; pass its -Mimic- ID to --task")
    order, term_offsets = subtask_order(env_cfg), subtask_term_offsets(env_cfg)
    staging = staging_path(output_file)
    env_cfg.recorders = AnnotationRecorderManagerCfg()
    env_cfg.recorders.dataset_export_dir_path = os.path.dirname(staging)
    env_cfg.recorders.dataset_filename = os.path.splitext(os.path.basename(staging))[0]
    env_cfg.recorders.dataset_export_mode = DatasetExportMode.EXPORT_SUCCEEDED_ONLY
    skipped: dict[str, str] = {}
    from isaaclab_mimic_tasks.rendering.viewer import enable_viewer

    launch_args = enable_viewer(env_cfg, viz)

    with open_env(task, num_envs=env_cfg.scene.num_envs, seed=0, env_cfg=env_cfg, launch_args=launch_args) as env:
        recorder = env.recorder_manager
        marked: dict[str, dict[str, int]] = {}
        if manual:
            names, marked = _marked_demos(env, input_file, names, order, keymap, skipped)
            recorder.reset()  # browsing restored states through resets: nothing of it is a demo

        def export_if_usable(env_id: int, name: str, success: bool) -> None:
            episode = recorder.get_episode(env_id)
            episode.pre_export()  # per-step lists -> tensors
            problem = None if success else "the task is not solved at the end of the replay"
            if problem is None:
                signals = episode.data["obs"]["datagen_info"]["subtask_term_signals"]
                for signal, frame in marked.get(name, {}).items():
                    signals[signal] = marked_signal(signals[signal], frame)
                problem = annotation_problem(signals, order, term_offsets)
            if problem is not None:
                skipped[name] = problem
                recorder.reset(torch.tensor([env_id], device=env.device))
                return
            recorder.set_success_to_episodes([env_id], torch.ones(1, 1, dtype=torch.bool, device=env.device))
            recorder.export_episodes([env_id], demo_ids=[int(name.rsplit("_", 1)[1])])

        try:
            if names:
                replay_episodes(env, input_file, names, success_term, export_if_usable, desc="annotating demos")
        finally:
            env.recorder_manager.close()
            _record_subtask_order(staging, order)
            written = publish(staging, output_file)
    return written, skipped


def _record_subtask_order(path: str, order: dict[str, list[str]]) -> None:
    """Write ``order`` (per end effector, its subtask signals in order) as JSON on ``data`` of the file at ``path``."""
    import json

    import h5py

    from isaaclab_mimic_tasks.datasets.io import SUBTASK_ORDER_ATTR

    if not os.path.exists(path):
        return
    with h5py.File(path, "a") as f:
        if "data" in f:
            f["data"].attrs[SUBTASK_ORDER_ATTR] = json.dumps(order)


def _marked_demos(env, input_file: str, names: list[str], order, keymap, skipped: dict[str, str]):
    """The person marks subtask ends in the window; returns the demos marked completely and their marks."""
    from isaaclab_mimic_tasks.rendering.viewer import open_viewer_window

    from .browse import browse

    marks = browse(env, input_file, names, open_viewer_window(env), keymap, order)
    complete = []
    for name in names:
        missing = [s for signals in order.values() for s in signals if s not in marks.frames.get(name, {})]
        if name not in marks.done:
            skipped[name] = "not finished in the window (no next_demo)"
        elif missing:
            skipped[name] = f"no end marked for {', '.join(missing)}"
        else:
            complete.append(name)
    return complete, {name: marks.frames[name] for name in complete}
