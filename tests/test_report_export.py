"""`jixiao export` round-trips every public table; `jixiao report` and the Data Docs work offline
in a real headless Chromium (the network is off: any http request would go to a dead proxy)."""

from __future__ import annotations

import contextlib
import csv
import io
import math
import re
import shutil
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from browser import Browser
from conftest import ROOT, Warehouse

pytestmark = pytest.mark.slow

EXTERNAL_REFERENCE = re.compile(r"""(?:src|href|action)\s*=\s*["']?(?:https?:)?//""", re.I)
PUBLIC_TABLES = {
    "dim_department",
    "dim_report",
    "fct_budget",
    "fct_spending",
    "fct_projects",
    "fct_three_public_expenses",
    "fct_indicator_scores",
    "fct_staffing",
    "fct_budget_by_function",
    "mart_department_year",
    "mart_metric_trends",
    "mart_region_year",
    "data_quality_issues",
    "ref_code_labels",
}
ARTIFACTS = ROOT / "test-artifacts"
CHARTS_DRAWN = "document.querySelectorAll('.js-plotly-plot .main-svg').length > 0"
# per chart: how many drawn traces (bars, lines) or heat-map images its SVG holds
TRACES_PER_CHART = """Array.from(document.querySelectorAll('.js-plotly-plot')).map(p =>
    p.querySelectorAll('svg.main-svg g.trace, svg.main-svg g.hm image').length)"""


def _cli(*args: str) -> tuple[int, str]:
    from jixiao import cli

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = cli.main(list(args))
    return code, out.getvalue()


@pytest.fixture(scope="module")
def db(base_warehouse: Warehouse) -> Path:
    assert base_warehouse.cli_exit == 0, base_warehouse.cli_stdout
    return base_warehouse.db


def _numeric_columns(con: duckdb.DuckDBPyConnection, table: str) -> dict[str, str]:
    return {
        name: dtype
        for name, dtype in con.execute(
            "select column_name, data_type from information_schema.columns where table_schema = 'main' "
            "and table_name = ? and (data_type like 'DECIMAL%' or data_type in "
            "('INTEGER', 'BIGINT', 'SMALLINT', 'HUGEINT', 'DOUBLE', 'FLOAT'))",
            [table],
        ).fetchall()
    }


def _warehouse_figures(db: Path) -> dict[str, tuple[int, dict[str, object]]]:
    """table -> (rows, {numeric column: sum})."""
    figures = {}
    with duckdb.connect(str(db), read_only=True) as con:
        for table in PUBLIC_TABLES:
            columns = _numeric_columns(con, table)
            rows = con.execute(f"select count(*) from {table}").fetchone()[0]
            sums = {c: con.execute(f'select sum("{c}") from {table}').fetchone()[0] for c in columns}
            figures[table] = (rows, sums)
    return figures


def _close(a: object, b: object, exact: bool) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if exact:
        return Decimal(str(a)) == Decimal(str(b))
    return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-6)


def test_export_parquet_round_trips_exactly(db: Path, tmp_path: Path) -> None:
    code, out = _cli("export", "--db", str(db), "--to", str(tmp_path), "--format", "parquet")
    assert code == 0, out
    assert {p.stem for p in tmp_path.glob("*.parquet")} == PUBLIC_TABLES
    import pandas as pd

    with duckdb.connect() as con:
        for table, (rows, sums) in _warehouse_figures(db).items():
            path = str(tmp_path / f"{table}.parquet")
            assert con.execute("select count(*) from read_parquet(?)", [path]).fetchone()[0] == rows, table
            assert len(pd.read_parquet(path)) == rows, table
            for column, expected in sums.items():
                got = con.execute(f'select sum("{column}") from read_parquet(?)', [path]).fetchone()[0]
                assert got == expected, (table, column, got, expected)  # DECIMAL stays DECIMAL: exact
        types = dict(
            con.execute(
                "select column_name, column_type from (describe select * from read_parquet(?))",
                [str(tmp_path / "mart_department_year.parquet")],
            ).fetchall()
        )
    assert types["spending_total_wan"] == "DECIMAL(18,4)"


def test_export_csv_has_a_bom_and_round_trips(db: Path, tmp_path: Path) -> None:
    code, out = _cli("export", "--db", str(db), "--to", str(tmp_path), "--format", "csv")
    assert code == 0, out
    with duckdb.connect(str(db), read_only=True) as con:
        types = {t: _numeric_columns(con, t) for t in PUBLIC_TABLES}
    for table, (rows, sums) in _warehouse_figures(db).items():
        raw = (tmp_path / f"{table}.csv").read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), table
        records = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
        assert len(records) == rows, table
        for column, expected in sums.items():
            values = [Decimal(r[column]) for r in records if r[column] != ""]
            got = sum(values) if values else None
            exact = types[table][column] not in ("DOUBLE", "FLOAT")
            assert _close(got, expected, exact), (table, column, got, expected)
    names = {
        r["department_name"]
        for r in csv.DictReader(io.StringIO((tmp_path / "mart_department_year.csv").read_text(encoding="utf-8-sig")))
    }
    assert "绥宁县武阳镇人民政府" in names  # Chinese survives the round trip


