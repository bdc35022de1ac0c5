"""Task registrations. Importing this package registers every task's gym IDs (no simulator is imported).

Isaac Lab's ``isaaclab`` CLI imports this module through the ``isaaclab.tasks`` entry point (see setup.py);
the standard scripts, which do not, get it through the import hook in
:mod:`isaaclab_mimic_tasks.registration`. IDs that replace a stock registration are named once in the log.
"""

from isaaclab_mimic_tasks.registration import recording_registrations

with recording_registrations():
    from . import desktop_organizer  # noqa: F401
