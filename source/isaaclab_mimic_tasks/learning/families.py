"""Policy families: one small protocol (:class:`PolicyFamily`) and a registry of lazy string entry points.

A family trains policies on a dataset (``mimic-tasks train --algo``), says whether a path is one of its
checkpoints, loads a checkpoint as a batched policy (:class:`BatchedPolicy`: what ``mimic-tasks play``, the
pipeline and :mod:`.rollouts` run) and names a checkpoint's run folder (for videos). ``train``, ``play``,
``pipeline`` and the rollouts go through :func:`policy_family` and :func:`family_for_checkpoint` and name no
family. Registering a family imports nothing (like ``gym.register``): its module is imported the first time the
registry is asked about its algorithms or checkpoints. A new family is one module plus one
:func:`register_policy_family` line at the end of this file, or, from another package, an entry point of the
:data:`POLICY_FAMILY_GROUP` group (docs/extending.md).
"""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass, field
from typing import Protocol

from isaaclab_mimic_tasks.errors import UserInputError
from isaaclab_mimic_tasks.registration import plugin_entry_points, plugin_failed, plugin_failures

POLICY_FAMILY_GROUP = "isaaclab_mimic_tasks.policy_families"
"""Entry-point group of other packages' policy families: ``name = "module:Class"``, registered as
:func:`register_policy_family` registers ours (nothing imported until the registry needs the family)."""


class BatchedPolicy(Protocol):
    """A trained policy driving every environment of an env at once."""

    task: str
    """The task it was trained on ("" if unknown): ``play`` refuses another task family."""

    def __call__(self, obs: dict) -> object:
        """Actions ``(num_envs, action_dim)`` for the env's ``obs["policy"]`` (``{key: (num_envs, ...)}``)."""

    def reset(self, env_ids=None) -> None:
        """Start new rollouts for ``env_ids`` (all if None)."""


@dataclass
class TrainResult:
    """What a family's :meth:`PolicyFamily.train` did (the same type for every family)."""

    algo: str
    checkpoint: str | None
    """The last checkpoint written: what ``mimic-tasks play --checkpoint`` loads (None if interrupted before the
    first one)."""
    run_dir: str
    seconds: float = 0.0
    losses: list[tuple[int, float]] = field(default_factory=list)
    """(epoch or step, training loss) pairs; :attr:`loss_unit` says which."""
    valid_losses: list[tuple[int, float]] = field(default_factory=list)
    """(epoch or step, validation loss) pairs (empty without validation)."""
    loss_unit: str = "epoch"
    interrupted: bool = False
    """Ctrl-C stopped it; what was saved until then is kept."""
    details: dict = field(default_factory=dict)
    """Family-specific extras (robomimic: ``norm_factors``; LeRobot: ``command``, ``steps``, ...)."""


class PolicyFamily:
    """A policy family: subclass it, set :attr:`name`, :attr:`algos` and :attr:`options`, implement :meth:`train`,
    :meth:`is_checkpoint` and :meth:`load_policy`, and register it with :func:`register_policy_family`."""

    name: str = ""
    """The family's name; also the default ``--log_dir`` of ``mimic-tasks train`` (``logs/<name>/<task>/``)."""
    algos: tuple[str, ...] = ()
    """The ``--algo`` values it trains."""
    options: tuple[str, ...] = ()
    """The ``mimic-tasks train`` options it takes (flag names without dashes: ``epochs``, ``steps``, ``seed``,
    ``config``, ...); :meth:`check_options` refuses the others."""
    default_action_labels: str = "executed"
    """Which actions of a demo it trains on when ``action_labels`` (an option of :attr:`options`) is not given:
    ``executed`` (``actions``, Mimic's noise included) or ``intended`` (``intended_actions``, generated demos)."""
    play_options: tuple[str, ...] = ()
    """The ``mimic-tasks play`` options its :meth:`load_policy` takes as keyword arguments (LeRobot:
    ``temporal_ensemble_coeff``); ``play`` refuses the others for its checkpoints."""
    checkpoint_hint: str = ""
    """What its checkpoints look like, for the error on a path no family claims."""
    dataset_kinds: str = "FILE.hdf5"
    """What ``mimic-tasks train --dataset`` takes, for the error without one."""

    def train(self, task: str, algo: str, dataset: str, output_dir: str, options: dict) -> TrainResult:
        """Train ``algo`` on ``dataset`` (an HDF5 file of ``task``) into a new run folder under ``output_dir``.

        ``options`` holds the options the user gave (names of :attr:`options`; absent: the family's default).
        """
        raise NotImplementedError

    def is_checkpoint(self, path: str) -> bool:
        """Whether ``path`` is (or claims to be, e.g. by its file type) a checkpoint of this family; its
        :meth:`load_policy` then says what is wrong with it, if anything."""
        raise NotImplementedError

    def load_policy(self, checkpoint: str, task: str = "", **options) -> BatchedPolicy:
        """The batched policy in ``checkpoint``, to run in ``task`` (or raise :class:`UserInputError`); ``options``:
        the :attr:`play_options` the user gave."""
        raise NotImplementedError

    def run_dir(self, checkpoint: str) -> tuple[str, str]:
        """The run folder of ``checkpoint`` and a short name for the checkpoint (``play --video`` writes
        ``<run folder>/videos/play_<name>_seed<N>.mp4``). Default: the file's folder and its name."""
        checkpoint = os.path.abspath(checkpoint)
        return os.path.dirname(checkpoint), os.path.splitext(os.path.basename(checkpoint))[0]

    def config_path(self, task: str, algo: str) -> str:
        """The config file ``task`` registers for ``algo`` (what ``mimic-tasks train --export_config`` copies)."""
        raise UserInputError(f"{self.name}'s {algo} has no config file to export; train it without --export_config")

    def export_config(self, task: str, algo: str, path: str) -> str:
        """Copy :meth:`config_path` to ``path`` (which must not exist), to edit and pass with ``--config``."""
        import shutil

        if os.path.exists(path):
            raise UserInputError(f"{path} exists; remove it or choose another --export_config file")
        shutil.copyfile(self.config_path(task, algo), path)
        return path

    def check_options(self, options: dict) -> None:
        """Raise a one-line :class:`UserInputError` naming the given options this family does not take."""
        refused = [option for option in options if option not in self.options]
        if refused:
            flags = [f"--no-{option}" if options[option] is False else f"--{option}" for option in refused]
            raise UserInputError(self.refused_options_message(flags))

    def refused_options_message(self, flags: list[str]) -> str:
        """The message of :meth:`check_options` for ``flags`` (as the user typed them)."""
        return f"{', '.join(flags)}: not an option of {self.name} ({', '.join(self.algos)})"

    def train_summary(self, result: TrainResult) -> list[str]:
        """The lines ``mimic-tasks train`` prints after training."""
        loss = f", train loss {result.losses[-1][1]:.5f}" if result.losses else ""
        return [f"trained {result.algo} in {result.seconds:.0f} s{loss}; checkpoint {result.checkpoint}"]


