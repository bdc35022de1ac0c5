"""Learning-agent configs of the GR1T2 pick-and-place task, referenced from the gym registration by file path.

``robomimic/bc.json`` and ``robomimic/bc_rnn_low_dim.json`` are robomimic 0.3.0 configs reading the stock task's
observation keys (wrist poses, hand joint state, object) and the basket position; ``mimic-tasks train --export_config``
writes an editable copy.
"""
