"""Header fields read from the forms real disclosures use, on small invented texts (own words and numbers).

Each test feeds one layout or wording: titles, labelled cells, page metadata, signatures; years written
every way seen (2024年部门整体…, (2023年度), 2021年“三公”经费, a column header, "年" printed as "-",
traditional script); regions from the current division table with its change history.
"""

from __future__ import annotations

import pytest

from jixiao.extract import divisions
from jixiao.extract.gazetteer import locate
from jixiao.extract.header import read_header
from jixiao.readers.text import read_text


def header(text: str):
    return read_header(read_text(text, "fixture.txt"))


# --- fiscal year -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, year",
    [
        ("某某县农机服务中心2024年部门整体支出绩效自评报告\n一、基本情况\n", 2024),
        ("项目支出绩效自评表\n（2023年度）\n项目名称 | 道路养护\n", 2023),
        ("2021年“三公”经费预算情况说明\n公务接待费2万元。\n", 2021),
        ("某某县文化馆2025年部门预算公开说明\n", 2025),
        ("关于某某县水务局2018年部门预算的批复\n某某县水务局：\n", 2018),
        ("岳阳县20 16 -度部门（单位）整体支出\n绩效评价自评报告\n", 2016),
        ("台创中心2017-度部门“三公”经费预算情况表\n", 2017),
        ("評價年度：2022\n單位名稱：某某縣圖書館\n", 2022),
        ("一、情况说明\n2019年群英乡本年度预算总收入为88.5万元。\n", 2019),
    ],
)
def test_fiscal_year_from_every_written_form(text: str, year: int) -> None:
    assert header(text).fiscal_year == year


def test_fiscal_year_from_a_column_header_when_the_title_has_none() -> None:
    text = "三公经费情况表\n项目 | 2022年预算数 | 2023年预算数\n公务接待费 | 3 | 4\n"
    assert header(text).fiscal_year == 2023


def test_a_date_is_never_the_fiscal_year() -> None:
    text = "部门整体支出绩效自评表\n填报日期：2022年2月3日\n发布时间：2022-03-01 10:20\n"
    assert header(text).fiscal_year is None


# --- department name -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, name",
    [
        ("整体支出绩效自评表\n单位（盖章）：绥宁县某某镇人民政府 | 填报日期：2023年1月9日\n", "绥宁县某某镇人民政府"),
        ("自评报告\n部门（单位）名称 | 桃源县气象服务站\n预算编码 | 101\n", "桃源县气象服务站"),
        ("项目支出绩效自评表\n主管部门 | 县交通运输局 | 实施单位 | 219001-桃源县公路养护队\n", "桃源县公路养护队"),
        ("桃源县青年路小学2024年部门决算公开\n第一部分 概况\n", "桃源县青年路小学"),
        ("桃源县2019年度档案馆“三公”经费预算表\n", "桃源县档案馆"),
        ("2020年桃源县实验幼儿园部门“三公”经费情况表\n", "桃源县实验幼儿园"),
        ("发文单位： | 桃源县政务服务中心 | 发文日期： | 2023年05月06日\n项目支出绩效自评表\n", "桃源县政务服务中心"),
        ("某某网\n来源：桃源县林业站   2021-04-02\n林业站2021年部门预算表\n", "桃源县林业站"),
        ("桃源县人大常委会办公室\n2023年单位预算情况说明\n", "桃源县人大常委会办公室"),
        ("801桃源县某某镇农技站 |\n预算年度:2024 |\n", "桃源县某某镇农技站"),
    ],
)
def test_unit_from_cells_titles_metadata_and_lines(text: str, name: str) -> None:
    assert header(text).department_name == name


def test_township_government_gets_its_official_suffix_and_fullest_prefix() -> None:
    text = (
        "2022年度部门整体支出绩效自评报告\n部门（单位）名称：桃源县桃花源镇政府\n"
        "一、基本概况\n本镇下设桃源县桃花源镇农业服务中心。\n"
    )
    h = header(text)
    assert h.department_name == "桃源县桃花源镇人民政府"
    assert h.township == "桃花源镇"
    assert (h.province, h.city, h.county) == ("湖南省", "常德市", "桃源县")


def test_a_township_named_only_by_its_sentences_is_its_government() -> None:
    text = "一、部门基本情况\n桃花源镇下设行政单位1个。\n二、收支预算\n2021年桃花源镇本年度预算总收入为300万元。\n"
    h = header(text)
    assert h.department_name == "桃花源镇人民政府"
    assert (h.province, h.city, h.county, h.township) == ("湖南省", "常德市", "桃源县", "桃花源镇")


def test_short_form_takes_the_county_the_text_names() -> None:
    text = "欢迎来到桃源县政协网站！\n部门整体支出绩效评价报告\n县政协坚持履职尽责。\n"
    h = header(text)
    assert h.department_name == "桃源县政协"
    assert h.county == "桃源县"


