"""Reading numbers as written in reports: full-width digits, separators, units, blanks."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

BLANKS = {"", "——", "—", "--", "-", "/", "／", "无", "無", "空", "—— ——", "/ /", "单位不需填列", "不需填列"}
_NUMBER = re.compile(r"^[-+]?\d+(?:\.\d+)?$")
_WAN_UNIT = re.compile(r"(万元|万)$")
_YUAN_UNIT = re.compile(r"元$")
_PEOPLE = re.compile(r"(人|名)$")


@dataclass(frozen=True)
class Amount:
    """A number read from a cell or sentence."""

    value: float
    decimals: int  # digits written after the decimal point
    unit: str  # "万元", "元", "%", "人" or "" when none was written
    text: str  # the text it was read from


def to_halfwidth(text: str) -> str:
    """Full-width digits, letters and punctuation to ASCII (NFKC), keeping Chinese text."""
    return unicodedata.normalize("NFKC", text)


def clean_number_text(text: str) -> str:
    """Remove separators and stray spaces inside a number: '１，２３４. ５' → '1234.5'."""
    s = to_halfwidth(text).strip()
    s = re.sub(r"(?<=\d)[,，](?=\d{3}\b)", "", s)
    s = re.sub(r"(?<=\d)\s+(?=[\d.])|(?<=\.)\s+(?=\d)", "", s)
    return s


_BLANK_FORMS = frozenset(unicodedata.normalize("NFKC", b).replace(" ", "") for b in BLANKS)
_WS = re.compile(r"\s+")


def squash(text: str) -> str:
    """The text without any white space."""
    return _WS.sub("", text)


@lru_cache(maxsize=1 << 16)
def is_blank(text: str | None) -> bool:
    """A blank cell is no fact: empty, dashes, slashes, 无."""
    if text is None:
        return True
    s = text.strip()
    if not s:
        return True
    if s[0].isdigit():
        return False
    return to_halfwidth(s).replace(" ", "") in _BLANK_FORMS


@lru_cache(maxsize=1 << 16)
def parse_amount(text: str | None) -> Amount | None:
    """Parse a cell that should hold one number (with an optional unit); None when blank or not a number."""
    if text is None or is_blank(text):
        return None
    raw = text
    s = clean_number_text(text).replace(" ", "")
    s = s.rstrip("。；;，,")
    unit = ""
    if s.endswith("%"):
        unit, s = "%", s[:-1]
    else:
        m = _WAN_UNIT.search(s)
        if m:
            unit, s = "万元", s[: m.start()]
        elif _YUAN_UNIT.search(s):
            unit, s = "元", s[:-1]
        elif _PEOPLE.search(s):
            unit, s = "人", s[:-1]
    s = s.replace(",", "")
    if not _NUMBER.match(s):
        return None
    decimals = len(s.split(".")[1]) if "." in s else 0
    return Amount(value=float(s), decimals=decimals, unit=unit, text=raw.strip())


def parse_int(text: str | None) -> int | None:
    amount = parse_amount(text)
    if amount is None or amount.unit not in {"", "人"} or amount.value != int(amount.value):
        return None
    return int(amount.value)


def to_wan(amount: Amount) -> float:
    """Amounts in 万元; a figure written in 元 (with a unit) is converted."""
    if amount.unit == "元":
        return round(amount.value / 10000.0, 6)
    return amount.value


def same_within_rounding(a: float, b: float, tolerance: float = 0.01) -> bool:
    return abs(a - b) <= tolerance + 1e-9


def agrees_as_rounded(precise: float, rounded: float, rounded_decimals: int) -> bool:
    """Whether ``rounded`` (written with ``rounded_decimals`` digits) is ``precise`` rounded."""
    step = 10 ** (-rounded_decimals)
    return abs(precise - rounded) <= step / 2 + 1e-9
