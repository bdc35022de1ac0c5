"""The ``mimic-tasks`` command line: one module per pipeline step."""
