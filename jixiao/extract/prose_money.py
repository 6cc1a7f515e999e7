"""Money stated in sentences: budget and spending items, funds by source, carry-overs, function
classes, project lines and 三公经费.

A sentence is cut into clauses; each amount is named by its clause's words before it (its label).
The phase comes from the label, else from the sentence, else from the passage (headings such as
"二、部门预算情况说明" and earlier sentences).  Comparisons, shares and differences are never facts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from jixiao.extract.context import Context
from jixiao.extract.prose_phase import (
    BUDGETS,
    PassageState,
    is_comparison,
    label_phase,
    last_phase,
    resolve_phase,
)
from jixiao.extract.prose_three_public import ThreePublicRun
from jixiao.extract.vocab import (
    ECONOMIC_ITEMS,
    FUNCTION_CLASSES,
    FUNCTION_LIST_CUE,
    PROJECT_LIST_CUE,
    PROSE_BARE_PHASE,
    PROSE_ITEMS,
    PROSE_PHASE_SUFFIX,
    PROSE_SUBJECTS,
)
from jixiao.model import Paragraph
from jixiao.text.numbers import Amount, parse_amount, to_wan

_CLAUSE_SPLIT = re.compile(
    r"[，、：:；;]|,(?!\d{3})|\s{2,}"
    r"|(?<![\d.])(?=\d{1,2}[)）][^\d])"  # "…100%1)工资福利支出" (sub-enumerator run into the line before)
    r"|(?<=[\u4e00-\u9fa5。])(?=[(（]\d{1,2}[)）])"
    r"|(?<=%)(?=[^\d\s，,、；;。])"  # "100%其中上年结转…"
)
# An amount: digits (with "," separators) and a unit, or no unit (read only where the passage's unit is clear).
AMOUNT = re.compile(r"(?<![\d.])(\d[\d,，]*(?:\.\d+)?)\s*(万元|万|元)?")
_NOT_MONEY_AFTER = re.compile(r"^\s*(?:%|年|月|日|个|人|名|辆|次|号|批|户|亩|平方|公里|岁|项|家|所|倍|\d|\.\d)")
_UNITLESS_END = re.compile(r"^\s*(?:[，,；;。、]|$)")
_DECLARED_UNIT = re.compile(r"单位\s*[:：]\s*(万元|元)")
_LEAD = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十\d]{1,2}[)）]|\d{1,2}[)）、.．](?!\d)"
    r"|(?:19|20)\d{2}(?:年度|年)?(?:年末|年底)?|\d{1,2}(?=[\u4e00-\u9fa5])|[①-⑳]|其中|本年度|当年|全年度|全年(?!预算|执行|决算)"
    r"|全(?:镇|乡|县|区|局|市|街道)|我(?:单位|部门|镇|乡)|安排|[:：,，.、\s—－\-·•]"
    r"|(?:年初|调整后|全年)预算(?:批复)?的|年初批复的?|(?:预算|决算)(?:批复|安排)?的|实际|(?:支出|收入)?(?:主要)?包括)+"
)
_NAME_YEAR = re.compile(
    r"^[^\d，,；;：:]{0,38}(?:政府|镇|乡|街道|局|委员会|委|办公室|办|中心|单位|部门|院|所|站|馆|队|园|校)"
    r"(?:19|20)\d{2}\s*(?:年度|年)(?![末底])"
)
_SPACE = re.compile(r"\s+")
_FIGURE_ROW = re.compile(r"\d(?:\s*(?:万元|万|元|%))?\s+[-+]?\d")
_DIGIT = re.compile(r"\d")
_WITH_UNIT = re.compile(r"\d\s*(?:万元|万|元)")
_INTRODUCES = re.compile(r"如下[:：]?\s*$|[:：]\s*$")
_SENTENCE_END = re.compile(r"[。！？!?]")
_ONLY_NUMBERS = re.compile(r"[\d()（）]+")
_SIGNED = re.compile(r"[-+]\s*$")
_CLASS_MARK = re.compile(r"[(（][类款项][)）]")
_NOTE = re.compile(r"[(（][^()（）]{2,}[)）]$")
_TRAIL = re.compile(r"(?:为|是|共计|共|合计为|总计为|达到|达|完成|约|(?:19|20)\d{2}(?:年度|年)?|[:：\s])+$")
_ITEM_RES = [(code, re.compile(rf"(?:{p})(?P<suffix>{PROSE_PHASE_SUFFIX})?")) for code, p in PROSE_ITEMS]
_FUNCTION_RE = re.compile(rf"(?P<name>{'|'.join(map(re.escape, FUNCTION_CLASSES))})(?P<suffix>{PROSE_PHASE_SUFFIX})?")
_LISTED_NAME = re.compile(rf"(?P<name>[\u4e00-\u9fa5()（）]{{2,40}}?)(?P<suffix>{PROSE_PHASE_SUFFIX})?")
_BARE_PHASE = re.compile(rf"(?P<rest>.*?)(?P<bare>{PROSE_BARE_PHASE})")
_SUBJECT_RES = [(code, re.compile(p)) for code, p in PROSE_SUBJECTS]
_FUNCTION_CUE = re.compile(FUNCTION_LIST_CUE)
_BARE_TOTAL = re.compile(r"(?:支出|收入)(?:预算|决算)?")
_THIS_YEAR_GRANT = re.compile(r"当年拨款")
_ONE_FUND = re.compile(r"政府性基金|国有资本经营|社会保险基金")
_FUND_PARTS = {"fund_higher_level", "fund_other", "carryover_in", "carryover_out", "fund_special_nontax"}
_PROJECT_LIST = re.compile(r"项目(?:支出)?(?:主要)?(?:包括|有)[:：]?")
_PROJECT_NAME = re.compile(r"[\u4e00-\u9fa5()（）“”]{2,40}(?:经费|资金|补助|补贴|项目|工程|费)")
# a line of a project list introduced by "具体项目情况如下：" (names may hold digits: "第3次代表大会经费")
_LISTED_PROJECT = re.compile(r"[\u4e00-\u9fa5()（）“”\d]{2,40}")
_PROJECT_LIST_CUE = re.compile(PROJECT_LIST_CUE)
_OPENS_BREAKDOWN = re.compile(r"包括|其中")
# "决算基本支出2038.85万元，其中：…": a part of spending named after its phase
_PART_LEAD = re.compile(r"(?P<phase>年初预算|调整后预算|全年预算|预算|决算)(?P<part>基本|项目)支出")
_SUB_ENUM = re.compile(r"^\s*(?:\d{1,2}[)）]|[(（]\d{1,2}[)）]|[①-⑳])")
_NO_FUNCTION = re.compile(
    r"合计|小计|总计|收入|结转|结余|预算|决算|[0-9]|^(?:年初|年度|全年|本年度?|当年|上年|调整后?)$"
)


@dataclass
class Clause:
    text: str
    start: int  # offset in the paragraph
    after_colon: bool = False  # the clause follows "X:" ("2、支出:799.12万元")


@dataclass
class Named:
    """What a label names: a contract item, a function class, a project, a bare phase or a subject."""

    kind: str  # item, function, project, bare
    code: str  # item code, subject name, project name, or the subject (income/spending/None) of a bare phase
    label: str
    phase: str | None = None  # a phase the label itself states


@dataclass
class _Sentence:
    """What earlier clauses of one sentence established."""

    year: int | None = None
    phase: str | None = None
    seen_amount: bool = False
    previous: str = ""  # the clause before (the label of "X：12万元")
    parent_open: bool = False
    function_list: bool = False
    project_list: bool = False
    subject: tuple[str, str] | None = None  # ("spending", "支出预算") from a lead clause of the sentence
    fund_breakdown: bool = False  # the sentence breaks one fund down ("政府性基金收入总计…其中上级补助收入…")
    tp: ThreePublicRun = field(default_factory=ThreePublicRun)


def clauses(sentence: str, s0: int) -> list[Clause]:
    out, pos, colon = [], 0, False
    for m in _CLAUSE_SPLIT.finditer(sentence):
        if m.end() == 0:
            continue
        out.append(Clause(sentence[pos : m.start()], s0 + pos, colon))
        pos, colon = m.end(), m.group(0) in (":", "：")
    out.append(Clause(sentence[pos:], s0 + pos, colon))
    return [c for c in out if c.text.strip()]


def clean_label(text: str) -> str:
    s = _CLASS_MARK.sub("", _SPACE.sub("", text))  # "一般公共服务(类)支出"
    s = _NAME_YEAR.sub("", s)  # "镇政府2021年度财政拨款决算支出合计": the unit and year before the item
    s = _LEAD.sub("", s)
    s = _TRAIL.sub("", s)
    return _NOTE.sub("", s) if _NOTE.sub("", s) else s  # "工资福利支出(人员支出)": the note is not the name


def declared_unit(text: str) -> str | None:
    """ "（单位：万元）" → 万元."""
    declared = _DECLARED_UNIT.search(text)
    return declared.group(1) if declared else None


def paragraph_unit(text: str, heading_unit: str | None = None) -> str | None:
    """The unit an unmarked amount of this paragraph takes: the 单位 it or its heading declares (where its marked
    amounts agree), or the one unit all its marked amounts carry; None where that is not clear."""
    declared = declared_unit(text)
    if declared:
        return declared
    units = {"万元" if m.group(2) in ("万元", "万") else "元" for m in AMOUNT.finditer(text) if m.group(2)}
    if heading_unit is not None:
        return heading_unit if units <= {heading_unit} else None
    return units.pop() if len(units) == 1 else None


def name_label(label: str, function_list: bool) -> Named | None:
    """What the words before an amount name, or None (precision first: a label must be a known wording as a whole)."""
    if not label:
        return None
    named = _name_label(label, function_list)
    unit_word = _UNIT_WORD.match(label)
    if named is None and unit_word:
        named = _name_label(label[unit_word.end() :], function_list)  # "本单位一般公共预算财政拨款收入"
    return named


_UNIT_WORD = re.compile(r"^(?:本单位|本部门|我单位|我部门|单位|部门)")


def _name_label(label: str, function_list: bool) -> Named | None:
    for code, rx in _ITEM_RES:
        m = rx.fullmatch(label)
        if m:
            return Named("item", code, label, last_phase(m.group("suffix") or ""))
    m = _FUNCTION_RE.fullmatch(label)
    if m:
        return Named("function", m.group("name"), m.group("name"), last_phase(m.group("suffix") or ""))
    if function_list:
        m = _LISTED_NAME.fullmatch(label)
        if m and not _NO_FUNCTION.search(m.group("name")):
            return Named("function", m.group("name"), m.group("name"), last_phase(m.group("suffix") or ""))
    m = _BARE_PHASE.fullmatch(label)
    if m:
        rest = clean_label(m.group("rest"))
        subject = "spending" if "支出" in m.group("bare") else None  # "年初预算支出": the subject is in the words
        if rest:
            subject = next((code for code, rx in _SUBJECT_RES if rx.fullmatch(rest)), "unknown")
        return Named("bare", subject or "", rest or m.group("bare"), last_phase(m.group("bare")))
    return None


def subject_of(text: str) -> tuple[str, str] | None:
    """'(二)支出预算' → ('spending', '支出预算'): the subject a heading or lead clause names."""
    label = clean_label(text)
    for code, rx in _SUBJECT_RES:
        if rx.fullmatch(label):
            return code, label
    return None


def extract_money_sentence(
    ctx: Context, para: Paragraph, sentence: str, s0: int, state: PassageState, unit: str | None, last_block: bool
) -> None:
    """Read every amount of one sentence; update the passage's phase, function and project lists."""
    lead_year = _lead_year(sentence)
    run = _Sentence(
        year=lead_year or state.paragraph_year or ctx.fiscal_year,  # "2017年…。其中：…" stays 2017
        function_list=state.function_list or bool(_FUNCTION_CUE.search(sentence)),
    )
    if lead_year:
        state.paragraph_year = lead_year
    for clause in clauses(sentence, s0):
        text = clause.text
        if not AMOUNT.search(text):
            run.subject = subject_of(text) or run.subject
        if state.parent and (_OPENS_BREAKDOWN.search(text) or _SUB_ENUM.match(text)):
            run.parent_open = True
        if _FIGURE_ROW.search(text):
            run.previous = text
            continue  # "年度资金总额 150万 148万": figures side by side are a flattened table row
        for am in AMOUNT.finditer(text):
            amount = _amount(am, text[am.end() :], unit, para, clause, last_block)
            if amount is not None:
                _read_amount(ctx, para, sentence, clause, am, amount, run, state)
                run.seen_amount = True
        if not is_comparison(text):
            run.phase = _narrower(last_phase(text), run.phase)
        run.previous = text
    if run.phase is not None and _WITH_UNIT.search(sentence):
        state.phase = run.phase
    if run.function_list and _INTRODUCES.search(sentence):
        state.function_list = True
    if _PROJECT_LIST_CUE.search(sentence):
        state.project_list = True


