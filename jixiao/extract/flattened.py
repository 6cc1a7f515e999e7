"""Tables flattened into running text: cells joined by single spaces, rows run together.

A forum or mirror copy of a form can turn a whole table into "header header header label 1 2 3
label 4 5 6", sometimes with a cell broken over a blank line ("95." … "10%"). A header run
(two or more column headers with a measure: 2017年决算数, 2018年预算数, 编制数 …) gives the columns;
after it, a row is a label followed by exactly one number per column. A label followed by fewer
or more numbers is left out: which columns its numbers belong to is not written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from jixiao.extract.columns import MONEY_MEASURES, ColumnMeaning, column_meaning
from jixiao.extract.context import Context
from jixiao.extract.vocab import clean_label, is_table_total, item_for, staffing_metric, three_public_category
from jixiao.model import Paragraph, Provenance
from jixiao.text.numbers import parse_amount, parse_int

_NUMBER = re.compile(r"^[-+]?\d+(?:\.\d+)?%?\.?$")
_STAFF_HEAD = re.compile(r"^(?:编制数|(?:(?:19|20)\d{2}年)?(?:实际在职人数|在职人数|实有人数)|控制率)$")
_MONEY_HEAD = re.compile(r"^(?:19|20)\d{2}年(?:决算数|预算数|执行数)$")


@dataclass
class _Token:
    text: str
    prov: Provenance

    @property
    def is_number(self) -> bool:
        return bool(_NUMBER.match(self.text))


def _tokens(ctx: Context) -> list[_Token]:
    """Every white-space separated token of the paragraphs, a number cut after its point rejoined."""
    out: list[_Token] = []
    for block in ctx.doc.blocks:
        if not isinstance(block, Paragraph):
            continue
        first = True
        for m in re.finditer(r"\S+", block.text):
            text = m.group(0)
            if first and out and re.fullmatch(r"\d+\.", out[-1].text) and re.match(r"\d", text):
                prev = out.pop()
                out.append(_Token(prev.text + text, ctx.span(block, 0, m.end())))
            else:
                out.append(_Token(text, ctx.span(block, m.start(), m.end())))
            first = False
    return out


@dataclass
class _Columns:
    heads: list[str]
    meanings: list[ColumnMeaning]
    metrics: list[str | None]  # staffing metric of each column, or None
    end: int


def _header_at(tokens: list[_Token], i: int) -> _Columns | None:
    j = i
    while j < len(tokens) and (_MONEY_HEAD.match(tokens[j].text) or _STAFF_HEAD.match(tokens[j].text)):
        j += 1
    if j - i < 2:
        return None
    heads = [t.text for t in tokens[i:j]]
    metrics = [staffing_metric(h) if _STAFF_HEAD.match(h) else None for h in heads]
    return _Columns(heads, [column_meaning(h) for h in heads], metrics, j)


def extract_flattened_tables(ctx: Context) -> None:
    rows: list[tuple[str, list[_Token], _Columns]] = []
    tokens = _tokens(ctx)
    i = 0
    columns: _Columns | None = None
    while i < len(tokens):
        header = _header_at(tokens, i)
        if header is not None:
            columns, i = header, header.end
            j = i
            while j < len(tokens) and tokens[j].is_number:
                j += 1
            if j - i == len(columns.meanings) and any(columns.metrics):  # a staffing row has no label
                rows.append(("", tokens[i:j], columns))
                i = j
            continue
        if columns is None or tokens[i].is_number:
            i += 1
            continue
        j = i + 1
        while j < len(tokens) and tokens[j].is_number:
            j += 1
        numbers = tokens[i + 1 : j]
        if len(numbers) == len(columns.meanings):
            rows.append((tokens[i].text, numbers, columns))
        elif "指标" in tokens[i].text:
            columns = None  # an indicator table starts: the money/staffing columns end here
        i = j
    three_public = {id(c) for label, _, c in rows if three_public_category(label)}
    for label, numbers, cols in rows:
        _row(ctx, label, numbers, cols, id(cols) in three_public)


def _row(ctx: Context, label: str, numbers: list[_Token], columns: _Columns, three_public: bool) -> None:
    """One row; ``three_public``: the rows under this header are 三公 categories, so 合计 is their total."""
    if any(columns.metrics):
        for head, metric, meaning, token in zip(columns.heads, columns.metrics, columns.meanings, numbers):
            value = parse_int(token.text)
            if metric is None or value is None or token.text.endswith("%"):
                continue
            ctx.add(
                "fct_staffing",
                ctx.year_ok(meaning.year),
                {"metric": metric},
                {"headcount": value, "metric_label_zh": head},
                "table",
                token.prov,
            )
        return
    category = three_public_category(label) or ("total" if three_public and is_table_total(label) else None)
    item = None if category else item_for(label)
    if category is None and item is None:
        return
    for meaning, token in zip(columns.meanings, numbers):
        amount = parse_amount(token.text.rstrip("."))
        if amount is None or amount.unit == "%" or meaning.measure not in MONEY_MEASURES:
            continue
        year = ctx.year_ok(meaning.year)
        if category:
            phase = "actual" if meaning.measure == "actual" else "budget"
            ctx.add_amount(
                "fct_three_public_expenses",
                year,
                {"category": category, "phase": phase},
                label,
                amount,
                "table",
                token.prov,
                "category_label_zh",
            )
        elif meaning.measure == "actual":
            ctx.add_amount(
                "fct_spending",
                year,
                {"item": item, "scope": "all"},
                clean_label(label),
                amount,
                "table",
                token.prov,
                "item_label_zh",
            )
        else:
            ctx.add_amount(
                "fct_budget",
                year,
                {"item": item, "phase": meaning.measure, "scope": "all"},
                clean_label(label),
                amount,
                "table",
                token.prov,
                "item_label_zh",
            )
