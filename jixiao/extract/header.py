"""Report-level fields: the unit and its region, the evaluated year, the signing date, score and grade."""
from __future__ import annotations

import re
from collections import Counter
from datetime import date

from jixiao.extract.numbers import squash
from jixiao.extract.gazetteer import division_names, locate
from jixiao.extract.vocab import normalize_grade
from jixiao.model import Document, Paragraph, Provenance, ReportHeader, Table

# A township unit with whatever stands before it; ``trim_unit`` keeps only the division names.
_UNIT = re.compile(r"([\u4e00-\u9fa5]{0,30}?[\u4e00-\u9fa5]{1,8}?(?:镇|乡|街道)(?:人民政府|办事处))")
_TITLE_UNIT = re.compile(
    r"^(?:关于)?([\u4e00-\u9fa5]{2,30}?(?:局|委员会|办公室|中心|院|所|站|馆|学校|医院|人民政府|办事处|大队|联合会))"
    r"(?:（[^）]*）)?(?:19|20)\d{2}\s*年"
)
_OTHER_UNIT = re.compile(r"^[（(]?([\u4e00-\u9fa5]{2,30}?(?:局|委员会|委|办公室|中心|院|所|站|馆|学校|医院|人民政府|政府|办事处))[)）]?$")
_TITLE_YEAR = re.compile(r"((?:19|20)\d{2})\s*年\s*度?")
_YEAR_DU = re.compile(r"((?:19|20)\d{2})\s*年度")
_DATE_CN = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_DATE_DOT = re.compile(r"((?:19|20)\d{2})[.\-/](\d{1,2})[.\-/](\d{1,2})")
_FILL_DATE = re.compile(r"填报日期[:：]?\s*(\S+)")
_SCORE = re.compile(r"(?:自评)?(?:得分|评分结果|总得分)(?:为|是|[:：])?\s*(\d+(?:\.\d+)?)\s*分")
_SCORE_TOTAL = re.compile(r"(?:自评|评价)(?:总分|总评分|综合得分|综合评分)(?:为|是|[:：])?\s*(\d+(?:\.\d+)?)\s*分")
_GRADE = re.compile(
    r"(?:等次|等级|评价结果|绩效为|评定为|结果为|评价为|绩效评价为)\s*[:：为是]?\s*[“\"「]?(优秀|良好|优|良|中等|中|一般|较差|不合格|合格|差)[”\"」]?"
)
_GRADE_RULE = re.compile(r"(优秀|优)[^。；]{0,12}\d+[^。；]{0,40}(良好|良)[^。；]{0,12}\d+")


def read_header(doc: Document) -> ReportHeader:
    header = ReportHeader()
    _department(doc, header)
    header.fiscal_year = fiscal_year(doc, header)
    header.report_date = report_date(doc, header)
    _score_and_grade(doc, header)
    return header


# --- department and region ---------------------------------------------------------------


def _unit_candidates(doc: Document) -> list[tuple[str, Provenance]]:
    found: list[tuple[str, Provenance]] = []
    for block in doc.blocks:
        if isinstance(block, Table):
            for r, row in enumerate(block.rows):
                for c, cell in enumerate(row):
                    if re.search(r"单位名称|部门名称|单位（部门）名称", cell) and c + 1 < len(row):
                        name = squash(row[c + 1])
                        if name:
                            found.append((name, Provenance(doc.source_file, block.index, r, c + 1, text=row[c + 1])))
                    if "政府" not in cell and "办事处" not in cell:
                        continue
                    for m in _UNIT.finditer(squash(cell)):
                        found.append((trim_unit(m.group(1)), Provenance(doc.source_file, block.index, r, c, text=cell)))
        else:
            text = squash(block.text)
            if "政府" not in text and "办事处" not in text and len(text) > 32:
                continue
            for m in _UNIT.finditer(text):
                found.append((trim_unit(m.group(1)), Provenance(doc.source_file, block.index, span=m.span(), text=block.text[:80])))
            t = _TITLE_UNIT.match(text) if block.index < 12 else None
            if t and "镇" not in t.group(1) and "乡" not in t.group(1):
                found.append((trim_unit(t.group(1)), Provenance(doc.source_file, block.index, span=t.span(1),
                                                                text=block.text[:80])))
            m = _OTHER_UNIT.match(text)
            if m and len(text) <= 32:
                found.append((m.group(1), Provenance(doc.source_file, block.index, span=m.span(1), text=block.text)))
    return found


def trim_unit(raw: str) -> str:
    """Drop words glued before a unit name: '年度岳阳市云溪区陆城镇人民政府' → '岳阳市云溪区陆城镇人民政府'.

    The name starts at the first official division name (from the gazetteer) that leads a
    valid prefix chain; with no known division, after a leading "…为" or "…的".
    """
    names = division_names()
    for i in range(len(raw)):
        for size in range(_LONGEST_DIVISION, 1, -1):
            if raw[i : i + size] in names and strip_divisions(raw[i:]) != raw[i:]:
                return raw[i:]
    return re.sub(r"^.*(?:部门为|单位为|为|的)", "", raw) or raw


