"""Mimic environment of the absolute-IK variant: the action is the target pose itself."""

from __future__ import annotations

import isaaclab.utils.math as PoseUtils
import torch

from isaaclab_mimic_tasks.tasks.common.mimic import noisy_action

from . import mdp
from .franka_ik_rel_mimic_env import FrankaOrganizerIKRelMimicEnv


class FrankaOrganizerIKAbsMimicEnv(FrankaOrganizerIKRelMimicEnv):
    """Desktop organizer with the Franka absolute-IK action ``[pos, quat (x, y, z, w), gripper]``, for Isaac Lab
    Mimic. Poses, object poses and subtask signals as the relative variant's (robot base frame)."""

    def target_eef_pose_to_action(
        self,
        target_eef_pose_dict: dict,
        gripper_action_dict: dict,
        action_noise_dict: dict | None = None,
        env_id: int = 0,
    ) -> torch.Tensor:
        """Action ``[target pos, target quat, gripper]`` for env ``env_id``; the noise-free one is remembered as
        the step's intended action (:func:`~isaaclab_mimic_tasks.tasks.common.mimic.noisy_action`).

        Gaussian noise of std ``action_noise_dict[eef]`` is added to the position (m) and half of it to each
        quaternion component (a quaternion component off by d turns the hand by about 2d rad), so the target
        jitters as much as the relative variant's, whose noise is on the displacement and the axis-angle.
        """
        eef_name = self._eef_name()
        target_pos, target_rot = PoseUtils.unmake_pose(target_eef_pose_dict[eef_name])
        target_quat = PoseUtils.quat_from_matrix(target_rot)
        # q and -q are one rotation: take the sign nearer the hand's quaternion, so the actions of a demo change
        # continuously (the hand points down, w ~ 0, where a "w >= 0" rule would flip the sign back and forth)
        current_quat = mdp.eef_pose(self, self.cfg.end_effectors[eef_name])[1][env_id]
        target_quat = target_quat if torch.dot(target_quat, current_quat) >= 0 else -target_quat
        gripper_action = gripper_action_dict[eef_name].reshape(-1).to(target_pos)
        intended = torch.cat([target_pos, target_quat, gripper_action], dim=0)
        noise_std = torch.zeros_like(intended)
        if action_noise_dict is not None:
            noise_std[:3] = float(action_noise_dict[eef_name])
            noise_std[3:7] = float(action_noise_dict[eef_name]) / 2
        return noisy_action(self, env_id, intended, noise_std)

    def action_to_target_eef_pose(self, action: torch.Tensor) -> dict[str, torch.Tensor]:
        """Target pose each env's action asks for, (N, 4, 4) (the quaternion normalized, as the IK does)."""
        quat = action[:, 3:7] / torch.linalg.vector_norm(action[:, 3:7], dim=-1, keepdim=True).clamp_min(1e-9)
        return {self._eef_name(): PoseUtils.make_pose(action[:, :3], PoseUtils.matrix_from_quat(quat))}
