"""Policy families and their evaluation: robomimic (``learning.robomimic``: configs, normalization, training,
checkpoints, the batched policy) and rollouts of any policy in a task (``learning.rollouts``)."""
