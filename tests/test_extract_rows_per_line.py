"""A 项目支出绩效自评表 copied from a web page with one table row per line, cells split by spaces."""

from __future__ import annotations

from jixiao.extract import extract_document
from jixiao.readers.text import read_text

PAGE = """白沙县水务局河道股项目支出绩效自评
    发布时间:2024-04-02 10:15
    项目支出绩效自评表
    (2023年度)
    项目名称 河道保洁经费
    主管部门 实施单位 白沙县水务局
    项目资金
    (万元)
    年初预算数 全年预算数(A) 全年执行数(B) 分值 执行率(B/A) 得分
    年度资金总额: 60 58 55 10 94.8% 9
     其中:本年财政拨款 60 58 55 - -
        上年结转资金 - -
    年度绩效指标完成情况 一级
    指标
    二级指标 三级指标 年度指标值 实际完成值 分值 得分 偏差原因分析及改进措施
    (50分)
    数量指标 指标1:保洁河段 12公里 12公里 30 30
    指标2:
    ……
    时效指标 指标1:资金支付完成率 100% 95% 20 18
    成本指标 指标1:支出不超预算 10 10
    满意度指标
    (10分)
    服务对象
    满意度指标
    指标1:沿岸居民满意度 90% 95% 30 30
    总分 100 97
"""


def test_project_money_and_indicator_rows() -> None:
    result = extract_document(read_text(PAGE, "page.txt"))
    projects = [
        (f.key["project_name"], f.values["budget_wan"], f.values["initial_budget_wan"], f.values["actual_wan"])
        for f in result.facts
        if f.table == "fct_projects"
    ]
    assert projects == [("河道保洁经费", 58, 60, 55)]
    assert not [f for f in result.facts if f.table in ("fct_budget", "fct_spending")]  # project money only
    rows = {
        f.key["indicator_name"]: (
            f.values["level1"],
            f.values["level2"],
            f.values["weight"],
            f.values["score"],
            f.values["target_value"],
            f.values["actual_value"],
        )
        for f in result.facts
        if f.table == "fct_indicator_scores"
    }
    assert rows == {
        "年度资金总额": ("budget_execution", "other", 10, 9, None, None),
        "指标1:保洁河段": ("output", "quantity", 30, 30, "12公里", "12公里"),
        "指标1:资金支付完成率": ("output", "timeliness", 20, 18, "100%", "95%"),
        "指标1:沿岸居民满意度": ("satisfaction", "satisfaction", 30, 30, "90%", "95%"),
    }  # '支出不超预算 10 10': which two columns its numbers fill is not written, so it is left out
    assert result.header.self_score == 97
    assert result.header.fiscal_year == 2023 and result.header.document_kind == "project_evaluation"
