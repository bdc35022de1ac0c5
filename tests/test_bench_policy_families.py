"""bench/policy_families.py on the tiny pipeline's generated demos: every registered family trains and plays."""

from __future__ import annotations

import json
import os
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_a_tiny_bench_run_prints_a_row_per_family_then_a_curve_of_its_act_run(tiny_pipeline_dir, tmp_path):
    """A few training steps of each algorithm, one short rollout each: one table row per algorithm, ratios to
    BC-RNN's row, and the JSON written with what each row ran. Then bench/success_vs_steps.py on the ACT run: a row
    for the one checkpoint it saved, with the training time LeRobot's log gives it."""
    dataset = tmp_path / "generated.hdf5"
    dataset.write_bytes((tiny_pipeline_dir / "datasets" / "generated.hdf5").read_bytes())
    work_dir = tmp_path / "bench"
    result = subprocess.run(
        [sys.executable, os.path.join(REPO, "bench", "policy_families.py"), "--dataset", str(dataset)]
        + ["--work_dir", str(work_dir), "--epochs", "1", "--steps", "2", "--num_rollouts", "1", "--num_envs", "1"]
        + ["--horizon", "5", "--seeds", "101"],
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    table = result.stdout.split("policy families on ", 1)[1].splitlines()
    assert table[0].startswith("Isaac-Desktop-Organizer-Franka-IK-Rel-Play-v0, trained on")
    rows = {line.split()[1]: line.split() for line in table[2:] if line.strip()}
    assert set(rows) == {"bc", "bc_rnn", "act", "diffusion"}, table
    assert {rows[algo][0] for algo in rows} == {"robomimic", "lerobot"}
    assert rows["bc_rnn"][2] == "0/1" or rows["bc_rnn"][2] == "1/1"
    saved = json.loads((work_dir / "policy_families.json").read_text())
    assert [row["algo"] for row in saved["rows"]] == [line.split()[1] for line in table[2:] if line.strip()]
    for row in saved["rows"]:
        assert row["rollouts"] == [1] and row["train_seconds"] > 0 and os.path.exists(row["checkpoint"]), row

    act_run = next((work_dir / "act" / "act").iterdir())
    curve = subprocess.run(
        [sys.executable, os.path.join(REPO, "bench", "success_vs_steps.py"), "--run_dir", str(act_run)]
        + ["--num_rollouts", "1", "--num_envs", "1", "--horizon", "5"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert curve.returncode == 0, curve.stderr[-3000:]
    table = curve.stdout.split("success vs training of ", 1)[1].splitlines()
    assert "on Isaac-Desktop-Organizer-Franka-IK-Rel-Play-v0, seeds [101]" in table[0]
    step, minutes, success, mean = table[2].split()
    assert int(step) == 2 and 0 <= float(minutes) < 10 and success in ("0/1", "1/1"), table
    assert json.loads((act_run / "success_vs_steps.json").read_text())["rows"][0]["step"] == 2
