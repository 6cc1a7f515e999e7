"""Read an HTML report (a saved web page) into a :class:`~jixiao.model.Document`.

Parsed with BeautifulSoup + lxml.  Scripts, styles, navigation, page header and footer
are dropped; ``<table>`` grids are resolved with rowspan/colspan so that a merged cell
appears once (vertically merged: first row, ``""`` below), like a Word TAB export; text
outside tables becomes paragraphs (a ``<br>`` or a block element ends a paragraph).
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from itertools import chain

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import Comment, Declaration, Doctype, ProcessingInstruction

from jixiao.model import Block, Document, Paragraph, Table
from jixiao.readers.layout import finish_blocks
from jixiao.text.encoding import decode_bytes

DROPPED_TAGS = {
    "script",
    "style",
    "noscript",
    "template",
    "nav",
    "header",
    "footer",
    "head",
    "iframe",
    "object",
    "svg",
    "button",
    "select",
    "form",
    "input",
}
DROPPED_ROLES = {"navigation", "banner", "contentinfo", "search"}
BLOCK_TAGS = {
    "p",
    "div",
    "section",
    "article",
    "main",
    "aside",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "pre",
    "blockquote",
    "address",
    "figure",
    "figcaption",
    "hr",
    "body",
    "center",
    "caption",
}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
MAX_TABLE_DEPTH = 8  # tables inside tables deeper than this are read as plain text
_END, _FLUSH = object(), object()  # walk markers: children exhausted, end of a block
_SPACE = re.compile(r"[ \t\r\n\f\u00a0]+")
# Legacy Chinese charset labels → the superset codec that decodes them all.
_CHARSET_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030", "big5": "big5hkscs"}


def decode_html(data: bytes) -> tuple[str, str]:
    """Decode HTML bytes: BOM, then a ``<meta charset>`` in the head, then detection."""
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return decode_bytes(data)
    match = _META_CHARSET.search(data[:4096])
    if match:
        label = match.group(1).decode("ascii").lower()
        name = _CHARSET_ALIASES.get(label, label)
        try:
            return data.decode(name), name
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong or unknown declaration: fall back to detection
    return decode_bytes(data)


def _attr(tag: Tag, name: str) -> str:
    """An attribute's value as one string (a multi-valued attribute joined by spaces); "" when absent."""
    value = tag.get(name)
    return value if isinstance(value, str) else " ".join(value or [])


def _dropped(tag: Tag) -> bool:
    if tag.name in DROPPED_TAGS:
        return True
    if _attr(tag, "role").lower() in DROPPED_ROLES:
        return True
    style = _attr(tag, "style").replace(" ", "").lower()
    return "display:none" in style or tag.has_attr("hidden")


