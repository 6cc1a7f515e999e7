"""Compare a ReportExtraction with a gold answer file (tests/fixtures/gold/README.md)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from jixiao.model import Fact, ReportExtraction

GOLD_DIR = Path(__file__).parent / "fixtures" / "gold"
HEADER_FIELDS = [
    "department_name",
    "province",
    "city",
    "county",
    "township",
    "fiscal_year",
    "report_date",
    "self_score",
    "grade",
]
AMOUNT_FIELDS = {"amount_wan", "budget_wan", "actual_wan", "total_wan", "basic_wan", "project_wan"}
EXACT_NUMBER_FIELDS = {"headcount", "weight", "score"}
TEXT_FIELDS = {"indicator_name", "project_name", "target_value", "actual_value", "subject_name"}


def load_gold(name: str) -> dict:
    return json.loads((GOLD_DIR / name).read_text(encoding="utf-8"))


def flatten(fact: Fact) -> dict:
    return {"table": fact.table, "fiscal_year": fact.fiscal_year, **fact.key, **fact.values}


def _squash(v):
    return re.sub(r"\s+", "", v) if isinstance(v, str) else v


def value_matches(field_name: str, want, got) -> bool:
    if want is None:
        return got is None
    if got is None:
        return False
    if field_name in AMOUNT_FIELDS:
        return abs(float(want) - float(got)) <= 0.01 + 1e-9
    if field_name in EXACT_NUMBER_FIELDS:
        return float(want) == float(got)
    if field_name in TEXT_FIELDS or isinstance(want, str):
        return _squash(str(want)) == _squash(str(got))
    return want == got


def row_matches(gold_row: dict, row: dict, keys_only: bool = False) -> bool:
    for k, v in gold_row.items():
        if keys_only and (
            k in AMOUNT_FIELDS or k in EXACT_NUMBER_FIELDS or k in {"target_value", "actual_value", "subject_name"}
        ):
            continue
        if k not in row and v is None:
            continue
        if not value_matches(k, v, row.get(k)):
            return False
    return True


def _key_fields(gold_row: dict) -> dict:
    return {
        k: v
        for k, v in gold_row.items()
        if k not in AMOUNT_FIELDS | EXACT_NUMBER_FIELDS | {"target_value", "actual_value", "subject_name"}
    }


@dataclass
class Comparison:
    missing: list[dict] = field(default_factory=list)
    wrong: list[tuple[dict, list[dict]]] = field(default_factory=list)
    absent_present: list[dict] = field(default_factory=list)
    extra: list[dict] = field(default_factory=list)
    header_diffs: dict = field(default_factory=dict)
    found: int = 0
    total: int = 0

    @property
    def recall(self) -> float:
        return self.found / self.total if self.total else 1.0

    def ok(self) -> bool:
        return not (self.missing or self.wrong or self.absent_present or self.extra or self.header_diffs)

    def report(self) -> str:
        lines = [f"found {self.found}/{self.total}"]
        lines += [f"MISSING {m}" for m in self.missing]
        lines += [f"WRONG {g} got {w}" for g, w in self.wrong]
        lines += [f"ABSENT-BUT-PRESENT {a}" for a in self.absent_present]
        lines += [f"EXTRA {e}" for e in self.extra]
        lines += [f"HEADER {k}: want {v[0]!r} got {v[1]!r}" for k, v in self.header_diffs.items()]
        return "\n".join(lines)


def compare(extraction: ReportExtraction, gold: dict, check_header: bool = True) -> Comparison:
    rows = [flatten(f) for f in extraction.facts]
    out = Comparison(total=len(gold["facts"]))
    for g in gold["facts"]:
        if any(row_matches(g, r) for r in rows):
            out.found += 1
            continue
        same_key = [r for r in rows if row_matches(_key_fields(g), r)]
        if same_key:
            out.wrong.append((g, same_key))
        else:
            out.missing.append(g)
    for a in gold.get("absent", []):
        hits = [r for r in rows if row_matches(a, r)]
        out.absent_present.extend(hits)
    for table in gold.get("complete", []):
        golds = [g for g in gold["facts"] if g["table"] == table]
        for r in rows:
            if r["table"] == table and not any(row_matches(_key_fields(g), r) for g in golds):
                out.extra.append(r)
    if check_header:
        h = extraction.header
        for k in HEADER_FIELDS:
            want, got = gold.get(k), getattr(h, k)
            if not value_matches(k, want, got):
                out.header_diffs[k] = (want, got)
    return out
