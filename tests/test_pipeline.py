"""The data pipeline end to end on the CPU: a tiny `mimic-tasks pipeline` run, robomimic reading every file it
writes, resumable and seeded generation, and clear errors for bad input to each pipeline subcommand."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time

import h5py
import numpy as np
import pytest
from conftest import BAD_INPUT_KINDS, bad_input_file, cli, digest

pytestmark = pytest.mark.slow  # minutes: the full suite only (the quick check is pytest -m fast)

MIMIC_TASK = "Isaac-Desktop-Organizer-Franka-Mimic-IK-Rel-v0"
TASK = "Isaac-Desktop-Organizer-Franka-IK-Rel-v0"
NUM_ENVS = 2


def demo_actions(path) -> dict[str, np.ndarray]:
    with h5py.File(path, "r") as f:
        return {name: f[f"data/{name}/actions"][()] for name in f["data"]}


@pytest.fixture(scope="module")
def pipeline_dir(tiny_pipeline_dir):
    return tiny_pipeline_dir


def test_tiny_pipeline_writes_every_report_file(pipeline_dir):
    for name in ("report.md", "summary.json", "generation_outcomes.png", "training_loss.png", "generated_demo.mp4"):
        assert (pipeline_dir / name).stat().st_size > 0, name
    summary = json.loads((pipeline_dir / "summary.json").read_text())
    gen = summary["generation"]
    assert gen["demos"] == 2 and gen["attempts"] >= 2
    assert gen["attempts"] == gen["demos"] + sum(gen["failures_by_subtask"].values())
    assert gen["demos_per_minute"] > 0 and gen["env_steps_per_second"] > 0
    assert summary["source_demos"] == 2 and summary["annotated_demos"] >= 1
    assert [epoch for epoch, _ in summary["training"]["losses"]] == [1] and summary["training"]["loss_unit"] == "epoch"
    assert summary["policy"]["rollouts"] == 1
    report = (pipeline_dir / "report.md").read_text()
    for phrase in ("success", "demos/min", "failures by subtask", "training", "policy success rate"):
        assert phrase in report
    # "the same steps, one command each": play names the checkpoint the pipeline trained
    checkpoint = summary["training"]["checkpoint"]
    assert os.path.isfile(checkpoint) and f"mimic-tasks play --task {TASK} --checkpoint {checkpoint} " in report
    import imageio.v3 as iio

    frames = iio.imread(pipeline_dir / "generated_demo.mp4")
    assert len(frames) > 10 and frames.std() > 1.0


def test_pipeline_output_is_quiet(pipeline_dir):
    """By default a command prints progress, results and errors: none of Isaac Lab's start-up tables or [INFO]
    lines (they come back with --verbose)."""
    output = (pipeline_dir / "stdout.txt").read_text() + (pipeline_dir / "stderr.txt").read_text()
    assert "[INFO]" not in output and "Observation Manager" not in output and "Active Action Terms" not in output
    assert len((pipeline_dir / "stdout.txt").read_text().splitlines()) < 40
    assert "pipeline done" in output


def test_verbose_lets_isaac_lab_print(monkeypatch, capsys):
    from isaaclab_mimic_tasks.envs import VERBOSE_ENV_VAR, quiet_simulator

    for verbose in ("", "1"):
        monkeypatch.setenv(VERBOSE_ENV_VAR, verbose)
        with quiet_simulator():
            print("[INFO]: Base environment:")
        assert ("[INFO]" in capsys.readouterr().out) == bool(verbose)


def test_every_demo_ends_with_the_ketchup_at_rest_in_the_basket(pipeline_dir):
    """Recorded and generated demos end once the ketchup has settled, not while it still falls into the basket:
    over their last 5 frames it moves less than 5 cm/s allows (12.5 mm), ending beside the basket's centre."""
    for name in ("source", "generated"):
        with h5py.File(pipeline_dir / "datasets" / f"{name}.hdf5", "r") as f:
            assert len(f["data"]), name
            for demo in f["data"].values():
                ketchup, basket = demo["obs/ketchup_pose"][-5:, :3], demo["obs/basket_pose"][-1, :3]
                assert np.linalg.norm(ketchup[-1] - ketchup[0]) < 0.0125, (name, demo.name)
                assert np.linalg.norm(ketchup[-1, :2] - basket[:2]) < 0.12, (name, demo.name)