_entry_points: dict[str, str] = {}
_families: dict[str, PolicyFamily] = {}
_plugins = None  # name -> EntryPoint of the POLICY_FAMILY_GROUP entry points, once registered


def register_policy_family(name: str, entry_point: str) -> None:
    """Register the family ``name`` as ``"module:attribute"`` (a :class:`PolicyFamily` subclass or instance);
    nothing is imported until the registry needs the family."""
    if ":" not in entry_point:
        raise ValueError(f"entry point {entry_point!r} of policy family '{name}' is not 'module:attribute'")
    if _entry_points.get(name, entry_point) != entry_point:
        raise ValueError(f"policy family '{name}' is already registered as {_entry_points[name]}")
    _entry_points[name] = entry_point


def _register_plugin_families() -> dict:
    """Register the :data:`POLICY_FAMILY_GROUP` entry points (once), after ours."""
    global _plugins
    if _plugins is None:
        _plugins = {entry_point.name: entry_point for entry_point in plugin_entry_points(POLICY_FAMILY_GROUP)}
        for name, entry_point in list(_plugins.items()):
            try:
                register_policy_family(name, entry_point.value)
            except ValueError as error:  # a name taken by another family, or not "module:Class"
                plugin_failed("policy family", entry_point, error)
                del _plugins[name]
    return _plugins


def policy_families() -> list[PolicyFamily]:
    """Every registered family, in registration order (their modules imported). A plugin family whose import
    fails is named in one log line and in the "unknown --algo" error, and left out."""
    plugins = _register_plugin_families()
    for name, entry_point in _entry_points.items():
        if name not in _families:
            module, attribute = entry_point.split(":")
            try:
                family = getattr(importlib.import_module(module), attribute)
            except Exception as error:
                if name not in plugins:
                    raise
                plugin_failed("policy family", plugins[name], error)
                continue
            _families[name] = family() if isinstance(family, type) else family
    return [_families[name] for name in _entry_points if name in _families]


def registered_algos() -> tuple[str, ...]:
    """Every ``--algo`` value of the registered families."""
    return tuple(algo for family in policy_families() for algo in family.algos)


def policy_family(algo: str) -> PolicyFamily:
    """The family that trains ``algo``."""
    for family in policy_families():
        if algo in family.algos:
            return family
    raise UserInputError(
        f"unknown --algo '{algo}'; choose one of: {', '.join(registered_algos())}{plugin_failures('policy family')}"
    )


def family_for_checkpoint(path: str) -> PolicyFamily:
    """The family whose checkpoint ``path`` is."""
    for family in policy_families():
        if family.is_checkpoint(path):
            return family
    if not os.path.exists(path):
        raise UserInputError(f"checkpoint {path} does not exist; pass one written by `mimic-tasks train`")
    hints = "; ".join(f"{family.name}: {family.checkpoint_hint}" for family in policy_families())
    raise UserInputError(f"{path} is no checkpoint of a registered policy family ({hints})")


register_policy_family("robomimic", "isaaclab_mimic_tasks.learning.robomimic.family:RobomimicFamily")
register_policy_family("lerobot", "isaaclab_mimic_tasks.learning.lerobot.family:LeRobotFamily")
