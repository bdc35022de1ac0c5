"""Recorder terms and output-file handling shared by ``record``, ``annotate`` and ``generate``.

Isaac Lab's recorder manager writes Isaac Lab's HDF5 layout. Annotation adds what Isaac Lab Mimic's
``DataGenInfoPool`` reads: ``obs/datagen_info/{eef_pose, object_pose, target_eef_pose,
subtask_term_signals}``.
"""

from __future__ import annotations

import os

from isaaclab.envs.mdp.recorders.recorders_cfg import ActionStateRecorderManagerCfg
from isaaclab.managers.recorder_manager import RecorderTerm, RecorderTermCfg
from isaaclab.utils import configclass


class DatagenInfoRecorder(RecorderTerm):
    """Before each step: end-effector poses, object poses and the target pose the action asks for."""

    def record_pre_step(self):
        env = self._env
        eef_names = list(env.cfg.subtask_configs.keys())
        return "obs/datagen_info", {
            "object_pose": env.get_object_poses(),
            "eef_pose": {name: env.get_robot_eef_pose(eef_name=name) for name in eef_names},
            "target_eef_pose": env.action_to_target_eef_pose(env.action_manager.action),
        }


class SubtaskTermSignalsRecorder(RecorderTerm):
    """Before each step: the 0/1 subtask-end signals (the ``subtask_terms`` observation group)."""

    def record_pre_step(self):
        return "obs/datagen_info/subtask_term_signals", self._env.get_subtask_term_signals()


@configclass
class DatagenInfoRecorderCfg(RecorderTermCfg):
    class_type: type[RecorderTerm] = DatagenInfoRecorder


@configclass
class SubtaskTermSignalsRecorderCfg(RecorderTermCfg):
    class_type: type[RecorderTerm] = SubtaskTermSignalsRecorder


@configclass
class AnnotationRecorderManagerCfg(ActionStateRecorderManagerCfg):
    """Isaac Lab's action/state recorders plus Mimic's datagen info."""

    record_pre_step_datagen_info = DatagenInfoRecorderCfg()
    record_pre_step_subtask_term_signals = SubtaskTermSignalsRecorderCfg()


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
