"""Training LeRobot's ACT and diffusion policies on a task's data with LeRobot's own trainer (``lerobot-train``).

The task registers its configs as ``lerobot_<algo>_cfg_entry_point`` (``agents/lerobot/<algo>.json``: a partial
``TrainPipelineConfig``, what ``lerobot-train --config_path`` reads). :func:`train_policy` takes an HDF5 dataset
(exported first, into the run folder) or an export, trains on its train split only, and writes LeRobot's usual
output: ``<run>/train/checkpoints/<step>/pretrained_model`` (``last`` links the latest). :func:`lerobot_train_command`
is the equivalent ``lerobot-train`` command line.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import shlex
import time

from isaaclab_mimic_tasks.errors import UserInputError
from isaaclab_mimic_tasks.learning.families import TrainResult

ALGOS = ("act", "diffusion")
"""Values of ``--algo`` for LeRobot: the gym kwarg ``lerobot_<algo>_cfg_entry_point`` holds the config."""
DEFAULT_ACTION_LABELS = "executed"
"""The actions LeRobot exports and trains on without ``--action_labels``: ``executed`` (``actions``, Mimic's noise
included) or ``intended`` (``intended_actions`` of generated demos)."""


def registered_config_path(task: str, algo: str) -> str:
    """The LeRobot config file ``task`` registers for ``algo`` (``agents/lerobot/<algo>.json``)."""
    from isaaclab_mimic_tasks.envs import registered_agent_file

    if algo not in ALGOS:
        raise UserInputError(f"unknown LeRobot --algo '{algo}'; choose one of: {', '.join(ALGOS)}")
    key = f"lerobot_{algo}_cfg_entry_point"
    path = registered_agent_file(task, key)
    if path is None:
        raise UserInputError(f"task '{task}' registers no {key}; pass a LeRobot train config with --config PATH")
    return path


def is_lerobot_dataset(path: str | os.PathLike) -> bool:
    """Whether ``path`` is the root of a LeRobotDataset (``meta/info.json``)."""
    return os.path.isfile(os.path.join(path, "meta", "info.json"))


def _train_episodes(root: str) -> tuple[list[int] | None, int]:
    """The episodes of the export's ``train`` split (None: all) and the number of episodes."""
    with open(os.path.join(root, "meta", "info.json")) as f:
        info = json.load(f)
    total = int(info.get("total_episodes", 0))
    train = (info.get("splits") or {}).get("train")
    if not train or ":" not in str(train):
        return None, total
    start, stop = (int(x) for x in str(train).split(":"))
    return (None if (start, stop) == (0, total) else list(range(start, stop))), total


def lerobot_train_command(
    config: str,
    repo_id: str,
    root: str,
    output_dir: str,
    episodes: list[int] | None,
    steps: int | None = None,
    seed: int | None = None,
    batch_size: int | None = None,
) -> list[str]:
    """The ``lerobot-train`` command line that trains ``config`` on the export at ``root`` (offline)."""
    args = [
        "lerobot-train",
        f"--config_path={config}",
        f"--dataset.repo_id={repo_id}",
        f"--dataset.root={root}",
        f"--output_dir={output_dir}",
    ]
    if episodes is not None:
        args.append(f"--dataset.episodes=[{','.join(map(str, episodes))}]")
    for name, value in (("steps", steps), ("seed", seed), ("batch_size", batch_size)):
        if value is not None:
            args.append(f"--{name}={value}")
    return args


def _losses(log_file: str) -> list[tuple[int, float]]:
    """(step, loss) pairs of LeRobot's training log lines (``step:2K smpl:... loss:0.123 ...``)."""
    losses = []
    if not os.path.isfile(log_file):
        return losses
    with open(log_file) as f:
        for line in f:
            fields = dict(part.split(":", 1) for part in line.split() if ":" in part and part.count(":") == 1)
            if "step" in fields and "loss" in fields:
                step = fields["step"].upper().replace("K", "e3").replace("M", "e6")
                try:
                    losses.append((int(float(step)), float(fields["loss"])))
                except ValueError:
                    continue
    return losses


_LOG_TIME = re.compile(r"^\w+ (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) ")
_SAVED_STEP = re.compile(r"Checkpoint policy after step (\d+)")


