"""Tables copied one cell per line whose blank cells are only longer blank runs (jixiao.extract.cell_slots)."""

from __future__ import annotations

from jixiao.extract import extract_document
from jixiao.readers.text import read_text


def _cells(*cells: str, per_empty: int = 1) -> str:
    """One cell per line, a blank line after each; a blank cell ("") adds ``per_empty`` blank lines."""
    out: list[str] = []
    for cell in cells:
        if cell:
            out += [cell, ""]
        else:
            out += [""] * per_empty
    return "\n".join(out) + "\n"


def _rows(text: str) -> dict[tuple, float]:
    result = extract_document(read_text(text, "slots.txt"))
    out = {}
    for f in result.facts:
        key = tuple(v for k, v in sorted(f.key.items()) if k != "scope")
        value = f.values.get("amount_wan", f.values.get("total_wan", f.values.get("headcount")))
        out[(f.table, f.fiscal_year, *key)] = value
        assert f.prov.text and (f.prov.span is not None or f.prov.row is not None)
    return out


THREE_PUBLIC = (
    "项目", "2021年决算数", "2022年预算数", "2022年决算数",
    "三公经费合计", "6.5", "8", "5.2",
    "1、公务接待费", "", "3", "2.1",
    "2、公务用车购置及运行维护费", "6.5", "5", "3.1",
    "其中：公务用车购置费", "", "", "",
    "公务用车运行维护费", "6.5", "5", "3.1",
)  # fmt: skip


def test_three_columns_with_blank_cells_as_one_blank_line_each() -> None:
    text = "某某乡人民政府2022年度部门整体支出绩效评价基础数据表\n单位：万元\n" + _cells(*THREE_PUBLIC, per_empty=1)
    rows = {k: v for k, v in _rows(text).items() if k[0] == "fct_three_public_expenses"}
    assert rows == {
        ("fct_three_public_expenses", 2021, "total", "actual"): 6.5,
        ("fct_three_public_expenses", 2022, "total", "budget"): 8.0,
        ("fct_three_public_expenses", 2022, "total", "actual"): 5.2,
        ("fct_three_public_expenses", 2022, "reception", "budget"): 3.0,
        ("fct_three_public_expenses", 2022, "reception", "actual"): 2.1,
        ("fct_three_public_expenses", 2021, "vehicle_total", "actual"): 6.5,
        ("fct_three_public_expenses", 2022, "vehicle_total", "budget"): 5.0,
        ("fct_three_public_expenses", 2022, "vehicle_total", "actual"): 3.1,
        ("fct_three_public_expenses", 2021, "vehicle_operation", "actual"): 6.5,
        ("fct_three_public_expenses", 2022, "vehicle_operation", "budget"): 5.0,
        ("fct_three_public_expenses", 2022, "vehicle_operation", "actual"): 3.1,
    }


def test_blank_cells_as_two_blank_lines_each_read_the_same() -> None:
    one = "某某乡人民政府2022年度部门整体支出绩效评价基础数据表\n单位：万元\n" + _cells(*THREE_PUBLIC, per_empty=1)
    two = "某某乡人民政府2022年度部门整体支出绩效评价基础数据表\n单位：万元\n" + _cells(*THREE_PUBLIC, per_empty=2)
    assert _rows(two) == _rows(one)


def test_income_and_spending_side_by_side_with_row_numbers() -> None:
    cells = (
        "行次", "收入项目", "预算数", "支出项目", "预算数",
        "1", "一、一般公共预算拨款收入", "420.5", "一、一般公共服务支出", "300.25",
        "2", "二、政府性基金预算拨款收入", "", "二、农林水支出", "120.25",
        "3", "本年收入合计", "420.5", "本年支出合计", "420.5",
    )  # fmt: skip
    text = "某某县某某站2023年部门收支总表\n\n单位：万元\n\n" + _cells(*cells, per_empty=2)
    rows = _rows(text)
    assert rows[("fct_budget_by_function", 2023, "budget", None, "一般公共服务支出")] == 300.25
    assert rows[("fct_budget_by_function", 2023, "budget", None, "农林水支出")] == 120.25
    assert rows[("fct_budget", 2023, "fund_general_public", "budget")] == 420.5
    assert not any("政府性基金" in str(k) for k in rows)


def test_a_blank_run_that_fits_no_cell_count_ends_the_table() -> None:
    # header cells are parted by 2 blank lines: a run of 3 is neither 2 + 2k nor 2 + 3k
    text = (
        "某某乡人民政府2022年三公经费情况表\n单位：万元\n"
        "项目\n\n\n2021年决算数\n\n\n2022年预算数\n\n\n"
        "公务接待费\n\n\n\n3\n\n\n"
        "公务用车运行维护费\n\n\n4\n\n\n5\n"
    )
    rows = _rows(text)
    assert not any("reception" in k for k in rows)  # 3 lies in the 2021 or the 2022 column: left out
    # a row with a number in every value column needs no blank count (read by jixiao.extract.cell_stream)
    assert rows[("fct_three_public_expenses", 2022, "vehicle_operation", "budget")] == 5.0


BASIC_DATA_FORM = (
    "财政供养人员情况（人）", "编制数", "2022年实际在职人数", "控制率",
    "", "28", "31", "110.71%",
    "经费控制情况（万元）", "2021年决算数", "2022年预算数", "2022年决算数",
    "三公经费：", "3.5", "4", "2.8",
    "1、公务用车购置和维护经费", "2", "2", "1.5",
    "其中：公车购置", "0", "0", "0",
    "公车运行维护", "2", "2", "1.5",
    "2、出国经费", "0", "0", "0",
    "3、公务接待", "1.5", "2", "1.3",
    "项目支出：", "210.4", "150", "260.75",
    "1、业务工作经费", "", "", "",
    "公用经费", "40.2", "35", "44.1",
    "其中：办公经费", "12", "", "13.6",
    "水费、电费、差旅费", "", "6", "4.9",
    "政府采购金额", "", "", "",
)  # fmt: skip


def test_a_basic_data_form_with_a_headcount_row_and_money_rows() -> None:
    head = "某某县某某镇人民政府2022年度部门整体支出绩效评价基础数据表\n\n"
    for per_empty in (1, 2):
        rows = _rows(head + _cells(*BASIC_DATA_FORM, per_empty=per_empty))
        assert rows[("fct_staffing", 2022, "authorized")] == 28
        assert rows[("fct_staffing", 2022, "actual")] == 31
        assert rows[("fct_three_public_expenses", 2021, "reception", "actual")] == 1.5
        assert rows[("fct_three_public_expenses", 2022, "vehicle_purchase", "budget")] == 0
        assert rows[("fct_spending", 2022, "project")] == 260.75
        assert rows[("fct_budget", 2022, "project", "budget")] == 150
        assert rows[("fct_spending", 2021, "office")] == 12
        assert ("fct_budget", 2022, "office", "budget") not in rows
        assert ("fct_spending", 2021, "utilities_travel") not in rows
        assert rows[("fct_budget", 2022, "utilities_travel", "budget")] == 6
        assert len([k for k in rows if k[0] == "fct_three_public_expenses"]) == 18
