"""Real counties from the offline gazetteer shipped with ``cpca``, and invented townships in them."""
from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

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
        return {"full": f"{c.province}{c.city}{c.county}{base}", "city": f"{c.city}{c.county}{base}",
                "county": f"{c.county}{base}", "short": base}[form]


def _adcode_rows() -> list[tuple[str, str]]:
    path = resources.files("cpca").joinpath("resources/adcodes.csv")
    with path.open(encoding="utf-8") as fh:
        return [(row["adcode"], row["name"]) for row in csv.DictReader(fh)]


@lru_cache(maxsize=1)
def real_counties() -> tuple[County, ...]:
    """Every county-level unit whose province and prefecture-level city the gazetteer names."""
    rows = _adcode_rows()
    by_code = {code[:6]: name for code, name in rows}
    counties = []
    for code, name in rows:
        c6 = code[:6]
        if code[6:] != "000000" or c6[4:] == "00" or c6[:2] in _MUNICIPALITIES:
            continue
        province, city = by_code.get(c6[:2] + "0000"), by_code.get(c6[:4] + "00")
        if not province or not city or city in _SKIP_CITY_NAMES or name == "市辖区":
            continue
        counties.append(County(province, city, name, c6))
    return tuple(sorted(counties, key=lambda c: c.code))


def county_level_names() -> list[str]:
    """The name of every county-level unit of the gazetteer, municipalities' districts included."""
    return [name for code, name in _adcode_rows() if code[6:] == "000000" and code[4:6] != "00"]


@lru_cache(maxsize=1)
def _place_stems() -> frozenset[str]:
    """First two characters of every gazetteer name, to keep invented townships unambiguous."""
    return frozenset(name[:2] for _, name in _adcode_rows())


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
