"""What a prose passage is about: the phase (预算/决算) and subject (收入/支出) its headings and
sentences set, the unit its amounts carry, and the words that make a clause a comparison."""

from __future__ import annotations

import re
from dataclasses import dataclass

from jixiao.extract.vocab import (
    FUNCTION_CLASSES,
    FUNCTION_LIST_CUE,
    PROJECT_LIST_CUE,
    PROSE_COMPARISON,
    PROSE_FUND_NAMES,
    PROSE_PHASE_MARKERS,
)

_FUND_NAMES = re.compile(PROSE_FUND_NAMES)
_MARKERS = [(phase, re.compile(p)) for phase, p in PROSE_PHASE_MARKERS]
COMPARISON = re.compile(PROSE_COMPARISON)
_FUNCTION_CUE = re.compile(FUNCTION_LIST_CUE)
_INTRODUCES = re.compile(r"(?:如下|包括)[:：]?\s*$|[:：]\s*$")
_PROJECT_LIST_CUE = re.compile(PROJECT_LIST_CUE)
# a heading naming one part of spending (a function class, 基本支出, a project) rather than the whole
_NAMES_A_PART = re.compile(r"[(（][类款项][)）]|基本支出|项目支出|经费|" + "|".join(FUNCTION_CLASSES))
_ONE_GRANT = re.compile(r"当年拨款|一般公共预算财政拨款")
_SECTION_NUMBER = re.compile(r"\s*(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+[、.．])")
_SPACE_IN_WORD = re.compile(r"(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff])")
_PERCENT = re.compile(r"\d\s*%|百分之")
BUDGETS = ("budget", "initial_budget", "adjusted_budget")


def phase_marks(text: str) -> list[tuple[int, str]]:
    """Phase words in ``text`` with their positions ("一般公共预算" is a fund's name and is skipped); a stray
    space inside a word ("年初预 算") does not hide it."""
    text = _SPACE_IN_WORD.sub("", text)
    masked = _FUND_NAMES.sub(lambda m: "#" * len(m.group(0)), text)
    taken: list[tuple[int, int, str]] = []
    for phase, rx in _MARKERS:
        for m in rx.finditer(masked):
            if not any(a < m.end() and m.start() < b for a, b, _ in taken):
                taken.append((m.start(), m.end(), phase))
    return sorted((a, p) for a, _, p in taken)


def last_phase(text: str) -> str | None:
    marks = phase_marks(text)
    return marks[-1][1] if marks else None


def label_phase(text: str) -> str | None:
    """The phase of an amount's own words: the last one named, made specific by 年初/调整后 beside it."""
    marks = [p for _, p in phase_marks(text)]
    if not marks:
        return None
    if marks[-1] == "actual":
        return "actual"
    for specific in ("initial_budget", "adjusted_budget"):
        if specific in marks:
            return specific
    return marks[-1]


def heading_phase(text: str) -> str | None:
    """The phase a heading sets; None where it names both (2023年决算及2024年预算) or neither."""
    phases = {p for _, p in phase_marks(text)}
    families = {"actual" if p == "actual" else "budget" for p in phases}
    if len(families) != 1:
        return None
    if "actual" in families:
        return "actual"
    for specific in ("initial_budget", "adjusted_budget"):
        if specific in phases:
            return specific
    return "budget"


def is_comparison(clause: str) -> bool:
    """A clause stating a change, a share or a rate (its amounts are never facts, its phase words never set one)."""
    return bool(COMPARISON.search(clause) or _PERCENT.search(clause))


def resolve_phase(label_phase: str | None, sentence_phase: str | None, running: str | None) -> str | None:
    """The phase of one amount: its own words, else its sentence's, else the passage's.  A bare 预算 takes
    the more specific 年初预算/调整后预算 of its sentence ("年初预算数…其中：教育支出预算1.17万元")."""
    for own in (label_phase, sentence_phase, running):
        if own is None:
            continue
        if own == "budget":
            for wider in (sentence_phase, running):
                if wider in ("initial_budget", "adjusted_budget"):
                    return wider
        return own
    return None


@dataclass
class PassageState:
    """What earlier headings and sentences of the document established."""

    phase: str | None = None  # the phase of the passage (from its headings and sentences)
    section_phase: str | None = None  # the phase the headings above set
    this_year_grant: bool = False  # the section speaks of one fund's grant only ("一般公共预算当年拨款情况")
    subject: tuple[str, str] | None = None  # ("spending", "支出预算") from a heading such as "(二)支出预算"
    function_list: bool = False  # the passage lists 功能分类 classes ("具体支出科目如下：")
    project_list: bool = False  # the passage lists projects ("具体项目情况说明如下：")
    parent: str | None = None  # basic / project whose sub-enumerated items follow ("1基本支出…" "1)工资福利支出…")
    unit: str | None = None  # the 单位 a heading declares ("（单位：万元）") for the paragraphs below it
    paragraph_year: int | None = None  # the year the paragraph's last sentence opened with
    default: str | None = None  # the phase where nothing else says one: actual in a self-evaluation report

    def see_title(self, text: str) -> None:
        """A self-evaluation report (绩效评价/自评) speaks of what was spent unless it says otherwise."""
        if re.search(r"绩效|评价|自评", _FUND_NAMES.sub("", text)):  # not "预算绩效情况说明"
            self.default = "actual"

    def see_heading(self, text: str, subject: tuple[str, str] | None, unit: str | None) -> None:
        """A heading sets the phase it names, the subject ("(二)支出预算") and the 单位 it declares."""
        if phase_marks(text):
            self.section_phase = heading_phase(text)  # None where the heading names both phases
        self.phase = self.section_phase  # a phase a sentence set ends with its section
        if _SECTION_NUMBER.match(text):
            # "五、一般公共预算当年拨款情况说明", "三、一般公共预算财政拨款支出决算情况": one fund's grant only
            self.this_year_grant = bool(_ONE_GRANT.search(text))
        self.subject, self.unit = subject, unit
        if self.subject is None and _NAMES_A_PART.search(text):
            self.subject = ("other", "")  # "(三)一般公共服务(类)行政运行(项)": amounts below are not the total
        self.function_list = False
        self.project_list = False
        self.parent = None

    def see_sentence(self, text: str) -> None:
        """A sentence without amounts that introduces what follows ("纳入2023年部门预算编制范围的单位包括：")
        sets the phase it names."""
        if _PROJECT_LIST_CUE.search(text):
            self.project_list = True  # "具体项目情况如下："
        if not _INTRODUCES.search(text) or is_comparison(text):
            return
        if phase_marks(text):
            self.phase = heading_phase(text)
        if _FUNCTION_CUE.search(text):
            self.function_list = True  # "具体支出科目如下："
