"""Installs ``source/isaaclab_mimic_tasks`` and the ``mimic-tasks`` console script.

Name, version and description come from ``extension.toml`` (one source of truth, as in Isaac Lab's
own extensions); the pinned run-time set is ``requirements.lock`` (installed by ``scripts/setup.sh``).
"""

import os
import pathlib
import tomllib

from setuptools import find_packages, setup
from setuptools.command.build_py import build_py

try:
    from setuptools.command.editable_wheel import editable_wheel
except ImportError:  # setuptools < 64 installs editables through `develop`, which this hook does not cover
    editable_wheel = None

ROOT = pathlib.Path(__file__).parent
EXTENSION = tomllib.loads((ROOT / "extension.toml").read_text())["package"]

# The standard Isaac Lab scripts (record_demos.py, generate_dataset.py, robomimic/train.py, ...) never import
# this package nor load the `isaaclab.tasks` entry points. This .pth file, at the top of the wheel and so in
# site-packages, installs an import hook at interpreter start (standard library only, no gymnasium) that
# registers our gym IDs once `isaaclab_tasks` or `isaaclab_mimic.envs` is imported: see
# source/isaaclab_mimic_tasks_hook.py and docs/standard_scripts.md.
HOOK_PTH_NAME = "isaaclab_mimic_tasks_hook.pth"
HOOK_PTH_LINE = "import isaaclab_mimic_tasks_hook; isaaclab_mimic_tasks_hook.install_import_hook()\n"


class BuildPyWithHook(build_py):
    """build_py that also writes the hook .pth at the top of build_lib (non-editable wheels and installs)."""

    def run(self):
        super().run()
        if not getattr(self, "editable_mode", False):  # editable wheels get it from EditableWheelWithHook
            with open(os.path.join(self.build_lib, HOOK_PTH_NAME), "w") as file:
                file.write(HOOK_PTH_LINE)

    def get_outputs(self, *args, **kwargs):
        outputs = super().get_outputs(*args, **kwargs)
        if getattr(self, "editable_mode", False):
            return outputs
        return [*outputs, os.path.join(self.build_lib, HOOK_PTH_NAME)]


class _StrategyWithHook:
    """Wraps setuptools' editable strategy (the __editable__ .pth or link tree) to add the hook .pth too."""

    def __init__(self, strategy):
        self._strategy = strategy

    def __call__(self, wheel, files, mapping):
        self._strategy(wheel, files, mapping)
        wheel.writestr(HOOK_PTH_NAME, HOOK_PTH_LINE)

    def __enter__(self):
        self._strategy.__enter__()
        return self

    def __exit__(self, *exc_info):
        return self._strategy.__exit__(*exc_info)


cmdclass = {"build_py": BuildPyWithHook}
if editable_wheel is not None:

    class EditableWheelWithHook(editable_wheel):
        """PEP 660 editable wheel (`pip install -e .`, `uv pip install -e .`) with the hook .pth added."""

        def _select_strategy(self, *args, **kwargs):
            return _StrategyWithHook(super()._select_strategy(*args, **kwargs))

    cmdclass["editable_wheel"] = EditableWheelWithHook

setup(
    name="isaaclab_mimic_tasks",
    version=EXTENSION["version"],
    description=EXTENSION["description"],
    keywords=EXTENSION["keywords"],
    python_requires="==3.12.*",
    package_dir={"": "source"},
    packages=find_packages("source"),
    py_modules=["isaaclab_mimic_tasks_hook"],  # the interpreter-start hook: standard library only
    package_data={"isaaclab_mimic_tasks": ["**/*.json", "**/*.yaml"]},
    install_requires=["isaaclab==3.0.0", "robomimic==0.3.0", "six", "urdf-usd-converter==0.3.4", "trimesh", "tqdm"],
    entry_points={
        "console_scripts": ["mimic-tasks=isaaclab_mimic_tasks.cli.main:main"],
        # The `isaaclab` CLI (`isaaclab list_envs`, `isaaclab train`) imports every module of this group; the
        # standard scripts do not: they get our IDs from the import hook (HOOK_PTH_NAME above).
        "isaaclab.tasks": ["isaaclab_mimic_tasks=isaaclab_mimic_tasks.tasks"],
        # This package reads two groups that other packages declare (docs/extending.md, "A task in your own
        # package"): "isaaclab_mimic_tasks.tasks" (a module that registers tasks; imported with ours, so every
        # command, the generic tests and the hook above see them) and "isaaclab_mimic_tasks.policy_families"
        # (name = "module:PolicyFamilySubclass"). It declares none itself: its own tasks and families are imported
        # directly.
    },
    cmdclass=cmdclass,
    zip_safe=False,
)
