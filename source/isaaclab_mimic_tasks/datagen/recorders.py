"""Recorder terms of annotation: what Isaac Lab Mimic's ``DataGenInfoPool`` reads.

Isaac Lab's recorder manager writes Isaac Lab's HDF5 layout; annotation adds ``obs/datagen_info/{eef_pose,
object_pose, target_eef_pose, subtask_term_signals}``, one entry per end effector where Mimic keys by it.
"""

from __future__ import annotations

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
