"""Desktop organizer: put the ketchup bottle into the basket (Franka, relative IK; Mimic variant)."""

import gymnasium as gym

# robomimic configs as "module:file", resolved next to the module (what Isaac Lab's robomimic/train.py reads);
# strings only, so registering imports nothing. Editable copies: config/robomimic/desktop_organizer/.
ROBOMIMIC_CFG_ENTRY_POINTS = {
    "robomimic_bc_cfg_entry_point": f"{__name__}.agents:robomimic/bc.json",
    "robomimic_bc_rnn_cfg_entry_point": f"{__name__}.agents:robomimic/bc_rnn_low_dim.json",
}

gym.register(
    id="Isaac-Desktop-Organizer-Franka-IK-Rel-v0",
    entry_point="isaaclab.envs:ManagerBasedRLEnv",
    kwargs={
        "env_cfg_entry_point": f"{__name__}.franka_ik_rel_env_cfg:FrankaOrganizerIKRelEnvCfg",
        **ROBOMIMIC_CFG_ENTRY_POINTS,
    },
    disable_env_checker=True,
)

gym.register(
    id="Isaac-Desktop-Organizer-Franka-IK-Rel-Play-v0",
    entry_point="isaaclab.envs:ManagerBasedRLEnv",
    kwargs={
        "env_cfg_entry_point": f"{__name__}.franka_ik_rel_env_cfg:FrankaOrganizerIKRelEnvCfg_PLAY",
        **ROBOMIMIC_CFG_ENTRY_POINTS,
    },
    disable_env_checker=True,
)

gym.register(
    id="Isaac-Desktop-Organizer-Franka-Mimic-IK-Rel-v0",
    entry_point=f"{__name__}.franka_ik_rel_mimic_env:FrankaOrganizerIKRelMimicEnv",
    kwargs={
        "env_cfg_entry_point": f"{__name__}.franka_ik_rel_mimic_env_cfg:FrankaOrganizerIKRelMimicEnvCfg",
        **ROBOMIMIC_CFG_ENTRY_POINTS,
    },
    disable_env_checker=True,
)
