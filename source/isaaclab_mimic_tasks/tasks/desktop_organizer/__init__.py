"""Desktop organizer: put the ketchup bottle into the basket (Franka, relative IK and absolute IK; Mimic variants).

Each registration declares, as strings (registering imports nothing): the env cfg, the robomimic and LeRobot configs
(``module:file``, resolved next to the module, as Isaac Lab's ``robomimic/train.py`` reads them), the
scripted expert, and how the plain, ``-Play-`` and ``-Mimic-`` IDs relate (datasets and checkpoints move
between them). The relative and the absolute variant are two task families (their actions differ); each declares
both in ``action_variants``, where ``mimic-tasks convert`` finds the family to convert a dataset to.
"""

import gymnasium as gym

from isaaclab_mimic_tasks.registration import agent_cfg_entry_points

RELATED_TASK_IDS = {
    "base": "Isaac-Desktop-Organizer-Franka-IK-Rel-v0",
    "play": "Isaac-Desktop-Organizer-Franka-IK-Rel-Play-v0",
    "mimic": "Isaac-Desktop-Organizer-Franka-Mimic-IK-Rel-v0",
}
ABS_RELATED_TASK_IDS = {
    "base": "Isaac-Desktop-Organizer-Franka-IK-Abs-v0",
    "play": "Isaac-Desktop-Organizer-Franka-IK-Abs-Play-v0",
    "mimic": "Isaac-Desktop-Organizer-Franka-IK-Abs-Mimic-v0",
}
ACTION_VARIANTS = {"relative": RELATED_TASK_IDS["base"], "absolute": ABS_RELATED_TASK_IDS["base"]}
"""The family of each end-effector action space (relative: ``[dpos, drot, gripper]``, absolute: ``[pos, quat,
gripper]``), by its base ID."""

TASK_KWARGS = {
    "related_task_ids": RELATED_TASK_IDS,
    "action_variants": ACTION_VARIANTS,
    "scripted_expert_entry_point": f"{__name__}.scripted_expert:PickPlaceExpert",
    **agent_cfg_entry_points(__name__),
}
ABS_TASK_KWARGS = {
    **TASK_KWARGS,  # the agent configs are shared: they read the action dimension from the dataset
    "related_task_ids": ABS_RELATED_TASK_IDS,
    "scripted_expert_entry_point": f"{__name__}.scripted_expert:PickPlacePoseExpert",
}

gym.register(
    id=RELATED_TASK_IDS["base"],
    entry_point="isaaclab.envs:ManagerBasedRLEnv",
    kwargs={"env_cfg_entry_point": f"{__name__}.franka_ik_rel_env_cfg:FrankaOrganizerIKRelEnvCfg", **TASK_KWARGS},
    disable_env_checker=True,
)

gym.register(
    id=RELATED_TASK_IDS["play"],
    entry_point="isaaclab.envs:ManagerBasedRLEnv",
    kwargs={"env_cfg_entry_point": f"{__name__}.franka_ik_rel_env_cfg:FrankaOrganizerIKRelEnvCfg_PLAY", **TASK_KWARGS},
    disable_env_checker=True,
)

gym.register(
    id=RELATED_TASK_IDS["mimic"],
    entry_point=f"{__name__}.franka_ik_rel_mimic_env:FrankaOrganizerIKRelMimicEnv",
    kwargs={
        "env_cfg_entry_point": f"{__name__}.franka_ik_rel_mimic_env_cfg:FrankaOrganizerIKRelMimicEnvCfg",
        **TASK_KWARGS,
    },
    disable_env_checker=True,
)

gym.register(
    id=ABS_RELATED_TASK_IDS["base"],
    entry_point="isaaclab.envs:ManagerBasedRLEnv",
    kwargs={"env_cfg_entry_point": f"{__name__}.franka_ik_abs_env_cfg:FrankaOrganizerIKAbsEnvCfg", **ABS_TASK_KWARGS},
    disable_env_checker=True,
)

gym.register(
    id=ABS_RELATED_TASK_IDS["play"],
    entry_point="isaaclab.envs:ManagerBasedRLEnv",
    kwargs={
        "env_cfg_entry_point": f"{__name__}.franka_ik_abs_env_cfg:FrankaOrganizerIKAbsEnvCfg_PLAY",
        **ABS_TASK_KWARGS,
    },
    disable_env_checker=True,
)

gym.register(
    id=ABS_RELATED_TASK_IDS["mimic"],
    entry_point=f"{__name__}.franka_ik_abs_mimic_env:FrankaOrganizerIKAbsMimicEnv",
    kwargs={
        "env_cfg_entry_point": f"{__name__}.franka_ik_abs_mimic_env_cfg:FrankaOrganizerIKAbsMimicEnvCfg",
        **ABS_TASK_KWARGS,
    },
    disable_env_checker=True,
)
