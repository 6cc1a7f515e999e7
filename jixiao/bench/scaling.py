"""How far one DuckDB file goes: warehouse size and rows per report, and a linear extrapolation.

:func:`warehouse_stats` measures a built warehouse; :func:`scaling_markdown` turns the figures of
one or more benchmark runs (20,000 and 100,000 reports) into the measured table of
``docs/scaling.md``, with the extrapolation to a national collection of 1,000,000 reports.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

TARGET_REPORTS = 1_000_000
_TABLE_PREFIXES = ("dim_", "fct_", "mart_", "data_quality_issues")


def warehouse_stats(db: Path) -> dict[str, Any]:
    """File size and rows of the contract tables (``dim_``, ``fct_``, ``mart_``, data_quality_issues)."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = [
            (schema, name)
            for schema, name in con.execute(
                "select schema_name, table_name from duckdb_tables() where database_name = current_database()"
            ).fetchall()
            if name.startswith(_TABLE_PREFIXES)
        ]
        rows = {
            f"{schema}.{name}": int(con.execute(f'select count(*) from "{schema}"."{name}"').fetchone()[0])  # type: ignore[index]
            for schema, name in tables
        }
    finally:
        con.close()
    wal = db.with_name(db.name + ".wal")
    size = db.stat().st_size + (wal.stat().st_size if wal.exists() else 0)
    return {"bytes": size, "rows": sum(rows.values()), "tables": rows}


def extrapolate(points: dict[int, float], at: int = TARGET_REPORTS, one_point: str = "none") -> float | None:
    """The value at ``at`` reports on the line through the two largest measured sizes (flat when the
    second is lower: measurement noise, not a shrinking warehouse); None without points.  From a single size, ``one_point`` decides: ``proportional`` (through the origin, for a
    total such as the file's size), ``constant`` (a per-report figure), ``none`` (a figure with a
    fixed part, such as time or memory, which one size cannot separate)."""
    if not points:
        return None
    sizes = sorted(points)
    if len(sizes) == 1:
        n = sizes[0]
        return {"proportional": points[n] * at / n, "constant": points[n]}.get(one_point)
    n1, n2 = sizes[-2], sizes[-1]
    slope = max(0.0, (points[n2] - points[n1]) / (n2 - n1))  # none of these shrinks as reports are added
    return points[n2] + slope * (at - n2)


def scaling_points(figures: dict[str, float]) -> dict[str, dict[int, float]]:
    """``{measure: {reports: value}}`` of the scaling table from figure keys like ``refresh.full.20000``."""
    wanted = {  # key prefix -> measure (one_point kind in ONE_POINT)
        "warehouse.mb": "DuckDB file (MB)",
        "warehouse.rows": "contract rows",
        "refresh.full": "full refresh (s)",
        "refresh.full_rss": "peak memory, full refresh (MB)",
    }
    out: dict[str, dict[int, float]] = {}
    for key, value in figures.items():
        prefix, _, n = key.rpartition(".")
        if not n.isdigit():
            continue
        if prefix in wanted:
            out.setdefault(wanted[prefix], {})[int(n)] = value
        elif prefix.startswith("query."):
            out.setdefault(f"README query {prefix.split('.')[1]} (ms)", {})[int(n)] = value
    return out


ONE_POINT = {"DuckDB file (MB)": "proportional", "contract rows": "proportional"}
# Per-report measures: a total divided by the reports, at every size and at the extrapolated one.
PER_REPORT = {"MB per 1,000 reports": ("DuckDB file (MB)", 1000), "contract rows per report": ("contract rows", 1)}


def scaling_markdown(figures: dict[str, float]) -> str:
    """The measured table of "How far one DuckDB file goes" with the 1,000,000-report column."""
    points = scaling_points(figures)
    if not points:
        return "(no refresh measured: run `jixiao bench` first)\n"
    sizes = sorted({n for p in points.values() for n in p})
    head = ["measure", *[f"{n:,} reports" for n in sizes], f"{TARGET_REPORTS:,} (extrapolated)"]
    lines = ["| " + " | ".join(head) + " |", "|---|" + "---:|" * (len(head) - 1)]
    for measure, p in points.items():
        cells = [_fmt(p.get(n)) for n in sizes]
        at = extrapolate(p, one_point=ONE_POINT.get(measure, "none"))
        lines.append(f"| {measure} | " + " | ".join(cells) + f" | {_fmt(at)} |")
    for measure, (total, per) in PER_REPORT.items():
        totals = points.get(total)
        if not totals:
            continue
        cells = [_fmt(totals[n] / n * per) if n in totals else "–" for n in sizes]
        at = extrapolate(totals, one_point=ONE_POINT[total])
        lines.append(
            f"| {measure} | " + " | ".join(cells) + f" | {_fmt(None if at is None else at / TARGET_REPORTS * per)} |"
        )
    basis = (
        f"the line through {sizes[-2]:,} and {sizes[-1]:,} reports"
        if len(sizes) > 1
        else f"{sizes[0]:,} reports alone: totals in proportion, per-report figures constant, "
        "times and memory left out (one size cannot separate their fixed part)"
    )
    return (
        "\n".join(lines)
        + f"\n\nThe last column is extrapolated linearly from {basis} (not measured; a line that falls "
        "between the two sizes is taken as flat). The per-report rows divide the totals by the reports.\n"
    )


def _fmt(v: float | None) -> str:
    if v is None:
        return "–"
    return f"{v:,.0f}" if abs(v) >= 100 else f"{v:,.1f}"


__all__ = ["warehouse_stats", "extrapolate", "scaling_points", "scaling_markdown", "TARGET_REPORTS"]
