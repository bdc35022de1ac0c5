"""Videos of the organizer (Newton Warp ray tracer, kit-less, CPU): live rollouts and recorded demos."""

from __future__ import annotations

import os
from types import SimpleNamespace

import numpy as np
import pytest
import torch

from isaaclab_mimic_tasks.datasets.demo_video import render_demo
from isaaclab_mimic_tasks.envs import load_env_cfg, open_env, scripted_expert_class
from isaaclab_mimic_tasks.errors import UserInputError
from isaaclab_mimic_tasks.rendering import video
from isaaclab_mimic_tasks.rendering.video import VideoRecorder, enable_video, read_video

TASK = "Isaac-Desktop-Organizer-Franka-IK-Rel-v0"
WIDTH, HEIGHT = 160, 120
STEPS = 12


def _assert_legible(frames: np.ndarray) -> None:
    """Frames show a scene (not one flat colour) and change over the rollout (the robot moves)."""
    assert frames.dtype == np.uint8 and frames.shape[1:] == (HEIGHT, WIDTH, 3)
    for frame in frames:
        assert frame.astype(np.float32).std() > 20.0, "blank frame"
        # table, robot and background: many distinct colours, not a cleared buffer
        assert len(np.unique(frame.reshape(-1, 3) // 16, axis=0)) > 20
    moved = np.abs(frames[0].astype(np.int16) - frames[-1].astype(np.int16)).max(axis=-1) > 40
    assert moved.mean() > 0.005, "first and last frames are the same: nothing moved"


@pytest.fixture(scope="module")
def recorded(tmp_path_factory):
    """A short real demo: the scripted expert for STEPS steps under Isaac Lab's action/state recorder,
    with the video camera filming it live. Returns (dataset path, live video path)."""
    from isaaclab.envs.mdp.recorders.recorders_cfg import ActionStateRecorderManagerCfg
    from isaaclab.managers import DatasetExportMode

    folder = tmp_path_factory.mktemp("video")
    cfg = enable_video(load_env_cfg(TASK, num_envs=1), WIDTH, HEIGHT)
    cfg.env_name = TASK
    cfg.recorders = ActionStateRecorderManagerCfg()
    cfg.recorders.dataset_export_dir_path = str(folder)
    cfg.recorders.dataset_filename = "demo"
    cfg.recorders.dataset_export_mode = DatasetExportMode.EXPORT_ALL
    live = folder / "live.mp4"
    with open_env(TASK, num_envs=1, seed=0, env_cfg=cfg) as env:
        expert = scripted_expert_class(TASK)(env)
        expert.reset()
        with VideoRecorder(env, live) as recorder:
            recorder.capture()  # the initial state
            for _ in range(STEPS):
                env.step(expert.advance())
                recorder.capture()
        env_ids = torch.tensor([0], device=env.device)
        env.recorder_manager.record_pre_reset(env_ids, force_export_or_skip=False)
        env.recorder_manager.export_episodes(env_ids)
    return folder / "demo.hdf5", recorder.path


def test_video_of_env(recorded):
    """A rollout video of a real env: one frame per capture, the configured size, legible and changing."""
    _, live = recorded
    assert os.path.isfile(live) and live.endswith(".mp4" if video.ffmpeg_available() else ".gif")
    frames = read_video(live)
    assert len(frames) == STEPS + 1
    _assert_legible(frames)
    assert not [name for name in os.listdir(os.path.dirname(live)) if ".tmp-" in name]


def test_render_demo_matches_the_recording(recorded, tmp_path):
    """``render_demo`` sets each recorded state and renders it: the frames filmed live (measured: identical)."""
    dataset, live = recorded
    out = render_demo(TASK, dataset, "demo_0", tmp_path / "demo_0.mp4", width=WIDTH, height=HEIGHT)
    frames, live_frames = read_video(out), read_video(live)
    assert len(frames) == STEPS + 1  # initial state + one per recorded step
    _assert_legible(frames)
    error = np.abs(frames.astype(np.int16) - live_frames.astype(np.int16)).mean(axis=(1, 2, 3))
    change = np.abs(live_frames[-1].astype(np.int16) - live_frames[0].astype(np.int16)).mean()
    assert error.max() < 0.1 * change, (error, change)

    short = render_demo(
        None, dataset, "demo_0", tmp_path / "short.mp4", max_frames=3, stride=2, width=WIDTH, height=HEIGHT
    )
    assert len(read_video(short)) == 3


def test_render_demo_clear_errors(recorded, tmp_path):
    dataset, _ = recorded
    with pytest.raises(UserInputError, match="no demo 'demo_7'"):
        render_demo(TASK, dataset, "demo_7", tmp_path / "x.mp4")
    with pytest.raises(UserInputError, match="does not exist"):
        render_demo(TASK, tmp_path / "missing.hdf5", "demo_0", tmp_path / "x.mp4")
    assert not os.path.exists(tmp_path / "x.mp4")


def test_recorder_needs_the_video_camera():
    env = SimpleNamespace(scene=SimpleNamespace(sensors={}), num_envs=1, step_dt=0.05)
    with pytest.raises(RuntimeError, match="enable_video"):
        VideoRecorder(env, "x.mp4")


def test_gif_without_ffmpeg(tmp_path, monkeypatch):
    """Without ffmpeg the recorder writes a gif of the same frames; a failed recording writes nothing."""
    monkeypatch.setattr(video, "ffmpeg_available", lambda: False)
    camera = SimpleNamespace(cfg=SimpleNamespace(width=32, height=24))
    env = SimpleNamespace(scene=SimpleNamespace(sensors={video.VIDEO_CAMERA: camera}), num_envs=1, step_dt=0.05)
    recorder = VideoRecorder(env, tmp_path / "clip.mp4")
    rng = np.random.default_rng(0)
    for _ in range(4):
        recorder.add_frame(rng.integers(0, 255, (24, 32, 3), dtype=np.uint8))
    path = recorder.close()
    assert path == str(tmp_path / "clip.gif") and os.path.isfile(path)
    assert read_video(path).shape == (4, 24, 32, 3)

    # an error while recording leaves no file behind
    with pytest.raises(ValueError), VideoRecorder(env, tmp_path / "failed.mp4") as failed:
        failed.add_frame(np.zeros((24, 32, 3), dtype=np.uint8))
        raise ValueError("policy crashed")
    assert sorted(os.listdir(tmp_path)) == ["clip.gif"]


def test_first_render_prints_no_compiler_warning(tmp_path):
    """The first frame after a kernel-cache miss compiles the ray tracer's Warp module: no clang warning (and no CUDA
    driver line) is printed (:func:`isaaclab_mimic_tasks.rendering.video.quiet_renderer_build`)."""
    import shutil
    import subprocess
    import sys

    cache = tmp_path / "warp"
    shared = os.environ.get("WARP_CACHE_PATH")
    if shared and os.path.isdir(shared):  # the other modules compiled already; the renderer's not
        shutil.copytree(shared, cache, ignore=shutil.ignore_patterns(f"wp_{video.RENDERER_MODULE}_*"))
    code = (
        "from isaaclab_mimic_tasks.warp_init import init_warp_quietly; init_warp_quietly();"
        "from isaaclab_mimic_tasks.rendering.video import VideoRecorder, enable_video;"
        "from isaaclab_mimic_tasks.envs import load_env_cfg, open_env;"
        f"cfg = enable_video(load_env_cfg({TASK!r}, num_envs=1), 32, 24);"
        f"env_cm = open_env({TASK!r}, num_envs=1, seed=0, env_cfg=cfg); env = env_cm.__enter__();"
        "print('FRAME', VideoRecorder(env, 'unused.mp4').render().shape); env_cm.__exit__(None, None, None)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=900,
        cwd=tmp_path,
        env={**os.environ, "WARP_CACHE_PATH": str(cache)},
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-3000:]
    assert "FRAME (24, 32, 3)" in result.stdout
    assert any(path.name.startswith(f"wp_{video.RENDERER_MODULE}_") for path in cache.rglob("*")), "no cache miss"
    assert "warning" not in output.lower(), output[-3000:]
