"""The task contract: the env cfg every task subclasses, what it must declare, and the check that it does.

Shared code (recording, teleop, videos, the viewer window, the LeRobot export and eval env, resets) reads these
fields directly and never names a task. As on Isaac Lab's own base cfgs (``isaaclab_tasks/contrib/stack``), a field
a task must set is ``MISSING`` here; :func:`check_task_contract`, called by
:func:`isaaclab_mimic_tasks.envs.load_env_cfg`, names any a task leaves unset.
"""

from __future__ import annotations

from dataclasses import MISSING

from isaaclab.devices import DevicesCfg
from isaaclab.envs import ManagerBasedRLEnvCfg
from isaaclab.envs.mdp import reset_scene_to_default
from isaaclab.managers import EventTermCfg, ObservationGroupCfg, SceneEntityCfg
from isaaclab.utils import configclass

from isaaclab_mimic_tasks.errors import UserInputError

from .declarations import CameraViewCfg, EndEffectorCfg, ObjectPlacementCfg, fill_term_params
from .mdp.events import place_objects

__all__ = [
    "CONTRACT_FIELDS",
    "ResetEventsCfg",
    "SeparateTermsObsGroupCfg",
    "TaskEnvCfg",
    "check_task_contract",
    "missing_contract_fields",
]

CONTRACT_FIELDS = (
    "instruction",
    "end_effectors",
    "task_objects",
    "record_success_steps",
    "placement",
    "video_view",
    "camera_views",
    "teleop_devices",
    "sim.physics",
)
"""What every task's env cfg declares (dotted paths into the cfg)."""


@configclass
class TaskEnvCfg(ManagerBasedRLEnvCfg):
    """The env cfg of a task of this package: Isaac Lab's manager-based RL env cfg plus the task contract.

    A task sets every field below that is ``MISSING`` and, in its ``__post_init__`` after ``super().__post_init__()``,
    ``sim.physics`` (e.g. :func:`~isaaclab_mimic_tasks.tasks.common.physics.newton_cpu_physics`). This
    ``__post_init__`` sets the control timing every task shares.
    """

    rewards = None
    """No reward terms: the tasks are learned from demonstrations."""

    instruction: str = MISSING
    """The task in words: the language instruction of every episode of a LeRobot export and of ``lerobot-eval``."""

    end_effectors: dict[str, EndEffectorCfg] = MISSING
    """The robot's end effectors by name, declared with :meth:`set_end_effector`. The names are the keys of the Mimic
    variant's ``subtask_configs`` (one subtask list per end effector): one arm has one (the organizer's ``franka``),
    a humanoid two (the GR1T2's ``right`` and ``left``)."""

    task_objects: dict[str, str] = MISSING
    """The scene entities the task is about, by role (e.g. the organizer's ``{"object": "ketchup", "container":
    "basket"}``): the one place to retarget a task. Every term param named ``<role>_cfg`` (``object_cfg``,
    ``container_cfg``) that the task leaves ``MISSING`` gets ``SceneEntityCfg(name)``; the task reads the rest
    (per-object geometry, its placement order, its Mimic subtasks' ``object_ref``, its scripted expert's target)
    from it too. A subclass retargets the task by setting this class attribute alone."""

    record_success_steps: int = MISSING
    """Steps the success must hold before a recorded demo is kept (``mimic-tasks record``, scripted or teleoperated):
    the settled tail a source demo ends with, which Mimic replays at the end of every generated demo."""

    placement: ObjectPlacementCfg = MISSING
    """Reset ranges of the objects, read by ``mdp.place_objects`` at every reset: the one place to change
    randomization (a subclass of :class:`ObjectPlacementCfg` with an entry per object)."""

    video_view: CameraViewCfg = MISSING
    """Where the video camera looks from (``--video``, rendered demos and rollouts)."""

    camera_views: dict[str, CameraViewCfg] = MISSING
    """The viewer window's views by name; the number keys 1, 2, ... select them in this order."""

    teleop_devices: DevicesCfg = MISSING
    """The teleop devices ``mimic-tasks record --teleop_device`` and Isaac Lab's ``record_demos.py`` offer, entry name
    -> device cfg (an empty ``DevicesCfg()`` for a task no device fits)."""

    def set_end_effector(self, name: str, end_effector: EndEffectorCfg, term_param: str = "end_effector") -> None:
        """Declare the robot's end effector ``name``; every observation, termination and event term that takes the
        param ``term_param`` gets it. A robot with several end effectors whose terms take them names a param per end
        effector (e.g. ``term_param="right_end_effector"``)."""
        if not isinstance(self.end_effectors, dict):
            self.end_effectors = {}
        self.end_effectors[name] = end_effector
        fill_term_params(self, term_param, end_effector)

    def __post_init__(self):
        # 20 Hz control; dt 0.005 is what keeps grasps (dt 0.01 with decimation 5 dropped all of them)
        self.decimation = 10
        self.sim.dt = 0.005
        self.sim.render_interval = self.decimation
        self.sim.device = "cpu"
        self.episode_length_s = 20.0
        self.sim.physics = MISSING  # the task's physics preset, set by its __post_init__
        if isinstance(self.task_objects, dict):  # left MISSING, the contract check names it
            for role, name in self.task_objects.items():
                fill_term_params(self, f"{role}_cfg", SceneEntityCfg(name), only_missing=True)
            fill_term_params(self, "object_names", self.placement_order(), only_missing=True)

    def placement_order(self) -> list[str]:
        """The order resets place the objects in: the ``task_objects`` first (the others make room for them), then
        every other object ``placement`` has ranges for, in its order."""
        order = list(self.task_objects.values())
        if hasattr(self.placement, "__dataclass_fields__"):
            ranged = (name for name, value in vars(self.placement).items() if isinstance(value, dict))
            order += [name for name in ranged if name not in order]
        return order


