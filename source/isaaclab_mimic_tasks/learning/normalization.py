"""Normalization rules every policy family reads (robomimic's observation statistics, LeRobot exports' stats)."""

NEAR_CONSTANT_STD = 0.005
"""Standard deviation (m, rad) below which an observation dimension counts as constant in the training data: it is
centred but not scaled (std 1), by robomimic's normalization here and in LeRobot exports. Such a dimension holds no
information to learn from; scaled by its tiny std, the small drift of a rollout (an idle hand's fingers 0.05 rad
off, 50 std; an end-effector quaternion component) is fed back into the policy's actions as a huge input."""
