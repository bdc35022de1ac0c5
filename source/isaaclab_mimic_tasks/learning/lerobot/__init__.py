"""LeRobot policies (ACT, diffusion) on this package's tasks: the task's packaged configs and training with LeRobot's
own trainer on an export (``learning.lerobot.train``), checkpoints as batched controllers (``learning.lerobot.policy``)
and ``lerobot-eval`` in the tasks (``learning.lerobot.eval_env``). Importing this package imports no LeRobot."""
