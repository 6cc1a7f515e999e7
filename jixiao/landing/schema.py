"""The landed seeds' columns and DuckDB types: the single source of truth.

``jixiao.landing.seeds`` writes CSV files with exactly these headers, ``dbt_project.yml`` types the
dbt seeds with exactly these ``column_types`` (a test keeps the two equal), and
``jixiao.landing.seeds.load_landed_native`` creates the same tables with DuckDB ``read_csv``.
See docs/ARCHITECTURE.md, "Landed seeds".
"""

from __future__ import annotations

# Schema (DuckDB) the landed seeds are loaded into; dbt_project.yml sets the same ``+schema``.
LANDED_SCHEMA = "landed"

PROVENANCE_COLUMNS: list[tuple[str, str]] = [
    ("source_kind", "varchar"),
    ("prov_block", "integer"),
    ("prov_row", "integer"),
    ("prov_col", "integer"),
    ("prov_span", "varchar"),
    ("prov_text", "varchar"),
]

_REPORTS: list[tuple[str, str]] = [
    ("report_id", "varchar"),
    ("source_file", "varchar"),
    ("content_hash", "varchar"),
    ("file_format", "varchar"),
    ("status", "varchar"),
    ("status_reason", "varchar"),
    ("department_name", "varchar"),
    ("province", "varchar"),
    ("city", "varchar"),
    ("county", "varchar"),
    ("county_code", "varchar"),
    ("township", "varchar"),
    ("fiscal_year", "integer"),
    ("report_date", "date"),
    ("self_score", "double"),
    ("grade", "varchar"),
    ("grade_label_zh", "varchar"),
    ("grade_rule", "varchar"),
    ("indicator_total_weight", "double"),
    ("indicator_total_score", "double"),
    ("document_kind", "varchar"),
    ("source_url", "varchar"),
    ("published_date", "date"),
    ("unit_key", "varchar"),
    ("ocr_confidence", "double"),
]

_FACT_COLUMNS: dict[str, list[tuple[str, str]]] = {
    "landed_budget": [
        ("report_id", "varchar"),
        ("fiscal_year", "integer"),
        ("item", "varchar"),
        ("item_label_zh", "varchar"),
        ("phase", "varchar"),
        ("scope", "varchar"),
        ("amount_wan", "double"),
    ],
    "landed_spending": [
        ("report_id", "varchar"),
        ("fiscal_year", "integer"),
        ("item", "varchar"),
        ("item_label_zh", "varchar"),
        ("scope", "varchar"),
        ("amount_wan", "double"),
    ],
    "landed_three_public": [
        ("report_id", "varchar"),
        ("fiscal_year", "integer"),
        ("category", "varchar"),
        ("category_label_zh", "varchar"),
        ("phase", "varchar"),
        ("amount_wan", "double"),
    ],
    "landed_staffing": [
        ("report_id", "varchar"),
        ("fiscal_year", "integer"),
        ("metric", "varchar"),
        ("metric_label_zh", "varchar"),
        ("headcount", "integer"),
    ],
    "landed_projects": [
        ("report_id", "varchar"),
        ("fiscal_year", "integer"),
        ("project_name", "varchar"),
        ("budget_wan", "double"),
        ("initial_budget_wan", "double"),
        ("actual_wan", "double"),
        ("self_score", "double"),
    ],
    "landed_indicator_scores": [
        ("report_id", "varchar"),
        ("fiscal_year", "integer"),
        ("project_name", "varchar"),
        ("level1_name", "varchar"),
        ("level1", "varchar"),
        ("level1_points", "double"),
        ("level2_name", "varchar"),
        ("level2", "varchar"),
        ("indicator_name", "varchar"),
        ("target_value", "varchar"),
        ("actual_value", "varchar"),
        ("weight", "double"),
        ("score", "double"),
        ("deviation_note", "varchar"),
    ],
    "landed_budget_by_function": [
        ("report_id", "varchar"),
        ("fiscal_year", "integer"),
        ("phase", "varchar"),
        ("subject_code", "varchar"),
        ("subject_name", "varchar"),
        ("total_wan", "double"),
        ("basic_wan", "double"),
        ("project_wan", "double"),
    ],
    "landed_findings": [
        ("report_id", "varchar"),
        ("check", "varchar"),
        ("severity", "varchar"),
        ("message", "varchar"),
        ("observed", "varchar"),
        ("expected", "varchar"),
    ],
}

# dim_report.document_kind (docs/CONTRACT.md); a report nothing classifies is ``other``.
DOCUMENT_KINDS: tuple[str, ...] = (
    "performance_evaluation",
    "project_evaluation",
    "budget_statement",
    "final_accounts_statement",
    "three_public_disclosure",
    "other",
)

# Contract fact table (``Fact.table``) -> landed seed it is written to.
FACT_TABLE_TO_SEED: dict[str, str] = {
    "fct_budget": "landed_budget",
    "fct_spending": "landed_spending",
    "fct_three_public_expenses": "landed_three_public",
    "fct_staffing": "landed_staffing",
    "fct_projects": "landed_projects",
    "fct_indicator_scores": "landed_indicator_scores",
    "fct_budget_by_function": "landed_budget_by_function",
}

SEED_COLUMNS: dict[str, list[tuple[str, str]]] = {"landed_reports": _REPORTS}
SEED_COLUMNS.update({name: cols + PROVENANCE_COLUMNS for name, cols in _FACT_COLUMNS.items()})

# Defaults a fact row gets when the extractor leaves a grain column out.
KEY_DEFAULTS: dict[str, dict[str, str]] = {
    "landed_budget": {"scope": "all"},
    "landed_spending": {"scope": "all"},
}


def column_names(seed: str) -> list[str]:
    """Ordered CSV header of one landed seed."""
    return [name for name, _ in SEED_COLUMNS[seed]]


def column_types(seed: str) -> dict[str, str]:
    """``{column: duckdb type}`` of one landed seed, as dbt's ``+column_types`` expects."""
    return dict(SEED_COLUMNS[seed])
