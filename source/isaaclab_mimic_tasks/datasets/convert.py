"""Converting a dataset's end-effector actions between relative ``[dpos, drot axis-angle, rest]`` and absolute
``[pos, quat (x, y, z, w), rest]`` (the ``rest``, e.g. the gripper, is copied).

The geometry comes from the file: each step's recorded end-effector pose observations (``obs/eef_pos``,
``obs/eef_quat``: the pose before the step's action, in the frame the IK works in). How each IK action term reads
its part of the action comes from the caller as a :class:`PoseActionCfg` per side (made from a task's env cfg by
:func:`pose_action_cfg`): Isaac Lab's ``DifferentialInverseKinematicsAction`` turns the raw action into
``raw * scale + offset`` and, in relative mode, moves the target from the current pose as
``isaaclab.utils.math.apply_delta_pose`` does (position added, rotation ``q(drot) * q``). A relative action
and its absolute conversion thus give the IK the same target, step for step.

The output is a new file: every demo, mask and attribute copied, the action datasets (``actions``,
``intended_actions``) converted, ``processed_actions`` dropped (what the other variant's action terms would make
of the action differs; a replay records it again), ``env_args`` tagged with the output task.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass

import h5py
import numpy as np

from isaaclab_mimic_tasks.errors import UserInputError

from .action_labels import INTENDED_ACTIONS_KEY
from .io import atomic_output, demo_names, json_attr, open_dataset

CONVERTED_KEYS = ("actions", INTENDED_ACTIONS_KEY)
"""The demo datasets holding actions; each one a demo has is converted."""
DROPPED_KEYS = ("processed_actions",)
CONVERTED_FROM_ATTR = "actions_converted_from"
"""Attribute of ``data`` in a converted file (JSON): the input file, its task and its action variant."""


@dataclass(frozen=True)
class PoseActionCfg:
    """How an IK action term reads the pose part of the action (the first :attr:`dim` values)."""

    relative: bool
    """``[dpos, drot axis-angle]`` (6) applied to the current pose, or an absolute ``[pos, quat]`` (7)."""
    scale: float | tuple[float, ...] = 1.0
    offset: float | tuple[float, ...] = 0.0
    """The term's command is ``raw * scale + offset`` (per value, or one for all)."""
    frame: tuple = ()
    """The frame the IK tracks (its body, and the offset from it): the two sides of a conversion must track one."""

    @property
    def dim(self) -> int:
        return 6 if self.relative else 7

    @property
    def name(self) -> str:
        return "relative" if self.relative else "absolute"

    def command(self, raw: np.ndarray) -> np.ndarray:
        """The command the term gives its controller for raw actions ``raw`` (T, dim)."""
        return raw * np.asarray(self.scale, dtype=np.float64) + np.asarray(self.offset, dtype=np.float64)

    def raw(self, command: np.ndarray) -> np.ndarray:
        """The raw actions that make the command ``command`` (inverse of :meth:`command`)."""
        return (command - np.asarray(self.offset, dtype=np.float64)) / np.asarray(self.scale, dtype=np.float64)


def pose_action_cfg(env_cfg) -> PoseActionCfg:
    """The :class:`PoseActionCfg` of an env cfg's differential-IK pose action, which must be its first action term
    (the pose part is the action's first values). Reads the cfg only (no simulator)."""
    terms = [term for term in vars(env_cfg.actions).values() if term is not None]
    controller = getattr(terms[0], "controller", None) if terms else None
    if getattr(controller, "command_type", None) != "pose":
        raise UserInputError(
            f"{type(env_cfg).__name__}'s first action term is not a differential-IK pose action; only such actions"
            " convert between relative and absolute"
        )
    term = terms[0]
    offset = term.body_offset
    frame = (term.body_name, tuple(offset.pos) if offset else (0.0,) * 3, tuple(offset.rot) if offset else (0, 0, 0, 1))
    return PoseActionCfg(relative=bool(controller.use_relative_mode), scale=term.scale, offset=term.offset, frame=frame)


