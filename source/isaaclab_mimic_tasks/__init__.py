"""Isaac Lab Mimic tasks, kit-less.

Importing the package registers every task's gym IDs, like ``import isaaclab_tasks`` (string entry points:
no simulator is imported).
"""

from . import tasks  # noqa: F401  (registers the gym IDs)
