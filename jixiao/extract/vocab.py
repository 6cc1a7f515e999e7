"""The contract's vocabularies and the wordings that reports use for them."""
from __future__ import annotations

import re
from functools import lru_cache

from jixiao.extract.numbers import squash

# Budget / spending items (contract "Items shared by fct_budget and fct_spending").  Order
# matters: the first pattern that matches a label wins, so specific wordings come first.
ITEM_PATTERNS: list[tuple[str, str]] = [
    ("fund_special_nontax", r"纳入专户管理的非税收入"),
    ("fund_general_public", r"^一般公共预算(?:拨款|财政拨款|收入)?$"),
    ("fund_government_fund", r"^政府性基金(?:预算)?(?:拨款|收入|预算)?(?:支出)?$"),
    ("fund_state_capital", r"^国有资本经营预算(?:拨款|收入)?(?:支出)?$"),
    ("fund_social_insurance", r"^社会保险基金(?:预算)?(?:拨款|收入)?(?:支出)?$"),
    ("fund_higher_level", r"^上级补助收入$"),
    ("fund_other", r"^其他(?:资金|收入)$"),
    ("carryover_in", r"^年初结转和?结余$"),
    ("carryover_out", r"^年末结转和?结余$"),
    ("midyear_addition", r"^(?:年中|本年)追加(?:资金|预算)?$"),
    ("total", r"^(?:年度资金总额|整体支出|支出合计|本年支出|决算支出合计|财政拨款决算支出合计)$"),
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

ECONOMIC_ITEMS = {
    "wages_welfare",
    "goods_services",
    "household_subsidies",
    "enterprise_subsidies",
    "capital",
    "capital_construction",
    "debt_interest",
}
FUND_ITEMS = {c for c, _ in ITEM_PATTERNS if c.startswith("fund_")}

THREE_PUBLIC_PATTERNS: list[tuple[str, str]] = [
    ("vehicle_purchase", r"^(?:公务用?车|公车)购置(?:费|经费)?$"),
    ("vehicle_operation", r"^(?:公务用?车|公车)运行(?:维护|维修)?(?:费|经费)?$"),
    ("vehicle_total", r"^(?:公务用?车|公车)(?:购置(?:及|和|与)运行(?:维护|维修)?|购置(?:及|和|与)维护)(?:费|经费)?$"),
    ("vehicle_total", r"^公务用车$"),
    ("overseas_travel", r"^(?:因公)?出国(?:[(（]境[)）])?(?:费|经费)?$"),
    ("reception", r"^公务接待(?:费|经费)?$"),
    ("total", r"^[“\"]?三公[”\"]?经费(?:合计|支出|总额)?$"),
]
_THREE_PUBLIC_RES = [(code, re.compile(p)) for code, p in THREE_PUBLIC_PATTERNS]

# Rows of the 基础数据表 template that are not facts of any contract table.
# ×× placeholders: OCR often reads one × as x or X
TEMPLATE_ROWS = re.compile(r"业务工作经费|运行维护经费|专项资金[(（]每个|[×xX]{2}|部门基本支出预算调整|楼堂馆所|厉行节约")

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

GRADES = {"优秀": "优", "优": "优", "良好": "良", "良": "良", "中等": "中", "中": "中", "一般": "中", "较差": "中",
          "合格": "中", "差": "差", "不合格": "差"}

_LEAD = re.compile(r"^(?:其中[:：]?|[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+[、.．](?!\d)|[:：、\s])+")
_TRAIL = re.compile(r"[:：\s]+$|[(（](?:万元|元|人)[)）]$")


@lru_cache(maxsize=1 << 14)
def clean_label(label: str) -> str:
    """'其中：办公经费' → '办公经费'; '1、公务用车购置和维护经费' → '公务用车购置和维护经费'."""
    s = squash(label)
    s = _LEAD.sub("", s)
    s = _TRAIL.sub("", s)
    s = s.strip("“”\"")
    return s


@lru_cache(maxsize=1 << 14)
def item_for(label: str) -> str | None:
    s = clean_label(label)
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


def first_code(patterns: list[tuple[str | None, str]], text: str, default: str | None = None) -> str | None:
    """The code of the first pattern found in ``text`` (patterns are ordered specific first)."""
    for code, p in patterns:
        if re.search(p, text):
            return code
    return default


@lru_cache(maxsize=1 << 12)
def level1_for(name: str) -> str:
    return first_code(LEVEL1_PATTERNS, name, "other")  # type: ignore[return-value]


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