def checkpoint_times(log_file: str) -> list[tuple[int, float]]:
    """(step, seconds of training before it was saved) for each checkpoint of LeRobot's training log: the time of
    its ``Checkpoint policy after step N`` line minus that of ``Start offline training`` (one-second resolution)."""
    start, saved = None, []
    if not os.path.isfile(log_file):
        return saved
    with open(log_file) as f:
        for line in f:
            stamp = _LOG_TIME.match(line)
            if stamp is None:
                continue
            when = time.mktime(time.strptime(stamp.group(1), "%Y-%m-%d %H:%M:%S"))
            if start is None and "Start offline training" in line:
                start = when
            step = _SAVED_STEP.search(line)
            if step and start is not None:
                saved.append((int(step.group(1)), when - start))
    return saved


def train_policy(
    task: str,
    algo: str,
    dataset: str,
    output_dir: str,
    steps: int | None = None,
    seed: int | None = None,
    batch_size: int | None = None,
    config_path: str | None = None,
    repo_id: str | None = None,
    action_labels: str | None = None,
    obs_keys: list[str] | None = None,
) -> TrainResult:
    """Train a LeRobot ``algo`` policy on ``dataset`` with LeRobot's trainer, on its train split.

    Returns a :class:`TrainResult` whose ``checkpoint`` is the last ``pretrained_model`` folder (what
    ``mimic-tasks play --checkpoint`` and ``lerobot-eval`` load; None if interrupted before the first save),
    ``losses`` the (step, mean loss since the previous log line) pairs of LeRobot's log, and ``details`` the
    ``steps``, ``train_episodes``, ``dataset_root`` and the equivalent ``lerobot-train`` ``command``.

    Args:
        task: The task the data comes from (its ``lerobot_<algo>_cfg_entry_point`` is the config).
        algo: ``act`` or ``diffusion``.
        dataset: An HDF5 file of the task (exported to ``<run>/dataset`` first) or an export's root folder.
        output_dir: Runs go to ``<output_dir>/<algo>/<time>/``.
        steps, seed, batch_size: Override the config's.
        config_path: A LeRobot train config to use instead of the task's.
        repo_id: Name of the export made from an HDF5 file (default: ``isaaclab_mimic/<file name>``).
        action_labels: ``executed`` or ``intended``: the actions exported from an HDF5 file (default:
            :data:`DEFAULT_ACTION_LABELS`); an export given must hold these (its provenance says which it holds).
        obs_keys: The policy observations exported from an HDF5 file (default: those the task's BC-RNN config
            reads, :func:`.export.default_observation_keys`); an export given must hold exactly these.
    """
    from isaaclab_mimic_tasks.envs import task_family

    from .export import export_lerobot, read_provenance
    from .gate import quiet_lerobot

    config = os.path.abspath(config_path or registered_config_path(task, algo))
    if not os.path.isfile(config):
        raise UserInputError(f"config file {config} does not exist; pass a LeRobot train config (JSON) to --config")
    for name, value in (("--steps", steps), ("--batch_size", batch_size)):
        if value is not None and value < 1:
            raise UserInputError(f"{name} must be at least 1, got {value}")
    if not os.path.exists(dataset):
        raise UserInputError(f"{dataset} does not exist; pass an HDF5 dataset or a LeRobot export (mimic-tasks export)")
    quiet_lerobot()
    run_dir = os.path.abspath(os.path.join(output_dir, algo, time.strftime("%Y-%m-%d-%H-%M-%S")))
    if is_lerobot_dataset(dataset):
        root = os.path.abspath(dataset)
        with open(os.path.join(root, "meta", "info.json")) as f:
            info_repo = json.load(f).get("repo_id")
        repo_id = repo_id or info_repo or f"isaaclab_mimic/{os.path.basename(root)}"
    else:
        from isaaclab_mimic_tasks.datasets import check_dataset

        check_dataset(dataset, task=task)  # the file and its task, before a minute of export and import
        root = export_lerobot(
            dataset, os.path.join(run_dir, "dataset"), repo_id=repo_id, action_labels=action_labels, obs_keys=obs_keys
        ).root
        repo_id = repo_id or f"isaaclab_mimic/{os.path.splitext(os.path.basename(dataset))[0]}"
    try:
        provenance = read_provenance(root)
    except (OSError, ValueError):
        provenance = {}
    trained_on = provenance.get("task", "")
    exported_labels = provenance.get("action_labels", "executed")  # exports older than the labels: executed
    if action_labels and action_labels != exported_labels:
        raise UserInputError(
            f"{dataset} holds {exported_labels} actions, not {action_labels}; train on the HDF5 file or export it"
            f" with `mimic-tasks export --format lerobot --action_labels {action_labels}`"
        )
    exported = provenance.get("observation_keys") or {}
    exported_keys = [key for name, keys in exported.items() if name != "images" for key in keys]
    if obs_keys and provenance and sorted(obs_keys) != sorted(exported_keys):
        raise UserInputError(
            f"{dataset} holds the observations {','.join(exported_keys)}, not {','.join(obs_keys)}; train on the"
            " HDF5 file or export it with `mimic-tasks export --format lerobot --obs_keys ...`"
        )
    if trained_on and task_family(trained_on) != task_family(task):
        raise UserInputError(f"{dataset} holds demos of '{trained_on}', not of '{task}'; pass the matching --task")
    episodes, total = _train_episodes(root)
    train_dir = os.path.join(run_dir, "train")
    command = lerobot_train_command(config, repo_id, root, train_dir, episodes, steps, seed, batch_size)

    from lerobot.configs.train import TrainPipelineConfig
    from lerobot.scripts import lerobot_train

    os.makedirs(run_dir, exist_ok=True)
    log_file = os.path.join(run_dir, "train.log")
    try:
        cfg = TrainPipelineConfig.from_pretrained(config, cli_args=command[2:])
    except (Exception, SystemExit) as error:
        raise UserInputError(
            f"{config} is not a valid LeRobot train config ({' '.join(str(error).split())[:300]})"
        ) from None
    start = time.perf_counter()
    interrupted = False
    try:
        with lerobot_training_log(log_file):
            lerobot_train.train(cfg)
    except KeyboardInterrupt:
        interrupted = True
    seconds = time.perf_counter() - start
    checkpoint = os.path.join(train_dir, "checkpoints", "last", "pretrained_model")
    return TrainResult(
        algo=algo,
        checkpoint=checkpoint if os.path.isdir(checkpoint) else None,
        run_dir=run_dir,
        seconds=seconds,
        losses=_losses(log_file),
        loss_unit="step",
        interrupted=interrupted,
        details={
            "steps": cfg.steps,
            "train_episodes": len(episodes) if episodes is not None else total,
            "dataset_root": root,
            "command": command,
            "log": log_file,
            "action_labels": exported_labels,
        },
    )


