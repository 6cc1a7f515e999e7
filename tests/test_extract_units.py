"""Readers and extractors on small hand-made snippets."""

from __future__ import annotations

from jixiao.extract import extract_document
from jixiao.model import Table
from jixiao.readers.text import read_text
from jixiao.text.numbers import is_blank, parse_amount, to_wan

HEAD = "2023年度部门整体支出绩效评价报告\n（某某县某某镇人民政府）\n"


def _facts(text: str, table: str | None = None) -> list[dict]:
    result = extract_document(read_text(HEAD + text, "snippet.txt"))
    rows = [{"table": f.table, "fiscal_year": f.fiscal_year, **f.key, **f.values} for f in result.facts]
    return [r for r in rows if table is None or r["table"] == table]


def test_numbers_full_width_separators_units_and_blanks() -> None:
    assert parse_amount("１，２３４．５").value == 1234.5
    assert parse_amount("1, 234.50万元").value == 1234.5
    assert parse_amount("12 .5").value == 12.5
    assert parse_amount("80%").unit == "%"
    assert to_wan(parse_amount("32,000.00元")) == 3.2
    for blank in ("", "——", "/", "无", " - "):
        assert is_blank(blank) and parse_amount(blank) is None
    assert parse_amount("0").value == 0


def test_prose_only_three_public_statement() -> None:
    rows = _facts("公务接待费支出决算为3.2万元，完成全年预算4万元的80%。\n", "fct_three_public_expenses")
    got = {(r["category"], r["phase"]): r["amount_wan"] for r in rows}
    assert got == {("reception", "actual"): 3.2, ("reception", "budget"): 4.0}


def test_traditional_characters_are_read() -> None:
    text = "2023年度部門整體支出績效評價報告\n（某某縣某某鎮人民政府）\n公務接待費支出決算為3.2萬元。\n"
    result = extract_document(read_text(text, "t.txt"))
    assert result.header.department_name == "某某县某某镇人民政府"
    assert [(f.key["category"], f.values["amount_wan"]) for f in result.facts] == [("reception", 3.2)]


def test_yuan_table_with_commas_is_converted_to_wan() -> None:
    text = (
        "三公经费情况表（单位：元）\n\t项目\n\t2023年预算数\n\t2023年决算数\n\n"
        "\t公务接待费\n\t40,000.00\n\t32,000.00\n\n"
    )
    got = {(r["phase"]): r["amount_wan"] for r in _facts(text, "fct_three_public_expenses")}
    assert got == {"budget": 4.0, "actual": 3.2}


def test_table_with_a_lost_header_row_yields_no_guess() -> None:
    text = "三公经费情况\n\t公务接待费\n\t10\n\t9.99\n\n\t公务用车运行维护费\n\t6\n\t5.43\n\n"
    assert _facts(text, "fct_three_public_expenses") == []


def test_blank_cells_are_no_facts_and_written_zero_is_zero() -> None:
    text = "\t经费控制情况（万元）\n\t2022年决算数\n\t2023年预算数\n\t2023年决算数\n\n\t3、公务接待\n\t\n\t——\n\t0\n\n"
    rows = _facts(text, "fct_three_public_expenses")
    assert [(r["fiscal_year"], r["phase"], r["amount_wan"]) for r in rows] == [(2023, "actual", 0.0)]


def test_tab_reader_rejoins_a_row_cut_by_a_blank_line_in_a_cell() -> None:
    text = (
        "\t一级指标\n\t二级指标\n\t三级指标\n\t分值\n\t得分\n\n"
        "\t产出指标\n\n（50分）\n\t数量指标\n\t工资发放人数\n\t10\n\t9\n\n"
    )
    tables = [b for b in read_text(text, "x").blocks if isinstance(b, Table)]
    assert tables[0].rows[1] == ["产出指标\n（50分）", "数量指标", "工资发放人数", "10", "9"]


def test_indicator_rule_text_in_weight_column_and_points_annotation() -> None:
    text = (
        "\t一级指标\n\t二级指标\n\t三级指标\n\t指标值\n\t实际完成值\n\t分值\n\t得分\n\n"
        "\t产出指标（50分）\n\t数量指标\n\t发放人数\n\t58人\n\t58人\n\t按进度支付，合计20分。\n\t18\n\n"
    )
    rows = _facts(text, "fct_indicator_scores")
    assert rows == [
        {
            **rows[0],
            "indicator_name": "发放人数",
            "level1": "output",
            "level1_points": 50.0,
            "level2": "quantity",
            "weight": 20.0,
            "score": 18.0,
            "target_value": "58人",
        }
    ]


def test_pipe_rows_with_and_without_borders() -> None:
    bordered = read_text("| 项目 | 预算数 |\n| --- | --- |\n| 公务接待费 | 4 |\n| 合计 | 4 |\n", "b")
    plain = read_text(" | 预算数 | 决算数\n公务接待费 | 4 | \n合计 | 4 | 3\n", "p")
    assert [b.rows for b in bordered.tables()] == [[["项目", "预算数"], ["公务接待费", "4"], ["合计", "4"]]]
    assert plain.tables()[0].rows[0] == ["", "预算数", "决算数"]
    assert plain.tables()[0].rows[1] == ["公务接待费", "4", ""]


