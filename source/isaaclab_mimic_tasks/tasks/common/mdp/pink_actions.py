"""Pink IK action terms (absolute wrist poses), in a module of their own: importing pinocchio and Pink costs
about 1.5 s, which tasks with differential IK should not pay."""

from __future__ import annotations

import isaaclab.utils.math as math_utils
import torch
from isaaclab.envs.mdp.actions.pink_actions_cfg import PinkInverseKinematicsActionCfg
from isaaclab.envs.mdp.actions.pink_task_space_actions import PinkInverseKinematicsAction
from isaaclab.utils import configclass

__all__ = ["StepwisePinkIKAction", "StepwisePinkIKActionCfg"]


class StepwisePinkIKAction(PinkInverseKinematicsAction):
    """Isaac Lab's Pink IK action (absolute wrist poses + hand joint targets), solved once per env step.

    What differs from the stock term, and why:

    * the hand targets (the last values of the action) go to :attr:`~StepwisePinkIKActionCfg.hand_joint_names`
      in the order listed (the stock term uses the articulation's order, so the stock 36-D layout drove the
      wrong joints);
    * IK runs in :meth:`process_actions`, ``ik_iterations`` times per env step, instead of once per physics
      step (10 times per env step here): the same tracking for a fifth of the solver calls;
    * target positions are clamped to ``target_position_bounds`` (env frame), and a non-finite or zero-norm
      target keeps the previous one, so an unreachable or malformed command never produces NaN joints;
    * with ``max_wrist_step`` / ``max_wrist_rotation_step``, each env step moves a wrist at most that far from its
      measured pose toward its target: a target may then be a waypoint far away (a scripted expert's, a
      policy's), and the wrist still moves at a bounded speed. Actions that are waypoints, rather than the next
      small step, are what a behaviour-cloned policy learns well: a next-step target is nearly the current pose,
      which a policy learns to copy.
    """

    cfg: StepwisePinkIKActionCfg

    def _initialize_joint_info(self) -> None:
        super()._initialize_joint_info()
        self._hand_joint_ids, self._hand_joint_names = self._asset.find_joints(
            self.cfg.hand_joint_names, preserve_order=True
        )
        self._controlled_joint_ids = self._isaaclab_controlled_joint_ids + self._hand_joint_ids
        self._controlled_joint_names = self._isaaclab_controlled_joint_names + self._hand_joint_names

    def _initialize_helper_tensors(self) -> None:
        super()._initialize_helper_tensors()
        self._last_valid_actions = None
        bounds = self.cfg.target_position_bounds
        self._position_bounds = None if bounds is None else torch.tensor(bounds, device=self.device)

    def _sanitized(self, actions: torch.Tensor) -> torch.Tensor:
        """``actions`` with clamped positions, unit quaternions, and invalid poses replaced by the last valid ones."""
        actions = actions.clone()
        if self._last_valid_actions is None:
            self._last_valid_actions = self._idle_actions()
        for task_index in range(self._num_frame_tasks):
            start = task_index * self.pose_dim
            position = actions[:, start : start + 3]
            quat = actions[:, start + 3 : start + 7]
            norm = quat.norm(dim=1, keepdim=True)
            valid = torch.isfinite(actions[:, start : start + 7]).all(dim=1, keepdim=True) & (norm > 1e-6)
            if self._position_bounds is not None:
                position = torch.maximum(torch.minimum(position, self._position_bounds[1]), self._position_bounds[0])
            last = self._last_valid_actions[:, start : start + 7]
            actions[:, start : start + 7] = torch.where(
                valid, torch.cat((position, quat / norm.clamp(min=1e-6)), 1), last
            )
        hand = actions[:, -self.hand_joint_dim :]
        actions[:, -self.hand_joint_dim :] = torch.where(
            torch.isfinite(hand), hand, self._last_valid_actions[:, -self.hand_joint_dim :]
        )
        self._last_valid_actions = actions.clone()
        return self._rate_limited(actions)

    def _rate_limited(self, actions: torch.Tensor) -> torch.Tensor:
        """``actions`` with each wrist target moved at most ``max_wrist_step`` (m) and ``max_wrist_rotation_step``
        (rad) away from the wrist's measured pose."""
        max_step, max_rotation = self.cfg.max_wrist_step, self.cfg.max_wrist_rotation_step
        if max_step is None and max_rotation is None:
            return actions
        measured = self._idle_actions()
        for task_index in range(self._num_frame_tasks):
            start = task_index * self.pose_dim
            position, quat = measured[:, start : start + 3], measured[:, start + 3 : start + 7]
            if max_step is not None:
                step = actions[:, start : start + 3] - position
                scale = torch.clamp(
                    max_step / torch.linalg.vector_norm(step, dim=1, keepdim=True).clamp_min(1e-9), max=1.0
                )
                actions[:, start : start + 3] = position + step * scale
            if max_rotation is not None:
                target = actions[:, start + 3 : start + 7]
                rotation = math_utils.quat_box_minus(target, quat)  # axis-angle from the measured to the target
                angle = torch.linalg.vector_norm(rotation, dim=1, keepdim=True)
                limited = math_utils.quat_box_plus(quat, rotation * max_rotation / angle.clamp_min(1e-9))
                actions[:, start + 3 : start + 7] = torch.where(angle > max_rotation, limited, target)
        return actions

    def _idle_actions(self) -> torch.Tensor:
        """The current wrist poses and hand joint positions, as an action."""
        data = self._asset.data
        base = self._env.scene.env_origins
        poses = []
        for frame in self.cfg.target_eef_link_names.values():
            index = data.body_names.index(frame)
            pose = data.body_link_pose_w.torch[:, index]
            poses.append(torch.cat((pose[:, :3] - base, pose[:, 3:7]), 1))
        hand = data.joint_pos.torch[:, self._hand_joint_ids]
        return torch.cat((*poses, hand), 1)

    def process_actions(self, actions: torch.Tensor) -> None:
        super().process_actions(self._sanitized(actions))
        self._ik_joint_positions = self._compute_ik_solutions()

    def _compute_ik_solutions(self) -> torch.Tensor:
        control_dt = self._sim_dt * self._env.cfg.decimation
        joint_pos = self._asset.data.joint_pos.torch.cpu().numpy()
        solutions = []
        for env_index, controller in enumerate(self._ik_controllers):
            q = joint_pos[env_index].copy()
            for _ in range(self.cfg.ik_iterations):
                solution = controller.compute(q, control_dt)
                q[self._isaaclab_controlled_joint_ids] = solution.cpu().numpy()
            solutions.append(solution)
        return torch.stack(solutions)

    def apply_actions(self) -> None:
        self._processed_actions = torch.cat((self._ik_joint_positions, self._target_hand_joint_positions), dim=1)
        if self.cfg.enable_gravity_compensation:
            self._apply_gravity_compensation()
        self._asset.set_joint_position_target_index(
            target=self._processed_actions, joint_ids=self._controlled_joint_ids
        )

    def reset(self, env_ids=None) -> None:
        super().reset(env_ids)
        self._last_valid_actions = None


@configclass
class StepwisePinkIKActionCfg(PinkInverseKinematicsActionCfg):
    """Configuration of :class:`StepwisePinkIKAction`."""

    class_type: type = StepwisePinkIKAction
    ik_iterations: int = 2
    """IK solves per env step; each moves the joints toward the targets by the frame tasks' gain."""
    target_position_bounds: tuple[tuple[float, float, float], tuple[float, float, float]] | None = None
    """(min xyz, max xyz) of every target position in the env frame; a target outside is clamped to it."""
    max_wrist_step: float | None = None
    """Largest distance (m) of a wrist's target from its measured position in one env step (None: no limit)."""
    max_wrist_rotation_step: float | None = None
    """Largest angle (rad) of a wrist's target from its measured orientation in one env step (None: no limit)."""
