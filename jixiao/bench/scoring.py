"""Compare what the extractor read from a report with the facts the generator wrote into it.

A fact matches when its grain (table, fiscal_year and the table's key columns) and every column the
expected record lists agree: amounts within 0.01 万元, headcounts, weights and scores exactly, texts
with white space removed.  Precision counts extracted rows of the record's ``complete`` tables;
recall counts expected facts.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

GRAIN = {
    "fct_budget": ("item", "phase", "scope"),
    "fct_spending": ("item", "scope"),
    "fct_three_public_expenses": ("category", "phase"),
    "fct_staffing": ("metric",),
    "fct_indicator_scores": ("indicator_name",),
    "fct_projects": ("project_name",),
    "fct_budget_by_function": ("subject_code", "subject_name", "phase"),  # classes without codes differ by name
}
_AMOUNT_COLUMNS = {"amount_wan", "budget_wan", "actual_wan", "total_wan", "basic_wan", "project_wan"}
_TEXT_COLUMNS = {"indicator_name", "project_name", "target_value", "actual_value", "subject_name"}
_DEFAULTS = {"scope": "all"}
HEADER_FIELDS = (
    "fiscal_year",
    "province",
    "city",
    "county",
    "township",
    "department_name",
    "report_date",
    "self_score",
    "grade",
    "document_kind",
)
_WS = re.compile(r"\s+")
MAX_EXAMPLES = 40  # examples of each kind kept over a whole corpus (bounded at any size)


def _norm_text(value: Any) -> Any:
    return _WS.sub("", value) if isinstance(value, str) else value


def flat_fact(fact: Any) -> dict[str, Any]:
    """A :class:`jixiao.model.Fact` (or an expected dict) as one flat dict of contract columns."""
    if isinstance(fact, dict):
        return dict(fact)
    return {"table": fact.table, "fiscal_year": fact.fiscal_year, **fact.values, **fact.key}


def grain_of(row: dict[str, Any]) -> tuple:
    keys = GRAIN.get(row["table"], ())
    return (row["table"], row["fiscal_year"]) + tuple(_norm_text(row.get(k, _DEFAULTS.get(k))) for k in keys)


def _same(column: str, want: Any, got: Any) -> bool:
    if want is None or got is None:
        return want is None and got is None
    if column in _AMOUNT_COLUMNS:
        try:
            return abs(float(want) - float(got)) <= 0.01 + 1e-9
        except (TypeError, ValueError):
            return False
    if column in _TEXT_COLUMNS:
        return _norm_text(str(want)) == _norm_text(str(got))
    if isinstance(want, (int, float)) and isinstance(got, (int, float)):
        return abs(float(want) - float(got)) < 1e-9
    return want == got


def fact_matches(expected: dict[str, Any], got: dict[str, Any]) -> list[str]:
    """Columns of ``expected`` that ``got`` disagrees on (empty when it matches)."""
    return [
        col
        for col, want in expected.items()
        if col not in ("table", "fiscal_year") and not _same(col, want, got.get(col, _DEFAULTS.get(col)))
    ]


def _norm_name(name: str | None, province: str | None) -> str | None:
    if name and province and name.startswith(province):
        return name[len(province) :]
    return name


@dataclass
class ReportScore:
    """The comparison of one report: counts and examples of every miss and wrong row."""

    source_file: str
    expected_facts: int = 0
    found: int = 0
    extracted: int = 0  # rows of complete tables
    correct: int = 0
    status_ok: bool = True
    header_checked: int = 0
    header_ok: int = 0
    missed: list[dict] = field(default_factory=list)  # expected facts not found (with what was read instead)
    wrong: list[dict] = field(default_factory=list)  # extracted rows not expected
    header_errors: list[dict] = field(default_factory=list)


def score_report(record: dict[str, Any], extraction: Any) -> ReportScore:
    """Compare one expected record with one ``ReportExtraction``."""
    score = ReportScore(record["source_file"])
    status = getattr(extraction, "status", "loaded")
    score.status_ok = status == record.get("status", "loaded")
    if record.get("status") == "quarantined" or status != "loaded":
        score.expected_facts = len(record["facts"])
        score.missed = [dict(f, reason=f"status {status}") for f in record["facts"]]
        return score
    got = [flat_fact(f) for f in extraction.facts]
    by_grain: dict[tuple, list[dict]] = {}
    for row in got:
        by_grain.setdefault(grain_of(row), []).append(row)
    expected_by_grain: dict[tuple, dict] = {grain_of(f): f for f in record["facts"]}
    score.expected_facts = len(record["facts"])
    for fact in record["facts"]:
        candidates = by_grain.get(grain_of(fact), [])
        if any(not fact_matches(fact, c) for c in candidates):
            score.found += 1
        else:
            read = [{k: c.get(k) for k in fact if k not in ("table",)} for c in candidates]
            score.missed.append({"expected": fact, "read": read})
    complete = set(record.get("complete", []))
    for row in got:
        if row["table"] not in complete:
            continue
        score.extracted += 1
        fact = expected_by_grain.get(grain_of(row))
        if fact is not None and not fact_matches(fact, row):
            score.correct += 1
        else:
            score.wrong.append(
                {"read": {k: v for k, v in row.items() if not k.endswith("_label_zh")}, "expected": fact}
            )
    header = extraction.header
    for name in HEADER_FIELDS:
        if name not in record:
            continue
        want, have = record[name], getattr(header, name, None)
        if name == "department_name":
            want, have = _norm_name(want, record.get("province")), _norm_name(have, record.get("province"))
        score.header_checked += 1
        if _same(name, want, have):
            score.header_ok += 1
        else:
            score.header_errors.append({"field": name, "expected": want, "read": have})
    return score


@dataclass
class CorpusScore:
    """Totals over many reports, with a few examples of each kind of error."""

    reports: int = 0
    expected_facts: int = 0
    found: int = 0
    extracted: int = 0
    correct: int = 0
    status_errors: int = 0
    header_checked: int = 0
    header_ok: int = 0
    missed_examples: list[dict] = field(default_factory=list)
    wrong_examples: list[dict] = field(default_factory=list)
    header_examples: list[dict] = field(default_factory=list)
    missed_by_table: Counter = field(default_factory=Counter)
    wrong_by_table: Counter = field(default_factory=Counter)
    missed_by_layout: Counter = field(default_factory=Counter)
    by_layout: dict[str, Counter] = field(default_factory=dict)  # counts per layout family

    @property
    def recall(self) -> float:
        return self.found / self.expected_facts if self.expected_facts else 1.0

    @property
    def precision(self) -> float:
        return self.correct / self.extracted if self.extracted else 1.0

    def layout_scores(self) -> dict[str, dict[str, Any]]:
        """Recall, precision and counts per layout family."""
        out = {}
        for layout, c in sorted(self.by_layout.items()):
            out[layout] = {
                "reports": c["reports"],
                "expected_facts": c["expected"],
                "found": c["found"],
                "recall": round(c["found"] / c["expected"], 5) if c["expected"] else 1.0,
                "extracted_rows": c["extracted"],
                "wrong_rows": c["extracted"] - c["correct"],
                "precision": round(c["correct"] / c["extracted"], 5) if c["extracted"] else 1.0,
                "status_errors": c["status_errors"],
            }
        return out

    def merge(self, other: CorpusScore, examples: int = 8) -> None:
        """Add the totals of ``other`` (a part of the same corpus) to these."""
        for attr in (
            "reports",
            "expected_facts",
            "found",
            "extracted",
            "correct",
            "status_errors",
            "header_checked",
            "header_ok",
        ):
            setattr(self, attr, getattr(self, attr) + getattr(other, attr))
        for mine, theirs in (
            (self.missed_examples, other.missed_examples),
            (self.wrong_examples, other.wrong_examples),
            (self.header_examples, other.header_examples),
        ):
            mine += theirs[: max(0, min(examples, MAX_EXAMPLES - len(mine)))]
        self.missed_by_table.update(other.missed_by_table)
        self.wrong_by_table.update(other.wrong_by_table)
        self.missed_by_layout.update(other.missed_by_layout)
        for layout, c in other.by_layout.items():
            self.by_layout.setdefault(layout, Counter()).update(c)

    def add(self, record: dict[str, Any], s: ReportScore, examples: int = 5) -> None:
        c = self.by_layout.setdefault(record.get("layout") or "?", Counter())
        c.update(
            {
                "reports": 1,
                "expected": s.expected_facts,
                "found": s.found,
                "extracted": s.extracted,
                "correct": s.correct,
                "status_errors": 0 if s.status_ok else 1,
            }
        )
        self.reports += 1
        self.expected_facts += s.expected_facts
        self.found += s.found
        self.extracted += s.extracted
        self.correct += s.correct
        self.status_errors += 0 if s.status_ok else 1
        self.header_checked += s.header_checked
        self.header_ok += s.header_ok
        for m in s.missed:
            table = m.get("expected", m).get("table")
            self.missed_by_table[table] += 1
            self.missed_by_layout[record.get("layout")] += 1
            if len(self.missed_examples) < examples * 4:
                self.missed_examples.append({"file": s.source_file, "layout": record.get("layout"), **m})
        for w in s.wrong:
            self.wrong_by_table[w["read"].get("table")] += 1
            if len(self.wrong_examples) < examples * 4:
                self.wrong_examples.append({"file": s.source_file, "layout": record.get("layout"), **w})
        for h in s.header_errors:
            if len(self.header_examples) < examples * 4:
                self.header_examples.append({"file": s.source_file, "layout": record.get("layout"), **h})

    def summary(self) -> dict[str, Any]:
        return {
            "reports": self.reports,
            "expected_facts": self.expected_facts,
            "found": self.found,
            "recall": round(self.recall, 5),
            "extracted_rows": self.extracted,
            "correct_rows": self.correct,
            "precision": round(self.precision, 5),
            "status_errors": self.status_errors,
            "header_accuracy": round(self.header_ok / self.header_checked, 5) if self.header_checked else 1.0,
            "missed_by_table": dict(self.missed_by_table),
            "wrong_by_table": dict(self.wrong_by_table),
            "missed_by_layout": dict(self.missed_by_layout),
            "by_layout": self.layout_scores(),
        }
