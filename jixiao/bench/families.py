"""Reports in the layout families of real disclosures, with the facts each should yield.

Besides the sample family (:mod:`jixiao.bench.report`), real budget units publish 项目支出绩效自评表,
三公经费 tables and statements, 部门预算/决算说明 prose, budget approval letters and the 基本概况 form
of a 自评报告, in the table flavours of :mod:`jixiao.bench.flavours` and with the artifacts of mirror
sites (``../shared/real/README.md``, "Layouts seen").  Every word and number here is the generator's
own; the expected facts follow the real gold's labelling rules: 元 amounts ÷ 10000, a blank is no
fact, a row cut off is no fact, a row with fewer values than columns in a flattened table is not
expected, project money goes to ``fct_projects`` only, a report with no unit or no year is loaded
(facts with a NULL year, the unit unknown).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from .figures import YearFigures, year_figures
from .flavours import TextTable, render_table
from .report import BENEFIT_L2, OUTPUT_L2, SATISFACTION_L2, fmt_amount
from .units import Unit

FAMILIES: tuple[str, ...] = (
    "pipe_rows",
    "pipe_cell_line",
    "pipe_lone_bar",
    "cells_blank",
    "cells_vanishing",
    "space_aligned",
    "flattened",
    "prose",
    "trad_pinyin",
)
ALL_TABLES = [
    "fct_budget",
    "fct_spending",
    "fct_three_public_expenses",
    "fct_staffing",
    "fct_indicator_scores",
    "fct_projects",
    "fct_budget_by_function",
]
BUREAUS = (
    "自然资源局",
    "统计局",
    "司法局",
    "审计局",
    "水利局",
    "农业农村局",
    "文化旅游局",
    "退役军人事务局",
    "政务服务中心",
    "农业技术推广站",
    "市场监督管理所",
    "图书馆",
    "机关事务服务中心",
)
FUNCTION_CLASSES = (
    "一般公共服务支出",
    "公共安全支出",
    "教育支出",
    "文化旅游体育与传媒支出",
    "社会保障和就业支出",
    "卫生健康支出",
    "节能环保支出",
    "城乡社区支出",
    "农林水支出",
    "住房保障支出",
)
TP_LABELS = [
    ("total", ("合计", "一、支出合计", "“三公”经费合计")),
    ("overseas_travel", ("1、因公出国（境）费", "因公出国（境）费用")),
    ("reception", ("2、公务接待费", "公务接待费")),
    ("vehicle_total", ("3、公务用车购置及运行维护费", "公务用车购置及运行费")),
    ("vehicle_operation", ("其中：（1）公务用车运行维护费", "其中：公务用车运行维护费")),
    ("vehicle_purchase", ("（2）公务用车购置费", "公务用车购置费")),
]
# A few characters a mirror glosses with pinyin after converting to traditional script.
GLOSSES = {
    "務": "wù",
    "預": "yù",
    "經": "jīng",
    "費": "fèi",
    "財": "cái",
    "編": "biān",
    "員": "yuán",
    "決": "jué",
    "職": "zhí",
    "責": "zé",
    "門": "mén",
    "檔": "dàng",
    "業": "yè",
    "導": "dǎo",
}
DOCX_NOISE = (
    "{who} {user} 1 {y0}-03-11T02:14:09Z {y0}-07-30T08:00:00Z {y1}-04-02T01:22:48Z 16.00 "
    "2052-11.1.0.{build} {guid} {n1} {n2} 0 0 False False False"
)


@dataclass
class FamilyDoc:
    """One composed document: its text lines and expected record parts."""

    lines: list[str] = field(default_factory=list)
    facts: list[dict[str, Any]] = field(default_factory=list)
    absent: list[dict[str, Any]] = field(default_factory=list)
    uncertain: set[str] = field(default_factory=set)  # tables not claimed complete
    header: dict[str, Any] = field(default_factory=dict)
    content: str = ""
    family: str = ""
    quirks: list[str] = field(default_factory=list)

    def fact(self, table: str, fy: int | None, **kv: Any) -> None:
        self.facts.append({"table": table, "fiscal_year": fy, **kv})

    def amount(self, table: str, fy: int | None, cents: int, **key: Any) -> None:
        self.fact(table, fy, **key, amount_wan=round(cents / 100, 2))

    def add_table(self, table: TextTable, flavour: str, rng: random.Random, claims: tuple[str, ...]) -> None:
        self.lines += render_table(table, flavour, rng)
        facts, absent, certain = table.expected(flavour)
        self.facts += facts
        self.absent += absent
        if not certain:
            self.uncertain.update(claims)

    def cut_in_last_row(self, table: TextTable, rng: random.Random, claim: str) -> None:
        """End the document inside the table's last row, as a 2000-byte excerpt does: the row is no fact,
        and the table is no longer claimed complete."""
        last = table.rows[-1]
        text = "\n".join(self.lines)
        pos = text.rfind(last.cells[0]) + len(last.cells[0])
        first = next((last.cells[i] for i in last.values if last.cells[i].strip()), "")
        cut = pos
        if first:
            start = text.find(first, pos)
            cut = start + (rng.randint(1, len(first) - 1) if len(first) > 1 else 0)
        self.lines = text[:cut].split("\n")
        self.facts = [f for f in self.facts if f not in last.facts]
        self.absent = [a for a in self.absent if a not in last.absent]
        self.uncertain.add(claim)
        self.quirks.append("cut_end")


class Ctx:
    """What a family needs: the random stream, the unit, the year and the unit-year's figures."""

    def __init__(self, rng: random.Random, unit: Unit, unit_index: int, fy: int, seed: int, county_unique: bool):
        self.rng, self.unit, self.fy = rng, unit, fy
        self.cur: YearFigures = year_figures(seed, unit_index, fy, unit.township)
        self.prev: YearFigures = year_figures(seed, unit_index, fy - 1, unit.township)
        c = unit.county
        forms = ["full", "city", "county"] if county_unique else ["full", "city"]
        form = rng.choice(forms)
        self.bureau = rng.random() < 0.35
        if self.bureau:
            suffix = rng.choice(BUREAUS)
            self.name = {
                "full": f"{c.province}{c.city}{c.county}{suffix}",
                "city": f"{c.city}{c.county}{suffix}",
                "county": f"{c.county}{suffix}",
            }[form]
            self.short = f"{c.county}{suffix}" if county_unique else self.name
            township = None
        else:
            self.name = unit.name(form)
            self.short = unit.name("short")
            township = unit.township
        self.header: dict[str, Any] = {
            "department_name": self.name,
            "province": c.province,
            "city": c.city,
            "county": c.county,
            "county_code": c.code,
            "township": township,
            "fiscal_year": fy,
        }

    def money(self, cents: int, yuan: bool = False, style: str | None = None) -> str:
        """An amount as written: 万元 (plain or fixed) or 元 (integer or with 分, maybe thousands separators)."""
        rng = self.rng
        if yuan:
            y = cents * 100
            return rng.choice([f"{y}", f"{y:.2f}", f"{y:,.2f}"]) if style is None else f"{y}"
        return fmt_amount(cents, style or rng.choice(["plain", "plain", "fixed"]))


