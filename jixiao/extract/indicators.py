"""Scored self-evaluation tables (自评表): 三级指标 rows, the 年度资金总额 row, 总分, and projects.

A table (or a block holding several 自评表 one after another) is walked row by row:

* a 项目名称 row opens a project table (项目支出绩效自评表): its rows get ``project_name`` and
  its budget block's money goes to ``fct_projects`` (never to the unit's fct_budget/fct_spending);
* the budget block (年初预算数 / 全年预算数 / 全年执行数 / 分值 / 得分) gives the one
  budget-execution indicator row (:mod:`.project_tables`);
* the indicator header (一级/二级/三级指标 … 分值 / 得分) gives the roles its rows are aligned
  to (:mod:`.indicator_rows`); a row that fits no alignment, or two that disagree, is left out;
* a 总分 row closes the table.

Flattened tables whose cells run together in one paragraph are read by :mod:`.indicator_stream`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from jixiao.extract.context import Context
from jixiao.extract.indicator_columns import (
    L1_POINTS,
    clean_name,
    header_roles,
    is_sub_item,
    is_template_name,
    merge_two_row_header,
    number,
)
from jixiao.extract.indicator_rows import AlignedRow, align_row
from jixiao.extract.indicator_stream_marks import UNPLACEABLE
from jixiao.extract.project_tables import (
    BudgetColumns,
    BudgetRow,
    budget_header,
    is_execution_label,
    is_form_title,
    project_money,
    project_name_cell,
    read_budget_row,
    total_row,
    unit_money,
)
from jixiao.extract.vocab import level1_for, level1_of_level2, level2_for
from jixiao.model import Provenance, Table
from jixiao.text.numbers import parse_amount

FormTotal = tuple  # (总分 weight, 总分 score, project name) of one form, members None when not stated


@dataclass
class Project:
    """One 自评表 inside a block: its project (if a project table) and what its rows gave."""

    is_project: bool = False
    name: str | None = None
    prov: Provenance | None = None
    money: dict[str, float] | None = None
    money_prov: Provenance | None = None
    total: tuple[float | None, float | None] | None = None


@dataclass
class _Walk:
    project: Project = field(default_factory=Project)
    budget: BudgetColumns | None = None
    budget_total: BudgetRow | None = None
    budget_subs: list[BudgetRow] = field(default_factory=list)
    roles: list[str] | None = None
    level1: str = ""
    level2: str = ""
    level1_points: float | None = None
    scored: list[tuple[float, float | None]] = field(default_factory=list)  # (weight, score) of rows read


def extract_indicator_tables(ctx: Context) -> None:
    from jixiao.extract.indicator_stream import extract_indicator_streams

    totals: list[FormTotal] = []
    for table in ctx.doc.tables():
        totals += _guarded(ctx, partial(_walk_table, ctx, table), f"table {table.index}")
    totals += _guarded(ctx, lambda: extract_indicator_streams(ctx), "flattened tables")
    scored = [t for t in totals if t[1] is not None]
    projects = {t[2] for t in totals if t[2]}
    if len(scored) == 1 and len(projects) <= 1:  # a report on several projects has no one score
        ctx.indicator_totals = (scored[0][0], scored[0][1])


def _guarded(ctx: Context, read: Callable[[], list[FormTotal]], where: str) -> list[FormTotal]:
    """A table this module cannot read costs its own rows (none kept), never the whole report."""
    kept = len(ctx.facts)
    try:
        return read()
    except Exception as exc:
        del ctx.facts[kept:]
        ctx.finding(
            "unreadable_table",
            "warn",
            f"the 自评表 in {where} could not be read ({type(exc).__name__}: {exc}); its indicator rows are left out",
        )
        return []


def _walk_table(ctx: Context, table: Table) -> list[FormTotal]:
    from jixiao.extract.indicator_stream import is_stream_row

    if any(is_stream_row(row) for row in table.rows):
        return []  # a whole form in one run of cells: read by indicator_stream
    return walk_rows(ctx, table)


def walk_rows(ctx: Context, table: Table) -> list[FormTotal]:
    """Read the 自评表 rows of one table (or of rows cut from a stream); returns each form's 总分."""

    walk = _Walk()
    _project_named_before(ctx, table, walk)
    totals: list[FormTotal] = []
    rows = table.rows
    for r, row in enumerate(rows):
        if UNPLACEABLE in row:
            _unplaceable(ctx, table, r, walk)
            continue
        named = project_name_cell(row)
        if named is not None or is_form_title(row):
            if named is not None and walk.project.is_project and walk.project.name is None and walk.roles is None:
                pass  # the title row opened this project: the 项目名称 row belongs to it
            else:
                _close_budget(ctx, table, walk)
                _close_project(ctx, walk)
                _form_done(walk, totals)
                walk = _Walk()
            if named is not None:
                walk.project.is_project = True
                walk.project.name = named[0]
                walk.project.prov = ctx.cell(table, r, named[1])
                if named[0] is None:
                    ctx.finding(
                        "ambiguous_cell",
                        "warn",
                        "the 项目名称 cell holds no project name (the form's title "
                        "or a blank); the project's money and name are left out",
                        prov=ctx.cell(table, r, named[1]),
                    )
            elif re.search(r"项目", "".join(row)):
                walk.project.is_project = True
            continue
        cols = budget_header(row)
        if cols is not None and walk.roles is None:
            walk.budget, walk.budget_total, walk.budget_subs = cols, None, []
            continue
        roles = header_roles(row)
        if roles is None and r > 0:
            merged = merge_two_row_header(rows[r - 1], row)
            roles = header_roles(merged) if merged else None
        if roles is not None:
            _close_budget(ctx, table, walk)
            walk.roles, walk.level1, walk.level2, walk.level1_points = roles, "", "", None
            continue
        total = total_row(row, walk.scored)
        if total is not None and (walk.roles is not None or walk.budget is not None):
            _close_budget(ctx, table, walk)
            walk.project.total = total
            walk.roles = None
            continue
        if walk.roles is None and walk.budget is not None:
            _budget_row(ctx, table, r, walk)
        elif walk.roles is not None:
            _indicator_row(ctx, table, r, walk)
    _close_budget(ctx, table, walk)
    _close_project(ctx, walk)
    _form_done(walk, totals)
    return totals


