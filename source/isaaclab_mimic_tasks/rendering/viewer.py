"""The live view kit-less: Isaac Lab's Newton GL visualizer (a pyglet/OpenGL window), for ``--viz newton_gl``.

:func:`viewer_cfg` turns it on in an env cfg (shadows on, the window sized to the screen, the camera at the
task's first ``camera_views`` entry); :func:`open_viewer_window` finds the open window of the running simulation
and wraps it as a :class:`ViewerWindow`: key press and release events by key name, a narrow panel of our own (the
status, the camera views, the keys; no input widgets, so no key is ever typed into one), the number keys switching
the task's camera views, and the viewer's own camera keys switched off (W/A/S/D/Q/E and the arrows would fly its
camera while they drive the robot). Isaac Lab's visualizer falls back to a headless viewer with only a printed
warning when there is no display; asked for a window, we refuse instead (:func:`check_display`).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import time

from isaaclab_mimic_tasks.devices.window_keys import WindowKeys, newton_visualizer
from isaaclab_mimic_tasks.errors import UserInputError

WINDOW_SIZE = (1280, 800)
"""Window size (px), a laptop's; smaller where the screen is (:func:`_screen_size`)."""
RENDER_EVERY = 2
"""Where nobody drives (``expert``, ``replay``, ``play`` with ``--viz``), the window is redrawn every this many env
steps: on a CPU (Mesa llvmpipe) a frame costs about two env steps. A person's session paces its frames instead
(:class:`FramePacer`)."""
NEVER_REDRAW = 2**31 - 1
"""An ``update_frequency`` no step count reaches in practice."""
SHADOW_MAP_SIZE = 1024
"""Shadow map resolution (px); Newton's 4096 costs llvmpipe a 64 MB depth clear every frame."""
PANEL_WIDTH = 300
"""Width (px) of the window's panel: the scene keeps three quarters of a 1280 px window."""


def resolve_viz(viz: str | None) -> str:
    """``none`` or ``newton_gl``; a one-line error for the visualizers that need Kit, a GPU or another process."""
    viz = (viz or "none").lower()
    if viz == "newton":
        viz = "newton_gl"
    if viz in ("none", "newton_gl"):
        return viz
    reasons = {
        "kit": "needs Isaac Sim (Kit)",
        "newton_rtx": "needs an RTX GPU (OVRTX)",
        "rerun": "is not part of this package's install",
        "viser": "needs a newer rich than Isaac Lab 3.0's pins allow",
    }
    raise UserInputError(f"--viz {viz} {reasons.get(viz, 'is unknown')}; kit-less, use --viz newton_gl (a window)")


def check_display() -> None:
    """Raise a one-line error unless an X display can be opened (the window would otherwise silently not open)."""
    display = os.environ.get("DISPLAY")
    if not display:
        raise UserInputError(
            "--viz newton_gl opens a window but no display is set (DISPLAY is empty); run it in a desktop session, "
            "under xvfb-run, or without --viz (in a terminal: --teleop_device terminal_keyboard)"
        )
    library = ctypes.util.find_library("X11")
    if library is None:
        return  # no Xlib to ask; pyglet will say what is wrong
    xlib = ctypes.cdll.LoadLibrary(library)
    xlib.XOpenDisplay.restype = ctypes.c_void_p
    xlib.XOpenDisplay.argtypes = [ctypes.c_char_p]
    handle = xlib.XOpenDisplay(display.encode())
    if not handle:
        raise UserInputError(f"--viz newton_gl: cannot open display {display}; check DISPLAY (or run under xvfb-run)")
    xlib.XCloseDisplay.argtypes = [ctypes.c_void_p]
    xlib.XCloseDisplay(handle)


def _screen_size() -> tuple[int, int] | None:
    """Width and height (px) of the X display's default screen, or None where it cannot be asked."""
    library = ctypes.util.find_library("X11")
    if library is None or not os.environ.get("DISPLAY"):
        return None
    xlib = ctypes.cdll.LoadLibrary(library)
    xlib.XOpenDisplay.restype = ctypes.c_void_p
    xlib.XOpenDisplay.argtypes = [ctypes.c_char_p]
    handle = xlib.XOpenDisplay(os.environ["DISPLAY"].encode())
    if not handle:
        return None
    for name in ("XDisplayWidth", "XDisplayHeight", "XDefaultScreen"):
        getattr(xlib, name).argtypes = [ctypes.c_void_p] + ([ctypes.c_int] if name != "XDefaultScreen" else [])
    screen = xlib.XDefaultScreen(handle)
    size = (xlib.XDisplayWidth(handle, screen), xlib.XDisplayHeight(handle, screen))
    xlib.XCloseDisplay.argtypes = [ctypes.c_void_p]
    xlib.XCloseDisplay(handle)
    return size


