"""LeRobot (ACT, diffusion) as a policy family: trains with LeRobot's own trainer (:func:`.train.train_policy`),
loads ``pretrained_model`` folders as :class:`.policy.LeRobotPolicy`. Importing it imports no LeRobot."""

from __future__ import annotations

import os

from isaaclab_mimic_tasks.learning.families import PolicyFamily, TrainResult

from .train import ALGOS, DEFAULT_ACTION_LABELS


class LeRobotFamily(PolicyFamily):
    name = "lerobot"
    algos = ALGOS
    options = ("steps", "seed", "batch_size", "config", "action_labels", "obs_keys")
    default_action_labels = DEFAULT_ACTION_LABELS
    play_options = ("temporal_ensemble_coeff",)
    checkpoint_hint = "a pretrained_model folder (config.json beside the weights)"
    dataset_kinds = "FILE.hdf5 (or a LeRobot export folder)"

    def train(self, task: str, algo: str, dataset: str, output_dir: str, options: dict) -> TrainResult:
        from .export import parse_observation_keys
        from .train import train_policy

        return train_policy(
            task,
            algo,
            dataset,
            output_dir,
            steps=options.get("steps"),
            seed=options.get("seed"),
            batch_size=options.get("batch_size"),
            config_path=options.get("config"),
            action_labels=options.get("action_labels"),
            obs_keys=parse_observation_keys(options.get("obs_keys")),
        )

    def is_checkpoint(self, path: str) -> bool:
        """A folder with ``config.json`` (or a checkpoint step holding ``pretrained_model``)."""
        return os.path.isdir(path) and (
            os.path.isfile(os.path.join(path, "config.json")) or os.path.isdir(os.path.join(path, "pretrained_model"))
        )

    def load_policy(self, checkpoint: str, task: str = "", temporal_ensemble_coeff: float | None = None):
        from .policy import load_policy

        return load_policy(checkpoint, task, temporal_ensemble_coeff=temporal_ensemble_coeff)

    def run_dir(self, checkpoint: str) -> tuple[str, str]:
        """``<run>/train/checkpoints/<step>/pretrained_model`` (``last`` links a step): ``<run>/train`` and
        ``step_<step>``."""
        checkpoint = os.path.realpath(checkpoint)
        step = os.path.dirname(checkpoint)
        return os.path.dirname(os.path.dirname(step)), f"step_{os.path.basename(step)}"

    def config_path(self, task: str, algo: str) -> str:
        from .train import registered_config_path

        return registered_config_path(task, algo)

    def refused_options_message(self, flags: list[str]) -> str:
        return (
            f"{', '.join(flags)}: for robomimic's bc and bc_rnn only; act and diffusion take --steps"
            " (their normalization: the policy's normalization_mapping in --config)"
        )

    def train_summary(self, result: TrainResult) -> list[str]:
        from .train import format_command

        last = result.losses[-1] if result.losses else None
        loss = f", loss {last[1]:.4f} at step {last[0]}" if last else ""
        log = result.details["log"]
        if result.interrupted:
            lines = [f"interrupted after {result.seconds:.0f} s{loss}; log {log}"]
            if result.checkpoint:
                step = os.path.basename(os.path.dirname(os.path.realpath(result.checkpoint)))
                lines.append(
                    f"checkpoint {result.checkpoint} (step {int(step)}); resume with: lerobot-train"
                    f" --config_path={os.path.join(result.checkpoint, 'train_config.json')} --resume=true"
                )
            return lines
        return [
            f"trained {result.algo} {result.details['steps']} steps on {result.details['train_episodes']} episodes"
            f" in {result.seconds:.0f} s{loss}; log {log}",
            f"checkpoint {result.checkpoint}",
            f"the same with LeRobot's CLI: {format_command(result.details['command'])}",
        ]
