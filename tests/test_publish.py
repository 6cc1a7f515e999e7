"""Atomic publish: a failed refresh leaves the published warehouse byte-for-byte as it was, and the
next refresh publishes and records the failures; a reader of the old file keeps working."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import duckdb
import pytest
from conftest import Warehouse, sample_files

pytestmark = pytest.mark.slow


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def leftovers(db: Path) -> list[str]:
    return sorted(p.name for p in db.parent.iterdir() if ".building-" in p.name)


def add_report(wh: Warehouse) -> Path:
    new = sample_files()[-1]
    shutil.copy2(new, wh.reports / new.name)
    return new


def failing_gate(*args, **kwargs):
    """A gate whose critical expectation fails (after dbt has built the file)."""
    from jixiao.quality import ExpectationOutcome, GateResult

    bad = ExpectationOutcome(
        suite="published",
        table="dim_report",
        expectation="expect_injected_failure",
        severity="critical",
        success=False,
        message="injected critical failure",
    )
    return GateResult(run_id=args[1] if len(args) > 1 else "x", stage="all", results=[bad], docs_path=None)


def test_failures_leave_the_published_file_untouched_and_the_next_refresh_publishes(
    warehouse: Warehouse, monkeypatch, prefect_harness
):
    import jixiao.pipeline.tasks
    import jixiao.quality
    from jixiao.pipeline.refresh import RefreshFailed, refresh
    from jixiao.pipeline.runs import pending_failed_runs, read_runs

    db = warehouse.db
    published = sha256(db)
    runs_before = len(read_runs(db))
    new = add_report(warehouse)

    # 1. failure after extraction (landing breaks)
    def broken_landing(*args, **kwargs):
        raise RuntimeError("injected landing failure")

    with monkeypatch.context() as m:
        m.setattr(jixiao.pipeline.tasks, "write_seeds_from_cache", broken_landing)
        with pytest.raises(RefreshFailed) as err:
            refresh(reports_dir=str(warehouse.reports), db_path=str(db), landing="native")
    assert err.value.step == "land" and "injected landing failure" in err.value.reason
    assert sha256(db) == published
    assert leftovers(db) == []

    # 2. failure after dbt build: a critical expectation fails
    with monkeypatch.context() as m:
        m.setattr(jixiao.quality, "run_quality_gate", failing_gate)
        with pytest.raises(RefreshFailed) as err:
            refresh(reports_dir=str(warehouse.reports), db_path=str(db), landing="native")
    assert err.value.step == "quality_gate" and "injected critical failure" in err.value.reason
    assert sha256(db) == published
    assert leftovers(db) == []
    assert [r.status for r in pending_failed_runs(db)] == ["failed", "failed"]

    # 3. the next refresh succeeds; a reader holding the old file open keeps reading the old data
    reader = duckdb.connect(str(db), read_only=True)
    try:
        old_count = reader.execute("SELECT count(*) FROM dim_report").fetchone()[0]
        summary = refresh(reports_dir=str(warehouse.reports), db_path=str(db), landing="native")
        assert summary["status"] == "published"
        assert reader.execute("SELECT count(*) FROM dim_report").fetchone()[0] == old_count
    finally:
        reader.close()
    assert sha256(db) != published
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM dim_report").fetchone()[0] == old_count + 1
        assert con.execute("SELECT count(*) FROM dim_report WHERE source_file = ?", [new.name]).fetchone()[0] == 1
    runs = read_runs(db)
    assert len(runs) == runs_before + 3
    failed = [r for r in runs if r["status"] == "failed"]
    assert [r["status_reason"].split(":")[0] for r in failed] == ["land", "quality_gate"]
    assert runs[-1]["status"] == "published" and runs[-1]["reports_new"] == 1
    assert pending_failed_runs(db) == [], "the waiting failed runs are now in pipeline_runs"
    assert leftovers(db) == []


def test_dbt_failure_is_not_published(warehouse: Warehouse, monkeypatch, prefect_harness):
    import jixiao.warehouse.dbt_runner
    from jixiao.pipeline.refresh import RefreshFailed, refresh
    from jixiao.warehouse.dbt_runner import DbtResult, NodeFailure

    calls = []

    def failing_build(db_path, landing_mode="seed", **kwargs):
        calls.append(db_path)
        Path(db_path).write_bytes(b"half-built")
        return DbtResult(
            command="dbt build",
            success=False,
            failures=[NodeFailure("model.jixiao.fct_budget", "model", "error", "injected SQL error")],
        )

    monkeypatch.setattr(jixiao.warehouse.dbt_runner, "build_warehouse", failing_build)
    published = sha256(warehouse.db)
    add_report(warehouse)
    with pytest.raises(RefreshFailed) as err:
        refresh(reports_dir=str(warehouse.reports), db_path=str(warehouse.db), landing="native")
    assert err.value.step == "dbt_build" and "injected SQL error" in err.value.reason
    assert len(calls) == 1, "a failing model is not retried"
    assert sha256(warehouse.db) == published
    assert leftovers(warehouse.db) == []


def test_a_second_refresh_of_the_same_warehouse_is_refused(warehouse: Warehouse, prefect_harness):
    from jixiao.pipeline.refresh import RefreshFailed, refresh
    from jixiao.warehouse.publish import WarehouseLock, lock_path

    published = sha256(warehouse.db)
    add_report(warehouse)
    with WarehouseLock(lock_path(warehouse.db)), pytest.raises(RefreshFailed) as err:
        refresh(reports_dir=str(warehouse.reports), db_path=str(warehouse.db))
    assert err.value.step == "lock" and "another refresh" in err.value.reason
    assert sha256(warehouse.db) == published


def test_publish_replaces_atomically_and_discard_cleans_up(tmp_path: Path):
    from jixiao.warehouse.publish import building_path, discard, publish

    db = tmp_path / "w.duckdb"
    with duckdb.connect(str(db)) as con:
        con.execute("CREATE TABLE t AS SELECT 1 AS v")
    reader = duckdb.connect(str(db), read_only=True)
    building = building_path(db, "r1")
    with duckdb.connect(str(building)) as con:
        con.execute("CREATE TABLE t AS SELECT 2 AS v")
    publish(building, db)
    assert not building.exists()
    assert reader.execute("SELECT v FROM t").fetchone()[0] == 1  # the old file, still open
    reader.close()
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT v FROM t").fetchone()[0] == 2

    other = building_path(db, "r2")
    other.write_bytes(b"x")
    other.with_name(other.name + ".wal").write_bytes(b"y")
    discard(other)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w.duckdb", "w.duckdb.previous"]
    with duckdb.connect(str(tmp_path / "w.duckdb.previous"), read_only=True) as con:
        assert con.execute("SELECT v FROM t").fetchone()[0] == 1  # the last good warehouse is kept
