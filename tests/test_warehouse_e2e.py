"""End to end on the bundled sample: `jixiao refresh` → every contract table holds the gold facts."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from conftest import SAMPLE_REPORTS, run_refresh_cli, sample_files
from gold_compare import GOLD_DIR, load_gold, row_matches

pytestmark = pytest.mark.slow

CONTRACT_TABLES = [
    "dim_department",
    "dim_report",
    "fct_budget",
    "fct_spending",
    "fct_projects",
    "fct_three_public_expenses",
    "fct_indicator_scores",
    "fct_staffing",
    "fct_budget_by_function",
    "mart_department_year",
    "data_quality_issues",
]
README = Path(__file__).resolve().parent.parent / "README.md"


@pytest.fixture(scope="module")
def sample_db(prefect_harness, tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("sample") / "jixiao.duckdb"
    code, out = run_refresh_cli(SAMPLE_REPORTS, db)
    assert code == 0, out
    assert "quarantined 0" in out
    return db


def _query(db: Path, sql: str) -> list[dict]:
    with duckdb.connect(str(db), read_only=True) as con:
        cur = con.execute(sql)
        names = [d[0] for d in cur.description]
        # DECIMAL values stay Decimal: amounts are exact (the gold comparison reads them as numbers)
        return [dict(zip(names, row)) for row in cur.fetchall()]


def test_every_contract_table_is_filled(sample_db: Path) -> None:
    for table in CONTRACT_TABLES:
        assert _query(sample_db, f"select count(*) as n from {table}")[0]["n"] > 0, table
    reports = _query(sample_db, "select source_file, status from dim_report")
    assert sorted(r["source_file"] for r in reports) == sorted(p.name for p in sample_files())
    assert {r["status"] for r in reports} == {"loaded"}


@pytest.mark.parametrize("gold_file", sorted(p.name for p in GOLD_DIR.glob("*.json")))
def test_gold_facts_and_header_reach_the_warehouse(sample_db: Path, gold_file: str) -> None:
    gold = load_gold(gold_file)
    report = _query(
        sample_db,
        f"""
        select r.*, d.department_name, d.province, d.city, d.county, d.township
        from dim_report r join dim_department d using (department_id)
        where r.source_file = '{gold["source_file"]}'""",
    )[0]
    for field in ("department_name", "province", "city", "county", "township", "fiscal_year", "grade"):
        assert report[field] == gold[field], field
    assert report["self_score"] == (None if gold["self_score"] is None else Decimal(str(gold["self_score"])))
    assert str(report["report_date"]) == gold["report_date"]
    rows_by_table: dict[str, list[dict]] = {}
    for fact in gold["facts"]:
        table = fact["table"]
        if table not in rows_by_table:
            rows_by_table[table] = [
                {"table": table, **r}
                for r in _query(sample_db, f"select * from {table} where department_id = '{report['department_id']}'")
            ]
        assert any(row_matches(fact, r) for r in rows_by_table[table]), fact
    for fact in gold["absent"]:
        rows = [
            {"table": fact["table"], **r}
            for r in _query(
                sample_db, f"select * from {fact['table']} where department_id = '{report['department_id']}'"
            )
        ]
        assert not any(row_matches(fact, r) for r in rows), fact


EXPECTED_CHECKS = {
    "000_97de00a2d119f74e.txt": {
        "narrative_table_conflict",
        "unit_slip",
        "indicator_scores_sum",
        "indicator_heading_points",
        "economic_items_sum",
    },
    "001_2a770005e5f9d24b.txt": {"same_report_conflict", "unit_slip"},
    "002_33ff49f0c919e465.txt": {"economic_items_sum"},
    "003_cbba9d689f5f66a1.txt": {
        "narrative_table_conflict",
        "indicator_weights_sum",
        "indicator_heading_points",
        "funds_by_source_sum",
    },
    "004_cd48f1b058eb4283.txt": {"grade_score_mismatch", "section_label_slip"},
}


def test_expected_issues_are_in_data_quality_issues(sample_db: Path) -> None:
    """The gold files' expected_issues that can be matched by check name and report."""
    rows = _query(
        sample_db,
        """select r.source_file, q."check", q.severity from data_quality_issues q
                               join dim_report r using (report_id)""",
    )
    for source_file, checks in EXPECTED_CHECKS.items():
        found = {r["check"] for r in rows if r["source_file"] == source_file}
        assert checks <= found, (source_file, checks - found)
    grade = [r for r in rows if r["source_file"] == "004_cd48f1b058eb4283.txt" and r["check"] == "grade_score_mismatch"]
    assert [r["severity"] for r in grade] == ["warn"]  # the report states no rule of its own


