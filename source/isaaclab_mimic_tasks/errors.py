"""The one error type the CLI turns into a one-line message (kept import-light: no torch, no simulator)."""


class UserInputError(Exception):
    """Bad input from the user; the message says what is wrong and how to fix it (no traceback)."""
