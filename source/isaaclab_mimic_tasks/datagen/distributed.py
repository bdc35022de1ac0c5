"""Generation across processes and machines on Ray: the trials split into shards, one Ray task per shard.

Each shard is an ordinary :func:`~isaaclab_mimic_tasks.datagen.generate.generate_dataset` run in a Ray worker
process (its own environment batch, its own seed), writing its demos to its own file as they finish,
``<output>.shards/shard_<k>.hdf5``. A shard's file is resumable like any generation output, so a worker that
dies loses only its in-flight attempts: Ray runs the shard's task again (``max_retries``), and the new process
continues the file. When every shard holds its share, the shards are merged into ``output`` (demos renumbered,
``merged_from`` naming the shard, its seed and its demo; each demo's ``mimic_source_demos`` says which source
demos Mimic used) and split into train/valid.

The shard folder must be reachable under the same path by every worker: on one machine it is; on a cluster put
the output on a shared file system (``docs/pipeline.md``). Ray is imported only here.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import asdict

import numpy as np

from .generate import GENERATION_ATTR, GenerationStats

PROGRESS_SUFFIX = ".progress.json"


def shard_seed(seed: int, shard: int) -> int:
    """The generation seed of shard ``shard`` of a run seeded ``seed``: a single-process
    ``generate_dataset(..., seed=shard_seed(seed, k))`` generates the same demos as that shard."""
    return int(np.random.SeedSequence([seed, shard]).generate_state(1)[0] % (2**31))


def shard_counts(total: int, shards: int) -> list[int]:
    """``total`` demos split over ``shards`` as evenly as possible (the first shards take the remainder)."""
    return [total // shards + (1 if k < total % shards else 0) for k in range(shards)]


def shard_dir(output_file: str) -> str:
    return os.path.abspath(output_file) + ".shards"


def _write_progress(path: str, stats: GenerationStats) -> None:
    """The shard's totals and its worker's process id, replaced atomically (the driver polls it)."""
    tmp = f"{path}.tmp-{os.getpid()}"
    with open(tmp, "w") as f:
        json.dump({"demos": stats.demos, "attempts": stats.attempts, "pid": os.getpid()}, f)
    os.replace(tmp, path)


def run_shard(task: str, input_file: str, shard_file: str, num_envs: int, count: int, seed: int, options: dict) -> dict:
    """Generate ``count`` demos into ``shard_file`` (resuming it), reporting progress beside it; returns its stats."""
    from isaaclab_mimic_tasks.errors import UserInputError

    from .generate import generate_dataset

    progress = shard_file + PROGRESS_SUFFIX

    def run():
        report = lambda stats: _write_progress(progress, stats)  # noqa: E731
        return generate_dataset(
            task,
            input_file,
            shard_file,
            num_envs,
            count,
            seed=seed,
            split_ratio=None,
            on_demo=report,
            on_start=report,
            **options,
        )

    try:
        return asdict(run())
    except UserInputError:
        if not os.path.exists(shard_file):
            raise
        # a worker killed while writing a demo can leave its shard unreadable: keep it aside, start the shard over
        os.replace(shard_file, f"{shard_file}.damaged-{int(time.time())}")
        return asdict(run())


def unreachable_reason(address: str | None, timeout: float = 5.0) -> str | None:
    """Why ``address`` (``host:port`` or ``ray://host:port``) takes no TCP connection, or None if it does (or it
    names no port, like ``"auto"``: Ray resolves those). ``ray.init`` would retry an unreachable address for a
    minute or more before failing."""
    import socket

    host, _, port = address.removeprefix("ray://").rpartition(":")
    if not host or not port.isdigit():
        return None
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=timeout).close()
    except OSError as error:
        return error.strerror or type(error).__name__
    return None


def _read_progress(path: str) -> dict:
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return {}


def generate_on_ray(
    task: str,
    input_file: str,
    output_file: str,
    num_envs: int,
    generation_num_trials: int,
    workers: int,
    address: str | None = None,
    seed: int = 0,
    split_ratio: float | None = 0.1,
    max_retries: int = 3,
    **options,
) -> GenerationStats:
    """Generate ``generation_num_trials`` demos into ``output_file`` with ``workers`` Ray tasks (one shard each).

    ``address``: a running Ray cluster (``ray start --head`` prints it; ``"auto"``: the one on this machine);
    None starts a local Ray for this run. ``options`` go to each shard's ``generate_dataset``
    (``num_success_steps``, ``settle_steps``, ``max_num_failures``).
    """
    import ray
    from tqdm import tqdm

    from isaaclab_mimic_tasks.datasets import check_dataset, split_train_valid
    from isaaclab_mimic_tasks.datasets.merge import merge_datasets
    from isaaclab_mimic_tasks.envs import VERBOSE_ENV_VAR, load_mimic_env_cfg
    from isaaclab_mimic_tasks.errors import UserInputError

    if workers < 1 or num_envs < 1 or generation_num_trials < 1:
        raise UserInputError("--workers, --num_envs and --generation_num_trials must be at least 1")
    if generation_num_trials < workers:
        raise UserInputError(
            f"--generation_num_trials ({generation_num_trials}) must be at least --workers ({workers})"
        )
    load_mimic_env_cfg(task)  # a clear error for an unknown or non-Mimic ID, before any worker starts
    check_dataset(input_file, task=task, require_datagen_info=True)
    reason = unreachable_reason(address) if address else None
    if reason:
        raise UserInputError(
            f"cannot reach Ray at {address} ({reason}); check --ray ADDRESS (`ray start --head` prints"
            " it; `ray status` on the head shows the cluster)"
        )
    input_file = os.path.abspath(input_file)
    folder = shard_dir(output_file)
    os.makedirs(folder, exist_ok=True)
    counts = shard_counts(generation_num_trials, workers)
    seeds = [shard_seed(seed, k) for k in range(workers)]
    shard_files = [os.path.join(folder, f"shard_{k}.hdf5") for k in range(workers)]

    env_vars = {name: os.environ[name] for name in ("WARP_CACHE_PATH", VERBOSE_ENV_VAR) if name in os.environ}
    try:
        ray.init(
            address=address,
            num_cpus=None if address else workers,
            log_to_driver=False,
            runtime_env={"env_vars": env_vars},
            include_dashboard=False,
            logging_level="ERROR",
        )
    except (ConnectionError, RuntimeError) as error:
        reason = " ".join(str(error).split())[:200]
        raise UserInputError(
            f"cannot start or reach Ray at {address or 'this machine'} ({reason}); check --ray ADDRESS"
            " (`ray start --head` prints it)"
        ) from None
    start = time.perf_counter()
    try:
        remote = ray.remote(num_cpus=1, max_retries=max_retries)(run_shard)
        pending = {
            remote.remote(task, input_file, path, num_envs, count, seed_k, options): k
            for k, (path, count, seed_k) in enumerate(zip(shard_files, counts, seeds))
        }
        results: dict[int, dict] = {}
        bar = tqdm(total=generation_num_trials, desc=f"generating demos on {workers} Ray workers", unit="demo")
        while pending:
            done, _ = ray.wait(list(pending), num_returns=1, timeout=1.0)
            for ref in done:
                try:
                    results[pending.pop(ref)] = ray.get(ref)
                except ray.exceptions.RayTaskError as error:
                    cause = error.as_instanceof_cause()
                    if isinstance(cause, UserInputError):
                        raise UserInputError(str(cause).splitlines()[0]) from None
                    raise
            # finished shards by their result, running ones by their progress file
            shards = [results.get(k) or _read_progress(path + PROGRESS_SUFFIX) for k, path in enumerate(shard_files)]
            bar.n = sum(shard.get("demos", 0) for shard in shards)
            bar.set_postfix(attempts=sum(shard.get("attempts", 0) for shard in shards))
            bar.refresh()
        bar.close()
    finally:
        ray.shutdown()

    shard_stats = [GenerationStats(**results[k]) for k in range(workers)]
    short = [k for k, stats in enumerate(shard_stats) if stats.demos < counts[k]]
    total = _combined(shard_stats, task, input_file, seed, time.perf_counter() - start)
    if short:
        raise UserInputError(f"shards {short} stopped short (--max_num_failures); rerun the same command to continue")
    provenance = [{"shard": k, "seed": seeds[k]} for k in range(workers)]
    merge_datasets(
        shard_files, output_file, provenance, data_attrs={GENERATION_ATTR: json.dumps(asdict(total))}, overwrite=True
    )
    if split_ratio is not None:
        split_train_valid(output_file, ratio=split_ratio, seed=seed)
    return total


def _combined(shards: list[GenerationStats], task: str, input_file: str, seed: int, seconds: float) -> GenerationStats:
    """One run's totals from its shards' (``seconds``: wall time of this run, so rates are the whole cluster's)."""
    total = GenerationStats(task=task, source=input_file, seed=seed, num_success_steps=shards[0].num_success_steps)
    for stats in shards:
        total.demos += stats.demos
        total.attempts += stats.attempts
        total.env_steps += stats.env_steps
        total.runs = max(total.runs, stats.runs)
        total.subtask_signals = stats.subtask_signals
        for label, n in stats.failures_by_subtask.items():
            total.failures_by_subtask[label] = total.failures_by_subtask.get(label, 0) + n
        for eef, counts in stats.failures_by_eef.items():
            merged = total.failures_by_eef.setdefault(eef, {})
            for label, n in counts.items():
                merged[label] = merged.get(label, 0) + n
    total.seconds = seconds
    return total
