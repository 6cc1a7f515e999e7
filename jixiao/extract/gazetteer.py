"""Province / city / county / township of a unit name, from the division table in ``divisions``.

A region is never guessed: a county name shared by several counties (朝阳区) or a township
name found in several counties (长滩镇) is settled only by a city or province that the name or
the document names; when nothing settles it the region stays unknown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from jixiao.extract import divisions as dv

_LONGEST = 16
_TOWNSHIP = re.compile(r"^([\u4e00-\u9fa5]{1,10}?(?:镇|乡|街道|苏木))")
_SUFFIX = re.compile(r"(省|市|自治区|自治州|地区|盟|州)$")


@dataclass
class Region:
    province: str | None = None
    city: str | None = None
    county: str | None = None
    township: str | None = None  # a township the name starts with, as written (set for any unit)
    county_code: str | None = None  # current (canonical) code of the county
    code: str | None = None  # current code of the most specific division found (county, city or province)
    township_official: str | None = None  # the township's official name (群加藏族乡 for 群加乡)


@lru_cache(maxsize=1)
def division_names() -> frozenset[str]:
    """Every written province, city and county name (current, former and short forms)."""
    return frozenset(n for n in dv.name_index() if len(n) >= 2)


def leading_divisions(name: str) -> tuple[list[str], str]:
    """Split leading division names off a unit name: 湖南省邵阳市绥宁县武阳镇人民政府 → ([湖南省, 邵阳市, 绥宁县], 武阳镇人民政府)."""
    names = division_names()
    found: list[str] = []
    rest = name
    while True:
        for size in range(min(_LONGEST, len(rest)), 1, -1):
            if rest[:size] in names:
                found.append(rest[:size])
                rest = rest[size:]
                break
        else:
            return found, rest


def strip_divisions(name: str) -> str:
    """Remove leading official division names: 湖南省邵阳市绥宁县武阳镇人民政府 → 武阳镇人民政府."""
    return leading_divisions(name)[1]


def core_name(name: str) -> str:
    """The unit name without its province/city/county prefix: 绥宁县武阳镇人民政府 → 武阳镇人民政府."""
    return strip_divisions(name) or name


def unit_own_name(name: str | None, province: str | None, city: str | None, county: str | None) -> str | None:
    """The unit's name without the prefixes of the region it was placed in, in that order:
    湖南省邵阳市绥宁县武阳镇人民政府 (湖南省/邵阳市/绥宁县) → 武阳镇人民政府.  Unlike :func:`core_name`, a
    division the report's region does not name stays (an unplaced 朝阳区财政局 keeps its 朝阳区), so that
    units of unknown place are not merged.  Landed as ``landed_reports.unit_name``; NULL for no name."""
    if not name:
        return None
    for prefix in (province, city, county):
        if prefix and name.startswith(prefix):
            name = name[len(prefix) :]
    return name or None


def trim_unit(raw: str) -> str:
    """Drop words glued before a unit name: '年度岳阳市云溪区陆城镇人民政府' → '岳阳市云溪区陆城镇人民政府'."""
    names = division_names()
    for i in range(len(raw)):
        for size in range(min(_LONGEST, len(raw) - i - 1), 1, -1):
            if raw[i : i + size] in names and strip_divisions(raw[i:]) != raw[i:]:
                return raw[i:]
    return re.sub(r"^.*(?:部门为|单位为|现将|为|的|将)", "", raw) or raw


def township_part(text: str) -> str:
    """The township a name part ending in 镇/乡/街道 stands for, without an unknown county before it:
    长泰县龙寨镇 → 龙寨镇 (the longest known township it ends with), 进都乡 → 进都乡."""
    towns = dv.townships()
    if text in towns:
        return text
    for i in range(2, len(text) - 2):  # only after a county-like word (…县, …市, …区, …旗)
        if text[i - 1] in "县市区旗" and text[i:] in towns:
            return text[i:]
    m = re.fullmatch(r"[\u4e00-\u9fa5]{1,6}?(?:县|市|区|旗)([\u4e00-\u9fa5]{2,8}(?:镇|乡|街道|苏木))", text)
    return m.group(1) if m else text


def _descends(code: str, ancestor: str) -> bool:
    return any(d.code == ancestor for d in dv.chain(code))


def _named(text: str, division: dv.Division) -> bool:
    short = _SUFFIX.sub("", division.name)
    return division.name in text or (len(short) >= 2 and short in text)


def _settle(codes: list[str], text: str) -> list[str]:
    """The one candidate whose city or province the text names; none when several or none are named."""
    named = [c for c in codes if any(d.level < dv.COUNTY and _named(text, d) for d in dv.chain(c))]
    return named if len(named) == 1 else []


def _contradicted(code: str, text: str) -> bool:
    """Whether the text names provinces or cities (full names) and none of them is this division's."""
    own = {d.code for d in dv.chain(code)}
    named = [d for d in dv.divisions().values() if d.level < dv.COUNTY and len(d.name) >= 3 and d.name in text]
    return bool(named) and not any(d.code in own for d in named)


