"""The budget block of a 自评表 and the project a 项目支出绩效自评表 evaluates.

The block is headed 年初预算数 / 全年预算数 / 全年执行数 / 分值 / 执行率 / 得分 (any subset, any
order) and opened by 年度资金总额 (or 总额); its sub-rows (其中：当年财政拨款, 上年结转资金 …)
give the money by source.  Only the 年度资金总额 row is a scored indicator (Settled rule 2).  In a
project table the same row's money is the project's (``fct_projects``), never the unit's budget.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from jixiao.extract.context import Context
from jixiao.extract.indicator_columns import cell_text, clean_name, number
from jixiao.extract.row_alignment import place_row
from jixiao.extract.vocab import clean_label, item_for
from jixiao.model import Provenance
from jixiao.text.numbers import is_blank, parse_amount, to_wan

INITIAL, ADJUSTED, BUDGET, SPENT, RATE, B_WEIGHT, B_SCORE, LABEL, B_OTHER = (
    "initial",
    "adjusted",
    "budget",
    "spent",
    "rate",
    "weight",
    "score",
    "label",
    "other",
)
MONEY_ROLES = (INITIAL, ADJUSTED, BUDGET, SPENT)
_EXECUTION_LABEL = re.compile(r"^(?:年度资金总额|资金总额|总额|预算执行率|年度预算执行率)$")
_PROJECT_NAME_LABEL = re.compile(r"^项目名称$")
_TITLE = re.compile(r"自评表|绩效评价表|绩效目标表")
_FIELD_LABEL = re.compile(r"^(?:主管部门|实施单位|项目负责人|联系电话|项目负责人及电话|预算单位)")


@dataclass
class BudgetColumns:
    roles: list[str]  # roles of the value cells that follow the row label, in order
    factor: float  # 1 for 万元, 1/10000 when the header says 元
    first_value: int = 1  # the header column of the first value cell


@dataclass
class BudgetRow:
    label: str
    label_col: int
    values: dict[str, float] = field(default_factory=dict)  # money in 万元, rate in %, weight, score
    weight: float | None = None
    score: float | None = None
    score_blank: bool = False
    has_money: bool = False  # a row whose cells could not be placed but that states non-zero amounts
    decimals: dict[str, int] = field(default_factory=dict)  # digits after the point as written, per money role


def budget_role(text: str) -> str:
    s = cell_text(text)
    if not s:
        return LABEL
    if re.search(r"[(（](?:万元|元)[)）]$|资金来源|^项目资金|^资金情况|^预算执行情况|^部门.*资金", s):
        return LABEL
    if re.search(r"执行率", s):
        return RATE
    if re.search(r"年初预算", s):
        return INITIAL
    if re.search(r"全年预算|调整后预算", s):
        return ADJUSTED
    if re.search(r"执行数|决算数|实际支出", s):
        return SPENT
    if re.search(r"^预算数", s):
        return BUDGET
    if re.search(r"^(?:分值|权重)", s):
        return B_WEIGHT
    if re.fullmatch(r"(?:自评)?得分", s):
        return B_SCORE
    return B_OTHER


def budget_header(row: list[str]) -> BudgetColumns | None:
    """The block's header row: money columns, a 分值 column and no amounts."""
    cells = [c for c in row]
    while cells and not cell_text(cells[-1]):
        cells.pop()
    if any(parse_amount(c) is not None for c in cells):
        return None
    roles = [budget_role(c) for c in cells]
    if B_WEIGHT not in roles or not any(r in roles for r in MONEY_ROLES):
        return None
    first_value = next((i for i, r in enumerate(roles) if r != LABEL), None)
    if first_value is None or first_value == 0:
        return None
    values = roles[first_value:]
    if LABEL in values:
        return None
    factor = 1 / 10000 if re.search(r"[(（]元[)）]", "".join(cell_text(c) for c in cells)) else 1.0
    return BudgetColumns(values, factor, first_value)


