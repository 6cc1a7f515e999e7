"""The synthetic benchmark corpus: deterministic, internally consistent, every layout family and bad file present,
expected facts that follow the real gold's labelling rules."""

from __future__ import annotations

import hashlib
import json
import random
import re
from collections import Counter, defaultdict
from pathlib import Path

import docx
import pytest

from jixiao.bench.corpus import BAD_KINDS, FAMILIES, MIXES, CorpusPlan, build_report, generate_corpus, parse_mix
from jixiao.bench.families import ALL_TABLES
from jixiao.bench.flavours import TextTable, render_table
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


def _sample(corpus: Path) -> list[dict]:
    """Records of the sample family (the five renderings of the sample reports) and bad files."""
    return [r for r in _records(corpus) if r["layout"] not in FAMILIES]


def _families(corpus: Path) -> list[dict]:
    return [r for r in _records(corpus) if r["layout"] in FAMILIES]


def _digest(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != "manifest.json"
    }


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
    assert set(LAYOUTS) | set(FAMILIES) <= set(layouts), layouts
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
        elif r["layout"] in FAMILIES:
            text = data.decode("utf-8")
            lines = text.splitlines()
            assert "\t" not in text
            if r["layout"] == "pipe_cell_line":
                assert any(x.endswith(" |") for x in lines) and any(set(x) == {"|"} for x in lines)
            elif r["layout"] == "pipe_lone_bar":
                assert lines.count("|") >= 4
            elif r["layout"] == "pipe_rows":
                assert sum(x.count(" | ") >= 2 for x in lines) >= 4
            elif r["layout"] == "cells_blank":
                assert lines.count("") >= 6
            elif r["layout"] == "space_aligned":
                assert sum(bool(re.search(r"[^\s|] +\d[\d.,]* *$", x)) for x in lines) >= 4
            elif r["layout"] == "flattened":
                assert any(
                    len(re.findall(r"\d+", x)) >= 3 and len(re.findall(r"[\u4e00-\u9fff]{3,} ", x)) >= 3 for x in lines
                )  # several rows on one line
            elif r["layout"] == "trad_pinyin":
                assert re.search(r"[們務費預經編員說]", text)


def _get(record: dict, table: str, year: int, **key) -> float | None:
    for f in record["facts"]:
        if f["table"] == table and f["fiscal_year"] == year and all(f.get(k) == v for k, v in key.items()):
            return f.get("amount_wan", f.get("headcount"))
    return None


def test_amounts_are_internally_consistent(corpus: Path) -> None:
    checked = Counter()
    for r in _sample(corpus):
        if r["status"] != "loaded":
            continue
        fy = r["fiscal_year"]
        tp = "fct_three_public_expenses"
        for year, phase in ((fy, "budget"), (fy, "actual"), (fy - 1, "actual")):
            parts = [
                _get(r, tp, year, category=c, phase=phase) for c in ("vehicle_total", "overseas_travel", "reception")
            ]
            total = _get(r, tp, year, category="total", phase=phase)
            if total is not None:
                assert total == pytest.approx(sum(parts), abs=0.011)
                vp, vo = (_get(r, tp, year, category=c, phase=phase) for c in ("vehicle_purchase", "vehicle_operation"))
                assert parts[0] == pytest.approx(vp + vo, abs=0.011)
                checked["three_public"] += 1
        basic, project = _get(r, "fct_spending", fy, item="basic"), _get(r, "fct_spending", fy, item="project")
        total = _get(r, "fct_spending", fy, item="total")
        funds = [
            f["amount_wan"]
            for f in r["facts"]
            if f["table"] == "fct_spending" and f["fiscal_year"] == fy and f["item"].startswith("fund_")
        ]
        projects = [f for f in r["facts"] if f["table"] == "fct_projects"]
        assert sum(p["actual_wan"] for p in projects) == pytest.approx(project, abs=0.01 * len(projects) + 0.01)
        assert sum(p["budget_wan"] for p in projects) == pytest.approx(
            _get(r, "fct_budget", fy, item="project", phase="budget"), abs=0.01 * len(projects) + 0.01
        )
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
    loaded = sum(r["status"] == "loaded" for r in _sample(corpus))
    assert loaded > N / 4
    assert checked["three_public"] > loaded and checked["sums"] > loaded / 2


def test_slips_are_present_and_labelled(corpus: Path) -> None:
    records = [r for r in _sample(corpus) if r["status"] == "loaded"]
    slips = Counter(r["slip"] for r in records)
    assert {"unit", "grade", "parts"} <= set(slips), slips
    files = corpus / "reports"
    for r in records:
        checks = {i["check"] for i in r["expected_issues"]}
        if r["slip"] == "grade":
            usual = (
                "优"
                if r["self_score"] >= 90
                else "良"
                if r["self_score"] >= 80
                else "中"
                if r["self_score"] >= 60
                else "差"
            )
            assert r["grade"] != usual and "grade_score_mismatch" in checks
        if r["slip"] == "unit" and r["layout"] in ("tab", "web", "pipe"):
            text = (files / r["source_file"]).read_text(encoding="utf-8")
            assert "unit_slip" in checks and "元。" in text and "万元" in text
        if r["slip"] is None:
            assert not checks


def test_expected_records_are_well_formed(corpus: Path) -> None:
    counties = {c.code: c for c in real_counties()}
    seen_grains: set = set()
    for r in _sample(corpus):
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
        if rec["layout"] in FAMILIES:
            continue
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