def _project_named_before(ctx: Context, table: Table, walk: _Walk) -> None:
    """A 项目名称 line standing as a paragraph just before the table (a form flattened to lines) opens the
    project the table's money belongs to."""
    position = next((k for k, b in enumerate(ctx.doc.blocks) if b is table), None)
    if position is None:
        return
    for block in reversed(ctx.doc.blocks[max(0, position - 4) : position]):
        if isinstance(block, Table):
            return
        named = project_name_cell(block.text.split(maxsplit=1)) if block.text.startswith("项目名称") else None
        if named is not None and named[0] is not None:
            walk.project.is_project = True
            walk.project.name = named[0]
            walk.project.prov = ctx.span(block, 0, len(block.text))
            return


def _form_done(walk: _Walk, forms: list[FormTotal]) -> None:
    """One entry per 自评表 read: its 总分 (weight, score; None when not stated) and project name."""
    if walk.scored or walk.project.total:
        forms.append((*(walk.project.total or (None, None)), walk.project.name))


def _unplaceable(ctx: Context, table: Table, r: int, walk: _Walk) -> None:
    """A row of a flattened table whose cells cannot be matched to columns: no facts, a finding."""
    from jixiao.extract.indicator_stream_marks import UNPLACEABLE

    cells = [c for c in table.rows[r] if c != UNPLACEABLE]
    text = " ".join(c for c in cells if c.strip())
    if walk.budget is not None and walk.roles is None:
        if walk.budget_total is None:
            if cells and is_execution_label(cells[0]):
                walk.budget = None  # the scored row itself cannot be placed: the block is not read
            else:
                return
        elif any(_nonzero(c) for c in cells[1:]):
            walk.budget_subs.append(BudgetRow(clean_name(cells[0])[0], 0, has_money=True))
            return
        else:
            return  # a sub-row stating no amount
    ctx.finding(
        "ambiguous_cell",
        "warn",
        "a row of a flattened 自评表 has fewer or more cells than its header "
        "and cannot be matched to columns; left out",
        observed=text,
        prov=ctx.cell(table, r, 0),
    )


def _nonzero(text: str) -> bool:
    a = parse_amount(text)
    return a is not None and a.value != 0


def _budget_row(ctx: Context, table: Table, r: int, walk: _Walk) -> None:
    assert walk.budget is not None
    read = read_budget_row(table.rows[r], walk.budget)
    if read is None:
        if walk.budget_total is not None or any(c.strip() for c in table.rows[r][1:]):
            _close_budget(ctx, table, walk)
        return
    if not walk.project.is_project:
        unit_money(ctx, read, ctx.cell(table, r, read.label_col))
    if walk.budget_total is None:
        if not is_execution_label(read.label):
            return
        walk.budget_total = read
        label_prov = ctx.cell(table, r, read.label_col)
        walk.project.money_prov = label_prov
        if read.weight is not None:
            _add(
                ctx,
                walk,
                {"indicator_name": clean_name(read.label)[0], "level1_name": None},
                {
                    "level1": "budget_execution",
                    "level1_points": None,
                    "level2_name": None,
                    "level2": "other",
                    "target_value": None,
                    "actual_value": None,
                    "weight": read.weight,
                    "score": read.score,
                    "deviation_note": None,
                },
                label_prov,
            )
        return
    walk.budget_subs.append(read)


