"""robomimic configs: the JSON file a task registers (``robomimic_<algo>_cfg_entry_point``) or one given with
``--config``, and the checks a dataset must pass before training on it."""

from __future__ import annotations

import json

ALGOS = ("bc", "bc_rnn")
"""Values of ``--algo``: the gym kwarg ``robomimic_<algo>_cfg_entry_point`` that holds the config."""


def _check_task_and_algo(task: str, algo: str) -> None:
    from isaaclab_mimic_tasks.envs import task_ids
    from isaaclab_mimic_tasks.errors import UserInputError

    if algo not in ALGOS:
        raise UserInputError(f"unknown --algo '{algo}'; choose one of: {', '.join(ALGOS)}")
    known = task_ids()
    if task not in known:
        raise UserInputError(f"unknown task '{task}'; choose one of: {', '.join(known)}")


def registered_config_path(task: str, algo: str) -> str:
    """The robomimic config file ``task`` registers for ``algo`` (resolved as Isaac Lab's ``train.py`` does)."""
    from isaaclab_mimic_tasks.envs import registered_agent_file
    from isaaclab_mimic_tasks.errors import UserInputError

    _check_task_and_algo(task, algo)
    key = f"robomimic_{algo}_cfg_entry_point"
    path = registered_agent_file(task, key)
    if path is None:
        raise UserInputError(f"task '{task}' registers no {key}; pass a robomimic config with --config PATH")
    return path


def load_config(task: str, algo: str, config_path: str | None = None):
    """The robomimic ``Config`` of ``task`` / ``algo`` (or of the file ``config_path``) and the file it came from."""
    from robomimic.config import config_factory
    from robomimic.config.base_config import get_all_registered_configs

    from isaaclab_mimic_tasks.errors import UserInputError

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
        raise UserInputError(
            f"{path} has algo_name {algo_name!r}; a robomimic 0.3 config needs one of: {', '.join(known)}"
        )
    config = config_factory(algo_name)
    try:
        with config.values_unlocked():
            config.update(external)
    except Exception as error:  # robomimic raises on keys its config does not have
        raise UserInputError(
            f"{path} is not a valid robomimic {algo_name} config ({' '.join(str(error).split())})"
        ) from None
    return config, path


def check_training_data(dataset: str, task: str, config, config_file: str) -> tuple[list[str], list[str]]:
    """Check ``dataset`` for training with ``config``; returns the demo names of the train and valid filter keys.

    A config without filter keys (the packaged ones) is switched to ``train`` / ``valid`` (and validation on) when
    the file has both masks; without masks it trains on every demo.

    Raises :class:`UserInputError` naming what to fix: the dataset, its masks, or the config's observation keys.
    """
    from isaaclab_mimic_tasks.datasets import check_dataset, demo_names, mask_names, open_dataset
    from isaaclab_mimic_tasks.errors import UserInputError

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
        if not train_key and "mask/train" in f and "mask/valid" in f:  # the packaged configs: the file's split
            train_key, valid_key = "train", "valid"
            with config.values_unlocked():
                config.train.hdf5_filter_key, config.train.hdf5_validation_filter_key = train_key, valid_key
                config.experiment.validate = True
        for key in (train_key, valid_key):
            if key and f"mask/{key}" not in f:
                raise UserInputError(
                    f"{dataset} has no mask/{key}, which {config_file} filters on; run `mimic-tasks split`"
                )
        train = mask_names(f[f"mask/{train_key}"]) if train_key else demo_names(f)
        valid = mask_names(f[f"mask/{valid_key}"]) if valid_key else []
    return train, valid
