"""自评表 flattened with no separator at all: '安装坡面水标尺10≥266米≥266米10水标尺宽度10…'.

The header gives the column order (三级指标 分值 年度指标值 全年实际值 得分).  After each name
the run of characters is split into the columns' cells in every way the cells' forms allow
(分值/得分 plain numbers with no leading zero, values an optional ≥/≤/= then a number and a
short unit, or plain words), keeping only splits where 得分 ≤ 分值 ≤ 100, 执行率 = 执行数 / 预算数,
and the text after the row opens the next row.  A row is cut only when exactly one split is
left (a value written twice, '显著提升显著提升', is split in its middle); otherwise the cut stops
with a row marked unplaceable.  The rows are then read like any table.
"""

from __future__ import annotations

import re

from jixiao.extract.indicator_columns import (
    ACTUAL,
    L3,
    OTHER,
    SCORE,
    SPLIT,
    TARGET,
    WEIGHT,
    header_roles,
)
from jixiao.extract.indicator_stream_marks import UNPLACEABLE
from jixiao.extract.project_tables import budget_header, rate_agrees

_NUM = r"(?:0|[1-9]\d*)(?:\.\d+)?"
_CELL_FORMS = {
    WEIGHT: re.compile(_NUM),
    SCORE: re.compile(_NUM),
    "value": re.compile(rf"[≥≤=<>﹦]*{_NUM}(?:%|[\u4e00-\u9fff]{{1,3}})?|[\u4e00-\u9fff]{{2,12}}"),
    "money": re.compile(rf"{_NUM}万?"),
    "rate": re.compile(rf"{_NUM}%"),
}
_LEVEL = re.compile(
    r"(?:产出|效益|满意度|成本|数量|质量|时效|经济成本|社会成本|生态环境成本|经济效益|社会效益|生态效益|可持续影响"
    r"|服务对象满意度)指标(?:[(（]\d+(?:\.\d+)?分[)）])?"
)
_INDICATOR_HEADER_WORDS = re.compile(
    r"绩效指标|一级指标|二级指标|三级指标|分值|权重|年度指标值|实际完成值|全年实际值|指标值|完成值|得分"
    r"|未完成原因及拟采取的改进措施|偏差原因分析及改进措施|未完成原因分析"
)
_BUDGET_HEADER_WORDS = re.compile(
    r"(?:资金情况|项目资金)[(（](?:万元|元)[)）]|年初预算数(?:[(（][A-Z][)）])?|全年预算数(?:[(（][A-Z][)）])?"
    r"|全年执行数(?:[(（][A-Z][)）])?|分值|执行率(?:[(（][A-Z]/[A-Z][)）])?|得分"
)
_EXECUTION = re.compile(r"年度资金总额[:：]?")
_FIELD = re.compile(r"项目负责人|主管部门|实施单位|联系电话")
_OPENER = re.compile(r"$|[\u4e00-\u9fff…(（★]")


def undelimited_rows(text: str) -> list[list[str]] | None:
    """Rows of a form flattened with no separator, or None when the text holds no such table."""
    h = re.search(r"(?:绩效指标)?一级指标二级指标三级指标", text)
    if not h:
        return None
    rows: list[list[str]] = []
    _project_name(text[: h.start()], rows)
    _budget_block(text[: h.start()], rows)
    header, pos = _header_words(text, h.start(), _INDICATOR_HEADER_WORDS)
    roles = header_roles(header)
    if roles is None:
        return rows or None
    rows.append(header)
    _indicator_rows(text, pos, roles, rows)
    return rows


def _header_words(text: str, pos: int, words: re.Pattern[str]) -> tuple[list[str], int]:
    out: list[str] = []
    while True:
        m = words.match(text, pos)
        if not m:
            return out, pos
        out.append(m.group(0))
        pos = m.end()


def _project_name(text: str, rows: list[list[str]]) -> None:
    m = re.search(r"项目名称", text)
    if not m:
        return
    end = _FIELD.search(text, m.end())
    name = text[m.end() : end.start() if end else m.end()]
    if name and len(name) <= 60:
        rows.append(["项目名称", name])


def _budget_block(text: str, rows: list[list[str]]) -> None:
    m = re.search(r"(?:资金情况|项目资金)[(（](?:万元|元)[)）]", text)
    if not m:
        return
    header, pos = _header_words(text, m.start(), _BUDGET_HEADER_WORDS)
    cols = budget_header(header)
    label = _EXECUTION.match(text, pos)
    if cols is None or not label:
        return
    rows.append(header)
    run = re.match(r"[\d.%万]+", text[label.end() :])
    if not run:
        return
    forms = ["rate" if r == "rate" else WEIGHT if r in ("weight", "score") else "money" for r in cols.roles]
    splits = [s for s in _splits(run.group(0), forms) if _budget_consistent(s, cols.roles)]
    if len(splits) > 1:  # the usual rule: 得分 = 执行率 × 分值 (at most the 分值)
        splits = [s for s in splits if _score_follows_rate(s, cols.roles)]
    rows.append([label.group(0), *splits[0]] if len(splits) == 1 else [label.group(0), run.group(0), UNPLACEABLE])
    rest = text[label.end() + run.end() :]
    sub = re.match(r"(其中[:：]?[\u4e00-\u9fff]+?)(\d[\d.]*)", rest)
    if sub:
        rows.append([sub.group(1), sub.group(2), UNPLACEABLE])


