"""The worst contact a person at the keyboard can produce, per task: peak contacts and constraint rows per environment,
physics failures (buffer overflows, non-finite states).

Each environment (its own random scene) is driven the way a clumsy person drives, through the same action path as
the keyboard (the organizer: relative steps of the task's key step, three at a time as a stalled frame gives; the
GR1T2: the task's bimanual retargeter): the hand pressed into the table, the gripper closed on the object while
pressing, the object pushed into the basket's floor and walls, the hand swept along the table through the objects;
on the GR1T2 also the left hand pressed into the table while the right one presses the can into the basket. The
peak numbers are what each task's ``nconmax`` / ``njmax`` are sized from (its physics cfg says so).

    .venv/bin/python bench/clumsy_operator.py [--task organizer|gr1t2] [--num_envs 20] [--nconmax N]

``tests/test_physics_robustness.py`` runs the same scenarios on a few environments.
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault(
    "WARP_CACHE_PATH", os.path.join(os.path.expanduser("~"), ".cache", "isaaclab_mimic_tasks", "warp")
)

TASKS = {"organizer": "Isaac-Desktop-Organizer-Franka-IK-Rel-v0", "gr1t2": "Isaac-PickPlace-GR1T2-Abs-v0"}


def _toward(target, current, step):
    """Per-axis steps of at most ``step`` from ``current`` toward ``target`` (held keys: one axis step each)."""
    import torch

    return torch.clamp(target - current, -step, step)


class OrganizerClumsyDriver:
    """Relative actions of the organizer's Franka, as held keys give them (three key steps a step: a stalled frame)."""

    def __init__(self, env):
        import torch

        self.env = env
        cfg = env.cfg.teleop_devices.devices["newton_keyboard"]
        self.step = 3 * cfg.pos_sensitivity
        self.grip = torch.ones(env.num_envs, 1, device=env.device)

    def _eef(self):
        from isaaclab_mimic_tasks.tasks.common.mdp import eef_pos

        return eef_pos(self.env, self.env.cfg.end_effectors["franka"])

    def _base(self, name):
        env = self.env
        return env.scene[name].data.root_pos_w.torch - env.scene["robot"].data.root_pos_w.torch

    def phases(self):
        """(name, steps, action function of the step index) of the scenario."""
        import torch

        down = torch.tensor([0.0, 0.0, -1.0], device=self.env.device)

        def go(target_fn, press=False):
            def action(_):
                delta = _toward(target_fn(), self._eef(), self.step)
                if press:
                    delta = delta * torch.tensor([1.0, 1.0, 0.0], device=self.env.device) + self.step * down
                return torch.cat([delta, torch.zeros_like(delta), self.grip], dim=-1)

            return action

        def set_grip(value):
            def action(i):
                if i == 0:
                    self.grip[:] = value
                return go(lambda: self._eef())(i)

            return action

        ketchup = lambda: self._base("ketchup") + torch.tensor([0.0, 0.0, 0.0], device=self.env.device)  # noqa: E731
        above = lambda: ketchup() + torch.tensor([0.0, 0.0, 0.08], device=self.env.device)  # noqa: E731
        carry = lambda: ketchup() * torch.tensor([1.0, 1.0, 0.0], device=self.env.device) + torch.tensor(  # noqa: E731
            [0.0, 0.0, 0.2], device=self.env.device
        )
        basket = lambda: self._base("basket") + torch.tensor([0.0, 0.0, 0.2], device=self.env.device)  # noqa: E731
        sweep = lambda: self._base("basket") + torch.tensor([0.0, -0.45, 0.0], device=self.env.device)  # noqa: E731
        return [
            ("above the ketchup", 40, go(above)),
            ("press onto the ketchup and the table", 30, go(ketchup, press=True)),
            ("close while pressing", 20, set_grip(-1.0)),
            ("keep pressing, closed", 20, go(ketchup, press=True)),
            ("lift", 30, go(carry)),
            ("over the basket", 40, go(basket)),
            ("press the ketchup into the basket", 50, go(basket, press=True)),
            ("open in the basket, pressing", 10, set_grip(1.0)),
            ("sweep along the table through the objects", 60, go(sweep, press=True)),
        ]


