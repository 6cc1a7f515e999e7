"""The report's charts as Plotly figures; a chart without any stated figure is None (the page says so)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import plotly.graph_objects as go

from jixiao.contract import spec
from jixiao.report.data import Row

FONT = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
PLOT_CONFIG = {"displaylogo": False, "responsive": True}
# 三公 categories drawn side by side (the total is drawn as a line; vehicle_total only where its parts are not given)
THREE_PUBLIC_PARTS = ("reception", "vehicle_purchase", "vehicle_operation", "vehicle_total", "overseas_travel")
# series named as the contract spec names the columns (the department page's table uses the same names)
_BUDGET_VS_SPENDING = spec().labels_of(
    "mart_department_year", ("initial_budget_wan", "adjusted_budget_wan", "budget_wan", "spending_total_wan")
)
_HEADCOUNTS = spec().labels_of("mart_department_year", ("headcount_authorized", "headcount_actual"))


def _layout(fig: go.Figure, title: str, y_title: str, **extra: Any) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0.01},
        font={"family": FONT, "size": 13},
        height=360,
        margin={"l": 60, "r": 20, "t": 50, "b": 60},
        legend={"orientation": "h", "y": -0.28},
        xaxis={"type": "category", "title": "财政年度"},
        yaxis={"title": y_title, "rangemode": "tozero"},
        template="plotly_white",
        **extra,
    )
    return fig


def _series(rows: Sequence[Row], column: str) -> tuple[list[str], list[Any]]:
    points = [(str(r["fiscal_year"]), r[column]) for r in rows if r.get(column) is not None]
    return [p[0] for p in points], [p[1] for p in points]


def _has_data(fig: go.Figure) -> bool:
    return any(len(getattr(t, "y", None) or getattr(t, "z", None) or []) for t in fig.data)


def budget_vs_spending(years: Sequence[Row]) -> go.Figure | None:
    """Total budget (each phase) against total spending, per year."""
    fig = go.Figure()
    for column, name in _BUDGET_VS_SPENDING.items():
        x, y = _series(years, column)
        if y:
            fig.add_bar(x=x, y=y, name=name, hovertemplate="%{x}年 " + name + " %{y:,.2f} 万元<extra></extra>")
    return _layout(fig, "预算与支出（年度资金总额）", "万元", barmode="group") if _has_data(fig) else None


def three_public_by_category(rows: Sequence[Row]) -> go.Figure | None:
    """三公经费 actual per category (bars) with the budgeted and actual totals (lines), per year."""
    fig = go.Figure()
    labels = {r["category"]: r["category_label_zh"] for r in rows}
    years = sorted({str(r["fiscal_year"]) for r in rows})
    for category in THREE_PUBLIC_PARTS:
        points = {
            str(r["fiscal_year"]): r["amount_wan"] for r in rows if r["category"] == category and r["phase"] == "actual"
        }
        if category == "vehicle_total":  # only the years that do not split it into purchase and operation
            split = {
                str(r["fiscal_year"])
                for r in rows
                if r["phase"] == "actual" and r["category"] in ("vehicle_purchase", "vehicle_operation")
            }
            points = {y: v for y, v in points.items() if y not in split}
        if points:
            fig.add_bar(x=list(points), y=list(points.values()), name=f"{labels[category]}（决算）")
    for phase, name, dash in (("actual", "三公经费合计（决算）", "solid"), ("budget", "三公经费合计（预算）", "dot")):
        points = {
            str(r["fiscal_year"]): r["amount_wan"] for r in rows if r["category"] == "total" and r["phase"] == phase
        }
        if points:
            fig.add_scatter(
                x=list(points), y=list(points.values()), name=name, mode="lines+markers", line={"dash": dash}
            )
    if not _has_data(fig):
        return None
    fig.update_xaxes(categoryorder="array", categoryarray=years)
    return _layout(fig, "三公经费（按类别）", "万元", barmode="group")


def headcount(years: Sequence[Row]) -> go.Figure | None:
    """Authorized posts and staff in post, per year."""
    fig = go.Figure()
    for column, name in _HEADCOUNTS.items():
        x, y = _series(years, column)
        if y:
            fig.add_scatter(x=x, y=y, name=name, mode="lines+markers")
    return _layout(fig, "人员编制与在职人数", "人") if _has_data(fig) else None


def score(years: Sequence[Row]) -> go.Figure | None:
    """The self-evaluation score per year (0-100), with the grade as text."""
    x, y = _series(years, "self_score")
    if not y:
        return None
    grades = [r.get("grade") or "" for r in years if r.get("self_score") is not None]
    fig = go.Figure(go.Bar(x=x, y=y, text=grades, textposition="outside", name="自评得分"))
    fig = _layout(fig, "自评得分与等级", "分")
    fig.update_yaxes(range=[0, 105])
    return fig


def units_compared(years: Sequence[Row], names: dict[str, str], column: str, title: str, unit: str) -> go.Figure | None:
    """One measure of mart_department_year for every unit of a county, per year."""
    fig = go.Figure()
    for department_id, name in names.items():
        x, y = _series([r for r in years if r["department_id"] == department_id], column)
        if y:
            fig.add_bar(x=x, y=y, name=name)
    return _layout(fig, title, unit, barmode="group") if _has_data(fig) else None


def findings_by_check(findings: Sequence[Row], labels: dict[str, str]) -> go.Figure | None:
    """Number of findings per check, split by severity."""
    fig = go.Figure()
    for severity, name, color in (("error", "error（错误）", "#c0392b"), ("warn", "warn（提示）", "#e6a23c")):
        counts: dict[str, int] = {}
        for f in findings:
            if f["severity"] == severity:
                counts[f["check"]] = counts.get(f["check"], 0) + 1
        if counts:
            fig.add_bar(
                y=[labels.get(c, c) for c in counts],
                x=list(counts.values()),
                name=name,
                orientation="h",
                marker_color=color,
            )
    if not findings:
        return None
    fig.update_layout(
        title={"text": "数据质量问题（按检查）", "x": 0.01},
        font={"family": FONT, "size": 13},
        barmode="stack",
        template="plotly_white",
        height=120 + 28 * len({f["check"] for f in findings}),
        margin={"l": 220, "r": 20, "t": 50, "b": 40},
        xaxis={"title": "条数"},
        legend={"orientation": "h", "y": -0.2},
    )
    return fig


def coverage(region_years: Sequence[Row]) -> go.Figure | None:
    """Reporting units per county and year (a heat map)."""
    rows = [r for r in region_years if r["region_level"] == "county"]
    if not rows:
        return None
    regions = sorted({r["region_name"] for r in rows})
    years = sorted({r["fiscal_year"] for r in rows})
    count = {(r["region_name"], r["fiscal_year"]): r["n_reporting_units"] for r in rows}
    z = [[count.get((region, year), 0) for year in years] for region in regions]
    fig = go.Figure(
        go.Heatmap(
            x=[str(y) for y in years],
            y=regions,
            z=z,
            colorscale="Blues",
            text=z,
            texttemplate="%{text}",
            hovertemplate="%{y} %{x}年：%{z} 个单位<extra></extra>",
        )
    )
    fig.update_layout(
        title={"text": "覆盖：各县区各年度报告单位数", "x": 0.01},
        font={"family": FONT, "size": 13},
        template="plotly_white",
        height=140 + 34 * len(regions),
        margin={"l": 220, "r": 20, "t": 50, "b": 40},
        xaxis={"type": "category", "title": "财政年度"},
    )
    return fig


def to_div(fig: go.Figure, div_id: str) -> str:
    """The figure as an HTML fragment that draws with the site's own copy of plotly.js."""
    return fig.to_html(
        full_html=False, include_plotlyjs=False, include_mathjax=False, div_id=div_id, config=PLOT_CONFIG
    )
