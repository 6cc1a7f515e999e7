"""Facts stated in prose, on hand-made passages (own wording and numbers) for each family of wordings
met in real budget, final-accounts, 三公 and self-evaluation pages."""

from __future__ import annotations

from jixiao.extract import extract_document
from jixiao.readers.text import read_text

BUDGET_HEAD = "某某县某某镇人民政府2025年度部门预算情况说明\n一、部门基本情况\n"
ACTUAL_HEAD = "某某县某某镇人民政府2024年度部门决算情况说明\n一、部门基本情况\n"


def _rows(text: str, table: str | None = None) -> list[dict]:
    result = extract_document(read_text(text, "prose.txt"))
    rows = [{"table": f.table, "fiscal_year": f.fiscal_year, **f.key, **f.values} for f in result.facts]
    return [r for r in rows if table is None or r["table"] == table]


def _rows_of(rows: list[dict], table: str) -> list[dict]:
    return [r for r in rows if r["table"] == table]


def _money(rows: list[dict]) -> dict:
    return {(r["table"], r["item"], r.get("phase"), r.get("scope")): r["amount_wan"] for r in rows if "item" in r}


# --- staffing --------------------------------------------------------------------------------------


def test_staffing_breakdown_and_serving_staff_in_one_sentence() -> None:
    rows = _rows(
        BUDGET_HEAD + "二、人员情况\n全镇核定编制总数47人，其中：行政编制30名，事业编制17名；"
        "实有人数45人，其中在职人员43人，退休人员21人，离休人员1人。\n",
        "fct_staffing",
    )
    assert {r["metric"]: r["headcount"] for r in rows} == {
        "authorized": 47,
        "authorized_admin": 30,
        "authorized_institution": 17,
        "actual": 43,
        "retired": 21,
    }


def test_establishment_split_by_kind_in_brackets_and_sub_counts_left_out() -> None:
    rows = _rows(
        ACTUAL_HEAD
        + "2024年核定编制数58人（行政编制21人，事业编制37人）；在职人员55人（含工勤人员3人），退休人员9人。\n",
        "fct_staffing",
    )
    assert {r["metric"]: r["headcount"] for r in rows} == {
        "authorized": 58,
        "authorized_admin": 21,
        "authorized_institution": 37,
        "actual": 55,
        "retired": 9,
    }


def test_initial_budget_spending_total_with_its_classes() -> None:
    text = BUDGET_HEAD + "2025年年初预算支出合计420.5万元。其中：农林水支出300.25万元，教育支出120.25万元。\n"
    assert _money(_rows(text, "fct_budget")) == {("fct_budget", "total", "initial_budget", "all"): 420.5}


def test_staff_outside_the_establishment_and_counts_without_a_metric() -> None:
    rows = _rows(
        BUDGET_HEAD + "行政编制9人（含工勤人员2人），在职人员8人，其他人员3人，公益性岗位人员6人，"
        "人事派遣人员4人，外聘临时工人数5人，遗属2人，内设机构数4个。\n",
        "fct_staffing",
    )
    got = {r["metric"]: r["headcount"] for r in rows}
    assert got["authorized_admin"] == 9 and got["actual"] == 8
    assert [r["headcount"] for r in rows if r["metric"] == "unauthorized"] == []  # two kinds, no stated whole
    assert not {"authorized", "retired"} & set(got)
    assert 2 not in got.values() and 6 not in got.values() and 3 not in got.values()


def test_headcount_dated_at_the_prior_year_end_belongs_to_that_year() -> None:
    rows = _rows(
        BUDGET_HEAD + "2025年本单位共有事业编制16个，截至2024年末实有在职人员15人，其中行政3人，事业12人，退休7人。\n",
        "fct_staffing",
    )
    got = {(r["metric"], r["fiscal_year"]): r["headcount"] for r in rows}
    assert got == {
        ("authorized_institution", 2025): 16,
        ("actual", 2024): 15,
        ("actual_admin", 2024): 3,
        ("actual_institution", 2024): 12,
        ("retired", 2024): 7,
    }


