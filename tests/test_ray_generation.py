"""Generation on a real Ray cluster on this machine (a head and two worker nodes, started and stopped here):
the requested count in one file robomimic reads, a worker killed mid-run costing only its in-flight attempts,
and shards that repeat a single-process run of the same seeds."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time

import h5py
import numpy as np
import pytest

pytestmark = pytest.mark.slow  # minutes: the full suite only (the quick check is pytest -m fast)

MIMIC_TASK = "Isaac-Desktop-Organizer-Franka-Mimic-IK-Rel-v0"
NUM_ENVS = 2


@pytest.fixture(scope="module")
def annotated(tiny_pipeline_dir, tmp_path_factory):
    """2 scripted source demos, annotated: a copy of the tiny pipeline's (recorded once per session)."""
    path = tmp_path_factory.mktemp("ray_sources") / "annotated.hdf5"
    shutil.copyfile(tiny_pipeline_dir / "datasets" / "annotated.hdf5", path)
    return path


@pytest.fixture(scope="module")
def ray_cluster():
    """A Ray head (no CPUs: it only hosts the driver's connection) and two worker nodes of one CPU each."""
    from ray.cluster_utils import Cluster

    cluster = Cluster(initialize_head=True, head_node_args={"num_cpus": 0, "include_dashboard": False})
    for _ in range(2):
        cluster.add_node(num_cpus=1)
    cluster.wait_for_nodes()
    yield cluster.address
    cluster.shutdown()


def _merged(path) -> list[dict]:
    """Per demo of a merged file: its ``merged_from`` record, actions and source demos."""
    with h5py.File(path, "r") as f:
        return [
            {
                **json.loads(demo.attrs["merged_from"]),
                "actions": demo["actions"][()],
                "source_demos": json.loads(demo.attrs["mimic_source_demos"]),
            }
            for demo in (f[f"data/demo_{i}"] for i in range(len(f["data"])))
        ]


def _generate_on_ray(annotated, output, trials, address, **popen):
    args = [
        sys.executable,
        "-m",
        "isaaclab_mimic_tasks.cli.main",
        "generate",
        "--task",
        MIMIC_TASK,
        "--input_file",
        str(annotated),
        "--output_file",
        str(output),
        "--num_envs",
        str(NUM_ENVS),
        "--generation_num_trials",
        str(trials),
        "--ray",
        address,
        "--workers",
        "2",
    ]
    return subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **popen)


def test_two_workers_generate_the_requested_count_into_one_file_robomimic_reads(annotated, ray_cluster, tmp_path):
    import robomimic.utils.obs_utils as ObsUtils
    from robomimic.utils.dataset import SequenceDataset

    from isaaclab_mimic_tasks.datagen import generate_dataset
    from isaaclab_mimic_tasks.datagen.distributed import shard_seed

    output = tmp_path / "generated.hdf5"
    process = _generate_on_ray(annotated, output, 4, ray_cluster)
    stdout, stderr = process.communicate(timeout=1200)
    assert process.returncode == 0, stderr[-3000:]
    demos = _merged(output)
    assert len(demos) == 4 and sorted(d["shard"] for d in demos) == [0, 0, 1, 1]
    assert all(set(d["source_demos"]) == {"franka"} and len(d["source_demos"]["franka"]) == 4 for d in demos)
    with h5py.File(output, "r") as f:
        assert sorted(f["mask/train"][()].tolist() + f["mask/valid"][()].tolist()) == sorted(
            name.encode() for name in f["data"]
        )
        stats = json.loads(f["data"].attrs["mimic_generation"])
        assert stats["demos"] == 4 and stats["attempts"] >= 4

    keys = ["eef_pos", "eef_quat", "gripper_pos", "ketchup_pose", "basket_pose"]
    ObsUtils.initialize_obs_modality_mapping_from_dict({"low_dim": keys})
    dataset = SequenceDataset(
        hdf5_path=str(output),
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
        filter_by_attribute="train",
    )
    assert dataset[0]["actions"].shape == (10, 7)

    # shard 0, generated again in this process with its seed, gives the same demos
    single = tmp_path / "shard0_single_process.hdf5"
    generate_dataset(MIMIC_TASK, str(annotated), str(single), NUM_ENVS, 2, seed=shard_seed(0, 0), split_ratio=None)
    with h5py.File(single, "r") as f:
        expected = [f[f"data/demo_{i}/actions"][()] for i in range(2)]
    on_ray = [d["actions"] for d in demos if d["shard"] == 0]
    assert len(on_ray) == 2 and all(np.array_equal(a, b) for a, b in zip(on_ray, expected))


def test_a_worker_killed_mid_run_loses_only_its_attempts_in_flight(annotated, ray_cluster, tmp_path):
    from isaaclab_mimic_tasks.datagen.distributed import PROGRESS_SUFFIX, shard_dir

    output = tmp_path / "generated.hdf5"
    process = _generate_on_ray(annotated, output, 6, ray_cluster)
    progress = os.path.join(shard_dir(output), "shard_0.hdf5" + PROGRESS_SUFFIX)
    deadline = time.monotonic() + 900
    killed = None
    while killed is None and time.monotonic() < deadline and process.poll() is None:
        try:
            with open(progress) as f:
                state = json.load(f)
        except (OSError, ValueError):
            state = {}
        if 1 <= state.get("demos", 0) < 3:  # shard 0 has kept a demo and is working on the next
            os.kill(state["pid"], signal.SIGKILL)
            killed = state
        time.sleep(0.2)
    stdout, stderr = process.communicate(timeout=1200)
    assert killed is not None, "shard 0 was never caught between its first and last demo"
    assert process.returncode == 0, stderr[-3000:]
    demos = _merged(output)
    assert len(demos) == 6 and sorted(d["shard"] for d in demos) == [0, 0, 0, 1, 1, 1]
    # no demo lost or written twice: all different, shard 0's first ones kept as they were before the kill
    flat = [d["actions"].tobytes() for d in demos]
    assert len(set(flat)) == 6
    with h5py.File(os.path.join(shard_dir(output), "shard_0.hdf5"), "r") as f:
        assert json.loads(f["data"].attrs["mimic_generation"])["runs"] >= 2  # the retried task resumed the file


def test_generation_without_ray_does_not_import_it():
    code = (
        "import sys, isaaclab_mimic_tasks.cli.main as m, isaaclab_mimic_tasks.datagen.generate;"
        "m.build_parser('generate').parse_args(['generate', '--input_file', 'x.hdf5']); assert 'ray' not in sys.modules"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]


def test_an_unreachable_ray_address_is_a_one_line_error_at_once(annotated, tmp_path):
    from isaaclab_mimic_tasks.datagen.distributed import shard_dir

    output = tmp_path / "generated.hdf5"
    start = time.monotonic()
    process = _generate_on_ray(annotated, output, 2, "127.0.0.1:9")  # the discard port: nothing listens there
    _, stderr = process.communicate(timeout=300)
    assert process.returncode != 0
    assert "generate: error: cannot reach Ray at 127.0.0.1:9" in stderr.strip().splitlines()[-1], stderr[-2000:]
    assert len(stderr.strip().splitlines()) <= 2, stderr[-2000:]
    assert time.monotonic() - start < 60  # Ray itself retries such an address for a minute or more
    assert not output.exists() and not os.path.exists(shard_dir(output))
