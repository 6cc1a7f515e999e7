"""项目支出绩效自评表 from a PDF text layer out of reading order.

The cells of such a form come out column by column or in pieces: the money values follow the
money header but some sit elsewhere, the indicators' value groups (指标值 完成值 分值 得分) come
in a run, their names, level-2 and level-1 words later, names cut in two ("…完成" … "率").
Nothing is placed by position alone; a form is read only as far as its own arithmetic and the
template confirm it:

* money: the values after the header fill the columns in order, a missing 执行率 / 执行数 /
  分值 is found only as the one figure of the form that satisfies 执行率 = 执行数 / 预算数 and
  得分 = 执行率 × 分值; exactly one reading must remain;
* indicators: as many value groups, names and level-2 words (one each, in order), the level-1
  of each level-2 as the standard template nests them, at least one group whose value words
  stand in its name (an anchor: '及时' in '费用结算及时性'), and the pair after the groups equal
  to the sums of 分值 and 得分 (the 总分);
* one-character pieces ('率') join the name before them.

The result is rows like a table's, read by :func:`jixiao.extract.indicators.walk_rows`.
"""

from __future__ import annotations

import itertools
import re

from jixiao.extract.indicator_columns import is_level1_word, is_level2_word
from jixiao.extract.project_tables import rate_agrees
from jixiao.text.numbers import clean_number_text

_TITLE = re.compile(r"[\u4e00-\u9fff]{0,8}项目支出绩效自评表\s*[(（]\s*(?:19|20)\d{2}\s*年度\s*[)）]")
_MONEY_HEADER = re.compile(r"年初预算数\s+全年预算数\s+全年执行数\s+分值\s+执行率\s+得分")
_MONEY_ROLES = ["initial", "adjusted", "spent", "weight", "rate", "score"]
_NUMBER = re.compile(r"^\d[\d,]*(?:\.\d+)?$")
_GROUP_VALUE = re.compile(r"^(?:[=<>≥≤]{0,2}\d+(?:\.\d+)?(?:%|[\u4e00-\u9fff]{1,3})?|[\u4e00-\u9fff]{1,6})$")
_LABELS = re.compile(
    r"^(?:项目名称|主管部门|实施单位|年度|总体|目标|预期目标|实际完成情况|指标值|实际|完成值|分值|得分"
    r"|一级指标|二级指标|三级指标|绩|效|指|标|总分|偏差原因分析及|改进措施|-\d+-)$"
)
_L2_TO_L1 = {
    "数量": "产出",
    "质量": "产出",
    "时效": "产出",
    "成本": "产出",
    "经济效益": "效益",
    "社会效益": "效益",
    "生态效益": "效益",
    "可持续影响": "效益",
    "服务对象满意度": "满意度",
    "满意度": "满意度",
}


def scrambled_rows(text: str) -> list[list[str]] | None:
    """Rows of every project form in ``text`` whose cells are out of reading order, or None."""
    titles = list(_TITLE.finditer(text))
    if not titles or not _MONEY_HEADER.search(text):
        return None
    rows: list[list[str]] = []
    for k, title in enumerate(titles):
        end = titles[k + 1].start() if k + 1 < len(titles) else len(text)
        rows += _form_rows(text[title.end() : end])
    return rows or None


