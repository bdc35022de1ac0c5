"""Policy families and their evaluation. Each family registers on one small protocol (``learning.families``:
train, checkpoint test, batched policy, run folder): robomimic (``learning.robomimic``: configs, normalization,
training, checkpoints, the batched policy) and LeRobot (``learning.lerobot``: the whole LeRobot bridge: export,
ACT and diffusion trained by LeRobot's trainer, its checkpoints as batched policies, ``lerobot-eval`` in the
tasks). Rollouts of any family's policy in a task: ``learning.rollouts``; normalization rules every family reads:
``learning.normalization``."""
