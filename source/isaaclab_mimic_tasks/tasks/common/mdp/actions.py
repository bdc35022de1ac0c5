"""Action terms."""

from __future__ import annotations

from isaaclab.envs.mdp.actions.actions_cfg import DifferentialInverseKinematicsActionCfg
from isaaclab.envs.mdp.actions.task_space_actions import DifferentialInverseKinematicsAction
from isaaclab.utils import configclass

__all__ = ["GravityCompensatedDiffIKAction", "GravityCompensatedDiffIKActionCfg"]


class GravityCompensatedDiffIKAction(DifferentialInverseKinematicsAction):
    """Differential IK whose arm joints also get their gravity torques as an effort feed-forward.

    Newton's ``disable_gravity`` is scene-wide, so the arm cannot simply be made weightless as in the
    PhysX configs. Without this, a relative IK command of zero lets the arm sag a little every step
    (the PD target is recomputed from the sagged pose).
    """

    def apply_actions(self):
        super().apply_actions()
        gravity = self._asset.data.gravity_compensation_forces.torch[:, self._jacobi_joint_ids]
        self._asset.actuators.target_command.set_effort_index(value=gravity, joint_ids=self._joint_ids)


@configclass
class GravityCompensatedDiffIKActionCfg(DifferentialInverseKinematicsActionCfg):
    """Configuration of :class:`GravityCompensatedDiffIKAction`."""

    class_type: type = GravityCompensatedDiffIKAction
