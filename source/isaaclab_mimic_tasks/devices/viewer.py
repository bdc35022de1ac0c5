"""The live view kit-less: Isaac Lab's Newton GL visualizer (a pyglet/OpenGL window), for ``--viz newton_gl``.

:func:`viewer_cfg` turns it on in an env cfg (camera from the task's ``video_view``); :func:`open_viewer_window`
finds the open window of the running simulation and wraps it as a :class:`ViewerWindow`: key press and release
events by key name, a panel with a status line and the key map, and the viewer's own camera keys switched off
(W/A/S/D/Q/E and the arrows would fly its camera while they drive the robot). Isaac Lab's visualizer falls back
to a headless viewer with only a printed warning when there is no display; asked for a window, we refuse
instead (:func:`check_display`).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
from collections.abc import Callable

from isaaclab_mimic_tasks.errors import UserInputError

WINDOW_SIZE = (1024, 640)
"""Window size (px): at 1024x640 without shadows, a step with the window costs about as much as without on the
CPU (llvmpipe), see ``docs/devices.md``."""


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


def viewer_cfg(env_cfg):
    """The Newton GL visualizer cfg for ``env_cfg``: a 1024x640 window looking from the task's ``video_view``."""
    from isaaclab_visualizers.newton import NewtonGLVisualizerCfg

    view = getattr(env_cfg, "video_view", None)
    extra = {"eye": tuple(view.eye), "lookat": tuple(view.target)} if view is not None else {}
    return NewtonGLVisualizerCfg(
        window_width=WINDOW_SIZE[0], window_height=WINDOW_SIZE[1], enable_shadows=False, max_visible_envs=16, **extra
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


class ViewerWindow:
    """The open Newton viewer window: key events by name, a status panel, the viewer's camera keys off."""

    def __init__(self, visualizer):
        self.visualizer = visualizer
        self._viewer = visualizer._viewer
        self._viewer.camera_speed = 0.0  # its W/A/S/D/Q/E and arrow keys are ours
        self.status = ""
        self.help_lines: list[str] = []
        self.panel_lines: list[str] = []
        visualizer.register_ui_callback(self._draw_panel, position="side")

    def listen(self, on_press: Callable[[str], None], on_release: Callable[[str], None] | None = None) -> None:
        """Call ``on_press(name)`` / ``on_release(name)`` with pyglet key names (``"W"``, ``"TAB"``, ``"LEFT"``)."""
        from pyglet.window import key

        renderer = self._viewer.renderer
        renderer.register_key_press(lambda symbol, modifiers: on_press(key.symbol_string(symbol)))
        if on_release is not None:
            renderer.register_key_release(lambda symbol, modifiers: on_release(key.symbol_string(symbol)))

    def pump_events(self) -> None:
        """Deliver the key events that arrived since the last frame now, not at the next frame (which the viewer
        draws inside ``env.step``, after the action was read): a released key then stops the robot a step
        earlier."""
        window = getattr(self._viewer.renderer, "window", None)
        if window is not None and self.is_open():
            window.dispatch_events()

    def is_open(self) -> bool:
        return self.visualizer.is_running()

    def close(self) -> None:
        self.visualizer.request_close()

    def _draw_panel(self, imgui) -> None:
        imgui.separator()
        imgui.text(self.status or " ")
        for line in self.panel_lines:
            imgui.text(line)
        if self.help_lines and imgui.collapsing_header("Keys"):
            for line in self.help_lines:
                imgui.text(line)


def open_viewer_window() -> ViewerWindow | None:
    """The window of the running simulation's Newton GL visualizer, or None if none is open."""
    from isaaclab.sim import SimulationContext

    sim = SimulationContext.instance()
    if sim is None:
        return None
    for visualizer in sim.visualizers:
        if getattr(visualizer, "_viewer", None) is not None and getattr(visualizer, "register_ui_callback", None):
            window = getattr(visualizer, "_mimic_tasks_window", None)
            if window is None:
                window = visualizer._mimic_tasks_window = ViewerWindow(visualizer)
            return window
    return None
