"""Policy families and their evaluation: robomimic (``learning.robomimic``: configs, normalization, training,
checkpoints, the batched policy), LeRobot (``learning.lerobot``: ACT and diffusion trained by LeRobot's trainer on an
export, its checkpoints as batched policies, ``lerobot-eval`` in the tasks) and rollouts of any policy in a task
(``learning.rollouts``)."""

NEAR_CONSTANT_STD = 0.005
"""Standard deviation (m, rad) below which an observation dimension counts as constant in the training data: it is
centred but not scaled (std 1), by robomimic's normalization here and in LeRobot exports. Such a dimension holds no
information to learn from; scaled by its tiny std, the small drift of a rollout (an idle hand's fingers 0.05 rad
off, 50 std; an end-effector quaternion component) is fed back into the policy's actions as a huge input."""
