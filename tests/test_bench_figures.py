"""The benchmark's figures table: targets, the ratio to the previous BENCHMARKS.md, its JSON block,
and the scaling extrapolation (no measurement runs here)."""

from __future__ import annotations

from pathlib import Path

import pytest

from jixiao.bench import render
from jixiao.bench.scaling import extrapolate, scaling_markdown
from jixiao.bench.summary import (
    BLOCK_MARK,
    Figure,
    figures_block,
    figures_from_results,
    legacy_figures,
    markdown_table,
    merge_figures,
    previous_figures,
    text_table,
    with_previous,
)

LEGACY = """# Benchmarks

## Figures and targets

| measure | figure | target | status |
|---|---|---|---|
| extraction, 1 core, all text layouts | **285.2 reports/s** | ≥ 200/s | ok (+43%) |
| precision on 20,000 reports | 100.000% (1,346,032 / 1,346,032 rows) | 100% | ok |
| recall on 20,000 reports | 99.500% (1 / 2 facts) | ≥ 99.5% | ok |
| full refresh, 1,000 reports | 40.2 s, peak RSS 865 MB | – | |
| full refresh, 20,000 reports | **189.0 s**, peak RSS 3,036 MB | ≤ 180 s, ≤ 4 GB | missed |
| no-change refresh, 20,000 | 9.9 s, 481 MB | ≤ 15 s | ok |
| one new report, 20,000 | **65.9 s**, 3,007 MB | ≤ 30 s | missed |
| README query: multi-year 三公 trend (20,000) | 28.7 ms (22,694 rows) | ≤ 200 ms | ok |
| README query: budget execution rate (20,000) | 21.1 ms (18,892 rows) | ≤ 200 ms | ok |

With a **running Prefect server** (the server's own memory is then not counted): full refresh
182.2 s, one new report 59.7 s, one removed report 60.1 s, no change **4.6 s**.

## Where the time goes
"""


def _results() -> dict:
    """A results JSON of `jixiao bench` in the shape measure.py writes it."""
    refresh = {
        "exit_code": 0,
        "wall_seconds": 120.0,
        "peak_rss_mb": 1900.0,
        "peak_rss_main_mb": 800.0,
        "peak_rss_by_step_mb": {"extract": 1200.0, "quality gate": 1900.0},
        "steps": {"extract": 80.0, "quality_gate": 20.0},
    }
    return {
        "started": "2026-11-25 22:00:00",
        "command": "jixiao bench",
        "refresh": {
            "20000": {
                "full": refresh,
                "no_change": {**refresh, "wall_seconds": 6.0, "steps": {}},
                "no_change_server": {**refresh, "wall_seconds": 3.0, "steps": {}},
                "one_new": {**refresh, "wall_seconds": 33.0},
                "one_new_server": {**refresh, "exit_code": 1},
            }
        },
        "dask": {
            "runs": {"1": {"reports_per_s": 100.0, "reports": 2000}, "2": {"reports_per_s": 170.0, "reports": 2000}},
            "speedup": 1.7,
        },
        "dask_refresh": {"error": "`jixiao refresh` has no --dask option in this code base"},
        "correctness": {
            "files": 20000,
            "workers": 2,
            "reports_per_s": 210.0,
            "precision": 1.0,
            "recall": 0.99,
            "correct_rows": 10,
            "extracted_rows": 10,
            "found": 99,
            "expected_facts": 100,
        },
        "queries": {"20000": {"queries": [{"title": "三公 trend", "median_ms": 14.35, "rows": 5}]}},
        "warehouse": {"20000": {"bytes": 200 * 2**20, "rows": 1_000_000}},
    }


def test_legacy_benchmarks_md_gives_the_figures_of_its_table_and_server_paragraph() -> None:
    prev = legacy_figures(LEGACY)
    assert prev["refresh.full.20000"] == 189.0
    assert prev["refresh.full_rss.20000"] == 3036.0
    assert prev["refresh.full.1000"] == 40.2
    assert prev["refresh.no_change.20000"] == 9.9
    assert prev["refresh.one_new.20000"] == 65.9
    assert prev["refresh.one_new_server.20000"] == 59.7
    assert prev["refresh.no_change_server.20000"] == 4.6
    assert prev["correctness.recall"] == pytest.approx(0.995)
    assert prev["correctness.precision"] == pytest.approx(1.0)
    assert prev["extract.single.text_layouts"] == 285.2
    assert prev["query.1.20000"] == 28.7 and prev["query.2.20000"] == 21.1
    assert previous_figures(LEGACY) == prev  # no JSON block: the table decides


def test_json_block_round_trips_and_wins_over_the_table() -> None:
    figs = figures_from_results(_results())
    text = LEGACY + "\n" + figures_block(figs, {"commit": "abc1234"})
    prev = previous_figures(text)
    assert BLOCK_MARK in text
    assert prev["refresh.full.20000"] == 120.0  # the block, not the table's 189.0
    assert prev["extract.dask_map_speedup"] == 1.7
    assert "extract.dask_speedup" not in prev  # not measured: no figure
    assert "refresh.one_new_server.20000" not in prev  # a failed run has no figure


