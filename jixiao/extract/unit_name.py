"""The budget unit a report is about: its fullest name as the text gives it.

Sources, most trusted first: a labelled cell or line (部门(单位)名称, 单位名称, 单位(盖章), 实施单位,
评价单位, 预算单位, 填报单位), a title ("<unit>2024年部门预算…", "<county>2015年度<unit>“三公”…",
a unit standing alone on a line), a township government named in a sentence, the page's metadata
(发文单位, 发布机构, 来源, "欢迎来到<unit>网站"), and last a township the text keeps talking about.
The chosen name then takes the longest division prefix the text writes before it (石溪镇 →
重庆市南川区石溪镇), a short form its county (县政协 → 南县政协), and a township government its
official suffix (新开镇政府 → 新开镇人民政府).
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from jixiao.extract import divisions as dv
from jixiao.extract.gazetteer import division_names, leading_divisions, trim_unit
from jixiao.extract.header_text import Line

CJK = r"\u4e00-\u9fa5"
# What a unit's name ends with (longest first in the alternation).
UNIT_SUFFIXES = (
    "人民政府办公室", "人民政府", "办事处", "委员会", "办公室", "管委会", "联合会", "国资委", "政协", "人大", "文联", "工会",
    "中心", "学校", "幼儿园", "医院", "大队", "支队", "经开区", "开发区", "高新区", "园区", "新区", "小学", "中学",
    "大学", "学院", "电视台", "监狱", "妇联", "残联", "科协", "侨联", "工商联", "团委",
    "局", "委", "办", "院", "所", "站", "馆", "队", "校", "园", "社", "会", "处", "厅", "部",
)
_SUFFIX = "|".join(sorted(UNIT_SUFFIXES, key=len, reverse=True))
_TOWNSHIP_GOV = re.compile(rf"([{CJK}]{{1,8}}?(?:镇|乡|街道|苏木))(?:人民政府|政府|办事处)")
_UNIT_AT_END = re.compile(rf"(?:{_SUFFIX})$")
_NOT_A_UNIT = re.compile(r"^(?:部门|单位|本单位|本部门|我单位|我局|本局|填报单位|预算单位|主管部门|实施单位|各单位|"
                         r"[县市区省乡镇]?(?:政府|人民政府))$|单位[:：]|万元|^[一二三四五六七八九十]+、|"
                         r"^(?:全|本|我|该|各|每|其|此|乡|城|集|小城|建制|村|县|市|区|省)(?:镇|乡|街道|县|市|区)|"
                         r"^(?:根据|按照|依据|依照|经(?!开)|由|向|对|在|从|与|和|及|将|为|是|由于|通过|关于|下达|印发)")
_YEAR = r"(?:19|20)\d{2}年度?"
_KIND = r"(?:部门|单位)?(?:整体支出|预算|决算|财政拨款|一般公共预算|政府性基金|“三公”|\"三公\"|三公|绩效|项目|收支|财务)"
# "<unit>2024年部门预算…", "<county>2015年度<unit>“三公”…", "2016年<unit>财政拨款“三公”…"
_TITLE = re.compile(rf"(?:^|[^{CJK}]|关于|现将)([{CJK}()（）]{{2,40}}?)?({_YEAR})")
_KIND_AT = re.compile(_KIND)
# "…绩效评价报告（某某县某某镇人民政府）": the unit in brackets right after a title
_TITLE_PAREN = re.compile(rf"(?:报告|说明|自评表|评价表|情况表|公开|批复)[(（]([{CJK}]{{2,40}})[)）]")
_LABELS = re.compile(
    r"(部门[(（]单位[)）]名称|单位[(（]部门[)）]名称|单位名称|部门名称|评价单位|实施单位|预算单位|填报单位|报送单位|编制单位|"
    r"单位[(（](?:盖章|公章)[)）]|部门[(（](?:盖章|公章)[)）])(?:[(（](?:盖章|公章)[)）])?\s*([:：|]?)\s*\|?\s*")
_META = re.compile(r"(发文单位|发文机构|发布机构|发布单位|制发机关)\s*[:：]?\s*\]?\s*\|?\s*")
_SOURCE = re.compile(r"(?:来源|來源|信息来源|文章来源)\s*[:：]\s*\]?\s*\|?\s*")
_WELCOME = re.compile(rf"欢迎(?:来到|访问|光临)([{CJK}]{{2,30}}?)(?:网站|官网|门户|政务网)")
_CODE_PREFIX = re.compile(r"^[\dA-Za-z]+[-—_]?(?![年\d])")  # a budget code (219001-, 920), never a year
_NAMES_A_UNIT = re.compile(rf"(?:人民政府|政府|办事处|(?:19|20)\d{{2}}年|[{CJK}]{{0,10}}?(?<![路街村号组巷道])(?:{_SUFFIX})"
                           rf"(?![{CJK}])|$)")
_QUALIFIER = re.compile(r"[(（](?:本级|汇总|机关|盖章|公章)[)）]$")


@dataclass
class Candidate:
    name: str
    tier: int  # lower is more trusted
    line: Line


def _valid(name: str) -> bool:
    return 2 <= len(name) <= 40 and not _NOT_A_UNIT.search(name) and name not in division_names()


def _unit_prefix(value: str) -> str | None:
    """The unit name a value starts with: the longest prefix ending in a unit suffix (or a township) that
    is followed by a label or the end, else the shortest such prefix."""
    value = _CODE_PREFIX.sub("", value.split(" | ")[0]) if value else ""
    value = re.split(r"[:：,，;；。、|]", value)[0]
    ends = [m.end() for m in re.finditer(rf"(?:{_SUFFIX}|镇|乡|街道)", value)]
    if not ends:
        return None
    clean_ends = [e for e in ends if e == len(value) or _QUALIFIER.match(value[e:]) or re.match(
        r"(?:预算|评价|填报|日期|主管|实施|资金|项目|联系|负责|单位|部门|编码|代码|[(（]|\d)", value[e:])]
    end = max(clean_ends) if clean_ends else min(ends)
    name = value[:end]
    return name if _valid(name) else None


def _from_labels(line: Line, following: Line | None) -> list[str]:
    out = []
    for m in _LABELS.finditer(line.text):
        value = line.text[m.end():]
        if not value.strip("| ") and following is not None:  # one cell per line: the value is the next line
            value = following.text
        name = _unit_prefix(value)
        # with no separator after the label the value must start with a division name (主管部门X县水利局实施单位…)
        if name and (m.group(2) or leading_divisions(name)[0]):
            out.append(name)
    return out


def _is_unit(name: str) -> bool:
    return bool(_UNIT_AT_END.search(name) or re.search(r"(?:镇|乡|街道)$", name))


def _only_divisions(text: str) -> bool:
    return bool(text) and not leading_divisions(text)[1]


def _from_titles(line: Line) -> list[str]:
    out = []
    for m in _TITLE.finditer(line.text):
        before = trim_unit(re.sub(r"(?:关于|对|的)$", "", m.group(1))) if m.group(1) else ""
        tail = line.text[m.end(2):m.end(2) + 40]
        afters = [re.sub(r"(?:部门|单位|本级|财政)+$", "", tail[:k.start()]) for k in _KIND_AT.finditer(tail)]
        afters = [a for a in afters if re.fullmatch(rf"[{CJK}]+", a) and _is_unit(a)]
        if afters:
            after = max(afters, key=len)
            name = (before if _only_divisions(before) else "") + after
        else:
            name = before
        name = _QUALIFIER.sub("", name)
        attachment = line.text[max(0, m.start() - 2):m.start()] == "附件"  # 附件：<unit>2023年…预算表.xlsx
        cell_start = m.group(1) and line.text[m.start()] in "|】]》"  # a title starting a cell of a joined line
        body = len(line.text) > 60 and m.start() > 0 and not attachment and not cell_start
        if _valid(name) and _is_unit(name) and (not body or leading_divisions(name)[0]):
            out.append(name)
    return out


def _standing_alone(line: Line) -> list[str]:
    first_cell = re.split(r"\s*\|\s*", line.text)[0]
    text = _QUALIFIER.sub("", re.sub(r"^(?:19|20)\d{2}年度?", "", _CODE_PREFIX.sub("", first_cell)))
    if len(text) <= 30 and re.fullmatch(rf"[{CJK}]+", text) and _UNIT_AT_END.search(text) and _valid(text):
        _, rest = leading_divisions(text)
        if rest != text or text.endswith(("人民政府", "办事处")):
            return [text]
    return []


def _from_metadata(line: Line, sources: bool = False) -> list[str]:
    """Units in page metadata: 发文单位/发布机构 (``sources=False``), or the 来源 a page credits (``sources=True``),
    which may be the publishing site rather than the unit and so only lends its prefix to a name read elsewhere."""
    out = []
    for m in (_SOURCE if sources else _META).finditer(line.text):
        value = line.text[m.end():]
        if re.match(r"(?:本网|本站|网站|政府网|[^|]{0,12}网)", value):
            continue
        name = _unit_prefix(re.split(r"\d", value)[0])
        if name:
            out.append(name)
        elif (m2 := re.match(rf"([{CJK}]{{2,20}}?(?:镇|乡|街道))(?![{CJK}])", value)):
            out.append(m2.group(1))
    if not sources:
        out += [m.group(1) for m in _WELCOME.finditer(line.text) if _valid(m.group(1))]
    return out


def candidates(lines: list[Line]) -> list[Candidate]:
    found: list[Candidate] = []
    text = "\n".join(line.text for line in lines)
    for i, line in enumerate(lines):
        following = lines[i + 1] if i + 1 < len(lines) else None
        found += [Candidate(n, 1, line) for n in _from_labels(line, following)]
        found += [Candidate(n, 2, line) for n in _from_titles(line)]
        if i == 0 or not re.search(r"(?:主管部门|主管单位|上级单位)\W*$", lines[i - 1].text):
            found += [Candidate(n, 2, line) for n in _standing_alone(line)]
        found += [Candidate(m.group(1), 2, line) for m in _TITLE_PAREN.finditer(line.text)
                  if _valid(m.group(1)) and _is_unit(m.group(1))]
        for m in _TOWNSHIP_GOV.finditer(line.text):  # early or named twice: not a township mentioned in passing
            if i < 5 or text.count(m.group(1)) >= 2:
                found.append(Candidate(trim_unit(m.group(0)), 3, line))
        found += [Candidate(n, 4, line) for n in _from_metadata(line)]
        found += [Candidate(n, 9, line) for n in _from_metadata(line, sources=True)]
    return [c for c in found if _valid(c.name)]


def _bare_township(lines: list[Line]) -> Candidate | None:
    """A township the text keeps naming (群加乡下设…, 2015年群加乡本年度预算…) when no unit is named."""
    counts: Counter[str] = Counter()
    first: dict[str, Line] = {}
    towns = dv.townships()
    early = "\n".join(line.text for line in lines[:6])
    for line in lines:
        for m in re.finditer(rf"([{CJK}]{{2,4}}?(?:镇|乡))(?=[{CJK}])", line.text):
            for start in range(m.start(1), m.end(1) - 2):
                name = line.text[start : m.end(1)]
                if name in towns:
                    counts[name] += 1
                    first.setdefault(name, line)
                    break
    if not counts:
        return None
    name, n = counts.most_common(1)[0]
    return Candidate(name, 5, first[name]) if n >= 2 and name in early else None


def is_township(name: str) -> bool:
    return bool(re.search(r"(?:镇|乡|街道|苏木)(?:人民政府|政府|办事处)?$", name))


def official_form(name: str) -> str:
    """A township government with its official suffix: 新开镇政府 / 新开镇 → 新开镇人民政府."""
    m = re.fullmatch(r"(.*?(?:镇|乡|苏木))(?:政府|人民政府)?", name)
    if m:
        return m.group(1) + "人民政府"
    m = re.fullmatch(r"(.*?街道)(?:办事处)?", name)
    if m:
        return m.group(1) + "办事处"
    return name


def fullest(name: str, text: str, others: list[str] = ()) -> str:
    """The longest division prefix the text writes before the unit's own name (or its short form's);
    ``others`` are other names read for units (a 来源 line) that may be the same unit with its prefix."""
    prefix, core = leading_divisions(name)
    for other in others:
        written, rest = leading_divisions(other)
        if rest == core and len("".join(written)) > len("".join(prefix)) and "".join(written).endswith("".join(prefix)):
            prefix = written
    key, level_char = core, ""
    m = re.match(r"^([县市区])(?=[^县市区])", core)
    if m and not prefix:  # 县政协 / 市国资委: the text may name the county or city
        key, level_char = core[1:], m.group(1)
    township = re.match(rf"[{CJK}]{{1,8}}?(?:镇|乡|街道|苏木)", core) if is_township(core) else None
    if township:
        key = township.group(0)
    seen: list[list[str]] = []
    for m in re.finditer(re.escape(key), text):
        if township and not _NAMES_A_UNIT.match(text[m.end():m.end() + 16]):
            continue  # an address (湖南省湘潭县中路铺镇湘中路10号) is not the township's government or unit
        written, _ = leading_divisions_before(text, m.start())
        if level_char and (not written or not written[-1].endswith(level_char)):
            continue
        if written and "".join(written).endswith("".join(prefix)):
            seen.append(written)
    best = max(seen, key=lambda w: len("".join(w)), default=prefix)
    if any(not "".join(best).endswith("".join(w)) for w in seen):
        best = prefix  # the text prefixes the name with different places (岳阳市财政局, 岳阳县财政局)
    if level_char and best:
        return "".join(best) + key + core[len(level_char) + len(key):]
    return "".join(best) + core


def leading_divisions_before(text: str, end: int) -> tuple[list[str], int]:
    """The chain of division names that ends right before ``text[end]`` (read backwards)."""
    names = division_names()
    found: list[str] = []
    pos = end
    while pos > 0:
        for size in range(min(16, pos), 1, -1):
            if text[pos - size : pos] in names:
                found.insert(0, text[pos - size : pos])
                pos -= size
                break
        else:
            break
    return found, pos


def choose(found: list[Candidate], lines: list[Line]) -> Candidate | None:
    """The unit the report is about: the most trusted source; among equals the earliest. A 来源 credit
    (tier 9) never names the unit by itself."""
    found = [c for c in found if c.tier < 9]
    if not found:
        return _bare_township(lines)
    best_tier = min(c.tier for c in found)
    return next(c for c in found if c.tier == best_tier)


def department_name(lines: list[Line], text: str) -> tuple[str | None, Candidate | None]:
    found = candidates(lines)
    chosen = choose(found, lines)
    if chosen is None:
        return None, None
    name = fullest(chosen.name, text, [c.name for c in found])
    if is_township(name):
        name = official_form(name)
    return name, chosen
