"""End to end: `dbt build` (seeds, models, data tests, unit tests) on tests/fixtures/landed/."""

from __future__ import annotations

import json
import math
import re
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from jixiao.landing.schema import LANDED_SCHEMA, SEED_COLUMNS
from jixiao.warehouse.dbt_runner import build_warehouse, run_dbt

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "landed"
GOLD = ROOT / "tests" / "fixtures" / "gold"
CONTRACT_TABLES = [
    "dim_department",
    "dim_report",
    "fct_budget",
    "fct_spending",
    "fct_three_public_expenses",
    "fct_indicator_scores",
    "fct_staffing",
    "fct_projects",
    "fct_budget_by_function",
    "mart_department_year",
    "data_quality_issues",
]
GRAIN_KEYS = {
    "fct_budget": ["item", "phase"],
    "fct_spending": ["item"],
    "fct_three_public_expenses": ["category", "phase"],
    "fct_staffing": ["metric"],
    "fct_projects": ["project_name"],
    "fct_indicator_scores": ["indicator_name"],
    "fct_budget_by_function": ["phase", "subject_code"],
}
WUYANG_2021 = "001_2a770005e5f9d24b.txt"
WUYANG_2022 = "synthetic_wuyang_2022.txt"


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("dbt_build")
    db = work / "jixiao.duckdb"
    result = build_warehouse(db, landing_mode="seed", seeds_dir=FIXTURES, target_dir=work / "target")
    assert result.success, result.summary()
    return db


@contextmanager
def connect(db: Path):
    con = duckdb.connect(str(db), read_only=True)
    try:
        yield con
    finally:
        con.close()


def _plain(value):
    """DECIMAL values as floats, to compare with the gold numbers (the types have their own test)."""
    return float(value) if isinstance(value, Decimal) else value


def rows(db: Path, sql: str, params: list | None = None) -> list[dict]:
    with connect(db) as con:
        cur = con.execute(sql, params or [])
        names = [d[0] for d in cur.description]
        return [{n: _plain(v) for n, v in zip(names, r)} for r in cur.fetchall()]


def report_id(db: Path, source_file: str) -> str:
    return rows(db, "select report_id from dim_report where source_file = ?", [source_file])[0]["report_id"]


def squeeze(text: str | None) -> str | None:
    return None if text is None else re.sub(r"\s+", "", text)


def test_build_passes_every_data_and_unit_test(warehouse):
    with connect(warehouse) as con:
        tables = {
            r[0]
            for r in con.execute(
                "select table_name from information_schema.tables where table_schema = 'main'"
            ).fetchall()
        }
    assert set(CONTRACT_TABLES) <= tables


def test_seeded_tables_have_the_landing_schema_types(warehouse):
    found = rows(
        warehouse,
        "select table_name, column_name, lower(data_type) as t from information_schema.columns "
        "where table_schema = ? order by table_name, ordinal_position",
        [LANDED_SCHEMA],
    )
    by_table: dict[str, list[tuple[str, str]]] = {}
    for r in found:
        by_table.setdefault(r["table_name"], []).append((r["column_name"], r["t"]))
    assert by_table == SEED_COLUMNS


@pytest.mark.parametrize("gold_file", sorted(GOLD.glob("*.json")), ids=lambda p: p.stem[:3])
def test_gold_facts_reach_the_fact_tables(warehouse, gold_file):
    gold = json.loads(gold_file.read_text(encoding="utf-8"))
    rid = report_id(warehouse, gold["source_file"])
    report = rows(
        warehouse,
        "select r.*, d.department_name, d.county, d.township from dim_report r "
        "join dim_department d using (department_id) where report_id = ?",
        [rid],
    )[0]
    for field in ("department_name", "county", "township", "fiscal_year", "self_score", "grade"):
        assert report[field] == gold[field], field
    dept = report["department_id"]
    for fact in gold["facts"]:
        table, year = fact["table"], fact["fiscal_year"]
        keys = GRAIN_KEYS[table]
        where = " and ".join(
            ["department_id = ?", "fiscal_year = ?"]
            + [f"regexp_replace({k}, '\\s+', '', 'g') = ?" for k in keys]
            + (["scope = 'all'"] if table in ("fct_budget", "fct_spending") else [])
        )
        found = rows(warehouse, f"select * from {table} where {where}", [dept, year] + [squeeze(fact[k]) for k in keys])
        assert len(found) == 1, fact
        for column, value in fact.items():
            if column in ("table", "fiscal_year") or column in keys:
                continue
            got = found[0][column]
            if isinstance(value, float) or column.endswith("_wan"):
                assert got is not None and math.isclose(got, value, abs_tol=0.01), (fact, column, got)
            else:
                assert got == value, (fact, column, got)
    for fact in gold.get("absent", []):
        keys = GRAIN_KEYS[fact["table"]]
        where = " and ".join(["department_id = ?", "fiscal_year = ?"] + [f"{k} = ?" for k in keys])
        assert not rows(
            warehouse,
            f"select 1 from {fact['table']} where {where}",
            [dept, fact["fiscal_year"]] + [fact[k] for k in keys],
        ), fact
    for table in gold.get("complete", []):
        expected = sum(1 for f in gold["facts"] if f["table"] == table)
        got = rows(warehouse, f"select count(*) as n from {table} where report_id = ?", [rid])[0]["n"]
        assert got == expected, table


