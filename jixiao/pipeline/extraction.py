"""Extraction of the reports missing from the cache: inline, in a process pool, or on a Dask cluster.

Reports are extracted in batches (:func:`batches_of`); each batch is one Prefect task
(:func:`~jixiao.pipeline.tasks.extract_batch`) that writes every report's landed lines to the
extraction cache and returns only their status.  The batches run

- inline, for a few reports (starting worker processes would cost more than it saves);
- in Prefect's ``ProcessPoolTaskRunner`` of ``workers`` processes, for many;
- on a Dask cluster through ``prefect_dask.DaskTaskRunner`` when a Dask address is given
  (``local``: a ``distributed.LocalCluster`` of ``workers`` processes started for the run).
  Every worker must see the reports and the cache at the same paths (a shared filesystem).

Whatever runs them, a report's cached lines are the same: the same function extracts it.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from prefect import flow
from prefect.futures import as_completed

from jixiao.pipeline import progress
from jixiao.pipeline.cache import CachedReport
from jixiao.pipeline.discover import ReportFile
from jixiao.pipeline.paths import batches_file
from jixiao.pipeline.tasks import extract_batch

MAX_BATCH = 500  # reports per extraction task: few, large tasks keep Prefect's per-task cost small (bench: 100 → 500)
PARALLEL_MIN_REPORTS = 200  # below this, starting worker processes costs more than it saves
# Files that cost about this many text reports each (LibreOffice conversion, PDF layout, OCR of scans).
HEAVY_SUFFIX_WEIGHT = {".pdf": 10, ".doc": 10, ".wps": 10}
DASK_ADDRESS_ENV = "JIXIAO_DASK_ADDRESS"
LOCAL_CLUSTER = "local"  # the Dask "address" that starts a LocalCluster on this machine

FileItem = tuple[str, Path, str]  # (name as ingested, path, content hash)


def as_items(files: list[ReportFile]) -> list[FileItem]:
    return [(f.name, f.path, f.content_hash) for f in files]


def batches_of(items: list, workers: int, max_batch: int = MAX_BATCH) -> list[list]:
    """Split into batches: about four per worker for balance, at most ``max_batch`` each."""
    if not items:
        return []
    size = max(1, min(max_batch, math.ceil(len(items) / (max(1, workers) * 4))))
    return [items[i : i + size] for i in range(0, len(items), size)]


def write_batches(batches: list[list[FileItem]], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps([[[n, str(p), h] for n, p, h in b] for b in batches], ensure_ascii=False), encoding="utf-8"
    )
    return path


def dask_address_setting(value: str | None = None) -> str | None:
    """The Dask scheduler to extract on: ``value``, else ``$JIXIAO_DASK_ADDRESS``, else none."""
    value = value if value is not None else os.environ.get(DASK_ADDRESS_ENV)
    value = (value or "").strip()
    return value or None


def task_runner(workers: int, dask_address: str | None = None) -> Any:
    """The Prefect task runner of the extraction batches."""
    if dask_address:
        from prefect_dask import DaskTaskRunner

        if dask_address == LOCAL_CLUSTER:
            return DaskTaskRunner(
                cluster_class="distributed.LocalCluster",
                cluster_kwargs={
                    "n_workers": workers,
                    "threads_per_worker": 1,
                    "processes": True,
                    "dashboard_address": None,
                },
            )
        return DaskTaskRunner(address=dask_address)
    from prefect.task_runners import ProcessPoolTaskRunner

    return ProcessPoolTaskRunner(max_workers=workers)


@flow(name="jixiao-extract-parallel", persist_result=False)
def extract_in_parallel(batches_file: str, cache_dir: str, version: str) -> list[CachedReport]:
    """Submit every batch listed in ``batches_file`` to this flow's task runner.

    The batches travel in a file, not as parameters: a flow run's parameters are stored by the
    Prefect server, which refuses tens of thousands of file names.
    """
    batches = [
        [(name, Path(path), content_hash) for name, path, content_hash in batch]
        for batch in json.loads(Path(batches_file).read_text(encoding="utf-8"))
    ]
    futures = {extract_batch.submit(b, Path(cache_dir), version): len(b) for b in batches}
    results: list[CachedReport] = []
    for future in as_completed(list(futures)):
        results.extend(future.result())
        progress.reporter().advance(futures[future])
    return results


def extract_reports(
    todo: list[ReportFile], cache_dir: Path, version: str, workers: int, run_id: str, dask_address: str | None = None
) -> list[CachedReport]:
    """Extract the files missing from the cache (see the module's docstring for where); their statuses."""
    if not todo:
        return []
    rep = progress.reporter()
    rep.start_items(len(todo), "extracting")
    try:
        items = as_items(todo)
        weight = sum(HEAVY_SUFFIX_WEIGHT.get(f.path.suffix.lower(), 1) for f in todo)
        if dask_address or (workers > 1 and weight >= PARALLEL_MIN_REPORTS):
            listed = write_batches(batches_of(items, workers), batches_file(cache_dir, run_id))
            try:
                with _api_visible_to_workers():
                    return extract_in_parallel.with_options(task_runner=task_runner(workers, dask_address))(
                        str(listed), str(cache_dir), version
                    )
            finally:
                listed.unlink(missing_ok=True)
        results: list[CachedReport] = []
        for batch in batches_of(items, 1, max_batch=25):
            results.extend(extract_batch(batch, cache_dir, version))
            rep.advance(len(batch))
        return results
    finally:
        rep.finish_items()


@contextmanager
def _api_visible_to_workers() -> Iterator[None]:
    """In Prefect's ephemeral mode, name the temporary server in the settings worker processes inherit.

    Otherwise each worker process would start a temporary server of its own (seconds each).
    """
    from jixiao.pipeline.settings import configured_api_url

    if configured_api_url():
        yield
        return
    from prefect.server.api.server import SubprocessASGIServer
    from prefect.settings import PREFECT_API_URL, temporary_settings

    server = SubprocessASGIServer()
    if not server.running:
        yield
        return
    with temporary_settings({PREFECT_API_URL: server.api_url}):
        yield
