"""The scored indicator table (一级/二级/三级指标, 分值, 得分) and the 年度资金总额 scoring row."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from jixiao.extract.context import Context
from jixiao.extract.numbers import is_blank, parse_amount, squash
from jixiao.extract.vocab import level1_for, level2_for
from jixiao.model import Table

_POINTS = re.compile(r"[（(]\s*(\d+(?:\.\d+)?)\s*分\s*[)）]")
_RULE_TOTAL = re.compile(r"(?:合计|总分|共计|共|满分|总计|计)\s*(\d+(?:\.\d+)?)\s*分")
_RULE_ANY = re.compile(r"(\d+(?:\.\d+)?)\s*分")


@dataclass
class _Columns:
    level1: int
    level2: int
    level3: int
    target: int | None
    actual: int | None
    weight: int
    score: int
    deviation: int | None
    width: int


def extract_indicator_tables(ctx: Context) -> None:
    for table in ctx.doc.tables():
        _execution_rows(ctx, table)
        cols: _Columns | None = None
        seen_header = False
        level1 = level2 = ""
        for r, row in enumerate(table.rows):
            header = _header_columns(row) if any("指标" in c for c in row) else None
            if header:
                cols, level1, level2, seen_header = header, "", "", True
                continue
            if seen_header and _total_row(ctx, row):
                cols = None
                continue
            if cols is None:
                continue
            level1, level2 = _indicator_row(ctx, table, r, cols, level1, level2)


def clean_name(text: str) -> tuple[str, float | None]:
    """Remove white space and a points annotation: '产出指标\\n(50 分)' → ('产出指标', 50.0)."""
    s = squash(text)
    m = _POINTS.search(s)
    points = float(m.group(1)) if m else None
    s = _POINTS.sub("", s)
    return s, points


@lru_cache(maxsize=1 << 14)
def _cell_matches(pattern: str, cell: str) -> bool:
    return re.search(pattern, squash(cell)) is not None


def _find(row: list[str], pattern: str) -> int | None:
    for i, c in enumerate(row):
        if _cell_matches(pattern, c):
            return i
    return None


def _header_columns(row: list[str]) -> _Columns | None:
    l1 = _find(row, r"一级指标")
    l2 = _find(row, r"二级指标")
    l3 = _find(row, r"三级指标")
    weight = _find(row, r"^分值|^权重|^标准分")
    score = _find(row, r"得分")
    if None in (l1, l2, l3, weight, score):
        return None
    return _Columns(
        level1=l1, level2=l2, level3=l3,  # type: ignore[arg-type]
        target=_find(row, r"指标值|目标值|预期|年度目标"),
        actual=_find(row, r"实际完成|完成值|实际值|完成情况"),
        weight=weight, score=score,  # type: ignore[arg-type]
        deviation=_find(row, r"偏差|原因"),
        width=len(row),
    )


def _number(text: str) -> float | None:
    a = parse_amount(text)
    return a.value if a is not None and a.unit in ("", "万元") else None


def _realign(row: list[str], cols: _Columns) -> tuple[list[str | None], bool]:
    """Cells by header position; a merged level cell repeated into the next column is dropped.

    Returns the cells and whether target/actual could not be told apart.
    """
    cells: list[str | None] = list(row) + [""] * (cols.width - len(row))
    if len(row) == cols.width:
        l2, l3 = row[cols.level2].strip(), row[cols.level3].strip()
        if not (l2 and l2 == l3):
            return cells, False
        trimmed = row[: cols.level3] + row[cols.level3 + 1 :]
    elif len(row) == cols.width - 1:
        trimmed = list(row)
    else:
        return cells, True
    # left part up to the name, right part from the weight; one value left for two slots.
    left = trimmed[: cols.level3 + 1]
    right_len = cols.width - cols.weight
    right = trimmed[len(trimmed) - right_len :]
    middle = trimmed[cols.level3 + 1 : len(trimmed) - right_len]
    out: list[str | None] = left + [None] * (cols.weight - cols.level3 - 1) + right
    ambiguous = len(middle) != cols.weight - cols.level3 - 1
    return out, ambiguous


def _indicator_row(ctx: Context, table: Table, r: int, cols: _Columns, level1: str, level2: str) -> tuple[str, str]:
    row = table.rows[r]
    cells, ambiguous = _realign(row, cols)
    get = lambda i: (cells[i] or "") if i is not None and i < len(cells) else ""  # noqa: E731
    if get(cols.level1).strip():
        level1 = get(cols.level1)
        level2 = ""
    if get(cols.level2).strip():
        level2 = get(cols.level2)
    name, _ = clean_name(get(cols.level3))
    if not name or name in ("三级指标",):
        return level1, level2
    weight_text, score_text = get(cols.weight), get(cols.score)
    weight = _number(weight_text)
    score = _number(score_text)
    prov = ctx.cell(table, r, cols.level3)
    if weight is None and weight_text.strip() and not is_blank(weight_text):
        weight = rule_points(weight_text)
        if weight is None:
            ctx.finding("ambiguous_cell", "warn",
                        f"indicator '{name}': the 分值 column holds text without points; weight left out",
                        observed=weight_text, prov=ctx.cell(table, r, cols.weight))
    if weight is None and score is None:
        return level1, level2
    l1_name, l1_points = clean_name(level1)
    l2_name, _ = clean_name(level2)
    if ambiguous:
        ctx.finding("ambiguous_cell", "warn",
                    f"indicator '{name}': the row has fewer cells than the header; target and actual values left out",
                    observed=" | ".join(row), prov=prov)
    deviation = get(cols.deviation).strip() if cols.deviation is not None else ""
    ctx.add(
        "fct_indicator_scores",
        ctx.fiscal_year,
        {"indicator_name": name, "level1_name": l1_name or None},
        {
            "level1": level1_for(l1_name) if l1_name else "other",
            "level1_points": l1_points,
            "level2_name": l2_name or None,
            "level2": level2_for(l2_name) if l2_name else "other",
            "target_value": None if ambiguous else _text(get(cols.target) if cols.target is not None else ""),
            "actual_value": None if ambiguous else _text(get(cols.actual) if cols.actual is not None else ""),
            "weight": weight,
            "score": score,
            "deviation_note": None if not deviation or _number(deviation) is not None else deviation,
        },
        "table",
        prov,
    )
    return level1, level2


def _text(value: str) -> str | None:
    s = squash(value or "")
    return None if is_blank(s) else s


def rule_points(rule: str) -> float | None:
    """The points a scoring rule is worth: '…合计20分' → 20; '…记0分…记10分' → 10."""
    totals = _RULE_TOTAL.findall(rule)
    if totals:
        return float(totals[-1])
    values = [float(v) for v in _RULE_ANY.findall(rule)]
    return max(values) if values else None


def _total_row(ctx: Context, row: list[str]) -> bool:
    cells = [c.strip() for c in row if c.strip()]
    if not cells or squash(cells[0]) not in ("总分", "总计", "合计分值", "合计"):
        return False
    numbers = [n for n in (_number(c) for c in cells[1:]) if n is not None]
    if len(numbers) >= 2:
        ctx.indicator_totals = (numbers[0], numbers[1])
    elif len(numbers) == 1:
        ctx.indicator_totals = (None, numbers[0])
    return True


def _execution_rows(ctx: Context, table: Table) -> None:
    """The 年度资金总额 / 预算执行率 row of the 自评表 scores budget execution when it has a 分值."""
    header: list[str] | None = None
    for r, row in enumerate(table.rows):
        joined = "".join(row)
        if "分值" in joined and re.search(r"年初预算|全年预算|执行数", joined):
            header = row
            continue
        if header is None:
            continue
        label_idx = next((i for i, c in enumerate(row) if re.search(r"年度资金总额|预算执行率", c)), None)
        if label_idx is None:
            if "一级指标" in joined:
                header = None
            continue
        w = next((i for i, h in enumerate(header) if squash(h).startswith("分值")), None)
        s = next((i for i, h in enumerate(header) if "得分" in h), None)
        if w is None or len(row) != len(header):
            continue
        weight = _number(row[w])
        score = _number(row[s]) if s is not None else None
        if weight is None and score is None:
            continue
        name, _ = clean_name(row[label_idx])
        ctx.add("fct_indicator_scores", ctx.fiscal_year, {"indicator_name": name, "level1_name": None},
                {"level1": "budget_execution", "level1_points": None, "level2_name": None, "level2": "other",
                 "target_value": None, "actual_value": None, "weight": weight, "score": score,
                 "deviation_note": None}, "table", ctx.cell(table, r, label_idx))
        header = None
