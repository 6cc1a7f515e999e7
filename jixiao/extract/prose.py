"""Facts stated in sentences: the passage walk, ratio terms, section scores and unit slips.

Money statements are read by prose_money (三公 by prose_three_public), headcounts by
prose_staffing; the phase and subject a heading sets are kept in prose_phase.PassageState.
"""

from __future__ import annotations

import re

from jixiao.extract.context import Context
from jixiao.extract.prose_money import declared_unit, extract_money_sentence, paragraph_unit, subject_of
from jixiao.extract.prose_phase import PassageState
from jixiao.extract.prose_staffing import extract_staffing_sentence
from jixiao.extract.prose_three_public import category_in
from jixiao.extract.vocab import PROSE_ITEMS, level1_for
from jixiao.model import Document, Paragraph
from jixiao.text.numbers import Amount, parse_amount

# Full-width digits and punctuation read as ASCII, one character for one (spans stay valid).
_FULLWIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_SENTENCE = re.compile(r"[^。！？!?]+[。！？!?]?")
_UNIT_AMOUNT = re.compile(r"(?<![\d.])([-+]?\d[\d,，]*(?:\.\d+)?)\s*(万元|万|元)(?!/)")
_SUB_ENUM_START = re.compile(r"^\s*(?:\d{1,2}[)）]|[(（]\d{1,2}[)）]|[①-⑳])")
_BASIC_PROJECT = [(code, re.compile(p)) for code, p in PROSE_ITEMS if code in ("basic", "project")]
_RATIO = re.compile(
    r"[（(]\s*([^（()）=＝]{2,40}?)\s*/\s*([^（()）=＝]{2,40}?)\s*[)）][^=＝]{0,20}[=＝]\s*([\d.,]+)\s*/\s*([\d.,]+)"
)
_SECTION_SCORE = re.compile(
    r"([\u4e00-\u9fa5]{2,8}?)(?:考核)?指标(?:总计|合计|共计|共|满分)\s*(\d+(?:\.\d+)?)\s*分[，,、]?\s*扣\s*(\d+(?:\.\d+)?)\s*分[，,、]?\s*得\s*(\d+(?:\.\d+)?)\s*分"
)
_SECTION_HEADING = re.compile(
    r"^\s*(?:\d+|[一二三四五六七八九十]+)\s*[.、．]\s*([\u4e00-\u9fa5]{2,10}?)(?:情况)?(?:分析|[:：])"
)


_NOTE_ROW = re.compile(r"^(?:注|备注|说明)\s*[:：]\s*\S.{20,}", re.S)


def extract_prose(ctx: Context) -> None:
    heading = ""
    state = PassageState()
    blocks = ctx.doc.blocks
    last_block = blocks[-1] if blocks else None
    first_fact = len(ctx.facts)
    for para in ctx.doc.paragraphs()[:_TITLE_ZONE]:
        state.see_title(para.text[:_TITLE_LENGTH])  # a self-evaluation report (not a later "预算绩效情况" heading)
    for para in _prose_blocks(ctx.doc):
        m = _SECTION_HEADING.match(para.text)
        if m and len(para.text) < 40:
            heading = m.group(1)
        if _is_heading(para.text):
            state.see_heading(para.text, subject_of(para.text), declared_unit(para.text))
        if not _SUB_ENUM_START.match(para.text):
            state.parent = None  # "1)工资福利支出…" lines continue the 基本支出 above them; others do not
        unit = paragraph_unit(para.text, state.unit)
        state.paragraph_year = None
        for sm in _SENTENCE.finditer(para.text.translate(_FULLWIDTH)):
            sentence, s0 = sm.group(0), sm.start()
            money = AMOUNT_WITH_UNIT.search(sentence) or (unit is not None and _DECIMAL.search(sentence))
            if not money:
                state.see_sentence(sentence)
            if not _DIGIT.search(sentence):
                continue
            _ratio_terms(ctx, para, sentence, s0)
            _section_scores(ctx, para, sentence, s0, heading)
            extract_staffing_sentence(ctx, para, sentence, s0)
            if money:
                extract_money_sentence(ctx, para, sentence, s0, state, unit, para is last_block)
        _unit_slips(ctx, para)
    _spending_by_source_wins(ctx, first_fact)


def _prose_blocks(doc: Document) -> list[Paragraph]:
    """The paragraphs, and in its place the note row of a table ("注：…" across the table) as prose."""
    out: list[Paragraph] = []
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            out.append(block)
            continue
        for row in block.rows:
            texts = {cell.strip() for cell in row if cell.strip()}
            if len(texts) == 1 and _NOTE_ROW.match(text := texts.pop()):
                out.append(Paragraph(index=block.index, text=text, line=block.line))
    return out


def _spending_by_source_wins(ctx: Context, first_fact: int) -> None:
    """A fund stated as income (…拨款收入) and as spending (…拨款支出) with different values: spending is kept."""
    groups: dict[tuple, list] = {}
    for fact in ctx.facts[first_fact:]:
        if fact.table in ("fct_budget", "fct_spending") and str(fact.key.get("item", "")).startswith("fund_"):
            groups.setdefault(fact.grain(), []).append(fact)
    for facts in groups.values():
        income = [f for f in facts if "支出" not in f.values["item_label_zh"]]
        spending = [f for f in facts if f.values["item_label_zh"].endswith("支出")]
        if not income or not spending:
            continue
        if {f.values["amount_wan"] for f in income} == {f.values["amount_wan"] for f in spending}:
            continue
        for f in income:
            ctx.facts.remove(f)
        kept, dropped = spending[0], income[0]
        ctx.finding(
            "same_report_conflict",
            "warn",
            f"{kept.values['item_label_zh']} {kept.values['amount_wan']:g}万元 and "
            f"{dropped.values['item_label_zh']} {dropped.values['amount_wan']:g}万元 differ; funds by source "
            "keep the spending figure",
            observed=f"{dropped.values['amount_wan']:g}",
            expected=f"{kept.values['amount_wan']:g}",
            prov=dropped.prov,
        )