_LONGEST_DIVISION = 16


def strip_divisions(name: str) -> str:
    """Remove leading official division names: 湖南省邵阳市绥宁县武阳镇人民政府 → 武阳镇人民政府."""
    names = division_names()
    rest = name
    while True:
        for size in range(min(_LONGEST_DIVISION, len(rest) - 2), 1, -1):
            if rest[:size] in names:
                rest = rest[size:]
                break
        else:
            return rest


def core_name(name: str) -> str:
    """The unit name without its province/city/county prefix: 绥宁县武阳镇人民政府 → 武阳镇人民政府."""
    return strip_divisions(name) or name


def _department(doc: Document, header: ReportHeader) -> None:
    candidates = _unit_candidates(doc)
    if not candidates:
        return
    cores = Counter(core_name(n) for n, _ in candidates)
    # the unit the report is about: named in the title/table first, else the most frequent
    first_core = core_name(candidates[0][0])
    best_core = first_core if cores[first_core] >= max(cores.values()) / 3 else cores.most_common(1)[0][0]
    variants = [(n, p) for n, p in candidates if core_name(n) == best_core]
    name, prov = max(variants, key=lambda v: (len(v[0]), -variants.index(v)))
    header.department_name = name
    header.provenance["department_name"] = prov
    region = locate(name, doc)
    if region:
        header.province, header.city, header.county, header.county_code = region
    m = re.search(r"([\u4e00-\u9fa5]{1,8}?(?:镇|乡|街道))(?:人民政府|办事处)$", best_core)
    if m:
        header.township = m.group(1)


# --- years and dates ---------------------------------------------------------------------------


def _title_paragraphs(doc: Document) -> list[Paragraph]:
    out = []
    for block in doc.blocks[:12]:
        if isinstance(block, Paragraph) and re.search(r"绩效|评价|自评", block.text) and len(block.text) < 80:
            out.append(block)
    return out


def fiscal_year(doc: Document, header: ReportHeader) -> int | None:
    """The evaluated year: the title's year, else the body's most frequent 'YYYY年度', never the signing year."""
    for para in _title_paragraphs(doc):
        m = _TITLE_YEAR.search(para.text)
        if m and re.search(r"报告|评价|自评|绩效", para.text):
            header.provenance["fiscal_year"] = Provenance(doc.source_file, para.index, span=m.span(), text=para.text)
            return int(m.group(1))
    counts: Counter[int] = Counter()
    for para in doc.paragraphs():
        for m in _YEAR_DU.finditer(para.text):
            counts[int(m.group(1))] += 1
    if counts:
        year = counts.most_common(1)[0][0]
        return year
    for table in doc.tables():
        for row in table.rows:
            for cell in row:
                for m in _YEAR_DU.finditer(cell):
                    counts[int(m.group(1))] += 1
    return counts.most_common(1)[0][0] if counts else None


def _iso(y: str, m: str, d: str) -> str | None:
    try:
        return date(int(y), int(m), int(d)).isoformat()
    except ValueError:
        return None


def report_date(doc: Document, header: ReportHeader) -> str | None:
    """The signing date (a date standing alone near the end), else the 填报日期 of an attached table."""
    signed: str | None = None
    for para in doc.paragraphs():
        text = squash(para.text)
        m = _DATE_CN.fullmatch(text) or _DATE_DOT.fullmatch(text)
        if m:
            signed = _iso(*m.groups()) or signed
            header.provenance["report_date"] = Provenance(doc.source_file, para.index, span=(0, len(para.text)),
                                                          text=para.text)
    if signed:
        return signed
    tail = doc.paragraphs()[-8:]
    for para in reversed(tail):  # "日期：2024年3月15日" or "某某镇人民政府  2024年3月15日"
        text = squash(para.text)
        m = _DATE_CN.search(text)
        if m and len(text) <= 40 and re.search(r"日期|人民政府|办事处|局|(?:日)$", text) and text.endswith("日"):
            header.provenance["report_date"] = Provenance(doc.source_file, para.index, span=(0, len(para.text)),
                                                          text=para.text)
            return _iso(*m.groups())
    for block in doc.blocks:
        texts = [block.text] if isinstance(block, Paragraph) else [c for row in block.rows for c in row]
        for text in texts:
            m = _FILL_DATE.search(text)
            if m:
                d = _DATE_CN.search(m.group(1)) or _DATE_DOT.search(m.group(1))
                if d:
                    return _iso(*d.groups())
    return None


# --- score and grade --------------------------------------------------------------------------------


def _score_and_grade(doc: Document, header: ReportHeader) -> None:
    for para in doc.paragraphs():
        text = para.text
        if header.self_score is None and re.search(r"自评|绩效|评价|综合|总分", text):
            m = _SCORE.search(text)
            if m and not re.search(r"满意度", text[max(0, m.start() - 12) : m.start()]):
                header.self_score = float(m.group(1))
                header.provenance["self_score"] = Provenance(doc.source_file, para.index, span=m.span(), text=text[:120])
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
                header.provenance["self_score"] = Provenance(doc.source_file, para.index, span=m.span(),
                                                             text=para.text[:120])
                break
