"""Task registrations: one sub-package per task, each calling ``gym.register`` with string entry points.

``import isaaclab_mimic_tasks`` imports this module; so does Isaac Lab's ``isaaclab`` CLI, through the
``isaaclab.tasks`` entry point (see setup.py). IDs that replace a stock registration are named once in the log.
"""

from isaaclab_mimic_tasks.registration import recording_registrations

with recording_registrations():
    from . import desktop_organizer  # noqa: F401
    from . import pick_place_gr1t2  # noqa: F401
