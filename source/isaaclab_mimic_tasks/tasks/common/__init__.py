"""What several tasks share: the task contract (:class:`TaskEnvCfg`, the base of every task's env cfg), the small
declarations a task makes about itself (end effectors, object placement, camera views), the physics preset, the
gravity-compensated IK action, end-effector and object pose terms."""

from .declarations import CameraViewCfg, EndEffectorCfg, ObjectPlacementCfg, fill_term_params
from .task_env_cfg import (
    CONTRACT_FIELDS,
    ResetEventsCfg,
    SeparateTermsObsGroupCfg,
    TaskEnvCfg,
    check_task_contract,
    missing_contract_fields,
)

__all__ = [
    "CONTRACT_FIELDS",
    "CameraViewCfg",
    "EndEffectorCfg",
    "ObjectPlacementCfg",
    "ResetEventsCfg",
    "SeparateTermsObsGroupCfg",
    "TaskEnvCfg",
    "check_task_contract",
    "fill_term_params",
    "missing_contract_fields",
]
