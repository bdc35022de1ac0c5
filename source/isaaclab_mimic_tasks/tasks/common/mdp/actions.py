"""Action terms."""

from __future__ import annotations

import torch
from isaaclab.envs.mdp.actions.actions_cfg import DifferentialInverseKinematicsActionCfg
from isaaclab.envs.mdp.actions.task_space_actions import DifferentialInverseKinematicsAction
from isaaclab.utils import configclass

__all__ = ["GravityCompensatedDiffIKAction", "GravityCompensatedDiffIKActionCfg"]


class GravityCompensatedDiffIKAction(DifferentialInverseKinematicsAction):
    """Differential IK whose arm joints also get their gravity torques as an effort feed-forward, and whose target
    position is kept inside a workspace box.

    Newton's ``disable_gravity`` is scene-wide, so the arm cannot simply be made weightless as in the
    PhysX configs. Without this, a relative IK command of zero lets the arm sag a little every step
    (the PD target is recomputed from the sagged pose).

    With ``target_position_bounds``, the target the IK tracks is clamped to that box (robot base frame): a held
    "down" key stops the hand at the box's floor instead of pressing it into the table, where the arm twists
    and the hand slides away (a relative target keeps moving below a hand that cannot follow).
    """

    cfg: GravityCompensatedDiffIKActionCfg

    def process_actions(self, actions):
        super().process_actions(actions)
        bounds = self.cfg.target_position_bounds
        if bounds is not None:
            target = self._ik_controller.ee_pos_des
            low, high = (torch.tensor(b, device=target.device) for b in bounds)
            target[:] = torch.minimum(torch.maximum(target, low), high)

    def apply_actions(self):
        super().apply_actions()
        gravity = self._asset.data.gravity_compensation_forces.torch[:, self._jacobi_joint_ids]
        self._asset.actuators.target_command.set_effort_index(value=gravity, joint_ids=self._joint_ids)


@configclass
class GravityCompensatedDiffIKActionCfg(DifferentialInverseKinematicsActionCfg):
    """Configuration of :class:`GravityCompensatedDiffIKAction`."""

    class_type: type = GravityCompensatedDiffIKAction

    target_position_bounds: tuple[tuple[float, float, float], tuple[float, float, float]] | None = None
    """(min xyz, max xyz) of the IK's target position (robot base frame); a target outside is clamped to it."""
