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
from collections.abc import Sequence
from dataclasses import dataclass

from jixiao.extract import divisions as dv
from jixiao.extract.gazetteer import division_names, leading_divisions, trim_unit
from jixiao.extract.header_text import Line

CJK = r"\u4e00-\u9fa5"
# What a unit's name ends with (longest first in the alternation).
UNIT_SUFFIXES = (
    "人民政府办公室",
    "人民政府",
    "办事处",
    "委员会",
    "办公室",
    "管委会",
    "联合会",
    "国资委",
    "政协",
    "人大",
    "文联",
    "工会",
    "中心",
    "学校",
    "幼儿园",
    "医院",
    "大队",
    "支队",
    "经开区",
    "开发区",
    "高新区",
    "园区",
    "新区",
    "小学",
    "中学",
    "大学",
    "学院",
    "电视台",
    "监狱",
    "妇联",
    "残联",
    "科协",
    "侨联",
    "工商联",
    "团委",
    "局",
    "委",
    "办",
    "院",
    "所",
    "站",
    "馆",
    "队",
    "校",
    "园",
    "社",
    "会",
    "处",
    "厅",
    "部",
)
_SUFFIX = "|".join(sorted(UNIT_SUFFIXES, key=len, reverse=True))
_TOWNSHIP_GOV = re.compile(rf"([{CJK}]{{1,8}}?(?:镇|乡|街道|苏木))(?:人民政府|政府|办事处)")
_UNIT_AT_END = re.compile(rf"(?:{_SUFFIX})$")
_NOT_A_UNIT = re.compile(
    r"^(?:部门|单位|本单位|本部门|我单位|我局|本局|填报单位|预算单位|主管部门|实施单位|各单位|全部|"
    r"[县市区省乡镇]?(?:政府|人民政府))$|单位[:：]|万元|^[一二三四五六七八九十]+、|"
    r"^(?:全|本|我|该|各|每|其|此|乡|城|集|小城|建制|村|县|市|区|省)(?:镇|乡|街道|县|市|区)|"
    r"^(?:根据|按照|依据|依照|经(?!开)|由|向|对|在|从|与|和|及|将|为|是|由于|通过|关于|下达|印发)"
)
_KIND = (
    r"(?:部门|单位)?(?:整体支出|预算|决算|财政拨款|一般公共预算|政府性基金|“三公”|\"三公\"|三公|绩效|项目|收支|财务)"
)
# "<unit>2024年部门预算…", "<county>2015年度<unit>“三公”…", "2016年<unit>财政拨款“三公”…"
_YEAR_AT = re.compile(r"(?:19|20)\d{2}年度?")
_NAME_CHAR = re.compile(rf"[{CJK}()（）]")
_KIND_AT = re.compile(_KIND)
# "…绩效评价报告（某某县某某镇人民政府）", "…预算公开——某某县某某局": the unit right after a title
_TITLE_PAREN = re.compile(
    rf"(?:报告|说明|自评表|评价表|情况表|公开|批复)(?:[(（]([{CJK}]{{2,40}})[)）]|[—–\-]+([{CJK}]{{2,40}})$)"
)
_LABELS = re.compile(
    r"(部门[(（]单位[)）]名称|单位[(（]部门[)）]名称|单位名称|部门名称|评价单位|实施单位|预算单位|填报单位|报送单位|编制单位|"
    r"单位[(（](?:盖章|公章)[)）]|部门[(（](?:盖章|公章)[)）])(?:[(（](?:盖章|公章)[)）])?\s*([:：|]?)\s*\|?\s*"
)
# a bare 部门 / 单位 cell: only with a separator, and not the end of a longer word (主管部门, 计量单位)
_BARE_LABEL = re.compile(r"(?<![\u4e00-\u9fa5])(?:部门|单位)\s*([:：|])\s*\|?\s*")
_META = re.compile(r"(发文单位|发文机构|发布机构|发布单位|制发机关)\s*[:：]?\s*\]?\s*\|?\s*")
_SOURCE = re.compile(r"(?:来源|來源|信息来源|文章来源)\s*[:：]\s*\]?\s*\|?\s*")
_TOWNSHIP_WORD = re.compile(rf"([{CJK}]{{2,4}}?(?:镇|乡))(?=[{CJK}])")
_TRAILING_PARTICLE = re.compile(r"(?:关于|对|的)$")
_TRAILING_WORDS = re.compile(r"(?:部门|单位|本级|财政)+$")
_ALL_CJK = re.compile(rf"[{CJK}]+")
_OPENERS = re.compile(r"[(（—–\-]")
_SUPERVISOR = re.compile(r"(?:主管部门|主管单位|上级单位)\W*$")  # the line after it names another unit
_FIGURE = re.compile(r"[\d.,%\-]+")
_BRACKETED = re.compile(r"^[(（](.+)[)）]$")
_SIGNATURE_DATE = re.compile(r"(?:19|20)\d{2}年\d{1,2}月\d{1,2}日")
_LEADING_YEAR = re.compile(r"^(?:19|20)\d{2}年度?")
_METADATA_WORDS = re.compile(r"发文|发布|制发|来源|來源|欢迎")
_WELCOME = re.compile(rf"欢迎(?:来到|访问|光临)([{CJK}]{{2,30}}?)(?:网站|官网|门户|政务网)")
_CODE_PREFIX = re.compile(r"^[\dA-Za-z]+[-—_]?(?![年\d])")  # a budget code (219001-, 920), never a year
_NAMES_A_UNIT = re.compile(
    rf"(?:人民政府|政府|办事处|(?:19|20)\d{{2}}年|[{CJK}]{{0,10}}?(?<![路街村号组巷道])(?:{_SUFFIX})"
    rf"(?![{CJK}])|$)"
)
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
    is followed by a label or the end; None when no such end is clear (主任张三 after the name)."""
    value = _CODE_PREFIX.sub("", value.split(" | ")[0]) if value else ""
    value = re.split(r"[:：,，;；。、|]", value)[0]
    ends = [m.end() for m in re.finditer(rf"(?:{_SUFFIX}|镇|乡|街道)", value)]
    if not ends:
        return None
    clean_ends = [
        e
        for e in ends
        if e == len(value)
        or _QUALIFIER.match(value[e:])
        or re.match(r"(?:预算|评价|填报|日期|主管|实施|资金|项目|联系|负责|单位|部门|编码|代码|[(（]|\d)", value[e:])
    ]
    if not clean_ends:
        return None
    name = value[: max(clean_ends)]
    return name if _valid(name) else None


def _from_labels(line: Line, following: Line | None) -> list[str]:
    out: list[str] = []
    if "单位" not in line.text and "部门" not in line.text:
        return out
    for m in _LABELS.finditer(line.text):
        value = line.text[m.end() :]
        if not value.strip("| ") and following is not None:  # one cell per line: the value is the next line
            value = following.text
        name = _unit_prefix(value)
        # with no separator after the label the value must start with a division name (主管部门X县水利局实施单位…)
        if name and (m.group(2) or leading_divisions(name)[0]):
            out.append(name)
    for m in _BARE_LABEL.finditer(line.text):
        name = _unit_prefix(line.text[m.end() :])
        if name and _is_unit(name):
            out.append(name)
    return out


def _is_unit(name: str) -> bool:
    return bool(_UNIT_AT_END.search(name) or name.endswith(("镇", "乡", "街道")))


def _only_divisions(text: str) -> bool:
    return bool(text) and not leading_divisions(text)[1]


def _title_before(text: str, year_at: int) -> tuple[str, int] | None:
    """The run of name characters right before a year, and where the run's boundary is (-1: line start);
    None when no title can end there (a longer sentence runs into the year)."""
    start = year_at
    while start > 0 and _NAME_CHAR.match(text[start - 1]):
        start -= 1
    run = text[start:year_at]
    if len(run) > 40 or len(run) == 1:
        cut = max(run.rfind("关于"), run.rfind("现将"))
        if cut < 0 or not 2 <= len(run) - cut - 2 <= 40:
            return None
        return run[cut + 2 :], start + cut + 1
    return run, start - 1


def _from_titles(line: Line) -> list[str]:
    out = []
    text = line.text
    for m in _YEAR_AT.finditer(text):
        found = _title_before(text, m.start())
        if found is None:
            continue
        run, boundary = found
        before = trim_unit(_TRAILING_PARTICLE.sub("", run)) if run else ""
        tail = text[m.end() : m.end() + 40]
        afters = [_TRAILING_WORDS.sub("", tail[: k.start()]) for k in _KIND_AT.finditer(tail)]
        afters = [a for a in afters if _ALL_CJK.fullmatch(a) and _is_unit(a)]
        if afters:
            after = max(afters, key=len)
            name = (before if _only_divisions(before) else "") + after
        else:
            name = before
        name = _QUALIFIER.sub("", name)
        attachment = text[max(0, boundary - 2) : max(0, boundary)] == "附件"  # 附件：<unit>2023年…预算表.xlsx
        cell_start = bool(run) and boundary >= 0 and text[boundary] in "|】]》>"  # a title starting a joined cell
        body = len(text) > 60 and boundary > 0 and not attachment and not cell_start
        if _valid(name) and _is_unit(name) and (not body or leading_divisions(name)[0]):
            out.append(name)
    return out


_LAST_CHARS = frozenset("".join(x[-1] for x in UNIT_SUFFIXES) + "镇乡道木)）")


def _standing_alone(line: Line) -> list[str]:
    head = line.text.split("|", 1)[0].rstrip()
    if not head or head[-1] not in _LAST_CHARS or len(head) > 60:
        return []
    cells = [c.strip() for c in line.text.split("|") if c.strip()]
    first_cell = cells[0] if cells else ""
    metadata = all(re.search(r"[:：]", c) for c in cells[1:])  # "预算年度:2025 | 单位:万元" beside the unit
    if len(first_cell) > 44 or len(cells) > 2 and not metadata or any(_FIGURE.fullmatch(c) for c in cells[1:]):
        return []  # a row of a table (a sub-unit with its figures) is not a title
    text = _QUALIFIER.sub("", _LEADING_YEAR.sub("", _CODE_PREFIX.sub("", first_cell)))
    text = _BRACKETED.sub(r"\1", text)  # （石门县某某镇） under a title
    if len(text) <= 30 and re.fullmatch(rf"[{CJK}]+", text) and _is_unit(text) and _valid(text):
        _, rest = leading_divisions(text)
        if rest != text or text.endswith(("人民政府", "办事处")):
            return [text]
    return []


def _from_metadata(line: Line, sources: bool = False) -> list[str]:
    """Units in page metadata: 发文单位/发布机构 (``sources=False``), or the 来源 a page credits (``sources=True``),
    which may be the publishing site rather than the unit: it is the least trusted source."""
    out = []
    for m in (_SOURCE if sources else _META).finditer(line.text):
        value = line.text[m.end() :]
        if re.match(r"(?:本网|本站|网站|政府网|[^|]{0,12}网)", value):
            continue
        name = _unit_prefix(re.split(r"\d", value)[0])
        if name:
            out.append(name)
        elif m2 := re.match(rf"([{CJK}]{{2,20}}?(?:镇|乡|街道))(?![{CJK}])", value):
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
        alone = _standing_alone(line)
        if alone and (i == 0 or not _SUPERVISOR.search(lines[i - 1].text)):
            signed = following is not None and _SIGNATURE_DATE.fullmatch(following.text)
            found += [Candidate(n, 1 if signed else 2, line) for n in alone]
        if _OPENERS.search(line.text):
            for m in _TITLE_PAREN.finditer(line.text):
                name = m.group(1) or m.group(2)
                if _valid(name) and _is_unit(name):
                    found.append(Candidate(name, 2, line))
        if "政府" in line.text or "办事处" in line.text:
            for m in _TOWNSHIP_GOV.finditer(line.text):  # early or named twice: not a township mentioned in passing
                if i < 5 or text.count(m.group(1)) >= 2:
                    found.append(Candidate(trim_unit(m.group(0)), 3, line))
        if _METADATA_WORDS.search(line.text):
            found += [Candidate(n, 4, line) for n in _from_metadata(line)]
            found += [Candidate(n, 5, line) for n in _from_metadata(line, sources=True)]
    return [c for c in found if _valid(c.name)]


def _bare_township(lines: list[Line]) -> Candidate | None:
    """A township the text keeps naming (群加乡下设…, 2015年群加乡本年度预算…) when no unit is named."""
    counts: Counter[str] = Counter()
    first: dict[str, Line] = {}
    towns = dv.townships()
    early = "\n".join(line.text for line in lines[:6])
    for line in lines:
        for m in _TOWNSHIP_WORD.finditer(line.text):
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


def fullest(name: str, text: str, others: Sequence[str] = ()) -> str:
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
        if township and not _NAMES_A_UNIT.match(text[m.end() : m.end() + 16]):
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
        return "".join(best) + key + core[len(level_char) + len(key) :]
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
    """The unit the report is about: the most trusted source; among equals the earliest. When only a 来源
    credit (tier 5) names a unit and the text keeps naming a township that is not it, nothing is sure."""
    if not found:
        return _bare_township(lines)
    best_tier = min(c.tier for c in found)
    best = next(c for c in found if c.tier == best_tier)
    if best_tier == 5 and (bare := _bare_township(lines)) is not None and bare.name not in best.name:
        return None
    return best


def department_name(lines: list[Line], text: str) -> tuple[str | None, Candidate | None]:
    found = candidates(lines)
    chosen = choose(found, lines)
    if chosen is None:
        return None, None
    name = fullest(chosen.name, text, [c.name for c in found])
    if is_township(name):
        name = official_form(name)
    return name, chosen
