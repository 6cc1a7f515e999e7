"""Incremental dbt builds equal full rebuilds.

One warehouse goes through add → change → delete: each step is built incrementally from the
previous step's warehouse (``build_warehouse(start_from=...)``) and, separately, in full from the
same landed seeds; every contract table (dim_*, fct_*, mart_*, data_quality_issues) must hold the
same rows (order-insensitive, duplicates counted).  The corpus: the five samples and generated
reports of a few units over several years, so that reports share departments and cross-report
ranking and conflicts are exercised; the changes move a report to another department and alter
figures that other reports of its unit also state.
"""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

import duckdb
import pytest

from jixiao.landing.seeds import write_landed_seeds
from jixiao.model import ReportExtraction
from jixiao.warehouse.dbt_runner import build_warehouse, can_start_from, changed_report_ids

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
N_GENERATED = 20


def contract_tables(db: Path) -> list[str]:
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(
            "select table_name from duckdb_tables() where schema_name = 'main' and ("
            "table_name like 'dim\\_%' escape '\\' or table_name like 'fct\\_%' escape '\\' "
            "or table_name like 'mart\\_%' escape '\\' or table_name = 'data_quality_issues') order by 1"
        ).fetchall()
    return [r[0] for r in rows]


def differences(incremental: Path, full: Path) -> dict[str, tuple[int, int]]:
    """Per contract table: (rows only in the incremental build, rows only in the full one), if any."""
    tables = contract_tables(full)
    assert len(tables) >= 13, tables
    assert contract_tables(incremental) == tables
    out = {}
    with duckdb.connect() as con:
        con.execute(f"attach '{incremental}' as inc (read_only)")
        con.execute(f"attach '{full}' as full_build (read_only)")
        for t in tables:
            a = con.execute(f"select count(*) from (from inc.main.{t} except all from full_build.main.{t})").fetchone()
            b = con.execute(f"select count(*) from (from full_build.main.{t} except all from inc.main.{t})").fetchone()
            assert a is not None and b is not None
            if a[0] or b[0]:
                out[t] = (a[0], b[0])
    return out


@pytest.fixture(scope="module")
def extractions(tmp_path_factory) -> list[ReportExtraction]:
    from jixiao.bench.corpus import generate_corpus
    from jixiao.extract import extract_file

    corpus = tmp_path_factory.mktemp("corpus")
    generate_corpus(corpus, N_GENERATED, seed=11, workers=1, mix="sample")
    files = sorted((ROOT / "data" / "reports").iterdir()) + sorted((corpus / "reports").iterdir())
    out = [extract_file(f) for f in files]
    loaded = [ex for ex in out if ex.status == "loaded"]
    assert len(loaded) >= 20, [(ex.source_file, ex.status, ex.status_reason) for ex in out]
    return out


def land_and_build(exs: list[ReportExtraction], work: Path, name: str, start_from: Path | None) -> Path:
    seeds = work / f"seeds-{name}"
    write_landed_seeds(exs, seeds)
    db = work / f"{name}.duckdb"
    result = build_warehouse(
        db,
        landing_mode="native",
        seeds_dir=seeds,
        target_dir=work / "target",
        extra_args=["--quiet"],
        start_from=start_from,
    )
    assert result.success, result.summary()
    assert result.incremental == (start_from is not None), result.summary()
    return db


def scaled(values: dict, factor: float, offset: float = 0.0) -> dict:
    """Every amount and headcount times ``factor`` plus ``offset``."""
    return {
        k: (v * factor + offset if k in ("amount_wan", "total_wan", "headcount") and v is not None else v)
        for k, v in values.items()
    }


def moved_and_altered(ex: ReportExtraction) -> ReportExtraction:
    """The report as a corrected re-issue: another unit's name, and every amount 1 万元 higher."""
    header = dataclasses.replace(ex.header, department_name="测试省测试县测试局", unit_key=None)
    facts = [dataclasses.replace(f, values=scaled(f.values, 1, 1)) for f in ex.facts]
    return dataclasses.replace(ex, header=header, facts=facts, content_hash=ex.content_hash + "-v2")


