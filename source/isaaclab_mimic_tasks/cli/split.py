"""``mimic-tasks split``: add ``mask/train`` and ``mask/valid`` to a dataset (robomimic's filter keys)."""

from __future__ import annotations

import argparse

from ._dataset_args import add_dataset_argument, dataset_path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_dataset_argument(parser)
    parser.add_argument("--ratio", type=float, default=0.1, help="fraction of the demos for validation, in [0, 1)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the shuffle")
    parser.add_argument("--filter_key", default=None, help="split only the demos of this existing mask")


def main(args: argparse.Namespace) -> int:
    from isaaclab_mimic_tasks.datasets import open_dataset, split_train_valid

    path = dataset_path(args)
    masks = split_train_valid(path, ratio=args.ratio, seed=args.seed, filter_key=args.filter_key)
    with open_dataset(path) as f:
        for name, demos in masks.items():
            samples = sum(int(f["data"][demo].attrs["num_samples"]) for demo in demos)
            print(f"mask/{name}: {len(demos)} demos, {samples} samples")
    if not masks[f"{args.filter_key}_valid" if args.filter_key else "valid"]:
        print("note: the validation set is empty (raise --ratio or add demos to validate during training)")
    return 0