def _is_heading(text: str) -> bool:
    """A short line with no amount: a title or a section heading."""
    return len(text.strip()) <= 60 and not AMOUNT_WITH_UNIT.search(text) and not _DECIMAL.search(text)


AMOUNT_WITH_UNIT = re.compile(r"\d\s*(?:万元|万|元)")
_DECIMAL = re.compile(r"\d\.\d")
_TITLE_ZONE = 6  # paragraphs at the top where a report's title stands
_TITLE_LENGTH = 48  # a title joined with the text below it still opens its paragraph
_DIGIT = re.compile(r"\d")


def _ratio_terms(ctx: Context, para: Paragraph, sentence: str, s0: int) -> None:
    """'(基本支出实际支出/基本支出年度总预算)…=3553/3274' states both terms."""
    for m in _RATIO.finditer(sentence):
        terms: list[tuple[str, Amount]] = []
        for desc, num in ((m.group(1), m.group(3)), (m.group(2), m.group(4))):
            amount = parse_amount(num.replace(",", ""))
            if amount is None or re.search(r"[-+]", desc):
                terms = []
                break
            terms.append((desc, amount))
        if len(terms) != 2:
            continue
        resolved = [_ratio_term(desc) for desc, _ in terms]
        if None in resolved:
            continue
        for (desc, amount), (table, key) in zip(terms, resolved):  # type: ignore[misc]
            prov = ctx.span(para, s0 + m.start(), s0 + m.end(), sentence.strip())
            label_col = "category_label_zh" if table == "fct_three_public_expenses" else "item_label_zh"
            ctx.add_amount(table, ctx.fiscal_year, key, desc, amount, "prose", prov, label_col)


def _ratio_term(desc: str) -> tuple[str, dict] | None:
    tp = category_in(desc)
    rest = desc if tp is None else desc[: tp[1].start()] + desc[tp[1].end() :]
    phase = "budget" if re.search(r"预算|安排", rest) else "actual" if re.search(r"实际|支出|决算|执行", rest) else None
    if phase is None:
        return None
    if tp is not None:
        return "fct_three_public_expenses", {"category": tp[0], "phase": phase}
    found = [(m.start(), code) for code, rx in _BASIC_PROJECT for m in [rx.search(desc)] if m]
    if not found:
        return None
    item = min(found)[1]
    if phase == "actual":
        return "fct_spending", {"item": item, "scope": "all"}
    return "fct_budget", {"item": item, "phase": "budget", "scope": "all"}


def _section_scores(ctx: Context, para: Paragraph, sentence: str, s0: int, heading: str) -> None:
    """'预算管理考核指标总计20分，扣1分，得19分' → indicator 预算管理, weight 20, score 19."""
    for m in _SECTION_SCORE.finditer(sentence):
        name = re.split(r"[，,。：:]", m.group(1))[-1]
        name = re.sub(r"^(?:综上所述|综上|总之|其中)", "", name)
        if len(name) < 2:
            continue
        weight, deduct, score = float(m.group(2)), float(m.group(3)), float(m.group(4))
        prov = ctx.span(para, s0 + m.start(), s0 + m.end(), sentence.strip())
        lv_name, lv_heading = level1_for(name), level1_for(heading) if heading else "other"
        if heading and lv_heading != "other" and lv_name != lv_heading:
            ctx.finding(
                "section_label_slip",
                "warn",
                f"inside section '{heading}' the text scores '{name}' ({weight:g}分, 得{score:g}分); "
                f"the label does not match its section, so the score was not loaded",
                observed=m.group(0),
                expected=heading,
                prov=prov,
            )
            continue
        if abs(weight - deduct - score) > 1e-6:
            ctx.finding(
                "indicator_scores_sum",
                "warn",
                f"section '{name}': {weight:g}分 minus {deduct:g}分 is not the stated {score:g}分",
                observed=f"{score:g}",
                expected=f"{weight - deduct:g}",
                prov=prov,
            )
        ctx.add(
            "fct_indicator_scores",
            ctx.fiscal_year,
            {"indicator_name": name, "level1_name": name},
            {
                "level1": lv_name,
                "level1_points": None,
                "level2_name": None,
                "level2": "other",
                "target_value": None,
                "actual_value": None,
                "weight": weight,
                "score": score,
                "deviation_note": None,
            },
            "prose",
            prov,
        )


def _unit_slips(ctx: Context, para: Paragraph) -> None:
    """A small 元 figure among 万元 figures is a unit slip (it is read as 万元 where it is a fact)."""
    amounts = list(_UNIT_AMOUNT.finditer(para.text))
    if not any(m.group(2) in ("万元", "万") for m in amounts):
        return
    for m in amounts:
        if m.group(2) != "元":
            continue
        amount = parse_amount(m.group(1))
        if amount is None or amount.value >= 1000:
            continue
        context = para.text[max(0, m.start() - 24) : m.end()]
        ctx.finding(
            "unit_slip",
            "warn",
            f"'{context.strip()}': {m.group(0)} is written in 元 amid 万元 figures; 万元 is meant",
            observed=m.group(0),
            expected=f"{m.group(1)}万元",
            prov=ctx.span(para, m.start(), m.end()),
        )
