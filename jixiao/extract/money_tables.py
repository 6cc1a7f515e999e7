"""Tables of amounts by row label and (year, phase) columns.

Covers the 基础数据表 (三公 lines, 项目支出 and its project lines, 公用经费 lines), dedicated
三公 tables, 收支总表 with two label/value column groups, the 自评表's 年度资金总额 row and its
"label：value" cells, and the staffing header/row pair.  A table may hold several sections,
each opened by its own header row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from jixiao.extract.columns import MONEY_MEASURES, ColumnMeaning, column_meaning, expand_two_level_header
from jixiao.extract.context import Context
from jixiao.extract.project_tables import budget_block_row_indices
from jixiao.extract.row_alignment import place_row
from jixiao.extract.vocab import (
    TEMPLATE_ROWS,
    clean_label,
    is_table_total,
    item_for,
    staffing_metric,
    three_public_category,
)
from jixiao.model import Provenance, Table
from jixiao.text.numbers import Amount, is_blank, malformed_number, parse_amount, parse_int, squash

_ENUMERATED = re.compile(r"^\s*\d+\s*[、.．]")
_TEMPLATE_PROJECT = re.compile(r"^(?:省级|上级|市级|县级|本级|中央)?专项资金")
_LABEL_VALUE_CELL = re.compile(
    r"^(?:其中[:：])?\s*([^:：\d]{2,24}?)\s*[:：]\s*([0-9０-９][0-9０-９.,，\s]*)\s*(万元|万|元)?$"
)
_STAFF_HEADER = re.compile(r"编制|在职人数|实有人数|实际在职|退休")


@dataclass
class _Section:
    meanings: list[ColumnMeaning]
    header_texts: list[str]
    phase_hint: str | None  # from the caption: "initial_budget" for 年初预算 tables

    @property
    def label_column(self) -> int:
        """The header's last label column before its first value column."""
        first_value = next((c for c, m in enumerate(self.meanings) if m.measure != "none"), len(self.meanings))
        return max(first_value - 1, 0)


def extract_money_tables(ctx: Context) -> None:
    for table in ctx.doc.tables():
        _extract_table(ctx, table)
        _extract_label_value_cells(ctx, table)


def _caption_phase(caption: str) -> str | None:
    if re.search(r"年初", caption):
        return "initial_budget"
    return None


def _caption_default_measure(caption: str) -> str | None:
    if re.search(r"支出|决算|执行", caption) and not re.search(r"预算执行", caption):
        return "actual"
    if re.search(r"预算", caption):
        return "budget"
    return None


def _table_unit_factor(table: Table) -> float:
    """1 for 万元 tables, 1/10000 when the caption or header says the unit is 元."""
    text = table.caption + " ".join(table.rows[0] if table.rows else [])
    if re.search(r"单位[:：]\s*元|[(（]元[)）]", text) and "万元" not in text:
        return 1 / 10000
    return 1.0


def _extract_table(ctx: Context, table: Table) -> None:
    section: _Section | None = None
    staffing: tuple[list[str], int] | None = None
    subsection: str | None = None
    three_public_table = any(three_public_category(r[0]) for r in table.rows if r)
    factor = _table_unit_factor(table)
    self_evaluation_rows = budget_block_row_indices(table.rows)  # read by indicators.py (project money rule)
    r = 0
    while r < len(table.rows):
        row = table.rows[r]
        if r in self_evaluation_rows:
            section = staffing = None
            r += 1
            continue
        if _is_indicator_header(row):
            section = staffing = None  # the indicator section is read by indicators.py
            r += 1
            continue
        if _is_staff_header(row):
            staffing, section = (row, r), None
            r += 1
            continue
        if _is_money_header(row):
            texts = row
            if r + 1 < len(table.rows) and _is_sub_header(table.rows[r + 1], row):
                expanded = expand_two_level_header(row, table.rows[r + 1])
                if expanded:
                    texts = expanded
                    r += 1
            meanings = _without_part_columns(
                texts, [ColumnMeaning(None, "none")] + [column_meaning(t) for t in texts[1:]]
            )
            section = _Section(meanings, texts, _caption_phase(table.caption))
            staffing = None
            r += 1
            continue
        if staffing is not None:
            _staffing_row(ctx, table, r, staffing[0])
            staffing = None
        elif section is not None:
            subsection = _money_row(ctx, table, r, section, subsection, three_public_table, factor)
        r += 1


