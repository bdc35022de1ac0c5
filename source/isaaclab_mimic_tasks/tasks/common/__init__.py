"""What several tasks share: the gravity-compensated IK action, end-effector and object pose terms, and the
small declarations a task makes about itself (its end effectors, its video camera view)."""

from .declarations import CameraViewCfg, EndEffectorCfg, fill_term_params

__all__ = ["CameraViewCfg", "EndEffectorCfg", "fill_term_params"]
