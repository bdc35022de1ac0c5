"""Make this package's gym IDs visible to scripts that never import it (the standard Isaac Lab scripts).

Isaac Lab's own scripts (``scripts/tools/record_demos.py``, ``replay_demos.py``,
``scripts/imitation_learning/isaaclab_mimic/annotate_demos.py``, ``generate_dataset.py``,
``scripts/imitation_learning/robomimic/train.py``, ``play.py``) find a task with ``parse_env_cfg(task)``,
``gym.spec(task)`` and ``gym.make(task)`` after ``import isaaclab_mimic.envs`` / ``import isaaclab_tasks``.
They never load the ``isaaclab.tasks`` entry-point group (only the ``isaaclab`` CLI does), and they drop
the ``module:`` part of a ``module:ID`` task name before the lookup, so neither makes our IDs visible.

So the package installs ``isaaclab_mimic_tasks_hook.pth`` into site-packages (``setup.py`` writes it into
the wheel, editable or not). At interpreter start it calls :func:`install_import_hook`, which only appends
a finder to :data:`sys.meta_path`: standard library only, nothing else is imported. When
``isaaclab_tasks`` or ``isaaclab_mimic.envs`` has finished importing, the finder imports
``isaaclab_mimic_tasks.tasks`` (``gym.register`` with string entry points: no simulator) and makes sure
that our registrations win over stock ones of the same ID (``isaaclab_mimic.envs`` registers its own
``Isaac-PickPlace-GR1T2-Abs-Mimic-v0``), saying once in the log which IDs it replaced.

Set ``ISAACLAB_MIMIC_TASKS_NO_HOOK=1`` to switch the hook off for a process.

This module is imported at every interpreter start of the environment it is installed in: keep its
module-level imports to ``os`` and ``sys`` (``tests/test_standard_scripts.py`` checks it).
"""

from __future__ import annotations

import os
import sys

DISABLE_ENV_VAR = "ISAACLAB_MIMIC_TASKS_NO_HOOK"
"""Environment variable that switches the import hook off when set to a non-empty value other than ``0``."""

TRIGGER_MODULES = ("isaaclab_tasks", "isaaclab_mimic.envs")
"""Modules after whose import our tasks are registered (every standard script imports at least one)."""

_PREFIX = "isaaclab_mimic_tasks."

_ours: dict = {}  # gym ID -> EnvSpec registered by isaaclab_mimic_tasks.tasks
_reported: set[str] = set()  # replaced IDs already named in the log
_busy = 0  # trigger modules executing right now (isaaclab_mimic.envs imports isaaclab_tasks inside)


def _hook_disabled() -> bool:
    return os.environ.get(DISABLE_ENV_VAR, "") not in ("", "0")


def _is_ours(spec) -> bool:
    references = (spec.entry_point, spec.kwargs.get("env_cfg_entry_point"))
    return any(isinstance(ref, str) and ref.startswith(_PREFIX) for ref in references)


def _collect_ours(registry) -> None:
    """Remember our specs found in ``registry`` too, e.g. registered by a re-imported copy of this package
    (Isaac Lab's Kit launcher takes every "*lab*" module out of sys.modules while Kit starts)."""
    for task_id, spec in registry.items():
        if _is_ours(spec):
            _ours[task_id] = spec


def _log(level: str, message: str, *args) -> None:
    import logging

    getattr(logging.getLogger("isaaclab_mimic_tasks"), level)(message, *args)


def _report_replaced(task_ids) -> None:
    new = sorted(set(task_ids) - _reported)
    if new:
        _reported.update(new)
        _log(
            "warning",
            "isaaclab_mimic_tasks: replaced the stock Isaac Lab registration of %s with this package's"
            " (kit-less, Newton) task",
            ", ".join(new),
        )


class recording_registrations:
    """Context for the ``gym.register`` calls of ``isaaclab_mimic_tasks.tasks``: remembers what they register,
    replaces stock registrations of the same ID without gymnasium's per-ID "Overriding environment"
    warning, and says once in the log which stock IDs were replaced."""

    def __enter__(self):
        import gymnasium as gym
        from gymnasium import logger as gym_logger

        self._registry = gym.registry
        self._before = dict(gym.registry)
        self._logger, self._level = gym_logger, gym_logger.min_level
        gym_logger.min_level = gym_logger.ERROR
        return self

    def __exit__(self, *exc_info):
        self._logger.min_level = self._level
        new = {
            task_id: spec
            for task_id, spec in self._registry.items()
            if self._before.get(task_id) is not spec and _is_ours(spec)  # not stock ones imported meanwhile
        }
        _ours.update(new)
        _report_replaced(
            task_id for task_id in new if task_id in self._before and not _is_ours(self._before[task_id])
        )
        return False


