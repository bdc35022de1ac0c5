"""Which gym IDs are this package's, loading task plugins, and keeping our IDs registered over stock Isaac Lab
IDs of the same name.

``import isaaclab_mimic_tasks`` registers every task (``tasks/__init__.py``, inside
:class:`recording_registrations`): this package's, then those of other installed packages that declare an entry
point in the :data:`TASK_PLUGIN_GROUP` group (:func:`load_task_plugins`; docs/extending.md, "A task in your own
package"). A plugin's tasks count as ours: they declare ``related_task_ids``.

Stock code may register an ID this package also registers (stock 3.0's ``isaaclab_mimic.envs`` registers
``Isaac-PickPlace-GR1T2-Abs-Mimic-v0`` for PhysX and Kit): ours win, whichever is imported first, and the log says
once which IDs were replaced. The interpreter-start hook for Isaac Lab's standard scripts (top-level module
``isaaclab_mimic_tasks_hook``) calls :func:`before_stock_import` / :func:`after_stock_import` around the import of
stock task packages.
"""

from __future__ import annotations

import logging
from importlib.metadata import EntryPoint, entry_points

import gymnasium as gym
from gymnasium import logger as gym_logger

_PREFIX = "isaaclab_mimic_tasks."

TASK_PLUGIN_GROUP = "isaaclab_mimic_tasks.tasks"
"""Entry-point group of other packages' tasks: each entry names a module whose import registers tasks with
``gym.register`` (string entry points, ``related_task_ids``), as Isaac Lab's ``isaaclab.tasks`` group does for
the ``isaaclab`` CLI."""

_plugin_failures: list[str] = []  # one line per plugin (task or policy family) that could not be imported

_ours: dict = {}  # gym ID -> EnvSpec registered by isaaclab_mimic_tasks.tasks
_reported: set[str] = set()  # replaced IDs already named in the log


AGENT_CFG_FILES = {
    "robomimic_bc_cfg_entry_point": "robomimic/bc.json",
    "robomimic_bc_rnn_cfg_entry_point": "robomimic/bc_rnn_low_dim.json",
    "lerobot_act_cfg_entry_point": "lerobot/act.json",
    "lerobot_diffusion_cfg_entry_point": "lerobot/diffusion.json",
}
"""The agent configs a task package ships in its ``agents/`` folder, by the gym kwarg that names them."""


def agent_cfg_entry_points(package: str) -> dict[str, str]:
    """The gym kwargs naming the agent configs of the task package ``package`` (``module:file``, resolved next to the
    module, as Isaac Lab's ``robomimic/train.py`` reads them): one per file of :data:`AGENT_CFG_FILES`."""
    return {key: f"{package}.agents:{file}" for key, file in AGENT_CFG_FILES.items()}


def is_ours(spec) -> bool:
    """Whether a gym spec is one of this package's or a task plugin's: its entry points are in a module of this
    package, or it declares ``related_task_ids`` (what :func:`isaaclab_mimic_tasks.envs.task_ids` lists)."""
    references = (spec.entry_point, spec.kwargs.get("env_cfg_entry_point"))
    return "related_task_ids" in spec.kwargs or any(
        isinstance(ref, str) and ref.startswith(_PREFIX) for ref in references
    )


def plugin_entry_points(group: str) -> list[EntryPoint]:
    """The entry points of ``group`` declared by installed distributions, by name."""
    return sorted(entry_points(group=group), key=lambda entry_point: entry_point.name)


def plugin_failed(kind: str, entry_point: EntryPoint, error: BaseException) -> None:
    """Say in one log line that the plugin ``entry_point`` (a ``kind``: "task plugin", "policy family") could not
    be imported, and keep the line for the errors that list what is registered (:func:`plugin_failures`)."""
    distribution = entry_point.dist.name if entry_point.dist is not None else "its package"
    reason = (str(error).strip().splitlines() or [""])[0]
    line = (
        f"{kind} '{entry_point.name}' ({entry_point.value}, from {distribution}) could not be imported:"
        f" {type(error).__name__}: {reason}; fix it or uninstall {distribution}"
    )
    if line not in _plugin_failures:
        _plugin_failures.append(line)
        logging.getLogger("isaaclab_mimic_tasks").warning("isaaclab_mimic_tasks: %s", line)


