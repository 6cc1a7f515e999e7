"""Reading what a suite validates: rows as pandas frames in bounded chunks, through a read-only DuckDB connection.

Frames of tables that carry ``report_id`` get report context columns from the suite's report
table (``dim_report`` or ``landed_reports``) so that cross-table rules read as plain column
expectations:

- ``report_fiscal_year``: the fiscal_year of the report the row came from (NULL when the row's
  report is unknown or quarantined); ``report_status``: 'loaded' when the row's report loaded;
- ``report_year_written``: the year the report was written: the year of its report_date, else
  its fiscal_year + 1 (reports are written during or after the year they evaluate);
- ``years_before_writing``: report_year_written - the row's own fiscal_year;
- ``fiscal_year_key``: the fiscal_year, or the report itself for a figure of no stated year.

Which rows: with a changed set (relation ``CHANGED`` registered on the connection), a table with
``report_id`` gives the rows of the changed reports; a table keyed by ``department_id`` (and no
report_id) the rows of the departments those reports belong to; any other table every row.  The
filter runs in DuckDB (a WHERE), and rows arrive ``chunk_rows`` at a time, so memory is bounded by
the chunk, not by the warehouse.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Collection, Iterator, Sequence
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

CHUNK_ROWS = 50_000  # rows of one frame handed to Great Expectations (GX needs a few KB a row)
CHANGED = "jixiao_changed_reports"  # registered relation (report_id) of the changed reports
INPUT_FILES = "input_files"  # registered relation (source_file) of this run's input files
_VECTOR = 2048  # rows of one DuckDB vector

log = logging.getLogger(__name__)


def connect_for_reading(db_path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection; if this process already holds the file open read-write (dbt run
    in-process keeps its connection), DuckDB refuses a second configuration, so share that one."""
    try:
        return duckdb.connect(str(db_path), read_only=True)
    except duckdb.ConnectionException as exc:
        if "different configuration" not in str(exc):
            raise
        log.info("quality gate: %s is already open read-write in this process; reading through it", db_path)
        return duckdb.connect(str(db_path))


def locate_table(con: duckdb.DuckDBPyConnection, table: str, schema: str | None) -> str | None:
    """Qualified name of ``table`` (in ``schema`` if it is there, else the only/`main` match)."""
    rows = con.execute(
        "SELECT table_schema FROM information_schema.tables WHERE table_name = ? "
        "AND table_catalog = current_database()",
        [table],
    ).fetchall()
    schemas = [r[0] for r in rows]
    if not schemas:
        return None
    for preferred in (schema, "main"):
        if preferred in schemas:
            return f'"{preferred}"."{table}"'
    return f'"{schemas[0]}"."{table}"'


def table_columns(con: duckdb.DuckDBPyConnection, qualified: str) -> list[str]:
    return [r[0] for r in con.execute(f"DESCRIBE {qualified}").fetchall()]


def row_selection_sql(columns: Sequence[str], report_table: str | None, changed: bool) -> str:
    """The WHERE clause (alias ``t``) keeping the rows of the changed reports; '' for every row."""
    if not changed:
        return ""
    if "report_id" in columns:
        return f"WHERE t.report_id IN (SELECT report_id FROM {CHANGED})"
    if "department_id" in columns and report_table is not None:
        return (
            f"WHERE t.department_id IN (SELECT department_id FROM {report_table} "
            f"WHERE report_id IN (SELECT report_id FROM {CHANGED}))"
        )
    return ""


# Columns read whether or not a rule names them: they tell which report and file a row came from.
LOOKUP_COLUMNS = ("report_id", "department_id", "fiscal_year", "source_file")


def frame_sql(
    con: duckdb.DuckDBPyConnection,
    qualified: str,
    report_table: str | None,
    changed: bool,
    wanted: Collection[str] | None = None,
) -> tuple[str, bool]:
    """SELECT of the rows to validate, plus the report context columns; and whether it is filtered.

    ``wanted``: the columns the rules read; only those (and LOOKUP_COLUMNS) are read, so that wide
    text columns nobody checks (prov_text, deviation_note …) never reach pandas. ``None``: all.
    """
    columns = table_columns(con, qualified)
    where = row_selection_sql(
        columns, report_table if report_table and _has_column(con, report_table, "department_id") else None, changed
    )
    keep = [c for c in columns if wanted is None or c in wanted or c in LOOKUP_COLUMNS]
    select = ", ".join(f't."{c}"' for c in keep) if keep else "t.*"
    if report_table is None or "report_id" not in columns:
        return f"SELECT {select} FROM {qualified} AS t {where}", bool(where)
    own_year = "t.fiscal_year" if "fiscal_year" in columns else "NULL::INTEGER"
    year_key = (
        "coalesce(CAST(t.fiscal_year AS VARCHAR), 'report ' || t.report_id)" if "fiscal_year" in columns else "NULL"
    )
    ctx_where = f"WHERE report_id IN (SELECT report_id FROM {CHANGED})" if where else ""
    sql = f"""
        WITH ctx AS (
            SELECT report_id,
                   CASE WHEN coalesce(status, 'loaded') = 'loaded' THEN fiscal_year END AS report_fiscal_year,
                   CASE WHEN coalesce(status, 'loaded') = 'loaded' THEN 'loaded' END AS report_status,
                   coalesce(year(TRY_CAST(report_date AS DATE)), fiscal_year + 1) AS report_year_written
            FROM {report_table} {ctx_where}
        )
        SELECT {select}, ctx.report_fiscal_year, ctx.report_status, ctx.report_year_written,
               ctx.report_year_written - {own_year} AS years_before_writing,
               {year_key} AS fiscal_year_key
        FROM {qualified} AS t LEFT JOIN ctx ON t.report_id = ctx.report_id
        {where}
    """
    return sql, bool(where)


