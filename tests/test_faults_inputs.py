"""Fault suite, part 1: hostile and odd input files (issue #13) — no refresh needed.

Every case asserts what a person sees: the value left out with a finding, or the file quarantined
with a reason that names the cause or the limit hit; never an exception, never a lost good file.
"""

from __future__ import annotations

import os
import random
import time
import zipfile
from io import BytesIO
from pathlib import Path

import pytest
from conftest import sample_files

SAMPLE = sample_files()[0]
GOOD_ROW = "公用经费\n\t181.97\n\t250.03"


def _with_cell(tmp_path: Path, value: str) -> Path:
    text = SAMPLE.read_text(encoding="utf-8")
    assert GOOD_ROW in text, "the sample's layout changed: pick another row"
    path = tmp_path / f"cell-{abs(hash(value))}.txt"
    path.write_text(text.replace(GOOD_ROW, f"公用经费\n\t181.97\n\t{value}", 1), encoding="utf-8")
    return path


# --------------------------------------------------------------------------- numbers
@pytest.mark.parametrize("cell", ["1,2,3", "7,00.0,77", "12.3412.56", "1,234.561,234.56", "9" * 400])
def test_a_money_cell_that_is_not_one_number_is_left_out_with_a_finding(tmp_path: Path, cell: str):
    from jixiao.extract import extract_file

    ex = extract_file(_with_cell(tmp_path, cell))
    assert ex.status == "loaded", ex.status_reason  # one bad cell never quarantines the report
    public = sorted(f.values["amount_wan"] for f in ex.facts if f.values.get("item_label_zh") == "公用经费")
    before = sorted(
        f.values["amount_wan"] for f in extract_file(SAMPLE).facts if f.values.get("item_label_zh") == "公用经费"
    )
    assert before == [181.97, 250.03, 250.03] and public == [181.97, 250.03], public  # only that cell left out
    found = [f for f in ex.findings if f.check == "ambiguous_cell" and "not one well-formed number" in f.message]
    assert len(found) == 1 and found[0].prov is not None and found[0].prov.row is not None


def test_parse_amount_never_raises_and_reads_only_well_formed_numbers():
    from jixiao.text.numbers import malformed_number, parse_amount

    assert parse_amount("1,234,567.89").value == 1234567.89
    assert parse_amount("１，２３４. ５").value == 1234.5
    assert parse_amount("12.5万元").unit == "万元"
    for bad in ["1,2,3", "7,00.0,77", "1,234.5,678", "9" * 400, "1" * 16, "١٢٣", "1.2.3", "12,34"]:
        assert parse_amount(bad) is None, bad
        assert malformed_number(bad) or not any(c in "0123456789" for c in bad), bad
    rng = random.Random(13)
    alphabet = "0123456789,.，。-+ 万元%人\u3000\x00ⅣⅫ¹²①e"
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        amount = parse_amount(text)  # must not raise
        if amount is not None:
            assert amount.value == amount.value and abs(amount.value) < 1e16


# --------------------------------------------------------------------------- bounded cost
def test_a_docx_zip_bomb_is_refused_before_inflating(tmp_path: Path):
    from jixiao.extract import extract_file

    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("word/document.xml", "w", force_zip64=True) as member:
            block = b"<w:p/>" * (1 << 16)
            for _ in range(64):  # 24 MiB of XML in a ~30 KiB file
                member.write(block)
    assert bomb.stat().st_size < 200_000
    started = time.perf_counter()
    ex = extract_file(bomb)
    assert time.perf_counter() - started < 2
    assert ex.status == "quarantined"
    assert "zip bomb" in ex.status_reason and "limit: compression ratio" in ex.status_reason


def test_a_docx_with_entity_expansion_is_not_expanded(tmp_path: Path):
    import docx

    from jixiao.extract import extract_file

    buf = BytesIO()
    d = docx.Document()
    d.add_paragraph("PLACEHOLDER")
    d.save(buf)
    laughs = (
        '<!DOCTYPE w:document [<!ENTITY a "ha">'
        + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9))
        + "]>"
    )
    src = zipfile.ZipFile(BytesIO(buf.getvalue()))
    out = tmp_path / "laughs.docx"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/document.xml":
                text = data.decode("utf-8")
                head, rest = text.split("?>", 1)
                data = (head + "?>" + laughs + rest.replace("PLACEHOLDER", "&j;")).encode("utf-8")
            z.writestr(item, data)
    started = time.perf_counter()
    ex = extract_file(out)  # 10^9 "ha" if entities were expanded
    assert time.perf_counter() - started < 5
    assert ex.status == "quarantined"  # nothing of a report in it; what matters: no expansion, no hang


def test_deeply_nested_html_is_read_without_recursion(tmp_path: Path):
    from jixiao.readers.html_reader import read_html

    deep = "<html><body>" + "<div>" * 10000 + "2024年度 深处的文字" + "</div>" * 10000 + "</body></html>"
    doc = read_html(deep.encode("utf-8"), "deep.html")
    assert any("深处的文字" in b.text for b in doc.blocks)
    nested = "<table><tr><td>外</td><td>" * 200 + "核心" + "</td></tr></table>" * 200
    tables = "<html><body>" + nested + "</body></html>"
    doc = read_html(tables.encode("utf-8"), "tables.html")
    assert doc.blocks


