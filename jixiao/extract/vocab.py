"""The contract's vocabularies and the wordings that reports use for them."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from jixiao.contract import spec
from jixiao.text.numbers import squash

# Codes, labels and groups come from the contract (jixiao/contract/spec.yml); this module holds only
# the wordings and patterns reports use for them (tests/test_contract_spec.py checks every code here).
_SPEC = spec()

# Budget / spending items (contract "Items shared by fct_budget and fct_spending").  Order
# matters: the first pattern that matches a label wins, so specific wordings come first.
ITEM_PATTERNS: list[tuple[str, str]] = [
    ("fund_special_nontax", r"纳入专户管理的非税收入"),
    ("fund_general_public", r"^(?:一般公共预算|公共财政(?:预算)?)(?:财政)?(?:拨款|资金)?(?:收入)?$"),
    ("fund_government_fund", r"^政府性?基金(?:预算)?(?:财政)?(?:拨款|收入|预算)?(?:收入|支出)?$"),
    ("fund_state_capital", r"^国有资本经营预算(?:拨款|收入)?(?:支出)?$"),
    ("fund_social_insurance", r"^社会保险基金(?:预算)?(?:拨款|收入)?(?:支出)?$"),
    ("fund_higher_level", r"^上级补助收入$"),
    ("fund_other", r"^其他(?:资金|收入)$"),
    ("carryover_in", r"^(?:年初|上年)结转和?(?:结余)?$"),
    ("carryover_out", r"^(?:年末|年终)结转和?结余$"),
    ("midyear_addition", r"^(?:年中|本年)追加(?:资金|预算)?$"),
    ("total", r"^(?:年度资金总额|整体支出|支出合计|本年支出(?:合计)?|决算支出合计|财政拨款决算支出合计)$"),
    ("personnel", r"^人员经费(?:支出)?$"),
    ("public_funds", r"^公用经费(?:支出)?$"),
    ("office", r"^办公经费$"),
    ("utilities_travel", r"^水费、?电费、?差旅费$"),
    ("meetings_training", r"^会议费、?培训费$"),
    ("government_procurement", r"^政府采购(?:金额|支出)?$"),
    ("wages_welfare", r"^工资福利(?:支出)?$"),
    ("goods_services", r"^商品(?:和|与)?服务(?:支出)?$"),
    ("household_subsidies", r"^对个人和家庭(?:的)?(?:补助|支出)(?:支出)?$"),
    ("enterprise_subsidies", r"^对企业(?:的)?补助(?:支出)?$"),
    ("capital_construction", r"^基本建设(?:支出)?$"),
    ("capital", r"^(?:其他)?资本性支出$"),
    ("debt_interest", r"^债务利息及费用(?:支出)?$"),
    ("basic", r"^基本支出$"),
    ("project", r"^项目支出$"),
]
_ITEM_RES = [(code, re.compile(p)) for code, p in ITEM_PATTERNS]

_ITEM_GROUPS = _SPEC.vocab("items").field("item_group")
ECONOMIC_ITEMS = {code for code, group in _ITEM_GROUPS.items() if group == "economic"}
FUND_ITEMS = {code for code, group in _ITEM_GROUPS.items() if group == "fund_source"}

THREE_PUBLIC_PATTERNS: list[tuple[str, str]] = [
    ("vehicle_purchase", r"^(?:公务用?车|公车)购置(?:费|经费)?$"),
    ("vehicle_operation", r"^(?:公务用?车|公车)运行(?:维护|维修)?(?:费|经费)?$"),
    ("vehicle_total", r"^(?:公务用?车|公车)(?:购置(?:及|和|与)运行(?:维护|维修)?|购置(?:及|和|与)维护)(?:费|经费)?$"),
    ("vehicle_total", r"^(?:公务用?车|公车)(?:费|经费|费用)?$"),
    ("overseas_travel", r"^(?:因公)?出国(?:[(（]境[)）])?(?:费|经费|费用)?$"),
    ("reception", r"^公务接待(?:费|经费|费用)?$"),
    ("total", r"^[“\"]?三公[”\"]?经费(?:合计|支出|总额)?$"),
]
_THREE_PUBLIC_RES = [(code, re.compile(p)) for code, p in THREE_PUBLIC_PATTERNS]
# The total row of a table whose rows are 三公 categories (there it is the 三公 total, not the unit's).
_TABLE_TOTAL = re.compile(r"^(?:支出)?(?:合计|总计|小计)(?:数)?$")


def is_table_total(label: str) -> bool:
    """合计 / 总计 / 小计 / 支出合计: the total row of the table the label stands in."""
    return bool(_TABLE_TOTAL.match(clean_label(label)))


# Classes (类) of the 支出功能分类科目, current and earlier names; a label naming one is a function line.
FUNCTION_CLASS = re.compile(
    r"^(?:一般公共服务|外交|国防|公共安全|教育|科学技术|文化旅游体育与传媒|文化体育与传媒|社会保障和就业|社会保险基金"
    r"|卫生健康|医疗卫生与计划生育|医疗卫生|节能环保|城乡社区|交通运输|资源勘探工业信息等|资源勘探信息等"
    r"|商业服务业等|金融|援助其他地区|自然资源海洋气象等|国土海洋气象等|住房保障|粮油物资储备|国有资本经营预算"
    r"|灾害防治及应急管理|其他|转移性|债务还本|债务付息|债务发行费用|抗疫特别国债安排的)支出$"
    r"|^(?:城乡社区|农林水|商业服务业等)(?:支出|事务)$|^预备费$"
)


def function_class(label: str) -> str | None:
    """The class name a label gives ("一、一般公共服务支出" → "一般公共服务支出"), else None."""
    name = clean_label(label)
    return name if FUNCTION_CLASS.match(name) else None


# Rows of the 基础数据表 template that are not facts of any contract table.
# ×× placeholders: OCR often reads one × as x or X
TEMPLATE_ROWS = re.compile(
    r"业务工作经费|运行维护经费|专项资金[(（]每个|[×xX]{2}|部门基本支出预算调整|楼堂馆所|厉行节约"
)

LEVEL1_PATTERNS: list[tuple[str, str]] = [
    ("budget_execution", r"预算执行|年度资金总额|资金执行"),
    ("management", r"预算管理|资产管理|财务管理|过程"),
    ("output", r"产出"),
    ("benefit", r"效益|效果"),
    ("satisfaction", r"满意"),
]
LEVEL2_PATTERNS: list[tuple[str, str]] = [
    ("quantity", r"数量"),
    ("quality", r"质量"),
    ("timeliness", r"时效|及时"),
    ("cost", r"成本"),
    ("economic", r"经济效益"),
    ("social", r"社会效益"),
    ("ecological", r"生态效益"),
    ("sustainability", r"可持续"),
    ("satisfaction", r"满意"),
]

# A grade as written -> 优 / 良 / 中 / 差 (优秀→优, 良好→良, 较差/一般/合格→中, 不合格→差).
GRADES: dict[str, str] = _SPEC.vocab("grade_labels").field("grade")

_LEAD = re.compile(
    r"^(?:其中[:：]?|[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+[、.．](?!\d)|[:：、\s])+"
)
_TRAIL = re.compile(r"[:：\s]+$|[(（](?:万元|元|人)[)）]$")


_RELATIVE_YEAR_DASH = re.compile(r"(?<=[本上今去当])-(?=[\u4e00-\u9fff])")


def year_dash_read(text: str) -> str:
    """A label as the vocabularies read it when a mirror printed "年" as "-": '上-结转' → '上年结转'."""
    return _RELATIVE_YEAR_DASH.sub("年", text)


@lru_cache(maxsize=1 << 14)
def clean_label(label: str) -> str:
    """'其中：办公经费' → '办公经费'; '1、公务用车购置和维护经费' → '公务用车购置和维护经费'."""
    s = squash(label)
    s = _LEAD.sub("", s)
    s = _TRAIL.sub("", s)
    s = s.strip('“”"')
    return s


@lru_cache(maxsize=1 << 14)
def item_for(label: str) -> str | None:
    s = year_dash_read(clean_label(label))
    for code, rx in _ITEM_RES:
        if rx.search(s):
            return code
    return None


@lru_cache(maxsize=1 << 14)
def three_public_category(label: str) -> str | None:
    s = clean_label(label).replace("“", "").replace("”", "").replace('"', "")
    for code, rx in _THREE_PUBLIC_RES:
        if rx.search(s):
            return code
    return None


STAFFING_PATTERNS: list[tuple[str | None, str]] = [
    (None, r"率|比例"),
    ("authorized_admin", r"行政编制"),
    ("authorized_institution", r"事业编制"),
    ("unauthorized", r"编外|无编"),
    ("authorized", r"编制"),
    ("retired", r"离退休|退休"),
    ("actual_admin", r"在职行政"),
    ("actual_institution", r"在职事业"),
    ("actual", r"实际在职|在职人数|实有人数|在职人员"),
]


def first_code(patterns: Sequence[tuple[str | None, str]], text: str, default: str | None = None) -> str | None:
    """The code of the first pattern found in ``text`` (patterns are ordered specific first)."""
    for code, p in patterns:
        if re.search(p, text):
            return code
    return default


@lru_cache(maxsize=1 << 12)
def level1_for(name: str) -> str:
    return first_code(LEVEL1_PATTERNS, name, "other")  # type: ignore[return-value]


# The 一级指标 a 二级指标 stands under in every 自评表 template (the spec's level2 parent_level1).
_LEVEL2_PARENT: dict[str, str | None] = _SPEC.vocab("level2").field("parent_level1")


def level1_of_level2(level2: str) -> str:
    """The level1 code of a row whose 一级指标 the table does not state, from its level2."""
    return _LEVEL2_PARENT.get(level2) or "other"


@lru_cache(maxsize=1 << 12)
def level2_for(name: str) -> str:
    return first_code(LEVEL2_PATTERNS, name, "other")  # type: ignore[return-value]


@lru_cache(maxsize=1 << 12)
def staffing_metric(label: str) -> str | None:
    """编制数 → authorized, 2024年实际在职人数 → actual, 控制率 → None."""
    return first_code(STAFFING_PATTERNS, squash(label))


def normalize_grade(text: str | None) -> str | None:
    if not text:
        return None
    return GRADES.get(text.strip("“”\"' "))


# --- Wordings of prose statements (prose_money, prose_three_public, prose_staffing) -------------
# Budget / spending items named in a sentence.  A clause's label (its words before the amount, with
# enumerators, 其中, years and 全镇-style prefixes removed) must be one of these as a whole; the
# first pattern that matches wins.
PROSE_ITEMS: list[tuple[str, str]] = [
    (
        "fund_special_nontax",
        r"纳入(?:财政)?专户管理的非税收入(?:拨款)?(?:收入)?|财政专户(?:管理资金)?(?:拨款)?(?:收入)?",
    ),
    # "一般公共预算收入" without 拨款 is a government's fiscal revenue, not a unit's funds by source
    ("fund_general_public", r"(?:一般公共预算|一般预算)(?:财政)?(?:拨款(?:收入|支出)?|支出)?"),
    ("fund_government_fund", r"政府性基金(?:预算)?(?:财政)?(?:拨款)?(?:收入?|支出)?"),
    ("fund_state_capital", r"国有资本经营(?:预算)?(?:财政)?(?:拨款)?(?:收入|支出)?"),
    ("fund_social_insurance", r"社会保险基金(?:预算)?(?:财政)?(?:拨款)?(?:收入|支出)?"),
    ("fund_higher_level", r"上级补助(?:收入)?"),
    ("fund_other", r"其他收入|其他资金"),
    ("carryover_in", r"(?:上年|年初)结转(?:和?结余)?(?:收入|资金)?"),
    ("carryover_out", r"年末结转(?:和?结余)?"),
    ("wages_welfare", r"工资福利(?:性)?(?:支出)?"),
    ("goods_services", r"(?:一般)?商品(?:和|与)?服务(?:支出)?"),
    ("household_subsidies", r"对个人和家庭(?:的)?(?:补助(?:支出)?|支出)"),
    ("enterprise_subsidies", r"对企业(?:的)?补助(?:支出)?"),
    ("capital_construction", r"基本建设(?:支出)?"),
    ("capital", r"(?:其他)?资本性支出"),
    ("debt_interest", r"债务利息及费用(?:支出)?"),
    ("personnel", r"人员经费(?:支出)?"),
    ("public_funds", r"(?:日常)?公用经费(?:支出)?"),
    ("government_procurement", r"政府采购(?:预算)?(?:金额|总额|支出总额|支出)?"),
    ("basic", r"基本支出(?:资金)?"),
    ("project", r"项目(?:经费)?支出(?:资金)?"),
    # not "财政拨款支出" (appropriations only) nor "支出总计" (which holds the 年末结转)
    (
        "total",
        r"(?:本单位|本部门|单位|部门)?(?:本年)?支出(?:预算)?(?:合计|总额)?|预算支出(?:总额)?"
        r"|(?:本年)?(?:财政拨款)?决算支出(?:合计)?|整体支出|年度资金总额|资金总额",
    ),
]
# Words after an item that only say which phase the amount is ("基本支出预算", "一般公共服务支出决算数").
PROSE_PHASE_SUFFIX = r"(?:年初预算数?|调整后预算数?|全年预算数?|预算数?|决算数?|执行数|实际支出数?)"
# A label that is only a phase ("2026年年初预算数1101万元", "全年执行数为1200万元") names the income or
# spending total of its passage; the subject is stated before it or by the passage heading.
PROSE_BARE_PHASE = (
    r"(?:(?:年初|调整后|全年)预算支出(?:数|总额|合计)?|年初(?:批复)?预算(?:批复)?数?|调整后预算数?|全年预算数?|全年执行数|全年决算数"
    r"|(?:年度|本年度?)?(?:预算数|决算数|执行数))"
)
PROSE_SUBJECTS: list[tuple[str, str]] = [
    ("income", r"(?:本年)?(?:预算)?(?:总)?收入(?:预算|决算|总计|合计)?(?:总额)?(?:情况)?(?:说明)?"),
    ("spending", r"(?:本年)?(?:预算)?支出(?:预算|决算|合计)?(?:情况)?(?:说明)?"),
]

# 三公 categories named in a sentence (searched; the one nearest the amount wins).
PROSE_THREE_PUBLIC: list[tuple[str, str]] = [
    (
        "vehicle_total",
        r"(?:公务用?车|公车)(?:辆)?购置(?:及|和|与)(?:运行(?:维护|维修)?|运维|维护)(?:费用?|经费)?"
        r"|^购置(?:及|和|与)运行(?:维护)?费用?",
    ),  # "公务用车保有量2辆，购置及运行维护费5万元"
    ("vehicle_purchase", r"(?:公务用?车|公车)(?:辆)?购置(?:费用?|经费)?"),
    ("vehicle_operation", r"(?:公务用?车|公车)(?:运行|运维)(?:及|和)?(?:维护|维修)?(?:费用?|经费)?"),
    ("overseas_travel", r"因公出国[(（]?境?[)）]?(?:费用?|经费)?|出国(?:[(（]境[)）])?(?:费用?|经费)"),
    ("reception", r"公务接待(?:费用?|经费)?"),
    ("total", r"[“\"‘'「]?三公[”\"’'」]?经费"),
]

# 功能分类 classes (类) as prose names them, current and pre-2019 names.  "其他支出" is a class too,
# but it is read only where the sentence says it lists function classes.
FUNCTION_CLASSES: list[str] = [
    "一般公共服务支出",
    "外交支出",
    "国防支出",
    "公共安全支出",
    "教育支出",
    "科学技术支出",
    "文化旅游体育与传媒支出",
    "文化体育与传媒支出",
    "文化和旅游支出",
    "社会保障和就业支出",
    "卫生健康支出",
    "医疗卫生与计划生育支出",
    "医疗卫生支出",
    "节能环保支出",
    "城乡社区支出",
    "城乡社区事务",
    "农林水支出",
    "农林水事务",
    "交通运输支出",
    "资源勘探工业信息等支出",
    "资源勘探信息等支出",
    "商业服务业等支出",
    "金融支出",
    "援助其他地区支出",
    "自然资源海洋气象等支出",
    "国土海洋气象等支出",
    "住房保障支出",
    "粮油物资储备支出",
    "灾害防治及应急管理支出",
    "预备费",
    "债务付息支出",
    "债务发行费用支出",
]
# A sentence that says it lists function classes: any name in it is a class (down to 款/项).
FUNCTION_LIST_CUE = r"功能分类|支出科目|按科目"
# A sentence that introduces a list of projects on the lines below it.
PROJECT_LIST_CUE = r"项目.{0,12}如下[:：]?\s*$"

# Words that make a clause a comparison, a share or a derived figure, never a stated amount.
PROSE_COMPARISON = (
    r"较|比上年|比20\d\d|同比|相比|增加|减少|节约|超支|下降|上升|增长|降低|持平|差异|差额|结余率|占|平均"
    r"|人均|收回|核减|以内|以上|以下|超过|大于|小于|高于|低于|变动|变化"
)

# Phase markers of prose (fund names are removed first: "一般公共预算" names a fund, not a phase;
# "项目预算支出" is budgetary spending, which evaluation reports use for what was spent).
PROSE_FUND_NAMES = (
    r"一般公共预算|一般预算|公共预算(?=财政|拨款|收入|支出)|(?<=[般共])预算支出|政府性基金预算|国有资本经营预算|社会保险基金预算|预算单位|预算管理|预算法"
    r"|预算绩效|预算执行率|预算拨款|预算信息|预决算"
)
PROSE_PHASE_MARKERS: list[tuple[str, str]] = [
    ("initial_budget", r"年初(?:批复)?预算(?:批复)?|年初批复"),
    ("adjusted_budget", r"调整后?预算|全年预算"),
    ("actual", r"决算|执行数|执行情况|预算执行|完成情况|实际支出|实际|完成|执行"),
    ("budget", r"预算|批复|安排"),
]

# Staffing wordings: a clause label is checked for 编外 wordings, then against the exclusions (no
# contract metric), then against the other metrics in order.
STAFF_EXCLUDE = (
    r"其他人员|编制内|编内|公益|挂靠|遗属|学生|退职|离休|后勤|工勤|公勤|公务员|参公|参照|职称|管理人员|技师|[高中初]级工"
    r"|工人|差额|全额|全部补助|自收自支|纳入|慰问|培训|走访|帮扶|接待|组织|参加|参与|发放|救助|安置|补助|补贴|资助"
    r"|选派|提拔|招聘|招录|录用|考试|通过|覆盖|服务对象|涉及|惠及|新增|减少|增加|调入|调出|机构数|单位$|单位数|范围|个数|处室|科室|股室|批次|人次|党员|车|人口|幼儿|学员"
)
STAFF_METRICS: list[tuple[str, str]] = [
    ("unauthorized", r"编外|编制外|无编|人事派遣|劳务派遣|外聘"),
    ("retired", r"离退休|退休"),
    ("authorized_admin", r"行政编"),
    ("authorized_institution", r"事业编"),
    ("authorized", r"编制|核定人数|核定编"),
    ("actual_admin", r"行政(?:实有|在职)|在职行政|^行政人员$"),
    ("actual_institution", r"事业(?:实有|在职)|在职事业|^事业人员$"),
    ("actual", r"在职|实有|在编|在岗|教职工|职工"),
]