def _read_amount(
    ctx: Context,
    para: Paragraph,
    sentence: str,
    clause: Clause,
    am: re.Match,
    amount: Amount,
    run: _Sentence,
    state: PassageState,
) -> None:
    before = clause.text[: am.start()]
    first_amount = not run.seen_amount
    if _stated_as_change(before):
        return
    year = _year_of(before) or run.year
    prov = ctx.span(para, clause.start + am.start(), clause.start + am.end(), sentence.strip())
    label = clean_label(before)
    if not label and clause.after_colon and am.start() == 0:
        label = clean_label(run.previous)  # "2、支出:799.12万元"
    if first_amount and _ONE_FUND.search(before):
        run.fund_breakdown = True  # the sentence opens with one fund's total
    if run.tp.take(ctx, label, before, amount, year, prov, run.phase, state.phase or state.default):
        return
    named = _name_in_sentence(label, before, run, state)
    part = _PART_LEAD.fullmatch(label) if named is None else None
    if part:
        code = "basic" if part.group("part") == "基本" else "project"
        named = Named("item", code, label, last_phase(part.group("phase")))
    if named is None or (_BARE_TOTAL.fullmatch(named.label) and not first_amount):
        return  # a bare "支出:" names the total only as the lead of its sentence ("2、支出:799.12万元")
    if run.fund_breakdown and named.kind == "item" and named.code in _FUND_PARTS:
        return  # a part of one fund's income, not the unit's funds by source
    if named.kind == "function" and (state.this_year_grant or _THIS_YEAR_GRANT.search(sentence)):
        return  # "一般公共预算当年拨款结构": classes of this year's grant only, not of the whole budget
    if named.kind == "bare" and not named.code:
        subject = run.subject or state.subject
        if subject is not None:
            named.code, named.label = subject
        elif _SENTENCE_END.search(para.text, 0, clause.start):
            return  # "…行政运行(项)。年初预算为50万元": a bare phase after the paragraph's first sentence
    phase = resolve_phase(label_phase(before) or named.phase, run.phase, state.phase or state.default)
    if phase is None:
        return  # nothing says whether this is a budget or what was spent
    _emit(ctx, named, phase, amount, year, prov, state, run)


