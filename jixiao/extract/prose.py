"""Facts stated in sentences: spending and budgets, 三公经费, staffing, ratio terms, section scores."""
from __future__ import annotations

import re
from dataclasses import dataclass

from jixiao.extract.context import Context
from jixiao.extract.numbers import Amount, clean_number_text, parse_amount
from jixiao.extract.vocab import ECONOMIC_ITEMS, FUND_ITEMS, first_code, level1_for
from jixiao.model import Paragraph

_SENTENCE = re.compile(r"[^。！？!?]+[。！？!?]?")
_CLAUSE_SPLIT = re.compile(r"[，、：:；;]|,(?!\d{3})|\s{2,}")
_AMOUNT = re.compile(r"(?<![\d.])([-+]?\d[\d,，]*(?:\.\d+)?)\s*(万元|万|元)(?!/)")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_COMPARISON = re.compile(r"较|比上年|同比|增加|减少|节约|超支|下降|上升|增长|差异|差额|结余率|占|平均|人均|收回|核减|收支差额|以内|以上|以下|超过|不超过|元以内")

# Items as named in sentences, searched in the clause before the amount (specific first).
PROSE_ITEMS: list[tuple[str, str]] = [
    ("fund_special_nontax", r"纳入专户管理的非税收入(?:拨款)?"),
    ("fund_general_public", r"一般公共预算(?:财政)?(?:拨款)?(?:支出|收入)?"),
    ("fund_government_fund", r"政府性基金(?:预算)?(?:财政)?(?:拨款)?(?:支出|收入)?"),
    ("fund_state_capital", r"国有资本经营预算(?:支出|收入)?"),
    ("fund_social_insurance", r"社会保险基金预算(?:支出|收入)?"),
    ("fund_higher_level", r"上级补助收入"),
    ("wages_welfare", r"工资福利(?:支出)?"),
    ("goods_services", r"商品(?:和|与)?服务(?:支出)?"),
    ("household_subsidies", r"对个人和家庭(?:的)?(?:补助|支出)(?:支出)?"),
    ("enterprise_subsidies", r"对企业(?:的)?补助(?:支出)?"),
    ("capital_construction", r"基本建设(?:支出)?"),
    ("capital", r"(?:其他)?资本性支出"),
    ("debt_interest", r"债务利息及费用(?:支出)?"),
    ("personnel", r"人员经费(?:支出)?"),
    ("public_funds", r"公用经费(?:支出)?"),
    ("basic", r"基本支出"),
    ("project", r"项目(?:预算)?(?:经费)?支出"),
    ("total", r"(?:决算|整体|实际)支出(?:合计|总额|总计)?|支出(?:合计|总计|总额)|整体支出|资金总额"),
    ("total", r"年初(?:批复)?预算(?:批复)?数"),
    ("total", r"全年预算数|全年执行数|全年决算数"),
]
_PROSE_ITEM_RES = [(code, re.compile(p)) for code, p in PROSE_ITEMS]

PROSE_THREE_PUBLIC: list[tuple[str, str]] = [
    ("vehicle_total", r"公务用?车购置(?:及|和|与)运行(?:维护)?费|公务用?车购置(?:及|和|与)维护(?:经)?费"),
    ("vehicle_purchase", r"公务用?车购置费"),
    ("vehicle_operation", r"(?:公务用?车|公车)运行(?:维护)?费"),
    ("overseas_travel", r"因公出国[(（]?境?[)）]?费|出国(?:境)?经?费"),
    ("reception", r"公务接待费?"),
    ("total", r"[“\"]?三公[”\"]?经费"),
]
_PROSE_TP_RES = [(code, re.compile(p)) for code, p in PROSE_THREE_PUBLIC]