def test_ratio_targets_and_status_of_every_issue_14_row() -> None:
    figs = {f.key: f for f in with_previous(figures_from_results(_results()), legacy_figures(LEGACY))}
    full = figs["refresh.full.20000"]
    assert full.ratio == pytest.approx(120.0 / 189.0)
    assert full.ratio_text() == "0.63×" and full.ok is True and full.target_text == "≤ 150 s"
    one_new = figs["refresh.one_new.20000"]
    assert one_new.ok is False and one_new.status_text() == "MISSED by 18 s"
    assert figs["refresh.one_new_server.20000"].value is None  # exit 1: not a figure
    assert figs["refresh.one_new_server.20000"].status_text() == "MISSED"
    assert figs["refresh.no_change_server.20000"].ok is True
    assert figs["refresh.no_change.20000"].ratio == pytest.approx(6.0 / 9.9)
    assert figs["refresh.full_rss.20000"].ok is True  # 1,900 MB ≤ 2 GB
    assert "quality gate" in figs["refresh.full_rss.20000"].detail  # where the peak was
    assert figs["refresh.full_steps.20000"].value == 100.0
    assert figs["extract.dask_map_speedup"].ok is False  # 1.7 < 1.8
    assert figs["extract.dask_speedup"].value is None and figs["extract.dask_speedup"].status_text() == "MISSED"
    assert figs["correctness.recall"].ok is False and figs["correctness.precision"].ok is True
    assert figs["correctness.recall"].status_text() == "MISSED by 0.500 points"
    assert figs["query.1.20000"].ok is True and figs["query.1.20000"].ratio == pytest.approx(14.35 / 28.7)
    assert figs["warehouse.mb_per_1000.20000"].value == 10.0
    assert figs["warehouse.rows_per_report.20000"].value == 50.0
    assert figs["extract.parallel"].previous is None and figs["extract.parallel"].ratio_text() == "–"


def test_text_and_markdown_tables_have_one_row_a_figure() -> None:
    figs = with_previous(figures_from_results(_results()), legacy_figures(LEGACY))
    text = text_table(figs)
    lines = text.splitlines()
    assert lines[0].split() == ["measure", "figure", "target", "status", "previous", "ratio"]
    assert len(lines) == 1 + len(figs)
    row = next(ln for ln in lines if ln.startswith("full refresh, 20,000 reports"))
    assert "120 s" in row and "≤ 150 s" in row and "189 s" in row and "0.63×" in row
    md = markdown_table(figs).splitlines()
    assert len(md) == 2 + len(figs)
    assert all(ln.count(" | ") == 5 for ln in md[2:])  # no cell breaks the table
    assert text.index("one new report into 20,000") < text.index("full refresh, 20,000")  # issue 14's order


def test_merge_keeps_the_later_run_of_a_key() -> None:
    a = [Figure("refresh.full.20000", "full", 1.0), Figure("refresh.full.100000", "full", 9.0)]
    b = [Figure("refresh.full.20000", "full", 2.0)]
    merged = merge_figures(a, b)
    assert [(f.key, f.value) for f in merged] == [("refresh.full.20000", 2.0), ("refresh.full.100000", 9.0)]


def test_extrapolation_to_a_million_reports() -> None:
    assert extrapolate({20000: 200.0, 100000: 1000.0}) == pytest.approx(10000.0)
    assert extrapolate({20000: 10.0, 100000: 18.0}) == pytest.approx(18.0 + 8.0 / 80000 * 900000)
    assert extrapolate({20000: 5.0}) is None  # a time or memory: one size cannot separate the fixed part
    assert extrapolate({20000: 5.0}, one_point="proportional") == pytest.approx(250.0)
    assert extrapolate({20000: 5.0}, one_point="constant") == 5.0
    assert extrapolate({}) is None
    md = scaling_markdown(
        {"warehouse.mb.20000": 200.0, "warehouse.mb.100000": 1000.0, "query.1.20000": 10.0, "query.1.100000": 12.0}
    )
    assert "| DuckDB file (MB) | 200 | 1,000 | 10,000 |" in md
    assert "| README query 1 (ms) | 10.0 | 12.0 | 34.5 |" in md
    assert extrapolate({500: 5.0, 2000: 3.3}) == 3.3  # a line that falls (noise) is taken as flat
    one = scaling_markdown({"warehouse.mb.20000": 200.0, "warehouse.rows.20000": 1_000_000, "query.1.20000": 9.0})
    assert "| DuckDB file (MB) | 200 | 10,000 |" in one
    assert "| contract rows per report | 50.0 | 50.0 |" in one
    assert "| MB per 1,000 reports | 10.0 | 10.0 |" in one
    assert "| README query 1 (ms) | 9.0 | – |" in one


def test_render_writes_the_block_the_next_run_reads(tmp_path: Path) -> None:
    previous = tmp_path / "BENCHMARKS.md"
    previous.write_text(LEGACY, encoding="utf-8")
    out = tmp_path / "block.md"
    table = render([_results()], previous, out)
    assert "0.63×" in table
    assert previous_figures(out.read_text(encoding="utf-8"))["refresh.full.20000"] == 120.0
