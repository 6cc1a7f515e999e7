"""Tables that lost their rows: one cell after another (web copies, form templates).

A web copy of a table often arrives as one cell per line with no row boundaries, and a blank
cell may leave no line at all. Such a run of short cells is read only where a value cannot land
in the wrong place:

- a staffing label standing alone (人员编制, 实有人数 …) followed by a whole number, also as the
  label/value pairs of a form row ("人员编制 | 36 | 实有人数 | 38");
- a table whose header names its value columns (金额, 预算数 …): a row is a known label followed
  by exactly one number per value column (plus its 行次 number when the header has 行次). A label
  followed by fewer or more numbers is left out: a blank that left no line would shift values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from jixiao.extract.columns import MONEY_MEASURES, column_meaning
from jixiao.extract.context import Context
from jixiao.extract.functions import emit_function_line
from jixiao.extract.vocab import clean_label, is_table_total, item_for, staffing_metric, three_public_category
from jixiao.model import Paragraph, Provenance, Table
from jixiao.text.numbers import Amount, is_blank, parse_amount, parse_int, squash

_MAX_CELL = 40
_SENTENCE = re.compile(r"[。；;，,]")
_VALUE_HEADER = re.compile(
    r"^(?:金额|(?:(?:19|20)\d{2}年度?)?(?:年初|全年|调整后)?(?:预算|决算|执行|实际支出)(?:数|金额)?)"
    r"(?:[(（](?:万元|元)[)）])?$"
)
_ROW_NUMBER_HEADER = re.compile(r"^行次$")
_LABEL_HEADER = re.compile(r"^(?:项目|科目名称|项目名称)$")
_UNIT_YUAN = re.compile(r"单位[:：]\s*元|[(（]元[)）]")
_UNIT_WAN = re.compile(r"单位[:：]\s*万元|[(（]万元[)）]")


@dataclass
class Cell:
    text: str
    prov: Provenance
    line: int = 0  # the source line the cell stands on (0 when the format has no lines)

    @property
    def number(self) -> Amount | None:
        return parse_amount(self.text)


def cell_runs(ctx: Context) -> list[list[Cell]]:
    """Consecutive short cells of the document: short paragraphs and the cells of one-column tables."""
    runs: list[list[Cell]] = []
    run: list[Cell] = []
    for block in ctx.doc.blocks:
        if isinstance(block, Paragraph):
            text = block.text.strip()
            if len(text) <= _MAX_CELL and not _SENTENCE.search(text):
                line = block.line if "\n" not in block.text.strip() else 0
                run.append(Cell(text, ctx.span(block, 0, len(block.text)), line))
                continue
        elif isinstance(block, Table) and block.width == 1:
            run.extend(Cell(row[0].strip(), ctx.cell(block, r, 0)) for r, row in enumerate(block.rows) if row)
            continue
        if run:
            runs.append(run)
        run = []
    if run:
        runs.append(run)
    return runs


def extract_cell_streams(ctx: Context) -> None:
    for run in cell_runs(ctx):
        cells = [c for c in run if not is_blank(c.text)]
        _staffing_pairs(ctx, cells)
        _value_tables(ctx, cells)
    for table in ctx.doc.tables():
        if table.width > 1:
            for r, row in enumerate(table.rows):  # a form row "人员编制 | 36 | 实有人数 | 38"
                _staffing_pairs(ctx, [Cell(text.strip(), ctx.cell(table, r, c)) for c, text in enumerate(row)])


def _staffing_pairs(ctx: Context, cells: list[Cell]) -> None:
    for k, cell in enumerate(cells[:-1]):
        if re.search(r"\d", cell.text) or len(cell.text) > 12:
            continue
        metric = staffing_metric(cell.text)
        nxt = cells[k + 1]
        if metric is None or cell.number is not None:
            continue
        value = parse_int(nxt.text) if re.fullmatch(r"\d{1,6}\s*[人名]?", nxt.text) else None
        if value is None or (nxt.number is not None and nxt.number.unit not in ("", "人")):
            continue
        ctx.add(
            "fct_staffing",
            ctx.year_ok(None),
            {"metric": metric},
            {"headcount": value, "metric_label_zh": squash(cell.text)},
            "table",
            nxt.prov,
        )


@dataclass
class _Header:
    end: int  # index of the first cell after the header
    values_per_row: int
    row_number: bool
    measure: str
    year: int | None
    factor: float
    three_public: bool = False  # the rows are 三公 categories, so 合计 is their total


def _find_header(cells: list[Cell], start: int) -> _Header | None:
    """A run of header cells naming value columns, with the unit and phase said just before it."""
    k = start
    labels = values = row_numbers = 0
    heads: list[str] = []
    while k < len(cells) and cells[k].number is None:
        s = squash(cells[k].text)
        if _VALUE_HEADER.match(s):
            values += 1
            heads.append(s)
        elif _ROW_NUMBER_HEADER.match(s):
            row_numbers += 1
        elif _LABEL_HEADER.match(s):
            labels += 1
        elif values:
            break
        k += 1
    if not values or not labels or values % labels or (row_numbers and row_numbers != labels):
        return None
    context = " ".join(c.text for c in cells[max(0, start - 8) : k])
    context += " ".join(heads)
    measures = {column_meaning(h).measure for h in heads}
    measures.discard("none")
    measures.discard("unknown")
    if len(measures) > 1:
        return None
    measure = measures.pop() if measures else _context_measure(context)
    if measure not in MONEY_MEASURES:
        return None
    years = {column_meaning(h).year for h in heads}
    factor = 1 / 10000 if _UNIT_YUAN.search(context) and not _UNIT_WAN.search(context) else 1.0
    return _Header(k, values // labels, bool(row_numbers), measure, years.pop() if len(years) == 1 else None, factor)


def _context_measure(context: str) -> str | None:
    if "决算" in context:
        return "actual"
    if "预算" in context:
        return "budget"
    return None


def _value_tables(ctx: Context, cells: list[Cell]) -> None:
    k = 0
    while k < len(cells):
        header = _find_header(cells, k)
        if header is None or header.values_per_row != 1:
            k += 1
            continue
        k = _read_rows(ctx, cells, header)


def _read_rows(ctx: Context, cells: list[Cell], header: _Header) -> int:
    k = header.end
    want = 1 + (1 if header.row_number else 0)
    header.three_public = any(three_public_category(c.text) for c in cells[k : k + 40])
    while k < len(cells):
        if cells[k].number is not None:
            k += 1
            continue
        label = cells[k]
        numbers = []
        j = k + 1
        while j < len(cells) and cells[j].number is not None:
            numbers.append(cells[j])
            j += 1
        if _find_header(cells, k) is not None:
            return k
        if len(numbers) == want:
            _emit(ctx, label, numbers[-1], header)
        k = j
    return k


def _emit(ctx: Context, label: Cell, value: Cell, header: _Header) -> None:
    emit_value(ctx, label, value, header.measure, header.year, header.factor, header.three_public)


def emit_value(
    ctx: Context, label: Cell, value: Cell, measure: str, year: int | None, factor: float, three_public: bool
) -> None:
    """One value of a labelled row: a 三公 category, a function class or a budget/spending item."""
    amount = value.number
    if amount is None or amount.unit in ("%", "人"):
        return
    if factor != 1:
        amount = Amount(amount.value * factor, amount.decimals + 4, "万元", amount.text)
    year = ctx.year_ok(year)
    category = three_public_category(label.text)
    if category is None and three_public and is_table_total(label.text):
        category = "total"
    if category:
        phase = "actual" if measure == "actual" else "budget"
        ctx.add_amount(
            "fct_three_public_expenses",
            year,
            {"category": category, "phase": phase},
            label.text,
            amount,
            "table",
            value.prov,
            "category_label_zh",
        )
        return
    phase = measure
    if emit_function_line(ctx, year, phase, label.text, amount, "table", value.prov) and item_for(label.text) is None:
        return
    item = item_for(label.text)
    if item is None:
        return
    if measure == "actual":
        ctx.add_amount(
            "fct_spending",
            year,
            {"item": item, "scope": "all"},
            clean_label(label.text),
            amount,
            "table",
            value.prov,
            "item_label_zh",
        )
    else:
        ctx.add_amount(
            "fct_budget",
            year,
            {"item": item, "phase": measure, "scope": "all"},
            clean_label(label.text),
            amount,
            "table",
            value.prov,
            "item_label_zh",
        )
