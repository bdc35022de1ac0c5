"""The Fourier hand's grasp posture: one closure value drives the 11 joints of a hand along an opposing path."""

from __future__ import annotations

import torch

__all__ = ["HAND_CLOSED", "HAND_OPEN", "HAND_READY", "hand_closure", "hand_posture"]

HAND_OPEN = -1.0
"""Fingers straight, thumb along the index (yaw 0): the hand slides beside an object without touching it."""
HAND_READY = 0.0
"""Thumb swung across the palm (yaw -1.5), fingers still open: the thumb now opposes the fingers."""
HAND_CLOSED = 0.7
"""Fingers and thumb around a 6.2 cm can with a firm squeeze. Commanding more (1.0) squeezed the can out."""

THUMB_YAW = -1.5
FINGER_OPEN = 0.05
"""Finger proximal angle (rad, negated) at closure 0; closure 1 adds :data:`FINGER_CURL`."""
FINGER_CURL = 0.8
FINGER_MIMIC = 0.975
"""URDF mimic ratio intermediate/proximal of each finger (the followers are passive; set for completeness)."""
THUMB_MIMIC = 1.06
"""URDF mimic ratio distal/proximal-pitch of the thumb."""


def hand_posture(closure: torch.Tensor, side: str, joint_names: list[str]) -> torch.Tensor:
    """Joint targets of hand ``side`` (``"L"`` or ``"R"``) at ``closure``, (N, len(joint_names)); other joints 0.

    ``closure`` (N,) runs from :data:`HAND_OPEN` (-1) to 1: from -1 to 0 the thumb swings across the palm; from
    0 to 1 the fingers curl (proximal -(0.05 + 0.8 s)) while the thumb pitches in (0.75 s). Found with forward
    kinematics: along this path the finger and thumb pads face each other for gaps of about 3 to 9.5 cm.
    """
    closure = closure.reshape(-1)
    swing = torch.clamp(closure + 1.0, 0.0, 1.0)
    curl = torch.clamp(closure, 0.0, 1.0)
    values = {
        f"{side}_thumb_proximal_yaw_joint": THUMB_YAW * swing,
        f"{side}_thumb_proximal_pitch_joint": 0.75 * curl,
        f"{side}_thumb_distal_joint": THUMB_MIMIC * 0.75 * curl,
    }
    for finger in ("index", "middle", "ring", "pinky"):
        values[f"{side}_{finger}_proximal_joint"] = -(FINGER_OPEN + FINGER_CURL * curl)
        values[f"{side}_{finger}_intermediate_joint"] = -FINGER_MIMIC * (FINGER_OPEN + FINGER_CURL * curl)
    zeros = torch.zeros_like(closure)
    return torch.stack([values.get(name, zeros) for name in joint_names], dim=-1)


def hand_closure(joint_pos: torch.Tensor, side: str, joint_names: list[str]) -> torch.Tensor:
    """The closure (0 to 1) a hand's measured index-finger angle corresponds to, (N,) (inverse of the curl)."""
    index = joint_pos[:, joint_names.index(f"{side}_index_proximal_joint")]
    return (-index - FINGER_OPEN) / FINGER_CURL
