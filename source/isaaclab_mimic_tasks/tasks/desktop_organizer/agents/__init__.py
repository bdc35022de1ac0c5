"""Learning-agent configs of the desktop organizer, referenced from the gym registration by file path.

``robomimic/bc.json`` and ``robomimic/bc_rnn_low_dim.json`` are robomimic 0.3.0 configs (``config_factory("bc")``
dumped and edited); ``mimic-tasks train`` and Isaac Lab's ``scripts/imitation_learning/robomimic/train.py`` load
them through ``robomimic_<algo>_cfg_entry_point``. Editable copies: ``config/robomimic/desktop_organizer/``.

``lerobot/act.json`` and ``lerobot/diffusion.json`` are LeRobot 0.6.1 train configs (partial ``TrainPipelineConfig``,
what ``lerobot-train --config_path`` reads): state-only policies small enough to train on a CPU; ``mimic-tasks train
--algo act|diffusion`` passes the dataset and output folder.
"""
