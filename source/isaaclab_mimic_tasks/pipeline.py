"""The whole recipe as one library function (``mimic-tasks pipeline``), with a report.

record (scripted source demos) -> annotate (--auto) -> generate (Mimic, split train/valid) -> train (``--algo`` of
any registered policy family) -> play (success rate over seeded rollouts), then a report folder: ``report.md``
(generation success rate, demos per minute, failures by subtask, training time, policy success rate, each step
as one command), ``summary.json``, plots of the generation outcomes and the training loss, and a short video of
one generated demo.

Every step writes into ``--output_dir``; rerunning with the same folder keeps the finished steps (a
recorded or annotated file is reused, generation resumes, a finished training is reused).
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import asdict, dataclass, field

from isaaclab_mimic_tasks.envs import default_task


@dataclass
class PipelineSettings:
    """Sizes of each step; the defaults finish on a 2-core CPU in minutes with a policy worth looking at (about 100
    demos are what the packaged BC-RNN needs: ``docs/training.md``)."""

    task: str = default_task("mimic")
    num_source_demos: int = 10
    generation_num_trials: int = 100
    num_envs: int = 10
    algo: str = "bc_rnn"
    num_epochs: int | None = None
    """Training epochs (None: the task's config's)."""
    num_rollouts: int = 20
    horizon: int | None = None
    """Steps of a policy rollout (None: the task's episode length)."""
    seed: int = 0
    action_labels: str | None = None
    """Actions to train on, ``executed`` or ``intended`` (None: the policy family's ``default_action_labels``)."""


@dataclass
class PipelineReport:
    """What the report says, also written as ``summary.json``."""

    settings: dict
    commands: list[str] = field(default_factory=list)
    step_seconds: dict[str, float] = field(default_factory=dict)
    source_demos: int = 0
    annotated_demos: int = 0
    generation: dict = field(default_factory=dict)
    training: dict = field(default_factory=dict)
    action_labels: str = ""
    """The actions the policy was trained on (``executed`` or ``intended``)."""
    policy: dict = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)


def _count_demos(path: str) -> int:
    import h5py

    with h5py.File(path, "r") as f:
        return len(f["data"])


