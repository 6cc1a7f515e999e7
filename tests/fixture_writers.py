"""Write a Document's blocks as .docx, .html, .pdf and re-encoded TAB text.

Used by the reader tests (round trips through each format) and reusable by anyone who
needs the sample reports in another format.  Every writer is deterministic: the same
blocks give the same bytes (fixed zip timestamps, reportlab ``invariant`` mode).

Layout of a ragged table row: when the reader gave ``spans`` they are used; otherwise a
row shorter than the table is spread over the grid (first cell one column, the rest
shared out).  In indicator-like tables (a cell mentions 指标) a ``""`` cell below a
non-empty cell at the same grid position, in the leading "level" columns, is written as a
vertical merge — the way the Word forms do it.
"""

from __future__ import annotations

import html
import io
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from jixiao.model import Document, Paragraph, Table

LEVEL_COLUMNS = 3  # leading grid columns where vertical merges are written
_FIXED_ZIP_TIME = (2024, 1, 1, 0, 0, 0)


@dataclass
class CellLayout:
    """Where one cell of the ragged grid sits in the full grid."""

    row: int
    col: int  # first grid column
    span: int  # grid columns covered
    text: str
    covered: bool = False  # True: continuation of a vertical merge (written empty, merged up)
    rowspan: int = 1  # rows covered, on the cell that starts a vertical merge


def grid_width(table: Table) -> int:
    """Columns of the full grid: the widest row, counting spans."""
    if table.spans:
        return max((sum(s) for s in table.spans), default=0)
    return table.width


def _row_spans(table: Table, r: int, width: int) -> list[int]:
    row = table.rows[r]
    if table.spans and r < len(table.spans) and len(table.spans[r]) == len(row):
        spans = list(table.spans[r])
    elif len(row) >= width:
        spans = [1] * len(row)
    elif len(row) == 1:
        spans = [width]
    else:
        rest, extra = divmod(width - 1, len(row) - 1)
        spans = [1] + [rest + (1 if i >= len(row) - 1 - extra else 0) for i in range(len(row) - 1)]
    spans[-1] += max(width - sum(spans), 0)  # no holes at the end of a row
    return spans


def _indicator_like(table: Table) -> bool:
    return any("指标" in cell for row in table.rows for cell in row)


def table_layout(table: Table) -> tuple[int, list[list[CellLayout]]]:
    """Grid width and the placed cells of each row, vertical merges marked."""
    width = grid_width(table)
    placed: list[list[CellLayout]] = []
    for r, row in enumerate(table.rows):
        col, cells = 0, []
        for text, span in zip(row, _row_spans(table, r, width)):
            cells.append(CellLayout(r, col, span, text))
            col += span
        placed.append(cells)
    if _indicator_like(table):
        _mark_vertical_merges(placed)
    return width, placed


def _mark_vertical_merges(placed: list[list[CellLayout]]) -> None:
    """Mark ``""`` cells at the start of a data row, in the leading level columns, as
    continuing the cell above them at the same grid position."""
    open_origins: dict[tuple[int, int], CellLayout] = {}  # (col, span) -> merge origin
    for r, cells in enumerate(placed):
        next_origins: dict[tuple[int, int], CellLayout] = {}
        in_prefix = True
        for i, cell in enumerate(cells):
            if cell.col >= LEVEL_COLUMNS:
                break
            key = (cell.col, cell.span)
            origin = open_origins.get(key)
            if in_prefix and not cell.text and origin and any(c.text for c in cells[i + 1 :]):
                cell.covered = True
                origin.rowspan += 1
                next_origins[key] = origin
                continue
            in_prefix = False
            if cell.text and r > 0:  # the header row is repeated on each page: never merged down
                next_origins[key] = cell
        open_origins = next_origins


# --------------------------------------------------------------------------------------
# .docx
# --------------------------------------------------------------------------------------


