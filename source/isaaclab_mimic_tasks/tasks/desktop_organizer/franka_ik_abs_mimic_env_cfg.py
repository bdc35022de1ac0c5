"""Mimic configuration of the absolute-IK variant: the relative variant's subtasks and datagen settings."""

from __future__ import annotations

from isaaclab.utils import configclass

from .franka_ik_abs_env_cfg import FrankaOrganizerIKAbsEnvCfg
from .franka_ik_rel_mimic_env_cfg import FrankaOrganizerIKRelMimicEnvCfg


@configclass
class FrankaOrganizerIKAbsMimicEnvCfg(FrankaOrganizerIKAbsEnvCfg, FrankaOrganizerIKRelMimicEnvCfg):
    """``Isaac-Desktop-Organizer-Franka-IK-Abs-Mimic-v0``: the absolute action (:class:`FrankaOrganizerIKAbsEnvCfg`)
    with the subtasks, action noise and datagen settings of :class:`FrankaOrganizerIKRelMimicEnvCfg`."""

    class_type: type | str = "{DIR}.franka_ik_abs_mimic_env:FrankaOrganizerIKAbsMimicEnv"

    def __post_init__(self):
        super().__post_init__()
        self.datagen_config.name = "desktop_organizer_franka_ik_abs"
