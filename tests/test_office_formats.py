"""Legacy Word (.doc/.wps), Excel workbooks (.xlsx/.xls) and .zip bundles (issue: formats).

Fixtures are made once per session: the sample reports written as .docx and converted to .doc
by LibreOffice (on first use; the fast tier converts one sample); our own standard 部门预算 workbook as .xlsx and (by LibreOffice) .xls; bundles
holding several formats, a bad member, a GBK-named member and a nested archive.
"""

from __future__ import annotations

import io
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import SAMPLE_REPORTS
from fixture_writers import write_docx, write_html
from gold_compare import compare, flatten, load_gold
from workbook_writer import UNIT, YEAR, convert, expected_facts, write_budget_workbook

from jixiao.extract import extract_file
from jixiao.pipeline.bundles import expand_bundles
from jixiao.pipeline.discover import discover_reports
from jixiao.readers import office, read_document
from jixiao.readers.bundle import archive_problem, member_name
from jixiao.readers.spreadsheet import Grid, format_number, grid_blocks
from jixiao.readers.text import read_text

SAMPLES = sorted(SAMPLE_REPORTS.glob("*.txt"))


def _sample(path: Path):
    return read_text(path.read_text(encoding="utf-8"), path.name)


def _facts(extraction) -> list[dict]:
    rows = [flatten(f) for f in extraction.facts]
    return sorted(rows, key=repr)


@pytest.fixture(scope="session")
def doc_files(tmp_path_factory) -> Callable[[str], tuple[Path, Path]]:
    """sample name → (.docx, .doc converted from it by LibreOffice), each made once, on first use."""
    if office.soffice_binary() is None:
        pytest.skip("LibreOffice not installed (make sysdeps)")
    folder = tmp_path_factory.mktemp("doc")
    made: dict[str, tuple[Path, Path]] = {}

    def doc_file(name: str) -> tuple[Path, Path]:
        if name not in made:
            sample = SAMPLE_REPORTS / name
            docx = write_docx(_sample(sample), folder / f"{sample.stem}.docx")
            made[name] = (docx, convert(docx, "doc:MS Word 97"))
        return made[name]

    return doc_file


