"""Learning-agent configs of the desktop organizer, referenced from the gym registration by file path.

``robomimic/bc.json`` and ``robomimic/bc_rnn_low_dim.json`` are robomimic 0.3.0 configs (``config_factory("bc")``
dumped and edited); ``mimic-tasks train`` and Isaac Lab's ``scripts/imitation_learning/robomimic/train.py`` load
them through ``robomimic_<algo>_cfg_entry_point``. Editable copies: ``config/robomimic/desktop_organizer/``.
"""
