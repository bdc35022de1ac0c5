"""Export an Isaac Lab / robomimic HDF5 dataset as a LeRobotDataset v3, written with LeRobot's own API, offline.

One demo becomes one episode, one step one frame:

- ``observation.state``: the policy observations about the robot, concatenated in the env's key order;
- ``observation.environment_state``: the policy observations about the scene's objects (ACT and diffusion need
  this feature or an image); of both, by default only those BC-RNN reads in the task
  (:func:`default_observation_keys`), else ``obs_keys``;
- ``observation.images.<key>``: a video per image observation, when the file has any;
- ``action``: the demo's executed actions (``actions``) or, with ``action_labels="intended"``, the noise-free
  ``intended_actions`` of generated demos; ``task``: the task's language instruction (its env cfg's ``instruction``).

Each feature's ``names`` are ``<observation key>_<index>``, so the HDF5 key and order can be read back. The
train/valid masks become LeRobot's ``splits`` (train episodes first); the statistics are the train split's (what
training normalizes by). Dimensions that barely vary in the data (a quaternion component, a basket that never
moves) are centred but not scaled (std and half-ranges 1, as robomimic's normalization here), other dimensions
get a std and half-ranges of at least :data:`STATS_FLOOR`: LeRobot's normalizer divides by them (eps 1e-8) and
would multiply a tiny deviation at evaluation by ~1e7. Provenance (source file, demo of each episode, generation
seed and totals) is written to ``meta/isaaclab_mimic.json``.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
from dataclasses import dataclass, field

import numpy as np

from isaaclab_mimic_tasks.datasets.io import dataset_task, demo_names, json_attr, mask_names, open_dataset
from isaaclab_mimic_tasks.errors import UserInputError
from isaaclab_mimic_tasks.learning.normalization import NEAR_CONSTANT_STD

from .gate import quiet_lerobot

STATS_FLOOR = 1e-3
"""Smallest std and half min-max range of a dimension in the exported stats (near-constant states get 1: see
:func:`_floor_stats`)."""
PROVENANCE_FILE = "meta/isaaclab_mimic.json"


@dataclass
class LeRobotExport:
    """What :func:`export_lerobot` wrote."""

    root: str
    repo_id: str
    fps: int
    episodes: int
    frames: int
    state_keys: list[str] = field(default_factory=list)
    environment_keys: list[str] = field(default_factory=list)
    image_keys: list[str] = field(default_factory=list)
    splits: dict[str, str] = field(default_factory=dict)
    floored_dims: list[str] = field(default_factory=list)
    """Feature dimensions whose statistics :func:`_floor_stats` changed (near-constant states, or raised to
    :data:`STATS_FLOOR`)."""
    action_labels: str = "executed"
    """Which actions of the demos ``action`` holds (``executed`` or ``intended``)."""


def default_observation_keys(task: str) -> list[str] | None:
    """The observation keys BC-RNN reads in ``task`` (``observation.modalities.obs.low_dim`` of its registered
    ``robomimic_bc_rnn_cfg_entry_point``): what the LeRobot families read by default, so every family learns from
    the same inputs. None (all policy observations) for a task that registers no BC-RNN config."""
    from isaaclab_mimic_tasks.envs import registered_agent_file, task_family

    path = registered_agent_file(task_family(task), "robomimic_bc_rnn_cfg_entry_point")
    if not path or not os.path.isfile(path):
        return None
    with open(path) as f:
        return list(json.load(f)["observation"]["modalities"]["obs"]["low_dim"])


def parse_observation_keys(text: str | None) -> list[str] | None:
    """``--obs_keys k1,k2,...`` as a list (None: the default, :func:`default_observation_keys`)."""
    if text is None:
        return None
    keys = [key.strip() for key in text.split(",") if key.strip()]
    if not keys:
        raise UserInputError("--obs_keys is empty; pass policy observation keys separated by commas (eef_pos,...)")
    return keys


def observation_roles(env_cfg, keys: list[str] | None = None) -> tuple[list[str], list[str]]:
    """The task's policy observation keys in the env's order, split into (robot state, environment state).

    A term is environment state when one of its params names a rigid object of the scene (an object's pose, a
    basket's position); every other term (joints, end effector, gripper) is the robot's own state. ``keys`` keeps
    only those observations (all if None); one the policy group lacks is a :class:`UserInputError`.
    """
    from isaaclab.assets import RigidObjectCfg
    from isaaclab.managers import SceneEntityCfg

    policy = env_cfg.observations.policy
    terms = [name for name, term in vars(policy).items() if not name.startswith("_") and hasattr(term, "func")]
    unknown = [key for key in keys or () if key not in terms]
    if unknown:
        raise UserInputError(
            f"--obs_keys {', '.join(unknown)}: not a policy observation of the task; choose from {', '.join(terms)}"
        )
    robot, environment = [], []
    for name in terms if keys is None else [term for term in terms if term in keys]:
        term = getattr(policy, name)
        entities = [value.name for value in (term.params or {}).values() if isinstance(value, SceneEntityCfg)]
        is_object = any(isinstance(getattr(env_cfg.scene, entity, None), RigidObjectCfg) for entity in entities)
        (environment if is_object else robot).append(name)
    return robot, environment


def _floor_stats(stats: dict, features: dict, keys: list[str]) -> list[str]:
    """Make the statistics of ``keys`` safe to normalize by, in place; returns the names of the dimensions changed.

    A state or environment-state dimension whose std is below
    :data:`~isaaclab_mimic_tasks.learning.normalization.NEAR_CONSTANT_STD`
    (a quaternion component, a basket that never moves) is centred but not scaled: std 1 and min-max / quantile
    half-ranges 1, as robomimic's normalization here. Every other dimension (and every action dimension) gets a std
    and half-ranges of at least :data:`STATS_FLOOR`.
    """
    from lerobot.utils.constants import ACTION  # through the gate: only called once export_lerobot passed it

    changed = []
    for key in keys:
        entry = stats[key]
        std = np.asarray(entry["std"], dtype=np.float64)
        low, high = np.asarray(entry["min"], dtype=np.float64), np.asarray(entry["max"], dtype=np.float64)
        constant = (std < NEAR_CONSTANT_STD) if key != ACTION else np.zeros_like(std, dtype=bool)
        narrow = constant | (std < STATS_FLOOR) | (high - low < 2 * STATS_FLOOR)
        if not narrow.any():
            continue
        entry["std"] = np.where(constant, 1.0, np.maximum(std, STATS_FLOOR))
        for lo_name, hi_name in [("min", "max")] + [
            (q, "q" + f"{100 - int(q[1:]):02d}")
            for q in entry
            if q.startswith("q") and q[1:].isdigit() and int(q[1:]) < 50
        ]:
            if hi_name not in entry:
                continue
            lo, hi = np.asarray(entry[lo_name], dtype=np.float64), np.asarray(entry[hi_name], dtype=np.float64)
            middle = (lo + hi) / 2
            half = np.where(constant, 1.0, np.maximum((hi - lo) / 2, STATS_FLOOR))
            entry[lo_name], entry[hi_name] = middle - half, middle + half
        names = features[key]["names"]
        changed += [names[i] for i in np.flatnonzero(narrow)]
    return changed


def export_lerobot(
    dataset: str | os.PathLike,
    out_dir: str | os.PathLike,
    repo_id: str | None = None,
    fps: int | None = None,
    obs_keys: list[str] | None = None,
    action_labels: str | None = None,
) -> LeRobotExport:
    """Write the demos of ``dataset`` as a LeRobotDataset in ``out_dir`` (which must not exist).

    Args:
        dataset: An HDF5 dataset of one of this package's tasks (recorded, annotated or generated).
        out_dir: The dataset root; load it back with ``LeRobotDataset(repo_id, root=out_dir)``.
        repo_id: The dataset's name (default: ``isaaclab_mimic/<file name>``); nothing is pushed anywhere.
        fps: Frames per second (default: the control rate the file was recorded at, 1 / (dt x decimation)).
        obs_keys: The policy observations to export (default: BC-RNN's, :func:`default_observation_keys`), split
            into state and environment state by :func:`observation_roles`.
        action_labels: ``executed`` or ``intended``: which actions become ``action`` (default:
            :data:`.train.DEFAULT_ACTION_LABELS`); recorded in the provenance file.
    """
    from isaaclab_mimic_tasks.datasets.action_labels import check_action_labels
    from isaaclab_mimic_tasks.envs import load_env_cfg, task_family

    from .train import DEFAULT_ACTION_LABELS

    out_dir = os.fspath(out_dir)
    if os.path.exists(out_dir):
        raise UserInputError(
            f"{out_dir} exists; export writes a new LeRobot dataset: choose another --out or move it away"
        )
    action_labels = action_labels or DEFAULT_ACTION_LABELS
    action_key = check_action_labels(dataset, action_labels)
    with open_dataset(dataset) as f:
        task = dataset_task(f)
        if not task:
            raise UserInputError(f"{dataset} does not say which task it was recorded on (data.attrs['env_args'])")
        env_cfg = load_env_cfg(task_family(task))
        state_keys, environment_keys = observation_roles(env_cfg, obs_keys or default_observation_keys(task))
        if not state_keys:
            raise UserInputError(f"--obs_keys names no observation of the robot; add one ({', '.join(obs_keys)})")
        names = demo_names(f)
        first = f[f"data/{names[0]}"]
        missing = [key for key in state_keys + environment_keys if f"obs/{key}" not in first]
        if missing:
            raise UserInputError(
                f"{dataset} lacks the policy observations {', '.join(missing)} of '{task}'; record"
                " it with this package's task"
            )
        image_keys = sorted(
            key for key, data in first["obs"].items() if getattr(data, "ndim", 0) == 4 and data.dtype == np.uint8
        )
        env_args = json_attr(f["data"].attrs, "env_args") or {}
        sim = env_args.get("sim_args", {})
        if fps is None:
            fps = round(1.0 / (sim.get("dt", env_cfg.sim.dt) * sim.get("decimation", env_cfg.decimation)))
        if fps < 1:
            raise UserInputError(f"--fps must be at least 1 (LeRobot stores whole frames per second), got {fps}")
        splits_src = {key: set(mask_names(f[f"mask/{key}"])) for key in ("train", "valid") if f"mask/{key}" in f}
        train = [n for n in names if n not in splits_src.get("valid", set())]
        valid = [n for n in names if n in splits_src.get("valid", set())]
        order = train + valid
        generation = json_attr(f["data"].attrs, "mimic_generation")

        def width(key):
            return int(np.prod(first[f"obs/{key}"].shape[1:]))

        def names_of(keys):
            return [f"{key}_{i}" for key in keys for i in range(width(key))]

        quiet_lerobot()
        from lerobot.datasets.io_utils import write_info, write_stats
        from lerobot.datasets.lerobot_dataset import LeRobotDataset
        from lerobot.utils.constants import ACTION, OBS_ENV_STATE, OBS_IMAGES, OBS_STATE
        from tqdm import tqdm

        action_dim = int(first[action_key].shape[1])
        features = {
            OBS_STATE: {"dtype": "float32", "shape": (len(names_of(state_keys)),), "names": names_of(state_keys)},
            ACTION: {"dtype": "float32", "shape": (action_dim,), "names": [f"action_{i}" for i in range(action_dim)]},
        }
        if environment_keys:
            features[OBS_ENV_STATE] = {
                "dtype": "float32",
                "shape": (len(names_of(environment_keys)),),
                "names": names_of(environment_keys),
            }
        for key in image_keys:
            features[f"{OBS_IMAGES}.{key}"] = {
                "dtype": "video",
                "shape": tuple(first[f"obs/{key}"].shape[1:]),
                "names": ["height", "width", "channels"],
            }
        instruction = env_cfg.instruction
        repo_id = repo_id or f"isaaclab_mimic/{os.path.splitext(os.path.basename(os.fspath(dataset)))[0]}"

        os.makedirs(os.path.dirname(os.path.abspath(out_dir)), exist_ok=True)
        try:
            export = LeRobotDataset.create(
                repo_id,
                fps=fps,
                features=features,
                root=out_dir,
                robot_type=task_family(task),
                use_videos=bool(image_keys),
            )

            def concatenated(demo, keys, steps):
                return np.concatenate([demo[f"obs/{key}"][()].reshape(steps, -1) for key in keys], 1).astype(np.float32)

            frames, train_stats = 0, None
            for name in tqdm(order, desc="exporting demos", unit="demo"):
                demo = f[f"data/{name}"]
                actions = demo[action_key][()].astype(np.float32)
                state = concatenated(demo, state_keys, len(actions))
                environment = concatenated(demo, environment_keys, len(actions)) if environment_keys else None
                images = {key: demo[f"obs/{key}"] for key in image_keys}
                for t in range(len(actions)):
                    frame = {OBS_STATE: state[t], ACTION: actions[t], "task": instruction}
                    if environment is not None:
                        frame[OBS_ENV_STATE] = environment[t]
                    for key, data in images.items():
                        frame[f"{OBS_IMAGES}.{key}"] = data[t]
                    export.add_frame(frame)
                export.save_episode()
                frames += len(actions)
                if train and name == train[-1]:  # LeRobot aggregates each episode's stats: these are the train split's
                    train_stats = copy.deepcopy(export.meta.stats)
            export.finalize()

            meta = export.meta
            splits = {"train": f"0:{len(train)}"}
            if valid:
                splits["valid"] = f"{len(train)}:{len(order)}"
            meta.info.splits = splits
            write_info(meta.info, meta.root)
            meta.stats = train_stats or meta.stats  # what training normalizes by: the train split's statistics
            floored = _floor_stats(
                meta.stats, features, [k for k in (OBS_STATE, OBS_ENV_STATE, ACTION) if k in features]
            )
            write_stats(meta.stats, meta.root)
            provenance = {
                "source_file": os.path.abspath(os.fspath(dataset)),
                "task": task,
                "episode_demos": order,
                "generation_seed": (generation or {}).get("seed"),
                "generation": generation,
                "observation_keys": {OBS_STATE: state_keys, OBS_ENV_STATE: environment_keys, "images": image_keys},
                "stats_episodes": splits["train"],
                "stats_floor": STATS_FLOOR,
                "near_constant_std": NEAR_CONSTANT_STD,
                "floored_dims": floored,
                "action_labels": action_labels,
            }
            with open(os.path.join(out_dir, PROVENANCE_FILE), "w") as out:
                json.dump(provenance, out, indent=1)
        except BaseException:
            shutil.rmtree(out_dir, ignore_errors=True)  # complete or nothing
            raise
    return LeRobotExport(
        root=out_dir,
        repo_id=repo_id,
        fps=fps,
        episodes=len(order),
        frames=frames,
        state_keys=state_keys,
        environment_keys=environment_keys,
        image_keys=image_keys,
        splits=splits,
        floored_dims=floored,
        action_labels=action_labels,
    )


def read_provenance(root: str | os.PathLike) -> dict:
    """The ``meta/isaaclab_mimic.json`` of an export (source file, demo of each episode, observation keys)."""
    with open(os.path.join(os.fspath(root), PROVENANCE_FILE)) as f:
        return json.load(f)