def _form_rows(segment: str) -> list[list[str]]:
    rows: list[list[str]] = []
    name = _project_name(segment)
    rows.append(["项目名称", name or ""])
    unit = "(元)" if re.search(r"[(（]元[)）]", segment) else "(万元)"
    money = _money(segment)
    if money is None:
        return []  # not out of order, or not readable with certainty
    rows.append([f"项目资金{unit}", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"])
    rows.append(["年度资金总额", *money])
    indicators = _indicators(segment, float(money[3]), float(money[5]))
    if indicators:
        rows += indicators
    return rows


def _project_name(segment: str) -> str | None:
    """The name before the 项目名称 label (a PDF puts it first) or right after it."""
    m = re.search(r"项目名称", segment)
    if not m:
        return None
    before = re.sub(r"\s+", "", segment[: m.start()])
    if before:
        return before if len(before) <= 40 else None
    after = re.match(r"\s*(\S+?)\s+(?:主管部门|实施单位)", segment[m.end() :])
    return after.group(1) if after else None


def _tokens(text: str) -> list[str]:
    return text.split()


def _num(token: str) -> float | None:
    t = clean_number_text(token)
    return float(t) if _NUMBER.match(token) and re.fullmatch(r"\d+(?:\.\d+)?", t) else None


def _money(segment: str) -> list[str] | None:
    """The 年度资金总额 row's six cells, only when one reading satisfies the form's arithmetic."""
    h = _MONEY_HEADER.search(segment)
    assert h is not None
    tokens = _tokens(segment[h.end() :])
    run: list[str] = []
    for t in tokens:
        if _num(t) is None:
            break
        run.append(t)
    numbers = [(t, _num(t)) for t in _tokens(segment) if _num(t) is not None]
    rates = [t for t in _tokens(segment) if re.fullmatch(r"\d+(?:\.\d+)?%", t)]
    readings = []
    for length in range(3, min(len(run), 6) + 1):  # the row's own values, before the next row's
        for cols in itertools.combinations(range(6), length):
            cells: dict[str, str] = {_MONEY_ROLES[c]: v for c, v in zip(cols, run[:length])}
            if "initial" not in cells or "adjusted" not in cells or "score" not in cells:
                continue
            if "rate" in cells and not cells["rate"].endswith("%"):
                continue
            readings += _complete(cells, numbers, rates)
    if len(readings) != 1:
        return None
    return [readings[0][r] for r in _MONEY_ROLES]


def _complete(cells: dict[str, str], numbers: list[tuple[str, float | None]], rates: list[str]) -> list[dict[str, str]]:
    """Fill the missing columns from the form's other figures where the arithmetic admits one only."""
    base = _num(cells["adjusted"])
    score = _num(cells["score"])
    if not base or score is None:
        return []
    rate_options = [cells["rate"]] if "rate" in cells else rates
    out = []
    for rate in rate_options:
        r = float(rate.rstrip("%"))
        spent_options = (
            [cells["spent"]] if "spent" in cells else [t for t, v in numbers if rate_agrees(v or 0, base, rate)]
        )
        weight_options = (
            [cells["weight"]]
            if "weight" in cells
            else [t for t, v in numbers if v and v <= 100 and abs(min(r, 100) / 100 * v - score) <= 0.006]
        )
        for spent in set(spent_options):
            s = _num(spent)
            if s is None or not rate_agrees(s, base, rate):
                continue
            for weight in set(weight_options):
                w = _num(weight)
                if w is None or w > 100 or score > w or abs(min(r, 100) / 100 * w - score) > 0.006:
                    continue
                out.append({**cells, "spent": spent, "weight": weight, "rate": rate})
    return out


def _indicators(segment: str, budget_weight: float, budget_score: float) -> list[list[str]] | None:
    """Indicator rows when groups, names and level words agree in number, an anchor and the 总分 confirm."""
    h = re.search(r"分值\s+得分", segment[segment.find("三级指标") :]) if "三级指标" in segment else None
    if h is None:
        return None
    start = segment.find("三级指标") + h.end()
    before = _tokens(segment[segment.find("一级指标") : segment.find("三级指标") + h.start()])
    tokens = _tokens(segment[start:])
    groups: list[list[str]] = []
    i = 0
    while (
        i + 4 <= len(tokens)
        and all(_GROUP_VALUE.match(t) for t in tokens[i : i + 2])
        and _num(tokens[i + 2]) is not None
        and _num(tokens[i + 3]) is not None
    ):
        groups.append(tokens[i : i + 4])
        i += 4
    if not groups or i + 2 > len(tokens):
        return None
    total_w, total_s = _num(tokens[i]), _num(tokens[i + 1])
    if total_w is None or total_s is None:
        return None
    weights = [float(g[2]) for g in groups]
    scores = [float(g[3]) for g in groups]
    if abs(sum(weights) + budget_weight - total_w) > 0.005 or abs(sum(scores) + budget_score - total_s) > 0.005:
        return None
    words = [t for t in before + tokens[i + 2 :] if not _LABELS.match(t)]
    level2 = [w for w in words if is_level2_word(w) and not is_level1_word(w)]
    level1 = [w for w in words if is_level1_word(w)]
    names = _names([w for w in words if not is_level1_word(w) and not is_level2_word(w)])
    if not (len(names) == len(level2) == len(groups)):
        return None
    if not any(_anchored(g, n) for g, n in zip(groups, names)):
        return None
    rows: list[list[str]] = [["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"]]
    for g, name, l2 in zip(groups, names, level2):
        l1 = _parent(l2, level1)
        if l1 is None:
            return None
        rows.append([l1, l2, name, *g])
    rows.append(["总分", tokens[i], tokens[i + 1]])
    return rows


def _names(pieces: list[str]) -> list[str]:
    """Names in order; a one-character piece completes the name before it."""
    out: list[str] = []
    for p in pieces:
        if len(p) == 1 and out:
            out[-1] += p
        elif len(p) > 1:
            out.append(p)
    return out


def _anchored(group: list[str], name: str) -> bool:
    words = [v for v in group[:2] if re.fullmatch(r"[\u4e00-\u9fff]{2,}", v)]
    return any(w in name for w in words)


def _parent(level2: str, level1_words: list[str]) -> str | None:
    stem = level2.removesuffix("指标")
    want = _L2_TO_L1.get(stem)
    for w in level1_words:
        if want and w.removesuffix("指标") == want:
            return w
    return None
