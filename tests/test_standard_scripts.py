"""The standard Isaac Lab scripts find this package's task IDs without being edited (docs/standard_scripts.md).

``record_demos.py``, ``annotate_demos.py``, ``generate_dataset.py`` and robomimic's ``train.py`` never import
this package and never load the ``isaaclab.tasks`` entry points; they ``import isaaclab_mimic.envs`` /
``import isaaclab_tasks`` and then call ``parse_env_cfg(task)`` and ``gym.spec(task)``. Our IDs reach them
through the import hook that ``isaaclab_mimic_tasks_hook.pth`` installs (module ``isaaclab_mimic_tasks_hook``).
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import isaaclab_mimic_tasks_hook as hook
from isaaclab_mimic_tasks import registration
from isaaclab_mimic_tasks.envs import task_ids

# What the standard scripts do up to the task lookup, and nothing else: the imports of record_demos.py,
# annotate_demos.py and generate_dataset.py (isaaclab_mimic.envs, then isaaclab_tasks), parse_env_cfg as
# they call it, and train.py's robomimic lookup (`gym.spec(name).kwargs[f"robomimic_{algo}_cfg_entry_point"]`,
# a "module:file.json" resolved next to the module, or a path). It never imports isaaclab_mimic_tasks.
STAND_IN_SCRIPT = """
import importlib
import json
import os
import sys

stand_in_imported_us = "isaaclab_mimic_tasks.tasks" in sys.modules

import gymnasium as gym

import isaaclab_mimic.envs  # noqa: F401
import isaaclab_tasks  # noqa: F401
from isaaclab_tasks.utils.parse_cfg import parse_env_cfg

report = {"stand_in_imported_us": stand_in_imported_us, "tasks": {}}
for task in sys.argv[1:]:
    env_cfg = parse_env_cfg(task, device="cpu", num_envs=1)
    env_cfg.env_name = task.split(":")[-1]
    spec = gym.spec(task.split(":")[-1])
    robomimic = {}
    for key, value in spec.kwargs.items():
        if key.startswith("robomimic_") and key.endswith("_cfg_entry_point"):
            if ":" in value:  # as train.py resolves it
                module_name, file_name = value.split(":")
                value = os.path.join(os.path.dirname(importlib.import_module(module_name).__file__), file_name)
            with open(value) as file:
                robomimic[key] = json.load(file)["algo_name"]
    report["tasks"][task] = {
        "env_cfg": type(env_cfg).__module__ + "." + type(env_cfg).__name__,
        "num_envs": env_cfg.scene.num_envs,
        "device": env_cfg.sim.device,
        "entry_point": spec.entry_point,
        "env_cfg_entry_point": spec.kwargs["env_cfg_entry_point"],
        "robomimic": robomimic,
    }
report["loader"] = type(isaaclab_tasks.__spec__.loader).__name__
print("REPORT " + json.dumps(report))
"""


@pytest.fixture(scope="module")
def stand_in(tmp_path_factory):
    """Run the stand-in script once, in a fresh interpreter of the venv, on every task ID of this package."""
    script = tmp_path_factory.mktemp("standard_scripts") / "stand_in_script.py"
    script.write_text(STAND_IN_SCRIPT)
    env = {key: value for key, value in os.environ.items() if key != hook.DISABLE_ENV_VAR}
    result = subprocess.run(
        [sys.executable, str(script), *task_ids()], capture_output=True, text=True, cwd=script.parent, env=env
    )
    assert result.returncode == 0, result.stderr[-3000:]
    line = next(line for line in result.stdout.splitlines() if line.startswith("REPORT "))
    return json.loads(line.removeprefix("REPORT ")), result.stderr


def test_stand_in_script_finds_every_task(stand_in):
    """parse_env_cfg and gym.spec find each of our IDs, with our configs (ours win over any stock ID)."""
    report, stderr = stand_in
    assert not report["stand_in_imported_us"]
    assert set(report["tasks"]) == set(task_ids()) and report["tasks"]
    for task, found in report["tasks"].items():
        assert found["env_cfg"].startswith("isaaclab_mimic_tasks.tasks."), task
        assert found["env_cfg_entry_point"].startswith("isaaclab_mimic_tasks.tasks."), task
        assert (found["num_envs"], found["device"]) == (1, "cpu"), task
    assert report["loader"] == "SourceFileLoader"  # the hook leaves the stock module's loader type alone
    for task in report["tasks"]:
        assert f"Overriding environment {task} " not in stderr  # replacements are reported by us, once
    assert stderr.count("replaced the stock Isaac Lab registration") <= 1


def test_stand_in_script_finds_robomimic_configs(stand_in):
    """train.py's lookup: `robomimic_<algo>_cfg_entry_point` resolves to a robomimic JSON config (--algo bc, bc_rnn)."""
    report, _ = stand_in
    found = report["tasks"]["Isaac-Desktop-Organizer-Franka-IK-Rel-v0"]["robomimic"]
    assert set(found) >= {"robomimic_bc_cfg_entry_point", "robomimic_bc_rnn_cfg_entry_point"}, found
    assert set(found.values()) == {"bc"}  # robomimic's algo_name of both BC and BC-RNN configs


