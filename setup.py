"""Installs ``source/isaaclab_mimic_tasks`` and the ``mimic-tasks`` console script.

Name, version and description come from ``extension.toml`` (one source of truth, as in Isaac Lab's
own extensions); the pinned run-time set is ``requirements.lock`` (installed by ``scripts/setup.sh``).
"""

import pathlib
import tomllib

from setuptools import find_packages, setup

ROOT = pathlib.Path(__file__).parent
EXTENSION = tomllib.loads((ROOT / "extension.toml").read_text())["package"]

setup(
    name="isaaclab_mimic_tasks",
    version=EXTENSION["version"],
    description=EXTENSION["description"],
    keywords=EXTENSION["keywords"],
    python_requires="==3.12.*",
    package_dir={"": "source"},
    packages=find_packages("source"),
    package_data={"isaaclab_mimic_tasks": ["**/*.json", "**/*.yaml"]},
    install_requires=["isaaclab==3.0.0", "robomimic==0.3.0", "six", "urdf-usd-converter==0.3.4", "trimesh", "tqdm"],
    entry_points={
        "console_scripts": ["mimic-tasks=isaaclab_mimic_tasks.cli.main:main"],
        # Isaac Lab's task loader imports every module of this group, so the standard scripts see our IDs.
        "isaaclab.tasks": ["isaaclab_mimic_tasks=isaaclab_mimic_tasks.tasks"],
    },
    zip_safe=False,
)
