"""Reading numbers as written in reports: full-width digits, separators, units, blanks."""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from jixiao.contract import constant

BLANKS = {"", "——", "—", "--", "-", "/", "／", "无", "無", "空", "—— ——", "/ /", "单位不需填列", "不需填列"}
_NUMBER = re.compile(r"^[-+]?[0-9]+(?:\.[0-9]+)?$")
_GROUPED = re.compile(r"^[-+]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?$")  # 1,234,567.89
_NUMBER_LIKE = re.compile(r"^[-+]?[0-9][0-9,.]*(?:万元|万|元|%)?$")
MAX_SIGNIFICANT_DIGITS = 15  # beyond a float's precision: an overflow, or two numbers run together
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
    """Remove separators and stray spaces inside a number: '１，２３４. ５' → '1234.5'.  A space between
    digit groups is a separator only before a group of three ('1 234'); '2023 37' (a decimal point
    lost in a scan?) stays as it is, and so is not one number."""
    s = to_halfwidth(text).strip()
    s = re.sub(r"(?<=\d)[,，](?=\d{3}\b)", "", s)
    s = re.sub(r"(?<=\d)\s+(?=\d{3}(?!\d)|\.)|(?<=\.)\s+(?=\d)", "", s)
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
    """Parse a cell that should hold one number (with an optional unit); None when blank or not one number.

    Never raises.  Thousands separators count only where they group by three (``1,234,567.8``):
    ``1,2,3`` or ``7,00.0,77`` is not a number, nor is one with more than 15 significant digits.
    """
    if text is None or is_blank(text):
        return None
    s = _core(text)
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
    if "," in s:
        if not _GROUPED.match(s):
            return None
        s = s.replace(",", "")
    if not _NUMBER.match(s) or _significant_digits(s) > MAX_SIGNIFICANT_DIGITS:
        return None
    value = float(s)
    if not math.isfinite(value):
        return None
    decimals = len(s.split(".")[1]) if "." in s else 0
    return Amount(value=value, decimals=decimals, unit=unit, text=text.strip())


def _core(text: str) -> str:
    """The cell as half-width text without spaces, trailing punctuation, or full-width commas."""
    s = to_halfwidth(text).strip()
    # a space before a group of three digits or a point is a separator ("1 234.5", "12 .5"); any other
    # space between digits ("2023 37": a point lost in a scan?) is kept, so the cell is not one number
    s = re.sub(r"(?<=[0-9])\s+(?=[0-9]{3}(?![0-9])|\.)|(?<=\.)\s+(?=[0-9])", "", s)
    s = re.sub(r"(?<![0-9])\s+|\s+(?![0-9])", "", s)
    return s.rstrip("。；;，,").replace("，", ",")


def _significant_digits(number: str) -> int:
    return len(number.lstrip("+-").replace(".", "").lstrip("0"))


def malformed_number(text: str | None) -> bool:
    """A cell written like a number (digits, separators, a unit) that is not one well-formed number."""
    if text is None or is_blank(text):
        return False
    return parse_amount(text) is None and bool(_NUMBER_LIKE.match(_core(text)))


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


# Two figures (万元) that differ by no more than this are one figure rounded differently; the contract's
# rounding_tolerance_wan (jixiao/contract/spec.yml), the same value dbt's var of that name holds.
ROUNDING_TOLERANCE_WAN: float = float(constant("rounding_tolerance_wan"))


def same_within_rounding(a: float, b: float, tolerance: float = ROUNDING_TOLERANCE_WAN) -> bool:
    return abs(a - b) <= tolerance + 1e-9


def agrees_as_rounded(precise: float, rounded: float, rounded_decimals: int) -> bool:
    """Whether ``rounded`` (written with ``rounded_decimals`` digits) is ``precise`` rounded."""
    step = 10 ** (-rounded_decimals)
    return abs(precise - rounded) <= step / 2 + 1e-9