def test_isaaclab_tasks_entry_point_finds_and_loads_ours():
    """`isaaclab list_envs` / `isaaclab train` load every module of the `isaaclab.tasks` group (not callables)."""
    entry_points = importlib.metadata.entry_points(group="isaaclab.tasks")
    ours = [ep for ep in entry_points if ep.name == "isaaclab_mimic_tasks"]
    assert len(ours) == 1
    assert ours[0].value == "isaaclab_mimic_tasks.tasks"  # a module, as isaaclab.cli expects
    for entry_point in entry_points:  # what isaaclab.cli.load_external_tasks does
        module = entry_point.load()
        if entry_point.name == "isaaclab_mimic_tasks":
            assert module is sys.modules["isaaclab_mimic_tasks.tasks"]
    import gymnasium as gym

    assert {"Isaac-Desktop-Organizer-Franka-IK-Rel-v0", "Isaac-Desktop-Organizer-Franka-Mimic-IK-Rel-v0"} <= set(
        gym.registry
    )


def test_hook_adds_no_simulator_import_at_startup():
    """The .pth runs at every interpreter start: it must import nothing but the hook module (os and sys)."""
    code = (
        "import json, sys;"
        "print(json.dumps({'modules': sorted(sys.modules), 'meta_path': [repr(f) for f in sys.meta_path]}))"
    )
    env = {key: value for key, value in os.environ.items() if key != hook.DISABLE_ENV_VAR}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd="/")
    assert result.returncode == 0, result.stderr
    started = json.loads(result.stdout)
    assert "<isaaclab_mimic_tasks_hook._TriggerFinder>" in started["meta_path"], "hook .pth not installed"
    ours = {name for name in started["modules"] if name.startswith("isaaclab_mimic_tasks")}
    assert ours == {"isaaclab_mimic_tasks_hook"}
    heavy = {"gymnasium", "numpy", "torch", "warp", "newton", "mujoco", "mujoco_warp", "pxr", "omni", "carb"}
    heavy.add("isaacsim")
    tops = {name.split(".")[0] for name in started["modules"]}
    assert not tops & heavy and not {top for top in tops if top.startswith("isaaclab")} - {"isaaclab_mimic_tasks_hook"}

    # and the hook module itself imports only the standard library's os and sys (no site: nothing else loaded)
    source_dir = str(Path(hook.__file__).parent)
    code = (
        f"import os, sys; sys.path.insert(0, {source_dir!r}); before = set(sys.modules);"
        "import isaaclab_mimic_tasks_hook as h; assert h.install_import_hook();"
        "print(sorted(set(sys.modules) - before))"
    )
    result = subprocess.run([sys.executable, "-S", "-c", code], capture_output=True, text=True, env=env, cwd="/")
    assert result.returncode == 0, result.stderr
    added = set(eval(result.stdout))
    assert added <= {"isaaclab_mimic_tasks_hook"}, added


FAKE_STOCK = """
import gymnasium as gym
for task_id in ("Isaac-Desktop-Organizer-Franka-IK-Rel-v0", "Fake-Stock-{name}-v0"):
    gym.register(id=task_id, entry_point="{name}:Env", kwargs={{"env_cfg_entry_point": "{name}:EnvCfg"}})
"""

CHECK_REPLACEMENT = """
import json, sys
import gymnasium as gym
import isaaclab_mimic_tasks_hook as hook

hook.TRIGGER_MODULES = ("fake_stock_a", "fake_stock_b")  # stand-ins for isaaclab_tasks, isaaclab_mimic.envs
import fake_stock_a  # registers over an ID of ours, before our tasks are registered
after_a = gym.spec("Isaac-Desktop-Organizer-Franka-IK-Rel-v0").kwargs["env_cfg_entry_point"]
import fake_stock_b  # registers over it again, after ours are registered
after_b = gym.spec("Isaac-Desktop-Organizer-Franka-IK-Rel-v0").kwargs["env_cfg_entry_point"]
report = {"after_a": after_a, "after_b": after_b, "stock_kept": "Fake-Stock-fake_stock_b-v0" in gym.registry}
report["loader"] = type(fake_stock_a.__spec__.loader).__name__
print("REPORT " + json.dumps(report))
"""


