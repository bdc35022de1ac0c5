"""Devices that produce actions: scripted experts (and, later, keyboard/SpaceMouse retargeters)."""

from .scripted_expert import PickPlaceExpert, PickPlaceExpertCfg

__all__ = ["PickPlaceExpert", "PickPlaceExpertCfg"]
