"""Quality history in the warehouse: the ``quality_runs`` table and carrying it across publishes."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from .results import ExpectationOutcome

QUALITY_RUNS_DDL = """
CREATE TABLE IF NOT EXISTS main.quality_runs (
    run_id           VARCHAR NOT NULL,
    run_at           TIMESTAMP NOT NULL,
    suite            VARCHAR NOT NULL,
    table_name       VARCHAR NOT NULL,
    expectation      VARCHAR NOT NULL,
    severity         VARCHAR NOT NULL,
    success          BOOLEAN NOT NULL,
    observed_value   VARCHAR,
    unexpected_count BIGINT,
    details          VARCHAR,
    column_name      VARCHAR
)
"""

# Tables whose rows are history, carried from the published warehouse into each new build.
HISTORY_TABLES = ("quality_runs", "pipeline_run_history")
LEGACY_NAMES = {"pipeline_run_history": "pipeline_runs"}  # a warehouse published before the run log


def _json(value: Any) -> str | None:
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, default=str)


def write_quality_runs(db_path: Path, run_id: str, run_at: datetime, outcomes: list[ExpectationOutcome]) -> int:
    """Append one row per outcome to ``quality_runs`` (created if missing); returns rows written."""
    rows = [
        (
            run_id,
            run_at,
            o.suite,
            o.table,
            o.expectation,
            o.severity,
            o.success,
            _json(o.observed_value),
            o.unexpected_count,
            _json(
                {
                    "description": o.description,
                    "message": o.message,
                    "report_ids": o.report_ids,
                    "source_files": o.source_files,
                    "kwargs": o.kwargs,
                }
            ),
            o.column,
        )
        for o in outcomes
    ]
    columns = [
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
        "column_name",
    ]
    with duckdb.connect(str(db_path)) as con:
        con.execute(QUALITY_RUNS_DDL)
        if rows:  # one INSERT from a frame: executemany costs a round trip per row
            frame = pd.DataFrame(rows, columns=columns).astype({"unexpected_count": "Int64"})
            con.register("jixiao_quality_rows", frame)
            con.execute(
                f"INSERT INTO main.quality_runs ({', '.join(columns)}) SELECT {', '.join(columns)} FROM jixiao_quality_rows"
            )
            con.unregister("jixiao_quality_rows")
    return len(rows)


def _sql_string(path: Path) -> str:
    return str(path).replace("'", "''")


def copy_quality_history(from_db: Path, to_db: Path) -> dict[str, int]:
    """Copy earlier runs' ``quality_runs`` (and ``pipeline_runs``) rows from the published DB into a new build.

    Call it on the building file before publishing it by rename so history survives. Rows whose
    ``run_id`` is already in ``to_db`` are not copied twice; a missing ``from_db`` or table is
    simply nothing to copy. Returns the number of rows copied per table.
    """
    from jixiao.warehouse.published import readable_published

    copied: dict[str, int] = {}
    with readable_published(Path(from_db)) as readable:
        if readable is None:
            return copied
        with duckdb.connect(str(to_db)) as con:
            con.execute(f"ATTACH '{_sql_string(readable)}' AS previous (READ_ONLY)")
            try:
                for table in HISTORY_TABLES:
                    copied[table] = _copy_table(con, table)
            finally:
                con.execute("DETACH previous")
    return {t: n for t, n in copied.items() if n}


def _scalar(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> Any:
    """The single value a query returns."""
    row = con.execute(sql, params or []).fetchone()
    return row[0] if row else None


def _copy_table(con: duckdb.DuckDBPyConnection, table: str) -> int:
    def exists(catalog: str, name: str = table) -> bool:
        return bool(
            _scalar(
                con,
                "SELECT count(*) FROM information_schema.tables WHERE table_catalog = ? "
                "AND table_schema = 'main' AND table_name = ? AND table_type = 'BASE TABLE'",
                [catalog, name],
            )
        )

    source_name = table if exists("previous") else LEGACY_NAMES.get(table)
    if source_name is None or not exists("previous", source_name):
        return 0
    source = f"previous.main.{source_name}"
    if not exists(_scalar(con, "SELECT current_database()")):
        if table == "quality_runs":
            con.execute(QUALITY_RUNS_DDL)
        else:  # a refresh creates pipeline_run_history before copying; else take the old table's form
            con.execute(f"CREATE TABLE main.{table} AS SELECT * FROM {source} LIMIT 0")
    target_columns = {r[0] for r in con.execute(f"DESCRIBE main.{table}").fetchall()}
    shared = [r[0] for r in con.execute(f"DESCRIBE {source}").fetchall() if r[0] in target_columns]
    cols = ", ".join(f'"{c}"' for c in shared)
    before = int(_scalar(con, f"SELECT count(*) FROM main.{table}"))
    if "run_id" in shared:
        con.execute(
            f"INSERT INTO main.{table} ({cols}) SELECT {cols} FROM {source} "
            f"WHERE run_id NOT IN (SELECT DISTINCT run_id FROM main.{table} WHERE run_id IS NOT NULL)"
        )
    elif before == 0:
        con.execute(f"INSERT INTO main.{table} ({cols}) SELECT {cols} FROM {source}")
    return int(_scalar(con, f"SELECT count(*) FROM main.{table}")) - before
