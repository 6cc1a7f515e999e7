"""Placing a data row under its header when merged or padded cells shifted it.

Tables copied from web pages lose the cells of vertically merged columns on every row but the
first, and gain runs of empty padding cells. A row that fits as it stands (its label within the
header's label columns, no number among them) stays in place; otherwise it is placed by its label:
the row's last text cell before its first number sits under the header's last label column before
its first value column. A row that cannot be placed that way (a value would land outside the header) is not
placed at all: a value read into the wrong column is worse than a value left out.
"""

from __future__ import annotations

from dataclasses import dataclass

from jixiao.text.numbers import is_blank, parse_amount


@dataclass(frozen=True)
class PlacedRow:
    """``cells[c]`` is the text under header column ``c``; ``origin[c]`` its column in the source row."""

    cells: list[str]
    origin: list[int | None]


def _is_number(text: str) -> bool:
    return not is_blank(text) and parse_amount(text) is not None


def row_label_index(row: list[str]) -> int | None:
    """The row's label cell: the last text cell before the first number that follows a text cell."""
    label = None
    for i, cell in enumerate(row):
        if is_blank(cell):
            continue
        if _is_number(cell):
            if label is not None:
                return label
            continue
        label = i
    return None


def place_row(row: list[str], width: int, header_label: int) -> PlacedRow | None:
    """The row under a header of ``width`` columns whose last label column is ``header_label``."""
    trimmed = list(row)
    while trimmed and not trimmed[-1].strip():
        trimmed.pop()
    label = row_label_index(trimmed)
    in_place = (
        len(trimmed) <= width
        and (label is None or label <= header_label)
        and not any(_is_number(t) for t in trimmed[: header_label + 1])
    )
    shift = 0 if label is None or in_place else header_label - label
    if shift == 0 and len(trimmed) <= width:
        return PlacedRow(
            trimmed + [""] * (width - len(trimmed)), list(range(len(trimmed))) + [None] * (width - len(trimmed))
        )
    cells = [""] * width
    origin: list[int | None] = [None] * width
    for i, text in enumerate(trimmed):
        c = i + shift
        if 0 <= c < width:
            cells[c], origin[c] = text, i
        elif text.strip() and (label is None or i > label):
            return None
    return PlacedRow(cells, origin)