def test_serving_count_per_category_and_template_counts_without_unit() -> None:
    rows = _rows(ACTUAL_HEAD + "行政编制5人，实有人数4人；事业编制20人，实有人数18人。\n", "fct_staffing")
    assert {r["metric"]: r["headcount"] for r in rows} == {
        "authorized_admin": 5,
        "actual_admin": 4,
        "authorized_institution": 20,
        "actual_institution": 18,
    }
    rows = _rows(
        BUDGET_HEAD + "人员情况：编制人数33，其中：行政编制人数12、全额补助事业编制人数21。"
        "实有人数30，其中：在职人数29；退休人数8。\n",
        "fct_staffing",
    )
    assert {r["metric"]: r["headcount"] for r in rows} == {
        "authorized": 33,
        "authorized_admin": 12,
        "actual": 29,
        "retired": 8,
    }


# --- budget and spending -------------------------------------------------------------------------


def test_income_and_spending_headings_of_a_budget_statement() -> None:
    text = (
        BUDGET_HEAD + "二、收支总体情况\n（一）收入预算\n2025年年初预算数812.40万元，其中：一般公共预算拨款800.40万元，"
        "政府性基金预算拨款12万元，国有资本经营预算收入0万元，事业收入0万元，其他收入0万元。\n"
        "（二）支出预算\n2025年年初预算数812.40万元，其中：一般公共服务支出预算401.20万元，农林水支出预算90.00万元。"
        "支出较2024年增加35.50万元。\n"
    )
    rows = _rows(text)
    assert _money(rows) == {
        ("fct_budget", "total", "initial_budget", "all"): 812.4,
        ("fct_budget", "fund_general_public", "initial_budget", "all"): 800.4,
        ("fct_budget", "fund_government_fund", "initial_budget", "all"): 12.0,
        ("fct_budget", "fund_state_capital", "initial_budget", "all"): 0.0,
        ("fct_budget", "fund_other", "initial_budget", "all"): 0.0,
    }
    functions = {
        (r["subject_name"], r["phase"], r["subject_code"]): r["total_wan"]
        for r in rows
        if r["table"] == "fct_budget_by_function"
    }
    assert functions == {
        ("一般公共服务支出", "initial_budget", None): 401.2,
        ("农林水支出", "initial_budget", None): 90.0,
    }


def test_an_income_total_alone_and_all_appropriations_are_no_facts() -> None:
    rows = _rows(BUDGET_HEAD + "（一）收入预算\n2025年年初预算数300.5万元，其中：财政拨款收入300.5万元。\n")
    assert _money(rows) == {}


def test_budget_letter_breaks_basic_spending_down_over_numbered_lines() -> None:
    text = (
        "某某县2025年某某镇人民政府部门预算的批复\n一、收入预算95.5万元，其中：一般公共预算拨款90万元，财政专户拨款5.5万元。\n"
        "二、支出预算95.5万元\n1基本支出95.5万元，占预算拨款支出的100%\n1)工资福利支出60.25万元。其中基本工资30万元。\n"
        "2)一般商品和服务支出35.25万元。\n2、项目支出0万元\n"
    )
    assert _money(_rows(text)) == {
        ("fct_budget", "fund_general_public", "budget", "all"): 90.0,
        ("fct_budget", "fund_special_nontax", "budget", "all"): 5.5,
        ("fct_budget", "total", "budget", "all"): 95.5,
        ("fct_budget", "basic", "budget", "all"): 95.5,
        ("fct_budget", "wages_welfare", "budget", "basic"): 60.25,
        ("fct_budget", "goods_services", "budget", "basic"): 35.25,
        ("fct_budget", "project", "budget", "all"): 0.0,
    }


def test_final_accounts_spending_carry_overs_and_no_differences() -> None:
    text = (
        ACTUAL_HEAD + "一、收入支出决算总体情况说明\n2024年度收入总计520.3万元，其中：本年收入合计500.3万元，"
        "年初结转和结余20.0万元。\n2024年度支出总计520.3万元，其中：本年支出合计510.1万元，年末结转和结余10.2万元。"
        "与上年相比，增加40.6万元。\n"
    )
    assert _money(_rows(text)) == {
        ("fct_spending", "carryover_in", None, "all"): 20.0,
        ("fct_spending", "total", None, "all"): 510.1,
        ("fct_spending", "carryover_out", None, "all"): 10.2,
    }


