"""The evaluated year, the signing date, the page's publication stamp and URL, and the kind of document.

fiscal_year is the year the report evaluates or budgets, in this order: a labelled year
(评价年度/预算年度), the first year of a title-like line that names a disclosure (2024年部门整体…,
(2023年度), 2021年“三公”经费, 关于…2018年部门预算的批复), a sentence that ties a year to a budget
(2015年群加乡本年度预算…), and last the latest year of a column header (2023年预算数). A date
(2022年2月3日, 2024-07-01) is never read as the fiscal year.
"""

from __future__ import annotations

import re
from datetime import date

from jixiao.extract.header_text import Line

_Y = r"((?:19|20)\d{2})"
_DATE_CN = re.compile(rf"{_Y}年(\d{{1,2}})月(\d{{1,2}})[日号]")
# a time may follow with its space squashed away: "2022-04-1514:54"
_DATE_NUM = re.compile(rf"{_Y}[-./](\d{{1,2}})[-./](\d{{1,2}})(?:(?!\d)|(?=\d{{1,2}}:\d{{2}}))")
_NOT_A_YEAR_AFTER = re.compile(r"^(?:年\d{1,2}月|[-./]\d{1,2}[-./]?|\d)")
_YEAR_LABEL = re.compile(rf"(?:评价年度|预算年度|决算年度|所属年度|报告年度|年度)[:：]\|?\s*{_Y}(?!\d)")
_DISCLOSURE = (
    r"部门整体|整体支出|部门预算|单位预算|部门决算|单位决算|预算公开|决算公开|预算信息|决算信息|预算情况|决算情况|"
    r"预算编制|预算说明|决算说明|预算的批复|预算批复|预算表|决算表|“三公”|\"三公\"|三公经费|绩效自评|绩效评价|"
    r"自评表|自评报告|自评价|财政预算|财政决算|一般公共预算|项目支出|收支总表|收入总表|支出总表|财政拨款收支"
)
_TITLE_YEAR = re.compile(rf"{_Y}年度?(?!预算数|决算数|执行数|实际)[^。;；]{{0,24}}?(?:{_DISCLOSURE})")
_PAREN_YEAR = re.compile(rf"[(（]{_Y}年度[)）]")
_SENTENCE_YEAR = re.compile(rf"{_Y}年度?(?!预算数|决算数|执行数)[^。;；,，]{{0,10}}?(?:预算|决算|“三公”|三公)")
_COLUMN_YEAR = re.compile(rf"{_Y}年度?(?:预算数|决算数|执行数|预算|决算|实际在职|实有)")
# "…镇人民政府2023年3月5日召开…": a date inside a sentence, not a signature
_DATE_IN_SENTENCE = re.compile(
    r"(?:召开|下发|印发|发布|下达|在|起|至|到|前|后|以来|的|开始|完成|组织|举行|对|向|,|，|、)"
)
_REPORT_DATE = re.compile(r"(?:填报日期|报告日期|报告期|成文日期|评价日期|编制日期)\s*\]?\s*[:：]?\s*[|•]?\s*")
_PUBLISHED = re.compile(
    r"(?:发布时间|发布日期|发文日期|发表时间|(?<![报告文制价写填])日期|(?<![报告文制价写填])时间)\s*\]?\s*[:：]?\s*[|•]?\s*"
)
_SOURCE_STAMP = re.compile(r"(?:来源|來源)[:：][^|:：]{0,20}?((?:19|20)\d{2}-\d{1,2}-\d{1,2})")
_URL = re.compile(r"https?://[A-Za-z0-9\-._~:/?#\[\]@!$&'*+,;=%]+")


def _iso(y: str, m: str, d: str) -> str | None:
    try:
        return date(int(y), int(m), int(d)).isoformat()
    except ValueError:
        return None


def _years(pattern: re.Pattern, text: str) -> list[int]:
    out = []
    for m in pattern.finditer(text):
        if not _NOT_A_YEAR_AFTER.match(text[m.end(1) :]):
            out.append(int(m.group(1)))
    return out


def _words_joined(text: str) -> str:
    """A title with stray spaces inside its words ("情况说 明") read as written without them."""
    return _SPACE_IN_WORDS.sub("", text)


