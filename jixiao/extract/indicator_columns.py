"""What the cells of a 自评表 say: header roles, level words, numbers and names.

A scored indicator table is headed 一级指标 / 二级指标 / 三级指标 / 指标值 / 完成值 / 分值 / 得分 …
in some order.  Each header cell gets a *role*; data rows are aligned to the roles by
:mod:`jixiao.extract.indicator_rows` (rows) or :mod:`jixiao.extract.indicator_stream` (cell
streams of flattened text).
"""

from __future__ import annotations

import re
from functools import lru_cache

from jixiao.text.numbers import is_blank, parse_amount, squash

L1, L2, L3 = "l1", "l2", "l3"
L1_POINTS, L2_POINTS = "l1_points", "l2_points"  # 得分 columns beside the level names hold their points
TARGET, ACTUAL, WEIGHT, SCORE = "target", "actual", "weight", "score"
SPLIT = "split"  # 指标性质 / 度量单位: the target is split over several cells
GROUP = "group"  # 绩效指标: a label spanning the level columns, absent from data rows
OTHER = "other"  # 偏差原因, 评价标准, 指标说明 …: any text
LEVELS = (L1, L2, L3)

_POINTS = re.compile(r"[（(]\s*(\d+(?:\.\d+)?)\s*分\s*[)）]")
_LEVEL1_WORD = re.compile(
    r"^(?:产出|效益|效果|满意度|成本|投入|过程|结果|影响|项目决策|项目管理|项目产出|项目效益|预算执行|部门管理|履职效能)"
    r"(?:指标)?$"
)
_LEVEL2_WORD = re.compile(
    r"^(?:数量|质量|时效|成本|经济成本|社会成本|生态环境成本|经济效益|社会效益|生态效益|可持续影响|服务对象满意度|满意度)指标$"
)
_HEADER_ROLES: list[tuple[str, str]] = [
    (L1, r"^一级指标"),
    (L2, r"^二级指标"),
    (L3, r"^三级指标"),
    (SPLIT, r"^指标性质$|^度量单位$|^计量单位$"),
    (WEIGHT, r"^(?:分值|权重|标准分|指标分值)"),
    (SCORE, r"^(?:得分|评分|自评得分)$|^得分[(（]|^实际得分"),
    (ACTUAL, r"实际完成|完成值|实际值|完成情况|实际完成值"),
    (TARGET, r"指标值|目标值|预期|年度目标"),
    (GROUP, r"^绩效指标(?:[(（]\d+(?:\.\d+)?分[)）])?$"),
]


def cell_text(text: str | None) -> str:
    """A cell as compared: no white space."""
    return squash(text or "")


def clean_name(text: str) -> tuple[str, float | None]:
    """No white space, no points annotation, no trailing colon: '产出指标\\n(50 分)' → ('产出指标', 50.0)."""
    s = squash(text)
    m = _POINTS.search(s)
    points = float(m.group(1)) if m else None
    s = _POINTS.sub("", s).rstrip(":：")
    return s, points


@lru_cache(maxsize=1 << 14)
def header_role(text: str) -> str | None:
    s = cell_text(text)
    for role, pattern in _HEADER_ROLES:
        if re.search(pattern, s):
            return role
    if s:
        return OTHER
    return None


@lru_cache(maxsize=1 << 14)
def is_level1_word(text: str) -> bool:
    return bool(_LEVEL1_WORD.match(clean_name(text)[0]))


@lru_cache(maxsize=1 << 14)
def is_level2_word(text: str) -> bool:
    return bool(_LEVEL2_WORD.match(clean_name(text)[0]))


def is_level_word(text: str) -> bool:
    return is_level1_word(text) or is_level2_word(text)


_LEVEL2_BARE = re.compile(
    r"^(?:数量|质量|时效|成本|经济成本|社会成本|生态环境成本|经济效益|社会效益|生态效益|可持续影响"
    r"|服务对象满意度)$"
)


@lru_cache(maxsize=1 << 14)
def is_level2_cell(text: str) -> bool:
    """A cell in the 二级指标 column: a level-2 word, with or without the 指标 suffix ('质量')."""
    return is_level2_word(text) or bool(_LEVEL2_BARE.match(clean_name(text)[0]))