def _name_in_sentence(label: str, before: str, run: _Sentence, state: PassageState) -> Named | None:
    """An item, function class or bare phase; else a project line where the sentence or passage lists projects."""
    if _PROJECT_LIST.search(before):
        run.project_list = True
        label = clean_label(_PROJECT_LIST.split(before)[-1])  # "项目支出包括委员活动经费36.3万元"
    named = name_label(label, run.function_list)
    if named is None and run.project_list and _PROJECT_NAME.fullmatch(label):
        named = Named("project", label, label)
    if (
        named is None
        and state.project_list
        and not run.project_list
        and _LISTED_PROJECT.fullmatch(label)
        and not _ONLY_NUMBERS.fullmatch(label)
    ):
        named = Named("project", label, label)  # a numbered line after "具体项目情况说明如下："
    return named


def _narrower(new: str | None, old: str | None) -> str | None:
    """A bare 预算 after "年初预算数…其中：" keeps the sentence's 年初预算."""
    if new is None or (new == "budget" and old in ("initial_budget", "adjusted_budget")):
        return old
    return new


def _stated_as_change(before: str) -> bool:
    """ "比上年增加12万元", "占30%", "-5万元": a change, a share or a signed figure."""
    return is_comparison(before) or bool(_SIGNED.search(before))


