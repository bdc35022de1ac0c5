"""Mimic configuration: the right hand grasps and lifts the can, then places it relative to the basket; the left
hand idles (one subtask without an object frame, so its pose is replayed as recorded)."""

from __future__ import annotations

from isaaclab.envs.mimic_env_cfg import MimicEnvCfg, SubTaskConfig
from isaaclab.utils import configclass

from .pickplace_gr1t2_env_cfg import PickPlaceGR1T2EnvCfg

RIGHT_SUBTASKS = (
    # (object_ref as a role of task_objects, term signal, description)
    ("object", "grasp", "Grasp the can"),
    ("object", "lift", "Lift the can"),
    ("container", None, "Place the can in the basket"),
)
"""The right hand's subtasks in order; the last ends with the demo, so it has no term signal."""

ACTION_NOISE = 0.003
"""Std of the noise on the wrist targets (stock's value). Measured with stiffer hand drives (1000/30, 20 N m), the
grasp held 8/8 lifts at 0.005, 4/8 at 0.0075, 0/8 at 0.01; with the task's drives, 6/8 at 0.005."""


def gr1t2_subtask(object_ref: str | None, term_signal: str | None, description: str) -> SubTaskConfig:
    """One subtask with this task's datagen settings."""
    return SubTaskConfig(
        object_ref=object_ref,
        subtask_term_signal=term_signal,
        subtask_term_offset_range=(2, 5) if term_signal else (0, 0),
        selection_strategy="nearest_neighbor_object",
        selection_strategy_kwargs={"nn_k": 3},
        action_noise=ACTION_NOISE,
        # no interpolated lead-in: its targets sit next to the wrist, which a cloned policy learns to copy (it ran
        # away); the action term's wrist speed limit makes the jump to a segment's first waypoint smooth
        num_interpolation_steps=0,
        num_fixed_steps=0,
        apply_noise_during_interpolation=False,
        description=description,
    )


@configclass
class PickPlaceGR1T2MimicEnvCfg(PickPlaceGR1T2EnvCfg, MimicEnvCfg):
    """``Isaac-PickPlace-GR1T2-Abs-Mimic-v0``."""

    class_type: type | str = "{DIR}.pickplace_gr1t2_mimic_env:PickPlaceGR1T2MimicEnv"

    def __post_init__(self):
        super().__post_init__()
        datagen = self.datagen_config
        datagen.name = "pickplace_gr1t2_abs"
        datagen.generation_guarantee = True
        datagen.generation_keep_failed = False
        datagen.generation_num_trials = 10
        datagen.generation_select_src_per_subtask = True
        datagen.generation_select_src_per_arm = False
        datagen.generation_relative = False
        datagen.generation_transform_first_robot_pose = False
        datagen.generation_interpolate_from_last_target_pose = True
        datagen.max_num_failures = 25
        datagen.seed = 1
        self.subtask_configs["right"] = [
            gr1t2_subtask(self.task_objects[role], signal, description) for role, signal, description in RIGHT_SUBTASKS
        ]
        self.subtask_configs["left"] = [gr1t2_subtask(None, None, "Hold the left hand still")]