def test_department_identity_merges_prefixed_names_and_keeps_namesakes_apart(warehouse):
    units = rows(
        warehouse,
        "select d.department_id, d.department_name, d.county, d.township, d.n_reports, r.source_file "
        "from dim_report r join dim_department d using (department_id) "
        "where d.department_name like '%武阳镇人民政府' order by r.source_file",
    )
    by_file = {u["source_file"]: u for u in units}
    assert by_file[WUYANG_2021]["department_id"] == by_file[WUYANG_2022]["department_id"]
    assert (
        by_file[WUYANG_2022]["department_name"] == "绥宁县武阳镇人民政府"
    )  # the fullest name, though it wrote 武阳镇人民政府
    assert by_file[WUYANG_2022]["n_reports"] == 5  # 2021, 2022, the 2022 project table, two undated pages
    namesake = by_file["synthetic_namesake_wuyang.txt"]
    assert namesake["department_id"] != by_file[WUYANG_2021]["department_id"]
    assert (namesake["county"], namesake["township"]) == ("新宁县", "武阳镇")


def test_quarantined_report_is_listed_with_its_reason(warehouse):
    scan = rows(warehouse, "select * from dim_report where source_file = 'synthetic_scanned.pdf'")
    assert len(scan) == 1
    assert scan[0]["status"] == "quarantined" and "text layer" in scan[0]["status_reason"]
    assert scan[0]["department_id"] is None


def test_later_report_restating_an_earlier_year_does_not_override_it(warehouse):
    r2021, r2022 = report_id(warehouse, WUYANG_2021), report_id(warehouse, WUYANG_2022)
    kept = rows(
        warehouse,
        "select category, amount_wan, report_id, n_reports_stating from fct_three_public_expenses "
        "where report_id in (?, ?) and fiscal_year = 2021 and phase = 'actual' order by category",
        [r2021, r2022],
    )
    assert {k["category"]: (k["amount_wan"], k["report_id"], k["n_reports_stating"]) for k in kept} == {
        "reception": (9.99, r2021, 2),
        "total": (15.42, r2021, 2),
        "vehicle_total": (5.43, r2021, 2),
        "vehicle_operation": (5.43, r2021, 1),
        "vehicle_purchase": (0.0, r2021, 1),
    }

    conflicts = rows(
        warehouse, "select * from data_quality_issues where \"check\" = 'cross_report_conflict' order by observed"
    )
    assert [
        (c["report_id"], c["other_report_id"], c["fiscal_year"], c["observed"], c["expected"]) for c in conflicts
    ] == [(r2022, r2021, 2021, "15.8", "15.42"), (r2022, r2021, 2021, "5.81", "5.43")]
    for c in conflicts:
        assert WUYANG_2021 in c["message"] and WUYANG_2022 in c["message"]
        assert c["observed"] in c["message"] and c["expected"] in c["message"]
    # 9.99 is stated by both reports alike: not a conflict; 2762.66 spending likewise
    assert not [c for c in conflicts if "9.99" in c["message"] or "2762.66" in c["message"]]


