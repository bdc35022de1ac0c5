"""HDF5 dataset tools: clear one-line errors that leave the input untouched, validation, train/valid split, info."""

from __future__ import annotations

import json

import h5py
import numpy as np
import pytest
from conftest import OTHER_TASK, bad_input_file, cli, digest

from isaaclab_mimic_tasks.datasets import (
    atomic_output,
    check_dataset,
    dataset_summary,
    dataset_task,
    demo_names,
    find_problems,
    format_summary,
    mask_names,
    open_dataset,
    split_train_valid,
)
from isaaclab_mimic_tasks.envs import UserInputError

pytestmark = pytest.mark.fast  # the quick check: the HDF5 tools on small made-up files (~20 s)

TASK = "Isaac-Desktop-Organizer-Franka-IK-Rel-v0"
SIGNALS = ("reach", "grasp", "lift")


def make_dataset(path, num_demos=5, task=TASK, annotated=False, length=20, obs=("eef_pos", "ketchup_pose")):
    """Write a small dataset in Isaac Lab's layout (demo i has ``length + i`` steps); returns ``path``."""
    rng = np.random.default_rng(0)
    dims = {"eef_pos": 3, "ketchup_pose": 7, "joint_pos": 9}
    with h5py.File(path, "w") as f:
        f.attrs["format_version"] = 1
        data = f.create_group("data")
        data.attrs["env_args"] = json.dumps({"env_name": task, "type": 2})
        total = 0
        for i in range(num_demos):
            steps = length + i
            demo = data.create_group(f"demo_{i}")
            demo.attrs["num_samples"] = steps
            demo.attrs["success"] = True
            demo.attrs["seed"] = i
            demo["actions"] = rng.uniform(-1, 1, (steps, 7)).astype(np.float32)
            for key in obs:
                demo[f"obs/{key}"] = rng.normal(size=(steps, dims[key])).astype(np.float32)
            if annotated:
                info = demo.create_group("obs/datagen_info")
                poses = np.tile(np.eye(4, dtype=np.float32), (steps, 1, 1))
                info["eef_pose/franka"] = poses
                info["object_pose/ketchup"] = poses
                info["target_eef_pose/franka"] = poses
                for k, name in enumerate(SIGNALS):
                    info[f"subtask_term_signals/{name}"] = np.arange(steps) >= (k + 1) * steps // 4
            total += steps
        data.attrs["total"] = total
    return path


# --- bad input: one clear line, non-zero exit, input byte-identical ------------------------------------------


def _shared(kind, command, expected):
    """A case made by conftest's bad_input_file from a good small dataset."""

    def case(tmp_path):
        good = make_dataset(tmp_path.parent / f"{tmp_path.name}_good.hdf5")
        return bad_input_file(kind, good, tmp_path), command, expected

    case.__name__ = f"_{kind}"
    return case


_missing = _shared("missing", ["info", "--dataset"], "does not exist")
_not_hdf5 = _shared("not_hdf5", ["split", "--dataset"], "not an HDF5 file")
_truncated = _shared("truncated", ["validate", "--dataset"], "truncated or corrupt")
_other_task = _shared("other_task", ["validate", "--task", TASK, "--dataset"], OTHER_TASK)
_nan_actions = _shared("nan_actions", ["split", "--dataset"], "demo_0")


def _not_annotated(tmp_path):
    return make_dataset(tmp_path / "plain.hdf5"), ["validate", "--require_datagen_info", "--dataset"], "annotate"


def _no_masks(tmp_path):
    return make_dataset(tmp_path / "plain.hdf5"), ["validate", "--require_masks", "--dataset"], "mimic-tasks split"


def _missing_obs_keys(tmp_path):
    command = ["validate", "--obs_keys", "eef_pos", "joint_pos", "--dataset"]
    return make_dataset(tmp_path / "plain.hdf5"), command, "joint_pos"


@pytest.mark.parametrize(
    "case", [_missing, _not_hdf5, _truncated, _other_task, _not_annotated, _no_masks, _nan_actions, _missing_obs_keys]
)
def test_bad_input_fails_clearly_and_leaves_input_untouched(tmp_path, case):
    path, command, expected = case(tmp_path)
    before = digest(path) if path.exists() else None
    result = cli(*command, path, timeout=300)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    assert len(result.stderr.strip().splitlines()) <= 2, result.stderr
    assert expected in result.stderr + result.stdout
    assert (digest(path) if path.exists() else None) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []  # no temp files left


