"""robomimic 0.3 (BC, BC-RNN) as a policy family: trains with :func:`.train.train_policy`, loads
``model_epoch_<N>.pth`` checkpoints as :class:`.policy.Policy`."""

from __future__ import annotations

import os

from isaaclab_mimic_tasks.learning.families import PolicyFamily, TrainResult

from .config import ALGOS

DEFAULT_ACTION_LABELS = "executed"
"""The actions robomimic trains on without ``--action_labels``: ``executed`` (``actions``) or ``intended``."""


class RobomimicFamily(PolicyFamily):
    name = "robomimic"
    algos = ALGOS
    options = (
        "epochs",
        "name",
        "seed",
        "config",
        "normalize_training_actions",
        "action_normalization",
        "normalize_observations",
        "action_labels",
    )
    default_action_labels = DEFAULT_ACTION_LABELS
    checkpoint_hint = "a models/model_epoch_<N>.pth file"

    def train(self, task: str, algo: str, dataset: str, output_dir: str, options: dict) -> TrainResult:
        from .train import train_policy

        normalize_actions = options.get("normalize_training_actions", True)
        return train_policy(
            task,
            algo,
            dataset,
            output_dir,
            num_epochs=options.get("epochs"),
            seed=options.get("seed"),
            config_path=options.get("config"),
            name=options.get("name"),
            action_normalization=options.get("action_normalization", "global") if normalize_actions else None,
            normalize_obs=options.get("normalize_observations", True),
            action_labels=options.get("action_labels", DEFAULT_ACTION_LABELS),
        )

    def is_checkpoint(self, path: str) -> bool:
        return str(path).endswith(".pth")  # load_policy says what is wrong with one that is not robomimic's

    def load_policy(self, checkpoint: str, task: str = ""):
        from .policy import load_policy

        return load_policy(checkpoint)

    def run_dir(self, checkpoint: str) -> tuple[str, str]:
        """``<run>/models/model_epoch_<N>.pth``: the run folder and ``model_epoch_<N>``."""
        checkpoint = os.path.abspath(checkpoint)
        return os.path.dirname(os.path.dirname(checkpoint)), os.path.splitext(os.path.basename(checkpoint))[0]

    def config_path(self, task: str, algo: str) -> str:
        from .config import registered_config_path

        return registered_config_path(task, algo)

    def refused_options_message(self, flags: list[str]) -> str:
        return "--steps and --batch_size are for act and diffusion; robomimic trains --epochs"

    def train_summary(self, result: TrainResult) -> list[str]:
        valid = f", valid loss {result.valid_losses[-1][1]:.5f}" if result.valid_losses else ""
        lines = [
            f"trained {len(result.losses)} epochs in {result.seconds:.0f} s:"
            f" train loss {result.losses[-1][1]:.5f}{valid};"
            f" checkpoint {result.checkpoint}; tensorboard --logdir {os.path.join(result.run_dir, 'logs')}"
        ]
        if result.details.get("norm_factors") is not None:
            low, high = result.details["norm_factors"]
            lines.append(f"Isaac Lab's robomimic/play.py: --norm_factor_min {low:.6g} --norm_factor_max {high:.6g}")
        return lines