def test_a_part_named_after_its_phase_scopes_its_breakdown() -> None:
    text = (
        ACTUAL_HEAD + "二、支出情况\n2024年决算基本支出86.4万元，其中：工资福利支出60.1万元、商品和服务支出26.3万元。"
        "2024年决算项目支出为31.5万元，其中：商品和服务支出12.5万元、其他资本性支出19万元。\n"
    )
    assert _money(_rows(text)) == {
        ("fct_spending", "basic", None, "all"): 86.4,
        ("fct_spending", "wages_welfare", None, "basic"): 60.1,
        ("fct_spending", "goods_services", None, "basic"): 26.3,
        ("fct_spending", "project", None, "all"): 31.5,
        ("fct_spending", "goods_services", None, "project"): 12.5,
        ("fct_spending", "capital", None, "project"): 19.0,
    }


def test_evaluation_report_spending_and_project_lines() -> None:
    text = (
        "某某县某某局2024年度部门整体支出绩效评价报告\n2024年部门决算收支完成情况。\n1、收入：300万元。同比增加20万元。"
        "其中：财政拨款收入300万元。\n2、支出：310万元。其中：人员经费支出200万元，公用经费支出30万元，项目支出80万元。\n"
        "项目支出包括环境整治经费50万元，会务保障经费30万元，调研"
    )
    rows = _rows(text)
    assert _money(rows) == {
        ("fct_spending", "total", None, "all"): 310.0,
        ("fct_spending", "personnel", None, "all"): 200.0,
        ("fct_spending", "public_funds", None, "all"): 30.0,
        ("fct_spending", "project", None, "all"): 80.0,
    }
    assert {r["project_name"]: r["actual_wan"] for r in rows if r["table"] == "fct_projects"} == {
        "环境整治经费": 50.0,
        "会务保障经费": 30.0,
    }


def test_township_general_budget_spending_and_function_lines_in_yuan() -> None:
    text = (
        "某某镇人民政府2024年财政决算情况报告\n第一部分 2024年财政决算情况\n1.全镇一般公共预算总收入完成5000.00万元。\n"
        "(1)上年结转收入120.50万元；\n2.全镇一般公共预算支出完成4800.25万元，占年初预算的90%。具体支出科目如下:\n"
        "一、一般公共服务支出12345678.00元，其中：\n1、人大事务支出200000.00元，占年初预算100%。其中其他人大事务支出200000.00元。\n"
        "2、政府办公室及相关机构支出9000000.00元。其中行政运行8000000.00元，事业运行支出1000000.00元。\n"
        "3.党委办公厅(室)及相关机构事务支出500000.00元。其中其他党委事务支出12"
    )
    rows = _rows(text)
    assert _money(rows) == {
        ("fct_spending", "carryover_in", None, "all"): 120.5,
        ("fct_spending", "fund_general_public", None, "all"): 4800.25,
    }
    functions = {r["subject_name"]: r["total_wan"] for r in rows if r["table"] == "fct_budget_by_function"}
    assert functions == {
        "一般公共服务支出": 1234.5678,
        "人大事务支出": 20.0,
        "其他人大事务支出": 20.0,
        "政府办公室及相关机构支出": 900.0,
        "行政运行": 800.0,
        "事业运行支出": 100.0,
        "党委办公厅(室)及相关机构事务支出": 50.0,
    }
    assert {r["phase"] for r in rows if r["table"] == "fct_budget_by_function"} == {"actual"}


# --- units -----------------------------------------------------------------------------------------


def test_amounts_in_yuan_and_without_unit_take_the_unit_of_their_passage() -> None:
    text = (
        BUDGET_HEAD
        + "（一）收入预算情况\n2025收入预算5000000.00元，其中：财政拨款收入5000000.00元，100%其中上年结转300000.00\n\n"
        "（二）支出预算情况\n2025支出预算5000000.00元。其中：一般公共服务支出1250000.00,25.00%；社会保障和就业支出80"
    )
    rows = _rows(text)
    assert _money(rows) == {
        ("fct_budget", "carryover_in", "budget", "all"): 30.0,
        ("fct_budget", "total", "budget", "all"): 500.0,
    }
    assert {r["subject_name"]: r["total_wan"] for r in rows if r["table"] == "fct_budget_by_function"} == {
        "一般公共服务支出": 125.0
    }


