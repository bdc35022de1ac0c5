"""The asset cache: USD files built on first use from packaged sources, with a manifest.

Every asset is built by a builder function from files shipped in pip packages (URDF, MJCF, meshes),
never downloaded. The cache folder holds one sub-folder per asset and ``manifest.json`` recording the
source package versions and the builder revision each asset was built from; an asset whose sources
changed is rebuilt. Builds write into a temporary folder that is renamed into place, so an interrupted
build never leaves a half-written asset behind.
"""

from __future__ import annotations

import json
import os
import pathlib
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata

from isaaclab_mimic_tasks.errors import UserInputError


class AssetSourceError(UserInputError, RuntimeError):
    """A package an asset is built from is missing; the message names the fix."""


@dataclass(frozen=True)
class AssetSpec:
    """How to build one asset: the builder, the pip packages it reads, the file it produces."""

    builder: Callable[[pathlib.Path], pathlib.Path]
    """Writes the asset into the given (empty) folder and returns the main USD file."""
    source_packages: tuple[str, ...]
    """Distribution names whose files the builder reads; their versions key the cache."""
    revision: int = 1
    """Bump when the builder's output changes for the same sources."""


def cache_dir() -> pathlib.Path:
    """The asset cache folder: ``$MIMIC_TASKS_CACHE/assets`` (default ``~/.cache/isaaclab_mimic_tasks/assets``)."""
    root = os.environ.get("MIMIC_TASKS_CACHE", os.path.join(os.path.expanduser("~"), ".cache", "isaaclab_mimic_tasks"))
    return pathlib.Path(root) / "assets"


def source_versions(packages: tuple[str, ...]) -> dict[str, str]:
    """Installed versions of ``packages``; raises :class:`AssetSourceError` naming a missing one."""
    versions = {}
    for package in packages:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            raise AssetSourceError(
                f"asset source package '{package}' is not installed; run scripts/setup.sh (or: pip install {package})"
            ) from None
    return versions


def _read_manifest(folder: pathlib.Path) -> dict:
    try:
        return json.loads((folder / "manifest.json").read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return {}


def _write_manifest(folder: pathlib.Path, manifest: dict) -> None:
    tmp = folder / "manifest.json.tmp"
    tmp.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    tmp.replace(folder / "manifest.json")


def ensure_asset(name: str, spec: AssetSpec, force: bool = False) -> pathlib.Path:
    """Return the path of asset ``name``'s main USD file, building it first if missing or stale."""
    folder = cache_dir()
    key = {"sources": source_versions(spec.source_packages), "revision": spec.revision}
    manifest = _read_manifest(folder)
    entry = manifest.get(name)
    if not force and entry is not None and entry["key"] == key and (folder / entry["file"]).is_file():
        return folder / entry["file"]
    folder.mkdir(parents=True, exist_ok=True)
    staging = pathlib.Path(tempfile.mkdtemp(prefix=f".{name}-", dir=folder))
    try:
        main_file = spec.builder(staging)
        relative = main_file.relative_to(staging)
        final = folder / name
        if final.exists():
            shutil.rmtree(final)
        staging.replace(final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    manifest = _read_manifest(folder)  # re-read: another asset may have been added meanwhile
    manifest[name] = {"key": key, "file": str(pathlib.Path(name) / relative)}
    _write_manifest(folder, manifest)
    return folder / name / relative
