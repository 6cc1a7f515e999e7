"""Tables whose rows were lost: one cell per line (web copies, form templates)."""

from __future__ import annotations

from jixiao.extract import extract_document
from jixiao.readers.text import read_text


def _facts(text: str) -> dict[tuple, float]:
    result = extract_document(read_text(text, "fixture.txt"))
    out = {}
    for f in result.facts:
        value = f.values.get("amount_wan", f.values.get("headcount"))
        out[(f.table, f.fiscal_year, *sorted(f.key.items()))] = value
    return out


INCOME_TABLE = """城西街道文化站2022年部门决算

收入支出决算总表

金额单位:万元

收入

支出

项目

行次

金额

项目

行次

金额

栏次

1

栏次

2

一、一般公共预算财政拨款收入

1

212.40

一、一般公共服务支出

31

198.75

二、政府性基金预算财政拨款收入

2

0.00

二、教育支出

32

13.65

三、上级补助收入

3

6.50
"""


def test_interleaved_income_rows_with_row_numbers_are_read_by_label() -> None:
    facts = _facts(INCOME_TABLE)
    assert facts[("fct_spending", 2022, ("item", "fund_general_public"), ("scope", "all"))] == 212.40
    assert facts[("fct_spending", 2022, ("item", "fund_government_fund"), ("scope", "all"))] == 0.0
    assert facts[("fct_spending", 2022, ("item", "fund_higher_level"), ("scope", "all"))] == 6.50
    assert not any(v in (31, 32, 198.75, 1, 2, 3) for k, v in facts.items() if k[0] == "fct_spending")


VANISHED_BLANKS = """东林乡人民政府2021年“三公”经费预算表

项目

预算数(万元)

合计

5.2

因公出国(境)费

0

公务接待费

公务用车购置及运行费

其中:公务用车运行维护费

2.6

公务用车购置
"""


def test_a_label_whose_blank_left_no_line_gets_no_value() -> None:
    facts = _facts(VANISHED_BLANKS)
    assert facts[("fct_three_public_expenses", 2021, ("category", "total"), ("phase", "budget"))] == 5.2
    assert facts[("fct_three_public_expenses", 2021, ("category", "overseas_travel"), ("phase", "budget"))] == 0
    assert facts[("fct_three_public_expenses", 2021, ("category", "vehicle_operation"), ("phase", "budget"))] == 2.6
    for category in ("reception", "vehicle_total", "vehicle_purchase"):
        assert ("fct_three_public_expenses", 2021, ("category", category), ("phase", "budget")) not in facts


TWO_VALUES_EXPECTED = """某县档案馆2020年“三公”经费表

项目

2019年决算数

2020年预算数

合计

3.0

公务接待费

1.2
"""


def test_rows_with_fewer_numbers_than_value_columns_are_left_out() -> None:
    facts = _facts(TWO_VALUES_EXPECTED)
    assert not [k for k in facts if k[0] == "fct_three_public_expenses" and k[2] == ("category", "reception")]


FORM_PAIRS = """北岭镇2023年度部门整体支出绩效评价自评报告

联系人

王某

联络电话

0000-1234567

人员编制

46

实有人数

52
"""


def test_staffing_label_followed_by_a_whole_number() -> None:
    facts = _facts(FORM_PAIRS)
    assert facts[("fct_staffing", 2023, ("metric", "authorized"))] == 46
    assert facts[("fct_staffing", 2023, ("metric", "actual"))] == 52
    assert len([k for k in facts if k[0] == "fct_staffing"]) == 2


FORM_ROW = """| 南湖街道办事处2022年度部门整体支出绩效评价自评报告 |
| 联系人 | 赵某 | 联络电话 | 7654321 |
| 人员编制 | 27 | 实有人数 | 31 |
| 在职人数 | 2022年 | | |
"""


def test_label_value_pairs_of_a_form_row() -> None:
    facts = _facts(FORM_ROW)
    assert {k: v for k, v in facts.items() if k[0] == "fct_staffing"} == {
        ("fct_staffing", 2022, ("metric", "authorized")): 27,
        ("fct_staffing", 2022, ("metric", "actual")): 31,
    }