def run_pipeline(settings: PipelineSettings, output_dir: str) -> PipelineReport:
    """Run every step into ``output_dir`` and write the report there; returns what the report says."""
    from isaaclab_mimic_tasks.datagen import annotate_dataset, generate_dataset, record_dataset
    from isaaclab_mimic_tasks.envs import load_mimic_env_cfg, related_task
    from isaaclab_mimic_tasks.errors import UserInputError
    from isaaclab_mimic_tasks.learning.families import policy_family
    from isaaclab_mimic_tasks.learning.rollouts import evaluate_checkpoint

    for name in ("num_source_demos", "generation_num_trials", "num_envs", "num_epochs", "num_rollouts", "horizon"):
        if getattr(settings, name) is not None and getattr(settings, name) < 1:
            raise UserInputError(f"--{name.replace('num_epochs', 'epochs')} must be at least 1")
    family = policy_family(settings.algo)
    train_options = {"epochs": settings.num_epochs} if settings.num_epochs else {}
    if "seed" in family.options:
        train_options["seed"] = settings.seed
    if settings.action_labels is not None:
        train_options["action_labels"] = settings.action_labels
    family.check_options(train_options)  # before minutes of recording and generation
    task = settings.task
    load_mimic_env_cfg(task)
    base_task = related_task(task, "base")
    os.makedirs(output_dir, exist_ok=True)
    data_dir = os.path.join(output_dir, "datasets")
    source = os.path.join(data_dir, "source.hdf5")
    annotated = os.path.join(data_dir, "annotated.hdf5")
    generated = os.path.join(data_dir, "generated.hdf5")
    train_dir = os.path.join(output_dir, "training")
    report = PipelineReport(settings=asdict(settings))
    report.action_labels = settings.action_labels or family.default_action_labels
    s = settings
    commands = [
        f"mimic-tasks record --task {base_task} --teleop_device scripted --dataset_file {source}"
        f" --num_demos {s.num_source_demos} --num_envs {s.num_envs} --seed {s.seed}",
        f"mimic-tasks annotate --task {task} --auto --input_file {source} --output_file {annotated}"
        f" --num_envs {s.num_envs}",
        f"mimic-tasks generate --task {task} --input_file {annotated} --output_file {generated}"
        f" --num_envs {s.num_envs} --generation_num_trials {s.generation_num_trials} --seed {s.seed}",
        f"mimic-tasks train --task {base_task} --algo {s.algo} --dataset {generated}"
        + "".join(f" --{name} {value}" for name, value in train_options.items()),
    ]

    def timed(name, fn, *args, **kwargs):
        start = time.perf_counter()
        result = fn(*args, **kwargs)
        report.step_seconds[name] = round(time.perf_counter() - start, 1)
        return result

    if not os.path.exists(source):
        timed("record", record_dataset, base_task, source, s.num_source_demos, s.num_envs, s.seed)
    report.source_demos = _count_demos(source)
    if not os.path.exists(annotated):
        written, skipped = timed("annotate", annotate_dataset, task, source, annotated, s.num_envs)
        if not written:
            reasons = "; ".join(f"{name}: {why}" for name, why in list(skipped.items())[:3])
            raise UserInputError(f"no source demo of {source} could be annotated ({reasons}); nothing to generate from")
    report.annotated_demos = _count_demos(annotated)
    stats = timed("generate", generate_dataset, task, annotated, generated, s.num_envs, s.generation_num_trials, s.seed)
    report.generation = asdict(stats) | {
        "success_rate": stats.success_rate,
        "demos_per_minute": stats.demos_per_minute,
        "env_steps_per_second": stats.env_steps_per_second,
    }

    checkpoint = _finished_checkpoint(train_dir, s.algo, report.action_labels)
    if checkpoint is None:
        result = timed("train", family.train, base_task, s.algo, generated, train_dir, train_options)
        if result.interrupted:
            raise KeyboardInterrupt  # what was saved is in the run folder; a rerun trains again
        if not result.checkpoint:
            raise UserInputError(f"training {s.algo} wrote no checkpoint (see {result.run_dir})")
        checkpoint = result.checkpoint
        report.training = asdict(result)
        with open(os.path.join(train_dir, "pipeline_training.json"), "w") as f:
            json.dump(report.training, f)
    else:
        with open(os.path.join(train_dir, "pipeline_training.json")) as f:
            report.training = json.load(f)
    report.commands = commands + [
        f"mimic-tasks play --task {base_task} --checkpoint {checkpoint} --num_rollouts {s.num_rollouts}"
        f" --num_envs {min(s.num_envs, s.num_rollouts)}" + (f" --horizon {s.horizon}" if s.horizon else "")
    ]

    policy = timed(
        "play",
        evaluate_checkpoint,
        base_task,
        checkpoint,
        s.num_rollouts,
        num_envs=min(s.num_envs, s.num_rollouts),
        horizon=s.horizon,
    )
    report.policy = {"successes": policy.successes, "rollouts": policy.rollouts, "success_rate": policy.success_rate}
    report.files = write_report(report, output_dir, base_task, generated)
    return report


def _finished_checkpoint(train_dir: str, algo: str, action_labels: str = "executed") -> str | None:
    """The checkpoint of an earlier pipeline training of ``algo`` on ``action_labels`` in ``train_dir``, if it
    finished (a training of another algorithm or on other labels is not reused: it is trained again)."""
    record = os.path.join(train_dir, "pipeline_training.json")
    if not os.path.exists(record):
        return None
    with open(record) as f:
        training = json.load(f)
    checkpoint = training.get("checkpoint")
    same_algo = training.get("algo", algo) == algo  # records older than the shared TrainResult have no algo
    same_algo &= training.get("details", {}).get("action_labels", "executed") == action_labels
    return checkpoint if same_algo and checkpoint and os.path.exists(checkpoint) else None


