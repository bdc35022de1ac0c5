"""GR1T2 pick-and-place: the right hand puts a can into a basket (Fourier GR1T2 with Fourier hands, absolute wrist
poses solved by Pink IK, kit-less). ``Isaac-PickPlace-GR1T2-Abs-v0`` is the ID of Isaac Lab's humanoid tutorial
(stock 3.0 renamed its task); registering ``...-Abs-Mimic-v0`` replaces stock's Kit-only entry of that ID.

Each registration declares, as strings (registering imports nothing): the env cfg, the robomimic and LeRobot
configs, the scripted expert, and how the plain, ``-Play-`` and ``-Mimic-`` IDs relate.
"""

import gymnasium as gym

from isaaclab_mimic_tasks.registration import agent_cfg_entry_points

RELATED_TASK_IDS = {
    "base": "Isaac-PickPlace-GR1T2-Abs-v0",
    "play": "Isaac-PickPlace-GR1T2-Abs-Play-v0",
    "mimic": "Isaac-PickPlace-GR1T2-Abs-Mimic-v0",
}

TASK_KWARGS = {
    "related_task_ids": RELATED_TASK_IDS,
    "scripted_expert_entry_point": f"{__name__}.scripted_expert:GR1T2PickPlaceExpert",
    **agent_cfg_entry_points(__name__),
    # the tutorial's `train.py --algo bc` reads this key: Isaac Lab registers its BC-RNN config (robomimic's
    # algo "bc" with rnn.enabled) under it for this ID; the MLP is robomimic/bc_mlp.json (pass it with --config)
    "robomimic_bc_cfg_entry_point": f"{__name__}.agents:robomimic/bc_rnn_low_dim.json",
}

gym.register(
    id=RELATED_TASK_IDS["base"],
    entry_point="isaaclab.envs:ManagerBasedRLEnv",
    kwargs={"env_cfg_entry_point": f"{__name__}.pickplace_gr1t2_env_cfg:PickPlaceGR1T2EnvCfg", **TASK_KWARGS},
    disable_env_checker=True,
)

gym.register(
    id=RELATED_TASK_IDS["play"],
    entry_point="isaaclab.envs:ManagerBasedRLEnv",
    kwargs={"env_cfg_entry_point": f"{__name__}.pickplace_gr1t2_env_cfg:PickPlaceGR1T2EnvCfg_PLAY", **TASK_KWARGS},
    disable_env_checker=True,
)

gym.register(
    id=RELATED_TASK_IDS["mimic"],
    entry_point=f"{__name__}.pickplace_gr1t2_mimic_env:PickPlaceGR1T2MimicEnv",
    kwargs={
        "env_cfg_entry_point": f"{__name__}.pickplace_gr1t2_mimic_env_cfg:PickPlaceGR1T2MimicEnvCfg",
        **TASK_KWARGS,
    },
    disable_env_checker=True,
)
