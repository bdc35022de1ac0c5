"""Warp's start without its CUDA-driver warning on a CPU-only machine (a shim; standard library at import).

At ``wp.init()`` Warp's native library looks for the NVIDIA driver (``libcuda.so``) and, without one, writes
``Warp CUDA warning: Could not find or load the NVIDIA CUDA driver. GPU execution will not be available.`` to the C
stderr (``warp/native/cuda_util.cpp``; no Warp setting turns it off). Here that is the normal case: the tasks run
on the CPU. :func:`init_warp_quietly` runs ``wp.init()`` with file descriptor 2 captured and passes on everything
it wrote except that one line; later ``wp.init()`` calls (by Isaac Lab, Newton) find Warp started and print
nothing. ``mimic-tasks`` calls it before a command that may start the simulator.
"""

from __future__ import annotations

import os
import sys
import tempfile

CUDA_DRIVER_WARNING = "Warp CUDA warning: Could not find or load the NVIDIA CUDA driver."
"""The start of the one line :func:`init_warp_quietly` drops."""


def init_warp_quietly() -> None:
    """Start Warp now (``wp.init()``), without its CUDA-driver warning and start-up banner; other output passes."""
    import warp as wp

    level = wp.config.log_level
    wp.config.log_level = max(level, wp.LOG_WARNING)  # "Warp 1.17.0 initialized: ... CUDA driver not available"
    with tempfile.TemporaryFile() as captured:
        sys.stderr.flush()
        saved = os.dup(2)
        os.dup2(captured.fileno(), 2)
        try:
            wp.init()
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            wp.config.log_level = level
        captured.seek(0)
        text = captured.read().decode(errors="replace")
    kept = [line for line in text.splitlines(keepends=True) if not line.startswith(CUDA_DRIVER_WARNING)]
    if kept:
        sys.stderr.write("".join(kept))
        sys.stderr.flush()