def fiscal_year(lines: list[Line]) -> tuple[int | None, Line | None]:
    for line in lines:
        if m := _YEAR_LABEL.search(line.text):
            return int(m.group(1)), line
    for k, line in enumerate(lines[:25]):
        text = _words_joined(line.text)
        if len(text) > 120 and k == 0:
            text = text[:60]  # a title the reader ran into the first sentence: its own words only
        if len(text) <= 120 and (years := _years(_PAREN_YEAR, text) or _years(_TITLE_YEAR, text)):
            return years[0], line
    for line in lines:
        text = _words_joined(line.text)
        if years := _years(_PAREN_YEAR, text) or _years(_TITLE_YEAR, text):
            return years[0], line
    for line in lines:
        if years := _years(_SENTENCE_YEAR, line.text):
            return years[0], line
    columns = [(y, line) for line in lines for y in _years(_COLUMN_YEAR, line.text)]
    if columns:
        return max(columns, key=lambda c: c[0])
    return None, None


def _date_after(text: str) -> str | None:
    m = _DATE_CN.match(text) or _DATE_NUM.match(text)
    return _iso(*m.groups()) if m else None


def report_date(lines: list[Line], unit_names: list[str]) -> tuple[str | None, Line | None]:
    """填报日期/报告日期/成文日期, else a signature: the unit's own name followed by a full date, or a
    Chinese date standing alone right under a line that is the unit's name. Publication stamps never."""
    for i, line in enumerate(lines):
        for m in _REPORT_DATE.finditer(line.text):
            value = line.text[m.end() :] or (lines[i + 1].text.lstrip("•|") if i + 1 < len(lines) else "")
            if d := _date_after(value.lstrip("•| ")):
                return d, line
    names = [n for n in unit_names if n]
    for i, line in enumerate(lines):
        for name in names:
            for m in re.finditer(re.escape(name), line.text):
                dm = _DATE_CN.match(line.text[m.end() :])
                if dm and not _DATE_IN_SENTENCE.match(line.text[m.end() + dm.end() :]) and (iso := _iso(*dm.groups())):
                    return iso, line
            dm = _DATE_CN.fullmatch(lines[i + 1].text) if line.text == name and i + 1 < len(lines) else None
            if dm and (iso := _iso(*dm.groups())):
                return iso, lines[i + 1]
    return None, None


def published_date(lines: list[Line]) -> str | None:
    """The page's publication stamp (发布时间/发布日期/日期: …, or a date after the 来源 of a page
    header) in its first lines."""
    for line in lines[:30]:
        for m in _PUBLISHED.finditer(line.text):
            if d := _date_after(line.text[m.end() :].lstrip("•| ")):
                return d
        if (stamp := _SOURCE_STAMP.search(line.text)) and (d := _date_after(stamp.group(1))):
            return d
    return None


def source_url(lines: list[Line]) -> str | None:
    for line in lines[:30]:
        if m := _URL.search(line.raw or line.text):
            return m.group(0)
    return None


# Ordered: the first pattern that a title line matches decides; then the whole text.
DOCUMENT_KINDS: tuple[tuple[str, re.Pattern], ...] = (
    ("performance_evaluation", re.compile(r"整体支出绩效|部门整体|整体绩效|绩效评价基础数据表")),
    ("project_evaluation", re.compile(r"项目支出绩效|项目绩效|项目自评|绩效目标自评表")),
    ("performance_evaluation", re.compile(r"绩效自评|绩效评价|自评报告|自评表")),
    (
        "three_public_disclosure",
        re.compile(
            r"^(?!.*(?:部门|单位)(?:预算|决算)(?:公开|说明|情况|信息|编制|的批复))"
            r".*(?:“三公”|\"三公\"|三公经费)"
        ),
    ),
    ("final_accounts_statement", re.compile(r"(?<!预)决算")),
    ("budget_statement", re.compile(r"预算")),
)
_BREADCRUMB = re.compile(r">|›|»")
_SPACE_IN_WORDS = re.compile(r"(?<=[\u4e00-\u9fa5\d])[ \t\u3000]+(?=[\u4e00-\u9fa5])")
_NAMES_A_YEAR = re.compile(r"(?:19|20)\d{2}\s*年")


def document_kind(lines: list[Line]) -> str:
    """The kind of disclosure: the first title-like line (its first 80 characters) that names one decides."""
    heads = [_BREADCRUMB.split(line.text)[-1][:80] for line in lines[:12]]
    # a title names its year; a page's column label above it ("预算绩效管理") names none
    dated = [text for text in heads if _NAMES_A_YEAR.search(text)]
    for text in dated + heads:
        for kind, pattern in DOCUMENT_KINDS:
            if pattern.search(text):
                return kind
    body = "\n".join(line.text for line in lines)
    for kind, pattern in DOCUMENT_KINDS:
        if kind != "three_public_disclosure" and pattern.search(body):
            return kind
    return "other"
