"""MDP terms of the desktop-organizer task: Isaac Lab's generic terms plus the task's own."""

from isaaclab.envs.mdp import *  # noqa: F401, F403

from .actions import *  # noqa: F401, F403
from .events import *  # noqa: F401, F403
from .observations import *  # noqa: F401, F403
from .terminations import *  # noqa: F401, F403
