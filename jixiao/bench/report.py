"""Compose one synthetic report (blocks to render) together with the facts it should yield.

The composition follows the sample reports: a 基础数据表 (staffing, 三公 over two years, 项目支出
lines, 公用经费 lines), a 自评表 (年度资金总额 row, funds by source and by basic/project, the
indicator table with merged level cells, 总分), prose sections and a signature date.  Every number
written is recorded as an expected fact in the gold shape of ``tests/fixtures/gold``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any, cast

from .figures import YearFigures, year_figures
from .layouts import Block, Cell, GridTable
from .units import Unit

GRADE_LABELS = {"优": ["优", "优秀"], "良": ["良", "良好"], "中": ["中", "一般"], "差": ["差"]}

# (level2 name, level2 key, [(indicator, target, actual)])
OUTPUT_L2 = [
    (
        "数量指标",
        "quantity",
        [
            ("工资发放人数", "{staff}人", "{staff}人"),
            ("民生实事项目完成数", "6项", "6项"),
            ("村级组织运转保障村数", "{villages}个", "{villages}个"),
            ("道路提质改造里程", "20公里", "21.1公里"),
        ],
    ),
    (
        "质量指标",
        "quality",
        [("工资发放准确率", "100%", "100%"), ("项目验收合格率", "≥95%", "98%"), ("履职目标实现率", "99%", "100%")],
    ),
    (
        "时效指标",
        "timeliness",
        [
            ("资金拨付及时率", "100%", "100%"),
            ("三保保障情况", "每月按时保障", "每月按时保障"),
            ("项目完成及时性", "按期完成", "按期完成"),
        ],
    ),
    (
        "成本指标",
        "cost",
        [("不超年度预算", "未超年度预算", "不超过预算"), ("单位日常运转经费控制", "控制在预算内", "控制在预算内")],
    ),
]
BENEFIT_L2 = [
    ("经济效益指标", "economic", [("地方财政收入增幅", "5%", "6%"), ("村集体经济收入增长", "稳步增长", "稳步增长")]),
    (
        "社会效益指标",
        "social",
        [
            ("促进社会稳定", "有效促进", "社会稳定"),
            ("预算单位集中支付覆盖率", "100%", "100%"),
            ("群众办事便利度", "明显提升", "明显提升"),
        ],
    ),
    ("生态效益指标", "ecological", [("生态环境效益", "成效明显", "生态环境好"), ("人居环境整治覆盖率", "≥90%", "95%")]),
    ("可持续影响指标", "sustainability", [("长效管理机制", "健全", "健全"), ("基层治理能力", "持续提升", "有效提升")]),
]
SATISFACTION_L2 = [
    ("服务对象满意度指标", "satisfaction", [("服务对象满意度", "≥90%", "96%"), ("群众满意度", "≥95%", "98%")])
]

FILLER = [
    "一年来，我们坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实上级各项决策部署，各项工作稳步推进。",
    "强化党建引领，推进基层组织建设，切实履行党建主体责任，深化责任目标清单指引，科学统筹党建工作。",
    "聚焦乡村振兴，严格落实耕地保护政策，精准发放惠农补贴，有效维护了粮食供应的稳定和安全。",
    "全年新修道路3公里，完善水系建设13处，新装和维修路灯447盏，公共基础设施进一步完善。",
    "加大对敬老院的经费投入，通过多方争取救助资金，全年发放救助资金90万元，惠及困难群众3400余人次。",
    "紧盯燃气、道路交通、食品药品、自建房、消防等重点行业领域，层层落实安全生产责任，全年未发生一般及以上安全事故。",
    "深入开展矛盾纠纷排查化解，化解矛盾纠纷154起，解决历史积案3起，社会大局和谐稳定。",
    "严格执行财务管理制度，规范资金审批程序，加强对项目资金的监督检查，确保资金使用安全、规范、有效。",
    "持续改善农村人居环境，提升农村垃圾处理和生活污水治理水平，全镇村容村貌明显改观。",
    "全年共接待各级调研考察57批次1500余人，媒体宣传84次，影响力进一步扩大。",
]
PROBLEMS = [
    "一是预算编制的精准度有待提高，年中追加调整较多；二是绩效目标设定不够细化量化；三是自有财源有限，财政收支矛盾突出。",
    "部分项目资金拨付进度偏慢，绩效监控的及时性有待加强；基础设施建设仍有短板，群众反映的部分问题尚未完全解决。",
]
MEASURES = [
    "进一步加强预算编制管理，科学合理编制预算，严格控制预算调整；强化绩效目标管理，提高绩效评价结果运用水平。",
    "健全完善财务管理制度和内部控制制度，合理安排开支，加快项目资金拨付进度，切实提高财政资金使用效益。",
]


def fmt_amount(cents: int, style: str) -> str:
    """An amount in 0.01万元 as written: ``plain`` drops trailing zeros, ``fixed`` keeps two decimals,
    ``comma`` adds thousands separators to a fixed amount."""
    value = f"{cents / 100:.2f}"
    if style == "plain":
        value = value.rstrip("0").rstrip(".")
    elif style == "comma":
        value = f"{cents / 100:,.2f}"
    return value


def grade_for(score: float) -> str:
    """The usual rule: 优 ≥ 90, 良 80–90, 中 60–80, 差 < 60."""
    return "优" if score >= 90 else "良" if score >= 80 else "中" if score >= 60 else "差"


def _num(x: float) -> str:
    return f"{x:g}"


@dataclass
class Expected:
    """The gold record of one report, filled while the report is composed."""

    header: dict[str, Any]
    facts: list[dict[str, Any]] = field(default_factory=list)
    absent: list[dict[str, Any]] = field(default_factory=list)
    issues: list[dict[str, str]] = field(default_factory=list)

    def fact(self, table: str, fiscal_year: int, **kv: Any) -> None:
        self.facts.append({"table": table, "fiscal_year": fiscal_year, **kv})

    def amount(self, table: str, fiscal_year: int, cents: int | None, **key: Any) -> None:
        """A written amount becomes a fact; ``None`` (blank cell) an absent row."""
        if cents is None:
            self.absent.append({"table": table, "fiscal_year": fiscal_year, **key})
        else:
            self.fact(table, fiscal_year, **key, amount_wan=round(cents / 100, 2))


@dataclass
class Options:
    """The presentation choices of one report (drawn from the report's own random stream)."""

    name_form: str
    style: str
    tables_first: bool
    three_public_blank: bool
    meetings_blank: bool
    procurement_dash: bool
    prev_year_blank: bool
    total_row_blank: bool
    grade_stated: bool
    grade_rule_note: bool
    economic_prose: bool
    slip: str | None  # None, "unit", "grade", "parts"


def draw_options(rng: random.Random, slip_rate: float, county_name_unique: bool) -> Options:
    slip = None
    r = rng.random()
    if r < slip_rate:
        slip = "unit"
    elif r < 2 * slip_rate:
        slip = "grade"
    elif r < 3 * slip_rate:
        slip = "parts"
    forms = ["full", "city", "county"] if county_name_unique else ["full", "city"]
    return Options(
        name_form=rng.choice(forms),
        style=rng.choice(["plain", "plain", "fixed"]),
        tables_first=rng.random() < 0.5,
        three_public_blank=rng.random() < 0.1,
        meetings_blank=rng.random() < 0.15,
        procurement_dash=rng.random() < 0.15,
        prev_year_blank=rng.random() < 0.08,
        total_row_blank=rng.random() < 0.05,
        grade_stated=rng.random() < 0.85 or slip == "grade",
        grade_rule_note=rng.random() < 0.5,
        economic_prose=rng.random() < 0.5,
        slip=slip,
    )


class ReportComposer:
    """Builds the blocks and the expected facts of one report."""

    def __init__(self, rng: random.Random, unit: Unit, unit_index: int, fy: int, seed: int, opts: Options):
        self.rng, self.unit, self.fy, self.o = rng, unit, fy, opts
        self.cur: YearFigures = year_figures(seed, unit_index, fy, unit.township)
        self.prev: YearFigures = year_figures(seed, unit_index, fy - 1, unit.township)
        self.name = unit.name(opts.name_form)
        self.short = unit.name("short")
        self.a = lambda cents: fmt_amount(cents, opts.style)
        self.parts_delta = rng.randint(50, 2000) if opts.slip == "parts" else 0
        month, day = rng.choice([(1, 15), (2, 28), (3, 20), (4, 26), (5, 10), (6, 30)])
        self.sign_date = (fy + 1, month, day) if rng.random() < 0.9 else (fy, 12, 31)
        county = unit.county
        self.exp = Expected(
            header={
                "department_name": self.name,
                "province": county.province,
                "city": county.city,
                "county": county.county,
                "county_code": county.code,
                "township": unit.township,
                "fiscal_year": fy,
                "report_date": "{:04d}-{:02d}-{:02d}".format(*self.sign_date),
            }
        )

    # ---------------------------------------------------------------- 基础数据表
    def basic_data_tables(self) -> list[Block]:
        fy, c, p, o, a, exp = self.fy, self.cur, self.prev, self.o, self.a, self.exp
        staff = GridTable()
        staff.add("财政供养人员情况（人）", "编制数", f"{fy}年实际在职人数", "控制率")
        rate = c.staffing["actual"] / c.staffing["authorized"]
        staff.add("", str(c.staffing["authorized"]), str(c.staffing["actual"]), f"{rate:.2%}")
        exp.fact("fct_staffing", fy, metric="authorized", headcount=c.staffing["authorized"])
        exp.fact("fct_staffing", fy, metric="actual", headcount=c.staffing["actual"])

        money = GridTable()
        money.add("经费控制情况（万元）", f"{fy - 1}年决算数", f"{fy}年预算数", f"{fy}年决算数")
        prev_blank = o.prev_year_blank

        def row(label: str, prev: int | None, bud: int | None, act: int | None) -> None:
            money.add(label, *("" if v is None else a(v) for v in (prev, bud, act)))

        labels = [
            ("三公经费", "total"),
            ("1、公务用车购置和维护经费", "vehicle_total"),
            ("其中：公车购置", "vehicle_purchase"),
            ("公车运行维护", "vehicle_operation"),
            ("2、出国经费", "overseas_travel"),
            ("3、公务接待", "reception"),
        ]
        for label, cat in labels:
            if o.three_public_blank:
                row(label, None, None, None)
                vals: tuple[int | None, ...] = (None, None, None)
            else:
                vals = (
                    None if prev_blank else p.three_public_actual.get(cat),
                    c.three_public_budget.get(cat),
                    c.three_public_actual.get(cat),
                )
                row(label, *vals)
            exp.amount("fct_three_public_expenses", fy - 1, vals[0], category=cat, phase="actual")
            exp.amount("fct_three_public_expenses", fy, vals[1], category=cat, phase="budget")
            exp.amount("fct_three_public_expenses", fy, vals[2], category=cat, phase="actual")

        prev_project = None if prev_blank else p.project_actual
        row("项目支出", prev_project, c.project_budget, c.project_actual)
        exp.amount("fct_spending", fy - 1, prev_project, item="project")
        exp.amount("fct_budget", fy, c.project_budget, item="project", phase="budget")
        row("1、业务工作经费", None, None, None)
        row("2、运行维护经费", None, None, None)
        row(
            self.rng.choice(["3、上级专项资金", "3、省级专项资金（每个专项一行）"]),
            prev_project,
            c.project_budget,
            c.project_actual,
        )
        for name, bud, act in c.projects:
            row(name, None, bud, act)
            exp.fact(
                "fct_projects", fy, project_name=name, budget_wan=round(bud / 100, 2), actual_wan=round(act / 100, 2)
            )

        items = [
            ("公用经费", "public_funds", (p.public_funds_actual, c.public_funds_budget, c.public_funds_actual)),
            ("其中：办公经费", "office", (p.office[1], *c.office)),
            ("水费、电费、差旅费", "utilities_travel", (p.utilities_travel[1], *c.utilities_travel)),
            ("会议费、培训费", "meetings_training", (p.meetings_training[1], *c.meetings_training)),
            ("政府采购金额", "government_procurement", (p.procurement[1], *c.procurement)),
        ]
        for label, item, amounts in items:
            pv, bv, av = cast(tuple[int | None, int | None, int | None], amounts)
            if (item == "meetings_training" and o.meetings_blank) or (
                item == "government_procurement" and o.procurement_dash
            ):
                money.add(label, "——" if item == "government_procurement" else "", "", "")
                pv = bv = av = None
            else:
                pv = None if prev_blank else pv
                row(label, pv, bv, av)
            exp.amount("fct_spending", fy - 1, pv, item=item)
            exp.amount("fct_budget", fy, bv, item=item, phase="budget")
            exp.amount("fct_spending", fy, av, item=item)
        money.add("部门基本支出预算调整", "——", "", "")

        building = GridTable()
        building.add(
            f"楼堂馆所控制情况\n（{fy}年完工项目）",
            "批复规模\n（㎡）",
            "实际规模（㎡）",
            "规模控制率",
            "预算投资（万元）",
            "实际投资（万元）",
            "投资概算控制率",
        )
        building.add(*[""] * 7)
        thrift = GridTable()
        thrift.add("厉行节约保障措施", Cell("", colspan=6))
        y, m, d = self.sign_date
        return [
            self.rng.choice(["附件1", "附件 1", "附件1-1"]),
            f"{fy}年度部门整体支出绩效评价基础数据表",
            staff,
            money,
            "",
            building,
            thrift,
            "说明：“项目支出”需要填报基本支出以外的所有项目支出情况，“公用经费”填报基本支出中的一般商品和服务支出。",
            f"填表人：{self.rng.choice('张王李赵刘陈杨黄周吴')}{self.rng.choice(['晓明', '丽', '建华', '芳', '志强'])}"
            f"   填报日期：{y}.{m}.{d}   联系电话：0739-{self.rng.randint(1000000, 9999999)}",
        ]

    # ---------------------------------------------------------------- 自评表
    def _indicator_rows(
        self,
    ) -> tuple[list[tuple[str, str, str, str, list[tuple[str, str, str, float, float]]]], float]:
        """Sections as (level1 name, level1 key, level2 name, level2 key, indicators); total score."""
        rng = self.rng
        sections = []
        total = 0.0
        for l1_name, l1_key, points, pool in (
            ("产出指标", "output", 50, OUTPUT_L2),
            ("效益指标", "benefit", 30, BENEFIT_L2),
            ("满意度指标", "satisfaction", 10, SATISFACTION_L2),
        ):
            chosen: list[tuple[str, str, tuple[str, str, str]]] = []
            for l2_name, l2_key, inds in pool:
                k = rng.randint(1, min(2, len(inds))) if l1_key != "satisfaction" else 1
                if l1_key == "benefit" and l2_key in ("ecological", "sustainability") and rng.random() < 0.4:
                    k = 0  # a level-2 row left blank in the template
                chosen.extend((l2_name, l2_key, ind) for ind in rng.sample(inds, k))
            chosen = chosen[: points // 5]
            l1_label = f"{l1_name}（{points}分）" if rng.random() < 0.7 else f"{l1_name}\n({points} 分)"
            weights = [5] * len(chosen)
            for _ in range(points // 5 - len(chosen)):
                weights[rng.randrange(len(chosen))] += 5
            by_l2: dict[tuple[str, str], list] = {}
            for (l2_name, l2_key, (name, target, actual)), w in zip(chosen, weights):
                score = float(w) if rng.random() < 0.75 else float(w - rng.choice([0.5, 1, 2, 3, w * 0.4]))
                score = max(0.0, round(score, 1))
                total += score
                fill = {"staff": str(self.cur.staffing["actual"]), "villages": str(rng.randint(5, 25))}
                by_l2.setdefault((l2_name, l2_key), []).append(
                    (name, target.format(**fill), actual.format(**fill), w, score)
                )
            for l2_name, l2_key, _ in pool:
                sections.append((l1_label, l1_key, l2_name, l2_key, by_l2.get((l2_name, l2_key), [])))
        return sections, total

    def self_eval_table(self) -> tuple[list[Block], float]:
        fy, c, o, a, exp, rng = self.fy, self.cur, self.o, self.a, self.exp, self.rng
        t = GridTable()
        t.add(Cell("预算部门、单位名称", colspan=2), Cell(self.name if rng.random() < 0.6 else self.short, colspan=7))
        fund_rows = [
            ("一般公共预算", "fund_general_public"),
            ("政府性基金拨款", "fund_government_fund"),
            ("纳入专户管理的非税收入拨款", "fund_special_nontax"),
            ("其他资金", "fund_other"),
        ]
        t.add(
            Cell("年度预算申请\n（万元）", rowspan=2 + 1 + len(fund_rows)),
            Cell("", colspan=2),
            "年初预算数",
            "全年预算数",
            "全年执行数",
            "分值",
            "执行率",
            "得分",
        )
        total = c.total + self.parts_delta
        exec_rate = total / c.adjusted_budget
        exec_score = 10.0 if exec_rate >= 0.95 else round(10 * exec_rate, 1)
        if o.total_row_blank:
            t.add(Cell("年度资金总额", colspan=2), "", "", "", "10", "", "")
            exp.absent += [
                {"table": "fct_budget", "fiscal_year": fy, "item": "total", "phase": ph}
                for ph in ("initial_budget", "adjusted_budget")
            ]
            exp.absent.append({"table": "fct_spending", "fiscal_year": fy, "item": "total"})
            exec_score_written: float | None = None
        else:
            t.add(
                Cell("年度资金总额", colspan=2),
                a(c.initial_budget),
                a(c.adjusted_budget),
                a(total),
                "10",
                f"{min(exec_rate, 1):.2%}".replace(".00%", "%"),
                _num(exec_score),
            )
            exp.amount("fct_budget", fy, c.initial_budget, item="total", phase="initial_budget")
            exp.amount("fct_budget", fy, c.adjusted_budget, item="total", phase="adjusted_budget")
            exp.amount("fct_spending", fy, total, item="total")
            exec_score_written = exec_score
        exp.fact(
            "fct_indicator_scores",
            fy,
            indicator_name="年度资金总额",
            level1="budget_execution",
            level2="other",
            weight=10,
            score=exec_score_written,
        )
        t.add(Cell("按收入性质分：", colspan=4), Cell("按支出性质分：", colspan=4))
        right = [f"其中：基本支出：{a(c.basic)}", f"项目支出：{a(c.project_actual)}", "", ""]
        exp.amount("fct_spending", fy, c.basic, item="basic")
        exp.amount("fct_spending", fy, c.project_actual, item="project")
        for (label, item), r_text in zip(fund_rows, right):
            value = c.funds.get(item)
            prefix = "其中：" if item == "fund_general_public" else ""
            t.add(Cell(f"{prefix}{label}：{'' if value is None else a(value)}", colspan=4), Cell(r_text, colspan=4))
            exp.amount("fct_spending", fy, value, item=item)
        t.add(Cell("年度总体目标", rowspan=2), Cell("预期目标", colspan=4), Cell("实际完成情况", colspan=4))
        t.add(
            Cell(
                "1.保证乡镇正常运转，发展乡镇经济；\n2.建设和管理基础设施和公用设施；\n3.改善基本民生，加强社会管理。",
                colspan=4,
            ),
            Cell(
                "1.乡镇正常运转，经济稳步发展；\n2.基础设施和公用设施不断完善；\n3.基本民生改善，社会稳定。", colspan=4
            ),
        )

        sections, ind_total = self._indicator_rows()
        n_rows = sum(max(1, len(inds)) for *_, inds in sections)
        t.add(
            Cell("绩效指标", rowspan=1 + n_rows),
            "一级指标",
            "二级指标",
            "三级指标",
            "年度指标值",
            "实际完成值",
            "分值",
            "得分",
            "偏差原因分析及改进措施",
        )
        l1_rows: dict[str, int] = {}
        for l1_label, *_rest, inds in sections:
            l1_rows[l1_label] = l1_rows.get(l1_label, 0) + max(1, len(inds))
        seen_l1: set[str] = set()
        for l1_label, l1_key, l2_name, l2_key, inds in sections:
            first_l1 = l1_label not in seen_l1
            seen_l1.add(l1_label)
            rows: list[tuple[str, str, str, float, float] | None] = list(inds) or [None]
            for i, ind in enumerate(rows):
                cells: list[str | Cell] = []
                if first_l1 and i == 0:
                    cells.append(Cell(l1_label, rowspan=l1_rows[l1_label]))
                if i == 0:
                    cells.append(Cell(l2_name, rowspan=len(rows)))
                if ind is None:
                    cells += [""] * 6
                else:
                    name, target, actual, w, s = ind
                    note = "" if s == w else rng.choice(["部分工作推进偏慢", "资金拨付进度滞后", "个别指标未达预期"])
                    cells += [name, target, actual, str(w), _num(s), note]
                    exp.fact(
                        "fct_indicator_scores",
                        fy,
                        indicator_name=name,
                        level1=l1_key,
                        level2=l2_key,
                        target_value=target,
                        actual_value=actual,
                        weight=w,
                        score=s,
                    )
                t.rows.append([x if isinstance(x, Cell) else Cell(x) for x in cells])
        self_score = round(ind_total + (exec_score_written or 0.0), 1)
        t.add(Cell("总分", colspan=6), "100", _num(self_score), "")
        exp.header["indicator_total_weight"] = 100
        exp.header["indicator_total_score"] = self_score
        blocks: list[Block] = [self.rng.choice(["附件2", "附件 2", "附件1-2"]), f"{fy}年度部门整体支出绩效自评表", t]
        note = "说明：1.分值设定100分，其中预算执行率10分、产出指标50分、效益指标30分、满意度指标10分。"
        if o.grade_rule_note:
            note += "\n2.综合评价等级分为优秀（大于90分）、良好（80-90分）、较差（60-80分）、差（小于60分）。"
        blocks += note.split("\n")
        return blocks, self_score

    # ---------------------------------------------------------------- prose
    def prose(self, self_score: float) -> list[Block]:
        fy, c, o, a, exp, rng, st = self.fy, self.cur, self.o, self.a, self.exp, self.rng, self.cur.staffing
        pa = (lambda v: fmt_amount(v, "comma")) if rng.random() < 0.05 else a
        out: list[Block] = [
            f"{fy}年度{self.name}",
            "部门整体支出绩效自评报告",
            "一、部门（单位）概况",
            "（一）机构设置情况",
            f"{self.short}内设机构包括：党政综合办公室、社会事务综合服务中心、农业综合服务中心、综合行政执法大队等。",
            "（二）人员编制情况",
            f"{fy}年末，我单位共有编制{st['authorized']}人，其中行政编制{st['authorized_admin']}人，"
            f"事业编制{st['authorized_institution']}人。年末实有在职人员{st['actual']}人，其中行政人员"
            f"{st['actual_admin']}人，事业人员{st['actual_institution']}人；退休人员{st['retired']}人。",
        ]
        for metric in ("authorized_admin", "authorized_institution", "actual_admin", "actual_institution", "retired"):
            exp.fact("fct_staffing", fy, metric=metric, headcount=st[metric])
        total = c.total + self.parts_delta
        unit = "元" if o.slip == "unit" else "万元"
        out += [
            "二、部门整体支出情况",
            f"{fy}年决算支出合计{pa(total)}万元，其中：基本支出{pa(c.basic)}万元，项目支出{pa(c.project_actual)}{unit}。",
            "（一）基本支出情况",
            f"{fy}年基本支出共计{pa(c.basic)}万元，其中人员经费{pa(c.personnel)}万元，"
            f"公用经费{pa(c.public_funds_actual)}万元。",
        ]
        exp.amount("fct_spending", fy, c.personnel, item="personnel")
        if o.total_row_blank:  # the prose states the total the table left blank
            exp.absent = [x for x in exp.absent if not (x["table"] == "fct_spending" and x.get("item") == "total")]
            exp.amount("fct_spending", fy, total, item="total")
        if o.slip == "unit":
            exp.issues.append(
                {"check": "unit_slip", "text": f"项目支出{pa(c.project_actual)}元 written where 万元 is meant"}
            )
        if o.slip == "parts":
            exp.issues.append(
                {
                    "check": "basic_project_sum",
                    "text": f"basic {a(c.basic)} + project {a(c.project_actual)} != total {a(total)}",
                }
            )
            exp.issues.append(
                {"check": "funds_by_source_sum", "text": f"funds by source add up to {a(c.total)}, not {a(total)}"}
            )
        if o.economic_prose:
            e = c.economic
            out.append(
                f"按经济分类，{fy}年决算支出中：工资福利支出{pa(e['wages_welfare'])}万元、商品和服务支出"
                f"{pa(e['goods_services'])}万元、对个人和家庭的补助{pa(e['household_subsidies'])}万元、资本性支出"
                f"{pa(e['capital'])}万元。"
            )
            for item, v in e.items():
                exp.amount("fct_spending", fy, v, item=item, scope="all")
        out += ["（二）项目支出情况", f"{fy}年项目支出主要用于" + "、".join(n for n, _, _ in c.projects[:4]) + "等。"]
        if not o.three_public_blank:
            tb, ta = c.three_public_budget, c.three_public_actual
            out += [
                "（三）“三公”经费情况",
                f"{fy}年“三公”经费预算{pa(tb.get('total'))}万元，实际支出{pa(ta.get('total'))}万元，其中：公务接待费"
                f"{pa(ta.get('reception'))}万元，公务用车购置及运行维护费{pa(ta.get('vehicle_total'))}万元（其中公务用车购置费"
                f"{pa(ta.get('vehicle_purchase'))}万元，公务用车运行维护费{pa(ta.get('vehicle_operation'))}万元），"
                f"因公出国（境）费{pa(ta.get('overseas_travel'))}万元。",
            ]
        out += ["三、部门整体支出绩效情况"] + rng.sample(FILLER, rng.randint(4, len(FILLER)))
        stated = grade_for(self_score)
        if o.slip == "grade":
            stated = rng.choice([g for g in ("优", "良", "中") if g != stated])
            exp.issues.append({"check": "grade_score_mismatch", "text": f"score {_num(self_score)} stated as {stated}"})
        label = rng.choice(GRADE_LABELS[stated])
        if o.grade_stated:
            out.append(
                rng.choice(
                    [
                        f"根据部门整体支出绩效自评评分（详见附件2），得分{_num(self_score)}分，部门整体支出绩效为“{label}”。",
                        f"根据以上预算绩效完成情况，我单位{fy}年预算绩效自评得分{_num(self_score)}分，评定等次：{label}。",
                    ]
                )
            )
            exp.header["grade"] = stated
        else:
            out.append(f"经自评，我单位{fy}年度部门整体支出绩效自评得分{_num(self_score)}分。")
            exp.header["grade"] = None
        exp.header["self_score"] = self_score
        out += ["四、存在的问题及原因分析", rng.choice(PROBLEMS), "五、下一步改进措施", rng.choice(MEASURES)]
        return out

    def compose(self) -> list[Block]:
        tables = self.basic_data_tables()
        self_eval, self_score = self.self_eval_table()
        prose = self.prose(self_score)
        y, m, d = self.sign_date
        signature = ["", self.name, f"{y}年{m}月{d}日"]
        blocks = (
            (tables + [""] + self_eval + [""] + prose + signature)
            if self.o.tables_first
            else (
                prose
                + signature
                + ["", "附件：1.部门整体支出绩效评价基础数据表", "2.部门整体支出绩效自评表", ""]
                + tables
                + [""]
                + self_eval
            )
        )
        return blocks