def register_tasks() -> None:
    """Register this package's gym IDs (idempotent) and put them back where stock code registered over them.

    Also an ``--external_callback`` for ``record_demos.py`` and ``annotate_demos.py`` where the import hook is
    not installed: ``--external_callback isaaclab_mimic_tasks.registration.register_tasks``. It returns None
    (it consumes no command-line argument), so those scripts still reject unknown arguments.
    """
    import gymnasium as gym

    import isaaclab_mimic_tasks.tasks  # noqa: F401  (first import registers, inside recording_registrations)

    _collect_ours(gym.registry)
    replaced = []
    for task_id, spec in _ours.items():
        current = gym.registry.get(task_id)
        if current is not spec:
            if current is not None and not _is_ours(current):
                replaced.append(task_id)
            gym.registry[task_id] = spec
    _report_replaced(replaced)


def _before_trigger() -> None:
    global _busy
    _busy += 1
    registry = getattr(sys.modules.get("gymnasium.envs.registration"), "registry", None)
    if registry is not None:
        _collect_ours(registry)
        # Stock code may register an ID of ours: take ours out while it runs, so that gymnasium does not
        # warn "Overriding environment"; _after_trigger puts them back.
        for task_id in _ours:
            if registry.get(task_id) is _ours[task_id]:
                del registry[task_id]


def _after_trigger(name: str, succeeded: bool) -> None:
    global _busy
    _busy -= 1
    if _busy:
        return  # e.g. isaaclab_tasks imported by isaaclab_mimic.envs: register once the outer import is done
    if succeeded:
        _register_safely(name)
    elif _ours:  # the stock import failed: just put back what _before_trigger took out
        registry = sys.modules["gymnasium.envs.registration"].registry
        for task_id, spec in _ours.items():
            registry.setdefault(task_id, spec)


def _register_safely(after: str) -> None:
    try:
        register_tasks()
    except Exception as error:  # never break the user's `import isaaclab_tasks`
        _log("warning", "isaaclab_mimic_tasks: could not register its tasks after importing %s: %s", after, error)


class _TriggerFinder:
    """``sys.meta_path`` entry that adds :func:`register_tasks` after the import of :data:`TRIGGER_MODULES`.

    It finds nothing itself: for a trigger module it asks the finders after it and wraps the ``exec_module``
    of the (per-module) loader they return; every other import goes straight past it.
    """

    def find_spec(self, fullname, path=None, target=None):
        if fullname not in TRIGGER_MODULES or _hook_disabled():
            return None
        for finder in sys.meta_path:
            if isinstance(finder, _TriggerFinder) or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None:
                break
        else:
            return None
        loader = spec.loader
        exec_module = getattr(loader, "exec_module", None)
        if exec_module is None or isinstance(loader, type):  # class-level loaders are shared: leave them alone
            return spec

        def exec_module_then_register(module, _exec_module=exec_module, _name=fullname):
            _before_trigger()
            succeeded = False
            try:
                _exec_module(module)
                succeeded = True
            finally:
                _after_trigger(_name, succeeded)

        loader.exec_module = exec_module_then_register
        return spec

    def __repr__(self) -> str:
        return f"<{__name__}._TriggerFinder>"


def install_import_hook() -> bool:
    """Register our tasks whenever :data:`TRIGGER_MODULES` are imported (called by the ``.pth`` file).

    Returns:
        Whether the hook is installed (False when ``ISAACLAB_MIMIC_TASKS_NO_HOOK`` is set).
    """
    if _hook_disabled():
        return False
    if not any(isinstance(finder, _TriggerFinder) for finder in sys.meta_path):
        # first: the finders after it (PathFinder, setuptools' editable finders) do the actual finding
        sys.meta_path.insert(0, _TriggerFinder())
    loaded = [name for name in TRIGGER_MODULES if name in sys.modules]
    if loaded and not _busy:  # installed by hand after Isaac Lab's tasks were imported: catch up
        _register_safely(loaded[0])
    return True