def test_mart_execution_rate_and_year_on_year(warehouse):
    mart = rows(
        warehouse,
        "select m.* from mart_department_year m join dim_report r "
        "on r.department_id = m.department_id where r.source_file = ? order by fiscal_year",
        [WUYANG_2022],
    )
    by_year = {m["fiscal_year"]: m for m in mart}
    assert set(by_year) == {2021, 2022}
    assert math.isclose(by_year[2022]["execution_rate"], 2850 / 3000)
    assert math.isclose(by_year[2022]["three_public_actual_yoy_pct"], 100 * (14.2 - 15.42) / 15.42)
    assert by_year[2021]["three_public_actual_yoy_pct"] is None  # no 2020 figure
    assert (by_year[2021]["self_score"], by_year[2021]["grade"]) == (83, "良")
    assert (by_year[2022]["headcount_authorized"], by_year[2022]["headcount_actual"]) == (95, 90)
    assert by_year[2022]["execution_rate_basis"] == "adjusted_budget"
    # 2021 states no adjusted budget: the rate divides by the initial one and says so
    assert by_year[2021]["execution_rate_basis"] == "initial_budget"
    assert math.isclose(by_year[2021]["execution_rate"], 2762.66 / 1170.51)
    assert by_year[2021]["department_name"] == by_year[2022]["department_name"] == "绥宁县武阳镇人民政府"
    assert math.isclose(by_year[2022]["three_public_actual_yoy_wan"], 14.2 - 15.42)
    with connect(warehouse) as con:  # exact amounts: the change is DECIMAL, not a float with binary noise
        assert (
            con.execute(
                "select typeof(three_public_actual_yoy_wan), three_public_actual_yoy_wan "
                "from mart_department_year where three_public_actual_yoy_wan is not null limit 1"
            )
            .fetchone()[0]
            .startswith("DECIMAL")
        )


def _checks(db: Path, source_file: str) -> list[tuple[str, str]]:
    return sorted(
        (r["check"], r["severity"])
        for r in rows(db, 'select "check", severity from data_quality_issues where source_file = ?', [source_file])
    )


def test_data_quality_issues_of_the_sample_reports(warehouse):
    # 000: 110 points of weight and score vs 总分 100; 产出指标 (50分) weighs 60; two extractor findings.
    assert _checks(warehouse, "000_97de00a2d119f74e.txt") == [
        ("indicator_heading_points", "error"),
        ("indicator_scores_sum", "error"),
        ("indicator_weights_sum", "error"),
        ("narrative_table_conflict", "warn"),
        ("unit_slip", "warn"),
    ]
    # 002: the economic items given for basic and for project spending fall short of them.
    assert _checks(warehouse, "002_33ff49f0c919e465.txt") == [("economic_items_sum", "warn")] * 2
    # 003: weights 110 vs 100, 产出 70 vs 50, 效益 20 vs 30, funds by source exceed basic + project.
    assert _checks(warehouse, "003_cbba9d689f5f66a1.txt") == [
        ("funds_by_source_sum", "error"),
        ("indicator_heading_points", "error"),
        ("indicator_heading_points", "error"),
        ("indicator_weights_sum", "error"),
    ]
    # 004: 良 with 93 points and no rule of its own: a warning; its 0.01 subtotal slip is within rounding.
    assert _checks(warehouse, "004_cd48f1b058eb4283.txt") == [
        ("grade_score_mismatch", "warn"),
        ("section_label_slip", "warn"),
    ]
    funds = rows(
        warehouse, "select message, observed, expected from data_quality_issues where \"check\" = 'funds_by_source_sum'"
    )[0]
    assert (funds["observed"], funds["expected"]) == ("2083.14", "2023.37")
    assert "49.11" in funds["message"] and "基本支出 + 项目支出" in funds["message"]


def test_every_extractor_finding_is_passed_through(warehouse):
    landed = rows(warehouse, f"select count(*) as n from {LANDED_SCHEMA}.landed_findings")[0]["n"]
    passed = rows(warehouse, "select count(*) as n from data_quality_issues where raised_by = 'extraction'")[0]["n"]
    assert passed == landed > 0


def _example_queries() -> dict[str, str]:
    text = (ROOT / "docs" / "dbt.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sql\n-- query: (\w+)\n(.*?)```", text, flags=re.S)
    return {name: sql for name, sql in blocks}


