"""robomimic 0.3 training (BC, BC-RNN) on a dataset: ``mimic-tasks train``.

Flags follow Isaac Lab's ``scripts/imitation_learning/robomimic/train.py``. The algorithm config is the JSON file
the task registers as ``robomimic_<algo>_cfg_entry_point`` (``agents/robomimic/`` of the task) or, with
``--config``, any robomimic config file (e.g. an edited copy written by ``mimic-tasks train --export_config``).

Before training, the dataset is checked (:mod:`.config`). Actions and observations are normalized from the train
split (:mod:`.normalization`). robomimic 0.3 refuses its own ``train.hdf5_normalize_obs`` next to a validation
split, so the packaged configs leave it off (Isaac Lab's ``train.py`` runs them as they are) and the statistics
are computed here and stored as the checkpoint's ``obs_normalization_stats``, where robomimic's own rollout
policy, ``mimic-tasks play`` and Isaac Lab's ``play.py`` read them.

Output, as Isaac Lab lays it out: ``<output_dir>/<experiment name>/<YYYYmmddHHMMSS>/`` with ``config.json``,
``logs/tb/`` (tensorboard) and ``models/model_epoch_<N>.pth``.
"""

from __future__ import annotations

import contextlib
import io
import os
import time

import numpy as np
import torch

from isaaclab_mimic_tasks.datasets.action_labels import ACTION_LABELS, check_action_labels
from isaaclab_mimic_tasks.learning.families import TrainResult

from .config import check_training_data, load_config
from .family import DEFAULT_ACTION_LABELS
from .normalization import (
    ActionNormalization,
    NormalizedDataset,
    action_normalization,
    obs_normalization,
    recorded_obs_keys,
)

ACTION_STATS_KEY = "action_normalization_stats"
"""Checkpoint key of the action normalization (:meth:`ActionNormalization.to_dict`)."""


def _run_dir(output_dir: str, name: str) -> str:
    base = os.path.join(os.path.abspath(output_dir), name, time.strftime("%Y%m%d%H%M%S"))
    run_dir, i = base, 1
    while os.path.exists(run_dir):
        run_dir, i = f"{base}_{i}", i + 1
    return run_dir


def save_checkpoint(
    path: str, model, config, env_meta: dict, shape_meta: dict, actions: ActionNormalization | None, obs_stats=None
):
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
    action_normalization: str | None = "global",
    normalize_obs: bool = True,
    action_labels: str = DEFAULT_ACTION_LABELS,
) -> TrainResult:
    """Train a robomimic policy on ``dataset`` and write checkpoints and tensorboard logs under ``output_dir``.

    Returns a :class:`TrainResult`: the last checkpoint written (the final epoch's), the run folder
    (``config.json``, ``logs/``, ``models/``), the mean train and validation loss per epoch, and in ``details``
    ``norm_factors``: ``--norm_factor_min`` / ``--norm_factor_max`` for Isaac Lab's ``play.py`` (global action
    normalization; None otherwise).

    Args:
        task: The gym ID whose registered config is used (and whose task family the dataset must be of).
        algo: ``bc`` or ``bc_rnn`` (which registered config).
        dataset: The HDF5 dataset. With a config that sets no filter keys (the packaged ones), a dataset split into
            ``mask/train`` and ``mask/valid`` (``mimic-tasks split``, ``generate``) trains on ``train`` and
            validates on ``valid``; one without masks trains on every demo without validation.
        output_dir: The run folder goes to ``<output_dir>/<experiment name>/<timestamp>/``.
        num_epochs: Override ``train.num_epochs`` (an epoch is ``experiment.epoch_every_n_steps`` batches).
        seed: Override ``train.seed`` (None: the config's).
        config_path: A robomimic JSON config to use instead of the registered one.
        name: Override ``experiment.name``.
        action_normalization: ``"global"`` (one symmetric factor, undone by Isaac Lab's ``play.py`` with
            ``--norm_factor_min/max``), ``"per_dimension"``, or None (raw actions); stats from the training split.
        normalize_obs: Standardize observations per dimension (stats from the training split); also on when the
            config sets ``train.hdf5_normalize_obs``.
        action_labels: Train on the ``executed`` actions (``actions``, Mimic's noise included) or the ``intended``
            ones (``intended_actions``, of generated demos; added to ``train.dataset_keys``); the action
            normalization is that of the label trained on.
    """
    import robomimic.utils.torch_utils as TorchUtils

    from isaaclab_mimic_tasks.errors import UserInputError

    from .normalization import ACTION_NORMALIZATIONS

    config, config_file = load_config(task, algo, config_path)
    if num_epochs is not None and num_epochs < 1:
        raise UserInputError(f"--epochs must be at least 1, got {num_epochs}")
    if action_normalization is not None and action_normalization not in ACTION_NORMALIZATIONS:
        raise UserInputError(
            f"unknown --action_normalization '{action_normalization}'; choose {', '.join(ACTION_NORMALIZATIONS)}"
        )
    train_demos, valid_demos = check_training_data(dataset, task, config, config_file)
    action_key = check_action_labels(dataset, action_labels)
    dataset = os.path.abspath(dataset)
    with config.values_unlocked():
        if action_key not in config.train.dataset_keys:
            config.train.dataset_keys = [*config.train.dataset_keys, action_key]  # recorded in config.json
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
                print(
                    f"note: {dataset} has no validation demos (mask/{config.train.hdf5_validation_filter_key} is"
                    " empty or unset); training without validation"
                )
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
        return _fit(
            config, config_file, task, algo, dataset, train_demos, run_dir, device, action_normalization, action_key
        )


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