_RATIO = re.compile(
    r"[（(]\s*([^（()）=＝]{2,40}?)\s*/\s*([^（()）=＝]{2,40}?)\s*[)）][^=＝]{0,20}[=＝]\s*([\d.,]+)\s*/\s*([\d.,]+)"
)
_SECTION_SCORE = re.compile(
    r"([\u4e00-\u9fa5]{2,8}?)(?:考核)?指标(?:总计|合计|共计|共|满分)\s*(\d+(?:\.\d+)?)\s*分[，,、]?\s*扣\s*(\d+(?:\.\d+)?)\s*分[，,、]?\s*得\s*(\d+(?:\.\d+)?)\s*分"
)
_SECTION_HEADING = re.compile(r"^\s*(?:\d+|[一二三四五六七八九十]+)\s*[.、．]\s*([\u4e00-\u9fa5]{2,10}?)(?:情况)?(?:分析|[:：])")


@dataclass
class _Clause:
    text: str
    start: int  # offset in the paragraph


def extract_prose(ctx: Context) -> None:
    heading = ""
    for para in ctx.doc.paragraphs():
        m = _SECTION_HEADING.match(para.text)
        if m and len(para.text) < 40:
            heading = m.group(1)
        for sm in _SENTENCE.finditer(para.text):
            sentence, s0 = sm.group(0), sm.start()
            if not re.search(r"\d", sentence):
                continue
            _ratio_terms(ctx, para, sentence, s0)
            _section_scores(ctx, para, sentence, s0, heading)
            _staffing(ctx, para, sentence, s0)
            _amount_statements(ctx, para, sentence, s0)
        _unit_slips(ctx, para)


def _clauses(sentence: str, s0: int) -> list[_Clause]:
    out, pos = [], 0
    for m in _CLAUSE_SPLIT.finditer(sentence):
        out.append(_Clause(sentence[pos : m.start()], s0 + pos))
        pos = m.end()
    out.append(_Clause(sentence[pos:], s0 + pos))
    return [c for c in out if c.text.strip()]


def _year_of(text: str) -> int | None:
    years = _YEAR.findall(text)
    return int(years[-1]) if years else None


def _sentence_year(ctx: Context, sentence: str) -> int:
    m = _YEAR.search(sentence[:14])
    return int(m.group(1)) if m else ctx.fiscal_year


def _nearest(patterns, text: str) -> tuple[str, re.Match] | None:
    """The named thing whose mention ends closest to the end of ``text``."""
    best: tuple[str, re.Match] | None = None
    for code, rx in patterns:
        for m in rx.finditer(text):
            if best is None or m.end() > best[1].end() or (m.end() == best[1].end() and m.start() < best[1].start()):
                best = (code, m)
    return best


def _first(patterns, text: str) -> tuple[str, re.Match] | None:
    """The named thing mentioned first in ``text`` (the subject of a ratio term)."""
    best: tuple[str, re.Match] | None = None
    for code, rx in patterns:
        m = rx.search(text)
        if m and (best is None or m.start() < best[1].start()):
            best = (code, m)
    return best


_PHASE_WORDS = [
    ("initial_budget", r"年初(?:批复)?预算|预算批复|批复(?:的)?预算|年初批复"),
    ("adjusted_budget", r"全年预算|调整后?预算"),
    ("actual", r"决算|支出|执行|实际|使用|完成"),
    ("budget", r"预算|安排"),
]


def _phase_words(text: str) -> str | None:
    return first_code(_PHASE_WORDS, text)