def _deterministic_zip(data: bytes) -> bytes:
    """Rewrite a zip package with fixed timestamps and entry order kept."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_FIXED_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


def _fill_docx_cell(cell, text: str) -> None:
    lines = text.split("\n")
    cell.paragraphs[0].text = lines[0]
    for line in lines[1:]:
        cell.add_paragraph(line)


def write_docx(document: Document, path: Path) -> Path:
    """Write the blocks as a Word document with real merged table cells."""
    import docx

    word = docx.Document()
    props = word.core_properties
    props.author, props.last_modified_by, props.revision = "jixiao fixtures", "jixiao fixtures", 1
    props.created = props.modified = datetime(2024, 1, 1)
    for block in document.blocks:
        if isinstance(block, Paragraph):
            word.add_paragraph(block.text)
            continue
        width, placed = table_layout(block)
        if width == 0:
            continue
        grid = word.add_table(rows=len(placed), cols=width)
        grid.style = "Table Grid"
        # python-docx's table.cell() walks the whole table each call: take the unmerged grid once,
        # write every origin cell, then merge (a merge moves no text from the empty covered cells)
        unmerged = [row.cells for row in grid.rows]
        origins = [cell for cells in placed for cell in cells if not cell.covered]
        for cell in origins:
            _fill_docx_cell(unmerged[cell.row][cell.col], cell.text)
        for cell in origins:
            if cell.span > 1 or cell.rowspan > 1:
                unmerged[cell.row][cell.col].merge(unmerged[cell.row + cell.rowspan - 1][cell.col + cell.span - 1])
        word.add_paragraph("")  # Word always keeps a paragraph between two tables
    buffer = io.BytesIO()
    word.save(buffer)
    path.write_bytes(_deterministic_zip(buffer.getvalue()))
    return path


# --------------------------------------------------------------------------------------
# .html
# --------------------------------------------------------------------------------------

_PAGE_HEAD = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="{charset}"><title>{title}</title>
<style>table{{border-collapse:collapse}} td,th{{border:1px solid #333;padding:2px 4px}}</style>
<script>window.analytics = {{page: "report"}}; document.title = "不应读出的脚本文字";</script>
</head><body>
<header><div class="logo">某某县人民政府门户网站</div></header>
<nav><a href="/">首页</a> | <a href="/zwgk">政务公开</a> | <a href="/czyjs">财政预决算</a></nav>
<div class="article">
"""
_PAGE_TAIL = """</div>
<footer>主办单位：某某县人民政府办公室　网站标识码 0000000000</footer>
<script>console.log("footer script")</script>
</body></html>
"""


def _html_text(text: str) -> str:
    return "<br>".join(html.escape(line) for line in text.split("\n"))


def to_html(document: Document, charset: str = "utf-8") -> str:
    """The blocks as an HTML page with a header, nav bar, footer and scripts around them."""
    parts = [_PAGE_HEAD.format(charset=charset, title=html.escape(Path(document.source_file).stem))]
    for block in document.blocks:
        if isinstance(block, Paragraph):
            parts.append(f"<p>{_html_text(block.text)}</p>\n")
            continue
        _, placed = table_layout(block)
        parts.append("<table>\n")
        for cells in placed:
            parts.append("<tr>")
            for cell in cells:
                if cell.covered:
                    continue
                attrs = (f' colspan="{cell.span}"' if cell.span > 1 else "") + (
                    f' rowspan="{cell.rowspan}"' if cell.rowspan > 1 else ""
                )
                parts.append(f"<td{attrs}>{_html_text(cell.text)}</td>")
            parts.append("</tr>\n")
        parts.append("</table>\n")
    parts.append(_PAGE_TAIL)
    return "".join(parts)


def write_html(document: Document, path: Path, encoding: str = "utf-8") -> Path:
    """Write the blocks as an HTML page (``encoding`` e.g. ``gbk`` is declared in a meta tag)."""
    path.write_bytes(to_html(document, charset=encoding).encode(encoding))
    return path


# --------------------------------------------------------------------------------------
# .pdf
# --------------------------------------------------------------------------------------

PDF_FONT = "STSong-Light"


def _pdf_styles():
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if PDF_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(PDF_FONT))
    body = ParagraphStyle("body", fontName=PDF_FONT, fontSize=10.5, leading=14, spaceAfter=6, wordWrap="CJK")
    cell = ParagraphStyle("cell", fontName=PDF_FONT, fontSize=9, leading=11, wordWrap="CJK")
    return body, cell


# STSong-Light's UniGB-UCS2-H CMap has no code for U+00B7 (reportlab then draws nothing);
# its katakana middle dot is drawn with the glyph that reads back as U+00B7.
PDF_SUBSTITUTES = str.maketrans({"\u00b7": "\u30fb"})


def _pdf_markup(text: str) -> str:
    text = text.translate(PDF_SUBSTITUTES)
    return "<br/>".join(html.escape(line, quote=False) for line in text.split("\n"))


