"""Cost of a video frame (Newton Warp ray tracer through Isaac Lab's camera) against an env.step, 1 env.

Renders the organizer scene after a few expert steps at a few sizes and prints ms a frame, frames/s
and the ratio to one env.step measured in the same run.

    .venv/bin/python bench/video_render.py [--frames 20]
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault(
    "WARP_CACHE_PATH", os.path.join(os.path.expanduser("~"), ".cache", "isaaclab_mimic_tasks", "warp")
)

TASK = "Isaac-Desktop-Organizer-Franka-IK-Rel-v0"
SIZES = ((160, 120), (320, 240), (640, 480))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=20, help="timed frames per size")
    args = parser.parse_args()

    from isaaclab_mimic_tasks.envs import load_env_cfg, open_env, scripted_expert_class
    from isaaclab_mimic_tasks.rendering.video import VIDEO_CAMERA, VideoRecorder, enable_video

    cfg = enable_video(load_env_cfg(TASK, num_envs=1))
    base = getattr(cfg.scene, VIDEO_CAMERA)
    for width, height in SIZES:  # one camera per size, same view
        camera = base.copy()
        camera.prim_path, camera.width, camera.height = f"{{ENV_REGEX_NS}}/BenchCamera{width}", width, height
        setattr(cfg.scene, f"bench_{width}", camera)
    with open_env(TASK, num_envs=1, seed=0, env_cfg=cfg) as env:
        expert = scripted_expert_class(TASK)(env)
        expert.reset()
        for _ in range(3):
            env.step(expert.advance())
        start = time.perf_counter()
        for _ in range(args.frames):
            env.step(expert.advance())
        step_s = (time.perf_counter() - start) / args.frames
        recorder = VideoRecorder(env, os.devnull)
        print(f"{'size':>9s} {'ms/frame':>9s} {'frames/s':>9s} {'vs env.step':>12s}")
        for width, height in SIZES:
            recorder.camera = env.scene.sensors[f"bench_{width}"]
            recorder.render()  # warm-up
            start = time.perf_counter()
            for _ in range(args.frames):
                recorder.render()
            frame_s = (time.perf_counter() - start) / args.frames
            print(f"{width:>4d}x{height:<4d} {1e3 * frame_s:9.1f} {1 / frame_s:9.1f} {frame_s / step_s:12.2f}")
        print(f"env.step (1 env): {1e3 * step_s:.1f} ms")


if __name__ == "__main__":
    main()