def number(text: str | None) -> float | None:
    """A plain number (分值/得分): no unit other than 分, no percentage."""
    s = cell_text(text).rstrip("分").rstrip(".")
    if not s or is_blank(s):
        return None
    a = parse_amount(s)
    return a.value if a is not None and a.unit == "" and re.fullmatch(r"\d+(?:\.\d+)?", s) else None


def is_name(text: str | None) -> bool:
    """An indicator name: text that is neither a number, a level word, a blank nor a template dot run."""
    s = cell_text(text)
    if not s or is_blank(s) or re.fullmatch(r"[.…。、·]+", s):
        return False
    if number(s) is not None or parse_amount(s) is not None and re.fullmatch(r"[\d.,%]+", s):
        return False
    if is_level_word(s) and (clean_name(s)[0].endswith("指标") or clean_name(s)[1] is not None):
        return False
    return header_role(s) not in (L1, L2, L3)


def is_sub_item(name: str) -> bool:
    """'其中桃树种植面积' rows break an indicator down; they are not indicators of their own."""
    return name.startswith("其中")


def is_template_name(name: str) -> bool:
    """'指标2:……', '……' rows of an unfilled template ('指标1:巡护里程' is an indicator that kept its number)."""
    return bool(re.search(r"…|\.{3}|^指标\d+[:：]?$", name))


def header_roles(row: list[str]) -> list[str] | None:
    """The role of every header cell, GROUP cells dropped; None unless the row heads a scored table."""
    roles = [header_role(c) or OTHER for c in row]
    while roles and roles[-1] == OTHER and not cell_text(row[len(roles) - 1]):
        roles.pop()
    # the 一级指标 heading may stand on lines of its own above a header flattened onto one line
    if L3 not in roles or L2 not in roles or WEIGHT not in roles and roles.count(SCORE) < 2:
        return None
    if SCORE not in roles:
        return None
    roles = _points_columns([r for r in roles if r != GROUP])
    return roles if WEIGHT in roles else None


def _points_columns(roles: list[str]) -> list[str]:
    """Without a 分值 column, the 得分 right after each level holds its points; the last 得分 is the score."""
    if WEIGHT in roles:
        return roles
    out = list(roles)
    for i in range(1, len(out)):
        if out[i] == SCORE and out[i - 1] in LEVELS and i != len(out) - 1 - out[::-1].index(SCORE):
            out[i] = {L1: L1_POINTS, L2: L2_POINTS, L3: WEIGHT}[out[i - 1]]
    return out if WEIGHT in out else roles


def merge_two_row_header(top: list[str], bottom: list[str]) -> list[str] | None:
    """A header in two rows (绩效指标 | 年度指标值 | 实际完成值 | 分值 | 得分 over 一级 | 二级 | 三级 | 指标性质 | 指标值 | 度量单位).

    The bottom row's cells replace the top cells they sit under (the GROUP label over the levels and
    the target over its split cells); the rest of the top row follows in order.
    """
    top_roles = [header_role(c) or OTHER for c in top]
    bottom_roles = [header_role(c) or OTHER for c in bottom]
    if not all(r in bottom_roles for r in LEVELS) or WEIGHT in bottom_roles or SCORE in bottom_roles:
        return None
    if SCORE not in top_roles or any(r in top_roles for r in LEVELS):
        return None
    bottom_cells = [c for c, r in zip(bottom, bottom_roles) if cell_text(c)]
    covered = {GROUP}
    if SPLIT in bottom_roles or TARGET in bottom_roles:
        covered.add(TARGET)
    rest = [c for c, r in zip(top, top_roles) if r not in covered and cell_text(c)]
    return bottom_cells + rest


_RULE_TOTAL = re.compile(r"(?:合计|总分|共计|共|满分|总计|计)\s*(\d+(?:\.\d+)?)\s*分")
_RULE_ANY = re.compile(r"(\d+(?:\.\d+)?)\s*分")


def rule_points(rule: str) -> float | None:
    """The points a scoring rule is worth: '…合计20分' → 20; '…记0分…记10分' → 10."""
    totals = _RULE_TOTAL.findall(rule)
    if totals:
        return float(totals[-1])
    values = [float(v) for v in _RULE_ANY.findall(rule)]
    return max(values) if values else None
