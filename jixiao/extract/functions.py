"""Budget tables by 功能分类科目 (subject codes 201 / 20103 / 2010301, 合计 row)."""
from __future__ import annotations

import re

from jixiao.extract.columns import column_meaning
from jixiao.extract.context import Context
from jixiao.extract.numbers import is_blank, parse_amount, squash
from jixiao.model import Table

_CODE = re.compile(r"^\d{3}(?:\d{2}){0,2}$")
_MEASURES = {"合计": "total_wan", "基本支出": "basic_wan", "项目支出": "project_wan"}


def extract_function_tables(ctx: Context) -> None:
    for table in ctx.doc.tables():
        if not any("功能分类" in c or "科目编码" in c for row in table.rows[:3] for c in row):
            continue
        _function_table(ctx, table)


def _measure_order(table: Table) -> list[str | None]:
    """Value columns in header order: total/basic/project, None for any other column (a funding source…)."""
    head = table.rows[0]
    order: list[str | None] = []
    for cell in head:
        s = squash(cell)
        if not s or "功能分类" in s or "科目" in s:
            continue
        order.append(_MEASURES.get(s))
    return order


def _phase(table: Table) -> str:
    caption = squash(table.caption)
    if "年初" in caption:
        return "initial_budget"
    if re.search(r"全年预算|调整后?预算", caption):
        return "adjusted_budget"
    if re.search(r"决算|执行", caption):
        return "actual"
    return "budget"


def _function_table(ctx: Context, table: Table) -> None:
    order = _measure_order(table)
    if not order or order[0] != "total_wan":
        return
    phase = _phase(table)
    if phase == "actual":
        return  # a spending table by function is not a budget table
    year = ctx.year_ok(column_meaning(table.caption).year)
    for r, row in enumerate(table.rows):
        cells = [c.strip() for c in row]
        if not cells:
            continue
        code = squash(cells[0])
        if _CODE.match(code):
            name = cells[1] if len(cells) > 1 else ""
            values = cells[2:]
        elif code in ("合计", "总计"):
            code, name = "合计", None
            values = [c for c in cells[1:]]
            if values and is_blank(values[0]):
                values = values[1:]
        else:
            continue
        amounts = [parse_amount(v) for v in values]
        # only the leading columns whose header says total/basic/project are read; only when the
        # row has as many value cells as the header has value columns can positions be trusted
        record: dict[str, float | None] = {"total_wan": None, "basic_wan": None, "project_wan": None}
        positional = len(values) >= len([o for o in order if o]) and (len(values) == len(order) or all(o for o in order[:3]))
        if not positional:
            continue
        for measure, amount in zip(order, amounts):
            if measure and amount is not None:
                record[measure] = amount.value
        if record["total_wan"] is None:
            continue
        ctx.add("fct_budget_by_function", year, {"phase": phase, "subject_code": code},
                {"subject_name": re.sub(r"^\s+", "", name) if name else None, **record}, "table",
                ctx.cell(table, r, 2 if code != "合计" else 0))
        if code == "合计":
            for item, measure in (("total", "total_wan"), ("basic", "basic_wan"), ("project", "project_wan")):
                if record[measure] is not None:
                    ctx.add("fct_budget", year, {"item": item, "phase": phase, "scope": "all"},
                            {"amount_wan": record[measure], "item_label_zh": f"合计({measure[:-4]})"}, "table",
                            ctx.cell(table, r, 0), None)
