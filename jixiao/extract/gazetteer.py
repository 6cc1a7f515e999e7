"""Province / city / county of a unit from the official divisions shipped by the `cpca` package."""
from __future__ import annotations

import csv
import re
from functools import lru_cache
from importlib.resources import files

from jixiao.model import Document, Paragraph


@lru_cache(maxsize=1)
def _divisions() -> tuple[dict[str, str], dict[str, list[str]]]:
    """adcode (6 digits) → name, and county name → adcodes of every county so named."""
    names: dict[str, str] = {}
    by_name: dict[str, list[str]] = {}
    with files("cpca").joinpath("resources/adcodes.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            code = row["adcode"][:6]
            names[code] = row["name"]
            if not code.endswith("00"):
                by_name.setdefault(row["name"], []).append(code)
    return names, by_name


_NOT_A_CITY = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
_MUNICIPALITIES = {"11", "12", "31", "50"}


@lru_cache(maxsize=1)
def division_names() -> frozenset[str]:
    """Every province, city and county name (e.g. 湖南省, 邵阳市, 绥宁县)."""
    names, _ = _divisions()
    return frozenset(n for n in names.values() if len(n) >= 2 and n not in _NOT_A_CITY)


def _chain(code: str) -> tuple[str | None, str | None, str | None]:
    names, _ = _divisions()
    province = names.get(code[:2] + "0000")
    city = names.get(code[:4] + "00")
    county = names.get(code)
    if city in _NOT_A_CITY or city is None:
        # 北京市/上海市/天津市/重庆市 districts sit under 市辖区; 省直辖 counties have no city
        city = province if code[:2] in _MUNICIPALITIES else None
    return province, city, county


def locate(name: str, doc: Document | None = None) -> tuple[str | None, str | None, str | None, str | None] | None:
    """(province, city, county, county_code) for a unit name such as 绥宁县武阳镇人民政府.

    A county name shared by several counties (朝阳区) is settled by the city or province the
    name or the document mentions; when nothing settles it the region is left unknown.
    """
    code = _code_from_divisions(name) or _cpca_code(name)
    if code is None:
        return None
    province, city, county = _chain(code)
    if county is None:
        return province, city, None, None
    _, by_name = _divisions()
    namesakes = by_name.get(county, [])
    if len(namesakes) > 1:
        settled = _settle(namesakes, name)
        if len(settled) != 1 and doc is not None:
            settled = _settle(namesakes, _document_text(doc))
        if len(settled) != 1:
            return None
        province, city, county = _chain(settled[0])
        code = settled[0]
    return province, city, county, code


def _code_from_divisions(name: str) -> str | None:
    """The county code when the name starts with a chain of division names naming one county."""
    names, by_name = _divisions()
    chain: list[str] = []
    rest = name
    while True:
        for size in range(min(16, len(rest) - 2), 1, -1):
            if rest[:size] in by_name or rest[:size] in _CITY_OR_PROVINCE_NAMES():
                chain.append(rest[:size])
                rest = rest[size:]
                break
        else:
            break
    counties = [c for c in chain if c in by_name]
    if not counties:
        return None
    codes = by_name[counties[-1]]
    if len(codes) > 1:
        return None  # namesakes: let the caller settle them
    return codes[0]


@lru_cache(maxsize=1)
def _CITY_OR_PROVINCE_NAMES() -> frozenset[str]:
    names, _ = _divisions()
    return frozenset(n for code, n in names.items() if code.endswith("00") and n not in _NOT_A_CITY)


@lru_cache(maxsize=4096)
def _cpca_code(name: str) -> str | None:
    import cpca

    code = cpca.transform([name])["adcode"].iloc[0]
    return None if code is None or str(code) in ("None", "nan") else str(code)[:6]


def _settle(codes: list[str], text: str) -> list[str]:
    """The namesake counties whose city is named in ``text``; failing that, whose province is."""
    names, _ = _divisions()
    for level in (4, 2):  # 4: city (code prefix of 4 digits), 2: province
        hits = [c for c in codes if _named(text, names.get(c[:level] + "0" * (6 - level)))]
        if hits:
            return hits
    return []


def _named(text: str, division: str | None) -> bool:
    if not division or division in _NOT_A_CITY:
        return False
    short = re.sub(r"(市|省|自治区|自治州|地区|盟)$", "", division)
    return bool(short) and short in text


def _document_text(doc: Document) -> str:
    return "".join(b.text for b in doc.blocks[:40] if isinstance(b, Paragraph))
