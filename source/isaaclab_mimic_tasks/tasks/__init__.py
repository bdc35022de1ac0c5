"""Task registrations. Importing this package registers every task's gym IDs (no simulator is imported)."""

from . import desktop_organizer  # noqa: F401
