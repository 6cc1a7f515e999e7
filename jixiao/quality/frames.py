"""Reading the tables a suite validates as pandas frames through a read-only DuckDB connection.

Frames of tables that carry ``report_id`` get three report context columns from the suite's
report table (``dim_report`` or ``landed_reports``) so that cross-table rules read as plain
column expectations:

- ``report_fiscal_year``: the fiscal_year of the report the row came from (NULL when the row's
  report is unknown or quarantined);
- ``report_year_written``: the year the report was written: the year of its report_date, else
  its fiscal_year + 1 (reports are written during or after the year they evaluate);
- ``years_before_writing``: report_year_written - the row's own fiscal_year.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import duckdb
import pandas as pd


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


def read_frame(con: duckdb.DuckDBPyConnection, qualified: str, report_table: str | None) -> pd.DataFrame:
    """The whole table, plus the report context columns when it has report_id and fiscal_year."""
    columns = table_columns(con, qualified)
    if report_table is None or "report_id" not in columns:
        return con.execute(f"SELECT * FROM {qualified}").df()
    own_year = "t.fiscal_year" if "fiscal_year" in columns else "NULL::INTEGER"
    # a grain's year: the fiscal_year, or the report itself for a figure of no stated year
    year_key = (
        "coalesce(CAST(t.fiscal_year AS VARCHAR), 'report ' || t.report_id)" if "fiscal_year" in columns else "NULL"
    )
    sql = f"""
        WITH ctx AS (
            SELECT report_id,
                   CASE WHEN coalesce(status, 'loaded') = 'loaded' THEN fiscal_year END AS report_fiscal_year,
                   CASE WHEN coalesce(status, 'loaded') = 'loaded' THEN 'loaded' END AS report_status,
                   coalesce(year(TRY_CAST(report_date AS DATE)), fiscal_year + 1) AS report_year_written
            FROM {report_table}
        )
        SELECT t.*, ctx.report_fiscal_year, ctx.report_status, ctx.report_year_written,
               ctx.report_year_written - {own_year} AS years_before_writing,
               {year_key} AS fiscal_year_key
        FROM {qualified} AS t LEFT JOIN ctx ON t.report_id = ctx.report_id
    """
    frame = con.execute(sql).df()
    return frame


@dataclass
class ReportLookup:
    """Which report (and source file) stands behind a row, for failure messages."""

    source_file: dict[str, str] = field(default_factory=dict)
    by_department: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    by_department_year: dict[tuple[str, int], set[str]] = field(default_factory=lambda: defaultdict(set))

    def add_reports(self, con: duckdb.DuckDBPyConnection, qualified: str) -> None:
        columns = table_columns(con, qualified)
        if "report_id" not in columns:
            return
        wanted = [c for c in ("report_id", "source_file", "department_id", "fiscal_year") if c in columns]
        for row in con.execute(f"SELECT {', '.join(wanted)} FROM {qualified}").fetchall():
            rec = dict(zip(wanted, row))
            rid = rec["report_id"]
            if rid is None:
                continue
            if rec.get("source_file"):
                self.source_file.setdefault(str(rid), str(rec["source_file"]))
            if rec.get("department_id") is not None:
                self.by_department[str(rec["department_id"])].add(str(rid))
                if rec.get("fiscal_year") is not None:
                    self.by_department_year[(str(rec["department_id"]), int(rec["fiscal_year"]))].add(str(rid))

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
                dept = str(row["department_id"])
                year = row.get("fiscal_year")
                key = (dept, int(year)) if year is not None and not pd.isna(year) else None
                ids = self.by_department_year.get(key) if key else None
                found.extend(sorted(ids or self.by_department.get(dept, ())))
        return list(dict.fromkeys(found))

    def files_of(self, report_ids: list[str]) -> list[str]:
        return list(dict.fromkeys(self.source_file[r] for r in report_ids if r in self.source_file))
