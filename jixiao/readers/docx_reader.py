"""Read a Word ``.docx`` report into a :class:`~jixiao.model.Document`.

The body is walked in order, so paragraphs and tables keep their interleaving.  Tables
are read from the underlying ``w:tc`` elements rather than python-docx's cell grid,
which repeats a merged cell in every grid position it covers: a horizontally merged
cell (``w:gridSpan``) is emitted once with its span, a vertically merged one
(``w:vMerge``) in its first row and as ``""`` below — the grid a Word TAB text export
gives.
"""

from __future__ import annotations

from io import BytesIO

import docx
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph as DocxParagraph

from jixiao.model import Block, Document, Paragraph, Table
from jixiao.readers.layout import finish_blocks
from jixiao.readers.limits import check_archive

_P, _TBL, _TR, _TC, _SDT = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc"), qn("w:sdt")
_SDT_CONTENT, _TC_PR = qn("w:sdtContent"), qn("w:tcPr")
_GRID_SPAN, _V_MERGE, _VAL = qn("w:gridSpan"), qn("w:vMerge"), qn("w:val")


def _children(element):
    """Child elements, looking through content controls (``w:sdt``)."""
    for child in element:
        if child.tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                yield from _children(content)
        else:
            yield child


def _paragraph_text(p, parent) -> str:
    return DocxParagraph(p, parent).text


def _cell_text(tc, parent) -> str:
    """Text of a cell: its paragraphs joined with newlines, nested tables flattened."""
    lines: list[str] = []
    for child in _children(tc):
        if child.tag == _P:
            lines.append(_paragraph_text(child, parent).strip())
        elif child.tag == _TBL:
            for row in _table_rows(child, parent)[0]:
                cells = [c for c in row if c]
                if cells:
                    lines.append(" ".join(cells))
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    return "\n".join(lines)


def _int_attr(parent, tag: str, default: int) -> int:
    if parent is None:
        return default
    node = parent.find(tag)
    if node is None:
        return default
    try:
        return int(node.get(_VAL))
    except (TypeError, ValueError):
        return default


def _merge_kind(tc) -> str | None:
    """``"restart"``, ``"continue"`` or None for a cell's vertical merge."""
    tc_pr = tc.find(_TC_PR)
    node = tc_pr.find(_V_MERGE) if tc_pr is not None else None
    if node is None:
        return None
    return "restart" if node.get(_VAL) == "restart" else "continue"


def _table_rows(tbl, parent) -> tuple[list[list[str]], list[list[int]]]:
    """Ragged rows and colspans of a ``w:tbl`` element, merges resolved once."""
    rows: list[list[str]] = []
    spans: list[list[int]] = []
    for tr in _children(tbl):
        if tr.tag != _TR:
            continue
        texts: list[str] = []
        widths: list[int] = []
        for tc in _children(tr):
            if tc.tag != _TC:
                continue
            span = _int_attr(tc.find(_TC_PR), _GRID_SPAN, 1)
            texts.append("" if _merge_kind(tc) == "continue" else _cell_text(tc, parent))
            widths.append(max(span, 1))
        rows.append(texts)
        spans.append(widths)
    return rows, spans


def read_docx(data: bytes, source_file: str) -> Document:
    """Parse the bytes of a ``.docx`` file (raises what python-docx raises on corrupt input).

    Members are inflated only within the caps of :mod:`jixiao.readers.limits`; python-docx parses
    the XML without expanding entities.
    """
    check_archive(data, source_file)
    document = docx.Document(BytesIO(data))
    body = document.element.body
    blocks: list[Block] = []
    for child in _children(body):
        if child.tag == _P:
            text = _paragraph_text(child, document).strip()
            if text:
                blocks.append(Paragraph(index=0, text=text))
        elif child.tag == _TBL:
            rows, spans = _table_rows(child, document)
            if any(any(cell for cell in row) for row in rows):
                blocks.append(Table(index=0, rows=rows, spans=spans))
    return Document(source_file=source_file, blocks=finish_blocks(blocks), file_format="docx")