def test_readme_queries_return_the_expected_rows(warehouse):
    queries = _example_queries()
    assert {"three_public_trend", "execution_rate", "indicator_scores_of_one_report"} <= set(queries)
    trend = [
        r for r in rows(warehouse, queries["three_public_trend"]) if r["department_name"] == "绥宁县武阳镇人民政府"
    ]
    assert [(r["fiscal_year"], Decimal(str(r["budget_wan"])), Decimal(str(r["actual_wan"]))) for r in trend] == [
        (2021, 16, Decimal("15.42")),
        (2022, 16, Decimal("14.2")),
    ]

    rates = rows(warehouse, queries["execution_rate"])
    assert [
        (r["department_name"], r["fiscal_year"], r["execution_rate_basis"], r["execution_rate_pct"]) for r in rates
    ] == [
        ("岳阳市云溪区陆城镇人民政府", 2024, "adjusted_budget", 100.0),
        ("绥宁县武阳镇人民政府", 2021, "initial_budget", 236.0),
        ("绥宁县武阳镇人民政府", 2022, "adjusted_budget", 95.0),
    ]

    gold = json.loads((GOLD / "003_cbba9d689f5f66a1.json").read_text(encoding="utf-8"))
    expected = [
        (f["indicator_name"], f["weight"], f["score"]) for f in gold["facts"] if f["table"] == "fct_indicator_scores"
    ]
    scores = rows(warehouse, queries["indicator_scores_of_one_report"])
    assert [(r["indicator_name"], r["weight"], r["score"]) for r in scores] == expected

    issues = rows(warehouse, queries["issues_of_one_report"])
    assert issues and all(r["severity"] == "error" for r in issues[:4])


def test_native_landing_builds_the_same_warehouse(warehouse, tmp_path):
    db = tmp_path / "native.duckdb"
    result = build_warehouse(db, landing_mode="native", seeds_dir=FIXTURES, target_dir=tmp_path / "target")
    assert result.success, result.summary()
    assert not any("landed_" in name and name.startswith("seed.") for name in result.node_seconds)
    for table in CONTRACT_TABLES:
        with connect(warehouse) as a:
            seeded = sorted(a.execute(f"select * from {table}").fetchall(), key=repr)
        with connect(db) as b:
            native = sorted(b.execute(f"select * from {table}").fetchall(), key=repr)
        assert native == seeded, table


def test_dbt_docs_generate_writes_a_catalog(warehouse, tmp_path):
    result = run_dbt(["docs", "generate"], db_path=warehouse, seeds_dir=FIXTURES, target_dir=tmp_path / "target")
    assert result.success, result.summary()
    catalog = json.loads((tmp_path / "target" / "catalog.json").read_text(encoding="utf-8"))
    assert "model.jixiao.mart_department_year" in catalog["nodes"]
    manifest = json.loads((tmp_path / "target" / "manifest.json").read_text(encoding="utf-8"))
    for uid, node in manifest["nodes"].items():
        if node["resource_type"] == "model":
            assert "grain" in node["description"].lower(), uid
            undocumented = [c for c, v in node["columns"].items() if not v["description"]]
            assert not undocumented, (uid, undocumented)


def test_failures_are_reported_by_node(tmp_path):
    # stg_landed__reports selected alone on an empty database: its seed is missing, the view fails by name
    broken = run_dbt(
        ["run", "--select", "stg_landed__reports"],
        db_path=tmp_path / "w.duckdb",
        seeds_dir=FIXTURES,
        target_dir=tmp_path / "target",
    )
    assert not broken.success
    assert [f.name for f in broken.failures] == ["model.jixiao.stg_landed__reports"], broken.summary()
    assert "landed_reports" in broken.failures[0].message


FACT_TABLES = [
    "fct_budget",
    "fct_spending",
    "fct_three_public_expenses",
    "fct_staffing",
    "fct_projects",
    "fct_indicator_scores",
    "fct_budget_by_function",
]
PROVENANCE_COLUMNS = ["source_file", "prov_block", "prov_row", "prov_col", "prov_span", "prov_text"]


