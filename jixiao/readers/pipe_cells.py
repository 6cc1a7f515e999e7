"""Web copies with one table cell per line, cells and rows marked by pipes.

Two conventions occur (each a copy of a Word table on a web page):

- every cell on its own line ending in " |", an empty cell as a lone "|";
- every cell on its own line followed by a lone "|" line that ends it, an empty cell as a "|"
  not preceded by a cell.

A line of pipes only ("||", "| |", "|||||") ends a row. Where a whole table body arrived as
one row, the 栏次 row ("栏次 | 1 | 2 | 3 | 4", the column numbers every standard budget table
prints) gives the width, and the body is cut into rows of that width; a last row shorter than
that width (a copy cut off mid-row) is dropped rather than guessed.
"""
from __future__ import annotations

import re

_ROW_END = re.compile(r"^\|[\s|]*\|$")
_CELL_WITH_END = re.compile(r"^(.*?)\s*\|((?:\s*\|)*)$")


def is_cell_lines_flavour(lines: list[str]) -> bool:
    """Whether the pipe lines hold one cell each (rather than whole rows "a | b | c")."""
    single = whole = 0
    for line in lines:
        s = line.strip()
        if "|" not in s:
            continue
        inner = s.strip("| ")
        if "|" in inner:
            whole += 1
        elif s != "|" and not _ROW_END.match(s):
            single += 1
    return single >= 8 and single >= 4 * whole


def cell_rows(lines: list[str]) -> list[tuple[int, list[str] | str]]:
    """``(line number, row)`` for table rows and ``(line number, text)`` for lines outside tables."""
    out: list[tuple[int, list[str] | str]] = []
    row: list[str] = []
    pending: tuple[int, str] | None = None  # a text line that a lone "|" may end as a cell
    start = 0

    def end_row() -> None:
        nonlocal row
        if row:
            out.append((start, row))
            row = []

    for i, raw in enumerate(lines):
        s = raw.strip()
        if s == "|":
            if pending is not None:
                row.append(pending[1])
                pending = None
            else:
                row.append("")
            continue
        if pending is not None:  # a text line not ended by "|": prose
            end_row()
            out.append(pending)
            pending = None
        if not s:
            continue
        if _ROW_END.match(s):
            end_row()
            continue
        m = _CELL_WITH_END.match(s)
        if m and "|" not in m.group(1):
            if not row:
                start = i + 1
            row.append(m.group(1).strip())
            if m.group(2).strip():
                end_row()
            continue
        if not row:
            start = i + 1
        pending = (i + 1, s)
    if pending is not None:
        end_row()
        out.append(pending)
    end_row()
    return out


def split_body_rows(rows: list[list[str]]) -> list[list[str]]:
    """Cut a body that arrived as one row into rows of the width its 栏次 row gives."""
    out: list[list[str]] = []
    for row in rows:
        width = _column_number_width(row)
        if width is None or len(row) <= width:
            out.append(row)
            continue
        out.append(row[:width])
        body = row[width:]
        full = len(body) - len(body) % width
        out.extend(body[k : k + width] for k in range(0, full, width))
    return out


def _column_number_width(row: list[str]) -> int | None:
    """The width a 栏次 row declares: "栏次, 1, 2, …, k" → k + 1."""
    if not row or re.sub(r"\s", "", row[0]) != "栏次":
        return None
    k = 0
    while k + 1 < len(row) and row[k + 1].strip() == str(k + 1):
        k += 1
    return k + 1 if k >= 2 else None
