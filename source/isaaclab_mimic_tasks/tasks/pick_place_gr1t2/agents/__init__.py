"""Learning-agent configs of the GR1T2 pick-and-place task, referenced from the gym registration by file path.

``robomimic/bc.json`` and ``robomimic/bc_rnn_low_dim.json`` are robomimic 0.3.0 configs reading the stock task's
observation keys (wrist poses, hand joint state, object) and the basket position; ``mimic-tasks train --export_config``
writes an editable copy.

``lerobot/act.json`` and ``lerobot/diffusion.json`` are LeRobot 0.6.1 train configs (partial ``TrainPipelineConfig``,
what ``lerobot-train --config_path`` reads): state-only policies small enough to train on a CPU; ``mimic-tasks train
--algo act|diffusion`` passes the dataset and output folder.
"""