def _has_column(con: duckdb.DuckDBPyConnection, qualified: str, column: str) -> bool:
    return column in table_columns(con, qualified)


def iter_chunks(
    con: duckdb.DuckDBPyConnection, sql: str, chunk_rows: int = CHUNK_ROWS, params: list[Any] | None = None
) -> Iterator[pd.DataFrame]:
    """The result of ``sql`` as frames of ``chunk_rows`` rows (the last one shorter; one empty frame
    with the result's columns when there are no rows). Index 0..n-1 in every frame."""
    if chunk_rows < 1:
        raise ValueError(f"chunk_rows must be at least 1, not {chunk_rows}")
    con.execute(sql, params or [])
    names = [d[0] for d in con.description or []]
    vectors = max(1, math.ceil(chunk_rows / _VECTOR))
    pending: pd.DataFrame | None = None
    yielded = False
    while True:
        part = con.fetch_df_chunk(vectors)
        if part.empty:
            break
        pending = part if pending is None else pd.concat([pending, part], ignore_index=True)
        while len(pending) >= chunk_rows:
            yield pending.iloc[:chunk_rows].reset_index(drop=True)
            yielded = True
            pending = pending.iloc[chunk_rows:].reset_index(drop=True)
    if pending is not None and len(pending):
        yield pending.reset_index(drop=True)
    elif not yielded:
        yield pd.DataFrame(columns=names)


class ReportLookup:
    """Which reports (and source files) stand behind offending rows, asked of the database on demand
    (only failures are looked up, so nothing here grows with the warehouse)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, report_tables: Sequence[str]):
        self.con = con
        self.report_tables = [t for t in report_tables if _has_column(con, t, "report_id")]

    def reports_of_rows(self, frame: pd.DataFrame, index: list) -> list[str]:
        """Report ids behind the given rows of ``frame``, in first-seen order."""
        if not index:
            return []
        rows = frame.loc[[i for i in index if i in frame.index]]
        found: list[str] = []
        if "report_id" in rows.columns:
            found = [str(r) for r in rows["report_id"].tolist() if r is not None and not pd.isna(r)]
        elif "department_id" in rows.columns:
            for _, row in rows.iterrows():
                year = row.get("fiscal_year")
                year = int(year) if year is not None and not pd.isna(year) else None
                found.extend(self._reports_of_department(str(row["department_id"]), year))
        return list(dict.fromkeys(found))

    def _reports_of_department(self, department_id: str, year: int | None) -> list[str]:
        for table in self.report_tables:
            if not _has_column(self.con, table, "department_id"):
                continue
            ids = [
                r[0]
                for r in self.con.execute(
                    f"SELECT report_id FROM {table} WHERE department_id = ? ORDER BY report_id", [department_id]
                ).fetchall()
            ]
            if year is not None:
                same_year = [
                    r[0]
                    for r in self.con.execute(
                        f"SELECT report_id FROM {table} WHERE department_id = ? AND fiscal_year = ? ORDER BY report_id",
                        [department_id, year],
                    ).fetchall()
                ]
                ids = same_year or ids
            if ids:
                return [str(i) for i in ids]
        return []

    def source_files(self, report_ids: Sequence[str]) -> dict[str, str]:
        """report_id → source_file for the given reports."""
        found: dict[str, str] = {}
        wanted = list(dict.fromkeys(report_ids))
        for table in self.report_tables:
            if not wanted or not _has_column(self.con, table, "source_file"):
                continue
            for rid, name in self.con.execute(
                f"SELECT report_id, source_file FROM {table} WHERE report_id IN (SELECT unnest(?::VARCHAR[]))",
                [wanted],
            ).fetchall():
                if name:
                    found.setdefault(str(rid), str(name))
            wanted = [r for r in wanted if r not in found]
        return found
