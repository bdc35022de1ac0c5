"""MDP terms of the desktop-organizer task: Isaac Lab's generic terms, the shared ones, and the task's own."""

from isaaclab.envs.mdp import *  # noqa: F401, F403

from isaaclab_mimic_tasks.tasks.common.mdp import *  # noqa: F401, F403

from .observations import *  # noqa: F401, F403
from .terminations import *  # noqa: F401, F403