def test_open_dataset_errors(tmp_path):
    """Each unusable file raises a one-line UserInputError; Mimic/Play variants count as the same task."""
    empty = tmp_path / "empty.hdf5"
    with h5py.File(empty, "w") as f:
        f.create_group("data")
    other = tmp_path / "other.hdf5"
    with h5py.File(other, "w") as f:
        f["x"] = np.zeros(3)
    for path, message in [(empty, "no demos"), (other, "no 'data' group"), (tmp_path, "folder")]:
        with pytest.raises(UserInputError, match=message) as error:
            with open_dataset(path):
                pass
        assert "\n" not in str(error.value)
    path = make_dataset(tmp_path / "d.hdf5")
    with open_dataset(path, task="Isaac-Desktop-Organizer-Franka-Mimic-IK-Rel-v0") as f:
        assert dataset_task(f) == TASK
    with pytest.raises(UserInputError, match="pass the matching --task"):
        with open_dataset(path, task="Isaac-PickPlace-GR1T2-Abs-v0"):
            pass


def test_demo_names_sort_numerically(tmp_path):
    with open_dataset(make_dataset(tmp_path / "d.hdf5", num_demos=12)) as f:
        assert demo_names(f)[:3] == ["demo_0", "demo_1", "demo_2"] and demo_names(f)[-2:] == ["demo_10", "demo_11"]


# --- validation ----------------------------------------------------------------------------------------------


def test_valid_datasets_have_no_problems(tmp_path):
    path = make_dataset(tmp_path / "annotated.hdf5", annotated=True)
    assert find_problems(path, task=TASK, require_datagen_info=True, obs_keys=["eef_pos", "ketchup_pose"]) == []
    split_train_valid(path, ratio=0.2)
    assert find_problems(path, require_masks=True) == []
    check_dataset(path, require_masks=True, require_datagen_info=True)
    result = cli("validate", path, "--require_datagen_info", "--require_masks", "--task", TASK)
    assert result.returncode == 0 and result.stdout.startswith("ok: "), result.stderr


def test_inconsistent_demos_are_reported(tmp_path):
    """Wrong num_samples, short observations, wrong total, 1-D actions, Inf values: each a line naming the demo."""
    path = make_dataset(tmp_path / "bad.hdf5", annotated=True)
    with h5py.File(path, "a") as f:
        f["data/demo_0"].attrs["num_samples"] = 99
        del f["data/demo_1/obs/eef_pos"]
        f["data/demo_1/obs/eef_pos"] = np.zeros((3, 3))
        del f["data/demo_2/actions"]
        f["data/demo_2/actions"] = np.zeros(22)
        f["data/demo_3/actions"][0, 0] = np.inf
        del f["data/demo_4/obs/datagen_info/eef_pose"]
    problems = find_problems(path, require_datagen_info=True)
    text = "\n".join(problems)
    assert "demo_0 has num_samples=99 but 20 actions" in text
    assert "demo_1/obs/eef_pos has 3 steps but 21 actions" in text
    assert "demo_2/actions has shape (22,)" in text
    assert "demo_3/actions holds NaN or Inf" in text
    assert "data.attrs['total']" in text
    assert "1 demos (demo_4) have no complete obs/datagen_info" in text
    with pytest.raises(UserInputError, match=r"more: run `mimic-tasks validate"):
        check_dataset(path)


def test_bad_masks_are_reported(tmp_path):
    path = make_dataset(tmp_path / "d.hdf5")
    with h5py.File(path, "a") as f:
        f["mask/train"] = np.array(["demo_0", "demo_1", "demo_9"], dtype="S")
        f["mask/valid"] = np.array(["demo_1"], dtype="S")
    text = "\n".join(find_problems(path, require_masks=True))
    assert "demo_9" in text and "share 1 demos (demo_1)" in text
    with h5py.File(path, "a") as f:
        del f["mask/train"]
        f["mask/train"] = np.array([], dtype="S")
    assert any("mask/train is empty" in p for p in find_problems(path, require_masks=True))


def test_missing_obs_keys_list_what_the_dataset_has(tmp_path):
    (problem,) = find_problems(make_dataset(tmp_path / "d.hdf5"), obs_keys=["eef_pos", "joint_pos", "cam"])
    assert "missing: joint_pos, cam" in problem and "has: eef_pos, ketchup_pose" in problem


# --- split ---------------------------------------------------------------------------------------------------


def _masks(path) -> dict[str, list[str]]:
    with h5py.File(path, "r") as f:
        return {k: [n.decode() for n in f["mask"][k][()]] for k in f["mask"]}


