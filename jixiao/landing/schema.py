"""The landed seeds' columns and DuckDB types, read from the contract (jixiao/contract/spec.yml).

``jixiao.landing.seeds`` writes CSV files with exactly these headers; dbt types the seeds with the
same ``column_types`` (``models/staging/_landed__seeds.yml``, generated from the same spec) and
``jixiao.landing.seeds.load_landed_native`` creates the same tables with DuckDB ``read_csv``.
"""

from __future__ import annotations

from jixiao.contract import spec

_SPEC = spec()

# Schema (DuckDB) the landed seeds are loaded into; the generated seed config sets the same schema.
LANDED_SCHEMA = _SPEC.landed_schema

# Every landed table: ``[(column, duckdb type), …]`` in CSV order (provenance columns included).
SEED_COLUMNS: dict[str, list[tuple[str, str]]] = {
    name: [(c.name, c.type) for c in table.columns] for name, table in _SPEC.landed.items()
}
PROVENANCE_COLUMNS: list[tuple[str, str]] = [(c.name, c.type) for c in _SPEC.provenance_columns]

# dim_report.document_kind; a report nothing classifies is ``other``.
DOCUMENT_KINDS: tuple[str, ...] = _SPEC.codes("document_kinds")

# Contract fact table (``Fact.table``) -> landed seed it is written to.
FACT_TABLE_TO_SEED: dict[str, str] = {t.fact_table: name for name, t in _SPEC.landed.items() if t.fact_table}

# Defaults a fact row gets when the extractor leaves a grain column out (scope → default_scope).
KEY_DEFAULTS: dict[str, dict[str, str]] = {
    name: defaults
    for name, table in _SPEC.landed.items()
    if (defaults := {c.name: c.default for c in table.columns if c.default is not None})
}


def column_names(seed: str) -> list[str]:
    """Ordered CSV header of one landed seed."""
    return [name for name, _ in SEED_COLUMNS[seed]]


def column_types(seed: str) -> dict[str, str]:
    """``{column: duckdb type}`` of one landed seed, as dbt's ``column_types`` expects."""
    return dict(SEED_COLUMNS[seed])
