"""Desktop organizer: put the ketchup bottle into the basket (Franka, relative IK; Mimic variant)."""

import gymnasium as gym

gym.register(
    id="Isaac-Desktop-Organizer-Franka-IK-Rel-v0",
    entry_point="isaaclab.envs:ManagerBasedRLEnv",
    kwargs={"env_cfg_entry_point": f"{__name__}.franka_ik_rel_env_cfg:FrankaOrganizerIKRelEnvCfg"},
    disable_env_checker=True,
)

gym.register(
    id="Isaac-Desktop-Organizer-Franka-IK-Rel-Play-v0",
    entry_point="isaaclab.envs:ManagerBasedRLEnv",
    kwargs={"env_cfg_entry_point": f"{__name__}.franka_ik_rel_env_cfg:FrankaOrganizerIKRelEnvCfg_PLAY"},
    disable_env_checker=True,
)

gym.register(
    id="Isaac-Desktop-Organizer-Franka-Mimic-IK-Rel-v0",
    entry_point=f"{__name__}.franka_ik_rel_mimic_env:FrankaOrganizerIKRelMimicEnv",
    kwargs={"env_cfg_entry_point": f"{__name__}.franka_ik_rel_mimic_env_cfg:FrankaOrganizerIKRelMimicEnvCfg"},
    disable_env_checker=True,
)
