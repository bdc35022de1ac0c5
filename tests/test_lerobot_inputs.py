"""What the LeRobot families read and how ACT acts, without a simulator: the observation keys they take by default
(BC-RNN's, split by role) and :class:`LeRobotPolicy` (per-environment chunks and temporal ensembles) against
LeRobot's own ``select_action`` run separately for each environment."""

from __future__ import annotations

import copy
import importlib.util
import json

import pytest

pytestmark = pytest.mark.fast

if importlib.util.find_spec("lerobot") is None:
    pytest.fail(
        "LeRobot is not installed: run `bash scripts/setup.sh --lerobot` (the README's test command)", pytrace=False
    )

ORGANIZER = "Isaac-Desktop-Organizer-Franka-IK-Rel-v0"
GR1T2 = "Isaac-PickPlace-GR1T2-Abs-v0"


@pytest.mark.parametrize("task", [ORGANIZER, GR1T2])
def test_the_default_inputs_are_bc_rnns_observations_split_into_robot_and_object_state(task):
    from isaaclab_mimic_tasks.envs import load_env_cfg, registered_agent_file
    from isaaclab_mimic_tasks.errors import UserInputError
    from isaaclab_mimic_tasks.learning.lerobot.export import (
        default_observation_keys,
        observation_roles,
        parse_observation_keys,
    )

    with open(registered_agent_file(task, "robomimic_bc_rnn_cfg_entry_point")) as f:
        bc_rnn_keys = json.load(f)["observation"]["modalities"]["obs"]["low_dim"]
    keys = default_observation_keys(task)
    assert keys == bc_rnn_keys
    env_cfg = load_env_cfg(task)
    state_keys, environment_keys = observation_roles(env_cfg, keys)
    assert sorted(state_keys + environment_keys) == sorted(bc_rnn_keys)
    if task == ORGANIZER:
        assert state_keys == ["eef_pos", "eef_quat", "gripper_pos"]
        assert environment_keys == ["ketchup_pose", "basket_pose"]
    all_state, all_environment = observation_roles(env_cfg)  # every policy observation: a superset, same roles
    assert set(state_keys) <= set(all_state) and set(environment_keys) <= set(all_environment)
    assert parse_observation_keys(" eef_pos, basket_pose ") == ["eef_pos", "basket_pose"]
    with pytest.raises(UserInputError, match="not a policy observation"):
        observation_roles(env_cfg, ["eef_pos", "no_such_key"])


def _tiny_act(temporal_ensemble_coeff: float | None):
    """A tiny ACT (random weights) with its pre- and post-processors, from LeRobot's own config and factories."""
    import torch
    from lerobot.configs.types import FeatureType, NormalizationMode, PolicyFeature
    from lerobot.policies.act.configuration_act import ACTConfig
    from lerobot.policies.act.modeling_act import ACTPolicy
    from lerobot.policies.factory import make_pre_post_processors

    config = ACTConfig(
        device="cpu",
        push_to_hub=False,
        chunk_size=6,
        n_action_steps=1 if temporal_ensemble_coeff is not None else 4,
        temporal_ensemble_coeff=temporal_ensemble_coeff,
        dim_model=16,
        n_heads=2,
        dim_feedforward=32,
        n_encoder_layers=1,
        n_decoder_layers=1,
        n_vae_encoder_layers=1,
        latent_dim=4,
        normalization_mapping={
            "STATE": NormalizationMode.MEAN_STD,
            "ENV": NormalizationMode.MEAN_STD,
            "ACTION": NormalizationMode.MEAN_STD,
        },
        input_features={
            "observation.state": PolicyFeature(type=FeatureType.STATE, shape=(3,)),
            "observation.environment_state": PolicyFeature(type=FeatureType.ENV, shape=(4,)),
        },
        output_features={"action": PolicyFeature(type=FeatureType.ACTION, shape=(2,))},
    )
    torch.manual_seed(0)
    policy = ACTPolicy(config).eval()
    stats = {
        name: {"mean": torch.randn(width), "std": torch.rand(width) + 0.5}
        for name, width in (("observation.state", 3), ("observation.environment_state", 4), ("action", 2))
    }
    pre, post = make_pre_post_processors(config, dataset_stats=stats)
    return policy, pre, post


@pytest.mark.parametrize("temporal_ensemble_coeff", [0.01, None], ids=["temporal_ensembling", "chunks"])
def test_the_batched_act_policy_equals_lerobots_select_action_run_separately_per_environment(temporal_ensemble_coeff):
    """Three environments side by side, step by step, environment 1 starting a new rollout mid-way: each gets what
    LeRobot's own ``select_action`` (its ``ACTTemporalEnsembler`` or action queue) gives it run alone."""
    import torch

    from isaaclab_mimic_tasks.learning.lerobot.policy import LeRobotPolicy

    policy, pre, post = _tiny_act(temporal_ensemble_coeff)
    layout = {"observation.state": ["eef_pos"], "observation.environment_state": ["object_pose", "basket_pos"]}
    ours = LeRobotPolicy(policy, pre, post, layout, temporal_ensemble_coeff=temporal_ensemble_coeff)
    theirs = [copy.deepcopy(policy) for _ in range(3)]  # one LeRobot policy (one ensemble, one queue) per env
    for each in theirs:
        each.reset()
    generator = torch.Generator().manual_seed(1)
    widths = {"eef_pos": 3, "object_pose": 3, "basket_pos": 1}
    steps, restart_at = 14, 8
    for t in range(steps):
        obs = {key: torch.randn(3, width, generator=generator) for key, width in widths.items()}
        if t == restart_at:
            ours.reset(torch.tensor([1]))
            theirs[1].reset()
        actions = ours(obs)
        for env, their_policy in enumerate(theirs):
            batch = {name: torch.cat([obs[key][env : env + 1] for key in keys], 1) for name, keys in layout.items()}
            expected = post(their_policy.select_action(pre(batch)))
            torch.testing.assert_close(actions[env : env + 1], expected, msg=f"step {t}, environment {env}")
    if temporal_ensemble_coeff is not None:  # the ensemble is no chunk's first action
        batch = {name: torch.cat([obs[key] for key in keys], 1) for name, keys in layout.items()}
        newest = post(policy.predict_action_chunk(pre(batch))[:, 0])
        assert not torch.allclose(actions, newest, atol=1e-4)
