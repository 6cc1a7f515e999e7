"""Internally consistent budget figures for one unit and fiscal year.

Amounts are integers in hundredths of 万元 (so 1234 is 12.34万元) to keep every sum exact.
Figures depend only on ``(seed, unit index, year)``: a 2024 report's 2023 决算数 column holds the
same numbers as the unit's own 2023 report.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

PROJECT_POOL = (
    "美丽乡村建设资金",
    "村级（社区）组织运转经费",
    "信访维稳经费",
    "基层行政单位工作经费",
    "管理经费",
    "公共图书馆、美术馆、文化馆（站）免费开放经费",
    "文化事业和文化产业发展",
    "农村综合改革转移支付公益事业奖补资金",
    "乡村基础设施维护",
    "彩票公益金支持乡村经济发展",
    "农村人居环境整治资金",
    "防汛抗旱专项经费",
    "森林防火专项经费",
    "高标准农田建设配套资金",
    "安全生产专项经费",
    "乡村振兴衔接资金",
    "农村公路养护资金",
    "环境卫生整治经费",
    "退役军人服务保障经费",
    "水利设施维修资金",
)


def _split(rng: random.Random, total: int, parts: int, min_share: float = 0.05) -> list[int]:
    """``total`` split into ``parts`` non-negative integers that add up exactly."""
    if parts == 1:
        return [total]
    weights = [min_share + rng.random() for _ in range(parts)]
    s = sum(weights)
    out = [int(total * w / s) for w in weights]
    out[-1] = total - sum(out[:-1])
    return out


@dataclass
class ThreePublic:
    """三公经费 by category (vehicle_total and total derived so the parts always add up)."""

    parts: dict[str, int]

    def get(self, category: str) -> int:
        if category == "vehicle_total":
            return self.parts["vehicle_purchase"] + self.parts["vehicle_operation"]
        if category == "total":
            return sum(self.parts.values())
        return self.parts[category]


@dataclass
class YearFigures:
    """Everything a report states about one unit-year, all amounts in 0.01万元."""

    three_public_budget: ThreePublic
    three_public_actual: ThreePublic
    projects: list[tuple[str, int, int]]  # name, budget, actual
    public_funds_budget: int
    public_funds_actual: int
    office: tuple[int, int]  # budget, actual
    utilities_travel: tuple[int, int]
    meetings_training: tuple[int, int]
    procurement: tuple[int, int]
    basic: int
    initial_budget: int
    adjusted_budget: int
    funds: dict[str, int]  # fund_* item -> amount, adds up to total
    economic: dict[str, int]  # economic items -> amount, adds up to total
    staffing: dict[str, int] = field(default_factory=dict)

    @property
    def project_budget(self) -> int:
        return sum(b for _, b, _ in self.projects)

    @property
    def project_actual(self) -> int:
        return sum(a for _, _, a in self.projects)

    @property
    def total(self) -> int:
        return self.basic + self.project_actual

    @property
    def personnel(self) -> int:
        return self.basic - self.public_funds_actual


def _three_public(rng: random.Random, scale: int) -> ThreePublic:
    """三公 amounts for a unit of size ``scale`` (1 = a small township)."""
    parts = {
        "vehicle_purchase": rng.choice([0, 0, 0, rng.randint(8, 25) * 100]),
        "vehicle_operation": rng.randint(0, 800 * scale),
        "overseas_travel": 0 if rng.random() < 0.9 else rng.randint(50, 600),
        "reception": rng.randint(0, 1000 * scale),
    }
    return ThreePublic(parts)


def year_figures(seed: int, unit_index: int, year: int, town: str) -> YearFigures:
    """The figures of unit ``unit_index`` in ``year`` (deterministic)."""
    rng = random.Random(f"fig:{seed}:{unit_index}:{year}")
    size = rng.choice([1, 1, 2, 3, 5])  # small townships dominate
    scale = 100 * size
    n_projects = rng.randint(1, 9)
    names = rng.sample(PROJECT_POOL, n_projects)
    names = [f"{town}{n}" if n.endswith(("维稳经费", "维护")) and rng.random() < 0.7 else n for n in names]
    projects = []
    for name in names:
        actual = rng.randint(1, 400) * rng.choice([100, 100, 25, 1])
        budget = actual if rng.random() < 0.6 else max(0, actual + rng.randint(-actual // 3, actual // 4))
        projects.append((name, budget, actual))
    public_actual = rng.randint(60, 400) * scale // 2 + rng.randint(0, 99)
    public_budget = public_actual + rng.randint(-public_actual // 5, public_actual // 5)
    office = (public_budget * rng.randint(10, 35) // 100, public_actual * rng.randint(10, 35) // 100)
    utilities = (public_budget * rng.randint(3, 10) // 100, public_actual * rng.randint(3, 10) // 100)
    meetings = (public_budget * rng.randint(1, 6) // 100, public_actual * rng.randint(1, 6) // 100)
    procurement = (rng.randint(0, public_budget // 3), rng.randint(0, public_actual // 3))
    personnel = rng.randint(300, 1500) * scale + rng.randint(0, 99)
    basic = personnel + public_actual
    project_actual = sum(a for _, _, a in projects)
    total = basic + project_actual
    adjusted = total + (0 if rng.random() < 0.5 else rng.randint(0, total // 20))
    initial = adjusted * rng.randint(45, 95) // 100
    fund_names = ["fund_general_public", "fund_government_fund", "fund_special_nontax", "fund_other"]
    shares = _split(rng, total - total * 6 // 10, 4)
    funds = dict(zip(fund_names, shares))
    funds["fund_general_public"] += total * 6 // 10
    if rng.random() < 0.4:
        funds["fund_general_public"] += funds.pop("fund_special_nontax")
    economic = dict(
        zip(["wages_welfare", "goods_services", "household_subsidies", "capital"], _split(rng, total, 4, 0.2))
    )
    auth_admin, auth_inst = rng.randint(10, 60), rng.randint(10, 90)
    act_admin = max(1, auth_admin + rng.randint(-5, 3))
    act_inst = max(1, auth_inst + rng.randint(-10, 3))
    staffing = {
        "authorized": auth_admin + auth_inst,
        "authorized_admin": auth_admin,
        "authorized_institution": auth_inst,
        "actual": act_admin + act_inst,
        "actual_admin": act_admin,
        "actual_institution": act_inst,
        "retired": rng.randint(5, 120),
    }
    return YearFigures(
        three_public_budget=_three_public(rng, size),
        three_public_actual=_three_public(rng, size),
        projects=projects,
        public_funds_budget=public_budget,
        public_funds_actual=public_actual,
        office=office,
        utilities_travel=utilities,
        meetings_training=meetings,
        procurement=procurement,
        basic=basic,
        initial_budget=initial,
        adjusted_budget=adjusted,
        funds=funds,
        economic=economic,
        staffing=staffing,
    )