def _amount_statements(ctx: Context, para: Paragraph, sentence: str, s0: int) -> None:
    clauses = _clauses(sentence, s0)
    sentence_year = _sentence_year(ctx, sentence)
    parent_item: str | None = None
    parent_phase: str | None = None
    tp_phase: str | None = None
    tp_last: str | None = None
    for clause in clauses:
        for am in _AMOUNT.finditer(clause.text):
            amount = parse_amount(am.group(1) + am.group(2))
            if amount is None:
                continue
            before = clause.text[: am.start()]
            if _COMPARISON.search(before) or re.search(r"^\s*[-+]", am.group(1)):
                continue
            year = _year_of(before) or sentence_year
            start, end = clause.start + am.start(), clause.start + am.end()
            prov = ctx.span(para, start, end, sentence.strip())
            tp = _nearest(_PROSE_TP_RES, before)
            named_item = _nearest(_PROSE_ITEM_RES, before)
            if tp is None and tp_last is not None and (named_item is None or named_item[0] == "total"):
                # "“三公”经费预算6.16万元，实际支出3.18万元" / "…决算为3.2万元，完成全年预算4万元":
                # a bare phase carries the 三公 category of the sentence over, and sets the phase
                # of the categories that follow it
                carried = _tp_phase(before)
                if carried is not None and carried != tp_phase:
                    ctx.add_amount("fct_three_public_expenses", year, {"category": tp_last, "phase": carried},
                                   before.strip(), amount, "prose", prov, "category_label_zh")
                    tp_phase = carried
                continue
            if tp is not None:
                rest = before[: tp[1].start()] + before[tp[1].end():]
                phase = _tp_phase(rest) or tp_phase or _tp_phase(sentence[: max(0, clause.start - s0)]) or "actual"
                tp_phase, tp_last = phase, tp[0]
                ctx.add_amount("fct_three_public_expenses", year, {"category": tp[0], "phase": phase},
                               tp[1].group(0), amount, "prose", prov, "category_label_zh")
                continue
            found = named_item
            if found is None:
                continue
            item, m = found
            rest = before[: m.start()] + before[m.end():]
            phase = _phase_words(rest)
            if phase is None and item in FUND_ITEMS and re.search(r"支出$", m.group(0)):
                phase = "actual"
            if item == "total" and m.group(0).startswith("全年预算"):
                phase = "adjusted_budget"
            elif item == "total" and "预算" in m.group(0):
                phase = "initial_budget"
            elif item == "total" and phase is None:
                phase = "actual"
            if phase is None:
                if item in FUND_ITEMS:
                    continue  # "政府性基金预算360万元": a fund's name, not a phase; ambiguous
                phase = parent_phase or "actual"
            scope = "all"
            if item in ECONOMIC_ITEMS and parent_item in ("basic", "project"):
                scope = parent_item
            if item in ("basic", "project", "total") and parent_item is None:
                parent_item, parent_phase = item, phase
            elif parent_item is None:
                parent_phase = phase
            table = "fct_spending" if phase == "actual" else "fct_budget"
            key = {"item": item, "scope": scope} if table == "fct_spending" else {"item": item, "phase": phase,
                                                                                   "scope": scope}
            ctx.add_amount(table, year, key, m.group(0), amount, "prose", prov, "item_label_zh")


def _tp_phase(text: str) -> str | None:
    if re.search(r"预算", text) and not re.search(r"决算|实际|支出数", text):
        return "budget"
    if re.search(r"决算|支出|实际|使用", text):
        return "actual"
    return None


def _ratio_terms(ctx: Context, para: Paragraph, sentence: str, s0: int) -> None:
    """'(基本支出实际支出/基本支出年度总预算)…=3553/3274' states both terms."""
    for m in _RATIO.finditer(sentence):
        terms = []
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
    tp = _nearest(_PROSE_TP_RES, desc)
    rest = desc if tp is None else desc[: tp[1].start()] + desc[tp[1].end():]
    phase = "budget" if re.search(r"预算|安排", rest) else "actual" if re.search(r"实际|支出|决算|执行", rest) else None
    if phase is None:
        return None
    if tp is not None:
        return "fct_three_public_expenses", {"category": tp[0], "phase": phase}
    found = _first(_PROSE_ITEM_RES, desc)
    if found is None or found[0] not in ("basic", "project"):
        return None
    item = found[0]
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
            ctx.finding("section_label_slip", "warn",
                        f"inside section '{heading}' the text scores '{name}' ({weight:g}分, 得{score:g}分); "
                        f"the label does not match its section, so the score was not loaded",
                        observed=m.group(0), expected=heading, prov=prov)
            continue
        if abs(weight - deduct - score) > 1e-6:
            ctx.finding("indicator_scores_sum", "warn",
                        f"section '{name}': {weight:g}分 minus {deduct:g}分 is not the stated {score:g}分",
                        observed=f"{score:g}", expected=f"{weight - deduct:g}", prov=prov)
        ctx.add("fct_indicator_scores", ctx.fiscal_year, {"indicator_name": name, "level1_name": name},
                {"level1": lv_name, "level1_points": None, "level2_name": None, "level2": "other",
                 "target_value": None, "actual_value": None, "weight": weight, "score": score,
                 "deviation_note": None}, "prose", prov)