@contextlib.contextmanager
def lerobot_training_log(log_file: str):
    """While training: LeRobot's INFO lines (the whole config, a metrics line per ``log_freq`` steps) go to
    ``log_file`` only; the console keeps LeRobot's progress bar and its warnings. The root logger's handlers are
    restored afterwards.

    A shim, because LeRobot 0.6.1 has no public way to do it: ``lerobot.scripts.lerobot_train.train`` calls
    ``init_logging(accelerator=...)`` itself (replacing the root logger's handlers with an INFO console handler),
    and neither ``TrainPipelineConfig`` nor ``train`` takes a log file or a console level. So, for the duration,
    the name ``init_logging`` in that module is bound to LeRobot's own ``init_logging`` with ``log_file`` and
    ``console_level="WARNING"`` added. ``tests/test_lerobot.py`` checks it still does its job.
    """
    from lerobot.scripts import lerobot_train
    from lerobot.utils.utils import init_logging

    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    original = lerobot_train.init_logging
    lerobot_train.init_logging = lambda **kwargs: init_logging(
        **{**kwargs, "log_file": log_file, "console_level": "WARNING"}
    )
    try:
        yield
    finally:
        lerobot_train.init_logging = original
        for handler in root.handlers:
            if handler not in handlers:
                handler.close()
        root.handlers[:] = handlers
        root.setLevel(level)


def format_command(command: list[str]) -> str:
    """A command line for the docs and the console."""
    return " ".join(shlex.quote(part) for part in command)
