"""A folder mixing every format with a few bad files refreshes into one warehouse: every good report
loaded with its gold facts, every bad file quarantined with its reason (issue: formats)."""
from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

from conftest import SAMPLE_REPORTS, run_refresh_cli
from fixture_writers import write_docx, write_html, write_pdf, write_scanned_pdf, write_text
from gold_compare import load_gold, row_matches
from layout_converters import to_web
from jixiao.readers.text import read_text

pytestmark = pytest.mark.slow

SAMPLES = sorted(p.name for p in SAMPLE_REPORTS.glob("*.txt"))


def _doc(name: str):
    return read_text((SAMPLE_REPORTS / name).read_text(encoding="utf-8"), name)


@pytest.fixture(scope="module")
def mixed(prefect_harness, tmp_path_factory) -> tuple[Path, dict[str, str]]:
    folder = tmp_path_factory.mktemp("mixed") / "reports"
    folder.mkdir()
    stem = [n[:-4] for n in SAMPLES]
    written = {
        write_docx(_doc(SAMPLES[0]), folder / f"{stem[0]}.docx").name: SAMPLES[0],
        write_html(_doc(SAMPLES[1]), folder / f"{stem[1]}.html", encoding="gbk").name: SAMPLES[1],
        write_pdf(_doc(SAMPLES[2]), folder / f"{stem[2]}.pdf").name: SAMPLES[2],
        write_text(_doc(SAMPLES[3]), folder / f"{stem[3]}.txt", "gb18030").name: SAMPLES[3],
    }
    (folder / f"{stem[4]}-web.txt").write_text(to_web(_doc(SAMPLES[4])), encoding="utf-8")
    written[f"{stem[4]}-web.txt"] = SAMPLES[4]
    (folder / "empty.txt").write_bytes(b"")
    (folder / "garbage.docx").write_bytes(os.urandom(2048))
    (folder / "budget.xlsx").write_bytes(b"PK\x03\x04" + os.urandom(100))
    write_scanned_pdf(folder / "scan.pdf")
    db = folder.parent / "wh" / "jixiao.duckdb"
    code, out = run_refresh_cli(folder, db)
    assert code == 0, out
    return db, written


def _rows(db: Path, sql: str) -> list[dict]:
    with duckdb.connect(str(db), read_only=True) as con:
        cur = con.execute(sql)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r)) for r in cur.fetchall()]


def test_good_reports_load_and_bad_files_are_quarantined_with_reasons(mixed) -> None:
    db, written = mixed
    reports = {r["source_file"]: r for r in _rows(db, "select * from dim_report")}
    assert {f for f, r in reports.items() if r["status"] == "loaded"} == set(written)
    bad = {f: r["status_reason"] for f, r in reports.items() if r["status"] == "quarantined"}
    assert set(bad) == {"empty.txt", "garbage.docx", "budget.xlsx", "scan.pdf"}
    assert "empty" in bad["empty.txt"]
    assert "no text layer" in bad["scan.pdf"]
    assert all(reason and f in reason for f, reason in bad.items()), bad


def test_every_format_yields_the_gold_facts(mixed) -> None:
    db, written = mixed
    for source_file, sample in written.items():
        gold = load_gold(sample.replace(".txt", ".json"))
        dept = _rows(db, f"select department_id, fiscal_year from dim_report where source_file = '{source_file}'")[0]
        assert dept["fiscal_year"] == gold["fiscal_year"]
        for fact in gold["facts"]:
            rows = [{"table": fact["table"], **r} for r in _rows(
                db, f"select * from {fact['table']} where department_id = '{dept['department_id']}'")]
            assert any(row_matches(fact, r) for r in rows), (source_file, fact)
