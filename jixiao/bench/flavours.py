"""Write a simple text table the ways real disclosures print tables (``../shared/real/README.md``).

A :class:`TextTable` is a list of rows of cell texts (``""`` for a blank cell), each row carrying
the facts it states.  A *flavour* turns it into lines:

- ``pipe_rows``       whole rows, cells between " | ", padded with runs of "|" (merged cells);
- ``pipe_cell_line``  one cell per line ending " |" (a blank cell is a lone "|"), a run of "|"
  between rows;
- ``pipe_lone_bar``   one cell per line, each followed by a lone "|" line, a run of "|" between rows;
- ``cells_blank``     one cell per line with a blank line between cells (row boundaries lost);
- ``cells_vanishing`` one cell per line, blank cells leave no line at all;
- ``space_aligned``   a row per line, cells joined by one space, a blank cell one more space;
- ``flattened``       every cell joined by single spaces, rows run together, blank cells vanish,
  and a number may break over a blank line ("95." / "10%").

Flavours that drop blank cells lose the column of every value of a row that has a blank among
several value columns: :meth:`TextTable.expected` then expects nothing of that row (the real
gold's rule for rows with fewer values than columns).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from typing import Any

FLAVOURS = (
    "pipe_rows",
    "pipe_cell_line",
    "pipe_lone_bar",
    "cells_blank",
    "cells_vanishing",
    "space_aligned",
    "flattened",
)
DROPS_BLANKS = {"cells_vanishing", "flattened"}


@dataclass
class Row:
    """One table row: its cells, the facts it states and the blanks it leaves (absent rows)."""

    cells: list[str]
    facts: list[dict[str, Any]] = field(default_factory=list)
    absent: list[dict[str, Any]] = field(default_factory=list)
    values: tuple[int, ...] = ()  # positions of the value cells (none: a label or heading row)

    @property
    def value_columns(self) -> int:
        return len(self.values)

    @property
    def short(self) -> bool:
        """A row whose value cells are partly blank."""
        values = [self.cells[i] for i in self.values]
        return any(not v.strip() for v in values) and any(v.strip() for v in values)


@dataclass
class TextTable:
    rows: list[Row] = field(default_factory=list)
    width: int = 0  # columns of the widest row (for "|" padding)

    def add(
        self,
        *cells: str,
        facts: list[dict] | None = None,
        absent: list[dict] | None = None,
        values: tuple[int, ...] = (),
    ) -> None:
        self.rows.append(Row([str(c) for c in cells], facts or [], absent or [], tuple(values)))
        self.width = max(self.width, len(cells))

    def expected(self, flavour: str) -> tuple[list[dict], list[dict], bool]:
        """Facts and absent rows the table yields in ``flavour``, and whether every row is certain."""
        facts: list[dict] = []
        absent: list[dict] = []
        certain = True
        for row in self.rows:
            if flavour in DROPS_BLANKS and row.value_columns > 1 and row.short:
                certain = False  # its values lost their columns: not expected, and not claimed absent
                continue
            facts += row.facts
            if flavour not in DROPS_BLANKS or row.value_columns <= 1:
                absent += row.absent
        return facts, absent, certain


def render_table(table: TextTable, flavour: str, rng: random.Random) -> list[str]:
    """The lines of ``table`` in ``flavour``."""
    rows = [r.cells for r in table.rows]
    if flavour == "pipe_rows":
        out = []
        for cells in rows:
            pad = "|" * (table.width - len(cells)) if rng.random() < 0.7 else ""
            out.append(" | ".join(cells) + " |" + pad)
        return out
    if flavour in ("pipe_cell_line", "pipe_lone_bar"):
        out = []
        for cells in rows:
            out.append("|" * rng.randint(2, max(2, table.width + 4)))
            for c in cells:
                if flavour == "pipe_cell_line":
                    out.append(f"{c} |" if c else "|")
                else:
                    out += [c, "|"]
        return out
    if flavour == "cells_blank":
        out = []
        for cells in rows:
            for c in cells:
                out += [c, ""]
        return out
    if flavour == "cells_vanishing":
        return [c for cells in rows for c in cells if c.strip()]
    if flavour == "space_aligned":
        return [" ".join(c if c else " " for c in cells) for cells in rows]
    if flavour == "flattened":
        words = [c.replace("\n", " ") for cells in rows for c in cells if c.strip()]
        out, line = [], []
        for w in words:
            m = re.fullmatch(r"(\d+\.)(\d+%?)", w)
            if m and rng.random() < 0.25:  # a number broken over a blank line
                line.append(m.group(1))
                out += [" ".join(line), ""]
                line = [m.group(2)]
                continue
            line.append(w)
        out.append(" ".join(line))
        return out
    raise ValueError(f"unknown table flavour {flavour!r}; expected one of {', '.join(FLAVOURS)}")