def test_reports_without_year_or_unit_load_with_findings(warehouse):
    unknown = {
        r["source_file"]: r
        for r in rows(
            warehouse,
            "select r.source_file, r.status, r.fiscal_year, r.department_id, d.department_name, "
            "d.department_status, d.county from dim_report r join dim_department d using (department_id) "
            "where d.department_status = 'unknown'",
        )
    }
    a, b = unknown["synthetic_unknown_unit_a.txt"], unknown["synthetic_unknown_unit_b.txt"]
    assert a["status"] == b["status"] == "loaded"
    assert a["department_name"] is None and b["department_name"] is None
    assert a["department_id"] != b["department_id"]  # two unknown units never merge
    assert b["county"] == "绥宁县" and b["fiscal_year"] == 2023
    # their facts are loaded, each under its own unit; a figure of no stated year keeps fiscal_year NULL
    facts = rows(
        warehouse,
        "select department_id, fiscal_year, phase, amount_wan from fct_three_public_expenses "
        "where department_id in (?, ?) order by amount_wan",
        [a["department_id"], b["department_id"]],
    )
    assert [(f["department_id"], f["fiscal_year"], f["phase"], f["amount_wan"]) for f in facts] == [
        (a["department_id"], 2023, "actual", 3.2),
        (a["department_id"], None, "budget", 4.0),
        (b["department_id"], 2023, "actual", 7.5),
    ]
    findings = sorted(
        (r["source_file"], r["check"], r["severity"])
        for r in rows(
            warehouse,
            'select source_file, "check", severity, message from data_quality_issues '
            "where \"check\" in ('missing_fiscal_year', 'missing_budget_unit')",
        )
    )
    assert findings == [
        ("synthetic_unknown_unit_a.txt", "missing_budget_unit", "warn"),
        ("synthetic_unknown_unit_a.txt", "missing_fiscal_year", "warn"),
        ("synthetic_unknown_unit_b.txt", "missing_budget_unit", "warn"),
        ("synthetic_wuyang_undated_a.txt", "missing_fiscal_year", "warn"),
        ("synthetic_wuyang_undated_b.txt", "missing_fiscal_year", "warn"),
    ]
    messages = {
        r["check"]: r["message"]
        for r in rows(
            warehouse,
            "select \"check\", message from data_quality_issues where source_file = 'synthetic_unknown_unit_a.txt'",
        )
    }
    assert "no fiscal year" in messages["missing_fiscal_year"] and "no budget unit" in messages["missing_budget_unit"]


def test_undated_figures_of_one_unit_never_conflict(warehouse):
    undated = rows(
        warehouse,
        "select s.headcount, s.source_file, s.n_reports_stating from fct_staffing s "
        "join dim_department d using (department_id) where d.department_name = '绥宁县武阳镇人民政府' "
        "and s.fiscal_year is null order by s.headcount",
    )
    assert [(u["headcount"], u["source_file"], u["n_reports_stating"]) for u in undated] == [
        (96, "synthetic_wuyang_undated_a.txt", 1),
        (97, "synthetic_wuyang_undated_b.txt", 1),
    ]
    conflicts = rows(
        warehouse,
        "select * from data_quality_issues where \"check\" = 'cross_report_conflict' "
        "and (fiscal_year is null or source_file like 'synthetic_wuyang_undated%')",
    )
    assert conflicts == []
    # an undated page restating a dated figure: the report of that year keeps it
    kept = rows(
        warehouse,
        "select t.source_file, t.n_reports_stating from fct_three_public_expenses t "
        "join dim_department d using (department_id) where d.department_name = '绥宁县武阳镇人民政府' "
        "and t.fiscal_year = 2022 and t.category = 'reception' and t.phase = 'actual'",
    )
    assert [(k["source_file"], k["n_reports_stating"]) for k in kept] == [(WUYANG_2022, 3)]
    assert rows(warehouse, "select count(*) as n from mart_department_year where fiscal_year is null")[0]["n"] == 0


