"""Which reports a refresh changed: the building warehouse against the published one.

The quality gate validates only the rows of these reports (``run_quality_gate(...,
changed_report_ids=...)``). A report changed when its ``(report_id, content_hash)`` in the
building file is not in the published file (new or different content), or when the published file
has a report the building file lacks (removed: it has no rows left to validate, but its id is in
the set so that callers can count it). Read from ``dim_report``, else ``landed_reports``.
"""

from __future__ import annotations

import logging
from pathlib import Path

import duckdb

from jixiao.warehouse.published import readable_published

from .frames import connect_for_reading

log = logging.getLogger(__name__)

REPORT_TABLES = (("dim_report", "main"), ("landed_reports", "landed"))


def _report_table(con: duckdb.DuckDBPyConnection, catalog: str) -> str | None:
    """Qualified name (in ``catalog``) of the first report table that has report_id and content_hash."""
    for table, schema in REPORT_TABLES:
        rows = con.execute(
            "SELECT table_schema FROM information_schema.columns WHERE table_catalog = ? AND table_name = ? "
            "AND column_name IN ('report_id', 'content_hash') GROUP BY table_schema HAVING count(*) = 2 "
            "ORDER BY table_schema <> ?",
            [catalog, table, schema],
        ).fetchall()
        if rows:
            return f'"{catalog}"."{rows[0][0]}"."{table}"'
    return None


def changed_reports(building: Path, published: Path | None) -> set[str] | None:
    """Report ids that are new, changed or removed in ``building`` compared with ``published``.

    ``None`` means "validate everything": there is no published file, or one of the two files has
    no report table with ``report_id`` and ``content_hash``. The comparison runs in DuckDB; only
    the changed ids come back.
    """
    if published is None or not Path(published).exists():
        return None
    with readable_published(Path(published)) as readable:
        if readable is None:
            return None
        with connect_for_reading(Path(building)) as con:
            current = con.execute("SELECT current_database()").fetchone()
            new = _report_table(con, str(current[0])) if current else None
            path = str(readable).replace("'", "''")
            con.execute(f"ATTACH '{path}' AS jixiao_published (READ_ONLY)")
            try:
                old = _report_table(con, "jixiao_published")
                if new is None or old is None:
                    log.info("changed reports: no report table to compare (%s, %s); validating everything", new, old)
                    return None
                rows = con.execute(
                    f"""
                    (SELECT report_id, content_hash FROM {new} WHERE report_id IS NOT NULL
                     EXCEPT SELECT report_id, content_hash FROM {old})
                    UNION
                    (SELECT report_id, NULL FROM {old} WHERE report_id IS NOT NULL
                     EXCEPT SELECT report_id, NULL FROM {new})
                    """
                ).fetchall()
            finally:
                con.execute("DETACH jixiao_published")
    return {str(r[0]) for r in rows}
