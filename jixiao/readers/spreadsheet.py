"""Read an Excel workbook (``.xlsx`` by openpyxl, ``.xls`` by xlrd) into a Document.

Every sheet becomes blocks in order: the leading rows that hold one text each (the sheet's
title, a 单位名称/单位 line) become paragraphs, the rest of the used range one
:class:`~jixiao.model.Table` whose caption is the sheet's title.  Merged ranges are
resolved as the Word reader resolves them: the range appears once in its first row with
its column span, and as ``""`` (with the same span) in the rows below.  Number cells are
written as numbers without float noise (``1211.57``, not ``1211.5700000000002``); a
percentage-formatted cell as ``85%``; a date as ``2024-06-30``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO

from jixiao.model import Block, Document, Paragraph, Table
from jixiao.readers.layout import finish_blocks

_TITLE_ROWS_MAX = 6  # leading one-text rows read as title/unit paragraphs


def format_number(value: float, percent: bool = False) -> str:
    """A cell number as text: shortest exact form, no exponent, no float noise."""
    if percent:
        return format_number(value * 100) + "%"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int) or float(value).is_integer():
        return str(int(value))
    text = format(Decimal(repr(round(float(value), 8))), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


@dataclass
class Grid:
    """One sheet as a rectangle of cell texts plus its merged ranges (0-based, inclusive)."""

    name: str
    cells: list[list[str]]
    merges: list[tuple[int, int, int, int]]  # (first_row, first_col, last_row, last_col)


def _trimmed(grid: Grid) -> Grid:
    """The grid without empty trailing rows and columns."""
    rows = grid.cells
    while rows and not any(c.strip() for c in rows[-1]):
        rows = rows[:-1]
    width = max((i + 1 for row in rows for i, c in enumerate(row) if c.strip()), default=0)
    for r0, c0, _r1, c1 in grid.merges:  # a merged title may reach past the last filled column
        if r0 < len(rows) and rows[r0][c0].strip():
            width = max(width, min(c1 + 1, max(len(r) for r in rows)))
    return Grid(grid.name, [row[:width] + [""] * (width - len(row[:width])) for row in rows], grid.merges)


def grid_blocks(grid: Grid) -> list[Block]:
    """Title paragraphs and one table (ragged rows with spans, merges resolved) of a sheet."""
    grid = _trimmed(grid)
    if not grid.cells:
        return []
    covered: dict[tuple[int, int], tuple[int, int, int, int]] = {}
    for merge in grid.merges:
        r0, c0, r1, c1 = merge
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                covered[(r, c)] = merge
    rows: list[list[str]] = []
    spans: list[list[int]] = []
    width = len(grid.cells[0])
    for r, line in enumerate(grid.cells):
        texts, widths, c = [], [], 0
        while c < width:
            hit = covered.get((r, c))
            if hit is None:
                texts.append(line[c].strip())
                widths.append(1)
                c += 1
                continue
            r0, c0, r1, c1 = hit
            span = min(c1, width - 1) - c + 1
            texts.append(grid.cells[r0][c0].strip() if r == r0 and c == c0 else "")
            widths.append(span)
            c += span
        rows.append(texts)
        spans.append(widths)
    blocks: list[Block] = []
    start = 0
    while start < min(len(rows), _TITLE_ROWS_MAX) and len([t for t in rows[start] if t]) <= 1 and start < len(rows) - 1:
        text = next((t for t in rows[start] if t), "")
        if text:
            blocks.append(Paragraph(index=0, text=text))
        start += 1
    # a 单位名称/单位 line spread over two or three cells is still a title line
    while start < len(rows) - 1 and _is_unit_line(rows[start]):
        blocks.append(Paragraph(index=0, text="　".join(t for t in rows[start] if t)))
        start += 1
    body, body_spans = rows[start:], spans[start:]
    while body and not any(body[-1]):
        body, body_spans = body[:-1], body_spans[:-1]
    if body:
        title = next((b.text for b in blocks if isinstance(b, Paragraph) and not _is_unit_line([b.text])), grid.name)
        blocks.append(Table(index=0, rows=body, spans=body_spans, caption=title))
    return blocks


def _is_unit_line(texts: list[str]) -> bool:
    filled = [t for t in texts if t]
    return 0 < len(filled) <= 3 and any(
        re.match(r"^(编制|填报|预算|部门)?单位(名称)?\s*[:：]|^金额单位|^单位\s*[:：]", t) for t in filled
    )


# --------------------------------------------------------------------------- .xlsx
def _xlsx_text(cell) -> str:
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, (dt.datetime, dt.date)):
        return value.date().isoformat() if isinstance(value, dt.datetime) else value.isoformat()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return format_number(value, percent="%" in (cell.number_format or ""))
    return str(value)


def xlsx_grids(data: bytes) -> list[Grid]:
    import openpyxl

    book = openpyxl.load_workbook(BytesIO(data), data_only=True)
    grids = []
    for sheet in book.worksheets:
        if sheet.sheet_state != "visible":
            continue
        cells = [[_xlsx_text(c) for c in row] for row in sheet.iter_rows()]
        merges = [(m.min_row - 1, m.min_col - 1, m.max_row - 1, m.max_col - 1) for m in sheet.merged_cells.ranges]
        grids.append(Grid(sheet.title, cells, merges))
    return grids


# --------------------------------------------------------------------------- .xls
def xls_grids(data: bytes) -> list[Grid]:
    import xlrd

    book = xlrd.open_workbook(file_contents=data, formatting_info=True)
    grids = []
    for sheet in book.sheets():
        if getattr(sheet, "visibility", 0) != 0:
            continue
        cells = []
        for r in range(sheet.nrows):
            row = []
            for c in range(sheet.ncols):
                cell = sheet.cell(r, c)
                if cell.ctype == xlrd.XL_CELL_NUMBER:
                    fmt = book.format_map.get(book.xf_list[cell.xf_index].format_key)
                    row.append(format_number(cell.value, percent=bool(fmt and "%" in fmt.format_str)))
                elif cell.ctype == xlrd.XL_CELL_DATE:
                    row.append(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode).date().isoformat())
                elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
                    row.append("")
                else:
                    row.append(str(cell.value))
            cells.append(row)
        merges = [(r0, c0, r1 - 1, c1 - 1) for r0, r1, c0, c1 in sheet.merged_cells]
        grids.append(Grid(sheet.name, cells, merges))
    return grids


def read_workbook(data: bytes, source_file: str, kind: str) -> Document:
    """Every visible sheet of an ``xlsx`` or ``xls`` workbook as paragraphs and tables."""
    grids = xlsx_grids(data) if kind == "xlsx" else xls_grids(data)
    blocks: list[Block] = []
    for grid in grids:
        blocks.extend(grid_blocks(grid))
    return Document(source_file=source_file, blocks=finish_blocks(blocks), file_format=kind)