class GR1T2ClumsyDriver:
    """Absolute wrist targets from the task's bimanual retargeter, one per environment, fed held-key increments."""

    def __init__(self, env):
        import torch

        from isaaclab_mimic_tasks.devices.retargeters import build_retargeters

        self.env = env
        cfg = env.cfg.teleop_devices.devices["newton_keyboard"]
        self.step = 3 * cfg.pos_sensitivity
        self.retargeters = [build_retargeters(cfg)[0] for _ in range(env.num_envs)]
        self.grip = [1.0] * env.num_envs
        self.device = env.device
        self._torch = torch

    def _object(self, name, offset):
        torch = self._torch
        env = self.env
        return env.scene[name].data.root_pos_w.torch - env.scene.env_origins + torch.tensor(offset, device=self.device)

    def _action(self, target_fn, side: str, press=False, grip=None, tilt=0.0):
        torch = self._torch

        def action(i):
            targets = target_fn()
            rows = []
            for env_id, retargeter in enumerate(self.retargeters):
                if retargeter.active_side != side:
                    retargeter.switch_hand()
                if grip is not None and i == 0:
                    self.grip[env_id] = -self.grip[env_id]  # a toggle of the device's gripper state
                pose = retargeter.poses[retargeter.active][:3]
                delta = _toward(targets[env_id].cpu(), pose, self.step)
                if press:
                    delta[2] = -self.step
                turn = tilt if i < 5 else 0.0  # five key steps: the hand pitched down 15 degrees
                rotation = retargeter._command_rotation.T @ torch.tensor([-turn, 0.0, 0.0])
                command = retargeter._command_rotation.T @ delta  # the device's axes
                rows.append(retargeter.retarget(torch.cat([command, rotation, torch.tensor([self.grip[env_id]])])))
            return torch.stack(rows).to(self.device)

        return action

    def _wrist_for(self, offset):
        """Wrist targets that put the can's centre at ``offset`` from where it is now (the hand pitched as above)."""
        import isaaclab.utils.math as math_utils

        from isaaclab_mimic_tasks.tasks.pick_place_gr1t2.pickplace_gr1t2_env_cfg import GRASP_POINT, IDLE_WRIST_POSES

        torch = self._torch
        tilt = math_utils.quat_from_euler_xyz(torch.tensor([-0.25]), torch.zeros(1), torch.zeros(1))
        hand = math_utils.quat_mul(tilt, torch.tensor([IDLE_WRIST_POSES["right"][3:]])).to(self.device)
        point = math_utils.quat_apply(hand, torch.tensor([GRASP_POINT], device=self.device))
        return lambda: self._object("object", offset) - point

    def phases(self):
        beside = self._wrist_for((0.06, 0.0, 0.03))
        grasp = self._wrist_for((0.0, 0.0, 0.0))
        can = self._wrist_for((0.0, 0.0, -0.03))
        above = lambda: self._object("object", (0.0, 0.0, 0.15))  # noqa: E731
        basket = lambda: self._object("basket", (0.0, 0.0, 0.25))  # noqa: E731
        left_table = lambda: self._object("basket", (-0.25, -0.1, 0.0))  # noqa: E731
        return [
            # the hand pitched down 15 degrees, as for the task's grasp (the can then closes between thumb and fingers)
            ("right hand tilted, beside the can", 40, self._action(beside, "right", tilt=0.05)),
            ("at the grasp", 20, self._action(grasp, "right")),
            ("press onto the can and the table", 30, self._action(can, "right", press=True)),
            ("close while pressing", 20, self._action(can, "right", press=True, grip=True)),
            ("lift", 30, self._action(above, "right")),
            ("over the basket", 40, self._action(basket, "right")),
            ("press the can into the basket", 40, self._action(basket, "right", press=True)),
            ("left hand pressed into the table, closed", 50, self._action(left_table, "left", press=True, grip=True)),
            ("right hand presses into the basket again", 30, self._action(basket, "right", press=True)),
            ("right hand sweeps along the table", 40, self._action(left_table, "right", press=True)),
        ]