def _readme_queries(heading: str = "## Example queries") -> list[str]:
    """The SQL blocks of one section of the README ("Example queries" by default)."""
    text = README.read_text(encoding="utf-8")
    section = text.split(heading, 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sql\n(.*?)```", section, flags=re.S)


def test_readme_queries_return_the_gold_values(sample_db: Path) -> None:
    trend, execution, indicators = _readme_queries()
    rows = {(r["department_name"], r["fiscal_year"]): r for r in _query(sample_db, trend)}
    assert rows[("绥宁县长铺镇人民政府", 2023)]["actual_wan"] == Decimal("2.5")
    assert (rows[("绥宁县长铺镇人民政府", 2024)]["budget_wan"], rows[("绥宁县长铺镇人民政府", 2024)]["actual_wan"]) == (
        Decimal("5"),
        Decimal("2.5"),
    )
    assert rows[("绥宁县长铺镇人民政府", 2024)]["actual_change_pct"] == 0
    assert (rows[("绥宁县武阳镇人民政府", 2021)]["budget_wan"], rows[("绥宁县武阳镇人民政府", 2021)]["actual_wan"]) == (
        Decimal("16"),
        Decimal("15.42"),
    )
    assert rows[("桃江县大栗港镇人民政府", 2019)]["actual_wan"] == Decimal("20.7")
    rates = {(r["department_name"], r["fiscal_year"]): r for r in _query(sample_db, execution)}
    assert rates[("岳阳市云溪区陆城镇人民政府", 2024)]["execution_rate_pct"] == 100.0
    assert rates[("岳阳市云溪区陆城镇人民政府", 2024)]["execution_rate_basis"] == "adjusted_budget"
    # 2021 states only the initial budget (1170.51) against spending of 2762.66
    assert rates[("绥宁县武阳镇人民政府", 2021)]["execution_rate_basis"] == "initial_budget"
    assert rates[("绥宁县武阳镇人民政府", 2021)]["execution_rate_pct"] == 236.0
    got = _query(sample_db, indicators)
    gold = [f for f in load_gold("003_cbba9d689f5f66a1.json")["facts"] if f["table"] == "fct_indicator_scores"]
    assert sorted(r["indicator_name"] for r in got) == sorted(f["indicator_name"] for f in gold)
    by_name = {r["indicator_name"]: r for r in got}
    for f in gold:
        assert (by_name[f["indicator_name"]]["weight"], by_name[f["indicator_name"]]["score"]) == (
            f["weight"],
            f["score"],
        )


def test_readme_trend_walkthrough_runs_as_written(sample_db: Path) -> None:
    measures, one_unit, pivot, regions = _readme_queries("## Multi-year trends, step by step")
    labels = {r["metric"]: r["metric_label_zh"] for r in _query(sample_db, measures)}
    assert labels["three_public.actual.reception"] == "三公经费·决算数·公务接待费"
    assert labels["staffing.authorized"] == "人员·编制数"
    changes = {(r["metric_label_zh"], r["fiscal_year"]): r for r in _query(sample_db, one_unit)}
    total = changes[("三公经费·决算数·三公经费合计", 2024)]
    assert (total["prior_value"], total["value"], total["change"]) == (Decimal("2.5"), Decimal("2.5"), 0)
    wide = {(r["department_name"], r["fiscal_year"]): r for r in _query(sample_db, pivot)}
    assert wide[("绥宁县武阳镇人民政府", 2021)]["支出·年度资金总额"] == Decimal("2762.66")
    assert wide[("绥宁县武阳镇人民政府", 2021)]["人员·在职人数"] == 91
    counties = {(r["region_name"], r["fiscal_year"]): r for r in _query(sample_db, regions)}
    suining = counties[("湖南省 / 邵阳市 / 绥宁县", 2021)]
    assert suining["n_reporting_units"] == 1
    assert suining["spending_per_actual_head_wan"] == (Decimal("2762.66") / 91).quantize(Decimal("0.0001"))