def plugin_failures(kind: str) -> str:
    """The plugins of ``kind`` that could not be imported, as text to append to an error that lists what is
    registered ("" if none)."""
    return "".join(f"; {line}" for line in _plugin_failures if line.startswith(kind))


def load_task_plugins() -> None:
    """Import the module of every :data:`TASK_PLUGIN_GROUP` entry point (a module imported before is not run
    again). One that fails is named in one log line and in the "unknown task" error; the others still load."""
    for entry_point in plugin_entry_points(TASK_PLUGIN_GROUP):
        try:
            entry_point.load()
        except Exception as error:  # a broken plugin must not take this package's tasks down with it
            plugin_failed("task plugin", entry_point, error)


def _collect_ours() -> None:
    """Remember our specs found in the registry too, e.g. registered by a re-imported copy of this package
    (Isaac Lab's Kit launcher takes every "*lab*" module out of sys.modules while Kit starts)."""
    for task_id, spec in gym.registry.items():
        if is_ours(spec):
            _ours[task_id] = spec


def _report_replaced(task_ids) -> None:
    new = sorted(set(task_ids) - _reported)
    if new:
        _reported.update(new)
        logging.getLogger("isaaclab_mimic_tasks").warning(
            "isaaclab_mimic_tasks: replaced the stock Isaac Lab registration of %s with this package's"
            " (kit-less, Newton) task",
            ", ".join(new),
        )


class recording_registrations:
    """Context for the ``gym.register`` calls of ``isaaclab_mimic_tasks.tasks``: remembers what they register,
    replaces stock registrations of the same ID without gymnasium's per-ID "Overriding environment"
    warning, and says once in the log which stock IDs were replaced."""

    def __enter__(self):
        self._before = dict(gym.registry)
        self._level = gym_logger.min_level
        gym_logger.min_level = gym_logger.ERROR
        return self

    def __exit__(self, *exc_info):
        gym_logger.min_level = self._level
        new = {
            task_id: spec
            for task_id, spec in gym.registry.items()
            if self._before.get(task_id) is not spec and is_ours(spec)  # not stock ones imported meanwhile
        }
        _ours.update(new)
        _report_replaced(task_id for task_id in new if task_id in self._before and not is_ours(self._before[task_id]))
        return False


def register_tasks() -> None:
    """Register this package's gym IDs (idempotent) and put them back where stock code registered over them.

    Also an ``--external_callback`` for ``record_demos.py`` and ``annotate_demos.py`` where the import hook is
    not installed: ``--external_callback isaaclab_mimic_tasks.registration.register_tasks``. It returns None
    (it consumes no command-line argument), so those scripts still reject unknown arguments.
    """
    _collect_ours()
    replaced = []
    for task_id, spec in _ours.items():
        current = gym.registry.get(task_id)
        if current is not spec:
            if current is not None and not is_ours(current):
                replaced.append(task_id)
            gym.registry[task_id] = spec
    _report_replaced(replaced)


def before_stock_import() -> None:
    """Take our IDs out of the registry while stock code registers its tasks, so that gymnasium does not warn
    "Overriding environment"; :func:`after_stock_import` puts them back."""
    _collect_ours()
    for task_id, spec in _ours.items():
        if gym.registry.get(task_id) is spec:
            del gym.registry[task_id]


def after_stock_import(succeeded: bool) -> None:
    """After a stock task package was imported: ours win (or, if its import failed, ours are put back)."""
    if succeeded:
        register_tasks()
    else:
        for task_id, spec in _ours.items():
            gym.registry.setdefault(task_id, spec)