def test_split_masks_are_disjoint_cover_all_and_keep_the_data(tmp_path):
    path = make_dataset(tmp_path / "d.hdf5", num_demos=10)
    with h5py.File(path, "r") as f:
        actions = {n: f["data"][n]["actions"][()] for n in f["data"]}
    result = cli("split", "--dataset", path, "--ratio", "0.2", "--seed", "3")
    assert result.returncode == 0, result.stderr
    assert "mask/train: 8 demos, " in result.stdout and "mask/valid: 2 demos, " in result.stdout
    masks = _masks(path)
    assert len(masks["train"]) == 8 and len(masks["valid"]) == 2
    assert not set(masks["train"]) & set(masks["valid"])
    assert set(masks["train"]) | set(masks["valid"]) == {f"demo_{i}" for i in range(10)}
    with h5py.File(path, "r") as f:
        assert all(np.array_equal(f["data"][n]["actions"][()], a) for n, a in actions.items())
        assert f["data"].attrs["total"] == sum(20 + i for i in range(10))
    assert list(tmp_path.iterdir()) == [path]


def test_resplit_is_stable_and_replaces_masks(tmp_path):
    path = make_dataset(tmp_path / "d.hdf5", num_demos=10)
    first = split_train_valid(path, ratio=0.3, seed=7)
    assert split_train_valid(path, ratio=0.3, seed=7) == first == _masks(path)
    split_train_valid(path, ratio=0.1, seed=7)
    assert [len(v) for v in _masks(path).values()] == [9, 1]


def test_split_small_and_bad_ratios(tmp_path):
    one = make_dataset(tmp_path / "one.hdf5", num_demos=1)
    assert split_train_valid(one, ratio=0.5) == {"train": ["demo_0"], "valid": []}
    assert find_problems(one, require_masks=True) == []
    two = make_dataset(tmp_path / "two.hdf5", num_demos=2)
    assert [len(v) for v in split_train_valid(two, ratio=0.9).values()] == [1, 1]
    assert [len(v) for v in split_train_valid(make_dataset(tmp_path / "five.hdf5"), ratio=0.0).values()] == [5, 0]
    before = digest(one)
    with pytest.raises(UserInputError, match="--ratio"):
        split_train_valid(one, ratio=1.0)
    assert digest(one) == before


def test_split_with_filter_key(tmp_path):
    path = make_dataset(tmp_path / "d.hdf5", num_demos=10)
    with h5py.File(path, "a") as f:
        f["mask/good"] = np.array([f"demo_{i}" for i in range(0, 10, 2)], dtype="S")
    masks = split_train_valid(path, ratio=0.2, filter_key="good")
    assert set(masks) == {"good_train", "good_valid"} and [len(v) for v in masks.values()] == [4, 1]
    assert set(masks["good_train"] + masks["good_valid"]) == {f"demo_{i}" for i in range(0, 10, 2)}
    with pytest.raises(UserInputError, match="no mask/bad"):
        split_train_valid(path, filter_key="bad")


def test_robomimic_reads_the_masks(tmp_path):
    import robomimic.utils.file_utils as FileUtils
    import robomimic.utils.obs_utils as ObsUtils
    from robomimic.utils.dataset import SequenceDataset

    path = make_dataset(tmp_path / "d.hdf5", num_demos=10)
    masks = split_train_valid(path, ratio=0.2)
    assert FileUtils.get_demos_for_filter_key(str(path), "valid") == masks["valid"]
    ObsUtils.initialize_obs_modality_mapping_from_dict({"low_dim": ["eef_pos"]})
    for key, demos in masks.items():
        dataset = SequenceDataset(
            str(path),
            obs_keys=("eef_pos",),
            dataset_keys=("actions",),
            filter_by_attribute=key,
            hdf5_cache_mode="low_dim",
            load_next_obs=False,
        )
        assert sorted(dataset.demos) == sorted(demos)
        assert len(dataset) == sum(20 + int(n.split("_")[1]) for n in demos)
        assert dataset[0]["actions"].shape == (1, 7)
        dataset.close_and_delete_hdf5_handle()


def test_atomic_output_writes_all_or_nothing(tmp_path):
    target = tmp_path / "out.hdf5"
    target.write_text("old")
    with pytest.raises(RuntimeError):
        with atomic_output(target) as tmp:
            with open(tmp, "w") as f:
                f.write("half")
            raise RuntimeError("interrupted")
    assert target.read_text() == "old" and list(tmp_path.iterdir()) == [target]
    with atomic_output(target) as tmp:
        with open(tmp, "w") as f:
            f.write("new")
    assert target.read_text() == "new" and list(tmp_path.iterdir()) == [target]


