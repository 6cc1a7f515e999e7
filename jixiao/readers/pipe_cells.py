"""Web copies with one table cell per line, cells and rows marked by pipes.

Two conventions occur (each a copy of a Word table on a web page):

- every cell on its own line ending in " |", an empty cell as a lone "|";
- every cell on its own line followed by a lone "|" line that ends it, an empty cell as a "|"
  not preceded by a cell.

A line of pipes only ("||", "| |", "|||||") or a blank line ends a row, except in the second
convention, where a blank line between a lone "|" and another is an empty cell ("" then "|"). Where a whole table body arrived as
one row, the 栏次 row ("栏次 | 1 | 2 | 3 | 4", the column numbers every standard budget table
prints) gives the width, and the body is cut into rows of that width; a last row shorter than
that width (a copy cut off mid-row) is dropped rather than guessed.
"""

from __future__ import annotations

import re

_NUMBER = re.compile(r"^[-+]?\d[\d,，]*(?:\.\d+)?%?$")
_ROW_END = re.compile(r"^\|[\s|]*\|$")
_CELL_WITH_END = re.compile(r"^(.*?)\s*\|((?:\s*\|)*)$")


def is_cell_lines_flavour(lines: list[str]) -> bool:
    """Whether the pipe lines hold one cell each (rather than whole rows "a | b | c")."""
    single = numbers = whole = 0
    previous = ""
    for line in lines:
        s = line.strip()
        cell = None
        if s.count("|") == 1 and s.endswith("|") and s != "|":
            cell = s[:-1].strip()  # "cell |"
        elif s == "|" and previous and "|" not in previous:
            cell = previous  # "cell" then "|"
        elif sum(1 for c in s.split("|") if c.strip()) >= 2:
            whole += 1  # "a | b": a whole row on one line
        if cell is not None:
            single += 1
            numbers += bool(_NUMBER.match(cell))
        previous = s
    # a row "label |" with an empty last cell looks like a cell line; a number alone on a line does not,
    # and a document that also has whole rows is read by the row reader
    return single >= 8 and numbers >= 3 and whole == 0


def _lone_bar_convention(lines: list[str]) -> bool:
    """Whether cells are mostly ended by a lone "|" line rather than by " |" on their own line."""
    stripped = [line.strip() for line in lines]
    lone = sum(1 for a, b in zip(stripped, stripped[1:]) if b == "|" and a and "|" not in a)
    trailing = sum(1 for a in stripped if a.endswith("|") and a.count("|") == 1 and a != "|")
    return lone > 2 * trailing


def cell_rows(lines: list[str]) -> list[tuple[int, list[str] | str]]:
    """``(line number, row)`` for table rows and ``(line number, text)`` for lines outside tables."""
    lone_bar = _lone_bar_convention(lines)
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
        if not s and lone_bar and row and _is_bar(lines, i - 1) and _is_bar(lines, i + 1):
            pending = (i + 1, "")  # an empty cell: a blank line ended by its "|"
            continue
        if not s or _ROW_END.match(s):
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


def _is_bar(lines: list[str], i: int) -> bool:
    return 0 <= i < len(lines) and lines[i].strip() == "|"


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
