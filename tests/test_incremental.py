"""Incremental refreshes: the warehouse follows the reports folder, and unchanged reports are never
extracted again.  One warehouse goes through add → change → delete → no change, in order."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
from conftest import Warehouse, sample_files

pytestmark = pytest.mark.slow

FACT_TABLES = (
    "fct_budget",
    "fct_spending",
    "fct_projects",
    "fct_three_public_expenses",
    "fct_indicator_scores",
    "fct_staffing",
    "fct_budget_by_function",
)


def report_ids_by_file(db: Path) -> dict[str, str]:
    with duckdb.connect(str(db), read_only=True) as con:
        return dict(con.execute("SELECT source_file, report_id FROM dim_report").fetchall())


def fact_report_ids(db: Path) -> set[str]:
    with duckdb.connect(str(db), read_only=True) as con:
        ids: set[str] = set()
        for table in FACT_TABLES:
            ids |= {r[0] for r in con.execute(f"SELECT DISTINCT report_id FROM {table}").fetchall()}
    return ids


def last_run(db: Path) -> dict:
    from jixiao.pipeline.runs import read_runs

    return read_runs(db)[-1]


@pytest.fixture()
def extraction_spy(monkeypatch):
    """Records the files ``extract_file`` is called on (and still extracts them)."""
    import jixiao.extract

    calls: list[str] = []
    real = jixiao.extract.extract_file

    def spy(path):
        calls.append(Path(path).name)
        return real(path)

    monkeypatch.setattr(jixiao.extract, "extract_file", spy)
    return calls


def test_base_refresh_records_every_report_as_new(base_warehouse: Warehouse):
    assert base_warehouse.cli_exit == 0, base_warehouse.cli_stdout
    files = sorted(p.name for p in base_warehouse.reports.iterdir())
    assert sorted(report_ids_by_file(base_warehouse.db)) == files
    run = last_run(base_warehouse.db)
    assert (run["status"], run["reports_new"], run["reports_unchanged"], run["reports_extracted"]) == (
        "published",
        len(files),
        0,
        len(files),
    )
    assert run["fact_rows"]["dim_report"] == len(files)
    assert fact_report_ids(base_warehouse.db) <= set(report_ids_by_file(base_warehouse.db).values())


def test_add_change_delete_then_nothing(warehouse: Warehouse, extraction_spy: list[str], prefect_harness):
    from jixiao.pipeline.refresh import refresh

    db, reports = warehouse.db, warehouse.reports
    initial = sorted(p.name for p in reports.iterdir())
    n = len(initial)

    # add: the one sample report not yet in the folder
    added = sample_files()[-1]
    shutil.copy2(added, reports / added.name)
    summary = refresh(reports_dir=str(reports), db_path=str(db), landing="native")
    assert summary["status"] == "published"
    assert extraction_spy == [added.name], "only the new report may be extracted"
    run = last_run(db)
    assert (
        run["reports_new"],
        run["reports_changed"],
        run["reports_removed"],
        run["reports_unchanged"],
        run["reports_extracted"],
    ) == (1, 0, 0, n, 1)
    ids = report_ids_by_file(db)
    assert added.name in ids and len(ids) == n + 1
    assert ids[added.name] in fact_report_ids(db)

    # change: same file name, new bytes
    changed = initial[0]
    old_id = ids[changed]
    with (reports / changed).open("ab") as fh:
        fh.write(b"\n")
    extraction_spy.clear()
    refresh(reports_dir=str(reports), db_path=str(db), landing="native")
    assert extraction_spy == [changed]
    run = last_run(db)
    assert (run["reports_new"], run["reports_changed"], run["reports_removed"], run["reports_unchanged"]) == (
        0,
        1,
        0,
        n,
    )
    ids = report_ids_by_file(db)
    assert ids[changed] != old_id
    assert old_id not in set(ids.values()) | fact_report_ids(db), "the old version's facts must be gone"
    assert ids[changed] in fact_report_ids(db)

    # delete
    deleted = initial[1]
    deleted_id = ids[deleted]
    (reports / deleted).unlink()
    extraction_spy.clear()
    refresh(reports_dir=str(reports), db_path=str(db), landing="native")
    assert extraction_spy == []
    run = last_run(db)
    assert (run["reports_new"], run["reports_changed"], run["reports_removed"], run["reports_unchanged"]) == (
        0,
        0,
        1,
        n,
    )
    ids = report_ids_by_file(db)
    assert deleted not in ids and deleted_id not in fact_report_ids(db)
    assert len(ids) == n

    # nothing changed: nothing extracted, the warehouse carried over with one more run recorded
    summary = refresh(reports_dir=str(reports), db_path=str(db), landing="native")
    assert extraction_spy == []
    assert summary["status"] == "unchanged"
    from jixiao.pipeline.summary import RefreshSummary

    assert f"0 new, 0 changed, 0 removed, {n} unchanged" in RefreshSummary.from_dict(summary).to_text()
    run = last_run(db)
    assert (run["status"], run["reports_extracted"], run["reports_unchanged"]) == ("unchanged", 0, n)
    assert report_ids_by_file(db) == ids

    from jixiao.pipeline.runs import read_runs

    statuses = [r["status"] for r in read_runs(db)]
    assert statuses == ["published", "published", "published", "published", "unchanged"], "history carried over"


def test_rebuild_takes_reports_from_the_cache(warehouse: Warehouse, extraction_spy: list[str], prefect_harness):
    """A forced rebuild with no change extracts only the report whose cache entry was lost."""
    import json

    from jixiao.pipeline.cache import ExtractionCache
    from jixiao.pipeline.paths import cache_root
    from jixiao.pipeline.refresh import refresh

    before = report_ids_by_file(warehouse.db)
    cache = ExtractionCache(cache_root(warehouse.db))
    entries = sorted(cache.dir.glob("*.json"))
    assert len(entries) == len(before)
    lost = json.loads(entries[0].read_text(encoding="utf-8"))["source_file"]
    entries[0].unlink()
    summary = refresh(
        reports_dir=str(warehouse.reports), db_path=str(warehouse.db), landing="native", full_rebuild=True
    )
    assert summary["status"] == "published"
    assert extraction_spy == [lost]
    assert summary["reports_extracted"] == 1
    assert report_ids_by_file(warehouse.db) == before
    assert cache.has(entries[0].stem), "the re-extracted report is cached again"
