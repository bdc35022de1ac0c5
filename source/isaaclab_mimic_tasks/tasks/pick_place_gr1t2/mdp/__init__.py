"""MDP terms of the GR1T2 pick-and-place task: Isaac Lab's generic terms, the shared ones, and the task's own."""

from isaaclab.envs.mdp import *  # noqa: F401, F403

from isaaclab_mimic_tasks.tasks.common.mdp import *  # noqa: F401, F403

from .hand import *  # noqa: F401, F403
from .observations import *  # noqa: F401, F403
from .terminations import *  # noqa: F401, F403
