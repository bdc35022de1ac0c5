"""What the interpreter-start hook for the standard scripts costs every Python process of the environment.

Prints, over repeated fresh interpreters: the import time of ``isaaclab_mimic_tasks_hook`` (from ``-X importtime``:
the .pth imports it and installs a finder), the whole start-up of ``python -c pass``, and what registering the
tasks at start-up would cost instead (``import isaaclab_mimic_tasks``: gymnasium and the registrations), with
their ratios.

    .venv/bin/python bench/hook_startup.py [--runs 20]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time


def import_time_us(module: str, runs: int) -> float:
    """Median cumulative import time (us) of ``module`` in a fresh interpreter, from ``-X importtime``."""
    samples = []
    for _ in range(runs):
        code = "pass" if module == "isaaclab_mimic_tasks_hook" else f"import {module}"
        err = subprocess.run([sys.executable, "-X", "importtime", "-c", code], capture_output=True, text=True).stderr
        line = next(line for line in err.splitlines() if line.count("|") == 2 and line.split("|")[2].strip() == module)
        samples.append(float(line.split("|")[1]))
    return statistics.median(samples)


def startup_ms(runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        samples.append(1000 * (time.perf_counter() - start))
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    hook = import_time_us("isaaclab_mimic_tasks_hook", args.runs)
    register = import_time_us("isaaclab_mimic_tasks", max(3, args.runs // 4))
    start = startup_ms(args.runs)
    print(f"hook import + install at start-up: {hook / 1000:.2f} ms (median of {args.runs} starts)")
    print(f"python -c pass, whole start-up:    {start:.1f} ms  (hook share {100 * hook / 1000 / start:.1f}%)")
    print(
        f"import isaaclab_mimic_tasks:       {register / 1000:.1f} ms  (registering at start-up instead: "
        f"{register / hook:.0f}x the hook)"
    )


if __name__ == "__main__":
    main()
