"""Scored 自评表 in the layout families met in real disclosures (own words and numbers)."""

from __future__ import annotations

from jixiao.extract import extract_document
from jixiao.model import ReportExtraction
from jixiao.readers.text import read_text

HEAD = "2022年度项目支出绩效自评表\n"


def _extract(text: str) -> ReportExtraction:
    return extract_document(read_text(text, "snippet.txt"))


def _indicators(result: ReportExtraction) -> dict[str, tuple]:
    return {
        f.key["indicator_name"]: (
            f.values["level1"],
            f.values["level2"],
            f.values["weight"],
            f.values["score"],
            f.values["target_value"],
            f.values["actual_value"],
            f.key.get("project_name"),
        )
        for f in result.facts
        if f.table == "fct_indicator_scores"
    }


def _projects(result: ReportExtraction) -> dict[str, dict]:
    return {f.key["project_name"]: f.values for f in result.facts if f.table == "fct_projects"}


PADDED_PIPES = """项目支出绩效自评表 | |||||||
(2022年度) | |||||||
项目名称 | 河湾步道养护经费 | 实施单位 | 某某镇人民政府 | |||||
项目资金 (万元) |
年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分 | ||
年度资金总额: | 40 | 50 | 45 | 10 | 90% | 9 | ||
其中:本年财政拨款 | 40 | 50 | 45 | 10 | 90% | 9 | ||
绩效指标 | 一级 指标 |
二级指标 | 三级指标 | 分值 | 年度指标值 | 全年实际值 | 得分 | 偏差原因 | ||
产 出 指 标 (50分) |
数量指标 | ★养护步道长度 | 30 | 12公里 | 12公里 | 28 | ||||
其中主步道长度 | 8公里 | 8公里 | ||||||
质量指标 | 验收合格率 | 20 | 100% | 100% | 20 | ||||
效 益 指 标 (40分) |
社会效益 指标 |
|||||||||
群众出行便利度 | 40 | 提升 | 提升 | 38 | ||||
总分 | 100 | 95 | ||||||
"""


def test_padded_pipe_rows_broken_over_lines_and_merged_level_cells() -> None:
    result = _extract(PADDED_PIPES)
    got = _indicators(result)
    assert got == {
        "年度资金总额": ("budget_execution", "other", 10.0, 9.0, None, None, "河湾步道养护经费"),
        "★养护步道长度": ("output", "quantity", 30.0, 28.0, "12公里", "12公里", "河湾步道养护经费"),
        "验收合格率": ("output", "quality", 20.0, 20.0, "100%", "100%", "河湾步道养护经费"),
        "群众出行便利度": ("benefit", "social", 40.0, 38.0, "提升", "提升", "河湾步道养护经费"),
    }
    assert _projects(result) == {
        "河湾步道养护经费": {"budget_wan": 50.0, "initial_budget_wan": 40.0, "actual_wan": 45.0, "self_score": 95.0}
    }
    assert result.header.self_score == 95.0


CELL_PER_LINE = """项目支出绩效自评表 |
|||||||||
(2021 年度) |
项目名称 |
路灯维护费 |
|||||||||
项目资金 (万元) |
|
年初预算数 |
全年预算数 |
全年执行数 |
分值 |
执行率 |
得分 |
|||||||||
年度资金总额 |
80万 |
80万 |
60万 |
10 |
75% |
7.5 |
|||||||||
绩 效 指 标 |
一级指标 |
二级指标 |
三级指标 |
年度 指标值 |
实际 完成值 |
分值 |
得分 |
偏差原因 |
|||||||||
产出指标 |
数量指标 |
维护路灯数 |
300盏 |
280盏 |
40 |
36 |
|
|||||||||
亮灯率 |
98% |
99% |
20 |
20 |
|
|||||||||
时效指标 |
|
|
|
|
|
|
|||||||||
"""


def test_one_cell_per_line_rows_shortened_by_rowspans_and_empty_template_rows() -> None:
    result = _extract(CELL_PER_LINE)
    got = _indicators(result)
    assert set(got) == {"年度资金总额", "维护路灯数", "亮灯率"}
    assert got["亮灯率"] == ("output", "quantity", 20.0, 20.0, "98%", "99%", "路灯维护费")
    assert _projects(result)["路灯维护费"]["budget_wan"] == 80.0
    assert _projects(result)["路灯维护费"]["actual_wan"] == 60.0


