"""Policy families and their evaluation: robomimic (``learning.robomimic``: configs, normalization, training,
checkpoints, the batched policy), LeRobot (``learning.lerobot``: ACT and diffusion trained by LeRobot's trainer on an
export, its checkpoints as batched policies, ``lerobot-eval`` in the tasks) and rollouts of any policy in a task
(``learning.rollouts``)."""
