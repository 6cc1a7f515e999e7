"""Space-aligned tables (one space between cells, a space for an empty cell) and mirror repairs."""

from __future__ import annotations

from jixiao.extract import extract_document
from jixiao.model import Table
from jixiao.readers.spaced import decode_row
from jixiao.readers.text import read_text
from jixiao.text.normalize import restore_year_character, strip_pinyin_glosses


def test_decode_row_reads_blank_cells_from_runs_of_spaces() -> None:
    assert decode_row("一、支出合计   4200") == ["一、支出合计", "", "4200"]
    assert decode_row("1、因公出国(境)费用    ") == ["1、因公出国(境)费用", "", ""]
    assert decode_row("  2、公务接待费 1.5 0 0") == ["2、公务接待费", "1.5", "0", "0"]


def test_decode_row_refuses_spacing_that_does_not_decode() -> None:
    assert decode_row("一、支出合计  4200") is None  # two spaces: neither one cell gap nor a blank cell
    assert decode_row("说明 三公经费比上年减少") is None  # text, not values
    assert decode_row("42 17") is None  # no label


SPACED_TABLE = """西山县水务局2019年度部门“三公”经费预算情况表
    单位:元
项目 2018-执行数 2019-预算数
一、支出合计   86000
1、因公出国(境)费用    
2、公务接待费   36000
3、公务用车费   50000
其中:(1)公务用车运行维护费   50000
(2)公务用车购置    
二、相关统计数    
1.公务接待批次(批)   12
备注:三公经费包括因公出国(境)费、公务用车购置及运行费和公务接待费。
"""


def test_space_aligned_three_public_table_in_yuan() -> None:
    doc = read_text(SPACED_TABLE, "s.txt")
    tables = [b for b in doc.blocks if isinstance(b, Table)]
    assert len(tables) == 1 and tables[0].rows[0] == ["项目", "2018年执行数", "2019年预算数"]
    facts = {
        (f.fiscal_year, f.key["category"], f.key["phase"]): f.values["amount_wan"]
        for f in extract_document(doc).facts
        if f.table == "fct_three_public_expenses"
    }
    assert facts == {
        (2019, "total", "budget"): 8.6,
        (2019, "reception", "budget"): 3.6,
        (2019, "vehicle_total", "budget"): 5.0,
        (2019, "vehicle_operation", "budget"): 5.0,
    }


FUND_COLUMNS = """南岭县文化馆2018年度“三公”经费预算表
单位:万元
项目 2018年预算数合计 公共财政预算拨款 政府性基金预算拨款
一、支出合计 6.5 0 0
1、因公出国(境)费用 0    
2、公务接待费 2.5    
3、公务用车费 4 0 0
"""


def test_columns_of_parts_by_source_beside_a_total_are_not_read_as_the_amount() -> None:
    facts = {
        f.key["category"]: f.values["amount_wan"]
        for f in extract_document(read_text(FUND_COLUMNS, "f.txt")).facts
        if f.table == "fct_three_public_expenses"
    }
    assert facts == {"total": 6.5, "overseas_travel": 0, "reception": 2.5, "vehicle_total": 4}


def test_year_character_printed_as_a_dash_is_restored_but_dates_are_kept() -> None:
    text = "某局2020-度部门预算 本-决算数 发布时间:2020-03-05 统计2018-2019年"
    assert restore_year_character(text) == "某局2020年度部门预算 本-决算数 发布时间:2020-03-05 统计2018-2019年"
    assert restore_year_character("发布时间:2020-03-05 本-决算数") == "发布时间:2020-03-05 本-决算数"


def test_pinyin_glosses_are_removed_but_other_brackets_stay() -> None:
    assert strip_pinyin_glosses("项(xiàng)目支出绩(jì)效") == "项目支出绩效"
    assert strip_pinyin_glosses("年初预算数(A) 长度(cm)") == "年初预算数(A) 长度(cm)"


ROWS_PER_LINE = """项目支出绩效自评表
    (2023年度)
    项目名称 河道保洁经费
    年初预算数 全年预算数(A) 全年执行数(B) 分值 执行率(B/A) 得分
    年度资金总额: 60 58 55 10 94.8% 9
     其中:本年财政拨款 60 58 55 - -
        上年结转资金 - -
    年度绩效指标完成情况
    二级指标 三级指标 年度指标值 实际完成值 分值 得分 偏差原因分析及改进措施
    数量指标 指标1:保洁河段 12公里 12公里 30 30
    指标2:
    ……
    时效指标 指标1:资金支付完成率 100% 95% 20 18
    总分 100 97
"""


def test_rows_flattened_one_per_line_become_tables() -> None:
    tables = [b for b in read_text(ROWS_PER_LINE, "rows.txt").blocks if isinstance(b, Table)]
    assert [t.rows[:2] for t in tables] == [
        [
            ["", "年初预算数", "全年预算数(A)", "全年执行数(B)", "分值", "执行率(B/A)", "得分"],
            ["年度资金总额:", "60", "58", "55", "10", "94.8%", "9"],
        ],
        [
            ["二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"],
            ["数量指标", "指标1:保洁河段", "12公里", "12公里", "30", "30"],
        ],
    ]
    assert tables[1].rows[2:] == [
        ["时效指标", "指标1:资金支付完成率", "100%", "95%", "20", "18"],
        ["总分", "100", "97"],
    ]


CELL_LINES = """2025年部门预算公开表
东坡镇农业服务中心 |
单位:万元 | ||
序号 |
收入 |
支出 | ||
项 目 |
预算数 |
项 目 |
预算数 | |
栏次 |
1 |
2 |
3 |
4 |
1 |
一、一般公共预算拨款收入 |
88.10 |
一、一般公共服务支出 |
80.00 |
2 |
二、政府性基金预算拨款收入 |
|
二、农林水支出 |
8.10 |
3 |
本年收入合计 |
88.10 |
本年支出合计 |
88.10 |
4 |
上年结转结余 |
"""


def test_one_cell_per_line_cut_into_rows_by_the_column_number_row() -> None:
    tables = [b for b in read_text(CELL_LINES, "cells.txt").blocks if isinstance(b, Table)]
    assert tables[0].rows[3:] == [
        ["栏次", "1", "2", "3", "4"],
        ["1", "一、一般公共预算拨款收入", "88.10", "一、一般公共服务支出", "80.00"],
        ["2", "二、政府性基金预算拨款收入", "", "二、农林水支出", "8.10"],
        ["3", "本年收入合计", "88.10", "本年支出合计", "88.10"],
    ]  # the cut row is dropped
    facts = {
        (f.table, f.key.get("item") or f.key.get("subject_name")): f.values.get("amount_wan", f.values.get("total_wan"))
        for f in extract_document(read_text(CELL_LINES, "cells.txt")).facts
    }
    assert facts[("fct_budget", "fund_general_public")] == 88.10
    assert facts[("fct_budget", "total")] == 88.10
    assert facts[("fct_budget_by_function", "农林水支出")] == 8.10
    assert ("fct_budget", "fund_government_fund") not in facts
