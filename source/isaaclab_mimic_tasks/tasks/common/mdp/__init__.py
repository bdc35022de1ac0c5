"""MDP terms several tasks share."""

from .actions import *  # noqa: F401, F403
from .events import *  # noqa: F401, F403
from .observations import *  # noqa: F401, F403
from .terminations import *  # noqa: F401, F403