# ------------------------------------------------------------------------------------------ contents
def _three_public_table(ctx: Ctx, doc: FamilyDoc, yuan: bool, two_columns: bool, year_word: str = "年") -> TextTable:
    """A 三公 预算 table: the prior year's 决算 (or 执行) column and this year's 预算 column."""
    rng, fy = ctx.rng, ctx.fy
    prev_blank = two_columns and rng.random() < 0.25  # the prior-year column published empty
    t = TextTable()
    label_set = rng.randrange(2)
    prev_word = rng.choice(["决算数", "执行数"])
    header = (
        ["项目", f"{fy - 1}{year_word}{prev_word}", f"{fy}{year_word}预算数"]
        if two_columns
        else ["项目", f"预算数（{'元' if yuan else '万元'}）"]
    )
    t.add(*header)
    tb, ta = ctx.cur.three_public_budget, ctx.prev.three_public_actual
    blank_zero = rng.random() < 0.5  # zero categories left blank instead of 0
    for cat, labels in TP_LABELS:
        cells, facts, absent = [labels[label_set]], [], []
        columns = ([(fy - 1, "actual", ta, prev_blank)] if two_columns else []) + [(fy, "budget", tb, False)]
        for year, phase, fig, blank in columns:
            v = fig.get(cat)
            key = {"category": cat, "phase": phase}
            if blank or (v == 0 and blank_zero and cat != "total"):
                cells.append("")
                absent.append({"table": "fct_three_public_expenses", "fiscal_year": year, **key})
            else:
                cells.append(ctx.money(v, yuan, style="plain" if yuan else None))
                facts.append(
                    {"table": "fct_three_public_expenses", "fiscal_year": year, **key, "amount_wan": round(v / 100, 2)}
                )
        t.add(*cells, facts=facts, absent=absent, values=tuple(range(1, 1 + len(columns))))
    return t


def _indicator_pool(rng: random.Random) -> list[tuple[str, str, str, str, str, str, str]]:
    """(level1 name, level1, level2 name, level2, indicator, target/actual template) rows worth 90 points."""
    rows = []
    for l1_name, l1, pool, n in (
        ("产出指标", "output", OUTPUT_L2, rng.randint(3, 5)),
        ("效益指标", "benefit", BENEFIT_L2, rng.randint(1, 3)),
        ("满意度指标", "satisfaction", SATISFACTION_L2, 1),
    ):
        flat = [(l2n, l2, ind) for l2n, l2, inds in pool for ind in inds]
        for l2n, l2, (name, target, actual) in sorted(
            rng.sample(flat, min(n, len(flat))), key=lambda x: [p[0] for p in pool].index(x[0])
        ):
            rows.append((l1_name, l1, l2n, l2, name, target, actual))
    return rows


