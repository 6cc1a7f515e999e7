"""Text normalization applied by every reader before blocks are built."""

from __future__ import annotations

import re
from functools import lru_cache

# Characters that occur only in traditional script and are frequent in budget reports.
_TRADITIONAL_MARKERS = set(
    "們體績評價報務費決萬預經與為這會項開關發實計總數從來個時說對後過還將額結餘編職員縣區鄉鎮資產撥據歲"
)


_WORD_ARTIFACTS = re.compile(r"\[bookmark:[^\]\n]*\][ \u3000]*")
# "年" lost on a mirror site: "2016-度部门预算", "本-决算数" (a date "2016-04-27" keeps its dash).
_YEAR_DASH = re.compile(r"((?:19|20)\d{2})\s*-(?=[\u4e00-\u9fff])")
_SPLIT_YEAR = re.compile(r"(?<![\d.])(19|20)\s(\d{2})\s*-(?=[\u4e00-\u9fff])")
# A year a stray space split: "20 16 年" → "2016年".
_SPLIT_YEAR_WORD = re.compile(r"(?<![\d.])(19|20) ?(\d) ?(\d) ?年".replace("(\\d) ?(\\d)", "(\\d ?\\d)"))
# A pinyin gloss a mirror site injects after a character: "鄉(xiāng)", "執（zhí）".
_PINYIN_GLOSS = re.compile(r"(?<=[\u4e00-\u9fff])[(（][a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*[)）]")


@lru_cache(maxsize=1)
def _t2s():
    from opencc import OpenCC

    return OpenCC("t2s")


def looks_traditional(text: str) -> bool:
    """Whether the text is written in traditional characters (several markers present)."""
    sample = text[:20000]
    return sum(1 for ch in sample if ch in _TRADITIONAL_MARKERS) >= 5


def to_simplified(text: str) -> str:
    return _t2s().convert(text)


def normalize_text(text: str) -> str:
    """Drop a BOM, unify line ends and non-breaking spaces, and simplify traditional script."""
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ").replace("\u200b", "")
    text = _WORD_ARTIFACTS.sub("", text)
    text = strip_pinyin_glosses(text)
    if looks_traditional(text):
        text = to_simplified(text)
    text = restore_year_character(text)
    text = _SPLIT_YEAR_WORD.sub(r"\1\2年", text)
    return text


def strip_pinyin_glosses(text: str) -> str:
    """Remove pinyin glosses injected after characters ("卫(wèi)片" → "卫片"); a tone mark is required,
    so "(A)" or "(cm)" stay."""
    return _PINYIN_GLOSS.sub("", text)


def restore_year_character(text: str) -> str:
    """Put back a "年" that a mirror printed as "-" after a year ("2016-度" → "2016年度"), only in a
    text that shows the artifact; a date such as "2016-04-27" is left alone.  "上-结转" keeps its
    wording (labels are kept as written); the vocabularies read it as 上年结转."""
    if not (_YEAR_DASH.search(text) or _SPLIT_YEAR.search(text)):
        return text
    text = _SPLIT_YEAR.sub(r"\1\2-", text)
    return _YEAR_DASH.sub(r"\1年", text)
