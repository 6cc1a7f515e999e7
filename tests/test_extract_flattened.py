"""Tables flattened into running text with single spaces (forum and mirror copies)."""

from __future__ import annotations

from jixiao.extract import extract_document
from jixiao.readers.text import read_text

FLAT = """2020年度部门整体支出绩效评价基础数据表 填报单位:青溪镇人民政府 单位:万元 财政供养人员情况 编制数 2020年实际在职人数 控制率

52 50 96.

15% 经费控制情况 2019年决算数 2020年预算数 2020年决算数 三公经费 8.10 9.00 7.40

1、公务用车购置和维护经费 5.00 6.00 4.90 其中:公车购置 3.00 3.00 公车运行维护 5.00

6.00 4.90

2、出国经费

3、公务接待 3.10

3.00 2.50 办公经费 4.20 4.00. 4.60 部门整体支出预算调整 620.5 655.0 部门整体支出绩效评价指标表 一级指标 得分 二级指标
"""


def test_rows_with_one_number_per_column_are_read_across_breaks() -> None:
    result = extract_document(read_text(FLAT, "flat.txt"))
    got = {
        (f.table, f.fiscal_year, tuple(sorted(f.key.items()))): f.values.get("amount_wan", f.values.get("headcount"))
        for f in result.facts
    }
    tp = {
        (y, dict(k)["category"], dict(k)["phase"]): v
        for (t, y, k), v in got.items()
        if t == "fct_three_public_expenses"
    }
    assert tp == {
        (2019, "total", "actual"): 8.10,
        (2020, "total", "budget"): 9.00,
        (2020, "total", "actual"): 7.40,
        (2019, "vehicle_total", "actual"): 5.00,
        (2020, "vehicle_total", "budget"): 6.00,
        (2020, "vehicle_total", "actual"): 4.90,
        (2019, "vehicle_operation", "actual"): 5.00,
        (2020, "vehicle_operation", "budget"): 6.00,
        (2020, "vehicle_operation", "actual"): 4.90,
        (2019, "reception", "actual"): 3.10,
        (2020, "reception", "budget"): 3.00,
        (2020, "reception", "actual"): 2.50,
    }  # 公车购置 has two numbers for three columns: left out; 出国经费 has none
    staffing = {dict(k)["metric"]: v for (t, y, k), v in got.items() if t == "fct_staffing"}
    assert staffing == {"authorized": 52, "actual": 50}
    office = {(t, y): v for (t, y, k), v in got.items() if dict(k).get("item") == "office"}
    assert office == {("fct_spending", 2019): 4.20, ("fct_budget", 2020): 4.00, ("fct_spending", 2020): 4.60}
    assert not [k for k in got if dict(k[2]).get("item") == "total"]  # 预算调整 row: two numbers only
