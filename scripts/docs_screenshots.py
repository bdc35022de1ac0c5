"""Screenshots of the viewer window for docs/devices.md, taken the way a recording session shows it.

For each task: the window of ``mimic-tasks record --teleop_device keyboard --viz newton_gl`` (the task's keyboard
device, its key help and a recording status in the panel), the scripted expert driving the robot to the moment of the
grasp, one picture per camera view named in ``VIEWS``. Run it under a display (the pictures are the window's own
frame, panel included):

    xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python scripts/docs_screenshots.py [--out docs/images]
"""

from __future__ import annotations

import argparse
import os

os.environ.setdefault(
    "WARP_CACHE_PATH", os.path.join(os.path.expanduser("~"), ".cache", "isaaclab_mimic_tasks", "warp")
)

SHOTS = {
    # task: (steps of the scripted expert before the pictures, views to take)
    "Isaac-Desktop-Organizer-Franka-IK-Rel-v0": (40, ("behind", "gripper")),
    "Isaac-PickPlace-GR1T2-Abs-v0": (55, ("behind", "right hand")),
}


def take(task: str, steps: int, views: tuple[str, ...], out: str) -> list[str]:
    from isaaclab_mimic_tasks.datagen.record import RecordStats
    from isaaclab_mimic_tasks.datagen.teleop import _create_device, _status_text
    from isaaclab_mimic_tasks.envs import load_env_cfg, open_env, scripted_expert_class
    from isaaclab_mimic_tasks.rendering.viewer import enable_viewer, open_viewer_window

    cfg = load_env_cfg(task, 1)
    cfg.terminations.time_out = None
    launch_args = enable_viewer(cfg, "newton_gl")
    written = []
    with open_env(task, 1, seed=0, env_cfg=cfg, launch_args=launch_args) as env:
        window = open_viewer_window(env)
        device = _create_device("newton_keyboard", cfg.teleop_devices.devices)
        window.help_lines = device.help_lines()
        expert = scripted_expert_class(task)(env)
        expert.reset()
        for _ in range(steps):
            env.step(expert.advance())
        stats = RecordStats(0, 0)
        for view in views:
            window.show_view(view)
            window.status = _status_text(stats, 10, 10, 0, device, steps, _tool_point(env), long=True).replace(
                " | ", "\n"
            )
            for _ in range(2):  # the view drawn
                window.redraw_at_next_step(True)
                env.step(expert.advance())
            path = os.path.join(out, f"{task.split('-')[1].lower()}_{view.replace(' ', '_')}.png")
            window.screenshot(path)
            written.append(path)
    return written


def _tool_point(env):
    from isaaclab_mimic_tasks.tasks.common.mdp import eef_pos

    end_effectors = list(env.cfg.end_effectors.values())  # one arm: its tool point; hands: none
    return eef_pos(env, end_effectors[0])[0].tolist() if len(end_effectors) == 1 else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "docs", "images"))
    parser.add_argument("--task", choices=sorted(SHOTS), default=None, help="one task only")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    if args.task is None:  # one process a task: a process opens one viewer window
        import subprocess
        import sys

        for task in SHOTS:
            subprocess.run([sys.executable, __file__, "--out", args.out, "--task", task], check=True)
        return
    steps, views = SHOTS[args.task]
    for path in take(args.task, steps, views, args.out):
        print(os.path.normpath(path))


if __name__ == "__main__":
    main()
