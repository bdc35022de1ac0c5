"""The dataset argument shared by ``info``, ``validate`` and ``split``: a positional path or ``--dataset``."""

from __future__ import annotations

import argparse


def add_dataset_argument(parser: argparse.ArgumentParser) -> None:
    """Accept the dataset as ``PATH``, ``--dataset PATH`` or ``--dataset_file PATH`` (Isaac Lab scripts' name)."""
    parser.add_argument("path", nargs="?", default=None, metavar="PATH", help="the HDF5 dataset (same as --dataset)")
    parser.add_argument("--dataset", "--dataset_file", dest="dataset", default=None, help="the HDF5 dataset")


def dataset_path(args: argparse.Namespace) -> str:
    """The dataset path given on the command line; a one-line error if none or two different ones."""
    from isaaclab_mimic_tasks.errors import UserInputError

    if args.path and args.dataset and args.path != args.dataset:
        raise UserInputError(f"two datasets given ({args.path} and --dataset {args.dataset}); pass one")
    path = args.dataset or args.path
    if not path:
        raise UserInputError("no dataset given; pass --dataset FILE.hdf5")
    return path