def test_export_xlsx_round_trips(db: Path, tmp_path: Path) -> None:
    code, out = _cli("export", "--db", str(db), "--to", str(tmp_path), "--format", "xlsx")
    assert code == 0, out
    import pandas as pd

    sheets = pd.read_excel(tmp_path / "jixiao.xlsx", sheet_name=None)
    assert set(sheets) == PUBLIC_TABLES
    for table, (rows, sums) in _warehouse_figures(db).items():
        frame = sheets[table]
        assert len(frame) == rows, table
        for column, expected in sums.items():
            got = frame[column].dropna()
            assert _close(got.sum() if len(got) else None, expected, exact=False), (table, column)


def test_export_names_a_missing_warehouse(tmp_path: Path) -> None:
    from jixiao import cli

    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = cli.main(["export", "--db", str(tmp_path / "none.duckdb"), "--to", str(tmp_path / "out")])
    assert code != 0 and "none.duckdb" in err.getvalue()


@pytest.fixture(scope="module")
def site(db: Path, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    code, printed = _cli("report", "--db", str(db), "--out", str(out))
    assert code == 0, printed
    return out


def test_report_pages_hold_no_external_reference(site: Path, db: Path) -> None:
    pages = sorted(site.rglob("*.html"))
    with duckdb.connect(str(db), read_only=True) as con:
        n_units = con.execute("select count(*) from dim_department").fetchone()[0]
        n_loaded = con.execute("select count(*) from dim_report where status = 'loaded'").fetchone()[0]
        n_findings = con.execute("select count(*) from data_quality_issues").fetchone()[0]
    assert len(list((site / "dept").glob("*.html"))) == n_units
    overview = (site / "index.html").read_text(encoding="utf-8")
    assert f"已载入报告<b>{n_loaded}</b>" in overview and f"数据质量问题<b>{n_findings}</b>" in overview
    assert overview.count('href="dept/') == n_units
    assert list((site / "county").glob("*.html"))
    assert (site / "assets" / "plotly.min.js").stat().st_size > 1_000_000  # the library itself, bundled
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert not EXTERNAL_REFERENCE.search(html), (page, EXTERNAL_REFERENCE.search(html))


def test_report_renders_its_charts_offline_in_chromium(site: Path, db: Path) -> None:
    pages = [site / "index.html", *sorted((site / "dept").glob("*.html")), *sorted((site / "county").glob("*.html"))]
    with duckdb.connect(str(db), read_only=True) as con:
        wuyang = con.execute(
            "select department_id from dim_department where department_name = '绥宁县武阳镇人民政府'"
        ).fetchone()[0]
    with Browser() as browser:
        for page in pages:
            requested = browser.open(page, ready=CHARTS_DRAWN)
            leaving = [u for u in requested if not u.startswith(("file://", "data:"))]
            assert not leaving, (page.name, leaving)
            traces = browser.evaluate(TRACES_PER_CHART)
            assert traces and all(n > 0 for n in traces), (page.name, traces)
        department_page = site / "dept" / f"{wuyang}.html"
        browser.open(department_page, ready=CHARTS_DRAWN)
        assert (
            browser.evaluate("document.querySelectorAll('.js-plotly-plot').length") == 4
        )  # budget, 三公, staff, score
        assert "绥宁县武阳镇人民政府" in browser.evaluate("document.querySelector('h1').textContent")
        shot = browser.screenshot(site / "department.png")
    assert shot.stat().st_size > 20_000
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy2(shot, ARTIFACTS / "report-department.png")


def test_data_docs_work_offline(base_warehouse: Warehouse) -> None:
    docs = base_warehouse.root / "data_docs"
    pages = sorted(docs.rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert not EXTERNAL_REFERENCE.search(html), (page, EXTERNAL_REFERENCE.search(html))
    validation_page = next(p for p in pages if "validations" in p.parts)
    with Browser() as browser:
        for page in (docs / "index.html", validation_page):
            requested = browser.open(page)
            assert not [u for u in requested if not u.startswith(("file://", "data:"))], page
        rows = browser.evaluate("document.querySelectorAll('table tr').length")
        assert rows > 5  # the validation page shows its results without any script from a CDN
        browser.open(docs / "index.html")
        assert browser.evaluate("document.querySelectorAll('a[href*=\"validations/\"]').length") > 5
        assert "passed" in browser.evaluate("document.body.innerText")