def test_a_unitless_amount_among_mixed_units_is_no_fact() -> None:
    rows = _rows(BUDGET_HEAD + "2025年支出预算120.5万元，其中：基本支出900000元，项目支出30.50，占比25%。\n")
    assert ("fct_budget", "project", "budget", "all") not in _money(rows)
    assert _money(rows)[("fct_budget", "basic", "budget", "all")] == 90.0


# --- 三公 ------------------------------------------------------------------------------------------


def test_three_public_budget_under_a_budget_heading_and_a_bare_phase() -> None:
    text = (
        BUDGET_HEAD + "三、“三公”经费支出预算情况\n“三公”经费支出8万元。其中因公出国(境)费0 万元，"
        "公务用车购置费0万元，公务用车运行维护费5万元，公务接待费3万元。\n"
    )
    got = {(r["category"], r["phase"]): r["amount_wan"] for r in _rows(text, "fct_three_public_expenses")}
    assert got == {
        ("total", "budget"): 8.0,
        ("overseas_travel", "budget"): 0.0,
        ("vehicle_purchase", "budget"): 0.0,
        ("vehicle_operation", "budget"): 5.0,
        ("reception", "budget"): 3.0,
    }


def test_three_public_actuals_after_a_sentence_naming_the_phase() -> None:
    text = (
        "某某单位2023年“三公”经费公开\n2023年度“三公”经费财政拨款支出预算为30.5万元，2023年实际支出“三公经费”决算为20.4万元。"
        "其中公务接待费为12.4万元；公务用车购置及运维费8万元，较上年减少1.2万元。\n"
    )
    got = {(r["category"], r["phase"]): r["amount_wan"] for r in _rows(text, "fct_three_public_expenses")}
    assert got == {
        ("total", "budget"): 30.5,
        ("total", "actual"): 20.4,
        ("reception", "actual"): 12.4,
        ("vehicle_total", "actual"): 8.0,
    }


def test_fund_income_and_spending_differ_spending_is_kept() -> None:
    text = (
        ACTUAL_HEAD + "（三）财政拨款收入决算情况\n2024年度，本单位一般公共预算财政拨款收入210.5万元。\n"
        "（四）财政拨款支出决算情况\n2024年度，本单位一般公共预算财政拨款支出220.75万元。\n"
    )
    result = extract_document(read_text(text, "funds.txt"))
    got = [(f.key["item"], f.values["amount_wan"]) for f in result.facts if f.table == "fct_spending"]
    assert got == [("fund_general_public", 220.75)]
    assert any(f.check == "same_report_conflict" and "220.75" in f.message for f in result.findings)


def test_no_phase_anywhere_is_no_fact_and_actions_are_not_headcounts() -> None:
    assert _rows("某某镇人民政府工作情况介绍\n基本支出50万元，项目支出20万元。\n") == []
    rows = _rows(BUDGET_HEAD + "全年慰问退休人员35人，培训在职人员120人次，在职人员28人。\n", "fct_staffing")
    assert {r["metric"]: r["headcount"] for r in rows} == {"actual": 28}


def test_a_bare_spending_word_inside_a_list_is_not_the_total() -> None:
    text = ACTUAL_HEAD + "2024年决算情况：某道路项目预算100万元，支出80万元。\n"
    assert ("fct_spending", "total", None, "all") not in _money(_rows(text))


def test_three_public_wordings_without_fee_and_with_the_year_of_the_sentence_before() -> None:
    text = (
        "某单位“三公”经费决算说明\n2022年本单位财政拨款“三公”经费支出合计21万元，比上年减少1.5万元。其中：因公出国 0 万元；"
        "公务用车保有量3辆，购置及运行维护费6万元；公车运行及维护6万元；公务接待费15万元。\n"
    )
    got = {
        (r["fiscal_year"], r["category"], r["phase"]): r["amount_wan"] for r in _rows(text, "fct_three_public_expenses")
    }
    assert got == {
        (2022, "total", "actual"): 21.0,
        (2022, "overseas_travel", "actual"): 0.0,
        (2022, "vehicle_total", "actual"): 6.0,
        (2022, "vehicle_operation", "actual"): 6.0,
        (2022, "reception", "actual"): 15.0,
    }