def _budget_consistent(cells: list[str], roles: list[str]) -> bool:
    by = dict(zip(roles, cells))
    w, s = by.get("weight"), by.get("score")
    if w is not None and (float(w) > 100 or s is not None and float(s) > float(w)):
        return False
    spent = by.get("spent")
    base = by.get("adjusted", by.get("budget", by.get("initial")))
    rate = by.get("rate")
    if rate and spent and base and float(base.rstrip("万")):
        return rate_agrees(float(spent.rstrip("万")), float(base.rstrip("万")), rate)
    return True


def _score_follows_rate(cells: list[str], roles: list[str]) -> bool:
    by = dict(zip(roles, cells))
    w, s, rate = by.get("weight"), by.get("score"), by.get("rate")
    if w is None or s is None or rate is None:
        return False
    return abs(min(float(rate.rstrip("%")), 100) / 100 * float(w) - float(s)) <= 0.5


def _splits(s: str, forms: list[str]) -> list[list[str]]:
    """Every way to write ``s`` as consecutive cells of the given forms."""
    if not forms:
        return [[]] if not s else []
    out = []
    pattern = _CELL_FORMS[forms[0]]
    for end in range(1, len(s) + 1):
        if pattern.fullmatch(s[:end]):
            out += [[s[:end], *rest] for rest in _splits(s[end:], forms[1:])]
    return out


def _indicator_rows(text: str, pos: int, roles: list[str], rows: list[list[str]]) -> None:
    l3 = roles.index(L3)
    score_col = len(roles) - 1 - roles[::-1].index(SCORE)
    after = roles[l3 + 1 : score_col + 1]
    if not after or after[0] not in (WEIGHT, SCORE) or SPLIT in after or OTHER in after:
        return  # the name's end cannot be told from a value that may be words
    forms = [WEIGHT if r in (WEIGHT, SCORE) else "value" for r in after]
    while pos < len(text):
        total = re.match(r"(?:总分|合计)([\d.]+)", text[pos:])
        if total:
            splits = [s for s in _splits(total.group(1), [WEIGHT, SCORE]) if float(s[1]) <= float(s[0]) <= 100]
            rows.append(["总分", *splits[0]] if len(splits) == 1 else ["总分", total.group(1), UNPLACEABLE])
            return
        level = _LEVEL.match(text, pos)
        if level:
            rows.append([level.group(0)])
            pos = level.end()
            continue
        if text.startswith("…", pos) or text.startswith("...", pos):
            pos = re.match(r"[….]+", text[pos:]).end() + pos  # type: ignore[union-attr]
            continue
        name = re.match(r"[^\d≥≤=<>﹦…]+", text[pos:])
        if not name or not re.match(r"[\u4e00-\u9fff(（★]", name.group(0)):
            return
        start = pos + name.end()
        cut = _one_row(text, start, forms, after)
        if cut is None:
            rows.append([UNPLACEABLE, name.group(0)])
            return
        cells, end = cut
        row = [name.group(0), *cells]
        rows.append(row)
        pos = end


def _one_row(text: str, start: int, forms: list[str], roles: list[str]) -> tuple[list[str], int] | None:
    """The one split of the cells after a name (see the module doc), and where the next row starts."""
    found: list[tuple[list[str], int]] = []
    for end in range(start + 1, min(len(text), start + 80) + 1):
        if not _OPENER.match(text, end) or end < len(text) and text[end - 1].isdigit() and text[end].isdigit():
            continue
        for cells in _splits(text[start:end], forms):
            by = dict(zip(roles, cells))
            w, s = by.get(WEIGHT), by.get(SCORE)
            if w is None or float(w) > 100 or s is not None and float(s) > float(w):
                continue
            found.append((cells, end))
    if len(found) > 1:
        doubled = [f for f in found if _target_equals_actual(f[0], roles)]
        found = doubled if doubled else found
    if len(found) != 1:
        return None
    return found[0]


def _target_equals_actual(cells: list[str], roles: list[str]) -> bool:
    by = dict(zip(roles, cells))
    return TARGET in by and ACTUAL in by and by[TARGET] == by[ACTUAL]