def _page_number(canvas, doc) -> None:
    canvas.saveState()
    canvas.setFont(PDF_FONT, 9)
    canvas.drawCentredString(doc.pagesize[0] / 2, 28, f"- {doc.page} -")
    canvas.restoreState()


def write_pdf(document: Document, path: Path, repeat_header: bool = True) -> Path:
    """Write the blocks as an A4 PDF in a CJK CID font: ruled tables with narrow, evenly
    shared columns (long cell texts wrap), the header row repeated when a table crosses a
    page break (unless ``repeat_header`` is false), and a page number in the bottom margin."""
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import Paragraph as PdfParagraph
    from reportlab.platypus import SimpleDocTemplate, Spacer
    from reportlab.platypus import Table as PdfTable

    body, cell_style = _pdf_styles()
    margin = 56
    frame_width = A4[0] - 2 * margin
    story = []
    for block in document.blocks:
        if isinstance(block, Paragraph):
            story.append(PdfParagraph(_pdf_markup(block.text), body))
            continue
        width, placed = table_layout(block)
        if width == 0:
            continue
        data = [["" for _ in range(width)] for _ in placed]
        # Vertical merges are drawn, not SPANned: no rule between a cell and the cells that
        # continue it, so reportlab may still break the table inside a merge (closing it
        # with the box at the page foot, as Word does).
        style = [
            ("BOX", (0, 0), (-1, -1), 0.5, "black"),
            ("LINEBEFORE", (1, 0), (-1, -1), 0.5, "black"),
            ("LINEBELOW", (0, 0), (-1, 0), 0.5, "black"),
            ("LINEBELOW", (0, "splitlast"), (-1, "splitlast"), 0.5, "black"),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]
        for cells in placed:
            for cell in cells:
                last_col = cell.col + cell.span - 1
                if not cell.covered:
                    style.append(("LINEABOVE", (cell.col, cell.row), (last_col, cell.row), 0.5, "black"))
                    data[cell.row][cell.col] = PdfParagraph(_pdf_markup(cell.text), cell_style)
                if cell.span > 1:
                    style.append(("SPAN", (cell.col, cell.row), (last_col, cell.row)))
        story.append(
            PdfTable(data, colWidths=[frame_width / width] * width, repeatRows=1 if repeat_header else 0, style=style)
        )
        story.append(Spacer(1, 8))
    pdf = SimpleDocTemplate(
        str(path),
        pagesize=A4,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin,
        invariant=1,
        title=Path(document.source_file).stem,
        author="jixiao fixtures",
        creator="jixiao fixtures",
    )
    pdf.build(story, onFirstPage=_page_number, onLaterPages=_page_number)
    return path


def write_scanned_pdf(path: Path) -> Path:
    """A PDF that looks like a scanned page: shapes only, no text layer."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(path), pagesize=A4, invariant=1)
    canvas.setFillGray(0.85)
    canvas.rect(60, 500, 470, 280, fill=1, stroke=1)
    for y in range(520, 770, 14):  # grey bars where lines of text would be
        canvas.setFillGray(0.3)
        canvas.rect(80, y, 400 - (y % 90), 7, fill=1, stroke=0)
    canvas.showPage()
    canvas.save()
    return path


# --------------------------------------------------------------------------------------
# text
# --------------------------------------------------------------------------------------


def to_tab_text(document: Document) -> str:
    """The blocks re-serialized in the Word TAB export layout (cells start with a TAB, a
    blank line ends a row, a multi-line cell continues on the next lines, a blank line after
    each paragraph as in the samples)."""
    lines: list[str] = []
    for block in document.blocks:
        if isinstance(block, Paragraph):
            lines.extend(block.text.split("\n"))
            lines.append("")
            continue
        for row in block.rows:
            for cell in row:
                first, *rest = cell.split("\n")
                lines.append("\t" + first)
                lines.extend(rest)
            lines.append("")
        lines.append("")
    return "\n".join(lines) + "\n"


def write_text(document: Document, path: Path, encoding: str = "gb18030") -> Path:
    """Write the TAB layout in ``encoding`` (``gb18030``, ``utf-8-sig`` for UTF-8 with BOM, ``big5`` …)."""
    path.write_bytes(to_tab_text(document).encode(encoding))
    return path


WRITERS = {"docx": write_docx, "html": write_html, "pdf": write_pdf}
