"""Extraction on a ``distributed.LocalCluster``: 2 worker processes against 1.

Two measurements of extraction only: :func:`measure_dask_extraction` maps the batches the refresh
flow would make (``batches_of``) through ``extract_to_cache`` — the function the flow's
``extract_batch`` task runs — with ``Client.map``; :func:`measure_dask_refresh`, when ``jixiao
refresh`` takes ``--dask``, times the extract step of refreshes on the cluster (prefect-dask).
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any


def _extract_batch(files: list[tuple[str, str, str]], cache_dir: str, version: str) -> int:
    """One batch through the flow's extraction into ``cache_dir``; returns how many were loaded."""
    from jixiao.pipeline.cache import ExtractionCache, extract_to_cache

    done = extract_to_cache([(n, Path(p), h) for n, p, h in files], ExtractionCache(Path(cache_dir), version))
    return sum(1 for r in done if r.status == "loaded")


def _batches(reports: Path, limit: int, workers: int) -> list[list[tuple[str, str, str]]]:
    from jixiao.pipeline.discover import sha256_of
    from jixiao.pipeline.extraction import batches_of

    files = sorted(p for p in reports.iterdir() if p.is_file())[:limit]
    items = [(p.name, str(p), sha256_of(p)) for p in files]
    return batches_of(items, workers)


def time_on_cluster(batches: list[list[tuple[str, str, str]]], workers: int, version: str) -> dict[str, Any]:
    """Wall time of extracting ``batches`` on a LocalCluster of ``workers`` single-threaded processes
    (the cluster's start is not timed; every worker first extracts one file into a scratch cache)."""
    from distributed import Client, LocalCluster

    cache = Path(tempfile.mkdtemp(prefix=f"bench-dask-{workers}-"))
    warm = cache.with_name(cache.name + "-warm-up")
    try:
        with (
            LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=logging.WARNING,
            ) as cluster,
            Client(cluster) as client,
        ):
            client.run(_extract_batch, batches[0][:1], str(warm), version)  # imports and vocabularies, untimed
            t0 = time.perf_counter()
            futures = client.map(_extract_batch, batches, cache_dir=str(cache), version=version, pure=False)
            loaded = sum(client.gather(futures))
            wall = time.perf_counter() - t0
    finally:
        shutil.rmtree(cache, ignore_errors=True)
        shutil.rmtree(warm, ignore_errors=True)
    n = sum(len(b) for b in batches)
    return {
        "workers": workers,
        "reports": n,
        "loaded": loaded,
        "wall_seconds": round(wall, 2),
        "reports_per_s": round(n / wall, 1),
    }


def measure_dask_extraction(reports: Path, limit: int = 2000, workers: tuple[int, ...] = (1, 2)) -> dict[str, Any]:
    """Extraction of the first ``limit`` files of ``reports`` on LocalClusters of 1 and 2 workers,
    with the speed-up of the largest over one worker."""
    from jixiao.pipeline.cache import extractor_version

    batches = _batches(reports, limit, max(workers))
    version = extractor_version()
    runs = {str(w): time_on_cluster(batches, w, version) for w in workers}
    one, most = runs[str(min(workers))], runs[str(max(workers))]
    return {
        "method": "distributed.Client.map of jixiao.pipeline.cache.extract_to_cache over the flow's batches",
        "runs": runs,
        "speedup": round(one["wall_seconds"] / most["wall_seconds"], 2) if most["wall_seconds"] else None,
    }


def refresh_has_dask() -> bool:
    """Whether ``jixiao refresh`` of this code base takes ``--dask ADDRESS``."""
    import subprocess

    from .measure import jixiao_command

    try:
        out = subprocess.run([*jixiao_command(), "refresh", "--help"], capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.SubprocessError):
        return False
    return "--dask" in out.stdout


def _subset(reports: Path, limit: int, dest: Path) -> Path:
    """The first ``limit`` files of ``reports`` in ``dest`` (hard links, else copies; the flow skips
    symbolic links that lead out of the folder)."""
    import os

    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    for p in sorted(p for p in reports.iterdir() if p.is_file())[:limit]:
        try:
            os.link(p, dest / p.name)
        except OSError:
            shutil.copy2(p, dest / p.name)
    return dest


_CLUSTER_SCRIPT = """
import logging, sys
from distributed import LocalCluster
cluster = LocalCluster(n_workers=int(sys.argv[1]), threads_per_worker=1, processes=True,
                       dashboard_address=None, silence_logs=logging.WARNING)
print(cluster.scheduler_address, flush=True)
sys.stdin.read()  # until the benchmark closes the pipe
cluster.close()
"""


@contextlib.contextmanager
def local_cluster_process(workers: int, timeout: float = 180) -> Iterator[str]:
    """A ``distributed.LocalCluster`` of ``workers`` single-threaded processes, run in a child
    process with this environment (so its scheduler unpickles tasks with the same code as the
    refresh that submits them); yields the scheduler's address."""
    import subprocess
    import sys

    proc = subprocess.Popen(
        [sys.executable, "-P", "-c", _CLUSTER_SCRIPT, str(workers)],  # -P: the path of a console script,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert proc.stdout is not None
        address = ""
        deadline = time.monotonic() + timeout
        while not address.startswith("tcp://") and time.monotonic() < deadline and proc.poll() is None:
            address = proc.stdout.readline().strip()
        if not address.startswith("tcp://"):
            raise RuntimeError(f"LocalCluster of {workers} worker(s) did not start (exit {proc.poll()})")
        yield address
    finally:
        if proc.stdin:
            proc.stdin.close()
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def measure_dask_refresh(
    reports: Path, work: Path, limit: int = 2000, landing: str = "native", workers: tuple[int, ...] = (1, 2)
) -> dict[str, Any]:
    """The extraction step of ``jixiao refresh --dask ADDRESS`` (prefect-dask's task runner) on a
    LocalCluster of 1 and of 2 single-threaded worker processes, each a full refresh of the first
    ``limit`` files into a fresh warehouse and cache; the speed-up compares the ``extract`` steps."""
    from .measure import run_refresh

    subset = _subset(reports, limit, work / f"dask-subset-{limit}")
    runs: dict[str, Any] = {}
    try:
        for w in workers:
            db = work / f"dask-refresh-{w}" / "warehouse.duckdb"
            if db.parent.exists():
                shutil.rmtree(db.parent)
            db.parent.mkdir(parents=True)
            with local_cluster_process(w) as address:
                r = run_refresh(subset, db, landing, extra=["--dask", address])
            extract = r["steps"].get("extract")
            runs[str(w)] = {
                "workers": w,
                "reports": limit,
                "exit_code": r["exit_code"],
                "wall_seconds": r["wall_seconds"],
                "extract_seconds": extract,
                "reports_per_s": round(limit / extract, 1) if extract else None,
                "output_tail": r["output_tail"] if r["exit_code"] else "",
            }
            shutil.rmtree(db.parent, ignore_errors=True)
    finally:
        shutil.rmtree(subset, ignore_errors=True)
    one, most = runs[str(min(workers))], runs[str(max(workers))]
    ok = one["extract_seconds"] and most["extract_seconds"]
    return {
        "method": "the extract step of `jixiao refresh --dask ADDRESS` on a distributed.LocalCluster",
        "runs": runs,
        "speedup": round(one["extract_seconds"] / most["extract_seconds"], 2) if ok else None,
    }


__all__ = ["measure_dask_extraction", "measure_dask_refresh", "refresh_has_dask", "time_on_cluster"]