def test_items_with_notes_and_a_project_list_over_numbered_lines() -> None:
    text = (
        "某某县某某委员会2023年部门预算情况说明\n一、2023年部门预算总体情况\n2023年部门经费预算600000元，基本支出450000元，"
        "其中工资福利支出(人员支出)300000元，商品和服务支出(公用支出)150000元；项目支出(专项经费支出)150000元。\n"
        "二、2023年项目支出安排情况\n2023年安排项目支出150000元，具体项目情况如下：\n1、 委员视察经费90000元；\n"
        "测算标准：30名委员，年人均3000元计90000元。\n2、 第5次全体会议经费60000元，同上年；\n"
    )
    rows = _rows(text)
    assert _money(rows) == {
        ("fct_budget", "basic", "budget", "all"): 45.0,
        ("fct_budget", "wages_welfare", "budget", "basic"): 30.0,
        ("fct_budget", "goods_services", "budget", "basic"): 15.0,
        ("fct_budget", "project", "budget", "all"): 15.0,
    }
    assert {r["project_name"]: r["budget_wan"] for r in rows if r["table"] == "fct_projects"} == {
        "委员视察经费": 9.0,
        "第5次全体会议经费": 6.0,
    }


def test_township_fiscal_report_lines_and_one_fund_broken_down() -> None:
    text = (
        "某镇2022年财政决算报告\n一、全镇收支决算情况\n全镇一般公共预算收入3100万元，加上级转移支付收入900万元，上年结转结余45万元，"
        "收入合计为4045万元；2022年度本级财政一般公共预算支出合计4045万元，其中：\n——一般公共服务支出1200万元，增长12.5%；\n"
        "——农林水支出700万元，下降3%；\n——结转下年300万元。\n"
        "2022年我镇政府性基金收入总计800万元，其中本级收入50万元，上级补助收入600万元，上年结余150万元。\n"
    )
    rows = _rows(text)
    assert _money(rows) == {("fct_spending", "carryover_in", None, "all"): 45.0}
    assert {r["subject_name"]: r["total_wan"] for r in rows if r["table"] == "fct_budget_by_function"} == {
        "一般公共服务支出": 1200.0,
        "农林水支出": 700.0,
    }


def test_full_width_figures_and_staff_kinds_outside_the_establishment_stated_apart() -> None:
    text = (
        "某某局2024年度部门决算情况说明\n一、人员情况\n本单位核定编制２０人，在职人员１８人，编制外聘用人员3人，人事派遣人员2人，"
        "编制内人员18人。\n二、支出情况\n2024年度本年支出合计１，２３４．５万元。\n"
    )
    rows = _rows(text)
    staffing = {r["metric"]: r["headcount"] for r in rows if r["table"] == "fct_staffing"}
    assert staffing == {"authorized": 20, "actual": 18}
    assert _money(rows) == {("fct_spending", "total", None, "all"): 1234.5}


def test_one_kind_of_staff_outside_the_establishment() -> None:
    rows = _rows(BUDGET_HEAD + "核定编制30人，实有在职人员28人，劳务派遣人员6人。\n", "fct_staffing")
    assert {r["metric"]: r["headcount"] for r in rows} == {"authorized": 30, "actual": 28, "unauthorized": 6}


def test_a_small_yuan_figure_among_yuan_figures_is_no_unit_slip() -> None:
    text = BUDGET_HEAD + "（二）支出预算情况\n2025年支出预算150000.00元，其中：公务接待费800元，基本支出149200.00元。\n"
    result = extract_document(read_text(text, "yuan.txt"))
    got = {f.key.get("item") or f.key.get("category"): f.values["amount_wan"] for f in result.facts}
    assert got == {"total": 15.0, "reception": 0.08, "basic": 14.92}
    assert not any(f.check == "unit_slip" for f in result.findings)


