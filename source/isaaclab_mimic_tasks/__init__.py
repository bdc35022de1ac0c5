"""Isaac Lab Mimic tasks."""