def test_project_tables_document_kind_and_page_fields(warehouse):
    project = rows(warehouse, "select * from fct_projects where source_file = 'synthetic_wuyang_project_2022.txt'")
    assert [
        (p["project_name"], p["budget_wan"], p["initial_budget_wan"], p["actual_wan"], p["self_score"]) for p in project
    ] == [("村道养护项目", 50.0, 40.0, 48.5, 92.0)]
    scored = rows(
        warehouse,
        "select project_name, indicator_name, weight, score from fct_indicator_scores "
        "where source_file = 'synthetic_wuyang_project_2022.txt' order by indicator_name",
    )
    assert [(s["project_name"], s["indicator_name"], s["score"]) for s in scored] == [
        ("村道养护项目", "养护里程", 48.0),
        ("村道养护项目", "群众满意度", 44.0),
    ]
    assert (
        rows(
            warehouse,
            "select count(*) as n from fct_indicator_scores where project_name is null and source_file = ?",
            ["003_cbba9d689f5f66a1.txt"],
        )[0]["n"]
        > 0
    )
    by_function = rows(
        warehouse,
        "select phase, subject_code, subject_name, total_wan from fct_budget_by_function "
        "where phase = 'actual' order by total_wan",
    )
    assert [(f["subject_code"], f["subject_name"], f["total_wan"]) for f in by_function] == [
        (None, "农林水支出", 48.5),
        ("201", "一般公共服务支出", 812.4),
    ]
    reports = {r["source_file"]: r for r in rows(warehouse, "select * from dim_report")}
    assert reports["synthetic_wuyang_project_2022.txt"]["document_kind"] == "project_evaluation"
    assert reports[WUYANG_2021]["document_kind"] == "performance_evaluation"
    assert reports[WUYANG_2022]["document_kind"] == "other"  # nothing classified it
    web = reports["synthetic_changpu_web_2023.html"]
    assert (web["source_url"], str(web["published_date"])) == (
        "https://example.gov.cn/zwgk/2024/0512.html",
        "2024-05-12",
    )
    assert reports[WUYANG_2021]["source_url"] is None and reports[WUYANG_2021]["published_date"] is None


def test_published_amounts_points_and_headcounts_have_exact_types(warehouse):
    types = {
        (r["table_name"], r["column_name"]): r["data_type"]
        for r in rows(
            warehouse,
            "select table_name, column_name, data_type from information_schema.columns where table_schema = 'main'",
        )
    }
    wan = [k for k in types if k[1].endswith("_wan") and k[0].startswith("fct_")]
    assert len(wan) == 9
    assert {k: types[k] for k in wan} == {k: "DECIMAL(18,4)" for k in wan}
    points = [
        ("dim_report", "self_score"),
        ("fct_projects", "self_score"),
        ("fct_indicator_scores", "weight"),
        ("fct_indicator_scores", "score"),
    ]
    assert {k: types[k] for k in points} == {k: "DECIMAL(10,4)" for k in points}
    assert types[("fct_staffing", "headcount")] == "INTEGER"
    assert types[("dim_report", "published_date")] == "DATE"


def test_every_fact_row_carries_its_provenance(warehouse):
    for table in FACT_TABLES:
        columns = {
            r["column_name"]
            for r in rows(warehouse, "select column_name from information_schema.columns where table_name = ?", [table])
        }
        assert set(PROVENANCE_COLUMNS) <= columns, table
        found = rows(
            warehouse,
            f"select count(*) as n, count(source_file) as files, count(prov_block) as blocks, "
            f"count(coalesce(cast(prov_row as varchar), prov_span)) as places, "
            f"count(prov_text) as texts from {table}",
        )[0]
        assert found["n"] > 0, table
        assert found["n"] == found["files"] == found["blocks"] == found["places"] == found["texts"], (table, found)
        mismatched = rows(
            warehouse,
            f"select count(*) as n from {table} t join dim_report r using (report_id) "
            f"where t.source_file <> r.source_file",
        )[0]["n"]
        assert mismatched == 0, table


def test_quality_gate_passes_reports_without_year_or_unit(warehouse, tmp_path):
    """The Great Expectations gate accepts unknown units and undated figures (they are findings, not errors)."""
    import shutil

    from jixiao.quality import run_quality_gate

    db = tmp_path / "gate.duckdb"
    shutil.copyfile(warehouse, db)
    files = [r["source_file"] for r in rows(warehouse, f"select source_file from {LANDED_SCHEMA}.landed_reports")]
    result = run_quality_gate(db, "fixture-run", files, tmp_path / "docs", stage="all")
    assert result.passed, result.failures_message()
    warned = {(o.table, o.label) for o in result.warnings}
    assert ("dim_report", "expect_column_values_to_not_be_null(fiscal_year)") in warned
