"""Env-steps/s of one environment with the viewer window (``--viz newton_gl``): the window redrawn every 1, 2, 3 or 4
steps, never (the simulation alone), and paced as a person's recording session paces it (real time at most, frames
drawn when the session has the time: ``FramePacer``), measured in turns in one run on one window.

Run it under a display (``xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python bench/viewer_rate.py``); the
scripted expert drives the robot so contacts and grasps are part of the cost. 20 env-steps/s is the control rate
(real time).

    .venv/bin/python bench/viewer_rate.py [--task ID] [--steps 60] [--rounds 2]
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault(
    "WARP_CACHE_PATH", os.path.join(os.path.expanduser("~"), ".cache", "isaaclab_mimic_tasks", "warp")
)

TASK = "Isaac-Desktop-Organizer-Franka-IK-Rel-v0"
NEVER = 10**9
"""A redraw interval that means the window is not drawn during the measurement."""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--task", default=TASK)
    parser.add_argument("--steps", type=int, default=60, help="env steps per measurement")
    parser.add_argument("--rounds", type=int, default=2, help="turns through every setting (the best is kept)")
    args = parser.parse_args()

    import torch

    from isaaclab_mimic_tasks.envs import load_env_cfg, open_env, scripted_expert_class
    from isaaclab_mimic_tasks.rendering.viewer import RENDER_EVERY, FramePacer, enable_viewer, open_viewer_window

    torch.set_num_threads(1)
    cfg = load_env_cfg(args.task, 1)
    cfg.terminations.time_out = None
    launch_args = enable_viewer(cfg, "newton_gl")
    rates: dict = {}
    fps = 0.0
    with open_env(args.task, 1, seed=0, env_cfg=cfg, launch_args=launch_args) as env:
        window = open_viewer_window(env)
        viewer = window._viewer
        expert = scripted_expert_class(args.task)(env)
        expert.reset()
        for _ in range(5):
            env.step(expert.advance())
        for _ in range(args.rounds):
            for every in (NEVER, 1, 2, 3, 4):
                viewer._update_frequency = every
                start = time.perf_counter()
                for _ in range(args.steps):
                    _, _, terminated, truncated, _ = env.step(expert.advance())
                    if bool(terminated[0] | truncated[0]):
                        expert.reset()
                rates[every] = max(rates.get(every, 0.0), args.steps / (time.perf_counter() - start))
            # the recording session's loop: the pacer decides the redraws and keeps the control rate
            pacer = FramePacer(window, env.step_dt)
            start = time.perf_counter()
            for _ in range(args.steps * 2):
                tick = time.perf_counter()
                pacer.before_step()
                _, _, terminated, truncated, _ = env.step(expert.advance())
                if bool(terminated[0] | truncated[0]):
                    expert.reset()
                pacer.after_step(time.perf_counter() - tick)
            seconds = time.perf_counter() - start
            if args.steps * 2 / seconds > rates.get("paced", 0.0):
                rates["paced"], fps = args.steps * 2 / seconds, pacer.frames / seconds
            print(
                f"  (pacer: step {pacer.step_cost * 1e3:.0f} ms, frame {pacer.frame_cost * 1e3:.0f} ms,"
                f" {pacer.frames} frames)"
            )
    width, height = cfg.sim.visualizer_cfgs.window_width, cfg.sim.visualizer_cfgs.window_height
    print(f"{args.task}, 1 env, window {width}x{height}, shadows on, best of {args.rounds} x {args.steps} steps:")
    print(f"  no redraw (simulation only): {rates[NEVER]:.1f} env-steps/s")
    for every in (1, 2, 3, 4):
        mark = "  <- expert, replay, play with --viz (RENDER_EVERY)" if every == RENDER_EVERY else ""
        print(
            f"  redrawn every {every} step(s): {rates[every]:.1f} env-steps/s, {rates[every] / 20:.2f}x real time, "
            f"{rates[every] / rates[NEVER]:.2f}x the simulation alone{mark}"
        )
    print(
        f"  paced like a recording session (at most real time): {rates['paced']:.1f} env-steps/s, "
        f"{rates['paced'] / 20:.2f}x real time, window {fps:.1f} frames/s"
    )


if __name__ == "__main__":
    main()
