"""The refresh flow's parts: discovery and change detection, batching, retry policy, the extraction
cache, parallel extraction in a Prefect process pool, and the run summary artifact."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import duckdb
import pytest
from conftest import Warehouse, sample_files


# --------------------------------------------------------------------------- discovery
def test_discover_hashes_files_and_compares_by_name(tmp_path: Path):
    from jixiao.pipeline.discover import compare, discover_reports, drop_duplicates, sha256_of

    (tmp_path / "a.txt").write_text("一", encoding="utf-8")
    (tmp_path / "b.txt").write_text("二", encoding="utf-8")
    (tmp_path / "c.txt").write_text("一", encoding="utf-8")  # same bytes as a.txt
    (tmp_path / ".hidden").write_text("x")
    (tmp_path / "~$lock.docx").write_text("x")
    (tmp_path / "sub").mkdir()
    files, dups = drop_duplicates(discover_reports(tmp_path))
    assert [f.name for f in files] == ["a.txt", "b.txt"]
    assert dups == {"c.txt": "a.txt"}
    assert files[0].content_hash == sha256_of(tmp_path / "a.txt") and files[0].report_id == files[0].content_hash[:16]

    previous = {"a.txt": files[0].content_hash, "b.txt": "0" * 64, "gone.txt": "1" * 64}
    changes = compare(files, previous, dups)
    assert (changes.new, changes.changed, changes.unchanged, changes.removed) == (
        [],
        ["b.txt"],
        ["a.txt"],
        ["gone.txt"],
    )
    assert changes.describe().startswith("0 new, 1 changed, 1 removed, 1 unchanged")


def test_discover_names_a_missing_folder(tmp_path: Path):
    from jixiao.pipeline.discover import discover_reports

    with pytest.raises(FileNotFoundError, match="nope"):
        discover_reports(tmp_path / "nope")


def test_batches_balance_work_and_stay_bounded():
    from jixiao.pipeline.extraction import MAX_BATCH, batches_of

    items = list(range(1000))
    batches = batches_of(items, workers=2)
    assert [x for b in batches for x in b] == items
    assert max(len(b) for b in batches) <= MAX_BATCH and len(batches) >= 8
    assert batches_of(list(range(5)), workers=2) == [[0], [1], [2], [3], [4]]
    assert batches_of([], workers=2) == []


def test_only_transient_errors_are_retried():
    import duckdb as ddb

    from jixiao.pipeline.tasks import RefreshFailed, _is_transient

    assert _is_transient(OSError("disk hiccup"))
    assert _is_transient(ddb.IOException("Could not set lock on file"))
    assert not _is_transient(FileNotFoundError("gone"))
    assert not _is_transient(RefreshFailed("dbt_build", "model failed"))
    assert not _is_transient(ValueError("bad data"))


# --------------------------------------------------------------------------- cache
def test_cache_lines_rebuild_the_same_seeds_as_landing(tmp_path: Path):
    """Seeds assembled from cached lines equal what ``write_landed_seeds`` writes for the same reports."""
    from jixiao.extract import extract_file
    from jixiao.landing.seeds import write_landed_seeds
    from jixiao.pipeline.cache import ExtractionCache, extract_to_cache, write_seeds_from_cache
    from jixiao.pipeline.discover import discover_reports

    reports = tmp_path / "reports"
    reports.mkdir()
    for f in sample_files():
        shutil.copy2(f, reports / f.name)
    files = [(f.name, f.path, f.content_hash) for f in discover_reports(reports)]
    cache = ExtractionCache(tmp_path / "cache", version="v-test")
    metas = extract_to_cache(files[:2], cache)
    assert [m.source_file for m in metas] == [f[0] for f in files[:2]] and all(m.extracted for m in metas)
    assert all(cache.has(h) for _, _, h in files[:2])

    counts, metas = write_seeds_from_cache(files, cache, tmp_path / "from_cache")
    assert sum(m.extracted for m in metas) == len(files) - 2  # the rest was extracted on the spot
    write_landed_seeds([extract_file(p) for _, p, _ in files], tmp_path / "direct")
    for seed, n in counts.items():
        direct = (tmp_path / "direct" / f"{seed}.csv").read_text(encoding="utf-8")
        assembled = (tmp_path / "from_cache" / f"{seed}.csv").read_text(encoding="utf-8")
        assert sorted(csv.reader(io.StringIO(assembled))) == sorted(csv.reader(io.StringIO(direct))), seed
        assert n == len(list(csv.reader(io.StringIO(direct)))) - 1

    renamed = [("renamed.txt", files[0][1], files[0][2])]
    write_seeds_from_cache(renamed, cache, tmp_path / "renamed")
    with (tmp_path / "renamed" / "landed_reports.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["source_file"] for r in rows] == ["renamed.txt"]


def test_cache_ignores_other_versions_and_corrupt_entries(tmp_path: Path):
    from jixiao.pipeline.cache import CachedReport, ExtractionCache

    old = ExtractionCache(tmp_path, version="old")
    old.put(
        CachedReport("a.txt", "a" * 64, "txt-tab", "loaded", None, {"landed_reports": 1}, {"landed_reports": "x\n"})
    )
    new = ExtractionCache(tmp_path, version="new")
    assert new.get("a" * 64) is None and old.get("a" * 64).rows == {"landed_reports": 1}
    new.dir.mkdir(parents=True)
    new.path("b" * 64).write_text("{not json", encoding="utf-8")
    assert new.get("b" * 64) is None
    assert new.prune_other_versions() == 1 and not old.dir.exists()


def test_extractor_version_follows_the_code(tmp_path: Path, monkeypatch):
    import jixiao.pipeline.cache as cache_mod

    v1 = cache_mod.extractor_version()
    assert v1 == cache_mod.extractor_version()
    monkeypatch.setattr("jixiao.extract.EXTRACTOR_VERSION", "changed-for-test")
    assert cache_mod.extractor_version() != v1


# --------------------------------------------------------------------------- Prefect
@pytest.mark.slow
def test_parallel_extraction_in_a_process_pool(tmp_path: Path, prefect_harness):
    from prefect.task_runners import ProcessPoolTaskRunner

    from jixiao.pipeline.cache import ExtractionCache
    from jixiao.pipeline.discover import discover_reports
    from jixiao.pipeline.extraction import batches_of, extract_in_parallel, write_batches

    reports = tmp_path / "reports"
    reports.mkdir()
    for f in sample_files():
        shutil.copy2(f, reports / f.name)
    (reports / "broken.pdf").write_bytes(b"not a pdf at all")
    files = [(f.name, f.path, f.content_hash) for f in discover_reports(reports)]
    cache = ExtractionCache(tmp_path / "cache", version="v-test")
    batches = batches_of(files, workers=2)
    assert len(batches) > 2
    batches_file = write_batches(batches, tmp_path / "batches.json")
    results = extract_in_parallel.with_options(task_runner=ProcessPoolTaskRunner(max_workers=2))(
        str(batches_file), str(cache.root), cache.version
    )
    by_name = {r.source_file: r for r in results}
    assert sorted(by_name) == sorted(f[0] for f in files)
    assert by_name["broken.pdf"].status == "quarantined" and by_name["broken.pdf"].status_reason
    assert all(by_name[f.name].status == "loaded" for f in sample_files())
    assert all(cache.has(h) for _, _, h in files), "workers write the cache"
    assert all(r.seeds == {} for r in results), "only metadata travels back from the workers"


@pytest.mark.slow
def test_run_summary_is_a_markdown_artifact(base_warehouse: Warehouse):
    import httpx
    from prefect.settings import get_current_settings

    from jixiao.pipeline.refresh import ARTIFACT_KEY
    from jixiao.pipeline.runs import read_runs

    assert base_warehouse.cli_exit == 0
    body = {"limit": 200, "offset": 0, "sort": "CREATED_DESC"}
    response = httpx.post(f"{get_current_settings().api.url}/artifacts/filter", json=body, timeout=30)
    response.raise_for_status()
    run_id = read_runs(base_warehouse.db)[0]["run_id"]
    mine = [a for a in response.json() if a["key"] == ARTIFACT_KEY and run_id in (a.get("data") or "")]
    assert len(mine) == 1 and mine[0]["type"] == "markdown"
    assert "Rows per table" in mine[0]["data"] and "Time per step" in mine[0]["data"]


@pytest.mark.slow
def test_pipeline_tables_describe_the_published_files(base_warehouse: Warehouse):
    with duckdb.connect(str(base_warehouse.db), read_only=True) as con:
        files = con.execute("SELECT source_file, report_id, status FROM pipeline_files ORDER BY 1").fetchall()
        reports = con.execute("SELECT source_file, report_id FROM dim_report ORDER BY 1").fetchall()
        cols = {r[0] for r in con.execute("DESCRIBE pipeline_runs").fetchall()}
    assert [(f, r) for f, r, _ in files] == reports
    assert {
        "run_id",
        "started_at",
        "finished_at",
        "status",
        "reports_new",
        "reports_changed",
        "reports_unchanged",
        "reports_removed",
        "reports_quarantined",
        "fact_rows",
        "quality_checks_failed",
    } <= cols