# --- info ----------------------------------------------------------------------------------------------------


def test_info_summary(tmp_path):
    path = make_dataset(tmp_path / "d.hdf5", num_demos=4, annotated=True)
    split_train_valid(path, ratio=0.25)
    summary = dataset_summary(path)
    assert summary["task"] == TASK and summary["format_version"] == 1
    assert summary["num_demos"] == 4 and summary["total_samples"] == 20 + 21 + 22 + 23
    assert summary["demo_length"] == {"min": 20, "mean": 21.5, "max": 23}
    assert summary["action_dim"] == 7 and summary["obs"] == {"eef_pos": [3], "ketchup_pose": [7]}
    assert summary["datagen_info"] and summary["subtask_signals"] == sorted(SIGNALS)
    assert summary["masks"] == {"train": 3, "valid": 1} and summary["num_success"] == 4
    text = format_summary(summary)
    assert "ketchup_pose" in text and "grasp" in text and "train (3 demos)" in text
    assert summary["subtask_order"] is None  # annotated elsewhere: no recorded order, the signals by name
    result = cli("info", path, "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == json.loads(json.dumps(summary))


def test_info_lists_the_signals_per_end_effector_in_subtask_order(tmp_path):
    """An annotated file records each end effector's subtask order: ``info`` lists the signals in it, not by name."""
    from isaaclab_mimic_tasks.datasets.io import SUBTASK_ORDER_ATTR

    path = make_dataset(tmp_path / "d.hdf5", num_demos=2, annotated=True)
    with h5py.File(path, "a") as f:
        f["data"].attrs[SUBTASK_ORDER_ATTR] = json.dumps({"franka": list(SIGNALS)})
    summary = dataset_summary(path)
    assert summary["subtask_order"] == {"franka": list(SIGNALS)}
    result = cli("info", path)
    assert result.returncode == 0, result.stderr
    assert "subtask signals per end effector, in subtask order" in result.stdout
    assert "  franka: reach -> grasp -> lift -> (last subtask: ends with the demo, no signal)" in result.stdout


def test_info_demo_lists_each_end_effectors_subtask_end_frames(tmp_path):
    """``info --demo``: per end effector, its subtasks in the recorded order with the first frame each signal is 1."""
    from isaaclab_mimic_tasks.datasets.info import demo_subtask_ends, format_demo_subtask_ends
    from isaaclab_mimic_tasks.datasets.io import SUBTASK_ORDER_ATTR

    path = make_dataset(tmp_path / "d.hdf5", num_demos=3, annotated=True)  # demo_2: 22 steps, ends 5, 11, 16
    with h5py.File(path, "a") as f:
        f["data/demo_2"].attrs["success"] = False
        f["data"].attrs[SUBTASK_ORDER_ATTR] = json.dumps({"right": ["lift", "grasp"], "left": ["reach"]})
    ends = demo_subtask_ends(path, 2)
    assert ends == {
        "demo": "demo_2",
        "length": 22,
        "success": False,
        "order_recorded": True,
        "end_effectors": [
            {"name": "right", "subtasks": [{"signal": "lift", "end": 16}, {"signal": "grasp", "end": 11}]},
            {"name": "left", "subtasks": [{"signal": "reach", "end": 5}]},
        ],
    }
    text = format_demo_subtask_ends(ends)
    assert "demo_2: 22 steps, success: no" in text and "ends with the demo" in text
    assert text.index("right:") < text.index("lift") < text.index("grasp") < text.index("left:") < text.index("reach")
    for demo in ("2", "demo_2"):
        result = cli("info", "--dataset", path, "--demo", demo, "--json")
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout) == ends
    result = cli("info", path, "--demo", "2")
    assert result.returncode == 0 and result.stdout.strip() == text, result.stderr


def test_info_demo_without_a_recorded_order_lists_the_signals_by_end_frame(tmp_path):
    from isaaclab_mimic_tasks.datasets.info import demo_subtask_ends

    path = make_dataset(tmp_path / "d.hdf5", num_demos=2, annotated=True)  # demo_1: 21 steps, ends 5, 10, 15
    ends = demo_subtask_ends(path, "demo_1")
    assert not ends["order_recorded"] and ends["length"] == 21 and ends["success"] is True
    assert ends["end_effectors"] == [
        {
            "name": None,
            "subtasks": [{"signal": "reach", "end": 5}, {"signal": "grasp", "end": 10}, {"signal": "lift", "end": 15}],
        }
    ]