def test_two_row_header_split_target_and_cut_last_row() -> None:
    text = HEAD + (
        "| 项目名称 | 某某项目支出绩效自评表 | ||||\n"
        "| 绩效指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因 | ||\n"
        "| 一级指标 | 二级指标 | 三级指标 | 指标性质 | 指标值 | 度量单位 | ||\n"
        "| 产出指标 | 数量指标 | 巡查次数 | ≥ | 12 | 次 | 14 | 20.00 | 18.00 | ||\n"
        "| 时效指标 | 完成及时率 | = | 100 | % | 100 | 30 | 30 | ||\n"
        "| 满意度指标 | 服务对象满意度指标 | 满意度 | ≥ | 90 | % | 95 | 10.00 |"
    )
    result = _extract(text)
    got = _indicators(result)
    assert got == {
        "巡查次数": ("output", "quantity", 20.0, 18.0, None, "14", None),
        "完成及时率": ("output", "timeliness", 30.0, 30.0, None, "100", None),
    }
    assert not _projects(result)  # the 项目名称 cell holds the form's title
    assert any("项目名称" in f.message for f in result.findings)


ONE_RUN_OF_CELLS = (
    "\n".join(
        c + " |" if c else "|"
        for c in [
            "部门预算项目支出绩效自评表(2023年度)",
            "项目名称",
            "X1-办公楼维修",
            "主管部门",
            "某某局",
            "预算执行情况(10分)",
            "年度预算数(万元)",
            "年初预算",
            "调整后预算数",
            "预算执行数",
            "预算执行率",
            "权重",
            "得分",
            "原因",
            "总额",
            "30",
            "36",
            "36",
            "100.00%",
            "10",
            "",
            "说明文字",
            "其中:财政资金",
            "30",
            "36",
            "36",
            "100.00%",
            "/",
            "/",
            "绩效指标(90分)",
            "一级指标",
            "二级指标",
            "三级指标",
            "指标性质",
            "指标值",
            "度量单位",
            "完成值",
            "权重",
            "得分",
            "未完成原因分析",
            "产出指标",
            "数量指标",
            "维修面积",
            "=",
            "500",
            "平方米",
            "",
            "50",
            "",
            "",
            "效益指标",
            "社会效益指标",
            "使用安全率",
            "=",
            "100",
            "%",
            "",
            "40",
            "",
            "",
            "合计",
            "100",
            "",
            "",
        ]
    )
    + "\n"
)


def test_a_whole_form_as_one_run_of_cells_with_blank_scores() -> None:
    result = _extract(ONE_RUN_OF_CELLS)
    got = _indicators(result)
    assert got == {
        "总额": ("budget_execution", "other", 10.0, None, None, None, "X1-办公楼维修"),
        "维修面积": ("output", "quantity", 50.0, None, None, None, "X1-办公楼维修"),
        "使用安全率": ("benefit", "social", 40.0, None, None, None, "X1-办公楼维修"),
    }
    assert _projects(result)["X1-办公楼维修"] == {
        "budget_wan": 36.0,
        "initial_budget_wan": 30.0,
        "actual_wan": 36.0,
        "self_score": None,
    }
    assert result.header.self_score is None  # 合计 100 is the weights' total, not a score


SINGLE_SPACES = (
    "附件: 项目支出绩效自评表 (2022年度) 项目名称 村道保洁经费 主管部门 某某镇人民政府 项目资金 (万元) "
    "年初预算数 全年预算数 全年执行数 分值 执行率 得分 年度资金总额: 60 60 54 10 90% 9 其中:本年财政拨款 60 60 54 "
    "上年结转资金 年度总体目标 预期目标 实际完成情况 保持村道整洁 已完成 绩效指标 一级指标 二级指标 三级指标 年度指标值 "
    "实际完成值 分值 得分 偏差原因分析及改进措施 产出指标(50分) 数量指标 保洁村道里程 =20公里 20 25 25 质量指标 "
    "保洁合格率 ≥95% 达成预期指标 25 24 效益指标(40分) 经济效益指标 社会效益指标 村容改善程度 明显 达成预期指标 40 40 "
    "满意度指标(10分) 满意度指标 村民满"
)


def test_table_flattened_with_single_spaces() -> None:
    result = _extract(SINGLE_SPACES)
    got = _indicators(result)
    assert got == {
        "年度资金总额": ("budget_execution", "other", 10.0, 9.0, None, None, "村道保洁经费"),
        "保洁村道里程": ("output", "quantity", 25.0, 25.0, "=20公里", "20", "村道保洁经费"),
        "保洁合格率": ("output", "quality", 25.0, 24.0, "≥95%", "达成预期指标", "村道保洁经费"),
        "村容改善程度": ("benefit", "social", 40.0, 40.0, "明显", "达成预期指标", "村道保洁经费"),
    }
    assert _projects(result)["村道保洁经费"]["budget_wan"] == 60.0