def test_a_source_credit_is_the_least_trusted_source() -> None:
    assert header("来源：桃源县林业站   2021-04-02\n2021年部门预算表\n").department_name == "桃源县林业站"
    about_a_township = "来源：桃源县财政局 2021-04-02\n桃花源镇2021年预算说明\n桃花源镇下设机构3个。\n"
    assert header(about_a_township).department_name == "桃花源镇人民政府"
    only_sentences = "来源：桃源县财政局 2021-04-02\n一、概况\n桃花源镇下设机构3个，桃花源镇辖5个村。\n"
    assert header(only_sentences).department_name is None


def test_no_unit_named_gives_none() -> None:
    h = header("2019年度“三公”经费财政拨款支出预算为12.5万元，其中公务接待费8万元。\n")
    assert h.department_name is None and h.province is None and h.unit_key is None


# --- regions -------------------------------------------------------------------------------


def test_renamed_county_keeps_its_era_name_and_one_identity() -> None:
    old = header("湟中县林业站2017年部门预算信息公开说明\n")
    new = header("西宁市湟中区林业站2022年部门预算信息公开说明\n")
    assert (old.province, old.city, old.county) == ("青海省", "西宁市", "湟中县")
    assert new.county == "湟中区"
    assert old.county_code == new.county_code == "630106"
    assert old.unit_key == new.unit_key == "630106/林业站"


def test_renamed_county_found_through_its_township_gets_the_name_of_the_report_year() -> None:
    h = header("一、基本情况\n群加乡下设行政单位1个。\n2016年群加乡本年度预算支出为120万元。\n")
    assert (h.county, h.township) == ("湟中县", "群加乡")
    assert h.unit_key == "630106/群加藏族乡人民政府"


def test_county_that_became_a_city_and_a_city_that_became_a_district() -> None:
    assert locate("邵东县教育局", "", 2018).county_code == locate("邵东市教育局", "", 2021).county_code
    r = locate("莱芜市钢城区财政局", "", 2017)
    assert (r.province, r.city, r.county) == ("山东省", "莱芜市", "钢城区")
    assert locate("莱芜市财政局", "", 2017).county is None  # a city-level unit of its time


def test_autonomous_county_short_form_resolves_in_its_own_province() -> None:
    h = header("寻甸县农业农村局2023年部门决算公开说明\n")
    assert (h.province, h.city, h.county) == ("云南省", "昆明市", "寻甸回族彝族自治县")


def test_namesake_county_or_township_is_null_unless_the_text_settles_it() -> None:
    assert locate("朝阳区统计局", "") is None
    assert locate("朝阳区统计局", "北京市朝阳区统计局2023年部门预算").province == "北京市"
    assert locate("太平镇人民政府", "") is None
    h = header("太平镇人民政府2021年部门预算说明\n")
    assert h.department_name == "太平镇人民政府" and h.county is None and h.unit_key is None


def test_township_placed_by_its_name_is_dropped_when_the_text_is_about_another_place() -> None:
    assert locate("桃花源镇人民政府", "").county == "桃源县"
    assert locate("桃花源镇人民政府", "本镇与江苏省苏州市签订协作协议") is None


def test_division_table_is_current_and_has_history() -> None:
    assert divisions.lookup("邵东市")[0].how == "current"
    assert divisions.lookup("邵东县")[0].how == "former"
    assert divisions.canonical_code("371200") == "370116"  # 莱芜市 → 济南市莱芜区
    assert divisions.name_in_year("630106", 2018) == "湟中县"
    assert divisions.name_in_year("630106", 2021) == "湟中区"


# --- dates, kind, page metadata ---------------------------------------------------------------


def test_report_date_from_labels_and_signatures_not_publication_stamps() -> None:
    assert header("自评报告\n报告日期：2021年12月30日\n").report_date == "2021-12-30"
    assert header("[ 成文日期 ] | 2025-01-20 | [ 发布日期 ] | 2025-01-22\n").report_date == "2025-01-20"
    assert header("评价单位（公章）：某某县水务局\n填报日期：202511\n").report_date is None
    signed = header("某某县水务局2023年项目自评\n经自评，总体完成。\n某某县水务局2023年12月28日\n")
    assert signed.report_date == "2023-12-28"
    stamp = header("某某县水务局2023年部门预算\n发布时间：2023-02-11 09:30\n")
    assert stamp.report_date is None and stamp.published_date == "2023-02-11"
    under_title = header("2023年财政决算报告\n某某县某某镇人民政府\n2024-07-01\n来源：本网\n")
    assert under_title.report_date is None


@pytest.mark.parametrize(
    "title, kind",
    [
        ("某某县水务局2023年度部门整体支出绩效自评报告", "performance_evaluation"),
        ("部门整体支出及项目支出绩效评价报告", "performance_evaluation"),
        ("项目支出绩效自评表（2022年度）", "project_evaluation"),
        ("某某县水务局2024年部门预算公开说明", "budget_statement"),
        ("关于某某镇2019年部门预算的批复", "budget_statement"),
        ("某某县水务局2022年度部门决算公开", "final_accounts_statement"),
        ("2021年某某县某某镇“三公”经费预算情况统计表", "three_public_disclosure"),
        ("机构职能", "other"),
    ],
)
def test_document_kind_from_the_title(title: str, kind: str) -> None:
    assert header(f"首页 > 信息公开 > 财政预决算\n{title}\n一、概况\n").document_kind == kind


