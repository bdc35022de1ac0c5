"""The LeRobot bridge, in one room, registered as the ``lerobot`` policy family (``learning.lerobot.family``): the
import gate every LeRobot import goes through (``learning.lerobot.gate``), the LeRobotDataset export
(``learning.lerobot.export``), the task's packaged configs and training with LeRobot's own trainer
(``learning.lerobot.train``), checkpoints as batched controllers (``learning.lerobot.policy``) and ``lerobot-eval``
in the tasks (``learning.lerobot.eval_env``). Importing this package imports no LeRobot."""