def test_flattened_row_with_a_lost_blank_is_left_out_with_a_finding() -> None:
    text = SINGLE_SPACES.replace("保洁合格率 ≥95% 达成预期指标 25 24", "保洁合格率 达成预期指标 25 24")
    result = _extract(text)
    got = _indicators(result)
    assert "保洁合格率" not in got and "保洁村道里程" in got
    assert any(f.check == "ambiguous_cell" and "保洁合格率" in f.observed for f in result.findings)


def test_zero_total_row_with_money_in_its_sub_row_gives_no_project_money() -> None:
    text = SINGLE_SPACES.replace("年度资金总额: 60 60 54 10 90% 9", "年度资金总额: 0 0 0 10 0 0")
    result = _extract(text)
    assert not _projects(result)
    assert _indicators(result)["年度资金总额"][2:4] == (10.0, 0.0)
    assert any("reads 0" in f.message for f in result.findings)


NO_DELIMITERS = (
    "绩效目标自评表(2022年度)项目名称某某灌区渠道清淤项目负责人及电话张三12345主管部门某某县水利局资金情况(万元)"
    "全年预算数(A)全年执行数(B)分值执行率(B/A)得分年度资金总额:151210100.00%10其中:本年财政拨款1512"
    "绩效指标一级指标二级指标三级指标分值年度指标值全年实际值得分未完成原因及拟采取的改进措施"
    "产出指标(60分)数量指标清淤渠道长度30≥8公里≥8公里30质量指标验收合格率30100%100%30"
    "效益指标(30分)社会效益指标灌溉条件改善30明显改善明显改善28满意度指标(10分)服务对象满意度指标"
    "受益群众满意度10≥90%≥90%10总分100098注:说明"
)


def test_no_delimiters_split_by_header_order_and_consistency() -> None:
    result = _extract(NO_DELIMITERS)
    got = _indicators(result)
    name = "某某灌区渠道清淤"
    assert got == {
        "清淤渠道长度": ("output", "quantity", 30.0, 30.0, "≥8公里", "≥8公里", name),
        "验收合格率": ("output", "quality", 30.0, 30.0, "100%", "100%", name),
        "灌溉条件改善": ("benefit", "social", 30.0, 28.0, "明显改善", "明显改善", name),
        "受益群众满意度": ("satisfaction", "satisfaction", 10.0, 10.0, "≥90%", "≥90%", name),
    }  # 年度资金总额 '151210100.00%10' has two readings (15|12 at 80% is not 100%): left out
    assert "年度资金总额" not in got or got["年度资金总额"][2:4] == (10.0, 10.0)


def test_no_delimiters_budget_row_read_when_the_rate_fixes_the_split() -> None:
    result = _extract(NO_DELIMITERS.replace("151210100.00%10", "121210100.00%10").replace("1512绩效", "1212绩效"))
    assert _indicators(result)["年度资金总额"][2:4] == (10.0, 10.0)
    assert _projects(result)["某某灌区渠道清淤"]["budget_wan"] == 12.0


def test_total_of_two_numbers_run_together() -> None:
    result = _extract(NO_DELIMITERS)
    assert result.header.self_score is None  # '100098' reads as 100|098 (no) or 1000|98 (over 100): neither


def test_traditional_glossed_pipe_table() -> None:
    text = (
        "| 2021年度項(xiàng)目支出績效自評表 | ||||||\n"
        "| 項(xiàng)目名稱 | 溝渠維護 | ||||||\n"
        "| 一級指標 | 二級指標 | 三級指標 | 年度指標值 | 實際完成值 | 分值 | 得分 | ||\n"
        "| 產(chǎn)出指標 | 數(shù)量指標 | 維護長度 | 5公里 | 5公里 | 50 | 50 | ||\n"
        "| 質(zhì)量指標 | 合格率 | 100% | 100% | 50 | 45 | ||\n"
    )
    got = _indicators(_extract(text))
    assert {k: v[:4] for k, v in got.items()} == {
        "维护长度": ("output", "quantity", 50.0, 50.0),
        "合格率": ("output", "quality", 50.0, 45.0),
    }


