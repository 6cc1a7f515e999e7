"""Income by source as columns, one row per unit: only the row of the whole unit is its fact."""

from __future__ import annotations

from jixiao.extract import extract_document
from jixiao.readers.text import read_text

FORM = """南塘县2019-度部门(单位)整体支出绩效评价自评报告
部门(单位)名称 南塘县水利服务中心
| 二、部门(单位)收支情况 | | | | | | |
| 2019-度收入情况(万元) | | | | | | |
| 机构名称 | 收入合计 | 其中: |
| 上-结转 | 公共财政拨款 | 政府基金拨款 | 纳入专户管理的非税收入拨款 | 其他收入 |
| 中心本级及下属单位汇总 | 150.5 | 20.5 | 100 | | | 30 |
| 1、中心本级 | 120 | 20 | 80 | | | 20 |
| 2、下属站 | 30.5 | 0.5 | 20 | | | 10 |
"""


def test_only_the_whole_units_row_of_an_income_by_source_table() -> None:
    result = extract_document(read_text(FORM, "form.txt"))
    got = {
        (f.table, f.fiscal_year, f.key["item"]): (f.values["amount_wan"], f.values["item_label_zh"])
        for f in result.facts
        if f.table in ("fct_spending", "fct_budget")
    }
    assert got == {
        ("fct_spending", 2019, "carryover_in"): (20.5, "上-结转"),
        ("fct_spending", 2019, "fund_general_public"): (100, "公共财政拨款"),
        ("fct_spending", 2019, "fund_other"): (30, "其他收入"),
    }