def read_budget_row(row: list[str], cols: BudgetColumns) -> BudgetRow | None:
    """A row of the block, placed under the header by its label (merged or padded cells shift rows)."""
    width = cols.first_value + len(cols.roles)
    placed = place_row(row, width, cols.first_value - 1)
    if placed is None:
        return None
    heads = [(c, placed.cells[c]) for c in range(cols.first_value) if cell_text(placed.cells[c])]
    if not heads:
        return None
    lead = placed.origin[heads[-1][0]]
    label, values = clean_name(heads[-1][1])[0], placed.cells[cols.first_value :]
    if parse_amount(label) is not None:
        return None
    out = BudgetRow(label, lead if lead is not None else heads[-1][0])
    for text, role in zip(values, cols.roles):
        s = cell_text(text)
        if role in MONEY_ROLES:
            a = parse_amount(s)
            if a is None:
                if s and not is_blank(s):
                    return None
                continue
            if a.unit not in ("", "万元", "元"):
                return None
            out.values[role] = to_wan(a) if a.unit else a.value * cols.factor
            out.decimals[role] = a.decimals
        elif role == RATE:
            a = parse_amount(s)
            if a is not None and a.unit in ("%", ""):
                out.values[RATE] = a.value
            elif s and not is_blank(s):
                return None
        elif role == B_WEIGHT:
            out.weight = number(s)
            if out.weight is None and s and not is_blank(s):
                return None
        elif role == B_SCORE:
            out.score = number(s)
            out.score_blank = not s
            if out.score is None and s and not is_blank(s):
                return None
    return out if _rate_consistent(out) else None


def _rate_consistent(row: BudgetRow) -> bool:
    """执行率 = 执行数 / 预算数 where all three are stated: a check that the cells sit in their columns.  A form
    caps the rate at 100% (spending above the budget scores no more than full marks)."""
    rate, spent = row.values.get(RATE), row.values.get(SPENT)
    base = row.values.get(ADJUSTED, row.values.get(BUDGET, row.values.get(INITIAL)))
    if rate is None or spent is None or not base:
        return True
    computed = spent / base * 100
    return abs(computed - rate) <= 1.0 or (computed > 100 and abs(rate - 100) <= 0.01)


def rate_agrees(spent: float, base: float, rate_text: str) -> bool:
    """执行率 as written ('100.00%', '83.5%') equals 执行数 / 预算数 to its written precision."""
    digits = rate_text.rstrip("%")
    decimals = len(digits.split(".")[1]) if "." in digits else 0
    return abs(spent / base * 100 - float(digits)) <= 0.5 * 10**-decimals + 0.01


def is_execution_label(label: str) -> bool:
    return bool(_EXECUTION_LABEL.match(clean_label(clean_name(label)[0])))


def project_name_cell(row: list[str]) -> tuple[str | None, int] | None:
    """The 项目名称 row: (name, column) with name None when the cell holds the form's title; None elsewhere."""
    cells = [(i, c) for i, c in enumerate(row) if cell_text(c)]
    for k, (i, c) in enumerate(cells):
        joined = re.match(r"^项目名称[:：](.+)$", cell_text(c))
        if joined:  # '项目名称：河湾步道养护' in one cell
            name = joined.group(1)
            return (None if _TITLE.search(name) or is_blank(name) else name), i
        if _PROJECT_NAME_LABEL.match(cell_text(c)):
            if k + 1 >= len(cells):
                return None, i
            j, value = cells[k + 1]
            name = cell_text(value)
            if _TITLE.search(name) or _FIELD_LABEL.match(name) or is_blank(name):
                return None, j
            return name, j
    return None


def is_form_title(row: list[str]) -> bool:
    """A row that holds only the title of a new 自评表 (a second table in the same block)."""
    cells = [cell_text(c) for c in row if cell_text(c)]
    return len(cells) == 1 and bool(_TITLE.search(cells[0])) and len(cells[0]) <= 40


