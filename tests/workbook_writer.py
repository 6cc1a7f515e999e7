"""A standard 部门预算公开报表 workbook of our own (our names and numbers) and the facts it states.

Every standard sheet: merged title rows, a 单位名称 / 单位：元 line, two-level merged headers,
subject codes written as text, amounts in 元.  :data:`EXPECTED` lists the facts (in 万元)
that extraction must find; they are derived from the same numbers the sheets are written
with, so the two cannot drift apart.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

UNIT = "青石县柳溪镇人民政府"
YEAR = 2025

# funds by source (元)
FUNDS = [
    ("一般公共预算拨款收入", "fund_general_public", 18_841_500.00),
    ("政府性基金预算拨款收入", "fund_government_fund", 3_600_000.00),
    ("国有资本经营预算拨款收入", None, None),
    ("其他收入", "fund_other", 254_800.00),
]
CARRYOVER = 126_300.00
# 一般公共预算支出表 rows: code, name, basic, project (元); totals are sums
FUNCTIONS = [
    ("201", "一般公共服务支出", 9_100_000.00, 1_200_000.00),
    ("20103", "政府办公厅（室）及相关机构事务", 9_100_000.00, 1_200_000.00),
    ("2010301", "行政运行", 9_100_000.00, None),
    ("2010350", "事业运行", None, 1_200_000.00),
    ("213", "农林水支出", 3_241_500.00, 5_300_000.00),
    ("21307", "农村综合改革", 3_241_500.00, 5_300_000.00),
    ("2130705", "对村民委员会和村党支部的补助", 3_241_500.00, 5_300_000.00),
]
GOV_FUND = [("229", "其他支出", 3_600_000.00), ("22960", "彩票公益金安排的支出", 3_600_000.00)]
# 基本支出表 by 经济分类: code, name, personnel, public (元)
ECONOMIC = [
    ("301", "工资福利支出", 9_870_000.00, None),
    ("30101", "基本工资", 4_100_000.00, None),
    ("302", "商品和服务支出", None, 1_860_500.00),
    ("30201", "办公费", None, 420_000.00),
    ("303", "对个人和家庭的补助", 611_000.00, None),
]
THREE_PUBLIC = {
    "total": 185_000.00,
    "overseas_travel": 0.0,
    "vehicle_total": 125_000.00,
    "vehicle_purchase": None,
    "vehicle_operation": 125_000.00,
    "reception": 60_000.00,
}


def _wan(yuan: float) -> float:
    return round(yuan / 10000, 6)


def _functions_total() -> tuple[float, float]:
    basic = sum(b or 0 for c, _, b, _ in FUNCTIONS if len(c) == 3)
    project = sum(p or 0 for c, _, _, p in FUNCTIONS if len(c) == 3)
    return basic, project


def expected_facts() -> list[dict]:
    """The gold facts of the workbook, in the shape of ``tests/gold_compare.flatten``."""
    basic, project = _functions_total()
    gov = GOV_FUND[0][2]
    facts = [
        {
            "table": "fct_budget",
            "fiscal_year": YEAR,
            "item": item,
            "phase": "budget",
            "scope": "all",
            "amount_wan": _wan(v),
        }
        for _, item, v in FUNDS
        if item
    ]
    facts.append(
        {
            "table": "fct_budget",
            "fiscal_year": YEAR,
            "item": "carryover_in",
            "phase": "budget",
            "scope": "all",
            "amount_wan": _wan(CARRYOVER),
        }
    )
    for item, v in (("total", basic + project + gov), ("basic", basic), ("project", project + gov)):
        facts.append(
            {
                "table": "fct_budget",
                "fiscal_year": YEAR,
                "item": item,
                "phase": "budget",
                "scope": "all",
                "amount_wan": _wan(v),
            }
        )
    for code, name, b, p in FUNCTIONS:
        facts.append(
            {
                "table": "fct_budget_by_function",
                "fiscal_year": YEAR,
                "phase": "budget",
                "subject_code": code,
                "subject_name": name,
                "total_wan": _wan((b or 0) + (p or 0)),
                "basic_wan": _wan(b) if b is not None else None,
                "project_wan": _wan(p) if p is not None else None,
            }
        )
    facts.append(
        {
            "table": "fct_budget_by_function",
            "fiscal_year": YEAR,
            "phase": "budget",
            "subject_code": "合计",
            "total_wan": _wan(basic + project),
            "basic_wan": _wan(basic),
            "project_wan": _wan(project),
        }
    )
    items = {"301": "wages_welfare", "302": "goods_services", "303": "household_subsidies"}
    for code, _, pers, pub in ECONOMIC:
        if code in items:
            facts.append(
                {
                    "table": "fct_budget",
                    "fiscal_year": YEAR,
                    "item": items[code],
                    "phase": "budget",
                    "scope": "basic",
                    "amount_wan": _wan((pers or 0) + (pub or 0)),
                }
            )
    personnel = sum(p or 0 for c, _, p, _ in ECONOMIC if len(c) == 3)
    public = sum(p or 0 for c, _, _, p in ECONOMIC if len(c) == 3)
    facts += [
        {
            "table": "fct_budget",
            "fiscal_year": YEAR,
            "item": "personnel",
            "phase": "budget",
            "scope": "all",
            "amount_wan": _wan(personnel),
        },
        {
            "table": "fct_budget",
            "fiscal_year": YEAR,
            "item": "public_funds",
            "phase": "budget",
            "scope": "all",
            "amount_wan": _wan(public),
        },
    ]
    facts += [
        {
            "table": "fct_three_public_expenses",
            "fiscal_year": YEAR,
            "category": cat,
            "phase": "budget",
            "amount_wan": _wan(v),
        }
        for cat, v in THREE_PUBLIC.items()
        if v is not None
    ]
    return facts


def _sheet(book, title: str, headers: list[list[str | None]], rows: list[list], merges: list[str] = ()):
    """A sheet: merged title row, 单位名称/单位 line, header rows (None = merged with the left/above), rows."""
    from openpyxl.styles import Alignment

    ws = book.create_sheet(title[:31])
    width = max(len(h) for h in headers)
    ws.append([title] + [None] * (width - 1))
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.cell(1, 1).alignment = Alignment(horizontal="center")
    ws.append([f"单位名称：{UNIT}"] + [None] * (width - 2) + ["单位：元"])
    for h in headers:
        ws.append(h)
    for ref in merges:
        ws.merge_cells(ref)
    for row in rows:
        ws.append(row)
    for r in range(4, ws.max_row + 1):
        for c in range(1, width + 1):
            if isinstance(ws.cell(r, c).value, float):
                ws.cell(r, c).number_format = "#,##0.00"
    return ws


def write_budget_workbook(path: Path) -> Path:
    """The whole standard package as ``.xlsx``."""
    from openpyxl import Workbook

    basic, project = _functions_total()
    gov = GOV_FUND[0][2]
    book = Workbook()
    book.remove(book.active)
    income = sum(v or 0 for _, _, v in FUNDS)
    fund_rows = [
        [label, v, name, amount]
        for (label, _, v), (name, amount) in zip(
            FUNDS,
            [("一般公共服务支出", 10_300_000.00), ("农林水支出", 8_541_500.00), ("其他支出", 3_600_000.00), ("", None)],
        )
    ]
    _sheet(
        book,
        f"{UNIT}{YEAR}年部门收支总表",
        [["收入", None, "支出", None], ["项目", "预算数", "项目", "预算数"]],
        [
            *fund_rows,
            ["本年收入合计", income, "本年支出合计", basic + project + gov],
            ["上年结转", CARRYOVER, "年末结转和结余", None],
            ["收入总计", income + CARRYOVER, "支出总计", income + CARRYOVER],
        ],
        merges=["A3:B3", "C3:D3"],
    )
    _sheet(
        book,
        f"{YEAR}年部门收入总表",
        [["科目编码", "科目名称", "合计", "一般公共预算拨款收入", "政府性基金预算拨款收入", "其他收入"]],
        [["", "合计", income, FUNDS[0][2], FUNDS[1][2], FUNDS[3][2]]],
    )
    _sheet(
        book,
        f"{YEAR}年部门支出总表",
        [["科目编码", "科目名称", "合计", "基本支出", "项目支出"]],
        [
            ["", "合计", basic + project + gov, basic, project + gov],
            *[[c, n, (b or 0) + (p or 0), b, p] for c, n, b, p in FUNCTIONS if len(c) == 3],
            [GOV_FUND[0][0], GOV_FUND[0][1], gov, None, gov],
        ],
    )
    _sheet(
        book,
        f"{YEAR}年财政拨款收支总表",
        [["收入", None, "支出", None], ["项目", "预算数", "项目", "预算数"]],
        [
            [FUNDS[0][0], FUNDS[0][2], "一般公共服务支出", 10_300_000.00],
            [FUNDS[1][0], FUNDS[1][2], "农林水支出", 8_541_500.00],
        ],
        merges=["A3:B3", "C3:D3"],
    )
    _sheet(
        book,
        f"{YEAR}年一般公共预算支出表",
        [["功能分类科目", None, "合计", "基本支出", "项目支出"], ["科目编码", "科目名称", None, None, None]],
        [
            ["合计", None, basic + project, basic, project],
            *[[c, n, (b or 0) + (p or 0), b, p] for c, n, b, p in FUNCTIONS],
        ],
        merges=["A3:B3", "C3:C4", "D3:D4", "E3:E4", "A5:B5"],
    )
    personnel = sum(p or 0 for c, _, p, _ in ECONOMIC if len(c) == 3)
    public = sum(p or 0 for c, _, _, p in ECONOMIC if len(c) == 3)
    _sheet(
        book,
        f"{YEAR}年一般公共预算基本支出表（按经济分类）",
        [
            ["部门预算支出经济分类科目", None, "合计", "人员经费", "公用经费"],
            ["科目编码", "科目名称", None, None, None],
        ],
        [
            ["合计", None, personnel + public, personnel, public],
            *[[c, n, (p or 0) + (q or 0), p, q] for c, n, p, q in ECONOMIC],
        ],
        merges=["A3:B3", "C3:C4", "D3:D4", "E3:E4", "A5:B5"],
    )
    tp = THREE_PUBLIC
    _sheet(
        book,
        f"{YEAR}年“三公”经费支出表",
        [
            ["合计", "因公出国（境）费", "公务用车购置及运行费", None, None, "公务接待费"],
            [None, None, "小计", "公务用车购置费", "公务用车运行费", None],
        ],
        [
            [
                tp["total"],
                tp["overseas_travel"],
                tp["vehicle_total"],
                tp["vehicle_purchase"],
                tp["vehicle_operation"],
                tp["reception"],
            ]
        ],
        merges=["A3:A4", "B3:B4", "C3:E3", "F3:F4"],
    )
    _sheet(
        book,
        f"{YEAR}年政府性基金预算支出表",
        [["科目编码", "科目名称", "合计", "基本支出", "项目支出"]],
        [["", "合计", gov, None, gov], *[[c, n, v, None, v] for c, n, v in GOV_FUND]],
    )
    book.save(path)
    return path


def convert(path: Path, target: str) -> Path:
    """``path`` converted by LibreOffice to ``target`` (``xls``, ``doc`` …) next to it."""
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation={Path(profile).as_uri()}",
                "--headless",
                "--convert-to",
                target,
                "--outdir",
                str(path.parent),
                str(path),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
    return path.with_suffix(f".{target.split(':')[0]}")