@pytest.mark.parametrize(
    "annotated, demo, expected", [(True, "7", "has no demo_7"), (False, "demo_1", "not annotated")]
)
def test_info_demo_of_an_unknown_or_unannotated_demo_is_one_line(tmp_path, annotated, demo, expected):
    from isaaclab_mimic_tasks.datasets.info import demo_subtask_ends

    path = make_dataset(tmp_path / "d.hdf5", num_demos=3, annotated=annotated)
    with pytest.raises(UserInputError, match=expected):
        demo_subtask_ends(path, demo)
    result = cli("info", "--dataset", path, "--demo", demo)
    assert result.returncode == 2 and expected in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


# --- merge ----------------------------------------------------------------------------------------------------


def _datasets_of(group) -> dict[str, bytes]:
    """Every dataset under ``group`` by path, as bytes, and every attribute as its repr."""
    found = {f"@{k}": repr(v) for k, v in group.attrs.items()}
    group.visititems(
        lambda name, item: found.__setitem__(name, item[()].tobytes()) if isinstance(item, h5py.Dataset) else None
    )
    return found


def test_merge_keeps_every_demo_byte_identical_with_its_provenance(tmp_path):
    from isaaclab_mimic_tasks.datasets.merge import merge_datasets

    first, second = (
        make_dataset(tmp_path / "a.hdf5", num_demos=3),
        make_dataset(tmp_path / "b.hdf5", num_demos=2, length=7),
    )
    before = digest(first), digest(second)
    count = merge_datasets([first, second], tmp_path / "merged.hdf5", provenance=[{"shard": 0}, {"shard": 1}])
    assert count == 5 and (digest(first), digest(second)) == before
    with h5py.File(tmp_path / "merged.hdf5", "r") as merged:
        assert demo_names(merged) == [f"demo_{i}" for i in range(5)] and dataset_task(merged) == TASK
        assert merged["data"].attrs["total"] == sum(20 + i for i in range(3)) + sum(7 + i for i in range(2))
        origins = [(first, f"demo_{i}", 0) for i in range(3)] + [(second, f"demo_{i}", 1) for i in range(2)]
        for index, (path, name, shard) in enumerate(origins):
            demo = merged[f"data/demo_{index}"]
            assert json.loads(demo.attrs["merged_from"]) == {"file": str(path), "demo": name, "shard": shard}
            with h5py.File(path, "r") as source:
                expected = _datasets_of(source[f"data/{name}"])
            got = _datasets_of(demo)
            got.pop("@merged_from")
            assert got == expected


@pytest.mark.parametrize("case", ["other_task", "not_hdf5", "no_demos", "output_exists"])
def test_merge_refuses_bad_input_in_one_line_and_writes_nothing(tmp_path, case):
    from isaaclab_mimic_tasks.datasets.merge import merge_datasets

    good = make_dataset(tmp_path / "good.hdf5", num_demos=2)
    output = tmp_path / "merged.hdf5"
    if case == "other_task":
        other, expected = make_dataset(tmp_path / "other.hdf5", task=OTHER_TASK), "different tasks"
    elif case == "not_hdf5":
        other, expected = bad_input_file("not_hdf5", good, tmp_path), "not an HDF5 file"
    elif case == "no_demos":
        other, expected = make_dataset(tmp_path / "empty.hdf5", num_demos=0), "holds no demos"
    else:
        other, expected = make_dataset(tmp_path / "second.hdf5"), "exists"
        output.write_bytes(b"keep me")
    with pytest.raises(UserInputError) as error:
        merge_datasets([good, other], output)
    assert expected in str(error.value) and "\n" not in str(error.value)
    assert (output.read_bytes() == b"keep me") if case == "output_exists" else not output.exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []  # no temporary file left


# --- filter ---------------------------------------------------------------------------------------------------


def _generated_like(path):
    """5 demos of 20-24 steps, demo_1 failed, each naming the source demo it was generated from, split 4 / 1."""
    make_dataset(path, num_demos=5)
    with h5py.File(path, "a") as f:
        f["data"].attrs["mimic_generation"] = json.dumps({"seed": 7, "demos": 5})
        f["data/demo_1"].attrs["success"] = False
        for i in range(5):
            f[f"data/demo_{i}"].attrs["mimic_source_demos"] = json.dumps({"franka": [f"demo_{i % 2}", "demo_9"]})
    split_train_valid(path, ratio=0.2)
    return path


