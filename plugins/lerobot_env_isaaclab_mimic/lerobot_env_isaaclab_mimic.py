"""LeRobot env plugin: registers ``--env.type=isaaclab_mimic``
(see ``isaaclab_mimic_tasks.learning.lerobot.eval_env``)."""

from isaaclab_mimic_tasks.learning.lerobot.eval_env import IsaacLabMimicEnvConfig  # noqa: F401  (registers it)
