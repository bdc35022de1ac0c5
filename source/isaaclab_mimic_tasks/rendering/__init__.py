"""Rendering kit-less: the viewer window (``--viz newton_gl``), videos of a task's scene, recorded episodes as videos.

- :mod:`.viewer`: Isaac Lab's Newton GL visualizer turned on in an env cfg (:func:`enable_viewer`), its open window
  with our panel and the task's camera views (:func:`open_viewer_window`), a person's session paced in real time
  (:class:`FramePacer`);
- :mod:`.video`: a camera rendered by Newton's Warp ray tracer (:func:`enable_video`), its frames written to an mp4
  (:class:`VideoRecorder`);
- :mod:`.demo_render`: a recorded episode's states set one by one and rendered (:func:`render_episode`).

Datasets, data generation and learning call rendering; rendering reads tasks, envs and devices, never datasets,
datagen or learning.
"""

from .demo_render import render_episode
from .video import VIDEO_CAMERA, VideoRecorder, enable_video, ffmpeg_available, look_at_quat, read_video
from .viewer import FramePacer, ViewerWindow, enable_viewer, open_viewer_window, resolve_viz, window_closed

__all__ = [
    "VIDEO_CAMERA",
    "FramePacer",
    "VideoRecorder",
    "ViewerWindow",
    "enable_video",
    "enable_viewer",
    "ffmpeg_available",
    "look_at_quat",
    "open_viewer_window",
    "read_video",
    "render_episode",
    "resolve_viz",
    "window_closed",
]
