"""Recorder terms of annotation (what Isaac Lab Mimic's ``DataGenInfoPool`` reads) and of generation.

Isaac Lab's recorder manager writes Isaac Lab's HDF5 layout; annotation adds ``obs/datagen_info/{eef_pose,
object_pose, target_eef_pose, subtask_term_signals}``, one entry per end effector where Mimic keys by it;
generation adds ``intended_actions`` next to ``actions``.
"""

from __future__ import annotations

import torch
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


class IntendedActionRecorder(RecorderTerm):
    """Before each step: the intended (noise-free) action of each env, next to the executed ``actions``.

    The intended action is the one :func:`~isaaclab_mimic_tasks.tasks.common.mimic.noisy_action` remembered with
    the executed action it returned; an env whose executed action of this step is not that one (Mimic did not
    ask for it) gets intended = executed.
    """

    def record_pre_step(self):
        from isaaclab_mimic_tasks.tasks.common.mimic import INTENDED_ACTIONS_ATTR

        executed = self._env.action_manager.action
        intended = executed.clone()
        remembered = self._env.__dict__.get(INTENDED_ACTIONS_ATTR, {})
        for env_id, (intended_action, executed_action) in list(remembered.items()):
            if torch.equal(executed[env_id], executed_action.to(executed)):
                intended[env_id] = intended_action.to(executed)
            del remembered[env_id]  # used once: a later step not asked of Mimic records intended = executed
        return "intended_actions", intended


@configclass
class DatagenInfoRecorderCfg(RecorderTermCfg):
    class_type: type[RecorderTerm] = DatagenInfoRecorder


@configclass
class SubtaskTermSignalsRecorderCfg(RecorderTermCfg):
    class_type: type[RecorderTerm] = SubtaskTermSignalsRecorder


@configclass
class IntendedActionRecorderCfg(RecorderTermCfg):
    class_type: type[RecorderTerm] = IntendedActionRecorder


@configclass
class AnnotationRecorderManagerCfg(ActionStateRecorderManagerCfg):
    """Isaac Lab's action/state recorders plus Mimic's datagen info."""

    record_pre_step_datagen_info = DatagenInfoRecorderCfg()
    record_pre_step_subtask_term_signals = SubtaskTermSignalsRecorderCfg()


@configclass
class GenerationRecorderManagerCfg(ActionStateRecorderManagerCfg):
    """Isaac Lab's action/state recorders plus the intended action of each step (``intended_actions``)."""

    record_pre_step_intended_actions = IntendedActionRecorderCfg()
