"""The key map of the keyboard devices (``config/teleop_keymap.toml``), read and checked before any window opens.

Key names are pyglet's (``pyglet.window.key``), so the window device looks them up directly; the terminal
device reads the same names from the bytes a terminal sends (:data:`TERMINAL_SEQUENCES`).
"""

from __future__ import annotations

import os
import string
import tomllib
from dataclasses import dataclass

from isaaclab_mimic_tasks.errors import UserInputError

DEFAULT_KEYMAP_PATH = os.path.join(os.path.dirname(__file__), "..", "..", "..", "config", "teleop_keymap.toml")
"""The repository's ``config/teleop_keymap.toml`` (the package is installed in editable mode)."""

MOTION_AXES = {
    "x_plus": (0, 1.0),
    "x_minus": (0, -1.0),
    "y_plus": (1, 1.0),
    "y_minus": (1, -1.0),
    "z_plus": (2, 1.0),
    "z_minus": (2, -1.0),
    "roll_plus": (3, 1.0),
    "roll_minus": (3, -1.0),
    "pitch_plus": (4, 1.0),
    "pitch_minus": (4, -1.0),
    "yaw_plus": (5, 1.0),
    "yaw_minus": (5, -1.0),
}
"""Motion action -> (index in the 6-D twist [x, y, z, roll, pitch, yaw], sign)."""
COMMANDS = ("toggle_gripper", "switch_hand", "discard", "save_and_quit")
ANNOTATE_COMMANDS = (
    "next_frame",
    "previous_frame",
    "forward_10",
    "back_10",
    "mark_subtask_end",
    "next_subtask",
    "next_demo",
    "previous_demo",
)

VIEWER_KEYS = {
    "SPACE": "pauses the viewer",
    "PERIOD": "steps the paused viewer",
    "H": "hides the viewer's panels",
    "F": "frames the scene",
    **{f"_{d}": "switches the camera view" for d in range(1, 10)},
}
"""Keys the viewer window acts on itself: Newton's, and 1-9 for the task's camera views (ESCAPE closes the window:
only ``save_and_quit`` may use it)."""

_NAMED_SEQUENCES = {
    "TAB": "\t",
    "RETURN": "\r",
    "ENTER": "\r",
    "BACKSPACE": "\x7f",
    "ESCAPE": "\x1b",
    "SPACE": " ",
    "LEFT": "\x1b[D",
    "RIGHT": "\x1b[C",
    "UP": "\x1b[A",
    "DOWN": "\x1b[B",
    "HOME": "\x1b[H",
    "END": "\x1b[F",
    "PAGEUP": "\x1b[5~",
    "PAGEDOWN": "\x1b[6~",
    "COMMA": ",",
    "PERIOD": ".",
    "MINUS": "-",
    "EQUAL": "=",
    "SLASH": "/",
    "SEMICOLON": ";",
    "BRACKETLEFT": "[",
    "BRACKETRIGHT": "]",
}
TERMINAL_SEQUENCES: dict[str, str] = {
    **{letter: letter.lower() for letter in string.ascii_uppercase},
    **{f"_{digit}": digit for digit in string.digits},
    **_NAMED_SEQUENCES,
}
"""Key name -> what a terminal sends for it (letters without shift; a shifted letter counts as the same key)."""
ALIASES = {"RETURN": "ENTER"}
"""Names of one key: pyglet reports RETURN as ENTER."""
KEY_NAMES = frozenset(TERMINAL_SEQUENCES) | {f"NUM_{d}" for d in string.digits} | {f"F{n}" for n in range(1, 13)}
"""Every key name a key map may use (pyglet's names; digits are ``_0``...``_9``, as in pyglet)."""


@dataclass(frozen=True)
class KeyMap:
    """Key names of each motion, command and annotation action."""

    motion: dict[str, str]
    commands: dict[str, str]
    annotate: dict[str, str]
    path: str = ""

    def action_of(self) -> dict[str, str]:
        """Key name -> the action it is bound to (every section)."""
        return {
            key: action for section in (self.motion, self.commands, self.annotate) for action, key in section.items()
        }

    def help_lines(self, sections: tuple[str, ...] = ("motion", "commands"), omit: tuple[str, ...] = ()) -> list[str]:
        """Lines like ``W/S: x +/-`` for printing at start and for the window's panel, without the ``omit`` actions."""
        lines = []
        if "motion" in sections:
            for axis in ("x", "y", "z", "roll", "pitch", "yaw"):
                lines.append(f"{self.motion[f'{axis}_plus']}/{self.motion[f'{axis}_minus']}: {axis} +/-")
        for section in sections:
            if section != "motion":
                lines += [
                    f"{key}: {action.replace('_', ' ')}"
                    for action, key in getattr(self, section).items()
                    if action not in omit
                ]
        return lines


def load_keymap(path: str | None = None) -> KeyMap:
    """Read and check the key map at ``path`` (default: ``config/teleop_keymap.toml``).

    Raises:
        UserInputError: the file is missing or not TOML, an action is missing or unknown, a key name is
            unknown, a key is bound twice, or a key is one the viewer keeps for itself.
    """
    path = os.path.normpath(path or DEFAULT_KEYMAP_PATH)
    try:
        with open(path, "rb") as file:
            data = tomllib.load(file)
    except FileNotFoundError:
        raise UserInputError(f"key map {path} not found; pass an existing file to --keymap") from None
    except tomllib.TOMLDecodeError as error:
        raise UserInputError(f"key map {path} is not valid TOML: {error}") from None
    sections = {"motion": tuple(MOTION_AXES), "commands": COMMANDS, "annotate": ANNOTATE_COMMANDS}
    parsed: dict[str, dict[str, str]] = {}
    # annotation keys are used in another session than motion and command keys: they may overlap those
    bound: dict[str, dict[str, str]] = {"teleop": {}, "annotate": {}}
    for section, actions in sections.items():
        table = data.get(section, {})
        unknown = sorted(set(table) - set(actions))
        missing = [action for action in actions if action not in table]
        if unknown or missing:
            what = f"unknown action {section}.{unknown[0]}" if unknown else f"no key for {section}.{missing[0]}"
            raise UserInputError(f"key map {path}: {what} (actions of [{section}]: {', '.join(actions)})")
        parsed[section] = {}
        for action in actions:
            key = str(table[action]).upper()
            if key.isdigit() and len(key) == 1:
                key = f"_{key}"
            key = ALIASES.get(key, key)
            where = f"{section}.{action}"
            if key not in KEY_NAMES:
                raise UserInputError(
                    f"key map {path}: unknown key name '{table[action]}' for {where}; use pyglet's names "
                    "(A-Z, 0-9, TAB, RETURN, LEFT, F1, ...)"
                )
            if key in VIEWER_KEYS or (key == "ESCAPE" and action != "save_and_quit"):
                reason = VIEWER_KEYS.get(key, "closes the viewer window")
                raise UserInputError(f"key map {path}: {key} for {where} {reason}; choose another key")
            session = bound["annotate" if section == "annotate" else "teleop"]
            if key in session:
                raise UserInputError(f"key map {path}: {key} is bound to both {session[key]} and {where}")
            session[key] = where
            parsed[section][action] = key
    return KeyMap(parsed["motion"], parsed["commands"], parsed["annotate"], path)