def write_report(report: PipelineReport, output_dir: str, task: str, generated: str) -> dict[str, str]:
    """Write ``report.md``, ``summary.json``, the two plots and the demo video; returns their paths."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from isaaclab_mimic_tasks.datasets.demo_video import render_demo

    files = {
        "report": os.path.join(output_dir, "report.md"),
        "summary": os.path.join(output_dir, "summary.json"),
        "generation_plot": os.path.join(output_dir, "generation_outcomes.png"),
        "loss_plot": os.path.join(output_dir, "training_loss.png"),
        "video": os.path.join(output_dir, "generated_demo.mp4"),
    }
    gen = report.generation

    # generation outcomes: successes and failures by the first subtask not reached
    labels = ["success"] + list(gen["failures_by_subtask"])
    counts = [gen["demos"]] + list(gen["failures_by_subtask"].values())
    fig, ax = plt.subplots(figsize=(6, 3.5))
    ax.bar(labels, counts, color=["tab:green"] + ["tab:red"] * (len(labels) - 1))
    ax.set_ylabel("attempts")
    ax.set_title(f"Mimic generation: {gen['demos']}/{gen['attempts']} attempts kept")
    fig.tight_layout()
    fig.savefig(files["generation_plot"], dpi=100)
    plt.close(fig)

    # training loss by epoch or step (the family's result says which)
    fig, ax = plt.subplots(figsize=(6, 3.5))
    training = report.training
    for key, label in (("losses", "train"), ("valid_losses", "valid")):
        if training.get(key):
            steps, values = zip(*training[key])
            ax.plot(steps, values, label=label)
    ax.set_xlabel(training.get("loss_unit", "epoch"))
    ax.set_ylabel("loss")
    ax.set_title(f"{report.settings['algo']} training loss")
    if training.get("losses"):
        ax.legend()
    fig.tight_layout()
    fig.savefig(files["loss_plot"], dpi=100)
    plt.close(fig)

    files["video"] = render_demo(task, generated, "demo_0", files["video"])

    failures = ", ".join(f"{k}: {v}" for k, v in gen["failures_by_subtask"].items()) or "none"
    by_eef = gen.get("failures_by_eef") or {}
    eef_rows = (
        [
            f"| failures of end effector {eef} | {', '.join(f'{k}: {v}' for k, v in counts.items())} |"
            for eef, counts in by_eef.items()
        ]
        if len(by_eef) > 1
        else []
    )
    policy = report.policy
    lines = [
        f"# Pipeline report: {report.settings['task']}",
        "",
        "| step | result |",
        "|---|---|",
        f"| source demos (scripted expert) | {report.source_demos} |",
        f"| annotated demos | {report.annotated_demos} |",
        f"| generated demos | {gen['demos']} of {gen['attempts']} attempts"
        f" ({100 * gen['success_rate']:.0f}% success) |",
        f"| generation speed | {gen['demos_per_minute']:.1f} demos/min,"
        f" {gen['env_steps_per_second']:.1f} env-steps/s |",
        f"| generation failures by subtask | {failures} |",
        *eef_rows,
        f"| training ({report.settings['algo']}) | {training.get('seconds', 0):.0f} s on the {report.action_labels}"
        f" actions, final train loss {training['losses'][-1][1] if training.get('losses') else float('nan'):.4f} |",
        f"| policy success rate | {policy['successes']}/{policy['rollouts']} ({100 * policy['success_rate']:.0f}%) |",
        "",
        "A generated demo counts only if the task is still solved for its last steps; a failed attempt is",
        "labelled with the first subtask it never reached.",
        "",
        "![generation outcomes](generation_outcomes.png)",
        "",
        "![training loss](training_loss.png)",
        "",
        f"Video of a generated demo: [{os.path.basename(files['video'])}]({os.path.basename(files['video'])})",
        "",
        "## Step times (s)",
        "",
        *[f"- {name}: {seconds}" for name, seconds in report.step_seconds.items()],
        "",
        "## The same steps, one command each",
        "",
        "```",
        *report.commands,
        "```",
        "",
    ]
    with open(files["report"], "w") as f:
        f.write("\n".join(lines))
    report.files = files
    with open(files["summary"], "w") as f:
        json.dump(asdict(report), f, indent=2)
    return files
