"""manifest.csv: read and validated, its values win over the text's, disagreements become findings,
and the file itself is never ingested as a report."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest
from conftest import Warehouse

from jixiao.landing.manifest import ManifestError, parse_manifest, read_manifest
from jixiao.landing.seeds import write_landed_seeds
from jixiao.model import Fact, Provenance, ReportExtraction, ReportHeader
from jixiao.pipeline.cache import ExtractionCache, render_landed_lines, write_seeds_from_cache
from jixiao.pipeline.discover import discover_reports


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _write(folder: Path, text: str, encoding: str = "utf-8") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "manifest.csv"
    path.write_bytes(text.encode(encoding))
    return path


def _extraction(source: str, header: ReportHeader, tag: str) -> ReportExtraction:
    fact = Fact(
        table="fct_three_public_expenses",
        fiscal_year=None,
        key={"category": "total", "phase": "actual"},
        values={"amount_wan": 3.5},
        source_kind="prose",
        prov=Provenance(file=source, block=2, span=(0, 12), text="三公经费支出3.5万元"),
    )
    return ReportExtraction(
        source_file=source, content_hash=(tag * 64)[:64], file_format="txt-prose", header=header, facts=[fact]
    )


def _reports() -> list[ReportExtraction]:
    return [
        # names its unit and year; the manifest agrees on the unit (it only adds the county prefix)
        # and disagrees on the year
        _extraction(
            "a.txt",
            ReportHeader(
                department_name="武阳镇人民政府",
                province="湖南省",
                city="邵阳市",
                county="绥宁县",
                fiscal_year=2021,
                document_kind="other",
            ),
            "a",
        ),
        # names nothing: the manifest supplies the unit (region from the gazetteer), the year and the page
        _extraction("sub/b.txt", ReportHeader(), "b"),
        # not in the manifest
        _extraction("c.txt", ReportHeader(department_name="绥宁县长铺镇人民政府", fiscal_year=2023), "c"),
    ]


MANIFEST = (
    "file,department_name,fiscal_year,document_kind,source_url,published_date\n"
    "a.txt,绥宁县武阳镇人民政府,2022,performance_evaluation,,\n"
    "sub/b.txt,绥宁县长铺镇人民政府,2023年,three_public_disclosure,https://example.gov.cn/a/1.html,2024/3/5\n"
)


def test_manifest_is_read_and_normalized(tmp_path):
    path = _write(tmp_path, "\ufeff" + MANIFEST)
    manifest = parse_manifest(path)
    assert set(manifest.entries) == {"a.txt", "sub/b.txt"}
    b = manifest.entry("sub/b.txt")
    assert b.line == 3
    assert b.values == {
        "department_name": "绥宁县长铺镇人民政府",
        "fiscal_year": 2023,
        "document_kind": "three_public_disclosure",
        "source_url": "https://example.gov.cn/a/1.html",
        "published_date": "2024-03-05",
    }
    assert "source_url" not in manifest.entry("a.txt").values  # a blank cell supplies nothing
    gbk = parse_manifest(_write(tmp_path / "gbk", MANIFEST, encoding="gb18030"))
    assert gbk.entries == manifest.entries
    assert read_manifest(tmp_path / "empty_folder_without_manifest") is None


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("file,department,fiscal_year\na.txt,x,2021\n", "line 1: columns must be 'file' and any of"),
        ("department_name\nx\n", "line 1"),
        ("file,fiscal_year\na.txt,2021\n,2022\n", "line 3: the file column is blank"),
        ("file,fiscal_year\na.txt,2021\na.txt,2022\n", "line 3: a.txt is already listed on line 2"),
        ("file,fiscal_year\na.txt,twenty\n", "line 2: fiscal_year 'twenty' is not a year"),
        ("file,published_date\na.txt,2024-13-01\n", "line 2: published_date '2024-13-01' is not a date"),
        ("file,document_kind\na.txt,annual_report\n", "line 2: document_kind 'annual_report' is not one of"),
        ("file,source_url\na.txt,example.gov.cn\n", "line 2: source_url 'example.gov.cn' is not an http(s) address"),
        ("", "empty"),
    ],
)
def test_a_bad_manifest_is_a_clear_error_naming_file_and_line(tmp_path, text, complaint):
    path = _write(tmp_path, text)
    with pytest.raises(ManifestError) as err:
        parse_manifest(path)
    assert str(path) in str(err.value) and complaint in str(err.value)


def _check_landed(seeds: Path, ids: dict[str, str]) -> None:
    reports = {r["source_file"]: r for r in _read(seeds / "landed_reports.csv")}
    a, b, c = reports["a.txt"], reports["sub/b.txt"], reports["c.txt"]
    assert (a["department_name"], a["fiscal_year"], a["document_kind"]) == (
        "绥宁县武阳镇人民政府",
        "2022",
        "performance_evaluation",
    )
    assert (b["department_name"], b["fiscal_year"], b["document_kind"], b["source_url"], b["published_date"]) == (
        "绥宁县长铺镇人民政府",
        "2023",
        "three_public_disclosure",
        "https://example.gov.cn/a/1.html",
        "2024-03-05",
    )
    assert (b["province"], b["city"], b["county"], b["county_code"]) == ("湖南省", "邵阳市", "绥宁县", "430527")
    assert (c["department_name"], c["fiscal_year"]) == ("绥宁县长铺镇人民政府", "2023")  # untouched
    findings = [f for f in _read(seeds / "landed_findings.csv") if f["check"] == "manifest_disagrees"]
    # only the year of a.txt disagrees: the unit name differs by its county prefix only, and a
    # document_kind of "other" read from the text states nothing
    assert [(f["report_id"], f["severity"], f["observed"], f["expected"]) for f in findings] == [
        (ids["a.txt"], "warn", "2021", "2022")
    ]
    assert "manifest.csv 第2行" in findings[0]["message"] and "a.txt" in findings[0]["message"]
    # facts keep their own years: the manifest's year is the report's only
    assert {r["fiscal_year"] for r in _read(seeds / "landed_three_public.csv")} == {""}


def test_write_landed_seeds_applies_the_manifest(tmp_path):
    manifest = parse_manifest(_write(tmp_path / "in", MANIFEST))
    extractions = _reports()
    write_landed_seeds(extractions, tmp_path / "seeds", manifest)
    _check_landed(tmp_path / "seeds", {ex.source_file: ex.report_id for ex in extractions})


def test_landing_from_the_cache_applies_the_manifest(tmp_path):
    """The flow's path: cached lines (keyed by content only) + the manifest at landing time."""
    manifest = parse_manifest(_write(tmp_path / "in", MANIFEST))
    extractions = _reports()
    cache = ExtractionCache(tmp_path / "cache", version="test")
    from jixiao.pipeline.cache import CachedReport, _csv_text

    for ex in extractions:
        lines = render_landed_lines([ex])[ex.report_id]
        cache.put(
            CachedReport(
                ex.source_file,
                ex.content_hash,
                ex.file_format,
                ex.status,
                ex.status_reason,
                {s: len(r) for s, r in lines.items()},
                {s: _csv_text(r) for s, r in lines.items()},
            )
        )
    files = [(ex.source_file, tmp_path / ex.source_file, ex.content_hash) for ex in extractions]
    counts, _ = write_seeds_from_cache(files, cache, tmp_path / "seeds", manifest)
    _check_landed(tmp_path / "seeds", {ex.source_file: ex.report_id for ex in extractions})
    assert counts["landed_findings"] == 1
    # without the manifest the same cache lands the text's values
    write_seeds_from_cache(files, cache, tmp_path / "plain")
    plain = {r["source_file"]: r for r in _read(tmp_path / "plain" / "landed_reports.csv")}
    assert (plain["a.txt"]["fiscal_year"], plain["sub/b.txt"]["department_name"]) == ("2021", "")