def _quat_mul(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Hamilton product of (x, y, z, w) quaternions, (T, 4)."""
    (ax, ay, az, aw), (bx, by, bz, bw) = a.T, b.T
    return np.stack(
        [
            aw * bx + ax * bw + ay * bz - az * by,
            aw * by - ax * bz + ay * bw + az * bx,
            aw * bz + ax * by - ay * bx + az * bw,
            aw * bw - ax * bx - ay * by - az * bz,
        ],
        axis=-1,
    )


def _quat_from_rotvec(rotvec: np.ndarray) -> np.ndarray:
    """(x, y, z, w) quaternions of axis-angle vectors (T, 3); identity where the angle is 0."""
    angle = np.linalg.norm(rotvec, axis=-1, keepdims=True)
    axis = rotvec / np.maximum(angle, 1e-12)
    return np.concatenate([axis * np.sin(angle / 2), np.cos(angle / 2)], axis=-1)


def _rotvec_from_quat(quat: np.ndarray) -> np.ndarray:
    """Axis-angle vectors (angle in [0, pi]) of (x, y, z, w) quaternions (T, 4)."""
    quat = np.where(quat[:, 3:] < 0, -quat, quat)
    sin_half = np.linalg.norm(quat[:, :3], axis=-1, keepdims=True)
    angle = 2 * np.arctan2(sin_half, quat[:, 3:])
    return quat[:, :3] * angle / np.maximum(sin_half, 1e-12)


def _normalized(quat: np.ndarray) -> np.ndarray:
    return quat / np.maximum(np.linalg.norm(quat, axis=-1, keepdims=True), 1e-12)


def convert_pose_actions(
    actions: np.ndarray, eef_pos: np.ndarray, eef_quat: np.ndarray, source: PoseActionCfg, target: PoseActionCfg
) -> np.ndarray:
    """``actions`` (T, source.dim + rest) of a demo whose end effector was at ``eef_pos`` (T, 3), ``eef_quat``
    (T, 4) before each step, as actions (T, target.dim + rest) that give the IK the same target pose."""
    command = source.command(actions[:, : source.dim].astype(np.float64))
    eef_pos, eef_quat = eef_pos.astype(np.float64), _normalized(eef_quat.astype(np.float64))
    if source.relative:
        pos, quat = eef_pos + command[:, :3], _quat_mul(_quat_from_rotvec(command[:, 3:6]), eef_quat)
    else:
        pos, quat = command[:, :3], _normalized(command[:, 3:7])
    if target.relative:
        conj = eef_quat * np.array([-1.0, -1.0, -1.0, 1.0])
        pose = np.concatenate([pos - eef_pos, _rotvec_from_quat(_quat_mul(quat, conj))], axis=-1)
    else:
        # q and -q are one rotation: the sign nearer the hand's, so a demo's quaternions change continuously
        quat = np.where(np.sum(quat * eef_quat, axis=-1, keepdims=True) < 0, -quat, quat)
        pose = np.concatenate([pos, quat], axis=-1)
    return np.concatenate([target.raw(pose), actions[:, source.dim :]], axis=-1).astype(actions.dtype)


def convert_dataset_actions(
    input_file: str | os.PathLike,
    output: str | os.PathLike,
    source: PoseActionCfg,
    target: PoseActionCfg,
    output_task: str,
    eef_pos_key: str = "eef_pos",
    eef_quat_key: str = "eef_quat",
) -> int:
    """Write ``input_file`` with its actions converted from ``source`` to ``target`` into ``output`` (a new file,
    written atomically; the input is only read), its ``env_args`` naming ``output_task``. Returns the number of
    demos. A one-line :class:`UserInputError` for a bad input (no eef pose observations, actions of another
    width) or an existing output; then nothing is written."""
    input_file, output = os.fspath(input_file), os.fspath(output)
    if source.relative == target.relative:
        raise UserInputError(f"the actions are {source.name} on both sides: nothing to convert")
    if source.frame != target.frame:
        raise UserInputError(f"the two IK actions track different frames ({source.frame} and {target.frame})")
    if os.path.exists(output):
        raise UserInputError(f"{output} exists; convert writes a new file: choose another output or move it away")
    if os.path.abspath(input_file) == os.path.abspath(output):
        raise UserInputError(f"{output} is also the input; convert writes a new file")
    with open_dataset(input_file) as f:
        names = demo_names(f)
        converted = {}
        for name in names:
            demo = f[f"data/{name}"]
            obs = demo.get("obs")
            if not isinstance(obs, h5py.Group) or eef_pos_key not in obs or eef_quat_key not in obs:
                raise UserInputError(
                    f"{input_file}/{name} has no obs/{eef_pos_key} and obs/{eef_quat_key}: the conversion reads the"
                    " recorded end-effector poses; record the demos with them"
                )
            eef_pos, eef_quat = obs[eef_pos_key][()], obs[eef_quat_key][()]
            for key in CONVERTED_KEYS:
                if key not in demo:
                    continue
                actions = demo[key][()]
                if actions.ndim != 2 or actions.shape[1] <= source.dim or len(actions) != len(eef_pos):
                    raise UserInputError(
                        f"{input_file}/{name}/{key} has shape {actions.shape}, not (steps, {source.dim} + gripper) of"
                        f" {source.name} pose actions with one eef pose per step: are they {source.name} already?"
                    )
                converted[name, key] = convert_pose_actions(actions, eef_pos, eef_quat, source, target)
        env_args = json_attr(f["data"].attrs, "env_args") or {}
        provenance = {"file": os.path.abspath(input_file), "task": env_args.get("env_name", ""), "actions": source.name}
        os.makedirs(os.path.dirname(os.path.abspath(output)), exist_ok=True)
        with atomic_output(output) as tmp, h5py.File(tmp, "w") as out:
            for key, value in f.attrs.items():
                out.attrs[key] = value
            for key in f:
                if key != "data":
                    f.copy(f[key], out, name=key)
            data = out.create_group("data")
            for key, value in f["data"].attrs.items():
                data.attrs[key] = value
            data.attrs["env_args"] = json.dumps({**env_args, "env_name": output_task})
            data.attrs[CONVERTED_FROM_ATTR] = json.dumps(provenance)
            for name in names:
                demo, copy = f[f"data/{name}"], data.create_group(name)
                for key, value in demo.attrs.items():
                    copy.attrs[key] = value
                for key in demo:
                    if (name, key) in converted:
                        copy.create_dataset(key, data=converted[name, key])
                    elif key not in DROPPED_KEYS:
                        demo.copy(demo[key], copy, name=key)
    return len(names)