@pytest.mark.parametrize("disabled", [False, True], ids=["hook", "hook-disabled"])
def test_hook_replaces_stock_registration_and_says_so_once(tmp_path, disabled):
    """Stock code that registers one of our IDs, before or after ours, loses to ours; one log line, no
    gymnasium warning; ISAACLAB_MIMIC_TASKS_NO_HOOK=1 switches it off (and shows the hook is what does it)."""
    for name in ("fake_stock_a", "fake_stock_b"):
        (tmp_path / f"{name}.py").write_text(FAKE_STOCK.format(name=name))
    (tmp_path / "check.py").write_text(CHECK_REPLACEMENT)
    env = {key: value for key, value in os.environ.items() if key != hook.DISABLE_ENV_VAR}
    env["PYTHONPATH"] = str(tmp_path)
    if disabled:
        env[hook.DISABLE_ENV_VAR] = "1"
    result = subprocess.run([sys.executable, "check.py"], capture_output=True, text=True, cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    line = next(line for line in result.stdout.splitlines() if line.startswith("REPORT "))
    report = json.loads(line.removeprefix("REPORT "))
    assert report["stock_kept"] and report["loader"] == "SourceFileLoader"
    if disabled:
        assert (report["after_a"], report["after_b"]) == ("fake_stock_a:EnvCfg", "fake_stock_b:EnvCfg")
        return
    ours = "isaaclab_mimic_tasks.tasks.desktop_organizer.franka_ik_rel_env_cfg:FrankaOrganizerIKRelEnvCfg"
    assert (report["after_a"], report["after_b"]) == (ours, ours)
    message = "replaced the stock Isaac Lab registration of Isaac-Desktop-Organizer-Franka-IK-Rel-v0"
    assert result.stderr.count(message) == 1
    assert "Overriding environment Isaac-Desktop-Organizer" not in result.stderr


def test_external_callback_form():
    """record_demos.py / annotate_demos.py resolve `--external_callback` with string_to_callable(separator=".");
    ours registers the tasks and returns None, so the scripts still reject unknown arguments."""
    from isaaclab.utils.string import list_intersection, string_to_callable

    callback = string_to_callable("isaaclab_mimic_tasks.registration.register_tasks", separator=".")
    assert callback is registration.register_tasks
    remaining = callback()
    assert list_intersection(["--bogus"], remaining) == ["--bogus"]
    import gymnasium as gym

    assert "Isaac-Desktop-Organizer-Franka-IK-Rel-v0" in gym.registry


STANDARD_DOC = Path(__file__).resolve().parents[1] / "docs" / "standard_scripts.md"


def documented_standard_commands() -> list[str]:
    """The `./isaaclab.sh -p scripts/...` commands of docs/standard_scripts.md."""
    import re

    return re.findall(r"`(\./isaaclab\.sh -p scripts/[^`]+)`", STANDARD_DOC.read_text())


def test_documented_commands_use_the_launcher_flags_of_isaac_lab_3():
    """3.0's scripts take their launcher flags from `add_launcher_args`: it rejects --headless (exit 2) and takes
    --device cpu; the documented commands pass no --headless and run the kit-less ones on the CPU."""
    import argparse

    from isaaclab.app.sim_launcher import add_launcher_args

    parser = argparse.ArgumentParser(prog="generate_dataset.py")
    add_launcher_args(parser)
    with pytest.raises(SystemExit) as exited:
        parser.parse_args(["--headless"])
    assert exited.value.code == 2
    assert parser.parse_args(["--device", "cpu"]).device == "cpu"
    commands = documented_standard_commands()
    assert len(commands) == 6, commands
    for command in commands:
        assert "--headless" not in command, command
        if "generate_dataset.py" in command or "annotate_demos.py" in command:
            assert "--device cpu" in command, command
    assert any("play.py" in command and "--norm_factor_min" in command for command in commands)


def test_isaaclab_teleop_record_needs_a_source_checkout():
    """`isaaclab teleop record` runs the record script from inside the installed isaaclab package, which the wheel
    does not ship; the docs say so and name the kit-less replacement."""
    import shutil

    isaaclab_cli = shutil.which("isaaclab", path=os.path.dirname(sys.executable))
    assert isaaclab_cli, "the isaaclab console script of the wheel"
    result = subprocess.run(
        [isaaclab_cli, "teleop", "record", "--task", "Isaac-Desktop-Organizer-Franka-IK-Rel-v0"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert "record_demos.py" in result.stdout + result.stderr
    assert "No such file or directory" in result.stdout + result.stderr
    text = " ".join(STANDARD_DOC.read_text().split())
    assert "`isaaclab teleop record|replay`" in text and "pip wheel of Isaac Lab does not contain" in text
    assert "use `mimic-tasks record`" in text