def _resolve_chain(written: list[str], context: str) -> tuple[str | None, dict[int, str], str | None]:
    """The current code of the most specific written division (for a merged one: of the division it joined),
    each level's name as written, and the code identifying the most specific one."""
    code: str | None = None
    identity: str | None = None
    anchor: str | None = None  # what the next name must lie in (a former city now a district: its new city)
    as_written: dict[int, str] = {}
    for name in written:
        options = [w for w in dv.lookup(name) if anchor is None or _descends(w.code, anchor) or w.code == anchor]
        if len(options) > 1:
            settled = _settle([w.code for w in options], context)
            options = [w for w in options if w.code in settled]
        if len(options) != 1:
            return None, {}, None
        entry = options[0]
        code, identity = entry.code, entry.identity or entry.code
        anchor = code if dv.divisions()[code].level == entry.level else dv.divisions()[code].parent
        # a short form (寻甸县) is reported under its official name; a current or former name as written
        as_written[entry.level] = dv.divisions()[code].name if entry.how == "short" else name
    return code, as_written, identity


def locate(name: str, context: str = "", year: int | None = None) -> Region | None:
    """The region of a unit name such as 绥宁县武阳镇人民政府, or None when it cannot be known for sure.

    ``context`` is the document's text (to settle namesakes); ``year`` the fiscal year (a county found
    through its township gets the name it bore that year). Names the text writes are kept as written.
    """
    written, rest = leading_divisions(name)
    code, as_written, identity = _resolve_chain(written, context) if written else (None, {}, None)
    if written and code is None:
        return None
    region = Region()
    written_level = max(as_written, default=0)
    m = _TOWNSHIP.match(rest)
    if m:
        region.township = township_part(m.group(1))
        towns = dv.townships()
        counties = [c for c in towns.get(region.township, ()) if code is None or _descends(c, code)]
        if len(counties) > 1:
            counties = _settle(counties, context)
        if len(counties) == 1 and code is None and _contradicted(counties[0], context):
            counties = []  # a township placed only by its name, in a text about another place
        if len(counties) == 1 and (code is None or dv.divisions()[code].level < dv.COUNTY):
            code, identity, written_level = counties[0], counties[0], dv.COUNTY
        if code and dv.divisions()[code].level == dv.COUNTY:
            region.township_official = dv.official_township(region.township, code)
    if code is None:
        return None
    for d in dv.chain(code):
        if d.level == dv.PROVINCE:
            region.province = as_written.get(dv.PROVINCE, d.name)
        elif d.level == dv.CITY:
            region.city = as_written.get(dv.CITY, d.name)
        elif written_level >= dv.COUNTY:
            region.county = as_written.get(dv.COUNTY) or dv.name_in_year(d.code, year)
            # a county merged since has no current code of its own
            region.county_code = d.code if identity in (None, d.code) else None
    if region.city is None and code[:2] in dv.MUNICIPALITIES:
        region.city = region.province
    region.code = identity or code
    return region