def test_family_records_are_well_formed_and_consistent(corpus: Path) -> None:
    counties = {c.code: c for c in real_counties()}
    contents = Counter()
    for r in _families(corpus):
        contents[(r["layout"], r["content"])] += 1
        assert r["status"] == "loaded" and set(r["complete"]) <= set(ALL_TABLES)
        grains = [grain_of(f) for f in r["facts"]]
        assert len(grains) == len(set(grains)), "one fact per grain"
        assert not {grain_of(a) for a in r["absent"]} & set(grains)
        if "no_unit" in r["quirks"]:
            assert r["department_name"] is None and "province" not in r
        else:
            county = counties[r["county_code"]]
            assert (county.province, county.city, county.county) == (r["province"], r["city"], r["county"])
            assert r["department_name"] and county.county in r["department_name"]
        years = {f["fiscal_year"] for f in r["facts"]}
        if "no_year" in r["quirks"]:
            assert r["fiscal_year"] is None and years == {None}
        else:
            assert years <= {r["fiscal_year"], r["fiscal_year"] - 1}
        tp = {
            (f["fiscal_year"], f["phase"], f["category"]): f["amount_wan"]
            for f in r["facts"]
            if f["table"] == "fct_three_public_expenses"
        }
        for (year, phase, cat), total in tp.items():
            if cat == "total" and all(
                (year, phase, c) in tp for c in ("overseas_travel", "reception", "vehicle_total")
            ):
                parts = sum(tp[(year, phase, c)] for c in ("overseas_travel", "reception", "vehicle_total"))
                assert parts == pytest.approx(total, abs=0.011)
        if r["content"] == "project":
            tables = Counter(f["table"] for f in r["facts"])
            assert tables["fct_projects"] == 1 and not tables["fct_budget"] and not tables["fct_spending"]
            assert {"fct_budget", "fct_spending"} <= set(r["complete"])  # project money is never the unit's
            weights = [f["weight"] for f in r["facts"] if f["table"] == "fct_indicator_scores"]
            if "fct_indicator_scores" in r["complete"]:
                assert sum(weights) == 100
        if r["content"] == "budget":
            budget = {f["item"]: f["amount_wan"] for f in r["facts"] if f["table"] == "fct_budget"}
            funcs = [f["total_wan"] for f in r["facts"] if f["table"] == "fct_budget_by_function"]
            assert sum(funcs) == pytest.approx(budget["total"], abs=0.011)
            assert sum(v for k, v in budget.items() if k != "total") == pytest.approx(budget["total"], abs=0.011)
    assert len(contents) >= 15, contents


def test_amounts_in_yuan_are_expected_in_wan(corpus: Path) -> None:
    checked = 0
    for r in _families(corpus):
        if "yuan" not in r["quirks"] or "traditional" in r["quirks"]:
            continue
        text = re.sub(r"(?<=\d),(?=\d{3})", "", (corpus / "reports" / r["source_file"]).read_text(encoding="utf-8"))
        for f in r["facts"]:
            if f.get("amount_wan"):
                yuan = round(f["amount_wan"] * 10000)
                assert re.search(rf"(?<![\d.]){yuan}(\.00)?(?![\d])", text), (r["source_file"], f)
                checked += 1
    assert checked > 20


def test_flattened_rows_with_fewer_values_than_columns_are_not_expected() -> None:
    t = TextTable()
    t.add("项目", "2023年决算数", "2024年预算数")
    full = [
        {"table": "fct_three_public_expenses", "fiscal_year": y, "category": "total", "phase": p, "amount_wan": 3}
        for y, p in ((2023, "actual"), (2024, "budget"))
    ]
    t.add("合计", "3", "3", facts=full, values=(1, 2))
    short_fact = {
        "table": "fct_three_public_expenses",
        "fiscal_year": 2024,
        "category": "reception",
        "phase": "budget",
        "amount_wan": 2,
    }
    short_absent = {
        "table": "fct_three_public_expenses",
        "fiscal_year": 2023,
        "category": "reception",
        "phase": "actual",
    }
    t.add("公务接待费", "", "2", facts=[short_fact], absent=[short_absent], values=(1, 2))
    for flavour in ("flattened", "cells_vanishing"):
        facts, absent, certain = t.expected(flavour)
        assert facts == full and absent == [] and not certain
        text = "\n".join(render_table(t, flavour, random.Random(1)))
        assert "公务接待费 2" in text or "公务接待费\n2" in text  # the blank left no trace
    facts, absent, certain = t.expected("space_aligned")
    assert facts == full + [short_fact] and absent == [short_absent] and certain
    assert render_table(t, "space_aligned", random.Random(1))[2] == "公务接待费   2"  # one more space for the blank


def test_layout_mix_is_configurable() -> None:
    assert parse_mix("sample") == tuple(MIXES["sample"].items())
    assert parse_mix("prose=2,tab=1") == (("prose", 2), ("tab", 1))
    for bad in ("nosuch=1", "prose=x", "tab=0"):
        with pytest.raises(ValueError):
            parse_mix(bad)
    plan = CorpusPlan(60, seed=4, mix=parse_mix("prose=1"))
    layouts = {build_report(plan, i)[2]["layout"] for i in range(60) if i not in plan.bad_indices()}
    assert layouts == {"prose"}
    sample = CorpusPlan(60, seed=4, mix=parse_mix("sample"))
    assert {build_report(sample, i)[2]["layout"] for i in range(60)} <= set(LAYOUTS) | set(BAD_KINDS)