def test_an_encrypted_pdf_is_quarantined_as_encrypted(tmp_path: Path):
    pypdf = pytest.importorskip("pypdf")
    from jixiao.extract import extract_file

    writer = pypdf.PdfWriter()
    writer.add_blank_page(300, 300)
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="AES-128")
    path = tmp_path / "locked.pdf"
    with path.open("wb") as fh:
        writer.write(fh)
    ex = extract_file(path)
    assert ex.status == "quarantined" and "encrypted PDF" in ex.status_reason


def test_a_pdf_over_the_page_cap_names_the_limit(monkeypatch):
    from jixiao.readers import limits
    from jixiao.readers.errors import UnreadableReport

    monkeypatch.setattr(limits, "MAX_PDF_PAGES", 3)
    with pytest.raises(UnreadableReport, match=r"limit: 3 pages"):
        limits.check_page_count(4, "long.pdf")


def test_per_file_time_and_memory_limits_quarantine_with_the_limit_named(tmp_path: Path, monkeypatch):
    import jixiao.extract
    import jixiao.pipeline.cache as cache_mod
    from jixiao.pipeline.cache import ExtractionCache, extract_to_cache
    from jixiao.pipeline.discover import sha256_of

    slow, greedy, good = tmp_path / "slow.txt", tmp_path / "greedy.txt", tmp_path / "good.txt"
    for p in (slow, greedy, good):
        p.write_bytes(SAMPLE.read_bytes() + p.name.encode())
    real = jixiao.extract.extract_file

    def hostile(path):
        if Path(path).name == "slow.txt":
            time.sleep(5)
        if Path(path).name == "greedy.txt":
            raise MemoryError()
        return real(path)

    monkeypatch.setattr(jixiao.extract, "extract_file", hostile)
    monkeypatch.setattr(cache_mod, "FILE_TIME_LIMIT_S", 0.5)
    started = time.perf_counter()
    results = extract_to_cache(
        [(p.name, p, sha256_of(p)) for p in (slow, greedy, good)], ExtractionCache(tmp_path / "cache", "v")
    )
    assert time.perf_counter() - started < 4
    by_name = {r.source_file: r for r in results}
    assert "limit: time" in by_name["slow.txt"].status_reason
    assert "limit: memory" in by_name["greedy.txt"].status_reason
    assert by_name["good.txt"].status == "loaded"


# --------------------------------------------------------------------------- every file accounted for
def test_discovery_walks_subfolders_and_accounts_for_every_entry(tmp_path: Path, monkeypatch):
    import jixiao.pipeline.discover as discover_mod

    root = tmp_path / "reports"
    (root / "2024" / "deep").mkdir(parents=True)
    (root / "a.txt").write_text("一")
    (root / "2024" / "b.txt").write_text("二")
    (root / "2024" / "deep" / "c.txt").write_text("三")
    (root / "locked.txt").write_text("四")
    (root / "inside.txt").symlink_to(root / "a.txt")
    (root / "loop").symlink_to(root)  # a folder link back into the folder: not walked twice
    outside = tmp_path / "elsewhere.txt"
    outside.write_text("外")
    (root / "out.txt").symlink_to(outside)
    (root / "gone.txt").symlink_to(tmp_path / "missing.txt")
    os.mkfifo(root / "pipe.txt")
    (root / ".hidden.txt").write_text("x")

    real = discover_mod.sha256_of

    def denied(path: Path) -> str:  # tests run as root: chmod 000 would not stop the read
        if path.name == "locked.txt":
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(discover_mod, "sha256_of", denied)
    found = discover_mod.discover(root)
    files = {f.name: f for f in found.files}
    assert set(files) == {"a.txt", "2024/b.txt", "2024/deep/c.txt", "locked.txt", "inside.txt", "gone.txt", "pipe.txt"}
    assert files["2024/deep/c.txt"].unreadable is None
    assert "Permission denied" in files["locked.txt"].unreadable
    assert "dangling symbolic link" in files["gone.txt"].unreadable
    assert "FIFO" in files["pipe.txt"].unreadable
    assert files["inside.txt"].content_hash == files["a.txt"].content_hash  # a duplicate, listed as such
    assert set(found.skipped) == {"out.txt"} and "leading out of the reports folder" in found.skipped["out.txt"]
    assert len({f.content_hash for f in found.files if f.unreadable}) == 3  # distinct report ids


def test_unreadable_files_are_cached_as_quarantined_without_being_opened(tmp_path: Path):
    from jixiao.pipeline.cache import ExtractionCache, quarantine_to_cache

    os.mkfifo(tmp_path / "pipe.txt")  # opening it would block forever
    entry = quarantine_to_cache(
        "pipe.txt",
        "ab" * 32,
        "pipe.txt: a named pipe (FIFO), not a report file",
        ExtractionCache(tmp_path / "cache", "v"),
    )
    assert entry.status == "quarantined" and "FIFO" in entry.status_reason
    assert entry.rows["landed_reports"] == 1


def test_a_report_deleted_mid_run_keeps_its_discovered_identity(tmp_path: Path):
    from jixiao.pipeline.cache import ExtractionCache, extract_to_cache
    from jixiao.pipeline.discover import sha256_of

    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    gone = tmp_path / "gone.txt"
    gone.write_bytes(SAMPLE.read_bytes())
    files = [(p.name, p, sha256_of(p)) for p in (empty, gone)]
    gone.unlink()  # deleted between discovery and extraction
    cache = ExtractionCache(tmp_path / "cache", "v")
    results = extract_to_cache(files, cache)
    assert [r.content_hash for r in results] == [h for _, _, h in files]
    assert len({r.report_id for r in results}) == 2  # no two reports share the id of empty bytes
    assert "disappeared" in results[1].status_reason and not cache.has(files[1][2])
