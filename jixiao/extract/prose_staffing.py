"""Headcounts stated in sentences: 编制 (by category), 在职/实有, 离退休, 编外.

Each clause "LABEL 12人" is named by its label as a whole (exclusions first: 其他人员, 公益岗位,
工勤, 参公 … have no contract metric).  在职 wins over 实有 in one sentence; a count dated
"2021年末"/"2017年底" belongs to that year; "其中行政12人，事业6人" after a serving headcount splits it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from jixiao.extract.context import Context
from jixiao.extract.vocab import STAFF_EXCLUDE, STAFF_METRICS
from jixiao.model import Paragraph

_CLAUSE_SPLIT = re.compile(r"[，,、；;。：:]")
_COUNT = re.compile(r"(?P<label>[^\d]*?)(?:为|共有|共|有|是|达)?\s*(?P<n>\d+)\s*(?P<unit>人|名|个)?")
_SPACE = re.compile(r"\s+")
_BREAKDOWN_BRACKET = re.compile(r"(\d\s*[人名])[（(]")
_DATED_CLAUSE = re.compile(r"\s*(?:截至|截止|至|到|于|在)?\s*((?:19|20)\d{2})\s*年")
_NUMBER_GOES_ON = re.compile(r"\s*[\d.%]")  # "12.5人", "12%": not a headcount
_PAREN = re.compile(r"[(（][^()（）]*[)）]")
_ESTABLISHMENT_SPLIT = re.compile(r"^[(（](?:其中[:：]?)?(?:行政|事业)编制\s*\d+\s*[人名]")
_EXCLUDE = re.compile(STAFF_EXCLUDE)
_METRICS = [(metric, re.compile(p)) for metric, p in STAFF_METRICS]
_LEAD = re.compile(
    r"^(?:其中|现有|共有|另有|另外|此外|全局|全镇|全乡|全单位|本单位|我单位|我部门|单位|部门|年末|年底|截至|截止|目前"
    r"|[一二三四五六七八九十]+[、.．]|\d{1,2}[、.．]|[(（][一二三四五六七八九十\d]{1,2}[)）]|[:：\s])+"
)
_YEAR_WORDS = re.compile(r"(?:截至|截止)?((?:19|20)\d{2})\s*年(?:度|末|底)?")
_CATEGORY = re.compile(r"行政|事业")
_CUE = re.compile(r"编制|编外|无编|在职|在编|实有|退休|人员|人数|派遣|外聘|职工")


@dataclass
class _Count:
    metric: str
    value: int
    label: str
    year: int | None
    span: tuple[int, int]
    rank: int  # for actual: 在职 0, 实有 1, other wordings 2


def extract_staffing_sentence(ctx: Context, para: Paragraph, sentence: str, s0: int) -> None:
    if not _CUE.search(sentence):
        return
    # "(含行政工人1人)" are sub-counts; "(行政编制47人，事业编制70人)" splits the establishment by kind
    text = _PAREN.sub(
        lambda m: m.group(0) if _ESTABLISHMENT_SPLIT.search(m.group(0)) else " " * len(m.group(0)), sentence
    )
    counts = _counts(ctx, text)
    _qualify_paired_actuals(counts, text)
    best_actual: dict[tuple[str, int | None], _Count] = {}
    for c in counts:
        if c.metric in ("actual", "actual_admin", "actual_institution"):
            key = (c.metric, c.year)
            if key not in best_actual or c.rank < best_actual[key].rank:
                best_actual[key] = c
    outside = {c.value for c in counts if c.metric == "unauthorized"}
    if len(outside) > 1:
        counts = [c for c in counts if c.metric != "unauthorized"]  # 编外 kinds stated apart: their sum is not stated
    if any(c.metric == "retired" and "离退休" not in c.label for c in counts):
        # "离退休人员30人，其中离休2人，退休28人": 退休 is the contract's figure where both are stated
        counts = [c for c in counts if not (c.metric == "retired" and "离退休" in c.label)]
    plain_retired = any(c.metric == "retired" and not _CATEGORY.search(c.label) for c in counts)
    for c in counts:
        if c.metric.startswith("actual") and best_actual.get((c.metric, c.year)) is not c:
            continue
        if c.metric == "retired" and plain_retired and _CATEGORY.search(c.label):
            continue  # "退休12人，行政退休11人，事业退休1人": the split has no metric
        ctx.add(
            "fct_staffing",
            c.year,
            {"metric": c.metric},
            {"headcount": c.value, "metric_label_zh": c.label},
            "prose",
            ctx.span(para, s0 + c.span[0], s0 + c.span[1], sentence.strip()),
        )


def _counts(ctx: Context, text: str) -> list[_Count]:
    # "核定编制117人（行政编制47人，事业编制70人）": a bracket right after a count opens its breakdown
    text = _BREAKDOWN_BRACKET.sub(lambda m: m.group(1) + "，", text)  # same length: spans hold
    out: list[_Count] = []
    pos = 0
    year = None
    after_actual = False
    for part in [*_CLAUSE_SPLIT.split(text)]:
        start = text.find(part, pos)
        pos = start + len(part)
        dated = _DATED_CLAUSE.match(part)
        if dated:
            year = int(dated.group(1))  # "2021年末实有在职人员60人"; not "根据2019年文件核定…"
        blanked = _YEAR_WORDS.sub(lambda y: " " * len(y.group(0)), part)
        lead = len(blanked) - len(blanked.lstrip())
        m = _COUNT.match(blanked.lstrip())
        if m is None:
            continue
        label = _LEAD.sub("", _SPACE.sub("", m.group("label")))
        rest = blanked.lstrip()[m.end() :]
        if not label or _NUMBER_GOES_ON.match(rest):
            continue
        if m.group("unit") is None and (not label.endswith("人数") or start + len(part) >= len(text.rstrip())):
            continue  # "编制人数42," is a count; any other unitless number, or one the text ends in, is not
        if m.group("unit") == "个" and "编" not in label:
            continue  # "内设机构4个" counts offices; "行政编制24个" counts posts
        metric = _metric(label, after_actual)
        # "在职18人，其中行政12人，事业6人": bare 行政/事业 right after a serving count split it
        after_actual = metric == "actual" or (after_actual and (metric or "").startswith("actual_"))
        if metric is None:
            continue
        rank = 0 if "在职" in label else 1 if "实有" in label else 2
        offset = start + lead
        out.append(
            _Count(
                metric,
                int(m.group("n")),
                label,
                year or ctx.fiscal_year,
                (offset + m.start("n"), offset + m.end("n")),
                rank,
            )
        )
    return out


def _metric(label: str, after_actual: bool) -> str | None:
    if _METRICS[0][1].search(label):
        return _METRICS[0][0]  # 编外/外聘临时工 before the exclusions (临时工人数 is not 工人)
    if _EXCLUDE.search(label):
        return None
    if after_actual and label in ("行政", "事业"):
        return "actual_admin" if label == "行政" else "actual_institution"
    for metric, rx in _METRICS:
        if rx.search(label):
            return metric
    return None


def _qualify_paired_actuals(counts: list[_Count], text: str) -> None:
    """ "行政编制0人，实有人数0人；事业编制82人，实有人数61人": each 实有 belongs to the category before it,
    where both categories are paired so."""
    pairs = [
        (a, b)
        for a, b in zip(counts, counts[1:])
        if a.metric in ("authorized_admin", "authorized_institution") and b.metric == "actual"
    ]
    if len({a.metric for a, _ in pairs}) < 2:
        return
    for a, b in pairs:
        b.metric = "actual_admin" if a.metric == "authorized_admin" else "actual_institution"