_TOTAL_COLUMN = re.compile(r"合计|小计|总计")
_PART_COLUMN = re.compile(r"其中|拨款|安排数|资金$")


def _without_part_columns(texts: list[str], meanings: list[ColumnMeaning]) -> list[ColumnMeaning]:
    """Beside a 合计/小计 column, the columns of its parts by source (其中…, …拨款) are not the amount."""
    has_total = any(_TOTAL_COLUMN.search(t) and m.measure in MONEY_MEASURES for t, m in zip(texts, meanings))
    if not has_total:
        return meanings
    return [
        ColumnMeaning(m.year, "ignore")
        if m.measure in MONEY_MEASURES and not _TOTAL_COLUMN.search(t) and _PART_COLUMN.search(t)
        else m
        for t, m in zip(texts, meanings)
    ]


def _is_indicator_header(row: list[str]) -> bool:
    joined = "".join(row)
    return "一级指标" in joined or ("三级指标" in joined and "二级指标" in joined)


def _is_staff_header(row: list[str]) -> bool:
    hits = [c for c in row[1:] if _STAFF_HEADER.search(c) and not re.search(r"万元|经费", c)]
    return len(hits) >= 1 and not any(parse_amount(c) for c in row)


def _is_money_header(row: list[str]) -> bool:
    if any(parse_amount(c) for c in row):
        return False
    meanings = [column_meaning(c) for c in row[1:]]
    money = [m for m in meanings if m.measure in MONEY_MEASURES or (m.measure == "unknown" and m.year)]
    return len(money) >= 1 and len([c for c in row if c.strip()]) >= 2


def _is_sub_header(sub: list[str], top: list[str]) -> bool:
    return len(sub) > len(top) and not any(parse_amount(c) for c in sub) and sum(1 for c in sub if c.strip()) >= 2


def _label_for(row: list[str], col: int, meanings: list[ColumnMeaning]) -> tuple[str, int] | None:
    """The row label for value column ``col``: the nearest non-blank cell to its left outside value columns."""
    for k in range(col - 1, -1, -1):
        if k < len(meanings) and (meanings[k].measure in MONEY_MEASURES or meanings[k].measure == "unknown"):
            continue
        text = row[k].strip() if k < len(row) else ""
        if text and not is_blank(text) and parse_amount(text) is None:
            return text, k
    return None


def _money_row(
    ctx: Context,
    table: Table,
    r: int,
    section: _Section,
    subsection: str | None,
    three_public_table: bool,
    factor: float,
) -> str | None:
    placed = place_row(table.rows[r], len(section.meanings), section.label_column)
    if placed is None:
        return subsection
    row = placed.cells
    per_year: dict[int | None, dict[str, Any]] = {}  # year -> budget_wan/actual_wan (value, col, decimals), label
    label_seen: str | None = None
    for c, meaning in enumerate(section.meanings):
        measure = meaning.measure
        if measure == "unknown":
            head = section.header_texts[c]
            if re.search(r"基本支出|项目支出", head):
                continue
            measure = _caption_default_measure(table.caption) or "none"
        if measure not in MONEY_MEASURES:
            continue
        amount = parse_amount(row[c])
        if amount is None and malformed_number(row[c]):
            shown = row[c].strip() if len(row[c].strip()) <= 40 else row[c].strip()[:40] + "…"
            ctx.finding(
                "ambiguous_cell",
                "warn",
                f"'{shown}' is not one well-formed number; left out",
                observed=shown,
                expected="one number, e.g. 1,234.56",
                prov=ctx.cell(table, r, c),
            )
        if amount is None or amount.unit in ("%", "人"):
            continue
        found = _label_for(row, c, section.meanings)
        if found is None:
            continue
        label, _ = found
        label_seen = label
        year = ctx.year_ok(meaning.year, meaning.offset)
        phase = section.phase_hint if measure == "budget" and section.phase_hint else measure
        col = placed.origin[c]
        subsection = _emit(
            ctx,
            table,
            r,
            c if col is None else col,
            label,
            amount,
            year,
            phase,
            subsection,
            three_public_table,
            factor,
            per_year,
        )
    if label_seen is None:
        label_cell = next((x for x in row if x.strip()), "")
        subsection = _section_of(label_cell, subsection)
    for year, vals in per_year.items():
        _emit_project(ctx, table, r, year, vals)
    return subsection


def _section_of(label: str, current: str | None) -> str | None:
    clean = clean_label(label)
    if three_public_category(label):
        return "three_public"
    if clean.startswith("项目支出"):
        return "project"
    if item_for(label):
        return "item"
    return current