def _fit(
    config,
    config_file: str,
    task: str,
    algo: str,
    dataset: str,
    train_demos,
    run_dir: str,
    device,
    action_kind,
    action_key: str = "actions",
):
    """The training loop of :func:`train_policy` (config locked, run folder made)."""
    import robomimic.utils.file_utils as FileUtils
    import robomimic.utils.obs_utils as ObsUtils
    import robomimic.utils.train_utils as TrainUtils
    from robomimic.algo import algo_factory
    from robomimic.utils.log_utils import DataLogger

    np.random.seed(config.train.seed)
    torch.manual_seed(config.train.seed)
    from isaaclab_mimic_tasks.envs import quiet_simulator

    with quiet_simulator():  # robomimic's table of observation modalities
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
    # statistics of every recorded key: robomimic's rollout policy (Isaac Lab's play.py) normalizes all it is given
    obs_keys = recorded_obs_keys(dataset, train_demos[0])
    obs_stats = obs_normalization(dataset, train_demos, obs_keys) if normalize_obs else None
    actions = action_normalization(dataset, train_demos, action_kind, action_key) if action_kind else None
    if actions is not None or obs_stats is not None or action_key != "actions":
        trainset = NormalizedDataset(trainset, actions, obs_stats, action_key)
        validset = NormalizedDataset(validset, actions, obs_stats, action_key) if validset is not None else None
    train_loader = _loader(trainset, config.train.batch_size, config.train.num_data_workers)
    valid_loader = (
        _loader(validset, config.train.batch_size, min(config.train.num_data_workers, 1)) if validset else None
    )
    print(
        f"training {config.algo_name}{' (rnn)' if config.algo.rnn.enabled else ''} on {len(train_demos)} demos"
        f" ({len(trainset)} samples, actions '{action_key}'), validating on {len(validset) if validset else 0}"
        f" samples; config {config_file}; run {run_dir}"
    )

    logger = DataLogger(os.path.join(run_dir, "logs"), config=config, log_tb=config.experiment.logging.log_tb)
    labels = next(label for label, key in ACTION_LABELS.items() if key == action_key)
    result = TrainResult(
        algo=algo,
        checkpoint="",
        run_dir=run_dir,
        details={"norm_factors": actions.norm_factors if actions else None, "action_labels": labels},
    )
    save = config.experiment.save
    start = time.perf_counter()

    def checkpoint(epoch: int) -> None:
        result.checkpoint = os.path.join(run_dir, "models", f"model_epoch_{epoch}.pth")
        save_checkpoint(result.checkpoint, model, config, env_meta, shape_meta, actions, obs_stats)

    def record(log: dict, split: str, epoch: int) -> None:
        for key, value in log.items():
            logger.record(
                f"Timing_Stats/{split}_{key[5:]}" if key.startswith("Time_") else f"{split}/{key}", value, epoch
            )

    epoch = 0
    try:
        for epoch in range(1, config.train.num_epochs + 1):
            with quiet_simulator():  # robomimic's own per-batch bar goes to stdout; one line per epoch instead
                log = TrainUtils.run_epoch(model, train_loader, epoch, num_steps=config.experiment.epoch_every_n_steps)
            model.on_epoch_end(epoch)
            result.losses.append((epoch, log["Loss"]))
            record(log, "Train", epoch)
            line = f"epoch {epoch}/{config.train.num_epochs}: train loss {log['Loss']:.5f}"
            if valid_loader is not None:
                with torch.no_grad(), quiet_simulator():
                    log = TrainUtils.run_epoch(
                        model,
                        valid_loader,
                        epoch,
                        validate=True,
                        num_steps=config.experiment.validation_epoch_every_n_steps,
                    )
                result.valid_losses.append((epoch, log["Loss"]))
                record(log, "Valid", epoch)
                line += f", valid loss {log['Loss']:.5f}"
            print(line, flush=True)
            every = save.every_n_epochs
            if (
                save.enabled
                and ((every and epoch % every == 0) or epoch in save.epochs)
                or epoch == config.train.num_epochs
            ):
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