def altered_amounts(ex: ReportExtraction) -> ReportExtraction:
    """The same report (same id, same unit) with every amount and headcount doubled."""
    facts = [dataclasses.replace(f, values=scaled(f.values, 2)) for f in ex.facts]
    return dataclasses.replace(ex, facts=facts, content_hash=ex.content_hash + "-v2")


def reissue(ex: ReportExtraction) -> ReportExtraction:
    """A later report of the same unit and year stating the same facts with other amounts: it is
    preferred to ``ex`` in every fact table, and each differing figure is a cross-report conflict."""
    content_hash = hashlib.sha256(f"reissue {ex.content_hash}".encode()).hexdigest()
    year = ex.header.fiscal_year or 2020
    header = dataclasses.replace(ex.header, report_date=f"{year + 2}-12-30")
    facts = [dataclasses.replace(f, values=scaled(f.values, 1, 3)) for f in ex.facts]
    return dataclasses.replace(
        ex, source_file="reissue_" + ex.source_file, content_hash=content_hash, header=header, facts=facts
    )


def shares_department(exs: list[ReportExtraction], ex: ReportExtraction) -> bool:
    key = ex.header.unit_key
    return key is not None and sum(1 for o in exs if o.status == "loaded" and o.header.unit_key == key) > 1


def table_count(db: Path, sql: str) -> int:
    with duckdb.connect(str(db), read_only=True) as con:
        row = con.execute(sql).fetchone()
    assert row is not None
    return int(row[0])


def test_add_change_delete_equal_full_rebuild(extractions, tmp_path):
    first = extractions[:-4]
    loaded = [ex for ex in first if ex.status == "loaded" and ex.header.fiscal_year and ex.facts]
    original = next(ex for ex in loaded if any(f.table == "fct_budget" for f in ex.facts))
    later = reissue(original)
    added = [*extractions[-4:], later]

    # a full first build
    w0 = land_and_build(first, tmp_path, "w0", None)
    assert changed_report_ids(w0) is None
    # only a warehouse built by this very dbt project (same models, macros, versions) is a starting point
    assert can_start_from(w0)
    assert not can_start_from(w0, "another-project-version")
    assert not can_start_from(tmp_path / "missing.duckdb")

    # add five reports, one of them preferred to a report already built
    step1 = first + added
    w1 = land_and_build(step1, tmp_path, "w1", w0)
    assert changed_report_ids(w1) == {ex.report_id for ex in added}
    assert differences(w1, land_and_build(step1, tmp_path, "f1", None)) == {}
    assert table_count(w1, f"select count(*) from fct_budget where report_id = '{original.report_id}'") == 0
    assert table_count(w1, "select count(*) from data_quality_issues where \"check\" = 'cross_report_conflict'") > 0

    # change two reports: one moves to another unit, the one set aside states other figures
    movable = next(ex for ex in reversed(loaded) if ex is not original and shares_department(step1, ex))
    step2 = [moved_and_altered(ex) if ex is movable else altered_amounts(ex) if ex is original else ex for ex in step1]
    w2 = land_and_build(step2, tmp_path, "w2", w1)
    assert changed_report_ids(w2) == {movable.report_id, original.report_id}
    assert differences(w2, land_and_build(step2, tmp_path, "f2", None)) == {}
    assert table_count(w2, "select count(*) from dim_department") == (
        table_count(w1, "select count(*) from dim_department") + 1
    )  # the new unit

    # delete three reports: the preferred re-issue (the original is kept again) and two others
    kept = {original.report_id, movable.report_id, later.report_id}
    others = [ex for ex in step2 if ex.report_id not in kept]
    gone = {later.report_id, others[0].report_id, others[-1].report_id}
    step3 = [ex for ex in step2 if ex.report_id not in gone]
    w3 = land_and_build(step3, tmp_path, "w3", w2)
    assert changed_report_ids(w3) == gone
    assert differences(w3, land_and_build(step3, tmp_path, "f3", None)) == {}
    assert table_count(w3, f"select count(*) from fct_budget where report_id = '{original.report_id}'") > 0

    # nothing changed: nothing rebuilt, same rows
    w4 = land_and_build(step3, tmp_path, "w4", w3)
    assert changed_report_ids(w4) == set()
    assert differences(w4, w3) == {}
