"""Task registrations: one sub-package per task, each calling ``gym.register`` with string entry points, then the
tasks of other packages (entry points of the ``isaaclab_mimic_tasks.tasks`` group: docs/extending.md).

``import isaaclab_mimic_tasks`` imports this module; so does Isaac Lab's ``isaaclab`` CLI, through the
``isaaclab.tasks`` entry point (see setup.py). IDs that replace a stock registration are named once in the log.
"""

from isaaclab_mimic_tasks.registration import load_task_plugins, recording_registrations

with recording_registrations():
    from . import (
        desktop_organizer,
        pick_place_gr1t2,  # noqa: F401
    )

    load_task_plugins()  # after ours: a plugin may subclass our cfgs and name our modules

DEFAULT_TASK = desktop_organizer.RELATED_TASK_IDS["base"]
"""The task the commands and the pipeline use without ``--task``; its ``-Play-`` and ``-Mimic-`` IDs:
:func:`isaaclab_mimic_tasks.envs.default_task`."""
