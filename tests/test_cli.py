"""The `jixiao` command line: help texts, `extract`, `refresh` outcomes and exit codes, `serve` and
the `bench` hook."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from conftest import Warehouse, sample_files

from jixiao import cli


@pytest.fixture()
def run_cli(capsys):
    """Run ``jixiao ARGS`` in-process; returns (exit code, stdout, stderr). Environment restored after."""

    def run(*args: str) -> tuple[int, str, str]:
        saved = dict(os.environ)
        try:
            try:
                code = cli.main(list(args))
            except SystemExit as exc:  # argparse: --help and usage errors
                code = exc.code if isinstance(exc.code, int) else 1
        finally:
            os.environ.clear()
            os.environ.update(saved)
        out = capsys.readouterr()
        return code, out.out, out.err

    return run


def test_help_explains_every_command(run_cli):
    code, out, _ = run_cli("--help")
    assert code == 0
    for command in ("refresh", "extract", "serve", "export", "report", "bench"):
        assert command in out
    code, out, _ = run_cli("refresh", "--help")
    assert code == 0 and "--reports" in out and "--db" in out and "--landing" in out and "--workers" in out
    code, out, _ = run_cli("extract", "--help")
    assert code == 0 and "--format" in out and "provenance" in out
    code, out, _ = run_cli("serve", "--help")
    assert code == 0 and "--cron" in out and "prefect server start" in out
    code, out, _ = run_cli("export", "--help")
    out = " ".join(out.split())  # argparse wraps the description
    assert code == 0 and "--to" in out and "parquet" in out and "xlsx" in out and "byte-order mark" in out
    code, out, _ = run_cli("report", "--help")
    out = " ".join(out.split())
    assert code == 0 and "--out" in out and "no network" in out


def test_extract_json_carries_provenance(run_cli):
    report = sample_files()[0]
    code, out, _ = run_cli("extract", str(report), "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["source_file"] == report.name and data["status"] == "loaded"
    assert data["report_id"] == data["content_hash"][:16]
    assert data["facts"], "a sample report yields facts"
    assert all(f["prov"]["file"] == report.name and f["prov"]["block"] is not None for f in data["facts"])


def test_extract_table_is_readable(run_cli):
    report = sample_files()[0]
    code, out, _ = run_cli("extract", str(report))
    assert code == 0
    assert report.name in out and "loaded" in out
    assert "fct_" in out and "block " in out  # fact tables with where each value was read


def test_extract_of_a_bad_file_says_why(run_cli, tmp_path: Path):
    bad = tmp_path / "garbage.txt"
    bad.write_bytes(b"\x00\x01\x02 not a report")
    code, out, _ = run_cli("extract", str(bad))
    assert code == 1 and "quarantined" in out
    code, _, err = run_cli("extract", str(tmp_path / "missing.txt"))
    assert code == 2 and "missing.txt" in err


def test_refresh_rejects_a_missing_reports_folder(run_cli, tmp_path: Path):
    code, _, err = run_cli("refresh", "--reports", str(tmp_path / "nope"), "--db", str(tmp_path / "w.duckdb"))
    assert code == 2 and "nope" in err
    assert not (tmp_path / "w.duckdb").exists()


@pytest.mark.slow
def test_refresh_prints_where_and_what(base_warehouse: Warehouse):
    out = base_warehouse.cli_stdout
    n = len(list(base_warehouse.reports.iterdir()))
    assert base_warehouse.cli_exit == 0, out
    assert f"Published {base_warehouse.db}" in out
    assert f"{n} new, 0 changed, 0 removed, 0 unchanged" in out
    assert "Rows: dim_report" in out and "fct_budget" in out
    assert "Quality checks:" in out and "Data Docs:" in out
    assert "Time per step: discover" in out and "dbt_build" in out


@pytest.mark.slow
def test_second_refresh_reports_no_change(run_cli, warehouse: Warehouse):
    n = len(list(warehouse.reports.iterdir()))
    code, out, _ = run_cli("refresh", "--reports", str(warehouse.reports), "--db", str(warehouse.db), "--json")
    assert code == 0, out
    assert f"0 new, 0 changed, 0 removed, {n} unchanged" in out
    summary = json.loads(out.strip().splitlines()[-1])
    assert summary["status"] == "unchanged" and summary["reports_extracted"] == 0


@pytest.mark.slow
def test_failed_refresh_exits_non_zero_with_one_line(run_cli, warehouse: Warehouse):
    from jixiao.warehouse.publish import WarehouseLock, lock_path

    before = warehouse.db.read_bytes()
    with WarehouseLock(lock_path(warehouse.db)):
        code, out, err = run_cli("refresh", "--reports", str(warehouse.reports), "--db", str(warehouse.db))
    assert code == 1
    failure_lines = [line for line in err.splitlines() if "refresh failed" in line]
    assert len(failure_lines) == 1 and "another refresh" in failure_lines[0]
    assert warehouse.db.read_bytes() == before


def test_serve_needs_a_server(run_cli, monkeypatch, tmp_path: Path):
    monkeypatch.setattr("jixiao.pipeline.settings.configured_api_url", lambda: None)
    code, _, err = run_cli(
        "serve", "--cron", "0 3 * * *", "--reports", str(tmp_path), "--db", str(tmp_path / "w.duckdb")
    )
    assert code == 2 and "prefect server start" in err


def test_bench_is_handed_its_own_arguments(run_cli, monkeypatch):
    seen = []
    monkeypatch.setattr("jixiao.bench.main", lambda argv: seen.append(argv) or 7)
    code, _, _ = run_cli("bench", "--reports", "200", "--skip", "queries")
    assert code == 7 and seen == [["--reports", "200", "--skip", "queries"]]