def _amount(
    am: re.Match, after: str, unit: str | None, para: Paragraph, clause: Clause, last_block: bool
) -> Amount | None:
    number, written_unit = am.group(1), am.group(2)
    if written_unit == "元" and unit == "元":
        return _in_wan(parse_amount(number + written_unit))  # a small 元 figure among 元 figures is no slip
    if written_unit:
        return parse_amount(number + written_unit)
    # no unit written: only a decimal figure right after its words, ending its item, in a passage whose unit is
    # clear ("公务接待费 3.00 2.50" is a flattened table row, not a sentence)
    if (
        unit is None
        or "." not in number
        or _NOT_MONEY_AFTER.match(after)
        or not _UNITLESS_END.match(after)
        or _DIGIT.search(clean_label(clause.text[: am.start()]))
    ):
        return None
    at_end = clause.start + am.end() >= len(para.text.rstrip())
    if at_end and last_block:
        return None  # the excerpt may end inside this number
    return _in_wan(parse_amount(number + unit)) if unit == "元" else parse_amount(number + unit)


def _in_wan(amount: Amount | None) -> Amount | None:
    if amount is None:
        return None
    return Amount(to_wan(amount), amount.decimals + 4, "万元", amount.text)


def _emit(
    ctx: Context, named: Named, phase: str, amount: Amount, year, prov, state: PassageState, run: _Sentence
) -> None:
    if named.kind == "function":
        ctx.add(
            "fct_budget_by_function",
            year,
            {"phase": phase, "subject_code": None, "subject_name": named.code},
            {"total_wan": to_wan(amount), "basic_wan": None, "project_wan": None},
            "prose",
            prov,
            amount.decimals,
        )
        return
    if named.kind == "project":
        budget, actual = (None, to_wan(amount)) if phase == "actual" else (to_wan(amount), None)
        ctx.add(
            "fct_projects",
            year,
            {"project_name": named.code},
            {"budget_wan": budget, "actual_wan": actual},
            "prose",
            prov,
            amount.decimals,
        )
        return
    item = named.code
    if named.kind == "bare":
        if named.code != "spending" and named.code != "":  # income, other, unknown
            return  # an income total (or an unknown subject) is no contract item
        item = "total"
    scope = "all"
    if item in ECONOMIC_ITEMS and state.parent and run.parent_open:
        scope = state.parent
    if item in ("basic", "project"):
        state.parent, run.parent_open = item, False
    elif item == "total" or item.startswith("fund_"):
        state.parent, run.parent_open = None, False
    label = named.label
    if phase in BUDGETS:
        ctx.add_amount(
            "fct_budget",
            year,
            {"item": item, "phase": phase, "scope": scope},
            label,
            amount,
            "prose",
            prov,
            "item_label_zh",
        )
    else:
        ctx.add_amount(
            "fct_spending", year, {"item": item, "scope": scope}, label, amount, "prose", prov, "item_label_zh"
        )


_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")


def _year_of(text: str) -> int | None:
    years = _YEAR.findall(text)
    return int(years[-1]) if years else None


def _lead_year(sentence: str) -> int | None:
    m = _YEAR.search(sentence[:14])
    return int(m.group(1)) if m else None