def run_scenarios(task: str, num_envs: int, seed: int = 0, nconmax: int | None = None, log=print) -> dict:
    """Drive ``num_envs`` environments of ``task`` through the clumsy scenarios; returns peak contacts and constraint
    rows per environment, the physics failures seen (env -> what), and whether any state was non-finite."""
    import torch
    import warp as wp

    from isaaclab_mimic_tasks.envs import load_env_cfg, open_env
    from isaaclab_mimic_tasks.tasks.common.physics_monitor import peak_counts, physics_failures

    cfg = load_env_cfg(task, num_envs)
    cfg.terminations = None  # every phase runs to its end; failures are counted, not reset
    cfg.episode_length_s = 1.0e6
    if nconmax is not None:
        cfg.sim.physics.solver_cfg.nconmax = nconmax
    driver_class = OrganizerClumsyDriver if "Franka" in task else GR1T2ClumsyDriver
    failures: dict[int, str] = {}
    rows_peak = torch.zeros(num_envs, dtype=torch.int32)
    non_finite_actions = False
    with open_env(task, num_envs=num_envs, seed=seed, env_cfg=cfg) as env:
        from isaaclab.physics import PhysicsManager

        mjw_data = PhysicsManager._sim.physics_manager._solver.mjw_data
        driver = driver_class(env)
        for name, steps, action_fn in driver.phases():
            start = time.perf_counter()
            for i in range(steps):
                action = action_fn(i)
                non_finite_actions |= not bool(torch.isfinite(action).all())
                env.step(action)
                rows_peak = torch.maximum(rows_peak, wp.to_torch(mjw_data.nefc).cpu().to(torch.int32))
                for env_id, what in physics_failures(env).items():
                    failures.setdefault(env_id, f"{name}: {what}")
            log(
                f"  {name}: {steps} steps, {steps * num_envs / (time.perf_counter() - start):.1f} env-steps/s, "
                f"peak contacts {int(peak_counts().max())}"
            )
        contacts_peak = peak_counts()
        nconmax_now = cfg.sim.physics.solver_cfg.nconmax
        njmax_now = cfg.sim.physics.solver_cfg.njmax
    return {
        "contacts_peak": contacts_peak.tolist(),
        "rows_peak": rows_peak.tolist(),
        "failures": failures,
        "non_finite_actions": non_finite_actions,
        "nconmax": nconmax_now,
        "njmax": njmax_now,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--task", choices=sorted(TASKS), default="organizer")
    parser.add_argument("--num_envs", type=int, default=20, help="environments (random scenes), all driven at once")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--nconmax", type=int, default=None, help="override the task's contact buffer (per world)")
    args = parser.parse_args()
    print(f"clumsy operator on {TASKS[args.task]}, {args.num_envs} environments, seed {args.seed}")
    result = run_scenarios(TASKS[args.task], args.num_envs, args.seed, args.nconmax)
    contacts, rows = result["contacts_peak"], result["rows_peak"]
    print(
        f"peak contacts per environment: max {max(contacts)}, median {sorted(contacts)[len(contacts) // 2]} "
        f"(nconmax {result['nconmax']}: {max(contacts) / result['nconmax']:.2f} of it)"
    )
    print(
        f"peak constraint rows per environment: max {max(rows)}, median {sorted(rows)[len(rows) // 2]} "
        f"(njmax {result['njmax']}: {max(rows) / result['njmax']:.2f} of it)"
    )
    print(f"physics failures: {len(result['failures'])} of {args.num_envs} environments")
    for env_id, what in sorted(result["failures"].items()):
        print(f"  env {env_id}: {what}")


if __name__ == "__main__":
    main()
