"""Mimic environment for the GR1T2 pick-and-place task: two end effectors (``left``, ``right``) whose poses are the
wrist frames Pink IK moves, in the env frame."""

from __future__ import annotations

from collections.abc import Sequence

import isaaclab.utils.math as PoseUtils
import torch
from isaaclab.envs import ManagerBasedRLMimicEnv

from isaaclab_mimic_tasks.assets.gr1t2 import HAND_JOINT_NAMES
from isaaclab_mimic_tasks.tasks.common.mimic import noisy_action, subtask_term_signals

HAND_VALUE_INDICES = {
    side: [i for i, name in enumerate(HAND_JOINT_NAMES) if name.startswith(prefix)]
    for side, prefix in (("left", "L_"), ("right", "R_"))
}
"""Which of the 22 (interleaved) hand values belong to each hand: stock ``actions_to_gripper_actions`` slices the
22 values in halves, so its "left" holds five right-hand joints."""
ARM_POSE_SLICES = {"left": slice(0, 7), "right": slice(7, 14)}
NUM_ARM_VALUES = 14


class PickPlaceGR1T2MimicEnv(ManagerBasedRLMimicEnv):
    """The GR1T2 task for Isaac Lab Mimic; the action is absolute (wrist poses and hand joint targets)."""

    def get_robot_eef_pose(self, eef_name: str, env_ids: Sequence[int] | None = None) -> torch.Tensor:
        """Current wrist pose of ``eef_name``, (len(env_ids), 4, 4), from the last observations."""
        if env_ids is None:
            env_ids = slice(None)
        policy = self.obs_buf["policy"]
        pos, quat = policy[f"{eef_name}_eef_pos"][env_ids], policy[f"{eef_name}_eef_quat"][env_ids]
        return PoseUtils.make_pose(pos, PoseUtils.matrix_from_quat(quat))

    def target_eef_pose_to_action(
        self,
        target_eef_pose_dict: dict,
        gripper_action_dict: dict,
        action_noise_dict: dict | None = None,
        env_id: int = 0,
    ) -> torch.Tensor:
        """The 36-D action that asks for the target wrist poses and hand joints; Gaussian noise of std
        ``action_noise_dict[eef]`` is added to that wrist's position and quaternion (the noise-free action is remembered
        as the step's intended one, :func:`~isaaclab_mimic_tasks.tasks.common.mimic.noisy_action`)."""
        action = torch.zeros(NUM_ARM_VALUES + len(HAND_JOINT_NAMES), device=self.device)
        noise_std = torch.zeros_like(action)
        for eef, pose_slice in ARM_POSE_SLICES.items():
            pos, rot = PoseUtils.unmake_pose(target_eef_pose_dict[eef])
            action[pose_slice] = torch.cat([pos, PoseUtils.quat_unique(PoseUtils.quat_from_matrix(rot))])
            if action_noise_dict is not None:
                noise_std[pose_slice] = float(action_noise_dict[eef])
            action[NUM_ARM_VALUES + torch.tensor(HAND_VALUE_INDICES[eef])] = (
                gripper_action_dict[eef].reshape(-1).to(action)
            )
        return noisy_action(self, env_id, action, noise_std)

    def action_to_target_eef_pose(self, action: torch.Tensor) -> dict[str, torch.Tensor]:
        """Target wrist poses of a batch of actions (inverse of :meth:`target_eef_pose_to_action`), (N, 4, 4)."""
        return {
            eef: PoseUtils.make_pose(action[:, s][:, :3], PoseUtils.matrix_from_quat(action[:, s][:, 3:7]))
            for eef, s in ARM_POSE_SLICES.items()
        }

    def actions_to_gripper_actions(self, actions: torch.Tensor) -> dict[str, torch.Tensor]:
        """Each hand's 11 joint targets from a batch of action sequences, (..., 11)."""
        hands = actions[..., NUM_ARM_VALUES:]
        return {eef: hands[..., indices] for eef, indices in HAND_VALUE_INDICES.items()}

    def get_subtask_term_signals(self, env_ids: Sequence[int] | None = None) -> dict[str, torch.Tensor]:
        """The ``subtask_terms`` observations named by the subtask configs, name -> (len(env_ids),)."""
        return subtask_term_signals(self, env_ids)