@configclass
class SeparateTermsObsGroupCfg(ObservationGroupCfg):
    """An observation group whose terms stay separate and noise-free: the dict of named terms the HDF5 recorder
    writes, Mimic's annotation reads (``subtask_terms``) and the policies' configs pick keys from."""

    concatenate_terms: bool = False
    enable_corruption: bool = False


@configclass
class ResetEventsCfg:
    """Reset: robot and objects to their defaults, then each object to a random pose from the env cfg's
    ``placement``, in :meth:`TaskEnvCfg.placement_order` (filled in from ``task_objects``)."""

    reset_all = EventTermCfg(func=reset_scene_to_default, mode="reset")
    place_objects = EventTermCfg(func=place_objects, mode="reset", params={"object_names": MISSING})


def missing_contract_fields(env_cfg) -> list[str]:
    """The contract fields ``env_cfg`` leaves unset: absent, or ``MISSING`` anywhere inside (e.g. ``end_effectors.right.
    body``), as dotted paths."""
    missing = []
    for path in CONTRACT_FIELDS:
        value = env_cfg
        for name in path.split("."):
            value = getattr(value, name, MISSING)  # a cfg that does not subclass TaskEnvCfg may lack the field
        missing.extend(_missing_inside(value, path))
    return missing


def _missing_inside(value, path: str) -> list[str]:
    if type(value) is type(MISSING):  # a deep copy of MISSING is another instance of its type
        return [path]
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, (list, tuple)):
        items = enumerate(value)
    elif hasattr(value, "__dataclass_fields__"):
        items = ((name, item) for name, item in vars(value).items() if not name.startswith("_"))
    else:
        return []
    return [missing for key, item in items for missing in _missing_inside(item, f"{path}.{key}")]


def check_task_contract(env_cfg) -> None:
    """Raise a clear error if ``env_cfg`` leaves a contract field unset, or if its Mimic subtask lists are keyed by
    other end effectors than it declares."""
    cfg_name = type(env_cfg).__name__
    missing = missing_contract_fields(env_cfg)
    if missing:
        raise UserInputError(
            f"{cfg_name} does not declare {', '.join(missing)}: set it in the task's env cfg"
            " (the task contract: tasks/common/task_env_cfg.py, docs/extending.md)"
        )
    unknown = [name for name in env_cfg.task_objects.values() if getattr(env_cfg.scene, name, None) is None]
    if unknown:
        raise UserInputError(
            f"{cfg_name}'s task_objects name {', '.join(unknown)}, which its scene does not have: name scene entities"
        )
    subtask_configs = getattr(env_cfg, "subtask_configs", None)  # only a Mimic variant has subtask lists
    if subtask_configs is not None and set(subtask_configs) != set(env_cfg.end_effectors):
        raise UserInputError(
            f"{cfg_name} declares end effectors {', '.join(env_cfg.end_effectors)} but keys its subtask_configs by"
            f" {', '.join(subtask_configs)}: use the same names"
        )