def test_robomimic_reads_recorded_annotated_and_generated_files(pipeline_dir):
    import robomimic.utils.obs_utils as ObsUtils
    from robomimic.utils.dataset import SequenceDataset

    keys = ["eef_pos", "eef_quat", "gripper_pos", "ketchup_pose", "basket_pose"]
    ObsUtils.initialize_obs_modality_mapping_from_dict({"low_dim": keys})
    for name, filter_key in (("source", None), ("annotated", None), ("generated", "train")):
        path = str(pipeline_dir / "datasets" / f"{name}.hdf5")
        dataset = SequenceDataset(
            hdf5_path=path,
            obs_keys=keys,
            dataset_keys=("actions",),
            load_next_obs=False,
            frame_stack=1,
            seq_length=10,
            pad_frame_stack=True,
            pad_seq_length=True,
            get_pad_mask=False,
            goal_mode=None,
            hdf5_cache_mode=None,
            hdf5_use_swmr=True,
            hdf5_normalize_obs=False,
            filter_by_attribute=filter_key,
        )
        item = dataset[0]
        assert item["actions"].shape == (10, 7), name
        assert item["obs"]["ketchup_pose"].shape == (10, 7), name
        assert np.isfinite(item["actions"]).all()


def test_generation_stops_half_way_and_resumes_to_exactly_the_requested_count(pipeline_dir, tmp_path):
    annotated = pipeline_dir / "datasets" / "annotated.hdf5"
    source_digest = digest(annotated)
    output = tmp_path / "generated.hdf5"
    command = [
        sys.executable,
        "-m",
        "isaaclab_mimic_tasks.cli.main",
        "generate",
        "--task",
        MIMIC_TASK,
        "--input_file",
        annotated,
        "--output_file",
        output,
        "--num_envs",
        NUM_ENVS,
        "--generation_num_trials",
        3,
    ]
    # Ctrl-C once the first demo is written (the progress bar shows 1/3)
    process = subprocess.Popen(list(map(str, command)), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    seen = ""
    deadline = time.time() + 1200
    while not re.search(r"\b[12]/3\b", seen) and time.time() < deadline and process.poll() is None:
        seen += os.read(process.stderr.fileno(), 4096).decode(errors="replace")
    process.send_signal(signal.SIGINT)
    process.communicate(timeout=300)
    assert process.returncode == 130
    first = demo_actions(output)
    assert 1 <= len(first) < 3
    # rerun: continues up to exactly 3, keeps what was there, duplicates nothing
    result = cli(*command[3:])
    assert result.returncode == 0, result.stderr[-2000:]
    final = demo_actions(output)
    assert sorted(final) == ["demo_0", "demo_1", "demo_2"]
    for name, actions in first.items():
        np.testing.assert_array_equal(final[name], actions)
    arrays = list(final.values())
    assert all(not np.array_equal(a, b) for i, a in enumerate(arrays) for b in arrays[i + 1 :] if a.shape == b.shape)
    with h5py.File(output, "r") as f:
        assert json.loads(f["data"].attrs["mimic_generation"])["runs"] == 2
        assert len(f["mask/train"]) + len(f["mask/valid"]) == 3
    # a complete output is left alone
    again = cli(*command[3:])
    assert again.returncode == 0 and "nothing to do" in again.stdout
    assert digest(annotated) == source_digest


def test_same_seed_same_generated_actions(pipeline_dir, tmp_path):
    """The pipeline generated 2 demos with seed 0 and 2 envs; a fresh run with the same settings repeats them."""
    output = tmp_path / "again.hdf5"
    result = cli(
        "generate",
        "--task",
        MIMIC_TASK,
        "--input_file",
        pipeline_dir / "datasets" / "annotated.hdf5",
        "--output_file",
        output,
        "--num_envs",
        NUM_ENVS,
        "--generation_num_trials",
        2,
        "--seed",
        0,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    expected = demo_actions(pipeline_dir / "datasets" / "generated.hdf5")
    actual = demo_actions(output)
    assert sorted(actual) == sorted(expected)
    for name in expected:
        np.testing.assert_array_equal(actual[name], expected[name])


# --- bad input: one or two lines, non-zero exit, input unchanged ---------------------------------------------


def _copy(pipeline_dir, tmp_path, name):
    path = tmp_path / f"{name}.hdf5"
    shutil.copy(pipeline_dir / "datasets" / f"{name}.hdf5", path)
    return path


def _not_annotated(pipeline_dir, tmp_path, name):
    return _copy(pipeline_dir, tmp_path, "source")


COMMANDS = {
    "replay": (["replay", "--dataset_file"], "source"),
    "annotate": (["annotate", "--auto", "--task", MIMIC_TASK, "--output_file", "{out}", "--input_file"], "source"),
    "generate": (["generate", "--task", MIMIC_TASK, "--output_file", "{out}", "--input_file"], "annotated"),
}


BAD_INPUTS = [(command, kind) for command in sorted(COMMANDS) for kind in BAD_INPUT_KINDS] + [
    ("generate", "not_annotated")  # only generation needs datagen_info
]


@pytest.mark.parametrize(("command", "kind"), BAD_INPUTS, ids=[f"{c}-{k}" for c, k in BAD_INPUTS])
def test_bad_input_fails_clearly_and_leaves_input_untouched(pipeline_dir, tmp_path, command, kind):
    args, source_name = COMMANDS[command]
    if kind == "not_annotated":
        path = _not_annotated(pipeline_dir, tmp_path, source_name)
    else:
        path = bad_input_file(kind, pipeline_dir / "datasets" / f"{source_name}.hdf5", tmp_path)
    before = digest(path) if path.exists() else None
    out = tmp_path / "out.hdf5"
    result = cli(*[a.replace("{out}", str(out)) for a in args], path, timeout=300)
    assert result.returncode not in (0, None)
    assert "Traceback" not in result.stderr + result.stdout
    assert 1 <= len(result.stderr.strip().splitlines()) <= 2, result.stderr
    assert (digest(path) if path.exists() else None) == before
    assert not out.exists()


def test_record_refuses_to_overwrite_and_bad_flags(pipeline_dir, tmp_path):
    existing = _copy(pipeline_dir, tmp_path, "source")
    before = digest(existing)
    for args in (
        ["--dataset_file", existing],
        ["--dataset_file", tmp_path / "new.hdf5", "--num_demos", 0],
        ["--dataset_file", tmp_path / "new.hdf5", "--teleop_device", "spacemouse"],
        ["--dataset_file", tmp_path / "new.hdf5", "--task", "Isaac-Nope-v0"],
    ):
        result = cli("record", *args, timeout=300)
        assert result.returncode == 2, args
        assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert digest(existing) == before
    assert not (tmp_path / "new.hdf5").exists()


def test_generate_refuses_an_output_it_did_not_write(pipeline_dir, tmp_path):
    foreign = _copy(pipeline_dir, tmp_path, "source")
    before = digest(foreign)
    result = cli(
        "generate",
        "--task",
        MIMIC_TASK,
        "--input_file",
        pipeline_dir / "datasets" / "annotated.hdf5",
        "--output_file",
        foreign,
        "--generation_num_trials",
        1,
        timeout=300,
    )
    assert result.returncode == 2 and "not written by" in result.stderr
    assert digest(foreign) == before


def test_pipeline_rejects_a_task_without_mimic(tmp_path):
    result = cli("pipeline", "--task", TASK, "--output_dir", tmp_path / "run", timeout=300)
    assert result.returncode == 2 and "Mimic" in result.stderr