def _emit(
    ctx: Context,
    table: Table,
    r: int,
    c: int,
    label: str,
    amount: Amount,
    year: int | None,
    phase: str,
    subsection: str | None,
    three_public_table: bool,
    factor: float,
    per_year: dict[int | None, dict[str, Any]],
) -> str | None:
    prov = ctx.cell(table, r, c)
    scaled = Amount(
        amount.value * factor,
        amount.decimals + (4 if factor != 1 else 0),
        "万元" if factor != 1 else amount.unit,
        amount.text,
    )
    category = three_public_category(label)
    if category is None and three_public_table and is_table_total(label):
        category = "total"
    if category:
        tp_phase = "actual" if phase == "actual" else "budget"
        ctx.add_amount(
            "fct_three_public_expenses",
            year,
            {"category": category, "phase": tp_phase},
            label,
            scaled,
            "table",
            prov,
            "category_label_zh",
        )
        return "three_public"
    item = item_for(label)
    if item:
        _emit_item(ctx, item, label, scaled, year, phase, prov)
        return "project" if item == "project" else "item"
    if subsection == "project" and _is_project_line(label):
        slot = "actual_wan" if phase == "actual" else "budget_wan"
        per_year.setdefault(year, {})
        if slot not in per_year[year]:
            per_year[year][slot] = (scaled.value, c, scaled.decimals)
            per_year[year]["label"] = label
    return subsection


def _emit_item(
    ctx: Context, item: str, label: str, amount: Amount, year: int | None, phase: str, prov: Provenance
) -> None:
    if phase == "actual":
        ctx.add_amount(
            "fct_spending",
            year,
            {"item": item, "scope": "all"},
            clean_label(label),
            amount,
            "table",
            prov,
            "item_label_zh",
        )
    else:
        ctx.add_amount(
            "fct_budget",
            year,
            {"item": item, "phase": phase, "scope": "all"},
            clean_label(label),
            amount,
            "table",
            prov,
            "item_label_zh",
        )


def _is_project_line(label: str) -> bool:
    s = clean_label(label)
    if not s or _ENUMERATED.match(label) or TEMPLATE_ROWS.search(label) or _TEMPLATE_PROJECT.match(s):
        return False
    return three_public_category(label) is None and item_for(label) is None and s not in ("合计", "小计", "总计")


def _emit_project(ctx: Context, table: Table, r: int, year: int | None, vals: dict[str, Any]) -> None:
    label = vals.get("label")
    if not label:
        return
    budget = vals.get("budget_wan")
    actual = vals.get("actual_wan")
    slot = actual or budget
    if slot is None:
        return
    col = slot[1]
    ctx.add(
        "fct_projects",
        year,
        {"project_name": squash(clean_label(label))},
        {"budget_wan": budget[0] if budget else None, "actual_wan": actual[0] if actual else None},
        "table",
        ctx.cell(table, r, col),
    )


def _staffing_row(ctx: Context, table: Table, r: int, header: list[str]) -> None:
    row = table.rows[r]
    if len(row) != len(header):
        return  # cells cannot be matched to the header: leave the row out
    for c, head in enumerate(header):
        if c >= len(row):
            break
        metric = staffing_metric(head)
        if metric is None:
            continue
        value = parse_int(row[c])
        if value is None:
            continue
        meaning = column_meaning(head)
        ctx.add(
            "fct_staffing",
            ctx.year_ok(meaning.year, meaning.offset),
            {"metric": metric},
            {"headcount": value, "metric_label_zh": squash(head)},
            "table",
            ctx.cell(table, r, c),
        )


def _extract_label_value_cells(ctx: Context, table: Table) -> None:
    """Cells such as "其中：一般公共预算：1884.15" or "项目支出：448.17万" (自评表 funding rows)."""
    for r, row in enumerate(table.rows):
        for c, cell in enumerate(row):
            m = _LABEL_VALUE_CELL.match(cell.strip().replace("\n", ""))
            if not m:
                continue
            item = item_for(m.group(1))
            if item is None:
                continue
            amount = parse_amount(m.group(2) + (m.group(3) or ""))
            if amount is None:
                continue
            ctx.add_amount(
                "fct_spending",
                ctx.fiscal_year,
                {"item": item, "scope": "all"},
                clean_label(m.group(1)),
                amount,
                "table",
                ctx.cell(table, r, c),
                "item_label_zh",
            )
