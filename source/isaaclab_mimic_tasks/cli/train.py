"""``mimic-tasks train``: train a robomimic 0.3 policy (BC, BC-RNN) on a dataset.

Flags follow Isaac Lab's ``scripts/imitation_learning/robomimic/train.py``. The algorithm config is the JSON file
the task registers as ``robomimic_<algo>_cfg_entry_point`` (``agents/robomimic/`` of the task) or, with
``--config``, any robomimic config file (e.g. an edited copy from ``config/robomimic/``).

Before training, the dataset is checked: the task family, the ``mask/train`` / ``mask/valid`` split the config
filters on, and the observation keys the config reads (the message names the missing keys and the file to edit).

Actions are normalized per dimension to [-1, 1] with the min and max of the training split: robomimic's actors
squash their output (or their GMM means) with ``tanh``, so targets must lie in [-1, 1], and per dimension because
the rotation deltas of the demos are ~10x smaller than the position deltas. The statistics are stored in the
checkpoint (:data:`ACTION_STATS_KEY`, next to robomimic's own keys, so ``FileUtils.policy_from_checkpoint`` still
loads it), and ``mimic-tasks play`` maps the policy's output back.

Observations are standardized per dimension with the mean and standard deviation of the training split
(robomimic's formula): positions that vary by a few cm around 0.5 m otherwise barely move the network's input,
and the policy learns to ignore where the bottle is. robomimic 0.3 refuses its own ``train.hdf5_normalize_obs``
next to a validation split, so the packaged configs leave it off (Isaac Lab's ``train.py`` runs them as they
are) and the statistics are computed here and stored as the checkpoint's ``obs_normalization_stats``, where
robomimic's own rollout policy and ``mimic-tasks play`` read them.

Output, as Isaac Lab lays it out: ``<output_dir>/<experiment name>/<YYYYmmddHHMMSS>/`` with ``config.json``,
``logs/tb/`` (tensorboard) and ``models/model_epoch_<N>.pth``.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import io
import json
import os
import time
from dataclasses import dataclass, field

import numpy as np
import torch

ALGOS = ("bc", "bc_rnn")
"""Values of ``--algo``: the gym kwarg ``robomimic_<algo>_cfg_entry_point`` that holds the config."""

ACTION_STATS_KEY = "action_normalization_stats"
"""Checkpoint key of the action normalization (:meth:`ActionNormalization.to_dict`)."""


@dataclass
class TrainResult:
    """Outcome of :func:`train_policy`."""

    checkpoint: str
    """The last checkpoint written (the final epoch's, or the last finished one after Ctrl-C)."""
    train_loss: list[float] = field(default_factory=list)
    """Mean training loss per epoch."""
    valid_loss: list[float] = field(default_factory=list)
    """Mean validation loss per epoch (empty without validation)."""
    seconds: float = 0.0
    run_dir: str = ""
    """The run's folder (``config.json``, ``logs/``, ``models/``)."""


@dataclass
class ActionNormalization:
    """Per-dimension affine map of actions to [-1, 1]: ``(a - center) / half_range``."""

    minimum: np.ndarray
    maximum: np.ndarray

    @classmethod
    def from_actions(cls, actions: np.ndarray) -> ActionNormalization:
        """Min and max of ``actions`` (N, action_dim), per dimension."""
        return cls(actions.min(axis=0).astype(np.float64), actions.max(axis=0).astype(np.float64))

    @classmethod
    def from_dict(cls, stats: dict) -> ActionNormalization:
        return cls(np.asarray(stats["min"], dtype=np.float64), np.asarray(stats["max"], dtype=np.float64))

    def to_dict(self) -> dict:
        """Plain lists (loads with ``torch.load(weights_only=True)``)."""
        return {"type": "min_max", "min": self.minimum.tolist(), "max": self.maximum.tolist()}

    @property
    def center(self) -> np.ndarray:
        return (self.maximum + self.minimum) / 2

    @property
    def half_range(self) -> np.ndarray:
        """Half the range; 1 for constant dimensions (they map to 0)."""
        half = (self.maximum - self.minimum) / 2
        return np.where(half > 1e-8, half, 1.0)

    def normalize(self, actions):
        """Dataset actions (numpy, any leading shape) to [-1, 1]."""
        return ((actions - self.center) / self.half_range).astype(actions.dtype)

    def denormalize(self, actions: torch.Tensor) -> torch.Tensor:
        """Policy outputs (torch, any leading shape) back to env actions."""
        center = torch.as_tensor(self.center, dtype=actions.dtype, device=actions.device)
        half = torch.as_tensor(self.half_range, dtype=actions.dtype, device=actions.device)
        return actions * half + center


class NormalizedDataset(torch.utils.data.Dataset):
    """A robomimic ``SequenceDataset`` whose samples have normalized ``actions`` and/or observations."""

    def __init__(self, dataset, actions: ActionNormalization | None, obs_stats: dict | None):
        self.dataset = dataset
        self.actions = actions
        self.obs_stats = obs_stats

    def __len__(self) -> int:
        return len(self.dataset)

    def __getitem__(self, index: int) -> dict:
        item = dict(self.dataset[index])
        if self.actions is not None:
            item["actions"] = self.actions.normalize(item["actions"])
        for group in ("obs", "next_obs") if self.obs_stats is not None else ():
            if item.get(group) is not None:
                item[group] = {
                    key: (value - self.obs_stats[key]["mean"]) / self.obs_stats[key]["std"] if key in self.obs_stats else value
                    for key, value in item[group].items()
                }
        return item

    def get_dataset_sampler(self):
        return self.dataset.get_dataset_sampler()


def _check_task_and_algo(task: str, algo: str) -> None:
    from isaaclab_mimic_tasks.envs import UserInputError, task_ids

    if algo not in ALGOS:
        raise UserInputError(f"unknown --algo '{algo}'; choose one of: {', '.join(ALGOS)}")
    known = task_ids()
    if task not in known:
        raise UserInputError(f"unknown task '{task}'; choose one of: {', '.join(known)}")


def registered_config_path(task: str, algo: str) -> str:
    """The robomimic config file ``task`` registers for ``algo`` (resolved as Isaac Lab's ``train.py`` does)."""
    import gymnasium as gym

    from isaaclab_mimic_tasks.envs import UserInputError

    _check_task_and_algo(task, algo)
    key = f"robomimic_{algo}_cfg_entry_point"
    entry = gym.spec(task).kwargs.get(key)
    if entry is None:
        raise UserInputError(f"task '{task}' registers no {key}; pass a robomimic config with --config PATH")
    if ":" in entry:
        module_name, file_name = entry.split(":")
        return os.path.join(os.path.dirname(importlib.import_module(module_name).__file__), file_name)
    return entry


def load_config(task: str, algo: str, config_path: str | None = None):
    """The robomimic ``Config`` of ``task`` / ``algo`` (or of the file ``config_path``) and the file it came from."""
    from robomimic.config import config_factory
    from robomimic.config.base_config import get_all_registered_configs

    from isaaclab_mimic_tasks.envs import UserInputError

    _check_task_and_algo(task, algo)
    path = config_path or registered_config_path(task, algo)
    try:
        with open(path) as file:
            external = json.load(file)
    except FileNotFoundError:
        raise UserInputError(f"config file {path} does not exist; pass a robomimic JSON config to --config") from None
    except (OSError, ValueError) as error:
        raise UserInputError(f"cannot read the robomimic config {path} ({' '.join(str(error).split())})") from None
    algo_name = external.get("algo_name") if isinstance(external, dict) else None
    known = get_all_registered_configs()
    if algo_name not in known:
        raise UserInputError(f"{path} has algo_name {algo_name!r}; a robomimic 0.3 config needs one of: {', '.join(known)}")
    config = config_factory(algo_name)
    try:
        with config.values_unlocked():
            config.update(external)
    except Exception as error:  # robomimic raises on keys its config does not have
        raise UserInputError(f"{path} is not a valid robomimic {algo_name} config ({' '.join(str(error).split())})") from None
    return config, path


def check_training_data(dataset: str, task: str, config, config_file: str) -> tuple[list[str], list[str]]:
    """Check ``dataset`` for training with ``config``; returns the demo names of the train and valid filter keys.

    Raises :class:`UserInputError` naming what to fix: the dataset, its masks, or the config's observation keys.
    """
    from isaaclab_mimic_tasks.datasets import check_dataset, demo_names, mask_names, open_dataset
    from isaaclab_mimic_tasks.envs import UserInputError

    train_key, valid_key = config.train.hdf5_filter_key, config.train.hdf5_validation_filter_key
    check_dataset(dataset, task=task, require_masks=bool(train_key))
    try:
        check_dataset(dataset, obs_keys=list(config.all_obs_keys))
    except UserInputError as error:
        raise UserInputError(
            f"{error}. Edit observation.modalities.obs of {config_file} to keys the dataset has"
            " (or record them), and pass the edited file with --config"
        ) from None
    with open_dataset(dataset) as f:
        for key in (train_key, valid_key):
            if key and f"mask/{key}" not in f:
                raise UserInputError(f"{dataset} has no mask/{key}, which {config_file} filters on; run `mimic-tasks split`")
        train = mask_names(f[f"mask/{train_key}"]) if train_key else demo_names(f)
        valid = mask_names(f[f"mask/{valid_key}"]) if valid_key else []
    return train, valid


def action_normalization(dataset: str, demos: list[str]) -> ActionNormalization:
    """Per-dimension min/max of the actions of ``demos``."""
    import h5py

    with h5py.File(dataset, "r") as f:
        return ActionNormalization.from_actions(np.concatenate([f[f"data/{d}/actions"][()] for d in demos]))


def obs_normalization(dataset: str, demos: list[str], obs_keys: list[str]) -> dict[str, dict[str, np.ndarray]]:
    """Mean and standard deviation of each observation of ``demos``, per dimension, as robomimic stores them
    (``{key: {"mean": (1, D), "std": (1, D)}}``, with robomimic's 1e-3 added to the std)."""
    import h5py

    stats = {}
    with h5py.File(dataset, "r") as f:
        for key in obs_keys:
            values = np.concatenate([f[f"data/{d}/obs/{key}"][()] for d in demos]).astype(np.float64)
            values = values.reshape(len(values), -1)
            stats[key] = {
                "mean": values.mean(axis=0, keepdims=True).astype(np.float32),
                "std": (values.std(axis=0, keepdims=True) + 1e-3).astype(np.float32),
            }
    return stats


def _run_dir(output_dir: str, name: str) -> str:
    base = os.path.join(os.path.abspath(output_dir), name, time.strftime("%Y%m%d%H%M%S"))
    run_dir, i = base, 1
    while os.path.exists(run_dir):
        run_dir, i = f"{base}_{i}", i + 1
    return run_dir


def save_checkpoint(path: str, model, config, env_meta: dict, shape_meta: dict, actions: ActionNormalization | None, obs_stats=None):
    """Write robomimic's checkpoint (``TrainUtils.save_model``) plus :data:`ACTION_STATS_KEY`, atomically."""
    import robomimic.utils.train_utils as TrainUtils

    tmp = f"{path}.tmp-{os.getpid()}"
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            TrainUtils.save_model(model, config, env_meta, shape_meta, tmp, obs_normalization_stats=obs_stats)
        checkpoint = torch.load(tmp, map_location="cpu", weights_only=True)
        checkpoint[ACTION_STATS_KEY] = actions.to_dict() if actions is not None else None
        torch.save(checkpoint, tmp)
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.remove(tmp)


def _loader(dataset, batch_size: int, num_workers: int):
    return torch.utils.data.DataLoader(
        dataset,
        sampler=dataset.get_dataset_sampler(),
        batch_size=batch_size,
        shuffle=dataset.get_dataset_sampler() is None,
        num_workers=num_workers,
        drop_last=len(dataset) >= batch_size,  # a split smaller than one batch still gives a batch
    )


def train_policy(
    task: str,
    algo: str,
    dataset: str,
    output_dir: str,
    num_epochs: int | None = None,
    seed: int | None = 0,
    config_path: str | None = None,
    name: str | None = None,
    normalize_actions: bool = True,
    normalize_obs: bool = True,
) -> TrainResult:
    """Train a robomimic policy on ``dataset`` and write checkpoints and tensorboard logs under ``output_dir``.

    Args:
        task: The gym ID whose registered config is used (and whose task family the dataset must be of).
        algo: ``bc`` or ``bc_rnn`` (which registered config).
        dataset: The HDF5 dataset, split into ``mask/train`` and ``mask/valid`` (``mimic-tasks split``).
        output_dir: The run folder goes to ``<output_dir>/<experiment name>/<timestamp>/``.
        num_epochs: Override ``train.num_epochs`` (an epoch is ``experiment.epoch_every_n_steps`` batches).
        seed: Override ``train.seed`` (None: the config's).
        config_path: A robomimic JSON config to use instead of the registered one.
        name: Override ``experiment.name``.
        normalize_actions: Normalize actions per dimension to [-1, 1] (stats from the training split).
        normalize_obs: Standardize observations per dimension (stats from the training split); also on when the
            config sets ``train.hdf5_normalize_obs``.
    """
    import robomimic.utils.torch_utils as TorchUtils

    from isaaclab_mimic_tasks.envs import UserInputError

    config, config_file = load_config(task, algo, config_path)
    if num_epochs is not None and num_epochs < 1:
        raise UserInputError(f"--epochs must be at least 1, got {num_epochs}")
    train_demos, valid_demos = check_training_data(dataset, task, config, config_file)
    dataset = os.path.abspath(dataset)
    with config.values_unlocked():
        config.train.data = dataset
        config.train.output_dir = os.path.abspath(output_dir)
        config.experiment.rollout.enabled = False  # evaluation is `mimic-tasks play`
        if name:
            config.experiment.name = name
        if num_epochs is not None:
            config.train.num_epochs = num_epochs
        if seed is not None:
            config.train.seed = seed
        if normalize_obs:
            config.train.hdf5_normalize_obs = True  # recorded in config.json and the checkpoint
        if not (config.experiment.validate and valid_demos):
            if config.experiment.validate:
                print(f"note: {dataset} has no validation demos (mask/{config.train.hdf5_validation_filter_key} is"
                      " empty or unset); training without validation")
            config.experiment.validate = False
            config.train.hdf5_validation_filter_key = None
    config.lock()

    run_dir = _run_dir(output_dir, config.experiment.name)
    os.makedirs(os.path.join(run_dir, "logs"))
    os.makedirs(os.path.join(run_dir, "models"))
    with open(os.path.join(run_dir, "config.json"), "w") as file:
        file.write(config.dump())

    device = TorchUtils.get_torch_device(try_to_use_cuda=config.train.cuda)
    with _torch_threads(device):
        return _fit(config, config_file, task, dataset, train_demos, run_dir, device, normalize_actions)


@contextlib.contextmanager
def _torch_threads(device: torch.device):
    """On the CPU, one intra-op torch thread per two cores while training (restored after): next to a simulator,
    oversubscribed OpenMP threads made a BC-RNN step 8x slower on a 2-core machine (1.5 s against 0.18 s)."""
    threads = torch.get_num_threads()
    if device.type == "cpu":
        torch.set_num_threads(max(1, min(threads, (os.cpu_count() or 1) // 2)))
    try:
        yield
    finally:
        torch.set_num_threads(threads)


def _fit(config, config_file: str, task: str, dataset: str, train_demos: list[str], run_dir: str, device, normalize_actions: bool):
    """The training loop of :func:`train_policy` (config locked, run folder made)."""
    import robomimic.utils.file_utils as FileUtils
    import robomimic.utils.obs_utils as ObsUtils
    import robomimic.utils.train_utils as TrainUtils
    from robomimic.algo import algo_factory
    from robomimic.utils.log_utils import DataLogger

    np.random.seed(config.train.seed)
    torch.manual_seed(config.train.seed)
    ObsUtils.initialize_obs_utils_with_config(config)
    env_meta = FileUtils.get_env_metadata_from_dataset(dataset)
    env_meta["env_name"] = env_meta.get("env_name") or task
    shape_meta = FileUtils.get_shape_metadata_from_dataset(dataset, all_obs_keys=config.all_obs_keys)
    model = algo_factory(config.algo_name, config, shape_meta["all_shapes"], shape_meta["ac_dim"], device=device)

    normalize_obs = config.train.hdf5_normalize_obs
    # robomimic 0.3 refuses hdf5_normalize_obs next to a validation split: NormalizedDataset applies the statistics
    # instead, and the checkpoint stores them, which is where robomimic's rollout policy (and `play`) reads them
    with config.values_unlocked(), contextlib.redirect_stdout(io.StringIO()):  # robomimic prints every demo it loads
        config.train.hdf5_normalize_obs = False
        trainset, validset = TrainUtils.load_data_for_training(config, obs_keys=shape_meta["all_obs_keys"])
        config.train.hdf5_normalize_obs = normalize_obs
    obs_stats = obs_normalization(dataset, train_demos, shape_meta["all_obs_keys"]) if normalize_obs else None
    actions = action_normalization(dataset, train_demos) if normalize_actions else None
    if actions is not None or obs_stats is not None:
        trainset = NormalizedDataset(trainset, actions, obs_stats)
        validset = NormalizedDataset(validset, actions, obs_stats) if validset is not None else None
    train_loader = _loader(trainset, config.train.batch_size, config.train.num_data_workers)
    valid_loader = _loader(validset, config.train.batch_size, min(config.train.num_data_workers, 1)) if validset else None
    print(
        f"training {config.algo_name}{' (rnn)' if config.algo.rnn.enabled else ''} on {len(train_demos)} demos"
        f" ({len(trainset)} samples), validating on {len(validset) if validset else 0} samples; config {config_file};"
        f" run {run_dir}"
    )

    logger = DataLogger(os.path.join(run_dir, "logs"), config=config, log_tb=config.experiment.logging.log_tb)
    result = TrainResult(checkpoint="", run_dir=run_dir)
    save = config.experiment.save
    start = time.perf_counter()

    def checkpoint(epoch: int) -> None:
        result.checkpoint = os.path.join(run_dir, "models", f"model_epoch_{epoch}.pth")
        save_checkpoint(result.checkpoint, model, config, env_meta, shape_meta, actions, obs_stats)

    def record(log: dict, split: str, epoch: int) -> None:
        for key, value in log.items():
            logger.record(f"Timing_Stats/{split}_{key[5:]}" if key.startswith("Time_") else f"{split}/{key}", value, epoch)

    epoch = 0
    try:
        for epoch in range(1, config.train.num_epochs + 1):
            log = TrainUtils.run_epoch(
                model, train_loader, epoch, num_steps=config.experiment.epoch_every_n_steps
            )
            model.on_epoch_end(epoch)
            result.train_loss.append(log["Loss"])
            record(log, "Train", epoch)
            line = f"epoch {epoch}/{config.train.num_epochs}: train loss {log['Loss']:.5f}"
            if valid_loader is not None:
                with torch.no_grad():
                    log = TrainUtils.run_epoch(
                        model, valid_loader, epoch, validate=True,
                        num_steps=config.experiment.validation_epoch_every_n_steps,
                    )
                result.valid_loss.append(log["Loss"])
                record(log, "Valid", epoch)
                line += f", valid loss {log['Loss']:.5f}"
            print(line, flush=True)
            every = save.every_n_epochs
            if save.enabled and ((every and epoch % every == 0) or epoch in save.epochs) or epoch == config.train.num_epochs:
                checkpoint(epoch)
    except KeyboardInterrupt:
        if epoch > 1 and not result.checkpoint.endswith(f"_{epoch - 1}.pth"):
            checkpoint(epoch - 1)  # keep what was finished
            print(f"interrupted: saved the last finished epoch to {result.checkpoint}")
        raise
    finally:
        logger.close()
    result.seconds = time.perf_counter() - start
    return result


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--task", default="Isaac-Desktop-Organizer-Franka-IK-Rel-v0", help="gym task ID")
    parser.add_argument("--algo", default="bc_rnn", help=f"algorithm config: {', '.join(ALGOS)}")
    parser.add_argument("--dataset", "--dataset_file", dest="dataset", required=True, help="HDF5 dataset with mask/train, mask/valid")
    parser.add_argument(
        "--config", default=None, help="robomimic JSON config to use instead of the task's (e.g. an edited copy from config/robomimic/)"
    )
    parser.add_argument("--name", default=None, help="experiment name (default: the config's experiment.name)")
    parser.add_argument("--log_dir", default="robomimic", help="runs go to ./logs/<log_dir>/<task>/<name>/<time>/")
    parser.add_argument("--epochs", type=int, default=None, help="number of epochs (default: the config's)")
    parser.add_argument("--seed", type=int, default=None, help="training seed (default: the config's)")
    parser.add_argument(
        "--normalize_training_actions",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="normalize actions per dimension to [-1, 1] from the training split; stored in the checkpoint (default: on)",
    )
    parser.add_argument(
        "--normalize_observations",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="standardize observations per dimension from the training split; stored in the checkpoint (default: on)",
    )


def main(args: argparse.Namespace) -> int:
    output_dir = os.path.join("logs", args.log_dir, args.task)
    result = train_policy(
        args.task, args.algo, args.dataset, output_dir, num_epochs=args.epochs, seed=args.seed,
        config_path=args.config, name=args.name, normalize_actions=args.normalize_training_actions,
        normalize_obs=args.normalize_observations,
    )
    valid = f", valid loss {result.valid_loss[-1]:.5f}" if result.valid_loss else ""
    print(
        f"trained {len(result.train_loss)} epochs in {result.seconds:.0f} s: train loss {result.train_loss[-1]:.5f}{valid};"
        f" checkpoint {result.checkpoint}; tensorboard --logdir {os.path.join(result.run_dir, 'logs')}"
    )
    return 0
