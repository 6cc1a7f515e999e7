"""Extraction on a ``distributed.LocalCluster``: 2 worker processes against 1.

Measures extraction only: the batches the refresh flow would make (``batches_of``), each through
``extract_to_cache`` — the function the flow's ``extract_batch`` task runs — mapped over the
cluster's workers with ``Client.map``, into a fresh extraction cache per run.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any


def _extract_batch(files: list[tuple[str, str, str]], cache_dir: str, version: str) -> int:
    """One batch through the flow's extraction into ``cache_dir``; returns how many were loaded."""
    from jixiao.pipeline.cache import ExtractionCache, extract_to_cache

    done = extract_to_cache([(n, Path(p), h) for n, p, h in files], ExtractionCache(Path(cache_dir), version))
    return sum(1 for r in done if r.status == "loaded")


def _batches(reports: Path, limit: int, workers: int) -> list[list[tuple[str, str, str]]]:
    from jixiao.pipeline.discover import sha256_of
    from jixiao.pipeline.flow import batches_of

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


__all__ = ["measure_dask_extraction", "time_on_cluster"]
