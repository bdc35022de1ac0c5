"""Videos of a task's scene, kit-less: Isaac Lab's camera sensor with Newton's Warp ray tracer.

:func:`enable_video` adds a camera (``scene.video_camera``) to an env cfg before the env is made; its
renderer is :class:`isaaclab_newton.renderers.NewtonWarpRendererCfg`, which ray-traces the Newton model
(textured meshes, no OpenGL, no Kit) on the CPU as well as on a GPU. :class:`VideoRecorder` grabs one
environment's frames after each step and writes an mp4 (a gif if ffmpeg is missing);
:func:`isaaclab_mimic_tasks.rendering.demo_render.render_episode` turns a recorded demo into a video by setting the
scene to each recorded state, without physics.

Cost on a 2-core CPU at 320x240: ~0.1 s a frame. The ray tracer renders every environment of the scene
at once, so record videos from an env with few environments.
"""

from __future__ import annotations

import contextlib
import math
import os
import uuid
from collections.abc import Sequence

import numpy as np

VIDEO_CAMERA = "video_camera"
"""Name of the camera :func:`enable_video` adds to ``env_cfg.scene``."""

RENDERER_MODULE = "isaaclab_newton.renderers.newton_warp_renderer"
"""The Warp module of Isaac Lab's Newton ray-tracer renderer (its kernels are compiled at the first video frame)."""

RENDERER_EXTRA_CPU_FLAGS = "-Wno-constant-conversion"
"""What :func:`quiet_renderer_build` adds to the renderer module's CPU compiler flags."""


def look_at_quat(eye: Sequence[float], target: Sequence[float]) -> tuple[float, float, float, float]:
    """Quaternion (x, y, z, w) of a camera at ``eye`` looking at ``target`` in Isaac Lab's "world" convention
    (forward +X, up +Z), without roll."""
    dx, dy, dz = (t - e for t, e in zip(target, eye))
    yaw = math.atan2(dy, dx)
    pitch = math.atan2(-dz, math.hypot(dx, dy))  # a positive pitch about +Y tilts +X down
    cy, sy = math.cos(yaw / 2), math.sin(yaw / 2)
    cp, sp = math.cos(pitch / 2), math.sin(pitch / 2)
    return (-sy * sp, cy * sp, sy * cp, cy * cp)  # q_z(yaw) * q_y(pitch)


def quiet_renderer_build() -> None:
    """Compile the renderer's Warp module (:data:`RENDERER_MODULE`) without clang's ``-Wconstant-conversion`` warning.

    Its ``_fill_hdr_background`` kernel compares with ``wp.uint32(0xFFFFFFFF)`` (no hit), which Warp 1.17 writes as
    ``const wp::int32 var_5 = 4294967295;``: at the first frame after a kernel-cache miss, clang printed that warning
    (4 lines). The comparison is still right (both sides are the same 32 bits). The flag goes to that one module, on
    top of the configured target flags (``warp.config.cpu_compiler_flags``, default ``-march=native``); its other
    warnings and all errors still show. Remove once Isaac Lab or Warp emits an unsigned constant there.
    """
    import importlib

    import warp as wp

    module = importlib.import_module(RENDERER_MODULE)
    options = wp.get_module_options(module)
    base = options.get("cpu_compiler_flags")
    base = base if base is not None else wp.config.cpu_compiler_flags
    base = base if base is not None else "-march=native"
    if RENDERER_EXTRA_CPU_FLAGS not in base.split():
        wp.set_module_options({"cpu_compiler_flags": f"{base} {RENDERER_EXTRA_CPU_FLAGS}".strip()}, module)


def enable_video(
    env_cfg,
    width: int = 320,
    height: int = 240,
    eye: Sequence[float] | None = None,
    target: Sequence[float] | None = None,
):
    """Add the video camera to ``env_cfg.scene`` (call before the env is made); returns ``env_cfg``.

    One pinhole camera per environment at ``eye`` looking at ``target`` (both in the env frame; default: the
    task's declared ``env_cfg.video_view``, else Isaac Lab's ``env_cfg.viewer`` eye and look-at), rendered
    by Newton's Warp ray tracer (compiled without a spurious warning: :func:`quiet_renderer_build`). The camera
    only renders when its image is read (:meth:`VideoRecorder.capture`), so stepping without capturing costs
    nothing extra; it does not change physics or observations.
    """
    import isaaclab.sim as sim_utils
    from isaaclab.sensors import CameraCfg
    from isaaclab_newton.renderers import NewtonWarpRendererCfg

    if width < 16 or height < 16:
        raise ValueError(f"video size {width}x{height} is too small; use at least 16x16 (e.g. 320x240)")
    quiet_renderer_build()
    eye = eye or env_cfg.video_view.eye
    target = target or env_cfg.video_view.target
    setattr(
        env_cfg.scene,
        VIDEO_CAMERA,
        CameraCfg(
            prim_path="{ENV_REGEX_NS}/VideoCamera",
            offset=CameraCfg.OffsetCfg(pos=tuple(eye), rot=look_at_quat(eye, target), convention="world"),
            data_types=["rgb"],
            spawn=sim_utils.PinholeCameraCfg(
                focal_length=24.0, horizontal_aperture=20.955, clipping_range=(0.05, 10.0)
            ),
            width=int(width),
            height=int(height),
            update_period=0.0,
            renderer_cfg=NewtonWarpRendererCfg(),
        ),
    )
    return env_cfg


