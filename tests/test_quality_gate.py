"""The Great Expectations quality gate (jixiao.quality) on a small warehouse built from the gold answers.

The clean warehouse holds the landed seeds and the contract tables, with rows taken from
tests/fixtures/gold/*.json (what a careful reader finds in the sample reports). Clean data must
pass every suite; each kind of bad data must fail the gate with a message naming the
expectation and the report behind the offending row. Given a changed set, the gate validates
only the changed reports' rows; in chunks of any size it reaches the same verdicts; and no rule
that a dbt test runs on a model is run again by GX on the same rows (docs/quality.md).
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
        "input_files",  # run checks
        "row_counts",
        "repeated_file_names",
        "conflicting_values",
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
        "SELECT report_id FROM main.fct_staffing",
        "UPDATE main.fct_staffing SET headcount = -3 WHERE rowid = (SELECT min(rowid) FROM main.fct_staffing)",
        "published",
        "fct_staffing",
        "expect_column_values_to_be_between(headcount)",
        id="negative-headcount",
    ),
    pytest.param(
        "SELECT report_id FROM landed.landed_spending",
        "INSERT INTO landed.landed_spending SELECT * REPLACE (amount_wan + 1 AS amount_wan) FROM landed.landed_spending "
        "WHERE rowid = (SELECT min(rowid) FROM landed.landed_spending)",
        "landed",
        "conflicting_values",
        "expect_column_values_to_be_between(n_values)",
        id="one-fact-two-values",
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
    assert failure.expectation == "expect_column_values_to_not_be_null" and failure.column == "status"
    assert failure.table == "input_files" and failure.source_files == [absent]
    assert failure.unexpected_count == 1
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
def test_dropped_column_fails_saying_why(fresh_db, tmp_path):
    db, files = fresh_db
    _damage(db, "ALTER TABLE main.fct_staffing DROP COLUMN headcount")
    result = run_quality_gate(db, "run-column", files, tmp_path / "docs", stage="published")
    failures = [o for o in result.critical_failures if o.table == "fct_staffing" and o.column == "headcount"]
    assert failures and all("could not be evaluated" in o.message and "headcount" in o.message for o in failures)
    # with no row to check (no report changed) the missing column still fails
    none = run_quality_gate(db, "run-column-0", files, tmp_path / "d0", stage="published", changed_report_ids=[])
    empty = [o for o in none.critical_failures if o.table == "fct_staffing" and o.column == "headcount"]
    assert empty and all("headcount is missing" in o.message for o in empty)
    assert all(o.success for o in none.results if o.table == "fct_budget")


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


# ---- the gate on what changed, in chunks, and one owner per rule --------------------------------


def _two_reports(db: Path, table: str) -> tuple[str, str]:
    """Two reports of different departments that both have rows in ``table``."""
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(
            f"SELECT t.report_id, any_value(r.department_id) FROM main.{table} t "
            "JOIN main.dim_report r USING (report_id) GROUP BY 1 ORDER BY 1"
        ).fetchall()
    first = rows[0]
    other = next(r for r in rows if r[1] != first[1])
    return first[0], other[0]


def _verdicts(result: GateResult) -> list[tuple]:
    return [
        (o.suite, o.table, o.label, o.severity, o.success, o.unexpected_count, tuple(o.report_ids))
        for o in result.results
    ]


@slow
def test_changed_set_validates_only_the_changed_reports(fresh_db, tmp_path):
    db, files = fresh_db
    bad, other = _two_reports(db, "fct_spending")
    _damage(db, f"UPDATE main.fct_spending SET amount_wan = -7 WHERE report_id = '{bad}'")
    label = "expect_column_values_to_be_between(amount_wan)"

    unchanged = run_quality_gate(
        db, "run-other", files, tmp_path / "d1", stage="published", changed_report_ids=[other, "0000000000000000"]
    )
    assert unchanged.passed, "a bad value in a report this run did not change is not re-flagged"
    spending = next(o for o in unchanged.results if o.table == "fct_spending" and o.label == label)
    assert spending.success and spending.report_ids == []

    changed = run_quality_gate(db, "run-bad", files, tmp_path / "d2", stage="published", changed_report_ids={bad})
    assert not changed.passed
    failure = next(o for o in changed.critical_failures if o.table == "fct_spending" and o.label == label)
    assert failure.report_ids == [bad]
    with duckdb.connect(str(db), read_only=True) as con:
        rows_of_bad, rows_all = con.execute(
            "SELECT count(*) FILTER (report_id = ?), count(*) FROM main.fct_spending", [bad]
        ).fetchone()
    assert rows_of_bad < rows_all  # only the changed report's rows were read
    assert f"{rows_of_bad} of {rows_of_bad} row(s) break it" in failure.message

    everything = run_quality_gate(db, "run-all", files, tmp_path / "d3", stage="published")
    assert not everything.passed, "None validates every row"
    # run checks still look at the whole warehouse: a missing input file fails whatever changed
    missing = run_quality_gate(
        db, "run-missing", [*files, "new_file.txt"], tmp_path / "d4", stage="published", changed_report_ids=[]
    )
    assert [o.table for o in missing.critical_failures] == ["input_files"]


@slow
def test_changed_set_selects_department_rows_of_tables_without_report_id(fresh_db, tmp_path):
    db, files = fresh_db
    bad, other = _two_reports(db, "fct_spending")
    _damage(
        db,
        "UPDATE main.mart_department_year SET execution_rate = 20 WHERE department_id = "
        f"(SELECT department_id FROM main.dim_report WHERE report_id = '{bad}')",
    )
    label = "expect_column_values_to_be_between(execution_rate)"
    quiet = run_quality_gate(db, "run-o", files, tmp_path / "d1", stage="published", changed_report_ids=[other])
    assert quiet.passed
    loud = run_quality_gate(db, "run-b", files, tmp_path / "d2", stage="published", changed_report_ids=[bad])
    failure = next(o for o in loud.critical_failures if o.table == "mart_department_year" and o.label == label)
    assert bad in failure.report_ids


@slow
def test_chunks_of_ten_rows_give_the_same_verdicts_as_one_chunk(fresh_db, tmp_path):
    db, files = fresh_db
    _damage(db, "UPDATE main.fct_budget SET amount_wan = -1 WHERE rowid % 7 = 3")
    _damage(
        db, "UPDATE landed.landed_indicator_scores SET score = weight + 1 WHERE weight IS NOT NULL AND rowid % 5 = 1"
    )
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM main.fct_budget").fetchone()[0] > 20  # several chunks of 10
    whole = run_quality_gate(db, "run-whole", files, tmp_path / "d1", stage="all")
    chunked = run_quality_gate(db, "run-chunked", files, tmp_path / "d2", stage="all", chunk_rows=10)
    assert not whole.passed
    assert _verdicts(chunked) == _verdicts(whole)
    negative = next(o for o in chunked.critical_failures if o.table == "fct_budget" and "amount_wan" in o.label)
    with duckdb.connect(str(db), read_only=True) as con:
        assert (
            negative.unexpected_count
            == con.execute("SELECT count(*) FROM main.fct_budget WHERE amount_wan < 0").fetchone()[0]
        )


def _table(con: duckdb.DuckDBPyConnection, n: int) -> None:
    con.execute(f"CREATE TABLE main.t AS SELECT i AS n, printf('%016x', i % 4) AS report_id FROM range({n}) r(i)")


def test_chunks_cover_every_row_once_in_order():
    from jixiao.quality.frames import iter_chunks

    con = duckdb.connect()
    _table(con, 25)
    chunks = list(iter_chunks(con, "SELECT * FROM main.t ORDER BY n", chunk_rows=10))
    assert [len(c) for c in chunks] == [10, 10, 5]
    assert all(list(c.index) == list(range(len(c))) for c in chunks)
    assert load_stage_suites("published")[0].tables[0].columns_read() >= {"self_score", "status"}
    assert [v for c in chunks for v in c["n"].tolist()] == list(range(25))
    big = list(iter_chunks(con, "SELECT * FROM main.t", chunk_rows=5000))
    assert [len(c) for c in big] == [25]
    (empty,) = iter_chunks(con, "SELECT * FROM main.t WHERE n < 0", chunk_rows=10)
    assert empty.empty and list(empty.columns) == ["n", "report_id"]
    with pytest.raises(ValueError):
        next(iter_chunks(con, "SELECT 1", chunk_rows=0))


def test_changed_rows_are_filtered_in_duckdb():
    import pyarrow as pa

    from jixiao.quality.frames import CHANGED, frame_sql, iter_chunks

    con = duckdb.connect()
    _table(con, 40)
    con.execute(
        "CREATE TABLE main.r AS SELECT DISTINCT report_id, 'loaded' AS status, 2023 AS fiscal_year, "
        "NULL::DATE AS report_date FROM main.t"
    )
    con.register(CHANGED, pa.table({"report_id": pa.array(["0000000000000001"], type=pa.string())}))
    sql, filtered = frame_sql(con, '"main"."t"', '"main"."r"', changed=True)
    assert filtered and f"IN (SELECT report_id FROM {CHANGED})" in sql
    rows = [r for c in iter_chunks(con, sql, chunk_rows=3) for r in c["report_id"].tolist()]
    assert rows == ["0000000000000001"] * 10
    sql_all, filtered_all = frame_sql(con, '"main"."t"', '"main"."r"', changed=False)
    assert not filtered_all and "WHERE" not in sql_all.split("LEFT JOIN")[-1]
    # only the columns a rule reads (and the report lookup columns) reach pandas
    con.execute("ALTER TABLE main.t ADD COLUMN prov_text VARCHAR DEFAULT 'a long quotation nobody checks'")
    narrow, _ = frame_sql(con, '"main"."t"', '"main"."r"', changed=True, wanted={"n"})
    (chunk,) = iter_chunks(con, narrow, chunk_rows=100)
    assert "prov_text" not in chunk.columns and {"n", "report_id", "years_before_writing"} <= set(chunk.columns)
    wide, _ = frame_sql(con, '"main"."t"', '"main"."r"', changed=True)
    assert "prov_text" in next(iter_chunks(con, wide, chunk_rows=100)).columns


def test_chunk_totals_add_up_and_respect_mostly():
    from jixiao.quality.merge import ChunkTotals

    total = ChunkTotals()
    total.add(True, {"element_count": 10, "unexpected_count": 0}, None, [])
    total.add(False, {"element_count": 10, "unexpected_count": 2, "partial_unexpected_list": [-1, -2]}, None, ["a"])
    assert (total.passed, total.unexpected_count, total.element_count, total.sample, total.report_ids) == (
        False,
        2,
        20,
        [-1, -2],
        ["a"],
    )
    lenient = ChunkTotals(mostly=0.9)  # 2 of 20 unexpected: 90% expected, enough
    lenient.add(True, {"element_count": 10, "unexpected_count": 0}, None, [])
    lenient.add(False, {"element_count": 10, "unexpected_count": 2}, None, [])
    assert lenient.passed
    broken = ChunkTotals()
    broken.add(True, {}, "boom", [])
    assert not broken.passed


def test_changed_reports_compares_building_with_published(clean_db, tmp_path):
    from jixiao.quality import changed_reports

    source, _ = clean_db
    published = tmp_path / "published.duckdb"
    shutil.copyfile(source, published)
    _damage(
        published,
        "ALTER TABLE main.dim_report ADD COLUMN content_hash VARCHAR; "
        "UPDATE main.dim_report SET content_hash = (SELECT content_hash FROM landed.landed_reports l "
        "WHERE l.report_id = dim_report.report_id)",
    )
    building = tmp_path / "building.duckdb"
    shutil.copyfile(published, building)
    assert changed_reports(building, published) == set()
    assert changed_reports(building, None) is None
    assert changed_reports(building, tmp_path / "absent.duckdb") is None

    with duckdb.connect(str(building)) as con:
        ids = [r[0] for r in con.execute("SELECT report_id FROM main.dim_report ORDER BY report_id").fetchall()]
        con.execute("UPDATE main.dim_report SET content_hash = 'other' WHERE report_id = ?", [ids[0]])
        con.execute("DELETE FROM main.dim_report WHERE report_id = ?", [ids[1]])
        con.execute(
            "INSERT INTO main.dim_report (report_id, source_file, status, content_hash) "
            "VALUES ('00000000000000aa', 'new.txt', 'loaded', 'aa')"
        )
    assert changed_reports(building, published) == {ids[0], ids[1], "00000000000000aa"}
    # without dim_report the landed table is compared
    _damage(building, "DROP TABLE main.dim_report")
    _damage(published, "DROP TABLE main.dim_report")
    _damage(building, f"DELETE FROM landed.landed_reports WHERE report_id = '{ids[2]}'")
    assert changed_reports(building, published) == {ids[2]}


@slow
def test_row_counts_are_checked_against_the_last_published_run(fresh_db, tmp_path):
    from jixiao.pipeline.runs import PIPELINE_RUNS_DDL

    db, files = fresh_db
    with duckdb.connect(str(db)) as con:
        budget = con.execute("SELECT count(*) FROM main.fct_budget").fetchone()[0]
        con.execute(PIPELINE_RUNS_DDL)
        counts = json.dumps({"fct_budget": budget * 3, "fct_projects": 4, "mart_region_year": 2})
        older = json.dumps({"fct_budget": budget})
        con.execute(
            "INSERT INTO main.pipeline_run_history (run_id, started_at, finished_at, status, fact_rows) VALUES "
            "('r0', TIMESTAMP '2026-01-01', TIMESTAMP '2026-01-01 00:01', 'published', ?), "
            "('r1', TIMESTAMP '2026-01-02', TIMESTAMP '2026-01-02 00:01', 'published', ?), "
            "('r2', TIMESTAMP '2026-01-03', TIMESTAMP '2026-01-03 00:01', 'failed', ?)",
            [older, counts, older],
        )
        con.execute("DELETE FROM main.fct_projects")
    result = run_quality_gate(db, "run-counts", files, tmp_path / "docs", stage="published", changed_report_ids=[])
    (emptied,) = [o for o in result.critical_failures if o.table == "row_counts"]
    assert emptied.column == "rows_now" and emptied.unexpected_count == 1
    assert "tables: [fct_projects]" in emptied.message
    halved = [o for o in result.warnings if o.table == "row_counts"]
    assert [o.column for o in halved] == ["ratio"] and halved[0].unexpected_count == 2  # a third, and none
    assert "tables: [fct_budget, fct_projects]" in halved[0].message


# Rules GX no longer runs because a dbt test runs them on the same rows: (GX table, GX expectation,
# column(s)) -> (dbt model, dbt test, file). The dbt test must still be there.
MOVED_TO_DBT = [
    (("dim_report", "expect_column_values_to_be_unique", "report_id"), ("dim_report", "unique", "report_id")),
    (("dim_report", "expect_column_values_to_not_be_null", "report_id"), ("dim_report", "not_null", "report_id")),
    (("dim_report", "expect_column_values_to_be_in_set", "status"), ("dim_report", "accepted_values", "status")),
    (
        ("dim_report", "expect_column_values_to_not_be_null", "department_id"),
        ("dim_report", "not_null", "department_id"),
    ),
    (
        ("dim_department", "expect_column_values_to_be_unique", "department_id"),
        ("dim_department", "unique", "department_id"),
    ),
    (("fct_budget", "expect_column_values_to_be_in_set", "item"), ("fct_budget", "relationships", "item")),
    (("fct_budget", "expect_column_values_to_not_be_null", "amount_wan"), ("fct_budget", "not_null", "amount_wan")),
    (
        ("fct_three_public_expenses", "expect_compound_columns_to_be_unique", None),
        ("fct_three_public_expenses", "unique_combination_of_columns", None),
    ),
    (
        ("fct_staffing", "expect_compound_columns_to_be_unique", None),
        ("fct_staffing", "unique_combination_of_columns", None),
    ),
    (
        ("data_quality_issues", "expect_column_values_to_be_in_set", "severity"),
        ("data_quality_issues", "accepted_values", "severity"),
    ),
    (
        ("landed_spending", "expect_compound_columns_to_be_unique", None),
        ("stg_landed__spending", "unique_combination_of_columns", None),
    ),
    (
        ("landed_budget", "expect_column_values_to_not_be_null", "report_id"),
        ("stg_landed__budget", "not_null", "report_id"),
    ),
    (
        ("landed_reports", "expect_column_values_to_be_unique", "report_id"),
        ("stg_landed__reports", "unique", "report_id"),
    ),
]
DBT_KIND = {
    "not_null": "not_null",
    "unique": "unique",
    "accepted_values": "codes",
    "relationships": "codes",
    "unique_combination_of_columns": "grain",
    "value_between": "range",
}
GX_KIND = {
    "expect_column_values_to_not_be_null": "not_null",
    "expect_column_values_to_be_unique": "unique",
    "expect_column_values_to_be_in_set": "codes",
    "expect_compound_columns_to_be_unique": "grain",
    "expect_column_values_to_be_between": "range",
}


def _dbt_tests() -> set[tuple[str, str | None, str]]:
    """(model, column or None, test name) of every dbt data test in models/**/*.yml."""
    import yaml

    found: set[tuple[str, str | None, str]] = set()
    for path in (ROOT / "models").rglob("*.yml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for node in [*(data.get("models") or []), *(data.get("seeds") or [])]:
            for test in node.get("data_tests") or []:
                found.add((node["name"], None, test if isinstance(test, str) else next(iter(test))))
            for column in node.get("columns") or []:
                for test in column.get("data_tests") or []:
                    found.add((node["name"], column["name"], test if isinstance(test, str) else next(iter(test))))
    return found


def _dbt_model_of(table: str) -> str:
    """The dbt node that holds the same rows as a GX table (landed seeds are staged 1:1)."""
    return "stg_landed__" + table.removeprefix("landed_") if table.startswith("landed_") else table


def test_no_rule_runs_in_both_dbt_and_gx_on_the_same_rows():
    dbt = {(m, c, DBT_KIND[t]) for m, c, t in _dbt_tests() if t in DBT_KIND}
    doubled = []
    for suite in load_stage_suites("all"):
        for table in suite.tables:
            model = _dbt_model_of(table.name)
            for spec in table.expectations:
                kind = GX_KIND.get(spec.type)
                column = spec.kwargs.get("column")
                if kind is None:
                    continue
                if (model, column if kind != "grain" else None, kind) in dbt:
                    doubled.append(f"{suite.name}/{table.name}: {spec.label} (dbt {kind} test on {model}.{column})")
    assert doubled == []


@pytest.mark.parametrize("gx_rule, dbt_test", MOVED_TO_DBT, ids=lambda x: "/".join(str(p) for p in x if p))
def test_rules_moved_to_dbt_are_gone_from_gx_and_tested_by_dbt(gx_rule, dbt_test):
    table, expectation, column = gx_rule
    in_gx = [
        spec
        for suite in load_stage_suites("all")
        for t in suite.tables
        if t.name == table
        for spec in t.expectations
        if spec.type == expectation and spec.kwargs.get("column") == column
    ]
    assert in_gx == []
    model, test, dbt_column = dbt_test
    assert (model, dbt_column, test) in _dbt_tests(), (
        f"dbt no longer tests {dbt_test}: the rule would be checked nowhere"
    )


def test_row_tables_refuse_whole_table_expectations(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "suite: bad\ntables:\n  t:\n    expectations:\n"
        "      - {type: expect_compound_columns_to_be_unique, kwargs: {column_list: [a, b]}, severity: critical,"
        " description: d}\n",
        encoding="utf-8",
    )
    with pytest.raises(SuiteFileError, match=r"bad.yml: table t.*uniqueness belongs to dbt"):
        load_suite(bad, vocabularies={})
    check = tmp_path / "check.yml"
    check.write_text("suite: c\ntables: {}\nrun_checks:\n  x: {expectations: []}\n", encoding="utf-8")
    with pytest.raises(SuiteFileError, match=r"check.yml: run check x: a run check needs 'sql'"):
        load_suite(check, vocabularies={})