def camera_views(env_cfg) -> dict:
    """The task's camera views (``camera_views``, name -> :class:`~isaaclab_mimic_tasks.tasks.common.CameraViewCfg`),
    or its video camera alone; number keys 1, 2, ... select them in this order."""
    return dict(env_cfg.camera_views) or {"video": env_cfg.video_view}


def viewer_cfg(env_cfg):
    """The Newton GL visualizer cfg for ``env_cfg``: a window of :data:`WINDOW_SIZE` (or the screen's size), shadows
    on, redrawn every :data:`RENDER_EVERY` steps, looking from the task's first camera view."""
    from isaaclab_visualizers.newton import NewtonGLVisualizerCfg

    width, height = WINDOW_SIZE
    screen = _screen_size()
    if screen is not None:
        width, height = min(width, screen[0]), min(height, screen[1])
    views = list(camera_views(env_cfg).values())
    extra = {"eye": tuple(views[0].eye), "lookat": tuple(views[0].target)} if views else {}
    return NewtonGLVisualizerCfg(
        window_width=width,
        window_height=height,
        enable_shadows=True,
        update_frequency=RENDER_EVERY,
        max_visible_envs=16,
        **extra,
    )


def enable_viewer(env_cfg, viz: str) -> dict:
    """Set up ``env_cfg`` for ``viz`` and return the ``launch_simulation`` arguments that go with it."""
    viz = resolve_viz(viz)
    if viz == "none":
        return {}
    check_display()
    env_cfg.sim.visualizer_cfgs = viewer_cfg(env_cfg)
    return {"visualizer": [viz]}


def window_closed(env) -> bool:
    """Whether a viewer was opened for ``env`` and the person closed it (ESCAPE or the window's close button)."""
    sim = getattr(env, "sim", None)  # env-like stand-ins without a simulation have no window either
    return sim is not None and not sim.is_running()


def _software_gl_settings(renderer) -> None:
    """Newton's renderer made affordable for a software rasterizer (llvmpipe): no multisampling, a smaller shadow
    map. The renderer has no settings for either; both buffers are rebuilt the way it builds them."""
    renderer.msaa_samples = 0
    renderer._setup_frame_buffer()
    renderer._shadow_width = renderer._shadow_height = SHADOW_MAP_SIZE
    renderer._setup_shadow_buffer()


class FramePacer:
    """A person's session in real time, its window redrawn when there is time for it.

    Steps keep to a schedule of one per ``step_period`` (the control rate: never faster, and a late step is made up by
    the following ones, up to ``max_lag`` s). A step redraws the window when the session is far enough ahead of its
    schedule to pay for a frame (whose cost is measured as it goes), and at least every ``max_frame_interval`` s so
    that the view never stalls. On a machine fast enough every step is drawn. Without a window it only keeps time.
    """

    def __init__(
        self, window: ViewerWindow | None, step_period: float, max_frame_interval: float = 0.2, max_lag: float = 0.5
    ):
        self.window = window
        self.step_period = step_period
        self.max_frame_interval = max_frame_interval
        self.max_lag = max_lag
        self.step_cost = step_period / 2
        """Seconds of a step without a redraw (running mean)."""
        self.frame_cost = step_period
        """Extra seconds of a redraw (running mean)."""
        self._due: float | None = None
        self._last_frame = time.perf_counter()
        self._redraw = window is not None
        self.frames = 0

    def before_step(self) -> None:
        """Decide whether the coming step redraws the window."""
        now = time.perf_counter()
        if self._due is None:
            self._due = now
        if self.window is None:
            return
        spare = self._due + self.step_period - now - self.step_cost
        self._redraw = now - self._last_frame >= self.max_frame_interval or spare >= self.frame_cost
        self.window.redraw_at_next_step(self._redraw)

    def after_step(self, seconds: float) -> None:
        """Account for a step that took ``seconds``, then wait for the next step's time."""
        if self._redraw:
            self.frame_cost += 0.2 * (max(seconds - self.step_cost, 0.0) - self.frame_cost)
            self._last_frame = time.perf_counter()
            self.frames += 1
        else:
            self.step_cost += 0.2 * (seconds - self.step_cost)
        now = time.perf_counter()
        self._due = max(self._due + self.step_period, now - self.max_lag)
        time.sleep(max(0.0, self._due - now))