def test_appropriation_spending_and_the_grand_total_are_not_the_total() -> None:
    text = (
        ACTUAL_HEAD
        + "一、支出决算情况\n2024年度财政拨款支出300万元。2024年度支出总计330万元，其中：本年支出合计310万元，"
        "年末结转和结余20万元。部门支出预算总额不适用。\n"
    )
    assert _money(_rows(text)) == {
        ("fct_spending", "total", None, "all"): 310.0,
        ("fct_spending", "carryover_out", None, "all"): 20.0,
    }


def test_final_accounts_template_with_function_class_details() -> None:
    text = (
        ACTUAL_HEAD + "三、收入决算情况说明\n本年收入合计260万元，其中：一般公共预算财政拨款收入250万元，占96.15%；"
        "政府性基金预算财政拨款收入10万元，占3.85%。\n四、支出决算情况说明\n本年支出合计255万元，其中：基本支出180万元，"
        "占70.59%；项目支出75万元，占29.41%。\n五、一般公共预算财政拨款支出决算情况说明\n（一）结构情况\n"
        "2024年度一般公共预算财政拨款支出245万元，主要用于以下方面：一般公共服务（类）支出120万元，占48.98%；"
        "农林水（类）支出60万元，占24.49%。\n（二）具体情况\n1.一般公共服务（类）人大事务（款）行政运行（项）。"
        "年初预算为30万元，支出决算为31万元，完成年初预算的103.33%。\n2.一般公共服务（类）政府办公厅（室）及相关机构事务（款）"
        "一般行政管理事务（项）。\n年初预算为8万元，支出决算为6万元。\n"
    )
    rows = _rows(text)
    assert _money(rows) == {
        ("fct_spending", "fund_government_fund", None, "all"): 10.0,
        ("fct_spending", "total", None, "all"): 255.0,
        ("fct_spending", "basic", None, "all"): 180.0,
        ("fct_spending", "project", None, "all"): 75.0,
        ("fct_spending", "fund_general_public", None, "all"): 245.0,  # spending by source wins over income 250
    }
    # the classes of one fund's grant (一般公共预算财政拨款) are not the unit's spending by function
    assert [r for r in rows if r["table"] == "fct_budget_by_function"] == []


def test_retired_counts_when_retirees_and_all_leavers_are_both_stated() -> None:
    rows = _rows(
        BUDGET_HEAD + "全局共有干部职工52人，其中在职人员40人；离退休人员12人，其中离休1人，退休11人。\n",
        "fct_staffing",
    )
    assert {r["metric"]: r["headcount"] for r in rows} == {"actual": 40, "retired": 11}


def test_a_count_the_excerpt_ends_in_is_no_fact() -> None:
    rows = _rows(BUDGET_HEAD + "人员情况：编制人数25，实有人数23，退休人数1", "fct_staffing")
    assert {r["metric"]: r["headcount"] for r in rows} == {"authorized": 25, "actual": 23}


def test_procurement_budget_and_single_quoted_three_public() -> None:
    text = (
        BUDGET_HEAD + "一、其他重要事项\n2025年部门政府采购预算总额8.5万元，其中：货物采购预算6万元。"
        "2025年‘三公’经费预算4万元，其中公务接待费4万元。\n"
    )
    rows = _rows(text)
    assert _money(rows) == {("fct_budget", "government_procurement", "budget", "all"): 8.5}
    assert {(r["category"], r["phase"]): r["amount_wan"] for r in _rows_of(rows, "fct_three_public_expenses")} == {
        ("total", "budget"): 4.0,
        ("reception", "budget"): 4.0,
    }


def test_a_year_inside_a_clause_does_not_date_the_headcount() -> None:
    rows = _rows(BUDGET_HEAD + "根据2019年机构改革方案核定编制21人，截至2024年底实有在职人员19人。\n", "fct_staffing")
    assert {(r["metric"], r["fiscal_year"]): r["headcount"] for r in rows} == {
        ("authorized", 2025): 21,
        ("actual", 2024): 19,
    }


