"""Real counties from the extractor's current division table, and invented townships in them."""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import lru_cache

_SKIP_CITY_NAMES = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
_MUNICIPALITIES = {"11", "12", "31", "50"}  # 北京 天津 上海 重庆: no prefecture level

# Characters for invented township names; each name is checked against every gazetteer name.
_FIRST = "桃柳石青白黄金银龙凤云松竹梅兰荷杨枫桂樟梓栗杉柏泉溪河湖塘坪岭坳冲湾洲堰"
_SECOND = "林源田坪桥口江山岗冲溪塘铺湾峰水坡坝园村岩庄寨渡阳"  # no 市/县/区: XX市镇 reads as a city


@dataclass(frozen=True)
class County:
    province: str
    city: str
    county: str
    code: str  # 6-digit administrative code


@dataclass(frozen=True)
class Unit:
    """A township government in a real county."""

    county: County
    township: str  # e.g. 桃林镇

    def name(self, form: str) -> str:
        """The unit's name: ``full`` (省市县), ``city`` (市县), ``county`` (县) or ``short`` (镇 only)."""
        base = f"{self.township}人民政府"
        c = self.county
        return {
            "full": f"{c.province}{c.city}{c.county}{base}",
            "city": f"{c.city}{c.county}{base}",
            "county": f"{c.county}{base}",
            "short": base,
        }[form]


@lru_cache(maxsize=1)
def _current() -> tuple[tuple[str, str, int, str], ...]:
    """(code, name, level, parent code) of every current division (the extractor's own table)."""
    from jixiao.extract.divisions import divisions

    return tuple((d.code, d.name, d.level, d.parent) for d in divisions().values())


@lru_cache(maxsize=1)
def real_counties() -> tuple[County, ...]:
    """Every current county-level unit under a prefecture-level city of a province."""
    by_code = {code: (name, level, parent) for code, name, level, parent in _current()}
    counties = []
    for code, name, level, parent in _current():
        if level != 3 or code[:2] in _MUNICIPALITIES or parent not in by_code:
            continue
        city, city_level, province_code = by_code[parent]
        province = by_code.get(province_code, ("", 0, ""))[0]
        if city_level != 2 or not province or city in _SKIP_CITY_NAMES or name == "市辖区":
            continue
        counties.append(County(province, city, name, code))
    return tuple(sorted(counties, key=lambda c: c.code))


def county_level_names() -> list[str]:
    """The name of every current county-level unit, municipalities' districts included."""
    return [name for _, name, level, _ in _current() if level == 3]


@lru_cache(maxsize=1)
def _place_stems() -> frozenset[str]:
    """First two characters of every division name, to keep invented townships unambiguous."""
    return frozenset(name[:2] for _, name, _, _ in _current())


def invent_township(rng: random.Random) -> str:
    """A plausible township name (XX镇 or, rarely, XX乡) that no gazetteer name starts with."""
    stems = _place_stems()
    while True:
        stem = rng.choice(_FIRST) + rng.choice(_SECOND)
        if stem not in stems and stem[0] != stem[1]:
            return stem + ("乡" if rng.random() < 0.1 else "镇")


def make_units(n: int, seed: int) -> list[Unit]:
    """``n`` distinct township units spread over real counties, deterministic given ``seed``."""
    rng = random.Random(f"units:{seed}")
    counties = real_counties()
    units: list[Unit] = []
    seen: set[tuple[str, str]] = set()
    while len(units) < n:
        county = rng.choice(counties)
        town = invent_township(rng)
        if (county.code, town) in seen:
            continue
        seen.add((county.code, town))
        units.append(Unit(county, town))
    return units