def test_manifest_csv_is_not_a_report(tmp_path):
    (tmp_path / "r.txt").write_text("x", encoding="utf-8")
    _write(tmp_path, "file,fiscal_year\nr.txt,2021\n")
    assert [f.name for f in discover_reports(tmp_path)] == ["r.txt"]


@pytest.mark.slow
def test_refresh_applies_a_new_manifest_without_extracting_again(warehouse: Warehouse, prefect_harness):
    from jixiao.pipeline.refresh import RefreshFailed, refresh

    wuyang = "001_2a770005e5f9d24b.txt"
    _write(
        warehouse.reports,
        f"file,fiscal_year,source_url,published_date\n{wuyang},2022,https://example.gov.cn/wy/2022.html,2022-05-01\n",
    )
    summary = refresh(reports_dir=str(warehouse.reports), db_path=str(warehouse.db), landing="native")
    assert summary["status"] == "published"  # no report changed, the manifest did
    assert summary["reports_extracted"] == 0
    with duckdb.connect(str(warehouse.db), read_only=True) as con:
        report = con.execute(
            "SELECT fiscal_year, source_url, CAST(published_date AS VARCHAR) FROM dim_report WHERE source_file = ?",
            [wuyang],
        ).fetchone()
        issue = con.execute(
            "SELECT observed, expected FROM data_quality_issues "
            "WHERE \"check\" = 'manifest_disagrees' AND source_file = ?",
            [wuyang],
        ).fetchall()
        files = [r[0] for r in con.execute("SELECT source_file FROM dim_report").fetchall()]
    assert report == (2022, "https://example.gov.cn/wy/2022.html", "2022-05-01")
    assert issue == [("2021", "2022")]
    assert "manifest.csv" not in files

    _write(warehouse.reports, "file,fiscal_year\n001.txt,21\n")
    with pytest.raises(RefreshFailed) as failure:
        refresh(reports_dir=str(warehouse.reports), db_path=str(warehouse.db), landing="native")
    assert failure.value.step == "discover" and "manifest.csv: line 2: fiscal_year '21'" in failure.value.reason


def test_a_manifest_unit_of_another_county_takes_its_own_region(tmp_path):
    manifest = parse_manifest(_write(tmp_path / "in", "file,department_name\na.txt,新宁县武阳镇人民政府\n"))
    report = _extraction(
        "a.txt",
        ReportHeader(
            department_name="武阳镇人民政府",
            province="湖南省",
            city="邵阳市",
            county="绥宁县",
            county_code="430527",
            fiscal_year=2022,
        ),
        "a",
    )
    write_landed_seeds([report], tmp_path / "seeds", manifest)
    (row,) = _read(tmp_path / "seeds" / "landed_reports.csv")
    assert (row["department_name"], row["county"], row["county_code"]) == ("新宁县武阳镇人民政府", "新宁县", "430528")
    (finding,) = _read(tmp_path / "seeds" / "landed_findings.csv")
    assert (finding["check"], finding["observed"], finding["expected"]) == ("manifest_disagrees", "绥宁县", "新宁县")
    assert "据其单位名称" in finding["message"]
