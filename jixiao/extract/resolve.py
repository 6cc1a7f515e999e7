"""One row per fact within a report: structured tables over prose, precise over rounded, findings for the rest."""

from __future__ import annotations

from collections import defaultdict

from jixiao.extract.context import Context
from jixiao.model import Fact, Finding
from jixiao.text.numbers import agrees_as_rounded, same_within_rounding

_MEASURE = {
    "fct_budget": "amount_wan",
    "fct_spending": "amount_wan",
    "fct_three_public_expenses": "amount_wan",
    "fct_staffing": "headcount",
}
_LABELS = {
    "fct_budget": "budget",
    "fct_spending": "spending",
    "fct_three_public_expenses": "三公经费",
    "fct_staffing": "headcount",
}


def _agree(a: Fact, b: Fact, measure: str) -> bool:
    va, vb = a.values.get(measure), b.values.get(measure)
    if va is None or vb is None:
        return va == vb
    if same_within_rounding(float(va), float(vb)):
        return True
    for x, y in ((a, b), (b, a)):
        if (
            x.decimals is not None
            and y.decimals is not None
            and y.decimals < x.decimals
            and y.decimals == 0
            and agrees_as_rounded(float(x.values[measure]), float(y.values[measure]), y.decimals)
        ):
            return True
    return False


def _is_yuan_slip(value: float, kept: float) -> bool:
    """A figure read as 元 (converted to 万元) whose digits are the kept 万元 figure: 元 written for 万元."""
    return kept != 0 and abs(value * 10000 - kept) <= 0.01


def _order(f: Fact) -> tuple:
    return (
        0 if f.source_kind == "table" else 1,
        f.prov.block,
        f.prov.row or 0,
        f.prov.col or 0,
        (f.prov.span or (0, 0))[0],
    )


def _describe(f: Fact) -> str:
    key = "/".join(str(v) for v in f.key.values())
    return f"{_LABELS.get(f.table, f.table)} {f.fiscal_year} {key}"


def resolve(ctx: Context) -> tuple[list[Fact], list[Finding]]:
    groups: dict[tuple, list[Fact]] = defaultdict(list)
    for fact in ctx.facts:
        if fact.fiscal_year is not None and ctx.fiscal_year is not None and fact.fiscal_year > ctx.fiscal_year:
            continue
        groups[fact.grain()].append(fact)
    resolved: list[Fact] = []
    findings = list(ctx.findings)
    for _grain, cands in groups.items():
        cands.sort(key=_order)
        measure = _MEASURE.get(cands[0].table)
        if measure is None:
            resolved.append(_merge_descriptive(cands))
            continue
        chosen = cands[0]
        agreeing = [c for c in cands if _agree(c, chosen, measure)]
        best = max(agreeing, key=lambda c: (c.source_kind == "table", c.decimals or 0, -_order(c)[1]))
        resolved.append(best)
        seen: set = set()
        for other in cands:
            if other in agreeing:
                continue
            value = other.values.get(measure)
            if value in seen:
                continue
            seen.add(value)
            if measure == "amount_wan" and value is not None and _is_yuan_slip(value, chosen.values[measure]):
                findings.append(
                    Finding(
                        "unit_slip",
                        "warn",
                        f"{_describe(chosen)}: '{other.prov.text[:60]}' writes {value * 10000:g}元 where "
                        f"{chosen.values[measure]:g}万元 is meant (the report's table gives {chosen.values[measure]:g}万元)",
                        observed=f"{value * 10000:g}元",
                        expected=f"{chosen.values[measure]:g}万元",
                        prov=other.prov,
                    )
                )
                continue
            check = "narrative_table_conflict" if other.source_kind != chosen.source_kind else "same_report_conflict"
            findings.append(
                Finding(
                    check,
                    "warn" if check == "narrative_table_conflict" else "error",
                    f"{_describe(chosen)} is stated as {chosen.values[measure]:g} ({chosen.source_kind}, "
                    f"{chosen.prov.describe()}) and as {value:g} ({other.source_kind}, {other.prov.describe()}: "
                    f"'{other.prov.text[:80]}'); the warehouse keeps {chosen.values[measure]:g}",
                    observed=f"{value:g}",
                    expected=f"{chosen.values[measure]:g}",
                    prov=other.prov,
                )
            )
    resolved = _drop_rounded_generic_budgets(resolved)
    resolved = _implausible_values_left_out(resolved, findings)
    return resolved, _dedupe(findings)


_AMOUNT_FIELDS = ("amount_wan", "budget_wan", "actual_wan", "total_wan", "basic_wan", "project_wan", "headcount")


def _implausible_values_left_out(facts: list[Fact], findings: list[Finding]) -> list[Fact]:
    """A negative amount or a score above its weight is a misread or a slip: left out, with a finding."""
    kept = []
    for f in facts:
        negative = [k for k in _AMOUNT_FIELDS if isinstance(f.values.get(k), (int, float)) and f.values[k] < 0]
        if negative:
            findings.append(
                Finding(
                    "ambiguous_cell",
                    "warn",
                    f"{_describe(f)}: {negative[0]} {f.values[negative[0]]:g} is negative; left out",
                    observed=f"{f.values[negative[0]]:g}",
                    expected=">= 0",
                    prov=f.prov,
                )
            )
            continue
        weight, score = f.values.get("weight"), f.values.get("score")
        if f.table == "fct_indicator_scores" and weight is not None and score is not None and score > weight:
            findings.append(
                Finding(
                    "ambiguous_cell",
                    "warn",
                    f"indicator '{f.key.get('indicator_name')}' scores {score:g} of {weight:g} points; "
                    "the score is left out",
                    observed=f"{score:g}",
                    expected=f"<= {weight:g}",
                    prov=f.prov,
                )
            )
            f = Fact(f.table, f.fiscal_year, f.key, {**f.values, "score": None}, f.source_kind, f.prov, f.decimals)
        kept.append(f)
    return kept


def _merge_descriptive(cands: list[Fact]) -> Fact:
    """Projects, indicators and function rows: the first statement, gaps filled from later ones."""
    first = cands[0]
    values = dict(first.values)
    for other in cands[1:]:
        for k, v in other.values.items():
            if values.get(k) is None and v is not None:
                values[k] = v
    return Fact(first.table, first.fiscal_year, first.key, values, first.source_kind, first.prov, first.decimals)


def _drop_rounded_generic_budgets(facts: list[Fact]) -> list[Fact]:
    """A 'budget' figure that is only a rounding of the same item's initial/adjusted budget adds nothing."""
    specific = [
        f for f in facts if f.table == "fct_budget" and f.key.get("phase") in ("initial_budget", "adjusted_budget")
    ]
    out = []
    for f in facts:
        if f.table == "fct_budget" and f.key.get("phase") == "budget" and f.source_kind == "prose":
            twins = [
                s
                for s in specific
                if s.fiscal_year == f.fiscal_year
                and s.key.get("item") == f.key.get("item")
                and s.key.get("scope") == f.key.get("scope")
            ]
            if any(agrees_as_rounded(s.values["amount_wan"], f.values["amount_wan"], f.decimals or 0) for s in twins):
                continue
        out.append(f)
    return out


def _dedupe(findings: list[Finding]) -> list[Finding]:
    seen, out = set(), []
    for f in findings:
        key = (f.check, f.observed, f.prov.block if f.prov else None, f.prov.span if f.prov else None)
        if key in seen:
            continue
        seen.add(key)
        out.append(f)
    return out
