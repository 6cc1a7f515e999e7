"""Space-aligned tables (one space between cells, a space for an empty cell) and mirror repairs."""
from __future__ import annotations

from jixiao.extract import extract_document
from jixiao.model import Table
from jixiao.readers.normalize import restore_year_character, strip_pinyin_glosses
from jixiao.readers.spaced import decode_row
from jixiao.readers.text import read_text


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
    facts = {(f.fiscal_year, f.key["category"], f.key["phase"]): f.values["amount_wan"]
             for f in extract_document(doc).facts if f.table == "fct_three_public_expenses"}
    assert facts == {(2019, "total", "budget"): 8.6, (2019, "reception", "budget"): 3.6,
                     (2019, "vehicle_total", "budget"): 5.0, (2019, "vehicle_operation", "budget"): 5.0}


FUND_COLUMNS = """南岭县文化馆2018年度“三公”经费预算表
单位:万元
项目 2018年预算数合计 公共财政预算拨款 政府性基金预算拨款
一、支出合计 6.5 0 0
1、因公出国(境)费用 0    
2、公务接待费 2.5    
3、公务用车费 4 0 0
"""


def test_columns_of_parts_by_source_beside_a_total_are_not_read_as_the_amount() -> None:
    facts = {f.key["category"]: f.values["amount_wan"] for f in extract_document(read_text(FUND_COLUMNS, "f.txt")).facts
             if f.table == "fct_three_public_expenses"}
    assert facts == {"total": 6.5, "overseas_travel": 0, "reception": 2.5, "vehicle_total": 4}


def test_year_character_printed_as_a_dash_is_restored_but_dates_are_kept() -> None:
    text = "某局2020-度部门预算 本-决算数 发布时间:2020-03-05 统计2018-2019年"
    assert restore_year_character(text) == "某局2020年度部门预算 本年决算数 发布时间:2020-03-05 统计2018-2019年"
    assert restore_year_character("发布时间:2020-03-05 本-决算数") == "发布时间:2020-03-05 本-决算数"


def test_pinyin_glosses_are_removed_but_other_brackets_stay() -> None:
    assert strip_pinyin_glosses("项(xiàng)目支出绩(jì)效") == "项目支出绩效"
    assert strip_pinyin_glosses("年初预算数(A) 长度(cm)") == "年初预算数(A) 长度(cm)"
