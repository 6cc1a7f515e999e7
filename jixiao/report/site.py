"""Write the report site: ``index.html``, ``dept/<id>.html``, ``county/<key>.html`` and ``assets/``.

Every script and style is a file of the site (plotly.js is written from the installed plotly
package), so the pages open from disk with no network.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jinja2

from jixiao.contract import spec
from jixiao.report import charts
from jixiao.report.data import Row, county_key, load
from jixiao.report.templates import BASE, CHARTS, COUNTY, DEPARTMENT, INDEX, STYLE

# the columns each page's table shows, named as jixiao/contract/spec.yml names them
DEPARTMENT_COLUMNS = spec().labels_of("mart_department_year")
REGION_COLUMNS = spec().labels_of("mart_region_year")


@dataclass
class SiteSummary:
    """What was written."""

    out_dir: Path
    index: Path
    department_pages: int
    county_pages: int


def fmt(value: Any) -> str:
    """A figure as a finance officer writes it: 2,762.66, 83, 95.2 (blank for no figure)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        text = f"{value:,.4f}".rstrip("0").rstrip(".")
        return text if text not in ("-0", "") else "0"
    return str(value)


def _environment() -> jinja2.Environment:
    loader = jinja2.DictLoader(
        {
            "base.html": BASE,
            "charts.html": CHARTS,
            "index.html": INDEX,
            "department.html": DEPARTMENT,
            "county.html": COUNTY,
        }
    )
    return jinja2.Environment(loader=loader, autoescape=True, undefined=jinja2.StrictUndefined)


def _write_assets(out_dir: Path) -> None:
    from plotly.offline import get_plotlyjs

    assets = out_dir / "assets"
    assets.mkdir(parents=True, exist_ok=True)
    (assets / "plotly.min.js").write_text(get_plotlyjs(), encoding="utf-8")
    (assets / "style.css").write_text(STYLE, encoding="utf-8")


def _table_rows(rows: list[Row], columns: dict[str, str]) -> list[dict[str, str]]:
    out = []
    for row in rows:
        row = dict(row)
        if row.get("execution_rate") is not None:
            row["execution_rate_pct"] = round(100 * row["execution_rate"], 1)
        if row.get("three_public_actual_yoy_pct") is not None:
            row["three_public_actual_yoy_pct"] = round(row["three_public_actual_yoy_pct"], 1)
        out.append({k: fmt(row.get(k)) for k in columns})
    return out


def _div(fig, div_id: str) -> str | None:
    return charts.to_div(fig, div_id) if fig is not None else None