def test_amounts_without_unit_under_a_heading_that_declares_it() -> None:
    text = BUDGET_HEAD + "（二）支出预算（单位：万元）\n2025年支出预算360.50，其中：基本支出300.25，项目支出60.25。\n"
    assert _money(_rows(text)) == {
        ("fct_budget", "total", "budget", "all"): 360.5,
        ("fct_budget", "basic", "budget", "all"): 300.25,
        ("fct_budget", "project", "budget", "all"): 60.25,
    }


def test_year_budget_and_execution_of_the_unit_but_not_of_a_project() -> None:
    text = (
        "某某局2024年度部门整体支出绩效自评报告\n一、部门收支情况\n2024年度预算数610万元，执行数590万元，执行率96.72%。"
        "某桥梁项目年度预算数90万元，执行数85万元。\n"
    )
    assert _money(_rows(text)) == {
        ("fct_budget", "total", "budget", "all"): 610.0,
        ("fct_spending", "total", None, "all"): 590.0,
    }


def test_a_flattened_table_row_under_a_unit_heading_is_not_a_sentence() -> None:
    text = BUDGET_HEAD + "三、“三公”经费情况（单位：万元）\n公务接待费 3.00 2.50\n公务用车运行维护费 6.00 5.40\n"
    assert _rows(text, "fct_three_public_expenses") == []


def test_figures_side_by_side_are_no_sentence() -> None:
    text = "某某项目2024年度支出绩效自评表\n年度资金总额 150万 148万 10 9.8\n"
    assert _money(_rows(text)) == {}


def test_a_later_performance_heading_does_not_make_a_budget_statement_an_evaluation() -> None:
    text = (
        "某某县某某局部门预算公开\n一、概况\n本单位负责全县某某工作。\n二、其他事项\n（一）预算绩效情况说明\n"
        "本单位开展绩效目标管理。基本支出120万元，项目支出30万元。\n"
    )
    assert _money(_rows(text)) == {
        ("fct_budget", "basic", "budget", "all"): 120.0,
        ("fct_budget", "project", "budget", "all"): 30.0,
    }


def test_a_phase_one_sentence_names_ends_with_its_section() -> None:
    text = (
        ACTUAL_HEAD + "五、“三公”经费支出决算情况说明\n2024年度“三公”经费财政拨款支出年初预算为12万元。\n"
        "六、其他重要事项\n本部门2024年度政府采购支出总额22.5万元。\n"
    )
    rows = _rows(text)
    assert _money(rows) == {("fct_spending", "government_procurement", None, "all"): 22.5}
    assert {(r["category"], r["phase"]): r["amount_wan"] for r in _rows_of(rows, "fct_three_public_expenses")} == {
        ("total", "budget"): 12.0
    }


def test_function_classes_of_the_whole_budget_not_of_this_years_grant() -> None:
    text = (
        BUDGET_HEAD + "四、财政拨款收支预算情况说明\n财政拨款收支总预算500万元。支出包括一般公共服务支出260万元、"
        "农林水支出240万元。\n五、一般公共预算当年拨款情况说明\n（一）一般公共预算当年拨款结构情况\n"
        "一般公共服务支出230万元，占50%；农林水支出230万元，占50%。\n"
    )
    functions = {r["subject_name"]: r["total_wan"] for r in _rows(text, "fct_budget_by_function")}
    assert functions == {"一般公共服务支出": 260.0, "农林水支出": 240.0}


def test_a_note_row_across_a_table_is_read_as_prose() -> None:
    text = (
        "某某县某某乡2025年“三公”经费预算情况表\n单位：万元\n"
        "| 项目 | 2024年预算数 | 2025年预算数 |\n"
        "| 合计 | 6 | 6.5 |\n"
        "| 公务接待费 | 2 | 2.5 |\n"
        "| 公务用车运行维护费 | 4 | 4 |\n"
        "| 注：因2024年预算2万元不能满足接待需要，年中调增，2024年公务接待费决算数为2.8万元。 | | |\n"
    )
    rows = _rows(text, "fct_three_public_expenses")
    got = {(r["fiscal_year"], r["category"], r["phase"]): r["amount_wan"] for r in rows}
    assert got[(2024, "reception", "actual")] == 2.8
    assert got[(2024, "reception", "budget")] == 2.0
    assert got[(2025, "total", "budget")] == 6.5
