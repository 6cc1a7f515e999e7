"""Render one logical report (paragraphs and merged-cell tables) into the supported file layouts.

A generated report is a list of blocks: ``str`` paragraphs and :class:`GridTable` tables whose
cells carry HTML-style ``colspan``/``rowspan``.  Each writer turns that into bytes the way the
real documents look:

- ``tab``  — Word's text export: each cell starts a line with a TAB, a cell may continue on the
  following lines, a blank line ends a row; a vertically merged cell is an empty cell below its
  first row, a horizontally merged cell appears once.  Adjacent tables run together (one Word
  table holding several sub-tables, as in the sample 基础数据表).
- ``web``  — text copied from a web page: every grid position alone on its own line(s), a blank
  line between cells, empty cells as empty lines, no TABs.
- ``pipe`` — whole rows on one line, cells separated by ``|``.
- ``html`` — ``<table>`` with ``rowspan``/``colspan``.
- ``docx`` — a Word file (python-docx's default template) with ``gridSpan``/``vMerge`` cells.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape as html_escape
from xml.sax.saxutils import escape as xml_escape

LAYOUTS: tuple[str, ...] = ("tab", "web", "pipe", "docx", "html")
EXTENSIONS: dict[str, str] = {"tab": ".txt", "web": ".txt", "pipe": ".txt", "docx": ".docx", "html": ".html"}

_ZIP_DATE = (2020, 1, 1, 0, 0, 0)  # fixed member timestamps keep .docx bytes deterministic


@dataclass
class Cell:
    """One table cell as it starts in a row; ``text`` may hold ``\\n`` for a multi-line cell."""

    text: str = ""
    colspan: int = 1
    rowspan: int = 1


@dataclass
class GridTable:
    """A table in HTML semantics: each row lists only the cells that start in it."""

    rows: list[list[Cell]] = field(default_factory=list)

    def add(self, *cells: str | Cell) -> None:
        self.rows.append([c if isinstance(c, Cell) else Cell(str(c)) for c in cells])

    def grid(self) -> list[list[tuple[str, Cell]]]:
        """Every grid position as ``("start", cell)``, ``("below", cell)`` or ``("right", cell)``."""
        width = max(sum(c.colspan for c in row) for row in self.rows)
        pending: dict[tuple[int, int], Cell] = {}
        out: list[list[tuple[str, Cell]]] = []
        for r, row in enumerate(self.rows):
            line: list[tuple[str, Cell]] = []
            cells = iter(row)
            col = 0
            while col < width:
                if (r, col) in pending:
                    cell = pending.pop((r, col))
                    line.append(("below", cell))
                    col += 1
                    continue
                nxt = next(cells, None)
                if nxt is None:
                    line.append(("start", Cell("")))
                    col += 1
                    continue
                cell = nxt
                line.append(("start", cell))
                for _dc in range(1, cell.colspan):
                    line.append(("right", cell))
                for dr in range(1, cell.rowspan):
                    for dc in range(cell.colspan):
                        pending[(r + dr, col + dc)] = cell
                col += cell.colspan
            out.append(line)
        return out


Block = str | GridTable


def render(blocks: list[Block], layout: str, title: str = "") -> bytes:
    """The file bytes of ``blocks`` in ``layout`` (one of :data:`LAYOUTS`)."""
    if layout == "tab":
        return _render_tab(blocks).encode("utf-8")
    if layout == "web":
        return _render_web(blocks).encode("utf-8")
    if layout == "pipe":
        return _render_pipe(blocks).encode("utf-8")
    if layout == "html":
        return _render_html(blocks, title).encode("utf-8")
    if layout == "docx":
        return _render_docx(blocks)
    raise ValueError(f"unknown layout {layout!r}; expected one of {', '.join(LAYOUTS)}")


def _render_tab(blocks: list[Block]) -> str:
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, str):
            lines.append(block)
            continue
        for row in block.grid():
            for kind, cell in row:
                if kind == "start":
                    lines.append("\t" + cell.text)
                elif kind == "below":
                    lines.append("\t")
            lines.append("")
    return "\n".join(lines) + "\n"


def _render_web(blocks: list[Block]) -> str:
    parts: list[str] = []
    for block in blocks:
        if isinstance(block, str):
            parts.append(block)
            continue
        for row in block.grid():
            for kind, cell in row:
                parts.append(cell.text if kind == "start" else "")
    return "\n\n".join(parts) + "\n"


def _render_pipe(blocks: list[Block]) -> str:
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, str):
            lines.append(block)
            continue
        for row in block.grid():
            texts = [cell.text.replace("\n", " ") if kind == "start" else "" for kind, cell in row]
            lines.append("|" + "|".join(texts) + "|")
        lines.append("")
    return "\n".join(lines) + "\n"


def _render_html(blocks: list[Block], title: str) -> str:
    out = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        f"<title>{html_escape(title)}</title></head><body>",
        '<div class="breadcrumb">首页 &gt; 政务公开 &gt; 财政预决算 &gt; 绩效评价</div>',
        '<div class="article">',
    ]
    for block in blocks:
        if isinstance(block, str):
            if block.strip():
                out.append(f"<p>{html_escape(block)}</p>")
            continue
        out.append('<table border="1" cellspacing="0">')
        for row in block.rows:
            tds = []
            for cell in row:
                attrs = (f' colspan="{cell.colspan}"' if cell.colspan > 1 else "") + (
                    f' rowspan="{cell.rowspan}"' if cell.rowspan > 1 else ""
                )
                tds.append(f"<td{attrs}>{html_escape(cell.text).replace(chr(10), '<br>')}</td>")
            out.append("<tr>" + "".join(tds) + "</tr>")
        out.append("</table>")
    out.append("</div></body></html>")
    return "\n".join(out) + "\n"


@lru_cache(maxsize=1)
def _docx_template() -> dict[str, bytes]:
    """The parts of python-docx's default document, except the body we write ourselves."""
    import docx  # python-docx

    buf = io.BytesIO()
    docx.Document().save(buf)
    with zipfile.ZipFile(buf) as z:
        return {name: z.read(name) for name in z.namelist() if name != "word/document.xml"}