def _clean(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


class _FlowReader:
    """Walks the DOM in document order, collecting paragraphs and tables.

    The walk keeps its own stack (no recursion), so any depth of nesting is read in bounded
    stack space; tables nested deeper than :data:`MAX_TABLE_DEPTH` are read as plain text.
    """

    def __init__(self, depth: int = 0) -> None:
        self.blocks: list[Block] = []
        self.buffer: list[str] = []
        self.depth = depth  # tables this reader is nested in

    def flush(self) -> None:
        text = _clean("".join(self.buffer))
        self.buffer = []
        if text:
            self.blocks.append(Paragraph(index=0, text=text))

    def walk(self, node: Tag) -> None:
        stack: list[Iterator[object]] = [iter(node.children)]
        while stack:
            child = next(stack[-1], _END)
            if child is _END:
                stack.pop()
                continue
            if child is _FLUSH:
                self.flush()
                continue
            if isinstance(child, (Comment, Declaration, Doctype, ProcessingInstruction)):
                continue
            if isinstance(child, NavigableString):
                self.buffer.append(str(child))
                continue
            if not isinstance(child, Tag) or _dropped(child):
                continue
            if child.name == "br":
                self.flush()
            elif child.name == "table":
                self.flush()
                if self.depth >= MAX_TABLE_DEPTH:
                    self.buffer.append(child.get_text(" "))
                    self.flush()
                else:
                    self.table(child)
            elif child.name in BLOCK_TAGS:
                self.flush()
                stack.append(chain(child.children, (_FLUSH,)))
            else:
                stack.append(iter(child.children))

    def table(self, table: Tag) -> None:
        caption = table.find("caption", recursive=False)
        if caption is not None:
            text = _clean(caption.get_text(" "))
            if text:
                self.blocks.append(Paragraph(index=0, text=text))
        rows = _table_rows(table)
        if _is_layout_table(rows):
            for tr in rows:
                for cell in tr:
                    self.walk(cell)
                    self.flush()
            return
        grid, spans = _resolve_grid(rows)
        if any(any(cell for cell in row) for row in grid):
            self.blocks.append(Table(index=0, rows=grid, spans=spans))


def _table_rows(table: Tag) -> list[list[Tag]]:
    """The ``td``/``th`` cells of each row of this table (not of nested tables)."""
    trs = [tr for tr in table.find_all("tr") if tr.find_parent("table") is table]
    return [[c for c in tr.find_all(["td", "th"], recursive=False) if not _dropped(c)] for tr in trs]


def _is_layout_table(rows: list[list[Tag]]) -> bool:
    """A table used for page layout: one cell per row, or narrow with nested tables."""
    if not rows:
        return False
    widest = max(len(r) for r in rows)
    nested = any(cell.find("table") is not None for row in rows for cell in row)
    return widest <= 1 or (nested and widest <= 2)


def _cell_text(cell: Tag, depth: int = 0) -> str:
    """Cell text with ``<br>``/block children as line breaks, nested tables flattened."""
    reader = _FlowReader(depth + 1)
    reader.walk(cell)
    reader.flush()
    lines: list[str] = []
    for block in reader.blocks:
        if isinstance(block, Paragraph):
            lines.append(block.text)
        else:
            lines.extend(" ".join(c for c in row if c) for row in block.rows if any(row))
    return "\n".join(lines)


def _span(cell: Tag, name: str) -> int:
    try:
        return max(int(str(cell.get(name, "1")).strip() or 1), 1)
    except ValueError:
        return 1


def _emit_covered(column: int, covered: dict[int, tuple[int, int]], texts: list[str], widths: list[int]) -> int:
    """Empty cells for the columns a rowspan from above covers at ``column``; the next free column."""
    while column in covered:
        texts.append("")
        widths.append(covered.pop(column)[1])
        column += widths[-1]
    return column


def _resolve_grid(rows: list[list[Tag]], depth: int = 0) -> tuple[list[list[str]], list[list[int]]]:
    """Ragged grid from rowspan/colspan: merged cells once, ``""`` under a rowspan."""
    pending: dict[int, tuple[int, int]] = {}  # grid column -> (rows still covered, colspan)
    grid: list[list[str]] = []
    spans: list[list[int]] = []
    for tr in rows:
        texts: list[str] = []
        widths: list[int] = []
        covered = dict(pending)  # rowspans from rows above that reach into this row
        started: dict[int, tuple[int, int]] = {}
        column = 0
        for cell in tr:
            column = _emit_covered(column, covered, texts, widths)
            colspan, rowspan = _span(cell, "colspan"), _span(cell, "rowspan")
            texts.append(_cell_text(cell, depth))
            widths.append(colspan)
            if rowspan > 1:
                started[column] = (rowspan, colspan)
            column += colspan
        _emit_covered(column, covered, texts, widths)
        pending = {col: (left - 1, width) for col, (left, width) in pending.items() if left > 1}
        pending.update({col: (left - 1, width) for col, (left, width) in started.items()})
        grid.append(texts)
        spans.append(widths)
    return grid, spans


def read_html(data: bytes, source_file: str) -> Document:
    """Parse the bytes of an HTML page into blocks."""
    text, encoding = decode_html(data)
    soup = BeautifulSoup(text, "lxml")
    root = soup.body or soup
    reader = _FlowReader()
    reader.walk(root)
    reader.flush()
    return Document(source_file=source_file, blocks=finish_blocks(reader.blocks), file_format="html", encoding=encoding)