def test_row_that_fits_no_alignment_is_left_out_with_a_finding() -> None:
    text = HEAD + (
        "一级指标 | 二级指标 | 三级指标 | 分值 | 年度指标值 | 实际值 | 得分 | ||\n"
        "产出指标 | 数量指标 | 建设里程 | 20 | 5公里 | 5公里 | 20 | ||\n"
        "检查次数 | 4次 | 4次 | 10 | 10 | ||||\n"
    )
    result = _extract(text)
    got = _indicators(result)
    assert got["建设里程"][:4] == ("output", "quantity", 20.0, 20.0)
    assert "检查次数" not in got
    assert any(f.check == "ambiguous_cell" and "检查次数" in f.observed for f in result.findings)


def test_vertically_merged_blank_level_cells_read_alike_in_every_alignment() -> None:
    from jixiao.extract.indicator_columns import L1, L2, L3, SCORE, TARGET, WEIGHT
    from jixiao.extract.indicator_rows import align_row

    roles = [L1, L2, L3, TARGET, WEIGHT, SCORE]
    assert align_row(["产出指标", "数量指标", "户数", "30户", "10", "9"], roles).row.name == "户数"
    reading = align_row(["", "", "及时率", "及时", "10", "9"], roles)
    assert reading.row is not None and (reading.row.name, reading.row.weight, reading.row.score) == ("及时率", 10, 9)
    assert align_row(["", "质量指标", "合格率", "达标", "10", "9"], roles).row.level2 == "质量指标"
    assert align_row(["", "", "及时率", "及时", "10", "十"], roles).row is None  # 得分 not a number


SCRAMBLED = (
    "某某中心2023年度项目自评.pdf 财政项目支出绩效自评表 (2023 年度) 社区健身器材更 新维护 项目名称 主管部门 某某区体育局 "
    "年初预算数 全年预算数 全年执行数 分值 执行率 得分 80000.00 80000.00 72,000 10 9 80000.00 80000.00 72000 — "
    "上年结转资金 0 0 — 年度资金总额 项目资金 (元) 某某中心 实施单位 其中:当年财政拨款 预期目标 90.00% 实际完成情况 已完成。 "
    "一级指标 二级指标 数量指标 三级指标 更新器材 年度 指标值 实际 完成值 分值 得分 =40套 40套 30 30 按时 按时 20 18 "
    "=100% 100% 30 30 >=90% 95% 10 10 100 97 数 产出指标 时效指标 绩 效 指 标 效益指标 社会效益指标 维护按时性 "
    "器材完好 率 满意度指标 服务对象满意度指标 居民满意度 总分 -1-"
)


def test_pdf_text_out_of_reading_order_confirmed_by_arithmetic_and_anchor() -> None:
    result = _extract(SCRAMBLED)
    got = _indicators(result)
    name = "社区健身器材更新维护"
    assert got == {
        "年度资金总额": ("budget_execution", "other", 10.0, 9.0, None, None, name),
        "更新器材数": ("output", "quantity", 30.0, 30.0, "=40套", "40套", name),
        "维护按时性": ("output", "timeliness", 20.0, 18.0, "按时", "按时", name),
        "器材完好率": ("benefit", "social", 30.0, 30.0, "=100%", "100%", name),
        "居民满意度": ("satisfaction", "satisfaction", 10.0, 10.0, ">=90%", "95%", name),
    }
    assert _projects(result) == {
        name: {"budget_wan": 8.0, "initial_budget_wan": 8.0, "actual_wan": 7.2, "self_score": 97.0}
    }


def test_pdf_text_out_of_order_without_confirmation_gives_no_indicator_rows() -> None:
    result = _extract(SCRAMBLED.replace("100 97 数", "100 96 数"))  # 总分 no longer the sum of the scores
    got = _indicators(result)
    assert set(got) == {"年度资金总额"}
    result = _extract(SCRAMBLED.replace("90.00%", "95.00%"))  # 执行率 no longer 执行数 / 预算数
    assert not _indicators(result) and not _projects(result)


