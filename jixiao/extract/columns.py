"""Column meaning from table headers: "2023年决算数" → (2023, actual)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from jixiao.extract.vocab import first_code, year_dash_read
from jixiao.text.numbers import squash

_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")


@dataclass(frozen=True)
class ColumnMeaning:
    """What a header cell says about the values below it."""

    year: int | None
    measure: str  # actual, budget, initial_budget, adjusted_budget, weight, score, ignore, unknown
    offset: int = 0  # -1 for 上年 (the year before the evaluated one) when no year is written


# What a header says about its values, specific wordings first.
_MEASURE_WORDS: list[tuple[str | None, str]] = [
    ("ignore", r"差额|差异|增长|增减|比率|比例|控制率|执行率|率\(|率$|偏差|说明|备注"),
    ("score", r"^(?:自评)?得分"),
    ("weight", r"^分值|^权重"),
    ("initial_budget", r"年初\S{0,4}预算|年初批复"),
    ("adjusted_budget", r"全年预算|调整后预算|年度总预算|调整预算"),
    ("actual", r"决算|执行数|实际支出|实际使用|支出数|实际数|实际完成数"),
    ("budget", r"预算"),
]


@lru_cache(maxsize=1 << 14)
def column_meaning(header: str) -> ColumnMeaning:
    s = year_dash_read(squash(header))
    m = _YEAR.search(s)
    year = int(m.group(1)) if m else None
    if year is None and re.match(r"上(?:一)?年(?:度)?", s):
        return _with_offset(column_meaning(s[2:].lstrip("度")), -1)
    if year is None and re.match(r"(?:本|当)年(?:度)?", s):
        return column_meaning(s[2:].lstrip("度"))
    if re.search(r"名称|单位|部门|科目|费用项目|^项目$", s) and year is None:
        return ColumnMeaning(None, "none")
    measure = first_code(_MEASURE_WORDS, s)
    if measure is not None:
        return ColumnMeaning(year, measure)
    if year is not None:
        return ColumnMeaning(year, "unknown")
    return ColumnMeaning(None, "none")


def _with_offset(meaning: ColumnMeaning, offset: int) -> ColumnMeaning:
    return ColumnMeaning(meaning.year, meaning.measure, offset)


MONEY_MEASURES = {"actual", "budget", "initial_budget", "adjusted_budget"}


def expand_two_level_header(top: list[str], sub: list[str]) -> list[str] | None:
    """Spread a merged upper header row over the sub-header columns.

    ``top`` = [费用项目, 2019年, 2020年, 增长比率], ``sub`` = ['', 基本支出, 项目支出, 合计, 基本支出,
    项目支出, 合计, ''] → ['费用项目', '2019年 基本支出', '2019年 项目支出', '2019年 合计', …,
    '增长比率'].  Blank cells at either end of ``sub`` sit under the vertically merged cells of
    ``top``; the cells between are shared out evenly.  None when they cannot be shared evenly.
    """
    lead = 0
    while lead < len(sub) and not sub[lead].strip():
        lead += 1
    trail = 0
    while trail < len(sub) - lead and not sub[len(sub) - 1 - trail].strip():
        trail += 1
    middle_top = top[lead : len(top) - trail] if trail else top[lead:]
    middle_sub = sub[lead : len(sub) - trail] if trail else sub[lead:]
    if not middle_top or len(middle_sub) % len(middle_top):
        return None
    per = len(middle_sub) // len(middle_top)
    out = list(top[:lead])
    for k, parent in enumerate(middle_top):
        for child in middle_sub[k * per : (k + 1) * per]:
            out.append(f"{parent} {child}".strip())
    out.extend(top[len(top) - trail :] if trail else [])
    return out
