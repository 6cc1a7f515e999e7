"""Budget tables by 功能分类科目 (subject codes 201 / 20103 / 2010301, 合计 row)."""

from __future__ import annotations

import re

from jixiao.extract.columns import MONEY_MEASURES, column_meaning
from jixiao.extract.context import Context
from jixiao.extract.vocab import clean_label, function_class, item_for
from jixiao.model import Provenance, SourceKind, Table
from jixiao.text.numbers import Amount, is_blank, parse_amount, squash

_CODE = re.compile(r"^\d{3}(?:\d{2}){0,2}$")
_MEASURES = {"合计": "total_wan", "基本支出": "basic_wan", "项目支出": "project_wan"}


def extract_function_tables(ctx: Context) -> None:
    for table in ctx.doc.tables():
        if any("功能分类" in c or "科目编码" in c for row in table.rows[:3] for c in row):
            _function_table(ctx, table)
        else:
            _summary_table(ctx, table)


def emit_function_line(
    ctx: Context, year: int | None, phase: str, label: str, amount: Amount, kind: SourceKind, prov: Provenance
) -> bool:
    """A class line without a code ("一、一般公共服务支出 516.39") or the 支出 total of a 收支总表 as its 合计
    row; False when the label is neither."""
    name = function_class(label)
    code = None
    if name is None:
        if item_for(label) != "total" or "支出" not in label:
            return False
        code, name = "合计", clean_label(label)
    key = {"phase": phase, "subject_code": code, "subject_name": name}  # no code: the name tells the lines apart
    ctx.add(
        "fct_budget_by_function",
        year,
        key,
        {"total_wan": amount.value, "basic_wan": None, "project_wan": None},
        kind,
        prov,
        amount.decimals,
    )
    return True


_LABEL_HEAD = re.compile(r"^(?:(?:收入|支出)?项目|科目名称|项目名称)$")
_TOTAL_HEAD = re.compile(r"^(?:合计|小计|金额|(?:(?:19|20)\d{2}年)?(?:年初|全年)?(?:预算|决算|执行)数?)$")


def _summary_table(ctx: Context, table: Table) -> None:
    """A 收支总表 whose expenditure group lists function classes: each class label's first number is its total."""
    for h, head in enumerate(table.rows[:8]):
        labels = [c for c, cell in enumerate(head) if _LABEL_HEAD.match(squash(cell))]
        if len(labels) < 2:
            continue
        firsts = [squash(head[c + 1]) if c + 1 < len(head) else "" for c in labels]
        if not all(_TOTAL_HEAD.match(f) for f in firsts):
            return
        measures = {column_meaning(f).measure for f in firsts} & MONEY_MEASURES
        phase = measures.pop() if len(measures) == 1 else _phase(table)
        year = ctx.year_ok(next((column_meaning(f).year for f in firsts if column_meaning(f).year), None))
        for r in range(h + 1, len(table.rows)):
            _summary_row(ctx, table, r, year, phase)
        return


def _summary_row(ctx: Context, table: Table, r: int, year: int | None, phase: str) -> None:
    row = table.rows[r]
    for c, cell in enumerate(row):
        if is_blank(cell) or parse_amount(cell) is not None:
            continue
        nxt = row[c + 1] if c + 1 < len(row) else ""
        amount = parse_amount(nxt)
        if amount is None or amount.unit in ("%", "人"):
            continue
        emit_function_line(ctx, year, phase, cell, amount, "table", ctx.cell(table, r, c + 1))


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
    caption = squash(table.caption + "".join(table.rows[0] if table.rows else []))
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
        positional = len(values) >= len([o for o in order if o]) and (
            len(values) == len(order) or all(o for o in order[:3])
        )
        if not positional:
            continue
        for measure, amount in zip(order, amounts):
            if measure and amount is not None:
                record[measure] = amount.value
        if record["total_wan"] is None:
            continue
        ctx.add(
            "fct_budget_by_function",
            year,
            {"phase": phase, "subject_code": code},
            {"subject_name": re.sub(r"^\s+", "", name) if name else None, **record},
            "table",
            ctx.cell(table, r, 2 if code != "合计" else 0),
        )
        if code == "合计":
            for item, measure in (("total", "total_wan"), ("basic", "basic_wan"), ("project", "project_wan")):
                if record[measure] is not None:
                    ctx.add(
                        "fct_budget",
                        year,
                        {"item": item, "phase": phase, "scope": "all"},
                        {"amount_wan": record[measure], "item_label_zh": f"合计({measure[:-4]})"},
                        "table",
                        ctx.cell(table, r, 0),
                        None,
                    )
