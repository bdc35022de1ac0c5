"""Learning-agent configs of the GR1T2 pick-and-place task, referenced from the gym registration by file path.

``robomimic/bc_rnn_low_dim.json`` and ``robomimic/bc_mlp.json`` are robomimic 0.3.0 configs reading the stock task's
observation keys (wrist poses, hand joint state, object) and the basket position; ``mimic-tasks train --export_config``
writes an editable copy. As in Isaac Lab's registration of this ID, ``--algo bc`` and ``--algo bc_rnn`` both read the
BC-RNN config (robomimic's algo ``bc`` with ``rnn.enabled``): that is what the humanoid tutorial's ``--algo bc``
trains. The MLP (``bc_mlp.json``, 0/10 on this task) is there for ``--config``.

``lerobot/act.json`` and ``lerobot/diffusion.json`` are LeRobot 0.6.1 train configs (partial ``TrainPipelineConfig``,
what ``lerobot-train --config_path`` reads): state-only policies small enough to train on a CPU; ``mimic-tasks train
--algo act|diffusion`` passes the dataset and output folder.
"""
