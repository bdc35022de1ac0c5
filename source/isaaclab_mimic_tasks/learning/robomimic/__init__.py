"""robomimic 0.3 policies: the task's packaged configs, normalization from the train split, training with
Isaac Lab's output layout, checkpoints that robomimic's and Isaac Lab's own scripts load, and a batched policy."""

from isaaclab_mimic_tasks.envs import quiet_simulator

with quiet_simulator():
    import robomimic.macros  # noqa: F401  (its first import prints "No private macro file found!")