def _project_table(ctx: Ctx, doc: FamilyDoc, money_suffix: bool, orphan: bool) -> TextTable:
    """A 项目支出绩效自评表: project money (→ fct_projects only) and its scored indicator rows."""
    rng, fy, c = ctx.rng, ctx.fy, ctx.cur
    sizeable = [p for p in c.projects if p[2] >= 100]  # a project evaluated on its own is at least 1万元
    name, budget, actual = rng.choice(sizeable or c.projects)
    name = f"{fy}年{name}" if rng.random() < 0.3 else name
    initial = budget if rng.random() < 0.6 else budget * rng.randint(60, 100) // 100
    t = TextTable()
    if orphan:  # the page starts inside the previous project's table: a cut row, then its foot
        t.add("", "", "", "", str(rng.choice([10, 20, 30])), str(rng.choice([10, 20, 30])), "")
        t.add("合计", "", "", "", "", "100", "")
        t.add("评价结论", rng.choice(["资金已按计划拨付到位。", "项目按期完成，达到预期目标。"]))
    t.add(rng.choice(["项目支出绩效自评表", "部门预算项目支出绩效自评表"]))
    t.add(f"（{fy}年度）")
    t.add("项目名称", name)
    t.add("主管部门", ctx.name, "实施单位", ctx.name)
    m = (lambda v: ctx.money(v) + "万") if money_suffix else (lambda v: ctx.money(v))
    t.add("项目资金（万元）", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")
    rate = actual / budget if budget else 1.0
    exec_score = 10.0 if rate >= 0.95 or not budget else round(10 * rate, 1)
    t.add(
        "年度资金总额",
        "",
        m(initial),
        m(budget),
        m(actual),
        "10",
        f"{min(rate, 1):.2%}",
        f"{exec_score:g}",
        facts=[
            {
                "table": "fct_projects",
                "fiscal_year": fy,
                "project_name": name,
                "budget_wan": round(budget / 100, 2),
                "actual_wan": round(actual / 100, 2),
            },
            {
                "table": "fct_indicator_scores",
                "fiscal_year": fy,
                "indicator_name": "年度资金总额",
                "level1": "budget_execution",
                "weight": 10,
                "score": exec_score,
            },
        ],
        values=(2, 3, 4, 5, 7),
    )
    t.add("其中：当年财政拨款", "", m(initial), m(budget), m(actual), "—", "", "—")
    t.add("上年结转资金", "", "0", "0", "0", "—", "", "—")
    t.add("其他资金", "", "0", "0", "0", "—", "", "—")
    t.add("年度总体目标", "预期目标", "实际完成情况")
    t.add("", "按计划完成项目建设任务，保障资金安全。", "项目已全部完成，资金使用规范。")
    t.add(
        "绩效指标",
        "一级指标",
        "二级指标",
        "三级指标",
        "年度指标值",
        "实际完成值",
        "分值",
        "得分",
        "偏差原因分析及改进措施",
    )
    rows = _indicator_pool(rng)
    weights = [90 // len(rows)] * len(rows)
    weights[0] += 90 - sum(weights)
    total = exec_score
    last_l1 = None
    for (l1_name, l1, l2n, l2, ind, target, actual_v), w in zip(rows, weights):
        fill = {"staff": str(c.staffing["actual"]), "villages": str(rng.randint(5, 25))}
        target, actual_v = target.format(**fill), actual_v.format(**fill)
        score = float(w) if rng.random() < 0.7 else float(max(0, w - rng.choice([1, 2, 0.5])))
        total += score
        t.add(
            "",
            l1_name if l1_name != last_l1 else "",
            l2n,
            ind,
            target,
            actual_v,
            str(w),
            f"{score:g}",
            "" if score == w else "部分任务推进偏慢",
            facts=[
                {
                    "table": "fct_indicator_scores",
                    "fiscal_year": fy,
                    "indicator_name": ind,
                    "project_name": name,
                    "level1": l1,
                    "level2": l2,
                    "target_value": target,
                    "actual_value": actual_v,
                    "weight": w,
                    "score": score,
                }
            ],
            values=(6, 7),
        )
        last_l1 = l1_name
    t.add("总分", "", "", "", "", "", "100", f"{round(total, 1):g}")
    return t


ORDINALS = "一二三四五六七八九十"
SUMMARY_INCOME = [
    ("一般公共预算拨款收入", "fund_general_public"),
    ("政府性基金预算拨款收入", "fund_government_fund"),
    ("国有资本经营预算拨款收入", "fund_state_capital"),
    ("财政专户管理资金收入", "fund_special_nontax"),
    ("单位资金", None),
]


def _summary_table(ctx: Ctx) -> TextTable:
    """A 部门收支总表 (bare 预算数 column): income by source beside spending by function class, with 行次
    numbers as cells; 本年支出合计 is the total budget and the 合计 row of the function classes."""
    rng, fy = ctx.rng, ctx.fy
    total = ctx.cur.initial_budget
    carry = 0 if rng.random() < 0.5 else total * rng.randint(1, 6) // 100
    gov = 0 if rng.random() < 0.7 else total * rng.randint(1, 8) // 100
    general = total - carry - gov
    classes = sorted(rng.sample(range(len(FUNCTION_CLASSES)), rng.randint(3, 6)))
    shares = dict(zip(classes, _split(rng, total, len(classes))))
    m = ctx.money
    t = TextTable()
    t.add("行次", "收入项目", "预算数", "支出项目", "预算数")

    def budget(item: str, cents: int) -> dict:
        return {
            "table": "fct_budget",
            "fiscal_year": fy,
            "item": item,
            "phase": "budget",
            "amount_wan": round(cents / 100, 2),
        }

    for i in range(len(FUNCTION_CLASSES)):
        cells, facts, absent = [str(i + 1)], [], []
        if i < len(SUMMARY_INCOME):
            label, item = SUMMARY_INCOME[i]
            value = {"fund_general_public": general, "fund_government_fund": gov}.get(item or "", 0)
            cells += [f"{ORDINALS[i]}、{label}", m(value) if value else ""]
            if value and item:
                facts.append(budget(item, value))
            elif item:
                absent.append({"table": "fct_budget", "fiscal_year": fy, "item": item, "phase": "budget"})
        else:
            cells += ["", ""]
        name = FUNCTION_CLASSES[i]
        cells += [f"{ORDINALS[i]}、{name}", m(shares[i]) if i in shares else ""]
        if i in shares:
            facts.append(
                {
                    "table": "fct_budget_by_function",
                    "fiscal_year": fy,
                    "phase": "budget",
                    "subject_code": None,
                    "subject_name": name,
                    "total_wan": round(shares[i] / 100, 2),
                }
            )
        t.add(*cells, facts=facts, absent=absent)
    n = len(FUNCTION_CLASSES)
    t.add(
        str(n + 1),
        "本年收入合计",
        m(general + gov),
        "本年支出合计",
        m(total),
        facts=[
            budget("total", total),
            {
                "table": "fct_budget_by_function",
                "fiscal_year": fy,
                "phase": "budget",
                "subject_code": "合计",
                "subject_name": "本年支出合计",
                "total_wan": round(total / 100, 2),
            },
        ],
    )
    t.add(
        str(n + 2),
        "上年结转结余",
        m(carry) if carry else "",
        "年终结转结余",
        "",
        facts=[budget("carryover_in", carry)] if carry else [],
        absent=[{"table": "fct_budget", "fiscal_year": fy, "item": "carryover_out", "phase": "budget"}]
        + ([] if carry else [{"table": "fct_budget", "fiscal_year": fy, "item": "carryover_in", "phase": "budget"}]),
    )
    t.add(str(n + 3), "收入总计", m(total), "支出总计", m(total))
    return t


def _staffing_form(ctx: Ctx, doc: FamilyDoc) -> TextTable:
    """The 基本概况 form of a 自评报告: contact, 人员编制 and 实有人数, duties."""
    rng, st, fy = ctx.rng, ctx.cur.staffing, ctx.fy
    t = TextTable()
    t.add(
        "联系人", rng.choice(["陈立", "周敏", "罗晓燕", "彭建国"]), "联络电话", f"0730-{rng.randint(6000000, 8999999)}"
    )
    t.add(
        "人员编制",
        str(st["authorized"]),
        "实有人数",
        str(st["actual"]),
        facts=[
            {"table": "fct_staffing", "fiscal_year": fy, "metric": "authorized", "headcount": st["authorized"]},
            {"table": "fct_staffing", "fiscal_year": fy, "metric": "actual", "headcount": st["actual"]},
        ],
    )
    t.add("职能职责概述", "负责辖区经济社会发展规划的实施，提供基本公共服务，维护社会稳定。")
    return t


# ------------------------------------------------------------------------------------------ prose
def _prose_budget(ctx: Ctx, doc: FamilyDoc, yuan: bool) -> list[str]:
    """部门预算说明: income by source and spending by function class (年初预算)."""
    rng, fy = ctx.rng, ctx.fy
    total = ctx.cur.initial_budget
    carry = 0 if rng.random() < 0.6 else total * rng.randint(1, 8) // 100
    gov_fund = 0 if rng.random() < 0.7 else total * rng.randint(1, 10) // 100
    general = total - carry - gov_fund
    u = "元" if yuan else "万元"
    sp = " " if rng.random() < 0.3 else ""  # "0 万元"

    def mm(v):
        return f"{ctx.money(v, yuan)}{sp if v == 0 else ''}{u}"

    doc.header["document_kind"] = "budget_statement"
    income_first = rng.choice(
        [
            f"{fy}年年初预算收入{mm(total)}，其中：一般公共预算拨款收入{mm(general)}，政府性基金预算拨款收入{mm(gov_fund)}，"
            f"上年结转{mm(carry)}。",
            f"收入预算：{fy}年年初预算数为{mm(total)}，其中一般公共预算拨款{mm(general)}、政府性基金预算拨款{mm(gov_fund)}、"
            f"上年结转收入{mm(carry)}。",
            f"本单位{fy}年年初预算收入合计{mm(total)}。按资金来源分：一般公共预算拨款{mm(general)}；政府性基金预算拨款"
            f"{mm(gov_fund)}；上年结转{mm(carry)}。",
        ]
    )
    lines = [
        f"{ctx.name}{fy}年部门预算情况说明",
        "一、基本情况",
        f"{ctx.short}主要负责贯彻落实上级决策部署，统筹辖区经济发展和公共服务。",
        "二、收支预算总体情况",
        "（一）收入预算",
        income_first,
    ]
    for item, v in (("fund_general_public", general), ("fund_government_fund", gov_fund), ("carryover_in", carry)):
        doc.amount("fct_budget", fy, v, item=item, phase="initial_budget")
    classes = rng.sample(FUNCTION_CLASSES, rng.randint(3, 6))
    shares = _split(rng, total, len(classes))
    parts = "，".join(f"{n}{mm(v)}" for n, v in zip(classes, shares))
    lines += [
        "（二）支出预算",
        rng.choice(
            [
                f"{fy}年年初预算支出{mm(total)}，其中：{parts}。",
                f"支出预算：{fy}年年初预算数为{mm(total)}，按功能分类：{parts}。",
                f"{fy}年年初预算支出合计{mm(total)}。其中：{parts}。",
            ]
        ),
    ]
    doc.amount("fct_budget", fy, total, item="total", phase="initial_budget")
    for n, v in zip(classes, shares):
        doc.fact(
            "fct_budget_by_function",
            fy,
            phase="initial_budget",
            subject_code=None,
            subject_name=n,
            total_wan=round(v / 100, 2),
        )
    lines.append("三、其他说明：本单位无国有资本经营预算收支。")
    return lines


def _split(rng: random.Random, total: int, parts: int) -> list[int]:
    weights = [0.3 + rng.random() for _ in range(parts)]
    out = [int(total * w / sum(weights)) for w in weights]
    out[-1] = total - sum(out[:-1])
    return out


def _prose_three_public(ctx: Ctx, doc: FamilyDoc, yuan: bool, year: int | None) -> list[str]:
    """A 三公 statement: this year's 预算 by category and, when the year is named, last year's 决算."""
    rng = ctx.rng
    tb, ta = ctx.cur.three_public_budget, ctx.prev.three_public_actual
    u = "元" if yuan else "万元"
    sp = " " if rng.random() < 0.3 else ""

    def mm(v):
        return f"{ctx.money(v, yuan)}{sp if v == 0 else ''}{u}"

    yw = f"{year}年" if year else "本年度"
    doc.header["document_kind"] = "three_public_disclosure"
    title = f"{ctx.name}{year or ''}{'年' if year else ''}“三公”经费预算情况说明"
    budget = rng.choice(
        [
            f"{yw}“三公”经费预算{mm(tb.get('total'))}，其中：因公出国（境）费{mm(tb.get('overseas_travel'))}，"
            f"公务接待费{mm(tb.get('reception'))}，公务用车购置及运行维护费{mm(tb.get('vehicle_total'))}（其中公务用车购置费"
            f"{mm(tb.get('vehicle_purchase'))}，公务用车运行维护费{mm(tb.get('vehicle_operation'))}）。",
            f"{yw}一般公共预算安排的“三公”经费预算数为{mm(tb.get('total'))}。具体是：因公出国（境）费预算"
            f"{mm(tb.get('overseas_travel'))}；公务接待费预算{mm(tb.get('reception'))}；公务用车购置及运行维护费预算"
            f"{mm(tb.get('vehicle_total'))}，其中公务用车购置费{mm(tb.get('vehicle_purchase'))}、公务用车运行维护费"
            f"{mm(tb.get('vehicle_operation'))}。",
        ]
    )
    lines = [title, budget]
    for cat in ("total", "overseas_travel", "reception", "vehicle_total", "vehicle_purchase", "vehicle_operation"):
        doc.amount("fct_three_public_expenses", year, tb.get(cat), category=cat, phase="budget")
    if year:
        lines.append(
            rng.choice(
                [
                    f"{year - 1}年“三公”经费决算支出{mm(ta.get('total'))}，其中公务接待费{mm(ta.get('reception'))}，"
                    f"公务用车运行维护费{mm(ta.get('vehicle_operation'))}。",
                    f"{year - 1}年度“三公”经费实际支出{mm(ta.get('total'))}：公务接待费决算{mm(ta.get('reception'))}，"
                    f"公务用车运行维护费决算{mm(ta.get('vehicle_operation'))}。",
                ]
            )
        )
        for cat in ("total", "reception", "vehicle_operation"):
            doc.amount("fct_three_public_expenses", year - 1, ta.get(cat), category=cat, phase="actual")
    lines.append("“三公”经费预算较上年有所压减，主要是严格落实过紧日子要求。")
    return lines


def _prose_staffing(ctx: Ctx, doc: FamilyDoc, year: int | None) -> list[str]:
    """Staffing sentences: 编制 for the year, serving and retired staff as of the prior year-end."""
    st = ctx.cur.staffing
    if year:
        lines = [
            f"{ctx.name}{year}年部门预算编制说明" if ctx.name else f"{year}年部门预算编制说明",
            ctx.rng.choice(
                [
                    f"本单位核定编制{st['authorized']}人，其中行政编制{st['authorized_admin']}人，事业编制"
                    f"{st['authorized_institution']}人。截至{year - 1}年末实有在职人员{st['actual']}人，退休人员{st['retired']}人。",
                    f"（二）人员情况：{year}年核定编制数{st['authorized']}人（行政编制{st['authorized_admin']}人，事业编制"
                    f"{st['authorized_institution']}人）；{year - 1}年底在职人员{st['actual']}人，退休人员{st['retired']}人。",
                ]
            ),
        ]
        doc.fact("fct_staffing", year, metric="authorized", headcount=st["authorized"])
        doc.fact("fct_staffing", year, metric="authorized_admin", headcount=st["authorized_admin"])
        doc.fact("fct_staffing", year, metric="authorized_institution", headcount=st["authorized_institution"])
        doc.fact("fct_staffing", year - 1, metric="actual", headcount=st["actual"])
        doc.fact("fct_staffing", year - 1, metric="retired", headcount=st["retired"])
    else:
        lines = [
            f"{ctx.name}机构人员情况" if ctx.name else "机构人员情况",
            f"本单位行政编制{st['authorized_admin']}人，在职行政人员{st['actual_admin']}人，退休人员{st['retired']}人。",
        ]
        doc.fact("fct_staffing", None, metric="authorized_admin", headcount=st["authorized_admin"])
        doc.fact("fct_staffing", None, metric="actual_admin", headcount=st["actual_admin"])
        doc.fact("fct_staffing", None, metric="retired", headcount=st["retired"])
    if year:
        doc.header["document_kind"] = "budget_statement"
    return lines


def _prose_letter(ctx: Ctx, doc: FamilyDoc, yuan: bool) -> list[str]:
    """A 预算批复 letter: the approved total (a bare 预算 phase), basic and project spending."""
    rng, fy, c = ctx.rng, ctx.fy, ctx.cur
    total = c.adjusted_budget
    project = c.project_budget if c.project_budget < total else total // 5
    basic = total - project
    u = "元" if yuan else "万元"
    lines = [
        f"关于{ctx.name}{fy}年部门预算的批复",
        f"{ctx.short}：",
        f"根据{fy}年预算安排，经研究，现将你单位{fy}年部门预算批复如下：",
        rng.choice(
            [
                f"一、批复你单位{fy}年支出预算{ctx.money(total, yuan)}{u}，其中：基本支出{ctx.money(basic, yuan)}{u}，"
                f"项目支出{ctx.money(project, yuan)}{u}。",
                f"一、{fy}年支出预算{ctx.money(total, yuan)}{u}。其中基本支出预算{ctx.money(basic, yuan)}{u}，"
                f"项目支出预算{ctx.money(project, yuan)}{u}。",
            ]
        ),
        "二、请严格按照批复的预算执行，不得擅自调整。",
        rng.choice(["特此批复。", "此复。"]),
    ]
    doc.amount("fct_budget", fy, total, item="total", phase="budget")
    doc.amount("fct_budget", fy, basic, item="basic", phase="budget")
    doc.amount("fct_budget", fy, project, item="project", phase="budget")
    return lines


def _prose_final(ctx: Ctx, doc: FamilyDoc) -> list[str]:
    """部门决算说明: spending total, basic and project; personnel and public funds."""
    fy, c = ctx.fy, ctx.cur
    m = ctx.money
    doc.header["document_kind"] = "final_accounts_statement"
    lines = [
        f"{ctx.name}{fy}年度部门决算情况说明",
        "一、收入支出决算总体情况",
        ctx.rng.choice(
            [
                f"{fy}年度本年支出合计{m(c.total)}万元，其中：基本支出{m(c.basic)}万元，项目支出{m(c.project_actual)}万元。",
                f"{fy}年度支出决算总计{m(c.total)}万元，其中基本支出决算{m(c.basic)}万元、项目支出决算"
                f"{m(c.project_actual)}万元。",
            ]
        ),
        "二、基本支出决算情况",
        f"{fy}年度基本支出{m(c.basic)}万元，其中：人员经费{m(c.personnel)}万元，公用经费{m(c.public_funds_actual)}万元。",
    ]
    doc.amount("fct_spending", fy, c.total, item="total")
    doc.amount("fct_spending", fy, c.basic, item="basic")
    doc.amount("fct_spending", fy, c.project_actual, item="project")
    doc.amount("fct_spending", fy, c.personnel, item="personnel")
    doc.amount("fct_spending", fy, c.public_funds_actual, item="public_funds")
    return lines


# ------------------------------------------------------------------------------------------ artifacts
@lru_cache(maxsize=2)
def _opencc(config: str):
    from opencc import OpenCC

    return OpenCC(config)


def to_traditional(text: str, rng: random.Random, glosses: bool) -> str:
    """Traditional script, with pinyin glosses after some characters as a mirror injects them."""
    trad = _opencc("s2t").convert(text)
    if not glosses:
        return trad
    return "".join(f"{ch}({GLOSSES[ch]})" if ch in GLOSSES and rng.random() < 0.5 else ch for ch in trad)


def round_trips(text: str) -> bool:
    """Whether converting to traditional and back gives ``text`` again (the expected names stay right)."""
    return _opencc("t2s").convert(_opencc("s2t").convert(text)) == text


_DATE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日")


def year_as_dash(text: str) -> str:
    """ "年" printed as "-" after a year and in 本年/上年, as a mirror does; dates keep theirs."""
    dates = {m.group(0): f"\x00{i}\x00" for i, m in enumerate(_DATE.finditer(text))}
    for d, mark in dates.items():
        text = text.replace(d, mark)
    text = re.sub(r"(\d{4})年", r"\1-", text)
    text = re.sub(r"(?<=[本上])年(?=[度决预执末初])", "-", text)
    for d, mark in dates.items():
        text = text.replace(mark, d)
    return text


def stray_spaces(text: str, rng: random.Random) -> str:
    """Spaces a Word export leaves inside words, between a number and its unit, and inside a year."""
    text = re.sub(r"(\d)(万元|人|年)", lambda m: m.group(1) + (" " if rng.random() < 0.5 else "") + m.group(2), text)
    text = re.sub(
        r"(?<![\d.])(20)(\d{2})(?=\s?年)", lambda m: m.group(1) + (" " if rng.random() < 0.3 else "") + m.group(2), text
    )
    return re.sub(
        r"(编制|预算|说明|单位)",
        lambda m: m.group(1)[0] + " " + m.group(1)[1] if rng.random() < 0.2 else m.group(1),
        text,
    )


def table_of_contents(fy: int | None, word: str) -> list[str]:
    """The contents page of a 部门预算 (``word`` 预算) or 部门决算 (决算) publication."""
    year = f"{fy}年" if fy else ""
    return [
        "目  录",
        "第一部分 单位概况",
        "一、主要职能",
        "二、机构设置",
        f"第二部分 {year}部门{word}表",
        f"第三部分 {year}部门{word}情况说明",
        f"一、收支{word}总体情况",
        f"二、“三公”经费{word}情况",
        "第四部分 名词解释",
        "",
    ]


def pipe_metadata(ctx: Ctx, rng: random.Random) -> list[str]:
    y = ctx.fy if ctx.fy else 2024
    return [
        f"| [ 索引号 ] | 1150{rng.randint(10**9, 10**10 - 1)}/{y}-000{rng.randint(10, 99)} | [ 发文字号 ] | |",
        "| [ 主题分类 ] | 财政、审计 | [ 体裁分类 ] | 财政预决算 |",
        f"| [ 发布机构 ] | {ctx.short if ctx.name else ''} | [ 有效性 ] | |",
    ]


def docx_noise(rng: random.Random, fy: int) -> str:
    return DOCX_NOISE.format(
        who=rng.choice(["Administrator", "微软用户", "lenovo"]),
        user=f"u{rng.randint(10000, 99999)}",
        y0=fy - rng.randint(3, 9),
        y1=fy + 1,
        build=rng.randint(10000, 13000),
        guid=f"{rng.getrandbits(128):032X}",
        n1=rng.randint(1000, 99999),
        n2=rng.randint(1000, 99999),
    )


# ------------------------------------------------------------------------------------------ families
def _table_doc(ctx: Ctx, flavour: str, content: str) -> FamilyDoc:
    rng, fy = ctx.rng, ctx.fy
    doc = FamilyDoc(header=dict(ctx.header), content=content)
    if content == "project":
        orphan = flavour == "pipe_rows" and rng.random() < 0.25
        suffix = flavour == "pipe_cell_line" and rng.random() < 0.4
        if orphan:
            doc.quirks.append("mid_table")
        if suffix:
            doc.quirks.append("wan_suffix")
        noise = flavour == "flattened" and rng.random() < 0.6
        if noise:
            doc.quirks.append("docx_noise")
            doc.lines.append(docx_noise(rng, fy) + " 附件：")
        doc.header["document_kind"] = "project_evaluation"
        doc.add_table(_project_table(ctx, doc, suffix, orphan), flavour, rng, ("fct_projects", "fct_indicator_scores"))
        doc.lines.append(f"填报人：{rng.choice(['李', '王', '张'])}{rng.choice(['红', '军', '婷'])}")
    elif content == "three_public":
        yuan = flavour == "space_aligned" and rng.random() < 0.6
        dash = flavour in ("space_aligned", "pipe_lone_bar") and rng.random() < 0.5
        two = flavour != "cells_vanishing"
        doc.header["document_kind"] = "three_public_disclosure"
        doc.lines += [f"{ctx.name}{fy}年部门“三公”经费预算情况表", f"单位：{'元' if yuan else '万元'}"]
        table = _three_public_table(ctx, doc, yuan, two)
        doc.add_table(table, flavour, rng, ("fct_three_public_expenses",))
        if flavour not in ("cells_vanishing", "flattened") and rng.random() < 0.15:
            doc.cut_in_last_row(table, rng, "fct_three_public_expenses")
        else:
            doc.lines.append("备注：“三公”经费包括因公出国（境）费、公务用车购置及运行维护费和公务接待费。")
        if yuan:
            doc.quirks.append("yuan")
        if dash:
            doc.quirks.append("year_dash")
    elif content == "summary":
        doc.header["document_kind"] = "budget_statement"
        doc.lines += (
            [f"{ctx.name}{fy}年部门收支总表", "单位：万元"]
            if rng.random() < 0.5
            else ["部门收支总表", f"单位名称：{ctx.name}", f"预算年度：{fy}", "单位：万元"]
        )
        doc.add_table(_summary_table(ctx), flavour, rng, ("fct_budget",))
        doc.uncertain.add("fct_budget_by_function")  # the 本年支出合计 row read as the classes' 合计 is not certain
    else:  # staffing form of a 自评报告
        doc.header["document_kind"] = "performance_evaluation"
        month, day = rng.randint(3, 9), rng.randint(1, 28)
        doc.lines += [
            f"{ctx.unit.county.county}{fy}年度部门整体支出绩效评价自评报告",
            f"部门（单位）名称：{ctx.name}",
            "评价方式：部门（单位）绩效自评",
            f"报告日期：{fy + 1}年{month}月{day}日",
            "一、部门（单位）基本概况",
        ]
        doc.header["report_date"] = f"{fy + 1:04d}-{month:02d}-{day:02d}"
        doc.add_table(_staffing_form(ctx, doc), flavour, rng, ("fct_staffing",))
        doc.lines.append("二、部门整体支出管理及使用情况")
        if flavour == "pipe_lone_bar" and rng.random() < 0.5:
            doc.quirks.append("year_dash")
    return doc


def _prose_doc(ctx: Ctx, traditional: bool) -> FamilyDoc:
    rng, fy = ctx.rng, ctx.fy
    kinds = (
        ["budget", "three_public", "staffing", "letter", "final"]
        if not traditional
        else ["final", "staffing", "budget"]
    )
    content = rng.choices(kinds, weights=[3, 3, 2, 1, 2][: len(kinds)])[0]
    doc = FamilyDoc(header=dict(ctx.header), content=content)
    yuan = content in ("budget", "letter", "three_public") and not traditional and rng.random() < 0.25
    no_unit = content in ("three_public", "staffing") and not traditional and rng.random() < 0.2
    no_year = content in ("three_public", "staffing") and not traditional and rng.random() < 0.15
    if no_unit:
        ctx.name = ctx.short = ""
        doc.header = {"department_name": None, "fiscal_year": fy}
        doc.quirks.append("no_unit")
    year: int | None = fy
    if no_year:
        year = None
        doc.header["fiscal_year"] = None
        doc.quirks.append("no_year")
    body = {
        "budget": lambda: _prose_budget(ctx, doc, yuan),
        "three_public": lambda: _prose_three_public(ctx, doc, yuan, year),
        "staffing": lambda: _prose_staffing(ctx, doc, year),
        "letter": lambda: _prose_letter(ctx, doc, yuan),
        "final": lambda: _prose_final(ctx, doc),
    }[content]()
    if yuan:
        doc.quirks.append("yuan")
    lines: list[str] = []
    if not traditional and rng.random() < 0.25:
        lines += pipe_metadata(ctx, rng)
        doc.quirks.append("pipe_meta")
    if content in ("budget", "final") and rng.random() < 0.3:
        lines += table_of_contents(year, "预算" if content == "budget" else "决算")
        doc.quirks.append("toc")
    lines += body
    text = "\n".join(lines)
    if traditional:
        text = to_traditional(text, rng, glosses=rng.random() < 0.8)
        doc.quirks.append("traditional")
    elif rng.random() < 0.15:
        text = stray_spaces(text, rng)
        doc.quirks.append("stray_spaces")
    doc.lines = text.split("\n")
    return doc


def compose_family(
    family: str, rng: random.Random, unit: Unit, unit_index: int, fy: int, seed: int, county_unique: bool
) -> FamilyDoc:
    """The document of ``family`` for this unit-year, with its expected facts."""
    ctx = Ctx(rng, unit, unit_index, fy, seed, county_unique)
    if family == "trad_pinyin" and not round_trips(ctx.name):
        family = "prose"  # a name that does not survive the script round trip would make the expected name wrong
    if family in ("prose", "trad_pinyin"):
        doc = _prose_doc(ctx, traditional=family == "trad_pinyin")
    else:
        content = rng.choices(
            *{
                "pipe_rows": (["project", "three_public", "summary"], [5, 3, 2]),
                "pipe_cell_line": (["project", "staffing", "three_public", "summary"], [5, 2, 2, 2]),
                "pipe_lone_bar": (["staffing", "three_public"], [6, 4]),
                "cells_blank": (["staffing", "three_public", "summary"], [4, 4, 3]),
                "cells_vanishing": (["three_public"], [1]),
                "space_aligned": (["three_public"], [1]),
                "flattened": (["project", "three_public"], [5, 5]),
            }[family]
        )[0]
        doc = _table_doc(ctx, family, content)
    if "year_dash" in doc.quirks:
        doc.lines = [year_as_dash(x) for x in doc.lines]
    if family == "space_aligned" and rng.random() < 0.25 and round_trips(ctx.name):
        doc.lines = to_traditional("\n".join(doc.lines), rng, glosses=False).split("\n")
        doc.quirks.append("traditional")
    doc.family = family
    return doc


__all__ = ["ALL_TABLES", "FAMILIES", "FamilyDoc", "compose_family", "to_traditional", "year_as_dash"]
