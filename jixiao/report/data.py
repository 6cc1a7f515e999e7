"""What the report shows, read from a published warehouse (read-only): one query per page part."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

Row = dict[str, Any]


def plain(value: Any) -> Any:
    """A DuckDB value as a chart or a page needs it (DECIMAL → float)."""
    return float(value) if isinstance(value, Decimal) else value


@dataclass
class County:
    """One county (or district) and the units reporting in it."""

    key: str
    province: str | None
    city: str | None
    county: str | None
    department_ids: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return " / ".join(p or "（未知）" for p in (self.province, self.city, self.county))


@dataclass
class ReportData:
    """Everything the site is built from."""

    db_path: Path
    reports: list[Row]
    departments: list[Row]
    department_years: list[Row]
    three_public: list[Row]
    findings: list[Row]
    region_years: list[Row]
    counties: list[County]

    def years_of(self, department_id: str) -> list[Row]:
        return [r for r in self.department_years if r["department_id"] == department_id]

    def findings_of(self, department_id: str) -> list[Row]:
        return [f for f in self.findings if f["department_id"] == department_id]

    def three_public_of(self, department_id: str) -> list[Row]:
        return [r for r in self.three_public if r["department_id"] == department_id]


def county_key(province: str | None, city: str | None, county: str | None, code: str | None) -> str:
    """A file-name-safe key of a county: its 6-digit code, else a short hash of its names."""
    if code and code.isdigit():
        return code
    text = "/".join(p or "" for p in (province, city, county))
    return "r" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]


def page_name(department_id: str) -> str:
    """The file name of a unit's page: its id with anything but letters, digits, '-' and '_' replaced."""
    return re.sub(r"[^0-9A-Za-z_-]", "_", department_id) + ".html"


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[Row]:
    cur = con.execute(sql)
    names = [d[0] for d in cur.description]
    return [{n: plain(v) for n, v in zip(names, row)} for row in cur.fetchall()]


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    return {
        r[0]
        for r in con.execute(
            "select column_name from information_schema.columns where table_schema = 'main' and table_name = ?", [table]
        ).fetchall()
    }


def load(db_path: Path) -> ReportData:
    """Read the report's data from ``db_path`` (a warehouse built by ``jixiao refresh``)."""
    with duckdb.connect(str(db_path), read_only=True) as con:
        kind = "r.document_kind" if "document_kind" in _columns(con, "dim_report") else "null"
        reports = _rows(
            con,
            f"""
            select r.report_id, r.source_file, r.status, r.status_reason, r.fiscal_year, r.self_score, r.grade,
                   {kind} as document_kind, l.label_zh as document_kind_label_zh, r.department_id
            from dim_report r
            left join ref_code_labels l on l.vocabulary = 'document_kind' and l.code = {kind}
            order by r.status desc, r.source_file""",
        )
        departments = _rows(
            con,
            """
            select department_id, department_name, province, city, county, township, county_code
            from dim_department order by province, city, county, department_name""",
        )
        department_years = _rows(con, "select * from mart_department_year order by department_id, fiscal_year")
        three_public = _rows(
            con,
            """
            select t.department_id, t.fiscal_year, t.category, t.phase, t.amount_wan,
                   coalesce(l.label_zh, t.category) as category_label_zh
            from fct_three_public_expenses t
            left join ref_code_labels l on l.vocabulary = 'category' and l.code = t.category
            where t.department_id is not null and t.fiscal_year is not null
            order by t.department_id, t.fiscal_year, t.category""",
        )
        findings = _rows(
            con,
            """
            select q.department_id, q.fiscal_year, q."check", q.severity, q.message, q.observed, q.expected,
                   r.source_file
            from data_quality_issues q left join dim_report r using (report_id)
            order by q.severity, q."check", r.source_file""",
        )
        region_years = _rows(con, "select * from mart_region_year order by region_level, region_name, fiscal_year")
    for d in departments:
        d["page"] = page_name(d["department_id"])
    counties: dict[str, County] = {}
    for d in departments:
        key = county_key(d["province"], d["city"], d["county"], d["county_code"])
        county = counties.setdefault(key, County(key, d["province"], d["city"], d["county"]))
        county.department_ids.append(d["department_id"])
    return ReportData(
        Path(db_path),
        reports,
        departments,
        department_years,
        three_public,
        findings,
        region_years,
        sorted(counties.values(), key=lambda c: c.name),
    )
