"""Shared test settings: keep compiled Warp kernels between runs (the first compile takes ~50 s)."""

import os

os.environ.setdefault("WARP_CACHE_PATH", os.path.join(os.path.expanduser("~"), ".cache", "isaaclab_mimic_tasks", "warp"))