def test_project_money_stays_out_of_the_units_budget_and_a_unit_table_gives_it() -> None:
    project = _extract(PADDED_PIPES)
    assert not [f for f in project.facts if f.table in ("fct_budget", "fct_spending")]
    unit = _extract(
        "部门整体支出绩效自评表 | ||||||\n"
        "单位名称 | 某某镇人民政府 | ||||||\n"
        "部门总体资金(万元) | 资金来源 | 年初预算数(A) | 全年执行数(B) | 分值(10分) | 得分 | 得分计算方法 | ||\n"
        "年度资金总额: | 500 | 520 | 10 | 10 | 执行率*分值 | ||\n"
        "基本支出 | 300 | 310 |\n"
        "10 | 10 | ||||\n"
        "项目支出 | 200 | 210 | 10 | 10 | ||||\n"
    )
    got = {
        (f.table, f.key["item"], f.key.get("phase")): f.values["amount_wan"]
        for f in unit.facts
        if f.table in ("fct_budget", "fct_spending")
    }
    assert got == {
        ("fct_budget", "total", "initial_budget"): 500.0,
        ("fct_spending", "total", None): 520.0,
        ("fct_budget", "basic", "initial_budget"): 300.0,
        ("fct_spending", "basic", None): 310.0,
        ("fct_budget", "project", "initial_budget"): 200.0,
        ("fct_spending", "project", None): 210.0,
    }
    assert not [f for f in unit.facts if f.table == "fct_projects"]
    assert [f.key["indicator_name"] for f in unit.facts if f.table == "fct_indicator_scores"] == ["年度资金总额"]


def test_flattened_note_column_holding_a_blank_mark_is_skipped() -> None:
    text = SINGLE_SPACES.replace("=20公里 20 25 25 质量指标", "=20公里 20 25 25 无 质量指标")
    got = _indicators(_extract(text))
    assert got["保洁村道里程"][2:4] == (25.0, 25.0) and got["保洁合格率"][2:4] == (25.0, 24.0)


def test_flattened_note_in_words_before_a_level_word_stays_in_its_row() -> None:
    text = SINGLE_SPACES.replace("=20公里 20 25 25 质量指标", "=20公里 20 25 22 雨季清扫次数减少 质量指标")
    text = text.replace("明显 达成预期指标 40 40 满意度", "明显 达成预期指标 40 38 个别村组仍有死角 满意度")
    got = _indicators(_extract(text))
    assert got["保洁村道里程"][2:4] == (25.0, 22.0)
    assert got["保洁合格率"][2:4] == (25.0, 24.0)
    assert got["村容改善程度"][2:4] == (40.0, 38.0)


def test_padded_table_row_lacking_padding_is_not_joined_to_the_next_row() -> None:
    from jixiao.readers.text import read_text as read

    doc = read(
        "标题 | |||||\n名称 | 甲 | ||||\n产出指标 | 数量指标 | 户数 | 10 | 9 |\n质量指标 | 合格率 | 10 | 8 | ||\n"
        "成本指标 | 单价 | 5 | 5 | ||\n",
        "p.txt",
    )
    rows = doc.tables()[0].rows
    assert ["产出指标", "数量指标", "户数", "10", "9", ""] in rows
    assert any(r[:2] == ["质量指标", "合格率"] for r in rows)


def test_level_two_cells_without_the_suffix_and_a_name_like_a_level_word() -> None:
    text = HEAD + (
        "一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | ||\n"
        "产出指标 | 数量 | 户数 | 30户 | 30户 | 40 | 40 | ||\n"
        "质量 | 合格率 | 98% | 99% | 40 | 40 | ||\n"
        "满意度指标 | 服务对象满意度 | 满意度 | 90% | 95% | 20 | 19 | ||\n"
    )
    got = _indicators(_extract(text))
    assert {k: v[:4] for k, v in got.items()} == {
        "户数": ("output", "quantity", 40.0, 40.0),
        "合格率": ("output", "quality", 40.0, 40.0),
        "满意度": ("satisfaction", "satisfaction", 20.0, 19.0),
    }


def test_group_label_repeated_into_every_row() -> None:
    text = HEAD + (
        "绩效指标 | 一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | ||\n"
        "绩效指标 | 产出指标 | 数量指标 | 户数 | 30户 | 30户 | 40 | 40 | ||\n"
        "绩效指标 | 产出指标 | 质量指标 | 合格率 | 98% | 99% | 40 | 38 | ||\n"
    )
    got = _indicators(_extract(text))
    assert {k: v[:4] for k, v in got.items()} == {
        "户数": ("output", "quantity", 40.0, 40.0),
        "合格率": ("output", "quality", 40.0, 38.0),
    }


def test_flattened_words_split_by_the_flattening_are_rejoined() -> None:
    text = SINGLE_SPACES.replace("产出指标(50分) 数量指标", "产 出 指 标 (50分) 数量 指标")
    got = _indicators(_extract(text))
    assert got["保洁村道里程"][:4] == ("output", "quantity", 25.0, 25.0)
    assert got["保洁合格率"][:4] == ("output", "quality", 25.0, 24.0)