def _close_budget(ctx: Context, table: Table, walk: _Walk) -> None:
    if walk.budget_total is not None and walk.project.is_project:
        money, reason = project_money(walk.budget_total, walk.budget_subs)
        if money is None and reason:
            ctx.finding(
                "ambiguous_cell",
                "warn",
                f"project '{walk.project.name or '?'}': {reason}; its money is left out",
                prov=walk.project.money_prov,
            )
        walk.project.money = money
    walk.budget, walk.budget_total, walk.budget_subs = None, None, []


def _close_project(ctx: Context, walk: _Walk) -> None:
    p = walk.project
    prov = p.money_prov or p.prov  # set with the name
    if not p.is_project or not p.name or prov is None or not (p.money or (p.total and p.total[1] is not None)):
        return
    values: dict[str, float | None] = {
        "budget_wan": None,
        "initial_budget_wan": None,
        "actual_wan": None,
        "self_score": None,
    }
    values.update(p.money or {})
    if p.total and p.total[1] is not None:
        values["self_score"] = p.total[1]
    ctx.add("fct_projects", ctx.fiscal_year, {"project_name": p.name}, values, "table", prov)


def _indicator_row(ctx: Context, table: Table, r: int, walk: _Walk) -> None:
    assert walk.roles is not None
    row = table.rows[r]
    reading = align_row(row, walk.roles)
    if reading.row is None:
        l1, l2 = reading.levels
        if l1:
            walk.level1, walk.level2 = l1, ""
        if l2:
            walk.level2 = l2
        if reading.ambiguous:
            ctx.finding(
                "ambiguous_cell",
                "warn",
                f"an indicator row cannot be placed under the header ({reading.reason}); left out",
                observed=" | ".join(c for c in row if c.strip()),
                prov=ctx.cell(table, r, 0),
            )
        elif reading.reason and _has_points(row):
            ctx.finding(
                "ambiguous_cell",
                "warn",
                f"an indicator row does not fit the header ({reading.reason}); left out",
                observed=" | ".join(c for c in row if c.strip()),
                prov=ctx.cell(table, r, 0),
            )
        return
    a = reading.row
    if a.level1:
        walk.level1, walk.level2 = a.level1, ""
        walk.level1_points = number(a.cells.get(L1_POINTS))
    if a.level2:
        walk.level2 = a.level2
    _emit_indicator(ctx, a, ctx.cell(table, r, a.name_col), walk)


def _emit_indicator(ctx: Context, a: AlignedRow, prov: Provenance, walk: _Walk) -> None:
    """One 三级指标 row as a fact (sub-items and template rows are not indicators)."""
    name, _ = clean_name(a.name)
    if is_sub_item(name) or is_template_name(name):
        return
    level1, level2, points = walk.level1, walk.level2, walk.level1_points
    l1_name, l1_heading_points = clean_name(level1)
    l2_name, _ = clean_name(level2)
    _add(
        ctx,
        walk,
        {"indicator_name": name, "level1_name": l1_name or None},
        {
            "level1": level1_for(l1_name) if l1_name else level1_of_level2(level2_for(l2_name) if l2_name else "other"),
            "level1_points": l1_heading_points if l1_heading_points is not None else points,
            "level2_name": l2_name or None,
            "level2": level2_for(l2_name) if l2_name else "other",
            "target_value": a.target,
            "actual_value": a.actual,
            "weight": a.weight,
            "score": a.score,
            "deviation_note": None,
        },
        prov,
    )


def _add(ctx: Context, walk: _Walk, key: dict, values: dict, prov: Provenance) -> None:
    walk.scored.append((values["weight"], values["score"]))
    if walk.project.is_project and walk.project.name:
        key = {**key, "project_name": walk.project.name}
    ctx.add("fct_indicator_scores", ctx.fiscal_year, key, values, "table", prov)


def _has_points(row: list[str]) -> bool:
    return sum(1 for c in row if re.fullmatch(r"\s*\d+(?:\.\d+)?\s*", c or "")) >= 2
