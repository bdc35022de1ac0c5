"""HDF5 dataset tools: open with clear errors, summarize, validate, split train/valid.

Datasets use Isaac Lab's layout (what ``HDF5DatasetFileHandler`` writes), which robomimic reads.
"""

from .info import dataset_summary, format_summary
from .io import atomic_output, dataset_task, demo_names, mask_names, open_dataset
from .split import split_train_valid
from .validate import DATAGEN_INFO_KEYS, check_dataset, find_problems

__all__ = [
    "DATAGEN_INFO_KEYS",
    "atomic_output",
    "check_dataset",
    "dataset_summary",
    "dataset_task",
    "demo_names",
    "find_problems",
    "format_summary",
    "mask_names",
    "open_dataset",
    "split_train_valid",
]