@pytest.fixture(scope="session")
def workbooks(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("workbook")
    xlsx = write_budget_workbook(folder / "budget.xlsx")
    out = {"xlsx": xlsx}
    if office.soffice_binary() is not None:
        out["xls"] = convert(xlsx, "xls")
    return out


# --------------------------------------------------------------------------- .doc / .wps
# every LibreOffice conversion costs seconds: the fast tier converts the first sample only
@pytest.mark.parametrize(
    "sample", [pytest.param(p.name, marks=[pytest.mark.slow] if i else []) for i, p in enumerate(SAMPLES)]
)
def test_doc_gives_the_same_facts_as_docx(doc_files, sample: str) -> None:
    docx, doc = doc_files(sample)
    from_doc, from_docx = extract_file(doc), extract_file(docx)
    assert from_doc.status == "loaded", from_doc.status_reason
    assert from_doc.file_format == "doc"
    assert _facts(from_doc) == _facts(from_docx)
    gold = compare(from_doc, load_gold(sample.replace(".txt", ".json")))
    assert not gold.wrong and gold.found == compare(from_docx, load_gold(sample.replace(".txt", ".json"))).found
    assert gold.recall >= 0.98, gold.report()


def test_doc_tables_keep_merged_cells(doc_files) -> None:
    docx, doc = doc_files(SAMPLES[0].name)
    tables_doc, tables_docx = read_document(doc).tables(), read_document(docx).tables()
    assert [t.rows for t in tables_doc] == [t.rows for t in tables_docx]
    assert any(span > 1 for t in tables_doc for row in (t.spans or []) for span in row)


def test_wps_file_is_read_like_doc(doc_files, tmp_path: Path) -> None:
    _, doc = doc_files(SAMPLES[0].name)
    wps = tmp_path / "report.wps"
    shutil.copy(doc, wps)
    assert _facts(extract_file(wps)) == _facts(extract_file(doc))


def test_doc_without_libreoffice_falls_back_to_plain_text(doc_files, monkeypatch) -> None:
    _, doc = doc_files(SAMPLES[0].name)
    monkeypatch.setattr(office, "soffice_binary", lambda: None)
    document = read_document(doc)
    assert document.file_format == "doc-text"
    assert any("antiword" in w for w in document.warnings)
    assert "2024" in "".join(b.text for b in document.paragraphs())


def test_conversion_timeout_is_a_clear_reason(monkeypatch) -> None:
    if office.soffice_binary() is None:
        pytest.skip("LibreOffice not installed")
    with pytest.raises(office.UnreadableReport, match=r"x\.doc: LibreOffice did not convert"):
        office.convert_with_libreoffice(b"\xd0\xcf\x11\xe0" + b"\0" * 600, "x.doc", ".doc", "docx", timeout=0.01)


# --------------------------------------------------------------------------- workbooks
def test_numbers_are_written_without_float_noise() -> None:
    assert format_number(1211.5700000000002) == "1211.57"
    assert format_number(18841500.0) == "18841500"
    assert format_number(0.855, percent=True) == "85.5%"
    assert format_number(1e-05) == "0.00001"


def test_merged_ranges_resolve_like_word() -> None:
    grid = Grid(
        "s",
        [["收支总表", "", ""], ["单位：元", "", ""], ["项目", "金额", ""], ["", "上年", "本年"], ["合计", "1", "2"]],
        [(0, 0, 0, 2), (2, 0, 3, 0), (2, 1, 2, 2)],
    )
    blocks = grid_blocks(grid)
    assert [b.text for b in blocks[:2]] == ["收支总表", "单位：元"]
    table = blocks[2]
    assert table.caption == "收支总表"
    assert table.rows == [["项目", "金额"], ["", "上年", "本年"], ["合计", "1", "2"]]
    assert table.spans == [[1, 2], [1, 1, 1], [1, 1, 1]]


@pytest.mark.parametrize("kind", ["xlsx", "xls"])
def test_standard_budget_workbook_yields_every_fact(workbooks, kind: str) -> None:
    if kind not in workbooks:
        pytest.skip("LibreOffice not installed (no .xls fixture)")
    extraction = extract_file(workbooks[kind])
    assert extraction.status == "loaded", extraction.status_reason
    assert extraction.file_format == kind
    assert (extraction.header.department_name, extraction.header.fiscal_year) == (UNIT, YEAR)
    assert extraction.header.document_kind == "budget_statement"
    complete = ["fct_budget", "fct_budget_by_function", "fct_three_public_expenses"]
    gold = {"facts": expected_facts(), "complete": complete}
    result = compare(extraction, gold, check_header=False)
    assert result.ok(), result.report()
    codes = {f.key["subject_code"] for f in extraction.facts if f.table == "fct_budget_by_function"}
    assert {len(c) for c in codes - {"合计"}} == {3, 5, 7}
    assert all(f.prov.row is not None and f.prov.text for f in extraction.facts)


def test_workbook_without_unit_line_gives_no_money_and_a_finding(tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    ws.append([f"{UNIT}{YEAR}年部门支出总表"])
    ws.append(["科目编码", "科目名称", "合计", "基本支出", "项目支出"])
    ws.append(["", "合计", 1000, 600, 400])
    ws.append(["201", "一般公共服务支出", 1000, 600, 400])
    book.save(tmp_path / "nounit.xlsx")
    extraction = extract_file(tmp_path / "nounit.xlsx")
    assert not [f for f in extraction.facts if f.table.startswith("fct_budget")]
    assert any(f.check == "unit_unknown" for f in extraction.findings)


# --------------------------------------------------------------------------- bundles
class _GbkInfo(zipfile.ZipInfo):
    """A member whose name is stored in GBK without the UTF-8 flag, as Chinese Windows zips it."""

    def _encodeFilenameFlags(self):
        return self.filename.encode("gbk"), self.flag_bits & ~0x800


def _zip(members: dict[str, bytes], gbk: set[str] = frozenset()) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            info = _GbkInfo(name) if name in gbk else zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buf.getvalue()


@pytest.fixture(scope="session")
def bundle_folder(tmp_path_factory, workbooks) -> Path:
    folder = tmp_path_factory.mktemp("bundle") / "reports"
    folder.mkdir()
    work = folder.parent / "work"
    work.mkdir()
    docx = write_docx(_sample(SAMPLES[0]), work / "a.docx").read_bytes()
    html = write_html(_sample(SAMPLES[1]), work / "b.html", encoding="gbk").read_bytes()
    gbk_text = SAMPLES[3].read_text(encoding="utf-8").encode("gb18030")
    members = {
        "报告/整体支出绩效评价.docx": docx,
        "b.html": html,
        "预算/部门预算.xlsx": workbooks["xlsx"].read_bytes(),
        "绩效自评报告.txt": gbk_text,
        "broken.docx": b"PK\x03\x04 not really a word file",
        "inner.zip": _zip({"x.txt": b"nested"}),
        "__MACOSX/._b.html": b"\0\0",
        ".DS_Store": b"\0",
    }
    (folder / "bundle.zip").write_bytes(_zip(members, gbk={"绩效自评报告.txt"}))
    (folder / "traversal.zip").write_bytes(_zip({"../../etc/evil.txt": b"x"}))
    (folder / "bomb.zip").write_bytes(_zip({"zeros.txt": b"\0" * (3 * 2**20)}))
    (folder / "crowd.zip").write_bytes(_zip({f"m{i}.txt": b"x" for i in range(600)}))
    return folder


def test_gbk_member_names_are_decoded(bundle_folder: Path) -> None:
    with zipfile.ZipFile(bundle_folder / "bundle.zip") as archive:
        names = [member_name(i) for i in archive.infolist()]
    assert "绩效自评报告.txt" in names and "报告/整体支出绩效评价.docx" in names


def test_hostile_archives_are_named(bundle_folder: Path) -> None:
    assert archive_problem((bundle_folder / "bundle.zip").read_bytes()) is None
    assert "path traversal" in archive_problem((bundle_folder / "traversal.zip").read_bytes())
    assert "zip bomb" in archive_problem((bundle_folder / "bomb.zip").read_bytes())
    assert "600 members" in archive_problem((bundle_folder / "crowd.zip").read_bytes())


def test_bundle_members_become_reports(bundle_folder: Path, tmp_path: Path) -> None:
    files = expand_bundles(discover_reports(bundle_folder), tmp_path / "bundles")
    by_name = {f.name: f for f in files}
    members = {n for n in by_name if n.startswith("bundle.zip/")}
    assert members == {
        "bundle.zip/报告/整体支出绩效评价.docx",
        "bundle.zip/b.html",
        "bundle.zip/预算/部门预算.xlsx",
        "bundle.zip/绩效自评报告.txt",
        "bundle.zip/broken.docx",
        "bundle.zip/inner.zip",
    }
    assert {"traversal.zip", "bomb.zip", "crowd.zip"} <= set(by_name) and "bundle.zip" not in by_name
    results = {name: extract_file(by_name[name].path) for name in by_name}
    loaded = {n for n, r in results.items() if r.status == "loaded"}
    assert loaded == members - {"bundle.zip/broken.docx", "bundle.zip/inner.zip"}
    assert "nested archive" in results["bundle.zip/inner.zip"].status_reason
    assert "path traversal" in results["traversal.zip"].status_reason
    assert "zip bomb" in results["bomb.zip"].status_reason
    assert "members" in results["crowd.zip"].status_reason
    gold = compare(results["bundle.zip/绩效自评报告.txt"], load_gold(SAMPLES[3].name.replace(".txt", ".json")))
    assert gold.recall == 1.0 and not gold.wrong
    again = expand_bundles(discover_reports(bundle_folder), tmp_path / "bundles")  # same members, same hashes
    assert [(f.name, f.content_hash) for f in again] == [(f.name, f.content_hash) for f in files]


def test_final_accounts_workbook_gives_spending_and_actual_three_public(tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "三公"
    ws.append([f"{UNIT}2024年“三公”经费支出决算表", None, None, None, None])
    ws.merge_cells("A1:E1")
    ws.append([f"单位名称：{UNIT}", None, None, None, "单位：万元"])
    ws.append(["项目", "合计", "因公出国（境）费", "公务用车购置及运行费", "公务接待费"])
    ws.append(["预算数", 5, 0, 2.5, 2.5])
    ws.append(["决算数", 2.5, 0, 2.5, None])
    ws = book.create_sheet("支出")
    ws.append(["2024年部门支出决算表"])
    ws.append([f"单位名称：{UNIT}", None, None, None, "单位：万元"])
    ws.append(["科目编码", "科目名称", "合计", "基本支出", "项目支出"])
    ws.append([None, "合计", 2023.37, 1575.2, 448.17])
    ws.append(["201", "一般公共服务支出", 2023.37, 1575.2, 448.17])
    book.save(tmp_path / "决算.xlsx")
    extraction = extract_file(tmp_path / "决算.xlsx")
    assert (extraction.header.fiscal_year, extraction.header.document_kind) == (2024, "final_accounts_statement")
    got = {(f.table, tuple(sorted(f.key.items()))): f.values for f in extraction.facts}
    three = {k[1]: v["amount_wan"] for k, v in got.items() if k[0] == "fct_three_public_expenses"}
    assert three == {
        (("category", "total"), ("phase", "budget")): 5,
        (("category", "total"), ("phase", "actual")): 2.5,
        (("category", "overseas_travel"), ("phase", "budget")): 0,
        (("category", "overseas_travel"), ("phase", "actual")): 0,
        (("category", "vehicle_total"), ("phase", "budget")): 2.5,
        (("category", "vehicle_total"), ("phase", "actual")): 2.5,
        (("category", "reception"), ("phase", "budget")): 2.5,
    }
    spending = {dict(k[1])["item"]: v["amount_wan"] for k, v in got.items() if k[0] == "fct_spending"}
    assert spending == {"total": 2023.37, "basic": 1575.2, "project": 448.17}
    assert not [k for k in got if k[0] == "fct_budget"]
    functions = {dict(k[1])["subject_code"]: dict(k[1])["phase"] for k in got if k[0] == "fct_budget_by_function"}
    assert functions == {"201": "actual", "合计": "actual"}