_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _w_par(text: str) -> str:
    runs = "<w:br/>".join(f'<w:t xml:space="preserve">{xml_escape(t)}</w:t>' for t in text.split("\n"))
    return f"<w:p><w:r>{runs}</w:r></w:p>" if text else "<w:p/>"


def _w_table(table: GridTable) -> str:
    grid = table.grid()
    width = len(grid[0])
    parts = [
        '<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/></w:tblPr>',
        "<w:tblGrid>" + '<w:gridCol w:w="1200"/>' * width + "</w:tblGrid>",
    ]
    for row in grid:
        parts.append("<w:tr>")
        for kind, cell in row:
            if kind == "right":
                continue
            props = f'<w:gridSpan w:val="{cell.colspan}"/>' if cell.colspan > 1 else ""
            if cell.rowspan > 1:
                props += '<w:vMerge w:val="restart"/>' if kind == "start" else "<w:vMerge/>"
            body = _w_par(cell.text) if kind == "start" else "<w:p/>"
            parts.append(f"<w:tc><w:tcPr>{props}</w:tcPr>{body}</w:tc>")
        parts.append("</w:tr>")
    parts.append("</w:tbl>")
    return "".join(parts)


def _render_docx(blocks: list[Block]) -> bytes:
    body: list[str] = []
    for block in blocks:
        if isinstance(block, str):
            body.append(_w_par(block))
        else:
            body.append(_w_table(block))
            body.append("<w:p/>")  # Word keeps a paragraph between tables; it also separates them
    document = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="{_W_NS}">'
        f"<w:body>{''.join(body)}<w:sectPr/></w:body></w:document>"
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in _docx_template().items():
            z.writestr(zipfile.ZipInfo(name, _ZIP_DATE), data, zipfile.ZIP_DEFLATED)
        z.writestr(zipfile.ZipInfo("word/document.xml", _ZIP_DATE), document.encode("utf-8"), zipfile.ZIP_DEFLATED)
    return buf.getvalue()
