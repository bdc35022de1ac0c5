"""``mimic-tasks assets build``: build (or verify) every asset in the cache and list them."""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=["build"], help="build: build missing or stale assets")
    parser.add_argument("--force", action="store_true", help="rebuild even if the cache is up to date")


def main(args: argparse.Namespace) -> int:
    from isaaclab_mimic_tasks.assets import build_all, cache_dir

    for name, path in build_all(force=args.force).items():
        print(f"{name:14s} {path}")
    print(f"manifest: {cache_dir() / 'manifest.json'}")
    return 0
