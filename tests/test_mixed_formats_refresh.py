"""A folder mixing every format with a few bad files refreshes into one warehouse: every good report
loaded with its gold facts, every bad file quarantined with its reason (issue: formats).

Besides .txt/.docx/.html/.pdf: a .doc converted by LibreOffice, a standard budget workbook
(.xlsx), a scanned PDF (two pages of attached tables, read by OCR) and a .zip bundle holding an
.html, a GBK-named .txt and a bad member."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import duckdb
import pytest
from conftest import SAMPLE_REPORTS, run_refresh_cli
from fixture_writers import write_docx, write_html, write_pdf, write_scanned_pdf, write_text
from gold_compare import load_gold, row_matches
from layout_converters import to_web
from scan_writer import write_image_pdf
from workbook_writer import UNIT, YEAR, convert, write_budget_workbook

from jixiao.model import Document, Paragraph
from jixiao.readers.office import soffice_binary
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
    _add_issue_15_formats(folder, stem, written)
    db = folder.parent / "wh" / "jixiao.duckdb"
    code, out = run_refresh_cli(folder, db)
    assert code == 0, out
    return db, written


NEW_LOADED = {"部门预算.xlsx", "附表扫描件.pdf"}
BAD_MEMBER = "bundle.zip/坏文件.docx"


def _attachment_pages(name: str) -> Document:
    """The attached tables of a sample (from its 附件1-1 on): a short document to scan."""
    doc = _doc(name)
    start = next(i for i, b in enumerate(doc.blocks) if isinstance(b, Paragraph) and b.text.startswith("附件1"))
    return Document(name, doc.blocks[start:], doc.file_format)


def _add_issue_15_formats(folder: Path, stem: list[str], written: dict[str, str]) -> None:
    import io

    work = folder.parent / "work"
    work.mkdir()
    if soffice_binary() is not None:
        doc = convert(write_docx(_doc(SAMPLES[0]), work / f"{stem[0]}-legacy.docx"), "doc:MS Word 97")
        doc.rename(folder / doc.name)
        written[doc.name] = SAMPLES[0]
    write_budget_workbook(folder / "部门预算.xlsx")
    write_image_pdf(_attachment_pages(SAMPLES[3]), folder / "附表扫描件.pdf")
    members = {
        "b.html": write_html(_doc(SAMPLES[1]), work / "b.html").read_bytes(),
        "绩效自评报告.txt": (SAMPLE_REPORTS / SAMPLES[4]).read_text(encoding="utf-8").encode("gb18030"),
        "坏文件.docx": b"PK\x03\x04 not a word file",
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            info = zipfile.ZipInfo(name)
            if name == "绩效自评报告.txt":  # stored in GBK without the UTF-8 flag
                info = _GbkInfo(name)
            archive.writestr(info, data)
    (folder / "bundle.zip").write_bytes(buf.getvalue())
    written["bundle.zip/b.html"] = SAMPLES[1]
    written["bundle.zip/绩效自评报告.txt"] = SAMPLES[4]


class _GbkInfo(zipfile.ZipInfo):
    """A member name stored in GBK without the UTF-8 flag, as Chinese Windows zips it."""

    def _encodeFilenameFlags(self):
        return self.filename.encode("gbk"), self.flag_bits & ~0x800


def _rows(db: Path, sql: str) -> list[dict]:
    with duckdb.connect(str(db), read_only=True) as con:
        cur = con.execute(sql)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r)) for r in cur.fetchall()]


def test_good_reports_load_and_bad_files_are_quarantined_with_reasons(mixed) -> None:
    db, written = mixed
    reports = {r["source_file"]: r for r in _rows(db, "select * from dim_report")}
    assert {f for f, r in reports.items() if r["status"] == "loaded"} == set(written) | NEW_LOADED
    bad = {f: r["status_reason"] for f, r in reports.items() if r["status"] == "quarantined"}
    assert set(bad) == {"empty.txt", "garbage.docx", "budget.xlsx", "scan.pdf", BAD_MEMBER}
    assert "empty" in bad["empty.txt"]
    assert "no text layer" in bad["scan.pdf"]
    assert all(reason and f in reason for f, reason in bad.items()), bad


def test_every_format_yields_the_gold_facts(mixed) -> None:
    db, written = mixed
    missing = []
    for source_file, sample in written.items():
        gold = load_gold(sample.replace(".txt", ".json"))
        dept = _rows(db, f"select department_id, fiscal_year from dim_report where source_file = '{source_file}'")[0]
        assert dept["fiscal_year"] == gold["fiscal_year"]
        for fact in gold["facts"]:
            rows = [
                {"table": fact["table"], **r}
                for r in _rows(db, f"select * from {fact['table']} where department_id = '{dept['department_id']}'")
            ]
            if not any(row_matches(fact, r) for r in rows):
                missing.append((source_file, fact))
    assert not missing, missing


def test_workbook_and_scan_load_with_their_facts(mixed) -> None:
    db, _ = mixed
    book = _rows(db, "select * from dim_report where source_file = '部门预算.xlsx'")[0]
    assert (book["fiscal_year"], book["department_name_as_written"]) == (YEAR, UNIT)
    codes = {
        r["subject_code"]
        for r in _rows(
            db, f"select subject_code from fct_budget_by_function where department_id = '{book['department_id']}'"
        )
    }
    assert {"201", "20103", "2010301", "合计"} <= codes
    scan = _rows(db, "select * from dim_report where source_file = '附表扫描件.pdf'")[0]
    assert scan["file_format"] == "pdf-ocr" and 0.9 <= scan["ocr_confidence"] <= 1.0
    three = _rows(db, f"select * from fct_three_public_expenses where report_id = '{scan['report_id']}'")
    assert three and all("[OCR page" in (r["prov_text"] or "") for r in three)
    others = _rows(db, "select ocr_confidence from dim_report where source_file <> '附表扫描件.pdf'")
    assert all(r["ocr_confidence"] is None for r in others)
