"""收支总表 with an income group and an expenditure group listing function classes without codes."""

from __future__ import annotations

from jixiao.extract import extract_document
from jixiao.readers.text import read_text

SUMMARY = """2024年河口镇农业服务中心部门预算公开表
财政拨款收支总表
金额单位:万元
| 收入 | 支出 |
| 项目 | 预算数 | 项目 | 合计 | 一般公共预算 | 政府性基金预算 |
| 一、本年收入 | 120.40 | 一、本年支出 | 120.40 | 120.40 | |
| 一般公共预算资金 | 120.40 | 一般公共服务支出 | 80.10 | 80.10 | |
| 政府性基金预算资金 | 外交支出 | | |
| 农林水支出 | 30.30 | 30.30 | |
| 住房保障支出 | 10.00 | 10.00 | |
| 预备费 | | | |
"""


def test_function_classes_of_the_expenditure_group_and_its_total_row() -> None:
    result = extract_document(read_text(SUMMARY, "summary.txt"))
    lines = {
        (f.key["subject_code"], f.key["subject_name"]): f.values["total_wan"]
        for f in result.facts
        if f.table == "fct_budget_by_function"
    }
    assert lines == {
        ("合计", "本年支出"): 120.40,
        (None, "一般公共服务支出"): 80.10,
        (None, "农林水支出"): 30.30,
        (None, "住房保障支出"): 10.00,
    }
    assert {f.key["phase"] for f in result.facts if f.table == "fct_budget_by_function"} == {"budget"}
    budget = {f.key["item"]: f.values["amount_wan"] for f in result.facts if f.table == "fct_budget"}
    assert budget == {"total": 120.40, "fund_general_public": 120.40}
    assert {f.fiscal_year for f in result.facts} == {2024}


ROW_NUMBERED = """某某乡人民政府部门收支总表
预算年度：2025
单位：万元
行次 | 收入项目 | 预算数 | 支出项目 | 预算数 |
1 | 一、一般公共预算拨款收入 | 640.5 | 一、一般公共服务支出 | 402.25 |
2 | 二、政府性基金预算拨款收入 |  | 二、教育支出 |  |
3 | 三、单位资金 |  | 三、农林水支出 | 250.75 |
4 | 本年收入合计 | 640.5 | 本年支出合计 | 653 |
5 | 上年结转结余 | 12.5 | 年终结转结余 |  |
"""


def test_income_and_spending_item_headers_behind_a_row_number_column() -> None:
    result = extract_document(read_text(ROW_NUMBERED, "numbered.txt"))
    lines = {
        (f.key["subject_code"], f.key["subject_name"]): f.values["total_wan"]
        for f in result.facts
        if f.table == "fct_budget_by_function"
    }
    assert lines == {
        (None, "一般公共服务支出"): 402.25,
        (None, "农林水支出"): 250.75,
        ("合计", "本年支出合计"): 653,
    }
