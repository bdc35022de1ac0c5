"""Interpreter-start hook: make ``isaaclab_mimic_tasks``' gym IDs visible to scripts that never import it.

Isaac Lab's own scripts (``scripts/tools/record_demos.py``, ``replay_demos.py``,
``scripts/imitation_learning/isaaclab_mimic/annotate_demos.py``, ``generate_dataset.py``,
``scripts/imitation_learning/robomimic/train.py``, ``play.py``) find a task with ``parse_env_cfg(task)``,
``gym.spec(task)`` and ``gym.make(task)`` after ``import isaaclab_mimic.envs`` / ``import isaaclab_tasks``.
They never load the ``isaaclab.tasks`` entry-point group (only the ``isaaclab`` CLI does), and they drop
the ``module:`` part of a ``module:ID`` task name before the lookup.

So the package installs ``isaaclab_mimic_tasks_hook.pth`` into site-packages (``setup.py`` writes it into
the wheel, editable or not). At interpreter start it calls :func:`install_import_hook`, which only appends
a finder to :data:`sys.meta_path`. When ``isaaclab_tasks`` or ``isaaclab_mimic.envs`` has finished
importing, the finder imports ``isaaclab_mimic_tasks`` (string entry points: no simulator), which registers its
tasks and those of other installed packages (entry points of the ``isaaclab_mimic_tasks.tasks`` group), and whose
:mod:`~isaaclab_mimic_tasks.registration` makes these registrations win over stock ones of the same ID.

This is a top-level module of its own, not part of the package: it runs at every interpreter start of the
environment, so it imports only ``os`` and ``sys`` (``tests/test_standard_scripts.py`` checks it), while
importing the package registers every task (gymnasium and all).

Set ``ISAACLAB_MIMIC_TASKS_NO_HOOK=1`` to switch the hook off for a process.
"""

import os
import sys

DISABLE_ENV_VAR = "ISAACLAB_MIMIC_TASKS_NO_HOOK"
"""Environment variable that switches the import hook off when set to a non-empty value other than ``0``."""

TRIGGER_MODULES = ("isaaclab_tasks", "isaaclab_mimic.envs")
"""Modules after whose import our tasks are registered (every standard script imports at least one)."""

_busy = 0  # trigger modules executing right now (isaaclab_mimic.envs imports isaaclab_tasks inside)


def hook_disabled() -> bool:
    """Whether ``ISAACLAB_MIMIC_TASKS_NO_HOOK`` switches the hook off."""
    return os.environ.get(DISABLE_ENV_VAR, "") not in ("", "0")


def _registration():
    import isaaclab_mimic_tasks.registration as registration  # registers our tasks (first import)

    return registration


def _before_trigger() -> None:
    global _busy
    _busy += 1
    if "gymnasium.envs.registration" in sys.modules:  # ours may be registered: keep them out of stock's way
        _registration().before_stock_import()


def _after_trigger(name: str, succeeded: bool) -> None:
    global _busy
    _busy -= 1
    if not _busy:  # e.g. isaaclab_tasks imported by isaaclab_mimic.envs: register once the outer import is done
        _register_after(name, succeeded)


def _register_after(name: str, succeeded: bool) -> None:
    try:
        _registration().after_stock_import(succeeded)
    except Exception as error:  # never break the user's `import isaaclab_tasks`
        import logging

        logging.getLogger("isaaclab_mimic_tasks").warning(
            "isaaclab_mimic_tasks: could not register its tasks after importing %s: %s", name, error
        )


class _TriggerFinder:
    """``sys.meta_path`` entry that registers our tasks after the import of :data:`TRIGGER_MODULES`.

    It finds nothing itself: for a trigger module it asks the finders after it and wraps the ``exec_module``
    of the (per-module) loader they return; every other import goes straight past it.
    """

    def find_spec(self, fullname, path=None, target=None):
        if fullname not in TRIGGER_MODULES or hook_disabled():
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
    if hook_disabled():
        return False
    if not any(isinstance(finder, _TriggerFinder) for finder in sys.meta_path):
        # first: the finders after it (PathFinder, setuptools' editable finders) do the actual finding
        sys.meta_path.insert(0, _TriggerFinder())
    loaded = [name for name in TRIGGER_MODULES if name in sys.modules]
    if loaded and not _busy:  # installed by hand after Isaac Lab's tasks were imported: catch up
        _register_after(loaded[0], True)
    return True
