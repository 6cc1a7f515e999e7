"""Data Docs pages are rewritten to load nothing from another host (fast: no GX run)."""

from __future__ import annotations

from pathlib import Path

from jixiao.quality.offline_docs import EXTERNAL, make_docs_offline
from jixiao.quality.results import ExpectationOutcome

PAGE = """<html><head>
<link rel="stylesheet" href="https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css">
<link rel="stylesheet" href="//cdn.example.org/x.css">
<script src="https://code.jquery.com/jquery-3.7.1.min.js"></script>
<script>var inline = 1;</script>
</head><body>
<img src="https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/logo-long.png?d=1">
<a href="https://greatexpectations.io/newsletter">newsletter</a>
<a href="../../index.html">Home</a>
<table><tr><td>kept</td></tr></table>
</body></html>"""


def test_pages_lose_every_external_reference_and_the_index_lists_the_outcomes(tmp_path: Path) -> None:
    page = tmp_path / "validations" / "published" / "fct_budget" / "__none__" / "run" / "page.html"
    page.parent.mkdir(parents=True)
    page.write_text(PAGE, encoding="utf-8")
    logo = tmp_path / "static" / "images" / "logo-long.png"
    logo.parent.mkdir(parents=True)
    logo.write_bytes(b"png")
    outcomes = [
        ExpectationOutcome(
            suite="published",
            table="fct_budget",
            expectation="expect_column_values_to_not_be_null",
            severity="critical",
            success=True,
            description="Amounts are stated.",
        ),
        ExpectationOutcome(
            suite="published",
            table="fct_budget",
            expectation="expect_column_values_to_be_between",
            severity="warning",
            success=False,
            message="3 amounts are negative",
        ),
    ]
    index = make_docs_offline(tmp_path, outcomes, "run-1")

    html = page.read_text(encoding="utf-8")
    assert "http" not in html and "//cdn" not in html
    assert "var inline = 1;" in html and "kept" in html and 'href="../../index.html"' in html
    assert 'src="../../../../../static/images/logo-long.png' in html
    assert "static/styles/jixiao_offline.css" in html and (tmp_path / "static/styles/jixiao_offline.css").is_file()
    text = index.read_text(encoding="utf-8")
    assert not EXTERNAL.search(text)
    assert "validations/published/fct_budget/__none__/run/page.html" in text
    assert "1 passed" in text and "1 warnings failed" in text and "3 amounts are negative" in text