_STAFF = [
    ("authorized_admin", r"行政编制(?:数)?(?:为|共)?\s*(\d+)\s*(?:人|名)"),
    ("authorized_institution", r"事业编制(?:数)?(?:为|共)?\s*(\d+)\s*(?:人|名)"),
    ("authorized", r"(?<![行政事业])编制(?:数|人数)?(?:为|共|共有)?\s*(\d+)\s*(?:人|名)"),
    ("actual", r"(?:实有人数|实有在职人员|实有在职人数|在职人员|在职人数|在职职工|实有人员)(?:为|共|共有)?\s*(\d+)\s*(?:人|名)"),
    ("actual_admin", r"(?:在职)?行政人员(?:为|共)?\s*(\d+)\s*(?:人|名)"),
    ("actual_institution", r"(?<![参公非])事业人员(?:为|共)?\s*(\d+)\s*(?:人|名)"),
    ("unauthorized", r"编外人员(?:为|共)?\s*(\d+)\s*(?:人|名)"),
    ("retired", r"(?<!离)退休人员(?:为|共)?\s*(\d+)\s*(?:人|名)|离退休人员(?:为|共)?\s*(\d+)\s*(?:人|名)"),
]
_STAFF_RES = [(metric, re.compile(p)) for metric, p in _STAFF]


def _staffing(ctx: Context, para: Paragraph, sentence: str, s0: int) -> None:
    if not re.search(r"编制|在职|实有|退休|人员", sentence):
        return
    year = _sentence_year(ctx, sentence)
    taken: list[tuple[int, int]] = []
    for metric, rx in _STAFF_RES:
        for m in rx.finditer(sentence):
            if any(a <= m.start() < b for a, b in taken):
                continue
            value = next(g for g in m.groups() if g is not None)
            taken.append((m.start(), m.end()))
            ctx.add("fct_staffing", year, {"metric": metric},
                    {"headcount": int(value), "metric_label_zh": re.sub(r"\d.*$", "", m.group(0))}, "prose",
                    ctx.span(para, s0 + m.start(), s0 + m.end(), sentence.strip()))


def _unit_slips(ctx: Context, para: Paragraph) -> None:
    """A small 元 figure among 万元 figures is a unit slip (it is read as 万元 where it is a fact)."""
    amounts = list(_AMOUNT.finditer(para.text))
    if not any(m.group(2) in ("万元", "万") for m in amounts):
        return
    for m in amounts:
        if m.group(2) != "元":
            continue
        amount = parse_amount(m.group(1))
        if amount is None or amount.value >= 1000:
            continue
        context = para.text[max(0, m.start() - 24) : m.end()]
        ctx.finding("unit_slip", "warn",
                    f"'{context.strip()}': {m.group(0)} is written in 元 amid 万元 figures; 万元 is meant",
                    observed=m.group(0), expected=f"{m.group(1)}万元",
                    prov=ctx.span(para, m.start(), m.end()))


def statement_amount(text: str) -> Amount | None:
    return parse_amount(clean_number_text(text))