def test_staffing_from_prose() -> None:
    rows = _facts(
        "2023年末，我部门共有编制58人，其中行政编制22人，事业编制36人。年末实有在职人员57人，退休人员29人。\n",
        "fct_staffing",
    )
    assert {r["metric"]: r["headcount"] for r in rows} == {
        "authorized": 58,
        "authorized_admin": 22,
        "authorized_institution": 36,
        "actual": 57,
        "retired": 29,
    }


def test_report_without_a_year_is_loaded() -> None:
    result = extract_document(read_text("部门整体支出绩效评价报告\n某某镇人民政府\n公务接待费3万元。\n", "n.txt"))
    assert result.status == "loaded"  # the warehouse lists the missing year (int_checks__report_identity)
    assert result.header.fiscal_year is None and [f.fiscal_year for f in result.facts] == [None]


def test_report_without_a_figure_is_quarantined() -> None:
    result = extract_document(read_text("2023年度部门整体支出绩效评价报告\n某某镇人民政府\n工作有序开展。\n", "n.txt"))
    assert result.status == "quarantined"
    assert "no figures" in result.status_reason


def test_last_year_and_this_year_columns() -> None:
    text = "\t经费控制情况（万元）\n\t上年决算数\n\t本年预算数\n\t本年决算数\n\n\t公用经费\n\t80\n\t90\n\t85\n\n"
    rows = _facts(text)
    got = {
        (r["table"], r["fiscal_year"], r.get("phase")): r["amount_wan"] for r in rows if r.get("item") == "public_funds"
    }
    assert got == {
        ("fct_spending", 2022, None): 80.0,
        ("fct_budget", 2023, "budget"): 90.0,
        ("fct_spending", 2023, None): 85.0,
    }


def test_whole_year_budget_and_execution_in_prose() -> None:
    rows = _facts("2023年全年预算数为1234.56万元，全年执行数为1200万元，预算执行率为97.2%。\n")
    got = {(r["table"], r.get("phase")): r["amount_wan"] for r in rows if r.get("item") == "total"}
    assert got == {("fct_budget", "adjusted_budget"): 1234.56, ("fct_spending", None): 1200.0}


def test_signature_with_unit_and_date_on_one_line_and_total_score() -> None:
    text = "经自评，本单位自评总分为91.5分。\n某某县某某镇人民政府    2024年3月15日\n"
    header = extract_document(read_text(HEAD + text, "s.txt")).header
    assert (header.report_date, header.self_score) == ("2024-03-15", 91.5)


def test_a_county_bureau_named_in_the_title() -> None:
    text = "绥宁县财政局2023年度部门整体支出绩效自评报告\n一、部门概况\n2023年决算支出1200万元，其中：基本支出800万元，项目支出400万元。\n"
    result = extract_document(read_text(text, "bureau.txt"))
    h = result.header
    assert (h.department_name, h.province, h.city, h.county, h.township) == (
        "绥宁县财政局",
        "湖南省",
        "邵阳市",
        "绥宁县",
        None,
    )
    assert {f.key["item"]: f.values["amount_wan"] for f in result.facts} == {
        "total": 1200.0,
        "basic": 800.0,
        "project": 400.0,
    }


def test_score_above_weight_and_negative_amounts_are_left_out_with_findings() -> None:
    text = (
        "\t一级指标\n\t二级指标\n\t三级指标\n\t分值\n\t得分\n\n"
        "\t产出指标\n\t数量指标\n\t发放人数\n\t10\n\t12\n\n"
        "\t经费控制情况（万元）\n\t2023年预算数\n\t2023年决算数\n\n\t公用经费\n\t-5\n\t20\n\n"
    )
    result = extract_document(read_text(HEAD + text, "slip.txt"))
    rows = [{**f.key, **f.values} for f in result.facts]
    assert [(r["indicator_name"], r["weight"], r["score"]) for r in rows if "indicator_name" in r] == [
        ("发放人数", 10.0, None)
    ]
    assert [r["amount_wan"] for r in rows if r.get("item") == "public_funds"] == [20.0]
    assert sum(1 for f in result.findings if f.check == "ambiguous_cell") == 2


def test_yuan_written_for_wan_against_a_table_is_a_unit_slip() -> None:
    text = (
        "\t经费控制情况（万元）\n\t2023年预算数\n\t2023年决算数\n\n\t项目支出\n\t1300\n\t1228.47\n\n"
        "2023年项目支出1228.47元。\n"
    )
    result = extract_document(read_text(HEAD + text, "slip.txt"))
    spending = [f.values["amount_wan"] for f in result.facts if f.table == "fct_spending"]
    assert spending == [1228.47]
    assert [f.check for f in result.findings] == ["unit_slip"]


def test_a_space_between_digit_groups_is_a_separator_only_before_three_digits() -> None:
    from jixiao.text.numbers import parse_amount

    assert parse_amount("1 234.5").value == 1234.5
    assert parse_amount("12. 5").value == 12.5
    assert parse_amount("2023 37万") is None  # a decimal point lost (a scan?): not one number
    assert parse_amount("3 6") is None
