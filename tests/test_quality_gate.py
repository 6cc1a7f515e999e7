"""The Great Expectations quality gate (jixiao.quality) on a small warehouse built from the gold answers.

The clean warehouse holds the landed seeds and the contract tables, with rows taken from
tests/fixtures/gold/*.json (what a careful reader finds in the sample reports). Clean data must
pass every suite; each kind of bad data must fail the gate with a message naming the
expectation and the report behind the offending row.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import socket
from pathlib import Path

import duckdb
import pytest

from jixiao.landing.schema import SEED_COLUMNS
from jixiao.quality import (
    GateResult,
    SuiteFileError,
    copy_quality_history,
    load_stage_suites,
    load_suite,
    load_vocabularies,
    run_quality_gate,
)
from jixiao.quality.suites import default_suites_dir

ROOT = Path(__file__).resolve().parents[1]
GOLD_DIR = ROOT / "tests" / "fixtures" / "gold"
REPORTS_DIR = ROOT / "data" / "reports"

slow = pytest.mark.slow  # tests that run Great Expectations

# Contract column types (docs/CONTRACT.md) and landed seed types (docs/ARCHITECTURE.md).
FACT_COLUMNS = {
    "fct_budget": [
        ("department_id", "VARCHAR"),
        ("fiscal_year", "INTEGER"),
        ("item", "VARCHAR"),
        ("item_label_zh", "VARCHAR"),
        ("phase", "VARCHAR"),
        ("scope", "VARCHAR"),
        ("amount_wan", "DECIMAL(18,4)"),
        ("report_id", "VARCHAR"),
    ],
    "fct_spending": [
        ("department_id", "VARCHAR"),
        ("fiscal_year", "INTEGER"),
        ("item", "VARCHAR"),
        ("item_label_zh", "VARCHAR"),
        ("scope", "VARCHAR"),
        ("amount_wan", "DECIMAL(18,4)"),
        ("report_id", "VARCHAR"),
    ],
    "fct_three_public_expenses": [
        ("department_id", "VARCHAR"),
        ("fiscal_year", "INTEGER"),
        ("category", "VARCHAR"),
        ("phase", "VARCHAR"),
        ("amount_wan", "DECIMAL(18,4)"),
        ("report_id", "VARCHAR"),
    ],
    "fct_staffing": [
        ("department_id", "VARCHAR"),
        ("fiscal_year", "INTEGER"),
        ("metric", "VARCHAR"),
        ("headcount", "INTEGER"),
        ("report_id", "VARCHAR"),
    ],
    "fct_projects": [
        ("department_id", "VARCHAR"),
        ("fiscal_year", "INTEGER"),
        ("project_name", "VARCHAR"),
        ("budget_wan", "DECIMAL(18,4)"),
        ("initial_budget_wan", "DECIMAL(18,4)"),
        ("actual_wan", "DECIMAL(18,4)"),
        ("self_score", "DECIMAL(10,4)"),
        ("report_id", "VARCHAR"),
    ],
    "fct_indicator_scores": [
        ("department_id", "VARCHAR"),
        ("fiscal_year", "INTEGER"),
        ("report_id", "VARCHAR"),
        ("project_name", "VARCHAR"),
        ("level1_name", "VARCHAR"),
        ("level1", "VARCHAR"),
        ("level2_name", "VARCHAR"),
        ("level2", "VARCHAR"),
        ("indicator_name", "VARCHAR"),
        ("target_value", "VARCHAR"),
        ("actual_value", "VARCHAR"),
        ("weight", "DECIMAL(10,4)"),
        ("score", "DECIMAL(10,4)"),
        ("deviation_note", "VARCHAR"),
    ],
    "fct_budget_by_function": [
        ("department_id", "VARCHAR"),
        ("fiscal_year", "INTEGER"),
        ("phase", "VARCHAR"),
        ("subject_code", "VARCHAR"),
        ("subject_name", "VARCHAR"),
        ("total_wan", "DECIMAL(18,4)"),
        ("basic_wan", "DECIMAL(18,4)"),
        ("project_wan", "DECIMAL(18,4)"),
        ("report_id", "VARCHAR"),
    ],
}
GRAIN = {
    "fct_budget": ("item", "phase", "scope"),
    "fct_spending": ("item", "scope"),
    "fct_three_public_expenses": ("category", "phase"),
    "fct_staffing": ("metric",),
    "fct_projects": ("project_name",),
    "fct_indicator_scores": ("indicator_name",),
    "fct_budget_by_function": ("phase", "subject_code"),
}
LANDED_OF = {
    "fct_budget": "landed_budget",
    "fct_spending": "landed_spending",
    "fct_three_public_expenses": "landed_three_public",
    "fct_staffing": "landed_staffing",
    "fct_projects": "landed_projects",
    "fct_indicator_scores": "landed_indicator_scores",
    "fct_budget_by_function": "landed_budget_by_function",
}
LANDED_EXTRA = {  # landed columns that the contract tables do not have
    "landed_three_public": [("category_label_zh", "VARCHAR")],
    "landed_staffing": [("metric_label_zh", "VARCHAR")],
    "landed_indicator_scores": [("level1_points", "DOUBLE")],
}
# Where a published fact row's value was read (docs/CONTRACT.md).
PUBLISHED_PROVENANCE = [
    ("source_file", "VARCHAR"),
    ("prov_block", "INTEGER"),
    ("prov_row", "INTEGER"),
    ("prov_col", "INTEGER"),
    ("prov_span", "VARCHAR"),
    ("prov_text", "VARCHAR"),
]
PROVENANCE = [
    ("source_kind", "VARCHAR"),
    ("prov_block", "INTEGER"),
    ("prov_row", "INTEGER"),
    ("prov_col", "INTEGER"),
    ("prov_span", "VARCHAR"),
    ("prov_text", "VARCHAR"),
]
LANDED_REPORTS = [(name, sql_type.upper()) for name, sql_type in SEED_COLUMNS["landed_reports"]]  # the one schema
FINDING_COLUMNS = [
    ("report_id", "VARCHAR"),
    ("check", "VARCHAR"),
    ("severity", "VARCHAR"),
    ("message", "VARCHAR"),
    ("observed", "VARCHAR"),
    ("expected", "VARCHAR"),
]


def _create(con: duckdb.DuckDBPyConnection, table: str, columns: list[tuple[str, str]], rows: list[dict]) -> None:
    definition = ", ".join(f'"{name}" {sql_type}' for name, sql_type in columns)
    con.execute(f"CREATE TABLE {table} ({definition})")
    if rows:
        names = [c for c, _ in columns]
        con.executemany(
            f"INSERT INTO {table} VALUES ({', '.join('?' for _ in names)})",
            [[row.get(n) for n in names] for row in rows],
        )


def _gold_reports() -> list[dict]:
    reports = []
    for path in sorted(GOLD_DIR.glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        content = (REPORTS_DIR / gold["source_file"]).read_bytes()
        digest = hashlib.sha256(content).hexdigest()
        gold["report_id"] = digest[:16]
        gold["content_hash"] = digest
        gold["department_id"] = hashlib.sha256(gold["department_name"].encode()).hexdigest()[:12]
        reports.append(gold)
    return reports


def _issue_check(text: str) -> str:
    lowered = text.lower()
    if "unit slip" in lowered:
        return "unit_slip"
    if "narrative" in lowered:
        return "narrative_table_conflict"
    if "grade" in lowered:
        return "grade_score_mismatch"
    if "indicator" in lowered:
        return "indicator_weights_sum"
    return "same_report_conflict"


def build_clean_warehouse(db_path: Path) -> list[str]:
    """Write the landed seeds (schema landed) and the contract tables (main); return the input file names."""
    reports = _gold_reports()
    facts: dict[str, dict[tuple, dict]] = {t: {} for t in FACT_COLUMNS}
    for gold in reports:
        for fact in gold["facts"]:
            table = fact["table"]
            row = {k: v for k, v in fact.items() if k != "table"}
            row.setdefault("scope", "all") if table in ("fct_budget", "fct_spending") else None
            row.update(
                report_id=gold["report_id"],
                department_id=gold["department_id"],
                source_kind="table",
                source_file=gold["source_file"],
                prov_block=3,
                prov_row=1,
                prov_col=2,
                prov_text="x",
            )
            key = (gold["department_id"], row["fiscal_year"], *(row.get(k) for k in GRAIN[table]))
            kept = facts[table].get(key)
            # The contract's rule: the report whose own year is the fact's year wins, else the newest.
            if kept is None or (row["fiscal_year"] == gold["fiscal_year"]) > (kept["fiscal_year"] == kept["_year"]):
                facts[table][key] = {**row, "_year": gold["fiscal_year"]}

    report_rows = [
        {
            "report_id": g["report_id"],
            "source_file": g["source_file"],
            "content_hash": g["content_hash"],
            "file_format": "txt-tab",
            "status": "loaded",
            "department_name": g["department_name"],
            "department_id": g["department_id"],
            "province": g["province"],
            "city": g["city"],
            "county": g["county"],
            "township": g["township"],
            "fiscal_year": g["fiscal_year"],
            "report_date": g["report_date"],
            "self_score": g["self_score"],
            "grade": g["grade"],
            "document_kind": "performance_evaluation",
            "department_status": "known",
        }
        for g in reports
    ]
    issues = [
        {
            "report_id": g["report_id"],
            "check": _issue_check(text),
            "severity": "warn" if "warning" in text else "error",
            "message": text,
        }
        for g in reports
        for text in g.get("expected_issues", [])
    ]

    with duckdb.connect(str(db_path)) as con:
        con.execute("CREATE SCHEMA landed")
        _create(con, "landed.landed_reports", LANDED_REPORTS, report_rows)
        _create(con, "landed.landed_findings", FINDING_COLUMNS + PROVENANCE, issues)
        for table, columns in FACT_COLUMNS.items():
            landed = LANDED_OF[table]
            landed_columns = [c for c in columns if c[0] != "department_id"] + LANDED_EXTRA.get(landed, []) + PROVENANCE
            _create(con, f"landed.{landed}", landed_columns, list(facts[table].values()))
            _create(con, f"main.{table}", columns + PUBLISHED_PROVENANCE, list(facts[table].values()))
        _create(
            con,
            "main.dim_report",
            [
                ("report_id", "VARCHAR"),
                ("department_id", "VARCHAR"),
                ("fiscal_year", "INTEGER"),
                ("source_file", "VARCHAR"),
                ("report_date", "DATE"),
                ("self_score", "DECIMAL(10,4)"),
                ("grade", "VARCHAR"),
                ("status", "VARCHAR"),
                ("status_reason", "VARCHAR"),
                ("document_kind", "VARCHAR"),
                ("source_url", "VARCHAR"),
                ("published_date", "DATE"),
                ("department_status", "VARCHAR"),
            ],
            report_rows,
        )
        con.execute("""CREATE TABLE main.dim_department AS
            SELECT DISTINCT department_id, department_name, department_status, province, city, county, township
            FROM landed.landed_reports JOIN main.dim_report USING (report_id)""")
        _create(con, "main.data_quality_issues", FINDING_COLUMNS, issues)
        con.execute("""CREATE TABLE main.mart_department_year AS
            WITH years AS (SELECT DISTINCT department_id, fiscal_year FROM main.fct_budget
                           UNION SELECT department_id, fiscal_year FROM main.fct_spending
                           UNION SELECT department_id, fiscal_year FROM main.fct_three_public_expenses
                           UNION SELECT department_id, fiscal_year FROM main.fct_staffing),
            b AS (SELECT department_id, fiscal_year,
                         max(amount_wan) FILTER (item = 'total' AND phase = 'initial_budget') AS initial_budget_wan,
                         max(amount_wan) FILTER (item = 'total' AND phase = 'adjusted_budget') AS adjusted_budget_wan
                  FROM main.fct_budget WHERE scope = 'all' GROUP BY ALL),
            s AS (SELECT department_id, fiscal_year,
                         max(amount_wan) FILTER (item = 'total') AS spending_total_wan,
                         max(amount_wan) FILTER (item = 'basic') AS spending_basic_wan,
                         max(amount_wan) FILTER (item = 'project') AS spending_project_wan
                  FROM main.fct_spending WHERE scope = 'all' GROUP BY ALL),
            t AS (SELECT department_id, fiscal_year,
                         max(amount_wan) FILTER (category = 'total' AND phase = 'budget') AS three_public_budget_wan,
                         max(amount_wan) FILTER (category = 'total' AND phase = 'actual') AS three_public_actual_wan
                  FROM main.fct_three_public_expenses GROUP BY ALL),
            h AS (SELECT department_id, fiscal_year,
                         max(headcount) FILTER (metric = 'authorized') AS headcount_authorized,
                         max(headcount) FILTER (metric = 'actual') AS headcount_actual
                  FROM main.fct_staffing GROUP BY ALL)
            SELECT y.department_id, y.fiscal_year, b.initial_budget_wan, b.adjusted_budget_wan,
                   s.spending_total_wan, s.spending_basic_wan, s.spending_project_wan,
                   s.spending_total_wan / nullif(b.adjusted_budget_wan, 0) AS execution_rate,
                   CASE WHEN b.adjusted_budget_wan IS NOT NULL THEN 'adjusted_budget' END AS execution_rate_basis,
                   d.department_name,
                   t.three_public_budget_wan, t.three_public_actual_wan,
                   100 * (t.three_public_actual_wan / nullif(lag(t.three_public_actual_wan) OVER
                         (PARTITION BY y.department_id ORDER BY y.fiscal_year), 0) - 1) AS three_public_actual_yoy_pct,
                   h.headcount_authorized, h.headcount_actual, r.self_score, r.grade
            FROM years y
            LEFT JOIN b USING (department_id, fiscal_year) LEFT JOIN s USING (department_id, fiscal_year)
            LEFT JOIN t USING (department_id, fiscal_year) LEFT JOIN h USING (department_id, fiscal_year)
            LEFT JOIN main.dim_report r USING (department_id, fiscal_year)
            LEFT JOIN main.dim_department d USING (department_id)""")
        con.execute("""CREATE TABLE main.mart_metric_trends AS
            SELECT department_id, 'three_public.' || phase || '.' || category AS metric, fiscal_year,
                   amount_wan AS value, NULL::DOUBLE AS prior_value, NULL::DOUBLE AS change,
                   NULL::DOUBLE AS change_pct, '三公经费·' || category AS metric_label_zh
            FROM main.fct_three_public_expenses""")
        con.execute("""CREATE TABLE main.mart_region_year AS
            SELECT 'county' AS region_level, concat_ws(' / ', d.province, d.city, d.county) AS region_name,
                   m.fiscal_year, count(*)::INTEGER AS n_reporting_units
            FROM main.mart_department_year m JOIN main.dim_department d USING (department_id) GROUP BY ALL""")
    return [g["source_file"] for g in reports]


@pytest.fixture(scope="module")
def clean_db(tmp_path_factory) -> tuple[Path, list[str]]:
    path = tmp_path_factory.mktemp("clean") / "warehouse.duckdb"
    return path, build_clean_warehouse(path)


@pytest.fixture()
def fresh_db(clean_db, tmp_path) -> tuple[Path, list[str]]:
    """A private copy of the clean warehouse for one test to damage."""
    source, files = clean_db
    target = tmp_path / "building.duckdb"
    shutil.copyfile(source, target)
    return target, files


def _damage(db: Path, sql: str) -> None:
    with duckdb.connect(str(db)) as con:
        con.execute(sql)


def _report_of(db: Path, sql: str) -> tuple[str, str]:
    """(report_id, source_file) of the row a damaging statement is about to touch."""
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(
            f"SELECT r.report_id, r.source_file FROM ({sql}) x JOIN main.dim_report r USING (report_id) LIMIT 1"
        ).fetchone()


@pytest.fixture()
def no_network(monkeypatch):
    """Fail the test if anything tries to open a network connection."""
    attempts: list = []

    def refuse(self, address, *args, **kwargs):
        attempts.append(address)
        raise OSError(f"network use during the quality gate: {address}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", lambda address, *a, **k: refuse(None, address))
    return attempts


@slow
def test_clean_warehouse_passes_every_suite(fresh_db, tmp_path, no_network):
    db, files = fresh_db
    docs = tmp_path / "docs"
    result = run_quality_gate(db, "run-clean", files, docs, stage="all")

    assert isinstance(result, GateResult)
    failed = [o.message for o in result.results if not o.success]
    assert result.passed, result.failures_message()
    assert failed == [], "\n".join(failed)
    suites = {o.suite for o in result.results}
    assert suites == {"landed", "published"}
    expected_count = sum(s.expectation_count() for s in load_stage_suites("all"))
    assert len(result.results) == expected_count
    checked_tables = {o.table for o in result.results}
    assert {
        "landed_budget",
        "landed_findings",
        "dim_report",
        "mart_department_year",
        "data_quality_issues",
    } <= checked_tables
    assert "PASSED" in result.summary() and f"{expected_count}/{expected_count}" in result.summary()
    assert result.failures_message() == "No critical expectation failed."
    assert no_network == []

    assert result.docs_path == docs / "index.html" and result.docs_path.exists()
    html = result.docs_path.read_text(encoding="utf-8")
    assert "published.fct_budget" in html and "landed.landed_reports" in html

    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(
            "SELECT count(*), count(DISTINCT suite), bool_and(success), min(run_id), max(run_id) FROM quality_runs"
        ).fetchone()
        columns = [r[0] for r in con.execute("DESCRIBE quality_runs").fetchall()]
    assert rows == (expected_count, 2, True, "run-clean", "run-clean")
    assert columns[:10] == [
        "run_id",
        "run_at",
        "suite",
        "table_name",
        "expectation",
        "severity",
        "success",
        "observed_value",
        "unexpected_count",
        "details",
    ]


BAD_DATA = [
    pytest.param(
        "SELECT report_id FROM main.fct_spending WHERE item = 'total'",
        "UPDATE main.fct_spending SET amount_wan = -amount_wan - 1 WHERE rowid = "
        "(SELECT min(rowid) FROM main.fct_spending WHERE item = 'total')",
        "published",
        "fct_spending",
        "expect_column_values_to_be_between(amount_wan)",
        id="negative-amount",
    ),
    pytest.param(
        "SELECT report_id FROM main.fct_three_public_expenses",
        "INSERT INTO main.fct_three_public_expenses SELECT * FROM main.fct_three_public_expenses "
        "WHERE rowid = (SELECT min(rowid) FROM main.fct_three_public_expenses)",
        "published",
        "fct_three_public_expenses",
        "expect_compound_columns_to_be_unique(department_id, fiscal_year_key, category, phase)",
        id="duplicate-key",
    ),
    pytest.param(
        "SELECT report_id FROM landed.landed_three_public",
        "UPDATE landed.landed_three_public SET category = 'entertainment' WHERE rowid = "
        "(SELECT min(rowid) FROM landed.landed_three_public)",
        "landed",
        "landed_three_public",
        "expect_column_values_to_be_in_set(category)",
        id="unknown-category",
    ),
    pytest.param(
        "SELECT report_id FROM main.fct_indicator_scores WHERE score IS NOT NULL",
        "UPDATE main.fct_indicator_scores SET score = weight + 2 WHERE rowid = "
        "(SELECT min(rowid) FROM main.fct_indicator_scores WHERE score IS NOT NULL)",
        "published",
        "fct_indicator_scores",
        "expect_column_pair_values_a_to_be_greater_than_b(weight, score)",
        id="score-above-weight",
    ),
    pytest.param(
        "SELECT report_id FROM main.fct_staffing",
        "UPDATE main.fct_staffing SET fiscal_year = fiscal_year - 11 WHERE rowid = "
        "(SELECT min(rowid) FROM main.fct_staffing)",
        "published",
        "fct_staffing",
        "expect_column_values_to_be_between(years_before_writing)",
        id="year-too-old",
    ),
]


@slow
@pytest.mark.parametrize("target_sql, damage_sql, suite, table, label", BAD_DATA)
def test_bad_data_fails_the_gate_naming_expectation_and_report(
    fresh_db, tmp_path, target_sql, damage_sql, suite, table, label
):
    db, files = fresh_db
    report_id, source_file = _report_of(db, target_sql)
    _damage(db, damage_sql)

    result = run_quality_gate(db, "run-bad", files, tmp_path / "docs", stage=suite)

    assert not result.passed
    failed = {(o.suite, o.table, o.label) for o in result.critical_failures}
    assert (suite, table, label) in failed, result.failures_message()
    offending = next(o for o in result.critical_failures if (o.suite, o.table, o.label) == (suite, table, label))
    assert report_id in offending.report_ids and source_file in offending.source_files
    assert offending.unexpected_count and offending.unexpected_count >= 1
    message = result.failures_message()
    assert label in message and report_id in message and source_file in message
    assert "FAILED" in result.summary()
    with duckdb.connect(str(db), read_only=True) as con:
        recorded = con.execute(
            "SELECT success, details FROM quality_runs WHERE run_id = 'run-bad' AND suite = ? AND table_name = ? "
            "AND column_name = ? AND expectation = ?",
            [suite, table, offending.column, offending.expectation],
        ).fetchone()
    assert recorded is not None and recorded[0] is False and report_id in recorded[1]


@slow
def test_missing_input_file_fails_naming_the_file(fresh_db, tmp_path):
    db, files = fresh_db
    absent = "999_not_ingested.txt"
    result = run_quality_gate(db, "run-missing", [*files, absent], tmp_path / "docs", stage="published")
    assert not result.passed
    (failure,) = [o for o in result.critical_failures]
    assert failure.expectation == "expect_column_distinct_values_to_contain_set"
    assert failure.table == "dim_report" and failure.source_files == [absent]
    assert absent in result.failures_message()


@slow
def test_warning_failures_are_recorded_but_do_not_block(fresh_db, tmp_path):
    db, files = fresh_db
    _damage(
        db,
        "UPDATE main.mart_department_year SET execution_rate = 2.5, execution_rate_basis = 'adjusted_budget' "
        "WHERE rowid = "
        "(SELECT min(rowid) FROM main.mart_department_year)",
    )
    result = run_quality_gate(db, "run-warn", files, tmp_path / "docs", stage="published")
    assert result.passed, result.failures_message()
    (warning,) = result.warnings
    assert warning.table == "mart_department_year" and warning.column == "execution_rate"
    assert warning.report_ids, "the reports behind the department-year row are named"
    assert "1 warning(s)" in result.summary()


@slow
def test_missing_table_is_a_critical_failure(fresh_db, tmp_path):
    db, files = fresh_db
    _damage(db, "DROP TABLE main.fct_projects")
    result = run_quality_gate(db, "run-drop", files, tmp_path / "docs", stage="published")
    assert not result.passed
    assert [(o.table, o.expectation) for o in result.critical_failures] == [("fct_projects", "expect_table_to_exist")]


@slow
def test_wrong_column_type_fails(fresh_db, tmp_path):
    db, files = fresh_db
    _damage(db, "ALTER TABLE main.fct_budget ALTER amount_wan TYPE VARCHAR")
    result = run_quality_gate(db, "run-type", files, tmp_path / "docs", stage="published")
    labels = {o.label for o in result.critical_failures if o.table == "fct_budget"}
    assert "expect_column_values_to_be_in_type_list(amount_wan)" in labels


@slow
def test_dropped_column_fails_saying_why(fresh_db, tmp_path):
    db, files = fresh_db
    _damage(db, "ALTER TABLE main.fct_staffing DROP COLUMN metric")
    result = run_quality_gate(db, "run-column", files, tmp_path / "docs", stage="published")
    failures = [o for o in result.critical_failures if o.table == "fct_staffing" and o.column == "metric"]
    assert failures and all("could not be evaluated" in o.message and "metric" in o.message for o in failures)


@slow
def test_quality_history_is_carried_into_the_next_build(fresh_db, tmp_path):
    published, files = fresh_db
    run_quality_gate(published, "run-1", files, tmp_path / "docs", stage="landed")
    _damage(
        published,
        "CREATE TABLE pipeline_runs (run_id VARCHAR, status VARCHAR); "
        "INSERT INTO pipeline_runs VALUES ('run-1', 'published')",
    )
    building = tmp_path / "next.duckdb"
    shutil.copyfile(published, building)
    _damage(building, "DROP TABLE quality_runs; DROP TABLE pipeline_runs")

    copied = copy_quality_history(published, building)
    again = copy_quality_history(published, building)  # idempotent
    run_quality_gate(building, "run-2", files, tmp_path / "docs", stage="landed")

    with duckdb.connect(str(building), read_only=True) as con:
        runs = con.execute("SELECT run_id, count(*) FROM quality_runs GROUP BY 1 ORDER BY 1").fetchall()
        pipeline = con.execute("SELECT * FROM pipeline_run_history").fetchall()  # from a legacy pipeline_runs
    n = sum(s.expectation_count() for s in load_stage_suites("landed"))
    assert copied == {"quality_runs": n, "pipeline_run_history": 1} and again == {}
    assert runs == [("run-1", n), ("run-2", n)]
    assert pipeline == [("run-1", "published")]
    assert copy_quality_history(tmp_path / "absent.duckdb", building) == {}


def test_vocabularies_match_the_contract():
    vocab = load_vocabularies(default_suites_dir())
    contract = (ROOT / "docs" / "CONTRACT.md").read_text(encoding="utf-8")
    items_section = contract.split("| item | 中文 |")[1].split("\n\n")[0]
    items = re.findall(r"^\| (\w+) \|", items_section, flags=re.M)
    assert vocab["items"] == items
    staffing = contract.split("`fct_staffing`")[1].split("Column headcount")[0]
    assert set(vocab["staffing_metrics"]) == set(re.findall(r"`(\w+)`", staffing))
    three_public = contract.split("`fct_three_public_expenses`")[1].split("- amount_wan")[0]
    assert set(vocab["three_public_categories"]) | set(vocab["three_public_phases"]) == set(
        re.findall(r"`(\w+)`", three_public)
    )
    checks = (ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8").split("## Check names")[1]
    assert vocab["checks"] == re.findall(r"`(\w+)`", checks)


def test_every_expectation_has_severity_and_description(tmp_path):
    for suite in load_stage_suites("all"):
        for table in suite.tables:
            assert table.expectations, f"{suite.name}/{table.name} has no expectations"
            for spec in table.expectations:
                assert spec.severity in ("critical", "warning") and spec.description
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "suite: bad\ntables:\n  t:\n    expectations:\n"
        "      - {type: expect_column_values_to_not_be_null, kwargs: {column: x}, description: d}\n",
        encoding="utf-8",
    )
    with pytest.raises(SuiteFileError, match=r"bad.yml: table t, expectation #1.*severity"):
        load_suite(bad, vocabularies={})