def total_row(row: list[str], scored: list[tuple[float, float | None]]) -> tuple[float | None, float | None] | None:
    """A 总分 / 合计 row: (weight total, score total).

    A lone number is the score total when it equals the sum of the scores read above it (every row
    scored), the weight total when it equals the weights' sum instead, and neither otherwise.
    """
    cells = [c for c in row if cell_text(c)]
    if not cells or cell_text(cells[0]) not in ("总分", "总计", "合计分值", "合计", "总分值"):
        return None
    numbers = [number(c) for c in cells[1:]]
    if len(numbers) == 2 and None not in numbers:
        return numbers[0], numbers[1]
    if len(numbers) != 1 or numbers[0] is None:
        return None, None
    lone = numbers[0]
    for rows in (scored, scored[1:]):  # with or without the budget-execution row read first
        if not rows:
            continue
        weights = sum(w for w, _ in rows)
        scores = [s for _, s in rows]
        if None not in scores and abs(sum(scores) - lone) < 0.005:  # type: ignore[arg-type]
            return (lone if abs(weights - lone) < 0.005 else None), lone
        if abs(weights - lone) < 0.005:
            return lone, None
    return None, None


def project_money(total: BudgetRow, sub_rows: list[BudgetRow]) -> tuple[dict[str, float] | None, str]:
    """budget_wan / initial_budget_wan / actual_wan of the project, or None with the reason."""
    v = total.values
    money = {k: v[k] for k in MONEY_ROLES if k in v}
    if not money:
        return None, "no money stated"
    if all(x == 0 for x in money.values()) and any(
        s.has_money or any(s.values.get(k) for k in MONEY_ROLES) for s in sub_rows
    ):
        return None, (
            "the 年度资金总额 row reads 0 while its sub-rows do not; which figure is the project's "
            "budget cannot be told"
        )
    out: dict[str, float] = {}
    budget = v.get(ADJUSTED, v.get(BUDGET))
    if budget is None and INITIAL in v:
        budget = v[INITIAL]
    if budget is not None:
        out["budget_wan"] = budget
    if INITIAL in v:
        out["initial_budget_wan"] = v[INITIAL]
    if SPENT in v:
        out["actual_wan"] = v[SPENT]
    return out, ""


def budget_block_row_indices(table_rows: list[list[str]]) -> set[int]:
    """Rows of every 自评表 budget block (its header and the rows read under it).

    These rows are read by :mod:`jixiao.extract.indicators` (project money to ``fct_projects``,
    a unit-wide table's 年度资金总额/基本支出/项目支出 to fct_budget/fct_spending); the generic
    money-table reader must leave them alone.
    """
    out: set[int] = set()
    cols: BudgetColumns | None = None
    for r, row in enumerate(table_rows):
        header = budget_header(row)
        if header is not None:
            cols = header
            out.add(r)
            continue
        if cols is None:
            continue
        if read_budget_row(row, cols) is None:
            cols = None
            continue
        out.add(r)
    return out


_UNIT_ITEMS = ("total", "basic", "project")
_PHASES = {INITIAL: "initial_budget", ADJUSTED: "adjusted_budget", BUDGET: "budget"}


def unit_money(ctx: Context, row: BudgetRow, prov: Provenance) -> None:
    """A unit-wide 自评表's 年度资金总额 / 基本支出 / 项目支出 row: the unit's budget and spending."""
    item = item_for(row.label)
    if item not in _UNIT_ITEMS:
        return
    label = clean_label(row.label)
    for role, phase in _PHASES.items():
        if role in row.values:
            ctx.add(
                "fct_budget",
                ctx.fiscal_year,
                {"item": item, "phase": phase, "scope": "all"},
                {"amount_wan": row.values[role], "item_label_zh": label},
                "table",
                prov,
                row.decimals.get(role),
            )
    if SPENT in row.values:
        ctx.add(
            "fct_spending",
            ctx.fiscal_year,
            {"item": item, "scope": "all"},
            {"amount_wan": row.values[SPENT], "item_label_zh": label},
            "table",
            prov,
            row.decimals.get(SPENT),
        )
