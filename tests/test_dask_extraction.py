"""Extraction on a Dask cluster: a real ``distributed.LocalCluster`` of two worker processes extracts
the sample reports into the cache with the same landed lines as the local process pool."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import sample_files


def test_the_dask_setting_comes_from_the_option_then_the_environment(monkeypatch):
    from prefect.task_runners import ProcessPoolTaskRunner
    from prefect_dask import DaskTaskRunner

    from jixiao.cli import _parser
    from jixiao.pipeline.extraction import dask_address_setting, task_runner

    monkeypatch.delenv("JIXIAO_DASK_ADDRESS", raising=False)
    assert dask_address_setting(None) is None
    monkeypatch.setenv("JIXIAO_DASK_ADDRESS", "tcp://scheduler:8786")
    assert dask_address_setting(None) == "tcp://scheduler:8786"
    assert dask_address_setting("local") == "local", "an explicit address wins"

    args = _parser().parse_args(["refresh", "--reports", "r", "--db", "w.duckdb", "--dask"])
    assert args.dask == "local" and args.full_refresh is False
    args = _parser().parse_args(["refresh", "--reports", "r", "--db", "w.duckdb", "--dask", "tcp://h:8786", "--full"])
    assert args.dask == "tcp://h:8786" and args.full_refresh is True

    assert isinstance(task_runner(2), ProcessPoolTaskRunner)
    local = task_runner(3, "local")
    assert isinstance(local, DaskTaskRunner) and local.cluster_kwargs["n_workers"] == 3
    remote = task_runner(3, "tcp://h:8786")
    assert isinstance(remote, DaskTaskRunner) and remote.address == "tcp://h:8786"


def _cached_lines(cache_dir: Path) -> dict[str, dict]:
    """Every cache entry of one extractor version: content hash → the entry (status, rows, landed lines)."""
    (version_dir,) = [d for d in cache_dir.iterdir() if d.is_dir()]
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(version_dir.glob("*.json"))}


@pytest.mark.slow
def test_a_local_dask_cluster_extracts_the_samples_like_the_process_pool(tmp_path: Path, prefect_harness):
    from distributed import LocalCluster

    from jixiao.pipeline.cache import extractor_version
    from jixiao.pipeline.discover import discover_reports
    from jixiao.pipeline.extraction import batches_of, extract_in_parallel, extract_reports, task_runner, write_batches

    reports = tmp_path / "reports"
    reports.mkdir()
    for f in sample_files():
        shutil.copy2(f, reports / f.name)
    files = discover_reports(reports)
    assert len(files) == 5
    version = extractor_version()

    # the local process pool (what a refresh without --dask uses for many reports)
    pool_cache = tmp_path / "pool-cache"
    items = [(f.name, f.path, f.content_hash) for f in files]
    listed = write_batches(batches_of(items, workers=2), tmp_path / "batches.json")
    pool = extract_in_parallel.with_options(task_runner=task_runner(2))(str(listed), str(pool_cache), version)

    # a real cluster: a scheduler and two worker processes, reached by address as a remote one would be
    dask_cache = tmp_path / "dask-cache"
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        on_dask = extract_reports(
            files, dask_cache, version, workers=2, run_id="t", dask_address=cluster.scheduler_address
        )
        workers_seen = set(cluster.scheduler_info["workers"])
    assert len(workers_seen) == 2

    assert sorted(r.source_file for r in on_dask) == sorted(f.name for f in files)
    assert all(r.status == "loaded" for r in on_dask), [(r.source_file, r.status_reason) for r in on_dask]
    assert {(r.source_file, r.status, r.status_reason) for r in on_dask} == {
        (r.source_file, r.status, r.status_reason) for r in pool
    }
    pool_lines, dask_lines = _cached_lines(pool_cache), _cached_lines(dask_cache)
    assert sorted(dask_lines) == sorted(f.content_hash for f in files), "the Dask workers wrote the cache"
    assert dask_lines == pool_lines, "the same landed lines (facts, findings, provenance) for every report"
    facts = sum(n for entry in dask_lines.values() for seed, n in entry["rows"].items() if seed != "landed_reports")
    assert facts > 100, "the samples carry facts"
    assert not list(tmp_path.glob("batches-*.json")), "the run's batch list is removed"