def test_filter_keeps_the_selected_demos_byte_identical_with_provenance_and_masks(tmp_path):
    from isaaclab_mimic_tasks.datasets.filter import DemoFilter, filter_dataset

    source = _generated_like(tmp_path / "generated.hdf5")
    before = digest(source)
    with h5py.File(source, "r") as f:
        valid = mask_names(f["mask/valid"])
    output = tmp_path / "kept.hdf5"
    selected = filter_dataset(source, output, DemoFilter(success=True, min_length=21))
    assert selected == ["demo_2", "demo_3", "demo_4"] and digest(source) == before
    with h5py.File(output, "r") as out, h5py.File(source, "r") as f:
        assert demo_names(out) == ["demo_0", "demo_1", "demo_2"] and dataset_task(out) == TASK
        assert out["data"].attrs["total"] == 22 + 23 + 24
        assert json.loads(out["data"].attrs["mimic_generation"]) == {"seed": 7, "demos": 5}
        for index, name in enumerate(selected):
            got = _datasets_of(out[f"data/demo_{index}"])
            assert json.loads(got.pop("@filtered_from").strip("'")) == {"file": str(source), "demo": name}
            assert got == _datasets_of(f[f"data/{name}"])
        renamed = dict(zip(selected, demo_names(out)))
        assert mask_names(out["mask/valid"]) == [renamed[n] for n in valid if n in renamed]
        assert sorted(mask_names(out["mask/train"]) + mask_names(out["mask/valid"])) == demo_names(out)

    by_source = filter_dataset(source, tmp_path / "from_demo_1.hdf5", DemoFilter(source_demo="demo_1"))
    assert by_source == ["demo_1", "demo_3"]
    assert filter_dataset(source, tmp_path / "train.hdf5", DemoFilter(mask="train")) == [
        n for n in demo_names(h5py.File(source, "r")) if n not in valid
    ]


@pytest.mark.parametrize("case", ["not_hdf5", "no_demos", "output_exists", "no_match", "unknown_mask", "not_generated"])
def test_filter_refuses_bad_input_in_one_line_and_writes_nothing(tmp_path, case):
    from isaaclab_mimic_tasks.datasets.filter import DemoFilter, filter_dataset

    source = _generated_like(tmp_path / "generated.hdf5")
    output, keep = tmp_path / "out.hdf5", DemoFilter()
    expected = {
        "not_hdf5": "not an HDF5 file",
        "no_demos": "holds no demos",
        "output_exists": "exists",
        "no_match": "no demo",
        "unknown_mask": "no mask 'test'",
        "not_generated": "source demos",
    }[case]
    if case == "not_hdf5":
        source = bad_input_file("not_hdf5", source, tmp_path)
    elif case == "no_demos":
        source = make_dataset(tmp_path / "empty.hdf5", num_demos=0)
    elif case == "output_exists":
        output.write_bytes(b"keep me")
    elif case == "no_match":
        keep = DemoFilter(min_length=100)
    elif case == "unknown_mask":
        keep = DemoFilter(mask="test")
    else:
        source, keep = make_dataset(tmp_path / "recorded.hdf5"), DemoFilter(source_demo="demo_0")
    with pytest.raises(UserInputError) as error:
        filter_dataset(source, output, keep)
    assert expected in str(error.value) and "\n" not in str(error.value)
    assert (output.read_bytes() == b"keep me") if case == "output_exists" else not output.exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_merge_and_filter_commands(tmp_path):
    first, second = make_dataset(tmp_path / "a.hdf5", num_demos=2), make_dataset(tmp_path / "b.hdf5", num_demos=3)
    result = cli("merge", first, second, "--output", tmp_path / "merged.hdf5")
    assert result.returncode == 0 and "5 demos" in result.stdout, result.stderr
    result = cli(
        "filter", "--dataset", tmp_path / "merged.hdf5", "--output", tmp_path / "long.hdf5", "--min_length", 21
    )
    assert result.returncode == 0 and "3 demos" in result.stdout, result.stderr  # lengths 20, 21 | 20, 21, 22
    other = make_dataset(tmp_path / "other.hdf5", task=OTHER_TASK)
    result = cli("merge", first, other, "--output", tmp_path / "mixed.hdf5")
    assert (
        result.returncode == 2 and "different tasks" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    )
    assert not (tmp_path / "mixed.hdf5").exists()
