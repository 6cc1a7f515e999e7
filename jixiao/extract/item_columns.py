"""Tables whose columns are items and whose rows are units (收入情况 by 机构名称).

A self-evaluation form lists its income by source as columns (上年结转, 公共财政拨款, 其他收入 …)
with one row per unit: the unit as a whole (…汇总, 合计) and then its sub-units. Only the row of
the whole is the report's unit; sub-unit rows are not its facts. A two-row header whose last
upper cell ("其中:") spans the lower row is spread over the columns first.
"""

from __future__ import annotations

import re

from jixiao.extract.context import Context
from jixiao.extract.vocab import clean_label, item_for
from jixiao.model import Table
from jixiao.text.numbers import is_blank, parse_amount, squash

_UNIT_HEAD = re.compile(r"^(?:机构名称|单位名称|单位|部门名称)$")
_WHOLE_ROW = re.compile(r"汇总|^合计$|^总计$")
_MIN_ITEMS = 3


def extract_item_column_tables(ctx: Context) -> None:
    for table in ctx.doc.tables():
        for r, row in enumerate(table.rows):
            if not row or not _UNIT_HEAD.match(squash(row[0])):
                continue
            header, first_data = _header(table, r)
            if header is None:
                continue
            phase = "budget" if re.search(r"预算", _context(table, r)) else "actual"
            for d in range(first_data, len(table.rows)):
                data = table.rows[d]
                if len(data) != len(header) or parse_amount(data[0]) is not None:
                    break
                if _WHOLE_ROW.search(squash(data[0])):
                    _emit(ctx, table, d, header, phase)
            break


def _header(table: Table, r: int) -> tuple[list[str] | None, int]:
    top = table.rows[r]
    nxt = table.rows[r + 1] if r + 1 < len(table.rows) else []
    body = table.rows[r + 2] if r + 2 < len(table.rows) else []
    header, first = top, r + 1
    if nxt and body and not any(parse_amount(c) for c in nxt) and len(top) - 1 + len(nxt) == len(body):
        header, first = top[:-1] + nxt, r + 2  # the last upper cell spans the lower header row
    items = [item_for(clean_label(c)) for c in header[1:]]
    if sum(1 for i in items if i) < _MIN_ITEMS:
        return None, first
    return header, first


def _context(table: Table, r: int) -> str:
    return table.caption + "".join("".join(row) for row in table.rows[max(0, r - 2) : r])


def _emit(ctx: Context, table: Table, d: int, header: list[str], phase: str) -> None:
    row = table.rows[d]
    for c in range(1, len(header)):
        item = item_for(clean_label(header[c]))
        amount = parse_amount(row[c]) if not is_blank(row[c]) else None
        if item is None or amount is None or amount.unit in ("%", "人"):
            continue
        label = clean_label(header[c])
        prov = ctx.cell(table, d, c)
        if phase == "actual":
            ctx.add_amount(
                "fct_spending",
                ctx.year_ok(None),
                {"item": item, "scope": "all"},
                label,
                amount,
                "table",
                prov,
                "item_label_zh",
            )
        else:
            ctx.add_amount(
                "fct_budget",
                ctx.year_ok(None),
                {"item": item, "phase": phase, "scope": "all"},
                label,
                amount,
                "table",
                prov,
                "item_label_zh",
            )