def ffmpeg_available() -> bool:
    """Whether imageio can write mp4 (the ``imageio-ffmpeg`` package and its ffmpeg binary)."""
    try:
        import imageio_ffmpeg

        return bool(imageio_ffmpeg.get_ffmpeg_exe())
    except (ImportError, RuntimeError, OSError):
        return False


class VideoRecorder:
    """Frames of one environment's video camera, written to ``path`` on :meth:`close`.

    The env must have been made from a cfg passed through :func:`enable_video`. Call :meth:`capture` after
    each ``env.step`` (or after setting a state); :meth:`close` writes the video atomically (a temporary
    file beside ``path``, then renamed) and returns its path: ``.mp4`` with ffmpeg, else the same name with
    ``.gif``. With no frames captured, nothing is written. Use it as a context manager::

        with VideoRecorder(env, "rollout.mp4") as video:
            for _ in range(100):
                env.step(policy(obs))
                video.capture()
    """

    def __init__(self, env, path: str | os.PathLike, env_index: int = 0, fps: float | None = None):
        camera = env.scene.sensors.get(VIDEO_CAMERA) if hasattr(env.scene, "sensors") else None
        if camera is None:
            raise RuntimeError(
                "the env has no video camera; pass its cfg through "
                "isaaclab_mimic_tasks.rendering.video.enable_video(env_cfg) before making the env"
            )
        if not 0 <= env_index < env.num_envs:
            raise ValueError(f"env_index {env_index} is out of range for an env with {env.num_envs} environments")
        self.env = env
        self.camera = camera
        self.env_index = int(env_index)
        self.fps = float(fps) if fps else 1.0 / env.step_dt
        """Frames per second of the video; defaults to the control rate (real time when capturing every step)."""
        self.path = os.fspath(path)
        if not ffmpeg_available():
            self.path = os.path.splitext(self.path)[0] + ".gif"
        self.num_frames = 0
        """Frames captured so far."""
        self._writer = None
        self._tmp: str | None = None

    def render(self) -> np.ndarray:
        """Render the current state of the recorded environment: an (height, width, 3) uint8 RGB array."""
        # Mark the camera outdated even if the state was set without a physics step (update_period is 0).
        self.camera.update(0.0)
        image = self.camera.data.output["rgb"][self.env_index]
        return np.ascontiguousarray(image.detach().cpu().numpy()[..., :3], dtype=np.uint8)

    def capture(self) -> np.ndarray:
        """Render the current state and append it to the video; returns the frame."""
        frame = self.render()
        self.add_frame(frame)
        return frame

    def add_frame(self, frame: np.ndarray) -> None:
        """Append an RGB frame (height, width, 3) to the video; frames go straight to a temporary file."""
        if self._writer is None:
            self._tmp, self._writer = _open_writer(self.path, self.fps)
        self._writer.append_data(np.asarray(frame, dtype=np.uint8))
        self.num_frames += 1

    def close(self) -> str | None:
        """Finish the video at :attr:`path` (written completely or not at all); returns it, or None if no frames."""
        if self._writer is None:
            return None
        writer, tmp, self._writer, self._tmp = self._writer, self._tmp, None, None
        try:
            writer.close()
            os.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.remove(tmp)
            raise
        return self.path

    def discard(self) -> None:
        """Drop the frames captured so far (nothing is written)."""
        if getattr(self, "_writer", None) is None:
            return
        writer, tmp, self._writer, self._tmp = self._writer, self._tmp, None, None
        with contextlib.suppress(Exception):
            writer.close()
        with contextlib.suppress(FileNotFoundError):
            os.remove(tmp)

    def __enter__(self) -> VideoRecorder:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None or exc_type is KeyboardInterrupt:
            self.close()  # keep what was captured when the user interrupts
        else:
            self.discard()

    def __del__(self):
        self.discard()


def _open_writer(path: str, fps: float):
    """An imageio writer on a temporary file beside ``path`` (same extension); returns (temporary path, writer).

    mp4: H.264 through ffmpeg; ``.gif``: Pillow.
    """
    import imageio.v2 as imageio

    folder, name = os.path.split(os.path.abspath(path))
    stem, ext = os.path.splitext(name)
    os.makedirs(folder, exist_ok=True)
    tmp = os.path.join(folder, f".{stem}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}{ext}")
    if ext.lower() == ".gif":
        return tmp, imageio.get_writer(tmp, mode="I", duration=1000.0 / fps, loop=0)
    # macro_block_size 2: H.264 (yuv420p) needs even sizes; 320x240 and the like are kept as they are
    options = {"codec": "libx264", "quality": 8, "macro_block_size": 2, "ffmpeg_log_level": "error"}
    return tmp, imageio.get_writer(tmp, fps=fps, **options)


def read_video(path: str | os.PathLike) -> np.ndarray:
    """All frames of a video file as a (frames, height, width, 3) uint8 array (for checks and tests)."""
    import imageio.v2 as imageio

    return np.stack([np.asarray(frame)[..., :3] for frame in imageio.mimread(os.fspath(path), memtest=False)])