def test_a_column_label_above_the_title_does_not_decide_the_kind() -> None:
    page = "财政预算公开\n- 发布日期: 2024-05-06\n某某市某某中心2023年度项目支出绩效自评报告\n一、基本情况\n"
    assert header(page).document_kind == "project_evaluation"


def test_source_url_when_the_page_states_it() -> None:
    h = header("原文链接：https://example.org/xxgk/2023/123.html\n某某县水务局2023年部门预算\n")
    assert h.source_url == "https://example.org/xxgk/2023/123.html"


def test_unit_in_brackets_after_the_title() -> None:
    assert (
        header("2023年度部门整体支出绩效评价报告\n（桃源县某某镇人民政府）\n").department_name == "桃源县某某镇人民政府"
    )


def test_units_merely_mentioned_in_sentences_are_not_the_unit() -> None:
    text = (
        "一、基本情况\n本年度按照上级部署开展工作，根据某某市财政局2023年部门预算编制要求和有关规定，"
        "我们认真组织，与某某镇人民政府协作推进各项任务，取得了较好成效，群众满意度较高。\n"
    )
    assert header(text).department_name is None


def test_prefix_is_not_added_when_the_text_writes_different_places() -> None:
    text = "单位名称：统计局\n根据岳阳市统计局通知，岳阳县统计局部署普查。\n"
    assert header(text).department_name == "统计局"


def test_date_inside_a_sentence_is_no_signature() -> None:
    text = "某某县水务局2023年部门整体支出绩效自评报告\n某某县水务局2023年3月5日召开专题会议部署自评工作。\n"
    assert header(text).report_date is None


def test_township_in_brackets_under_a_title_and_street_offices() -> None:
    assert header("2023年部门预算公开\n（石门县维新镇）\n一、概况\n").department_name == "石门县维新镇人民政府"
    assert header("单位名称：某某区某某街道\n").department_name == "某某区某某街道办事处"


def test_year_of_an_in_service_headcount_column() -> None:
    assert header("基础数据表\n填报单位：\n编制数 | 2023年实际在职人数 | 控制率\n").fiscal_year == 2023


def test_publication_stamp_after_a_source_credit() -> None:
    h = header("来源：某某镇   2022-09-28 20:14\n浏览量：1\n")
    assert h.published_date == "2022-09-28" and h.report_date is None
    assert h.department_name == "某某镇人民政府"  # a township credited as the source, with no other unit named


def test_bare_unit_cell_with_a_separator() -> None:
    assert header("项目支出绩效自评表\n部门 | 桃源县档案馆 | 单位：万元\n").department_name == "桃源县档案馆"
    assert header("三公经费表\n单位：万元\n").department_name is None


def test_signature_block_names_the_unit_over_units_listed_in_tables() -> None:
    text = (
        "关于2023年度部门整体支出绩效自评的报告\n"
        "单位 | 编制数 | 实有人数\n桃源县某某中心 | 12 | 11\n"
        "经自评，总体运行良好。\n桃源县档案馆\n2024年3月1日\n"
    )
    h = header(text)
    assert h.department_name == "桃源县档案馆" and h.report_date == "2024-03-01"


def test_traditional_script_with_injected_pinyin_glosses() -> None:
    text = (
        "鄂爾多斯市某某服務(wù)中心2022年度部門決算公開說(shuō)明\n"
        "第一部分 單位概況\n本單位編制人員12人，實有人員10人。\n"
    )
    h = header(text)
    assert (h.department_name, h.fiscal_year) == ("鄂尔多斯市某某服务中心", 2022)
    assert (h.province, h.city, h.county) == ("内蒙古自治区", "鄂尔多斯市", None)
    assert h.document_kind == "final_accounts_statement"


def test_unit_after_a_dash_at_the_end_of_a_title() -> None:
    assert header("2024年部门预算公开——桃源县档案馆\n一、概况\n").department_name == "桃源县档案馆"


def test_county_merged_into_another_keeps_its_place_and_own_identity() -> None:
    r = locate("邢台县某某镇人民政府", "", 2019)
    assert (r.province, r.city, r.county, r.county_code) == ("河北省", "邢台市", "邢台县", None)
    assert r.code == "130521" != locate("邢台市信都区某某镇人民政府", "").code


def test_rename_missing_from_the_history_is_read_off_the_older_table() -> None:
    r = locate("长泰县某某局", "", 2019)
    assert (r.province, r.city, r.county, r.county_code) == ("福建省", "漳州市", "长泰县", "350605")


def test_township_field_drops_an_unknown_county_before_it() -> None:
    h = header("某某县枫塘镇人民政府2022年部门预算\n")
    assert h.township == "枫塘镇"
