"""Keys of the Newton viewer window (``--viz newton_gl``), by name: what the window keyboard reads.

The window itself (our panel, the task's camera views, redraw pacing) is
:class:`isaaclab_mimic_tasks.rendering.viewer.ViewerWindow`, which builds on :class:`WindowKeys`. Devices sit below
rendering (tasks import the device cfgs), so the keyboard finds the window's keys here, not through rendering.
"""

from __future__ import annotations

from collections.abc import Callable


def newton_visualizer():
    """The running simulation's Newton GL visualizer with a window, or None if none is open."""
    from isaaclab.sim import SimulationContext

    sim = SimulationContext.instance()
    if sim is None:
        return None
    for visualizer in sim.visualizers:
        if getattr(visualizer, "_viewer", None) is not None and getattr(visualizer, "register_ui_callback", None):
            return visualizer
    return None


class WindowKeys:
    """Key press and release events of a Newton GL visualizer's window, by pyglet key name.

    The viewer's own camera keys are switched off: W/A/S/D/Q/E and the arrows would fly its camera while they drive
    the robot.
    """

    def __init__(self, visualizer):
        self.visualizer = visualizer
        self._viewer = visualizer._viewer
        self._viewer.camera_speed = 0.0  # its W/A/S/D/Q/E and arrow keys are ours

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
