"""Report-level fields: the unit and its region, the evaluated year, the signing date, score and grade."""

from __future__ import annotations

import re

from jixiao.extract import header_dates, header_text, unit_name
from jixiao.extract.gazetteer import Region, core_name, locate, township_part
from jixiao.extract.vocab import normalize_grade
from jixiao.model import Document, Provenance, ReportHeader

_SCORE = re.compile(r"(?:自评)?(?:得分|评分结果|总得分)(?:为|是|[:：])?\s*(\d+(?:\.\d+)?)\s*分")
_SCORE_TOTAL = re.compile(r"(?:自评|评价)(?:总分|总评分|综合得分|综合评分)(?:为|是|[:：])?\s*(\d+(?:\.\d+)?)\s*分")
_GRADE = re.compile(
    r"(?:等次|等级|评价结果|绩效为|评定为|结果为|评价为|绩效评价为)\s*[:：为是]?\s*[“\"「]?(优秀|良好|优|良|中等|中|一般|较差|不合格|合格|差)[”\"」]?"
)
_GRADE_RULE = re.compile(r"(优秀|优)[^。；]{0,12}\d+[^。；]{0,40}(良好|良)[^。；]{0,12}\d+")


def read_header(doc: Document) -> ReportHeader:
    header = ReportHeader()
    lines = header_text.lines(doc)
    text = "\n".join(line.text for line in lines)
    header.fiscal_year, year_line = header_dates.fiscal_year(lines)
    if year_line is not None:
        header.provenance["fiscal_year"] = year_line.prov(doc.source_file)
    _department(doc, header, lines, text)
    names = [header.department_name, header.department_name and core_name(header.department_name)]
    header.report_date, date_line = header_dates.report_date(lines, [n for n in names if n] + _signature_names(header))
    if date_line is not None:
        header.provenance["report_date"] = date_line.prov(doc.source_file)
    header.published_date = header_dates.published_date(lines)
    header.source_url = header_dates.source_url(lines)
    header.document_kind = header_dates.document_kind(lines)
    _score_and_grade(doc, header)
    return header


def _signature_names(header: ReportHeader) -> list[str]:
    """Forms of the unit's name a signature may use (the name as first read, without 人民政府)."""
    raw = header.provenance.get("department_name")
    return [raw.text] if raw is not None and raw.text else []


# --- department and region ---------------------------------------------------------------


def _department(doc: Document, header: ReportHeader, lines: list[header_text.Line], text: str) -> None:
    name, chosen = unit_name.department_name(lines, text)
    if name is None or chosen is None:
        return
    header.department_name = name
    header.provenance["department_name"] = Provenance(
        doc.source_file,
        chosen.line.block,
        chosen.line.row,
        0 if chosen.line.row is not None else None,
        text=chosen.name,
    )
    region = locate(name, text, header.fiscal_year)
    if region is not None:
        header.province, header.city, header.county = region.province, region.city, region.county
        header.county_code = region.county_code
        header.division_code = region.code
    header.township = township_of(name)
    header.unit_key = unit_key(name, region)


def township_of(name: str | None) -> str | None:
    """The township a township government's name gives (绥宁县武阳镇人民政府 → 武阳镇), else None: the
    one rule for ``township`` (dbt publishes the landed value)."""
    if not name or not (unit_name.is_township(name) and name.endswith(("人民政府", "办事处"))):
        return None
    m = re.search(r"([\u4e00-\u9fa5]{1,12}?(?:镇|乡|街道|苏木))(?:人民政府|办事处)$", core_name(name))
    return township_part(m.group(1)) if m else None


def unit_key(name: str, region: Region | None) -> str | None:
    """One identity for a unit across renamed divisions and short forms: current division code + own name.

    湟中县统计局 (2017) and 湟中区统计局 (2021) → '630106/统计局'; 群加乡人民政府 → '630106/群加藏族乡人民政府'.
    """
    if region is None or not region.code:
        return None  # a unit of unknown place: namesakes elsewhere must not share its identity
    own = core_name(name)
    if region.township and region.township_official and own.startswith(region.township):
        own = region.township_official + own[len(region.township) :]
    return f"{region.code}/{own}"


# --- score and grade --------------------------------------------------------------------------------


def _score_and_grade(doc: Document, header: ReportHeader) -> None:
    for para in doc.paragraphs():
        text = para.text
        if header.self_score is None and re.search(r"自评|绩效|评价|综合|总分", text):
            m = _SCORE.search(text)
            if m and not re.search(r"满意度", text[max(0, m.start() - 12) : m.start()]):
                header.self_score = float(m.group(1))
                header.provenance["self_score"] = Provenance(
                    doc.source_file, para.index, span=m.span(), text=text[:120]
                )
        if header.grade is None:
            g = _GRADE.search(text)
            if g:
                header.grade_label_zh = g.group(1)
                header.grade = normalize_grade(g.group(1))
                header.provenance["grade"] = Provenance(doc.source_file, para.index, span=g.span(), text=text[:120])
        if header.grade_rule is None and _GRADE_RULE.search(text):
            header.grade_rule = text.strip()
    if header.self_score is None:
        for para in doc.paragraphs():
            m = _SCORE_TOTAL.search(para.text)
            if m:
                header.self_score = float(m.group(1))
                header.provenance["self_score"] = Provenance(
                    doc.source_file, para.index, span=m.span(), text=para.text[:120]
                )
                break
