"""Mimic environment: end-effector poses, pose <-> action conversion, object poses, subtask signals."""

from __future__ import annotations

from collections.abc import Sequence

import isaaclab.utils.math as PoseUtils
import torch
from isaaclab.envs import ManagerBasedRLMimicEnv

from isaaclab_mimic_tasks.tasks.common.mimic import noisy_action, subtask_term_signals

from . import mdp


class FrankaOrganizerIKRelMimicEnv(ManagerBasedRLMimicEnv):
    """Desktop organizer with the Franka relative-IK action, for Isaac Lab Mimic.

    Poses are 4x4 matrices in the robot base frame, the frame the IK action works in.
    """

    def _eef_name(self) -> str:
        return next(iter(self.cfg.subtask_configs))

    def get_robot_eef_pose(self, eef_name: str, env_ids: Sequence[int] | None = None) -> torch.Tensor:
        """Current end-effector pose, (len(env_ids), 4, 4), computed from the simulation state."""
        pos, quat = mdp.eef_pose(self, self.cfg.end_effectors[eef_name])
        if env_ids is not None:
            pos, quat = pos[env_ids], quat[env_ids]
        return PoseUtils.make_pose(pos, PoseUtils.matrix_from_quat(quat))

    def target_eef_pose_to_action(
        self,
        target_eef_pose_dict: dict,
        gripper_action_dict: dict,
        action_noise_dict: dict | None = None,
        env_id: int = 0,
    ) -> torch.Tensor:
        """Action ``[dpos, drot (axis-angle), gripper]`` moving env ``env_id``'s end-effector to the target.

        Gaussian noise of std ``action_noise_dict[eef]`` is added to the pose part, then the action is clipped
        to [-1, 1] like every action of this env; the noise-free action is remembered as the step's intended one
        (:func:`~isaaclab_mimic_tasks.tasks.common.mimic.noisy_action`).
        """
        eef_name = self._eef_name()
        target_pos, target_rot = PoseUtils.unmake_pose(target_eef_pose_dict[eef_name])
        curr_pos, curr_rot = PoseUtils.unmake_pose(self.get_robot_eef_pose(eef_name, env_ids=[env_id])[0])
        delta_pos = target_pos - curr_pos
        delta_rot = PoseUtils.axis_angle_from_quat(PoseUtils.quat_from_matrix(target_rot @ curr_rot.T))
        gripper_action = gripper_action_dict[eef_name].reshape(-1).to(delta_pos)
        intended = torch.cat([delta_pos, delta_rot, gripper_action], dim=0)
        noise_std = torch.zeros_like(intended)
        if action_noise_dict is not None:
            noise_std[:6] = float(action_noise_dict[eef_name])
        return noisy_action(self, env_id, intended, noise_std, clip=1.0)

    def action_to_target_eef_pose(self, action: torch.Tensor) -> dict[str, torch.Tensor]:
        """Target pose each env's action asks for (inverse of :meth:`target_eef_pose_to_action`), (N, 4, 4)."""
        eef_name = self._eef_name()
        curr_pos, curr_rot = PoseUtils.unmake_pose(self.get_robot_eef_pose(eef_name))
        rotvec = action[:, 3:6]
        angle = torch.linalg.vector_norm(rotvec, dim=-1)
        # a zero rotation has no axis: any unit axis gives the identity
        axis = torch.where(angle[:, None] > 1e-9, rotvec / angle.clamp_min(1e-9)[:, None], torch.eye(3)[0].to(rotvec))
        delta_rot = PoseUtils.matrix_from_quat(PoseUtils.quat_from_angle_axis(angle, axis))
        return {eef_name: PoseUtils.make_pose(curr_pos + action[:, :3], delta_rot @ curr_rot)}

    def actions_to_gripper_actions(self, actions: torch.Tensor) -> dict[str, torch.Tensor]:
        """Gripper part (last value) of a batch of action sequences, (..., 1)."""
        return {self._eef_name(): actions[..., -1:]}

    def get_object_poses(self, env_ids: Sequence[int] | None = None) -> dict[str, torch.Tensor]:
        """Pose of every rigid object in the robot base frame, name -> (len(env_ids), 4, 4)."""
        poses = {}
        for name in self.scene.rigid_objects:
            pose = mdp.object_pose(self, mdp.SceneEntityCfg(name))
            if env_ids is not None:
                pose = pose[env_ids]
            poses[name] = PoseUtils.make_pose(pose[:, :3], PoseUtils.matrix_from_quat(pose[:, 3:]))
        return poses

    def get_subtask_term_signals(self, env_ids: Sequence[int] | None = None) -> dict[str, torch.Tensor]:
        """The ``subtask_terms`` observations named by the subtask configs, name -> (len(env_ids),)."""
        return subtask_term_signals(self, env_ids)