def write_report(db_path: Path, out_dir: Path, docs_dir: Path | None = None) -> SiteSummary:
    """Build the site for the warehouse ``db_path`` into ``out_dir`` (created; pages overwritten).

    ``docs_dir``: the Great Expectations Data Docs to link to (default ``data_docs`` next to the warehouse).
    """
    db_path, out_dir = Path(db_path), Path(out_dir)
    if not db_path.is_file():
        raise FileNotFoundError(f"{db_path}: no warehouse file there (build one with `jixiao refresh`)")
    data = load(db_path)
    out_dir.mkdir(parents=True, exist_ok=True)
    for sub in ("dept", "county"):
        (out_dir / sub).mkdir(exist_ok=True)
        for old in (out_dir / sub).glob("*.html"):
            old.unlink()
    _write_assets(out_dir)
    docs_dir = Path(docs_dir) if docs_dir is not None else db_path.parent / "data_docs"
    docs_link = None
    if (docs_dir / "index.html").is_file():
        docs_link = Path(os.path.relpath(docs_dir / "index.html", out_dir)).as_posix()
    env = _environment()
    common = {
        "db_name": db_path.name,
        "docs_link": docs_link,
        "generated": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }

    def render(template: str, target: Path, root: str, **context: Any) -> None:
        html = env.get_template(template).render(root=root, **common, **context)
        target.write_text(html, encoding="utf-8")

    names = {d["department_id"]: d["department_name"] for d in data.departments}
    findings_per_unit = Counter(f["department_id"] for f in data.findings)
    for d in data.departments:
        years = data.years_of(d["department_id"])
        key = county_key(d["province"], d["city"], d["county"], d["county_code"])
        items = [
            ("预算与支出", _div(charts.budget_vs_spending(years), "chart-budget")),
            (
                "三公经费",
                _div(charts.three_public_by_category(data.three_public_of(d["department_id"])), "chart-three-public"),
            ),
            ("人员", _div(charts.headcount(years), "chart-headcount")),
            ("自评得分", _div(charts.score(years), "chart-score")),
        ]
        render(
            "department.html",
            out_dir / "dept" / d["page"],
            "../",
            title=d["department_name"],
            department=d,
            county_key=key,
            region=" / ".join(p for p in (d["province"], d["city"], d["county"]) if p),
            chart_items=items,
            columns=DEPARTMENT_COLUMNS,
            years=_table_rows(years, DEPARTMENT_COLUMNS),
            findings=data.findings_of(d["department_id"]),
        )

    for county in data.counties:
        unit_names = {i: names[i] for i in county.department_ids}
        years = [r for r in data.department_years if r["department_id"] in unit_names]
        items = [
            (title, _div(charts.units_compared(years, unit_names, column, title, unit), f"chart-{column}"))
            for column, title, unit in (
                ("spending_total_wan", "支出合计（各单位）", "万元"),
                ("three_public_actual_wan", "三公经费决算（各单位）", "万元"),
                ("headcount_actual", "在职人数（各单位）", "人"),
                ("self_score", "自评得分（各单位）", "分"),
            )
        ]
        region_rows = [
            r
            for r in data.region_years
            if r["region_level"] == "county"
            and (r["province"], r["city"], r["county"]) == (county.province, county.city, county.county)
        ]
        render(
            "county.html",
            out_dir / "county" / f"{county.key}.html",
            "../",
            title=county.name,
            county=county,
            units=[d for d in data.departments if d["department_id"] in unit_names],
            chart_items=items,
            columns=REGION_COLUMNS,
            region_rows=_table_rows(region_rows, REGION_COLUMNS),
        )

    loaded = [r for r in data.reports if r["status"] == "loaded"]
    quarantined = [r for r in data.reports if r["status"] != "loaded"]
    kinds = Counter(
        (r["fiscal_year"], r["document_kind_label_zh"] or r["document_kind"] or "（未分类）") for r in loaded
    )
    report_counts = [
        {"year": y if y is not None else "（未知）", "kind": k, "n": n}
        for (y, k), n in sorted(kinds.items(), key=lambda kv: (kv[0][0] or 0, kv[0][1]))
    ]
    unit_years: dict[str, list[int]] = {}
    for r in data.department_years:
        unit_years.setdefault(r["department_id"], []).append(r["fiscal_year"])
    departments = [
        {
            **d,
            "years": "、".join(str(y) for y in sorted(unit_years.get(d["department_id"], []))),
            "n_findings": findings_per_unit.get(d["department_id"], 0),
        }
        for d in data.departments
    ]
    overview = [
        ("数据质量问题", _div(charts.findings_by_check(data.findings, {}), "chart-findings")),
        ("覆盖", _div(charts.coverage(data.region_years), "chart-coverage")),
    ]
    index = out_dir / "index.html"
    render(
        "index.html",
        index,
        "",
        title="总览",
        n_loaded=len(loaded),
        n_quarantined=len(quarantined),
        n_findings=len(data.findings),
        quarantined=quarantined,
        report_counts=report_counts,
        counties=data.counties,
        departments=departments,
        overview_charts=overview,
    )
    return SiteSummary(
        out_dir=out_dir, index=index, department_pages=len(data.departments), county_pages=len(data.counties)
    )