class ViewerWindow(WindowKeys):
    """The open Newton viewer window: key events by name (:class:`WindowKeys`), our panel, camera views on the
    number keys."""

    def __init__(self, visualizer):
        super().__init__(visualizer)
        _software_gl_settings(self._viewer.renderer)
        self.status = ""
        self.help_lines: list[str] = []
        self.panel_lines: list[str] = []
        self.views: dict = {}
        self.view = ""
        self._follow = None
        self._view_keys: dict[str, str] = {}
        gui = getattr(self._viewer, "gui", None)
        if gui is not None:
            # our panel replaces Isaac Lab's (which has text fields a key could be typed into) and Newton's statistics
            # overlay (the session's status says how fast it runs)
            gui._render_left_panel = self._draw_panel
            gui._render_stats_overlay = lambda: None
        self.listen(self._on_key)

    def use_views(self, env) -> None:
        """Offer ``env``'s camera views on the number keys (1: the first) and show the first one."""
        self.views = camera_views(env.cfg)
        self._view_keys = {f"_{i + 1}": name for i, name in enumerate(list(self.views)[:9])}
        self._env = env
        if self.views:
            self.show_view(next(iter(self.views)))

    def show_view(self, name: str) -> None:
        """Look from camera view ``name`` (a view that follows a body moves with it)."""
        view = self.views[name]
        self.view = name
        self._follow = None
        follow = getattr(view, "follow", None)
        if follow is not None:
            asset = self._env.scene[follow.name]
            body = asset.find_bodies(follow.body_names)[0][0]
            self._follow = lambda: asset.data.body_pos_w.torch[0, body].tolist()
        self._place_camera()

    def _place_camera(self) -> None:
        view = self.views[self.view]
        if self._follow is not None:
            anchor = self._follow()
        else:
            anchor = self._env.scene.env_origins[0].tolist()
        eye = [a + e for a, e in zip(anchor, view.eye)]
        target = [a + t for a, t in zip(anchor, view.target)]
        self.visualizer.set_camera_view(eye, target)

    def _on_key(self, name: str) -> None:
        if name in self._view_keys:
            self.show_view(self._view_keys[name])

    def redraw_at_next_step(self, redraw: bool) -> None:
        """Whether the window is redrawn at the next env step (Isaac Lab redraws it inside ``env.step`` every
        ``update_frequency`` steps; the Newton viewer keeps that number)."""
        self._viewer._update_frequency = 1 if redraw else NEVER_REDRAW

    def close(self) -> None:
        self.visualizer.request_close()

    def screenshot(self, path: str) -> None:
        """Write the window as it was last drawn, panel included, to ``path`` (PNG)."""
        import imageio.v3 as iio

        iio.imwrite(path, self._viewer.get_frame(render_ui=True).numpy())

    def _draw_panel(self) -> None:
        """Our panel, narrow, at the window's left: the status, the views, the keys. Text only, and ImGui's keyboard
        navigation off, so TAB and the motion keys never land in a widget."""
        if self._follow is not None:
            self._place_camera()
        ui = self._viewer.gui.ui
        if not ui.is_available:
            return
        imgui, io = ui.imgui, ui.io
        io.config_flags &= ~imgui.ConfigFlags_.nav_enable_keyboard
        scale = ui.dpi_scale
        imgui.set_next_window_pos(imgui.ImVec2(8 * scale, 8 * scale), imgui.Cond_.always)
        imgui.set_next_window_size(imgui.ImVec2(PANEL_WIDTH * scale, 0.0), imgui.Cond_.always)
        flags = imgui.WindowFlags_.no_focus_on_appearing | imgui.WindowFlags_.no_nav | imgui.WindowFlags_.no_resize
        if imgui.begin("isaaclab_mimic_tasks", None, flags):
            imgui.text_wrapped(self.status or " ")
            for line in self.panel_lines:
                imgui.text_wrapped(line)
            if self.views:
                imgui.separator()
                names = [
                    f"{i + 1} {name}" + (" *" if name == self.view else "")
                    for i, name in enumerate(self._view_keys.values())
                ]
                imgui.text_wrapped("views: " + ", ".join(names))
            if self.help_lines:
                imgui.set_next_item_open(True, imgui.Cond_.once)
                if imgui.collapsing_header("Keys"):
                    for line in self.help_lines:
                        imgui.text(line)
                    imgui.text("H: hide this panel")
        imgui.end()


def open_viewer_window(env=None) -> ViewerWindow | None:
    """The window of the running simulation's Newton GL visualizer, or None if none is open. With ``env``, its camera
    views are on the number keys."""
    visualizer = newton_visualizer()
    if visualizer is None:
        return None
    window = getattr(visualizer, "_mimic_tasks_window", None)
    if window is None:
        window = visualizer._mimic_tasks_window = ViewerWindow(visualizer)
    if env is not None and not window.views:
        window.use_views(env)
    return window
