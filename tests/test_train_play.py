"""`mimic-tasks train` and `play`: robomimic configs in the registration, training on a recorded dataset (action
normalization from the train split in the checkpoint, tensorboard logs, losses), batched policy rollouts in the
simulator, and clear errors for bad input."""

from __future__ import annotations

import glob
import json
import os
import re
import shutil
import subprocess
import sys
import types

import h5py
import numpy as np
import pytest
import torch
from conftest import cli, digest
from conftest import in_process_cli as in_process

from isaaclab_mimic_tasks.learning.normalization import NEAR_CONSTANT_STD
from isaaclab_mimic_tasks.learning.robomimic.normalization import obs_normalization

TASK = "Isaac-Desktop-Organizer-Franka-IK-Rel-v0"
TASK_IDS = (TASK, "Isaac-Desktop-Organizer-Franka-IK-Rel-Play-v0", "Isaac-Desktop-Organizer-Franka-Mimic-IK-Rel-v0")
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
AGENTS = os.path.join(REPO, "source", "isaaclab_mimic_tasks", "tasks", "desktop_organizer", "agents", "robomimic")


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    """Two scripted demos recorded with `mimic-tasks record`, split 1 train / 1 valid with `mimic-tasks split`."""
    path = tmp_path_factory.mktemp("train_play") / "demos.hdf5"
    result = cli(
        "record",
        "--task",
        TASK,
        "--teleop_device",
        "scripted",
        "--dataset_file",
        path,
        "--num_demos",
        2,
        "--num_envs",
        2,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    result = cli("split", "--dataset", path, "--ratio", 0.5)
    assert result.returncode == 0, result.stderr[-3000:]
    return path


@pytest.fixture(scope="module")
def trained(dataset, tmp_path_factory):
    """Two short BC-RNN epochs (10 batches each) with an edited copy of the task's config, through train_policy."""
    from isaaclab_mimic_tasks.learning.robomimic.train import train_policy

    out = tmp_path_factory.mktemp("runs")
    config = json.load(open(os.path.join(AGENTS, "bc_rnn_low_dim.json")))
    config["experiment"]["epoch_every_n_steps"] = 10
    config["experiment"]["validation_epoch_every_n_steps"] = 2
    config_path = out / "bc_rnn_small.json"
    config_path.write_text(json.dumps(config))
    before = digest(dataset)
    result = train_policy(TASK, "bc_rnn", str(dataset), str(out), num_epochs=2, seed=0, config_path=str(config_path))
    assert digest(dataset) == before
    return result


# -- configs and registration ---------------------------------------------------------------------------------


@pytest.mark.fast
def test_humanoid_tutorial_bc_reads_isaac_labs_bc_rnn_config():
    """The humanoid tutorial's `--algo bc` on Isaac-PickPlace-GR1T2-Abs-v0 trains what Isaac Lab registers for that ID
    under robomimic_bc_cfg_entry_point: robomimic's algo "bc" with the RNN enabled (not an MLP)."""
    import isaaclab_mimic_tasks  # noqa: F401
    from isaaclab_mimic_tasks.learning.robomimic.config import load_config

    config, path = load_config("Isaac-PickPlace-GR1T2-Abs-v0", "bc")
    assert config.algo_name == "bc" and config.algo.rnn.enabled, path
    assert os.path.basename(path) == "bc_rnn_low_dim.json"


@pytest.mark.fast
def test_registered_configs_resolve_like_isaac_lab_train_script():
    """`robomimic_<algo>_cfg_entry_point` is a "module:file.json" string; resolved as train.py does, it is a robomimic
    config whose observation keys the recorded datasets have."""
    import gymnasium as gym

    import isaaclab_mimic_tasks  # noqa: F401
    from isaaclab_mimic_tasks.learning.robomimic.config import load_config, registered_config_path

    for task in TASK_IDS:
        for algo, rnn in (("bc", False), ("bc_rnn", True)):
            entry = gym.spec(task).kwargs[f"robomimic_{algo}_cfg_entry_point"]
            assert isinstance(entry, str) and entry.endswith(".json")
            path = registered_config_path(task, algo)
            with open(path) as f:
                assert json.load(f)["algo_name"] == "bc"
            config, _ = load_config(task, algo)
            assert config.algo.rnn.enabled == rnn and not config.experiment.rollout.enabled
            # like stock Isaac Lab configs: no filter keys, so robomimic/train.py runs on a file without masks
            # (`mimic-tasks train` uses mask/train and mask/valid where the file has them)
            assert (config.train.hdf5_filter_key, config.train.hdf5_validation_filter_key) == (None, None)
            assert not config.experiment.validate
            assert set(config.all_obs_keys) <= {
                "eef_pos",
                "eef_quat",
                "gripper_pos",
                "joint_pos",
                "joint_vel",
                "ketchup_pose",
                "basket_pose",
                "orange_juice_pose",
                "cream_cheese_pose",
            }


# -- training -------------------------------------------------------------------------------------------------


@pytest.mark.fast
def test_training_writes_checkpoint_with_train_split_normalization(trained, dataset):
    import robomimic.utils.file_utils as FileUtils

    assert [epoch for epoch, _ in trained.losses] == [1, 2] and [epoch for epoch, _ in trained.valid_losses] == [1, 2]
    assert (
        trained.loss_unit == "epoch" and np.isfinite([loss for _, loss in trained.losses + trained.valid_losses]).all()
    )
    assert trained.seconds > 0 and os.path.basename(trained.checkpoint) == "model_epoch_2.pth"
    checkpoint = torch.load(trained.checkpoint, map_location="cpu", weights_only=True)
    stats = checkpoint["action_normalization_stats"]
    with h5py.File(dataset, "r") as f:
        train = [n.decode() for n in f["mask/train"][()]]
        valid = [n.decode() for n in f["mask/valid"][()]]
        actions = np.concatenate([f[f"data/{n}/actions"][()] for n in train])
    assert len(train) == 1 and len(valid) == 1
    # the default (global) map: one symmetric factor, the largest |action| of the non-binary dimensions; the
    # gripper (only -1 and +1) is kept as it is; play.py undoes it with the stored --norm_factor_min/max
    binary = (np.abs(actions) == 1.0).all(axis=0)
    assert stats["type"] == "global" and stats["binary"] == binary.tolist() and binary[-1] and not binary[:6].any()
    factor = np.abs(actions[:, ~binary]).max()
    np.testing.assert_allclose(stats["max"], np.full(7, factor), rtol=1e-6)
    np.testing.assert_allclose(stats["min"], np.full(7, -factor), rtol=1e-6)
    assert (stats["norm_factor_min"], stats["norm_factor_max"]) == pytest.approx((-factor, factor))
    assert trained.details["norm_factors"] == pytest.approx((-factor, factor))
    # observations (on by default; robomimic 0.3's own option refuses a validation split): robomimic's mean and
    # std (+1e-3) over the train demos only; a dimension constant there is centred, not scaled (std 1)
    obs_stats = checkpoint["obs_normalization_stats"]
    # every recorded key of the policy group (Isaac Lab's play.py hands robomimic the whole group)
    with h5py.File(dataset, "r") as f:
        recorded = {k for k, v in f["data/demo_0/obs"].items() if isinstance(v, h5py.Dataset)}
    assert set(obs_stats) == recorded and set(checkpoint["shape_metadata"]["all_obs_keys"]) < recorded
    with h5py.File(dataset, "r") as f:
        for key, value in obs_stats.items():
            obs = np.concatenate([f[f"data/{n}/obs/{key}"][()] for n in train]).astype(np.float64)
            np.testing.assert_allclose(np.asarray(value["mean"])[0], obs.mean(axis=0), rtol=1e-5, atol=1e-6)
            expected_std = np.where(obs.std(axis=0) < NEAR_CONSTANT_STD, 1.0, obs.std(axis=0) + 1e-3)
            np.testing.assert_allclose(np.asarray(value["std"])[0], expected_std, rtol=1e-5, atol=1e-6)
    assert checkpoint["env_metadata"]["env_name"] == TASK
    # robomimic still loads it as its own
    policy, _ = FileUtils.policy_from_checkpoint(ckpt_path=trained.checkpoint, device=torch.device("cpu"))
    assert type(policy.policy).__name__ == "BC_RNN"


@pytest.mark.fast
def test_a_near_constant_observation_is_centred_not_scaled(tmp_path):
    """An observation dimension that barely varies over the train demos (an idle hand's fingers, Mimic's noise on an
    idle wrist) gets std 1: scaled by its own tiny std, a rollout's small drift reached 50 std and fed back into
    the policy's actions. The other dimensions keep robomimic's std + 1e-3."""
    path = tmp_path / "two_demos.hdf5"
    rng = np.random.default_rng(0)
    with h5py.File(path, "w") as f:
        for i in range(2):
            varying = rng.normal(0.5, 0.05, size=(40, 1))
            idle = 0.2 + rng.normal(0.0, 1e-4, size=(40, 1))
            f[f"data/demo_{i}/obs/state"] = np.concatenate([varying, idle], axis=1).astype(np.float32)
    stats = obs_normalization(str(path), ["demo_0", "demo_1"], ["state"])["state"]
    with h5py.File(path, "r") as f:
        values = np.concatenate([f[f"data/demo_{i}/obs/state"][()] for i in range(2)]).astype(np.float64)
    assert stats["std"][0, 1] == 1.0 and stats["mean"][0, 1] == pytest.approx(0.2, abs=1e-3)
    assert stats["std"][0, 0] == pytest.approx(values[:, 0].std() + 1e-3, rel=1e-5)
    # a 5 cm drift of the idle dimension stays a small input
    assert abs((0.25 - stats["mean"][0, 1]) / stats["std"][0, 1]) < 0.1


@pytest.mark.fast
def test_training_writes_tensorboard_events(trained):
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    events = glob.glob(os.path.join(trained.run_dir, "logs", "**", "events.out.tfevents.*"), recursive=True)
    assert events
    accumulator = EventAccumulator(os.path.dirname(events[0]))
    accumulator.Reload()
    losses = [e.value for e in accumulator.Scalars("Train/Loss")]
    np.testing.assert_allclose(losses, [loss for _, loss in trained.losses], rtol=1e-5)
    assert [e.step for e in accumulator.Scalars("Valid/Loss")] == [1, 2]
    assert json.load(open(os.path.join(trained.run_dir, "config.json")))["train"]["num_epochs"] == 2


def test_train_command_with_registered_bc_config(dataset, tmp_path):
    result = cli("train", "--task", TASK, "--algo", "bc", "--dataset", dataset, "--log_dir", tmp_path, "--epochs", 1)
    assert result.returncode == 0, result.stderr[-3000:]
    assert re.search(r"trained 1 epochs .* checkpoint \S+model_epoch_1\.pth", result.stdout), result.stdout[-2000:]
    assert glob.glob(str(tmp_path / TASK / "bc_desktop_organizer" / "*" / "models" / "model_epoch_1.pth"))


def test_observation_normalization_off_and_from_the_config(dataset, tmp_path):
    """`--no-normalize_observations` trains on raw observations; a config with robomimic's own
    `train.hdf5_normalize_obs` still trains next to the validation split (robomimic 0.3 alone asserts)."""
    config = json.load(open(os.path.join(AGENTS, "bc.json")))
    config["train"]["hdf5_normalize_obs"] = True
    config["experiment"]["name"] = "bc_config_normalizes"
    config_path = tmp_path / "bc_normalize_obs.json"
    config_path.write_text(json.dumps(config))
    for name, extra, normalized in (("raw", [], False), ("config", ["--config", config_path], True)):
        result = cli(
            "train",
            "--task",
            TASK,
            "--algo",
            "bc",
            "--dataset",
            dataset,
            "--log_dir",
            tmp_path / name,
            "--epochs",
            1,
            "--no-normalize_observations",
            *extra,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        (path,) = glob.glob(str(tmp_path / name / TASK / "*" / "*" / "models" / "model_epoch_1.pth"))
        checkpoint = torch.load(path, map_location="cpu", weights_only=True)
        assert (checkpoint.get("obs_normalization_stats") is not None) == normalized, name


# -- the policy and the rollout loop (no simulator) -------------------------------------------------------------


@pytest.mark.fast
def test_policy_matches_robomimic_and_keeps_one_rnn_state_per_env(trained, dataset):
    """Batched output = robomimic's own RolloutPolicy, denormalized; an env reset later starts its own sequence."""
    import robomimic.utils.file_utils as FileUtils

    from isaaclab_mimic_tasks.learning.robomimic.normalization import ActionNormalization
    from isaaclab_mimic_tasks.learning.robomimic.policy import load_policy

    policy = load_policy(trained.checkpoint)
    reference, checkpoint = FileUtils.policy_from_checkpoint(ckpt_path=trained.checkpoint, device=torch.device("cpu"))
    normalization = ActionNormalization.from_dict(checkpoint["action_normalization_stats"])
    with h5py.File(dataset, "r") as f:
        obs = {k: torch.as_tensor(f[f"data/demo_0/obs/{k}"][:24]) for k in policy.obs_keys}
    reference.start_episode()
    policy.reset()
    offset, first, second = 5, [], []
    for t in range(24):
        if t == offset:
            policy.reset(torch.tensor([1]))  # env 1 starts a new rollout at step 5, seeing the demo from its start
        batch = {k: torch.stack([v[t], v[t - offset if t >= offset else t]]) for k, v in obs.items()}
        actions = policy(batch)
        expected = (
            reference({k: v[t].numpy() for k, v in obs.items()}) * normalization.half_range + normalization.center
        )
        np.testing.assert_allclose(actions[0].numpy(), expected, atol=1e-5)
        first.append(actions[0])
        second.append(actions[1])
    torch.testing.assert_close(torch.stack(second[offset:]), torch.stack(first[: 24 - offset]), atol=1e-5, rtol=0)


class _CountingEnv:
    """Stand-in env: per environment a step counter; the 'success' holds from step 3 of a rollout, and environments
    in ``fail_ids`` terminate (and reset themselves) at their step 2."""

    def __init__(self, num_envs: int, fail_ids=()):
        self.num_envs, self.device = num_envs, "cpu"
        self.t = torch.zeros(num_envs, dtype=torch.long)
        self.fail = torch.zeros(num_envs, dtype=torch.bool)
        self.fail[list(fail_ids)] = True

    def _obs(self):
        return {"policy": {"t": self.t.clone()}}

    def reset(self, env_ids=None):
        self.t[slice(None) if env_ids is None else env_ids] = 0
        return self._obs(), {}

    def step(self, actions):
        self.t += 1
        terminated = self.fail & (self.t == 2)
        self.t[terminated] = 0
        return self._obs(), None, terminated, torch.zeros_like(terminated), {}


class _ZeroPolicy:
    def reset(self, env_ids=None):
        pass

    def __call__(self, obs):
        return torch.zeros(obs["t"].shape[0], 7)


SUCCESS_TERM = types.SimpleNamespace(func=lambda env: env.t >= 3, params={})


@pytest.mark.fast
@pytest.mark.parametrize(
    "num_envs, num_rollouts, fail_ids, horizon, expected",
    [
        (4, 6, (), 50, (6, 6, 8)),  # 4 succeed together at step 4, 2 restart, 2 stay idle and are not counted
        (2, 3, (0, 1), 50, (0, 3, 4)),  # terminations fail; the idle env terminating again is not counted
        (3, 3, (), 2, (0, 3, 2)),  # the horizon ends rollouts before the success held
        (1, 2, (), 50, (2, 2, 8)),
    ],
)
def test_rollouts_are_counted_once(num_envs, num_rollouts, fail_ids, horizon, expected):
    from isaaclab_mimic_tasks.learning.rollouts import run_policy_rollouts

    env = _CountingEnv(num_envs, fail_ids)
    stats = run_policy_rollouts(env, _ZeroPolicy(), num_rollouts, horizon, 2, SUCCESS_TERM)
    assert (stats.successes, stats.rollouts, stats.steps) == expected


# -- play in the simulator --------------------------------------------------------------------------------------


def test_play_runs_a_rollout_and_reports_the_success_rate(trained):
    result = cli("play", "--task", TASK, "--checkpoint", trained.checkpoint, "--num_rollouts", 1, "--horizon", 5)
    assert result.returncode == 0, result.stderr[-3000:]
    assert re.search(r"[01]/1 successful rollouts \(\d+%\)", result.stdout), result.stdout[-2000:]


# -- bad input ----------------------------------------------------------------------------------------------------


def _one_or_two_lines(stderr: str) -> bool:
    return 1 <= len(stderr.strip().splitlines()) <= 2 and "Traceback" not in stderr


@pytest.mark.fast
def test_train_on_dataset_without_a_config_obs_key(dataset, tmp_path, capsys):
    path = tmp_path / "no_basket.hdf5"
    shutil.copyfile(dataset, path)
    with h5py.File(path, "a") as f:
        for demo in f["data"].values():
            del demo["obs/basket_pose"]
    before = digest(path)
    code, err = in_process(
        capsys, "train", "--task", TASK, "--algo", "bc_rnn", "--dataset", path, "--log_dir", tmp_path
    )
    assert code == 2 and _one_or_two_lines(err), err
    assert "basket_pose" in err and "bc_rnn_low_dim.json" in err and "--config" in err
    assert digest(path) == before
    assert not (tmp_path / TASK).exists()


@pytest.mark.fast
def test_train_without_masks(dataset, tmp_path, capsys):
    """A config that filters on masks names the fix when the file has none."""
    path = tmp_path / "no_masks.hdf5"
    shutil.copyfile(dataset, path)
    with h5py.File(path, "a") as f:
        del f["mask"]
    config = json.load(open(os.path.join(AGENTS, "bc.json")))
    config["train"]["hdf5_filter_key"], config["train"]["hdf5_validation_filter_key"] = "train", "valid"
    config["experiment"]["validate"] = True
    (tmp_path / "filtering.json").write_text(json.dumps(config))
    before = digest(path)
    code, err = in_process(
        capsys,
        "train",
        "--task",
        TASK,
        "--dataset",
        path,
        "--log_dir",
        tmp_path,
        "--config",
        tmp_path / "filtering.json",
    )
    assert code == 2 and _one_or_two_lines(err), err
    assert "mask/train" in err and "mimic-tasks split" in err
    assert digest(path) == before


def test_packaged_configs_train_on_a_file_without_masks(dataset, tmp_path):
    """Stock Isaac Lab's generator writes no masks: robomimic's own loader (what Isaac Lab's robomimic/train.py
    calls) takes the packaged configs as they are on such a file, and `mimic-tasks train` trains on every demo."""
    import robomimic.utils.file_utils as FileUtils
    import robomimic.utils.obs_utils as ObsUtils
    import robomimic.utils.train_utils as TrainUtils

    from isaaclab_mimic_tasks.learning.robomimic.config import load_config

    path = tmp_path / "stock_like.hdf5"
    shutil.copyfile(dataset, path)
    with h5py.File(path, "a") as f:
        del f["mask"]
    for algo in ("bc", "bc_rnn"):
        config, _ = load_config(TASK, algo)
        with config.values_unlocked():
            config.train.data = str(path)
        ObsUtils.initialize_obs_utils_with_config(config)
        shape_meta = FileUtils.get_shape_metadata_from_dataset(str(path), all_obs_keys=config.all_obs_keys)
        trainset, validset = TrainUtils.load_data_for_training(config, obs_keys=shape_meta["all_obs_keys"])
        assert len(trainset.demos) == 2 and validset is None, algo
    result = cli(
        "train", "--task", TASK, "--algo", "bc", "--dataset", path, "--log_dir", tmp_path / "runs", "--epochs", 1
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "on 2 demos" in result.stdout and "--norm_factor_min" in result.stdout


@pytest.mark.fast
def test_checkpoint_plays_in_robomimic_like_isaac_lab_play_script(trained, dataset):
    """Isaac Lab's robomimic/play.py hands robomimic's RolloutPolicy the whole policy group and undoes the action
    normalization with --norm_factor_min/max: with the factors `train` stores (and prints), that gives the actions
    `mimic-tasks play` computes."""
    import robomimic.utils.file_utils as FileUtils

    from isaaclab_mimic_tasks.learning.robomimic.policy import load_policy

    rollout_policy, checkpoint = FileUtils.policy_from_checkpoint(
        ckpt_path=trained.checkpoint, device=torch.device("cpu")
    )
    stats = checkpoint["action_normalization_stats"]
    low, high = stats["norm_factor_min"], stats["norm_factor_max"]
    ours = load_policy(trained.checkpoint)
    with h5py.File(dataset, "r") as f:
        group = {k: v[()] for k, v in f["data/demo_0/obs"].items() if isinstance(v, h5py.Dataset)}  # the policy group
    assert set(group) > set(ours.obs_keys)
    rollout_policy.start_episode()
    ours.reset()
    for t in range(6):
        obs = {k: torch.as_tensor(v[t]) for k, v in group.items()}
        raw = rollout_policy({k: v.numpy() for k, v in obs.items()})  # asserts if any key lacks statistics
        play_py = ((raw + 1) * (high - low)) / 2 + low  # robomimic/play.py's un-normalization
        np.testing.assert_allclose(ours({k: v[None] for k, v in obs.items()})[0].numpy(), play_py, atol=1e-5)


@pytest.mark.fast
@pytest.mark.parametrize(
    "args, phrase",
    [
        (["--algo", "ppo"], "bc, bc_rnn, act, diffusion"),
        (["--task", "Isaac-Nope-v0"], "unknown task"),
        (["--config", "/nonexistent/bc.json"], "does not exist"),
        (["--epochs", "0"], "--epochs"),
    ],
)
def test_train_bad_flags(dataset, tmp_path, capsys, args, phrase):
    code, err = in_process(capsys, "train", "--dataset", dataset, "--log_dir", tmp_path, *args)
    assert code == 2 and _one_or_two_lines(err) and phrase in err, err


@pytest.mark.fast
def test_play_bad_checkpoints(tmp_path, capsys):
    garbage = tmp_path / "garbage.pth"
    garbage.write_bytes(os.urandom(1000))
    not_robomimic = tmp_path / "other.pth"
    torch.save({"weights": torch.zeros(3)}, not_robomimic)
    for path, phrase in (
        (tmp_path / "missing.pth", "does not exist"),
        (garbage, "cannot read"),
        (not_robomimic, "not a robomimic"),
    ):
        code, err = in_process(capsys, "play", "--task", TASK, "--checkpoint", path)
        assert code == 2 and _one_or_two_lines(err) and phrase in err, err


@pytest.mark.fast
def test_export_config_writes_the_registered_config_to_edit(tmp_path, capsys):
    """`--export_config FILE` copies the one packaged config (there is no second copy in the repository), and
    refuses to overwrite; the copy trains as `--config`."""
    from isaaclab_mimic_tasks.learning.robomimic.config import load_config, registered_config_path

    path = tmp_path / "my_bc_rnn.json"
    code, _ = in_process(capsys, "train", "--task", TASK, "--algo", "bc_rnn", "--export_config", path)
    assert code == 0 and path.read_text() == open(registered_config_path(TASK, "bc_rnn")).read()
    assert load_config(TASK, "bc_rnn", str(path))[0].algo.rnn.enabled
    code, err = in_process(capsys, "train", "--task", TASK, "--algo", "bc_rnn", "--export_config", path)
    assert code == 2 and "exists" in err
    assert not os.path.exists(os.path.join(REPO, "config", "robomimic"))


# -- the policy-family registry ---------------------------------------------------------------------------------


@pytest.mark.fast
@pytest.mark.parametrize(
    "args, phrase",
    [
        (["--algo", "bc", "--steps", "3"], "--steps and --batch_size are for act and diffusion; robomimic trains"),
        (
            ["--algo", "act", "--epochs", "3", "--no-normalize_observations"],
            "--epochs, --no-normalize_observations: for robomimic's bc and bc_rnn only; act and diffusion take --steps",
        ),
        (["--algo", "diffusion", "--name", "x"], "--name: for robomimic's bc and bc_rnn only"),
    ],
)
def test_train_refuses_the_options_of_another_family(tmp_path, capsys, args, phrase):
    """Each family lists the options it takes; `train` refuses the others before reading the dataset."""
    code, err = in_process(capsys, "train", "--dataset", tmp_path / "not_read.hdf5", "--log_dir", tmp_path, *args)
    assert code == 2 and _one_or_two_lines(err) and phrase in err, err
    assert not os.listdir(tmp_path)


@pytest.mark.fast
def test_the_registry_imports_a_family_only_when_asked_and_families_not_each_other():
    """Importing the registry imports no family; loading the families imports neither library; robomimic's family
    and LeRobot's never import each other; a checkpoint goes to the family whose checkpoint it is."""
    code = (
        "import sys\n"
        "from isaaclab_mimic_tasks.learning import families\n"
        "def loaded(*names): return sorted(m for m in sys.modules if m.split('.')[0] in names)\n"
        "assert not [m for m in sys.modules if '.learning.robomimic' in m or '.learning.lerobot' in m]\n"
        "assert not loaded('robomimic', 'lerobot')\n"
        "import isaaclab_mimic_tasks.learning.lerobot.family\n"
        "assert not loaded('robomimic', 'lerobot'), loaded('robomimic', 'lerobot')\n"
        "assert [f.name for f in families.policy_families()] == ['robomimic', 'lerobot']\n"
        "assert not loaded('lerobot'), loaded('lerobot')\n"
        "assert families.registered_algos() == ('bc', 'bc_rnn', 'act', 'diffusion')\n"
        "assert families.policy_family('act').name == 'lerobot' and families.policy_family('bc').name == 'robomimic'\n"
        "assert families.family_for_checkpoint('run/models/model_epoch_3.pth').name == 'robomimic'\n"
        "print('ok')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0 and "ok" in result.stdout, result.stderr[-3000:]


@pytest.mark.fast
def test_a_folder_no_family_claims_is_a_one_line_error_naming_what_checkpoints_look_like(tmp_path, capsys):
    (tmp_path / "notes.txt").write_text("not a policy")
    code, err = in_process(capsys, "play", "--task", TASK, "--checkpoint", tmp_path)
    assert code == 2 and _one_or_two_lines(err) and "model_epoch_<N>.pth" in err and "config.json" in err, err
