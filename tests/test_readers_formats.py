"""Format readers: .docx, .html, .pdf and legacy text encodings, and the read_document dispatcher.

Unit tests build small documents by hand; round-trip tests write every sample report in
``data/reports/`` in each format with :mod:`fixture_writers` and read it back.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from pathlib import Path

import docx
import pytest
from conftest import SAMPLE_FORMATS
from docx.enum.text import WD_BREAK
from fixture_writers import (
    WRITERS,
    table_layout,
    to_html,
    write_docx,
    write_html,
    write_pdf,
    write_scanned_pdf,
    write_text,
)
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas

from jixiao.model import Document, Paragraph, Table
from jixiao.readers import UnreadableReport, read_document
from jixiao.readers.docx_reader import read_docx
from jixiao.readers.html_reader import read_html
from jixiao.readers.pdf_reader import join_wrapped, normalize_chars
from jixiao.readers.text import read_text
from jixiao.text.encoding import decode_bytes

SAMPLES = sorted((Path(__file__).parent.parent / "data" / "reports").glob("*.txt"))
LONG_CELL = "根据年初预算安排和全年执行情况综合评定预算执行率得分"


def _norm(text: str) -> str:
    """Compare texts up to white space and compatibility characters."""
    return re.sub(r"\s+", "", normalize_chars(text))


def _shape(document: Document) -> list[tuple[str, object]]:
    out: list[tuple[str, object]] = []
    for block in document.blocks:
        if isinstance(block, Paragraph):
            out.append(("P", _norm(block.text)))
        else:
            out.append(("T", [[_norm(cell) for cell in row] for row in block.rows]))
    return out


def _table(rows: list[list[str]], spans: list[list[int]] | None = None) -> Table:
    return Table(index=0, rows=rows, spans=spans)


def _doc(*blocks) -> Document:
    return Document(source_file="handmade.txt", blocks=list(blocks), file_format="txt-tab")


# An indicator table as a Word TAB export gives it: level cells once, "" below them.
INDICATORS = _table(
    [
        ["一级指标", "二级指标", "三级指标", "指标值", "分值", "得分"],
        ["产出指标（50分）", "数量指标", "工资发放人数", "58人", "10", "10"],
        ["", "", "地方收入增幅", "8%", "10", "10"],
        ["", "质量指标", "工资发放及时率", "100%", "10", "10"],
        ["效益指标（30分）", "社会效益指标", "预算单位集中支付覆盖率", "100%", "30", "28"],
        ["总分", "100", "98"],
    ]
)


# ----------------------------------------------------------------------------------------
# encodings
# ----------------------------------------------------------------------------------------

TEXT = "2024年度部门整体支出绩效评价报告\n一、部门基本情况：编制数58人，实有人数61人。"


@pytest.mark.parametrize(
    "encoding, expected",
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-sig"),
        ("gb18030", "gb18030"),
        ("gbk", "gb18030"),
        ("gb2312", "gb18030"),
        ("utf-16", "utf-16"),
    ],
)
def test_decode_bytes_detects_encoding(encoding: str, expected: str) -> None:
    text, used = decode_bytes(TEXT.encode(encoding))
    assert used == expected
    assert text == TEXT


def test_decode_bytes_tells_big5_from_gb18030() -> None:
    traditional = "二零二四年度部門整體支出績效評價報告。本單位編制人數五十八人，實有人數六十一人，預算執行率百分之百。"
    data = traditional.encode("big5")
    data.decode("gb18030")  # the Big5 bytes are also valid GB18030: validity alone cannot decide
    text, used = decode_bytes(data)
    assert used == "big5"
    assert text == traditional


def test_big5_text_report_is_read_and_simplified(tmp_path: Path) -> None:
    path = tmp_path / "big5.txt"
    path.write_bytes(
        "部門整體支出績效評價報告\n本單位編制人數五十八人，實有人數六十一人，預算執行率百分之百。\n".encode("big5")
    )
    document = read_document(path)
    assert document.encoding == "big5"
    assert "部门整体支出绩效评价报告" in document.paragraphs()[0].text


# ----------------------------------------------------------------------------------------
# .docx
# ----------------------------------------------------------------------------------------


def _handmade_docx() -> bytes:
    """A Word file built directly with python-docx: merges, a two-paragraph cell, a nested table."""
    word = docx.Document()
    word.add_paragraph("附件1")
    word.add_paragraph("绩效自评表")
    grid = word.add_table(rows=4, cols=4)
    grid.cell(0, 0).text, grid.cell(0, 1).text, grid.cell(0, 2).text, grid.cell(0, 3).text = (
        "一级",
        "二级",
        "分值",
        "得分",
    )
    top = grid.cell(1, 0).merge(grid.cell(2, 0))  # vertical merge
    top.text = "产出指标"
    grid.cell(1, 1).text, grid.cell(1, 2).text, grid.cell(1, 3).text = "数量指标", "10", "10"
    cell = grid.cell(2, 1)
    cell.text = "质量指标"
    cell.add_paragraph("（含时效）")
    grid.cell(2, 2).text, grid.cell(2, 3).text = "5", "4"
    wide = grid.cell(3, 1).merge(grid.cell(3, 3))  # horizontal merge
    grid.cell(3, 0).text = "说明"
    wide.text = ""
    nested = wide.add_table(rows=1, cols=2)
    nested.cell(0, 0).text, nested.cell(0, 1).text = "内嵌", "表格"
    paragraph = word.add_paragraph("结论：良好")
    paragraph.add_run().add_break(WD_BREAK.LINE)
    paragraph.add_run("下一行")
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def test_docx_reader_resolves_merges_once_and_keeps_order() -> None:
    document = read_docx(_handmade_docx(), "x.docx")
    kinds = [type(b).__name__ for b in document.blocks]
    assert kinds == ["Paragraph", "Paragraph", "Table", "Paragraph"]
    table = document.tables()[0]
    assert table.rows == [
        ["一级", "二级", "分值", "得分"],
        ["产出指标", "数量指标", "10", "10"],
        ["", "质量指标\n（含时效）", "5", "4"],
        ["说明", "内嵌 表格"],
    ]
    assert table.spans == [[1, 1, 1, 1], [1, 1, 1, 1], [1, 1, 1, 1], [1, 3]]
    assert table.caption == "绩效自评表"
    assert document.blocks[3].text == "结论：良好\n下一行"
    assert [b.index for b in document.blocks] == [0, 1, 2, 3]


def test_docx_writer_merges_cells_in_word(tmp_path: Path) -> None:
    path = write_docx(_doc(Paragraph(0, "自评表"), INDICATORS), tmp_path / "x.docx")
    xml = zipfile.ZipFile(path).read("word/document.xml").decode("utf-8")
    assert xml.count('w:vMerge w:val="restart"') == 2  # 产出指标 and 数量指标 continue below
    assert "w:gridSpan" in xml  # the 总分 row is spread over the grid
    assert read_document(path).tables()[0].rows == INDICATORS.rows


# ----------------------------------------------------------------------------------------
# .html
# ----------------------------------------------------------------------------------------

HANDMADE_HTML = """<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<script>var hidden = "脚本文字";</script><style>td {color: red}</style></head><body>
<header>门户网站</header><nav>首页 | 政务公开</nav>
<p>附件2</p><p>绩效自评表</p>
<table><tbody>
<tr><th rowspan="3">绩效<br>指标</th><th>一级指标</th><th colspan="2">二级指标</th></tr>
<tr><td rowspan="2">产出指标</td><td>数量</td><td>10</td></tr>
<tr><td>质量</td><td>5</td></tr>
<tr><td>总分</td><td colspan="3">100</td></tr>
</tbody></table>
<div>结论：<b>良好</b><br>下一行</div><div style="display:none">隐藏文字</div>
<footer>版权所有</footer><script>alert("页脚脚本")</script></body></html>"""


def test_html_reader_grid_paragraphs_and_dropped_parts() -> None:
    document = read_html(HANDMADE_HTML.encode("gb18030"), "x.html")
    assert document.encoding == "gb18030"
    table = document.tables()[0]
    assert table.rows == [
        ["绩效\n指标", "一级指标", "二级指标"],
        ["", "产出指标", "数量", "10"],
        ["", "", "质量", "5"],
        ["总分", "100"],
    ]
    assert table.spans == [[1, 1, 2], [1, 1, 1, 1], [1, 1, 1, 1], [1, 3]]
    assert table.caption == "绩效自评表"
    paragraphs = [p.text for p in document.paragraphs()]
    assert paragraphs == ["附件2", "绩效自评表", "结论：良好", "下一行"]
    everything = " ".join(paragraphs) + str(table.rows)
    for dropped in ("脚本", "门户网站", "首页", "版权所有", "隐藏文字", "color"):
        assert dropped not in everything


def test_html_writer_page_has_chrome_that_the_reader_drops(tmp_path: Path) -> None:
    page = to_html(_doc(Paragraph(0, "自评表"), INDICATORS))
    assert "<script>" in page and "<nav>" in page and 'rowspan="2"' in page and "colspan=" in page
    path = write_html(_doc(Paragraph(0, "自评表"), INDICATORS), tmp_path / "x.html", encoding="gbk")
    document = read_document(path)
    assert document.encoding == "gb18030"
    assert _shape(document) == _shape(_doc(Paragraph(0, "自评表"), INDICATORS))


# ----------------------------------------------------------------------------------------
# .pdf
# ----------------------------------------------------------------------------------------


def test_join_wrapped_lines() -> None:
    assert join_wrapped(["预算执行", "率得分"]) == "预算执行率得分"
    assert join_wrapped(["1151.575", "446"]) == "1151.575446"
    assert join_wrapped(["performance", "evaluation"]) == "performance evaluation"
    assert join_wrapped(["1.保证乡镇运转；", "2.建设基础设施"]) == "1.保证乡镇运转；\n2.建设基础设施"


def test_normalize_chars_keeps_cjk_punctuation() -> None:
    assert normalize_chars("⼀级指标（５０分）：ﬁ") == "一级指标（50分）：fi"


def test_pdf_cells_wrap_and_merges_resolve(tmp_path: Path) -> None:
    table = _table(
        [
            ["项目", "说明", "分值", "得分", "备注", "偏差", "原因", "措施"],
            ["预算执行率", LONG_CELL, "10", "9.5", "", "", "", ""],
        ]
    )
    document = read_document(write_pdf(_doc(Paragraph(0, "表一"), table, INDICATORS), tmp_path / "x.pdf"))
    first, second = document.tables()
    assert LONG_CELL in first.rows[1]  # wrapped onto several lines in the PDF, joined back
    assert second.rows == INDICATORS.rows  # vertical merges: once, "" below
    assert second.caption == ""  # INDICATORS follows a table, not a paragraph
    assert document.paragraphs()[0].text == "表一"


def _long_table(rows: int) -> Table:
    return _table(
        [["序号", "项目名称", "预算数", "执行数"]]
        + [
            [str(i), f"项目{i}：{LONG_CELL[: i % 20 + 4]}", f"{i * 1.5:.2f}", f"{i * 1.25:.2f}"]
            for i in range(1, rows + 1)
        ]
    )


@pytest.mark.parametrize("repeat_header", [True, False])
def test_pdf_table_across_page_breaks_is_stitched(tmp_path: Path, repeat_header: bool) -> None:
    table = _long_table(90)
    source = _doc(Paragraph(0, "附表：项目支出明细"), table, Paragraph(0, "以上数据来源于决算报表。"))
    path = write_pdf(source, tmp_path / "long.pdf", repeat_header=repeat_header)
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        assert len(pdf.pages) >= 3  # the table really crosses page breaks
    document = read_document(path)
    assert [type(b).__name__ for b in document.blocks] == ["Paragraph", "Table", "Paragraph"]
    assert document.tables()[0].rows == table.rows  # header once, rows in order
    assert all("- " not in p.text for p in document.paragraphs())  # page numbers dropped


def test_pdf_paragraph_cut_by_page_break_is_joined(tmp_path: Path) -> None:
    long_text = "全年预算执行情况良好，各项资金按进度拨付到位。" * 40
    source = _doc(*[Paragraph(0, f"第{i}段：{long_text}") for i in range(1, 5)])
    document = read_document(write_pdf(source, tmp_path / "prose.pdf"))
    assert _shape(document) == _shape(source)


def test_pdf_fake_bold_duplicates_removed(tmp_path: Path) -> None:
    path = tmp_path / "bold.pdf"
    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    canvas = Canvas(str(path), pagesize=A4, invariant=1)
    canvas.setFont("STSong-Light", 14)
    for dx in (0, 0.3):  # the way some PDF printers fake bold: the same glyphs twice, nudged
        canvas.drawString(72 + dx, 700, "部门整体支出绩效评价报告")
    canvas.setFont("STSong-Light", 10.5)
    canvas.drawString(72, 670, "评价结论：良好。")
    canvas.save()
    document = read_document(path)
    assert [p.text for p in document.paragraphs()] == ["部门整体支出绩效评价报告", "评价结论：良好。"]


# ----------------------------------------------------------------------------------------
# dispatcher and bad files
# ----------------------------------------------------------------------------------------


def test_read_document_fills_hash_format_and_encoding(tmp_path: Path) -> None:
    path = write_text(_doc(Paragraph(0, "绩效自评报告"), INDICATORS), tmp_path / "gb.txt", "gb18030")
    document = read_document(path)
    assert document.content_hash == hashlib.sha256(path.read_bytes()).hexdigest()
    assert (document.file_format, document.encoding) == ("txt-tab", "gb18030")
    assert document.source_file == "gb.txt"
    assert document.tables()[0].rows == INDICATORS.rows


def test_content_decides_over_extension(tmp_path: Path) -> None:
    html_as_txt = tmp_path / "page.txt"
    html_as_txt.write_text(HANDMADE_HTML, encoding="utf-8")
    document = read_document(html_as_txt)
    assert document.file_format == "html"
    assert any("named .txt" in w for w in document.warnings)
    docx_as_doc = tmp_path / "report.doc"
    docx_as_doc.write_bytes(_handmade_docx())
    assert read_document(docx_as_doc).file_format == "docx"


def _corrupt_docx(path: Path) -> None:
    path.write_bytes(_handmade_docx()[:1500])


def _not_a_zip_docx(path: Path) -> None:
    path.write_bytes(bytes(range(256)) * 8)


def _legacy_doc(path: Path) -> None:
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2000)


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _unknown(path: Path) -> None:
    path.write_text("编制数,58\n", encoding="utf-8")


def _scanned(path: Path) -> None:
    write_scanned_pdf(path)


def _docx_without_word_part(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")


@pytest.mark.parametrize(
    "name, make, reason",
    [
        ("report.pptx", _unknown, "unsupported file type '.pptx'"),
        ("report.csv", _unknown, "unsupported file type '.csv'"),
        ("empty.txt", _empty, "empty file"),
        ("scan.pdf", _scanned, "scanned PDF: no text layer"),
        ("broken.docx", _corrupt_docx, "corrupt"),
        ("noise.docx", _not_a_zip_docx, "not a valid .docx"),
        ("sheet.docx", _docx_without_word_part, "unreadable xlsx file"),  # content decides: read as a workbook
        ("old.doc", _legacy_doc, "neither a Word nor an Excel document"),
    ],
)
def test_bad_files_raise_unreadable_report(tmp_path: Path, name: str, make, reason: str) -> None:
    path = tmp_path / name
    make(path)
    with pytest.raises(UnreadableReport) as caught:
        read_document(path)
    assert reason in caught.value.reason
    assert caught.value.reason.startswith(name)


def test_writers_are_deterministic(tmp_path: Path) -> None:
    source = _doc(Paragraph(0, "自评表"), INDICATORS, Paragraph(0, "结论：良好。"))
    for name, writer in WRITERS.items():
        first = writer(source, tmp_path / f"a.{name}").read_bytes()
        second = writer(source, tmp_path / f"b.{name}").read_bytes()
        assert first == second, name


def test_layout_spreads_short_rows_and_marks_vertical_merges() -> None:
    width, placed = table_layout(INDICATORS)
    assert width == 6
    assert [(c.col, c.span) for c in placed[5]] == [(0, 1), (1, 2), (3, 3)]
    assert [c.covered for c in placed[2][:3]] == [True, True, False]
    assert placed[1][0].rowspan == 3  # 产出指标 covers its two "" rows below
    assert placed[4][0].covered is False


# ----------------------------------------------------------------------------------------
# round trips over the sample reports
# ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", SAMPLE_FORMATS)
@pytest.mark.parametrize("sample", SAMPLES, ids=[p.stem[:3] for p in SAMPLES])
def test_sample_round_trip(written_sample, sample: Path, fmt: str) -> None:
    original = read_text(sample.read_text(encoding="utf-8"), sample.name)
    written = written_sample(sample.name, fmt)
    back = read_document(written)
    assert _shape(back) == _shape(original)
    assert [_norm(t.caption) for t in back.tables()] == [_norm(t.caption) for t in original.tables()]


def test_lone_bar_cells_keep_their_empty_cells() -> None:
    """Each cell then a lone "|"; an empty cell is a blank line and its "|"; "|||" lines part rows."""
    lines = ["某某站2022年“三公”经费预算表", "单位：万元", "||||"]
    rows = [
        ["项目", "2021年执行数", "2022年预算数"],
        ["合计", "", "4.5"],
        ["公务接待费", "1.2", ""],
        ["公务用车运行维护费", "2.3", "3"],
        ["因公出国（境）费", "0", "0"],
    ]
    for row in rows:
        for cell in row:
            lines += [cell, "|"]
        lines.append("|||")
    doc = read_text("\n".join(lines) + "\n", "bars.txt")
    tables = doc.tables()
    assert len(tables) == 1
    assert tables[0].rows == rows
