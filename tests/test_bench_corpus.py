"""The synthetic benchmark corpus: deterministic, internally consistent, every layout and bad file present."""
from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from pathlib import Path

import docx
import pytest

from jixiao.bench.corpus import BAD_KINDS, CorpusPlan, build_report, generate_corpus
from jixiao.bench.layouts import LAYOUTS
from jixiao.bench.scoring import GRAIN, grain_of
from jixiao.bench.units import real_counties

N = 240


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("bench") / "corpus"
    generate_corpus(out, N, seed=11, workers=2)
    return out


def _records(corpus: Path) -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted((corpus / "expected").glob("*.json"))]


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()
            and p.name != "manifest.json"}


def test_same_seed_same_bytes_and_other_seed_differs(corpus: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    generate_corpus(again, N, seed=11, workers=1)  # serial: bytes must not depend on the worker count
    assert _digest(again) == _digest(corpus)
    other = tmp_path / "other"
    generate_corpus(other, 30, seed=12, workers=1)
    first = {p.read_bytes() for p in (corpus / "reports").iterdir() if p.name < "00030"}
    assert not first & {p.read_bytes() for p in (other / "reports").iterdir()}


def test_every_layout_and_bad_file_kind_appears(corpus: Path) -> None:
    layouts = Counter(r["layout"] for r in _records(corpus))
    assert set(LAYOUTS) <= set(layouts), layouts
    assert set(BAD_KINDS) <= set(layouts), layouts
    files = {p.name: p for p in (corpus / "reports").iterdir()}
    assert len(files) == N
    for r in _records(corpus):
        data = files[r["source_file"]].read_bytes()
        if r["layout"] == "tab":
            assert b"\n\t" in data
        elif r["layout"] in ("web", "pipe"):
            assert b"\t" not in data
            if r["layout"] == "pipe":
                assert b"|" in data
        elif r["layout"] == "docx":
            assert len(docx.Document(files[r["source_file"]]).tables) >= 3
        elif r["layout"] == "html":
            assert b"rowspan=" in data and b"colspan=" in data
        elif r["layout"] == "empty":
            assert data == b""


def _get(record: dict, table: str, year: int, **key) -> float | None:
    for f in record["facts"]:
        if f["table"] == table and f["fiscal_year"] == year and all(f.get(k) == v for k, v in key.items()):
            return f.get("amount_wan", f.get("headcount"))
    return None


def test_amounts_are_internally_consistent(corpus: Path) -> None:
    checked = Counter()
    for r in _records(corpus):
        if r["status"] != "loaded":
            continue
        fy = r["fiscal_year"]
        tp = "fct_three_public_expenses"
        for year, phase in ((fy, "budget"), (fy, "actual"), (fy - 1, "actual")):
            parts = [_get(r, tp, year, category=c, phase=phase) for c in ("vehicle_total", "overseas_travel", "reception")]
            total = _get(r, tp, year, category="total", phase=phase)
            if total is not None:
                assert total == pytest.approx(sum(parts), abs=0.011)
                vp, vo = (_get(r, tp, year, category=c, phase=phase) for c in ("vehicle_purchase", "vehicle_operation"))
                assert parts[0] == pytest.approx(vp + vo, abs=0.011)
                checked["three_public"] += 1
        basic, project = _get(r, "fct_spending", fy, item="basic"), _get(r, "fct_spending", fy, item="project")
        total = _get(r, "fct_spending", fy, item="total")
        funds = [f["amount_wan"] for f in r["facts"] if f["table"] == "fct_spending" and f["fiscal_year"] == fy
                 and f["item"].startswith("fund_")]
        projects = [f for f in r["facts"] if f["table"] == "fct_projects"]
        assert sum(p["actual_wan"] for p in projects) == pytest.approx(project, abs=0.01 * len(projects) + 0.01)
        assert sum(p["budget_wan"] for p in projects) == pytest.approx(
            _get(r, "fct_budget", fy, item="project", phase="budget"), abs=0.01 * len(projects) + 0.01)
        if total is not None and r["slip"] != "parts":
            assert basic + project == pytest.approx(total, abs=0.011)
            assert sum(funds) == pytest.approx(total, abs=0.011)
            checked["sums"] += 1
        elif r["slip"] == "parts":
            assert basic + project != pytest.approx(total, abs=0.011)
            assert {i["check"] for i in r["expected_issues"]} >= {"basic_project_sum", "funds_by_source_sum"}
        st = {f["metric"]: f["headcount"] for f in r["facts"] if f["table"] == "fct_staffing"}
        assert st["authorized"] == st["authorized_admin"] + st["authorized_institution"]
        assert st["actual"] == st["actual_admin"] + st["actual_institution"]
        indicators = [f for f in r["facts"] if f["table"] == "fct_indicator_scores"]
        weights = [f["weight"] for f in indicators]
        assert sum(weights) == 100
        assert all(f["score"] is None or 0 <= f["score"] <= f["weight"] for f in indicators)
        assert r["self_score"] == pytest.approx(sum(f["score"] or 0 for f in indicators), abs=0.05)
        by_l1 = defaultdict(int)
        for f in indicators:
            by_l1[f["level1"]] += f["weight"]
        assert dict(by_l1) == {"budget_execution": 10, "output": 50, "benefit": 30, "satisfaction": 10}
        for item in ("office", "utilities_travel", "meetings_training"):
            part, whole = _get(r, "fct_spending", fy, item=item), _get(r, "fct_spending", fy, item="public_funds")
            if part is not None:
                assert part <= whole
    assert checked["three_public"] > N and checked["sums"] > N / 2


def test_slips_are_present_and_labelled(corpus: Path) -> None:
    records = [r for r in _records(corpus) if r["status"] == "loaded"]
    slips = Counter(r["slip"] for r in records)
    assert {"unit", "grade", "parts"} <= set(slips), slips
    files = corpus / "reports"
    for r in records:
        checks = {i["check"] for i in r["expected_issues"]}
        if r["slip"] == "grade":
            usual = "优" if r["self_score"] >= 90 else "良" if r["self_score"] >= 80 else "中" if r["self_score"] >= 60 else "差"
            assert r["grade"] != usual and "grade_score_mismatch" in checks
        if r["slip"] == "unit" and r["layout"] in ("tab", "web", "pipe"):
            text = (files / r["source_file"]).read_text(encoding="utf-8")
            assert "unit_slip" in checks and "元。" in text and "万元" in text
        if r["slip"] is None:
            assert not checks


def test_expected_records_are_well_formed(corpus: Path) -> None:
    counties = {c.code: c for c in real_counties()}
    seen_grains: set = set()
    for r in _records(corpus):
        assert (corpus / "reports" / r["source_file"]).exists()
        if r["status"] == "quarantined":
            assert r["facts"] == [] and r["layout"] in BAD_KINDS
            continue
        assert 2015 <= r["fiscal_year"] <= 2025
        county = counties[r["county_code"]]
        assert (county.province, county.city, county.county) == (r["province"], r["city"], r["county"])
        assert r["department_name"].endswith(r["county"] + r["township"] + "人民政府")
        assert r["township"][-1] in "镇乡"
        assert r["grade"] in (None, "优", "良", "中", "差")
        grains = [grain_of(f) for f in r["facts"]]
        assert len(grains) == len(set(grains)), "one fact per grain"
        absent = {grain_of(a) for a in r["absent"]}
        assert not absent & set(grains)
        for f in r["facts"]:
            assert f["table"] in GRAIN and f["table"] in r["complete"]
            assert all(k in f for k in GRAIN[f["table"]] if k != "scope")
            assert f["fiscal_year"] in (r["fiscal_year"], r["fiscal_year"] - 1)
        seen_grains.add(len(grains))
    assert len(seen_grains) > 5  # reports differ in size


def test_a_unit_reports_the_same_prior_year_figures_as_its_own_earlier_report() -> None:
    plan = CorpusPlan(400, seed=3)
    by_unit_year = {}
    for i in range(400):
        if i in plan.bad_indices():
            continue
        _, _, rec = build_report(plan, i)
        by_unit_year[(rec["county_code"], rec["township"], rec["fiscal_year"])] = rec
    pairs = 0
    for (code, town, fy), rec in by_unit_year.items():
        earlier = by_unit_year.get((code, town, fy - 1))
        prev = _get(rec, "fct_spending", fy - 1, item="public_funds")
        if earlier is None or prev is None:
            continue
        assert prev == _get(earlier, "fct_spending", fy - 1, item="public_funds")
        pairs += 1
    assert pairs > 10
