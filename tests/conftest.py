"""Shared test set-up: telemetry off, a private Prefect home, one Prefect test server per session.

Fixtures:
- ``prefect_harness``: Prefect's ``prefect_test_harness`` (temporary server and database), started
  once per session and only by the tests that run flows.
- ``sample_reports``: a fresh copy of ``data/reports`` in a temporary folder.
- ``base_warehouse``: four of the sample reports refreshed once through ``jixiao refresh`` (the
  command line, in-process); tests copy it with ``copy_warehouse`` instead of building their own.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

# Before anything imports dbt, Prefect or Great Expectations.
os.environ.update(
    {
        "DO_NOT_TRACK": "1",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "False",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "GX_ANALYTICS_ENABLED": "false",
    }
)
os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="jixiao-test-prefect-"))
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "WARNING")

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_REPORTS = ROOT / "data" / "reports"


def sample_files() -> list[Path]:
    return sorted(p for p in SAMPLE_REPORTS.iterdir() if p.is_file())


@pytest.fixture(scope="session")
def prefect_harness():
    """One temporary Prefect server and database for the whole session."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture()
def sample_reports(tmp_path: Path) -> Path:
    target = tmp_path / "reports"
    target.mkdir()
    for f in sample_files():
        shutil.copy2(f, target / f.name)
    return target


@dataclass
class Warehouse:
    """A published warehouse with its reports folder (and the cache next to the DB)."""

    reports: Path
    db: Path
    cli_exit: int = 0
    cli_stdout: str = ""

    @property
    def root(self) -> Path:
        return self.db.parent


def run_refresh_cli(reports: Path, db: Path) -> tuple[int, str]:
    """`jixiao refresh --reports REPORTS --db DB` in-process: (exit code, printed output)."""
    import contextlib
    import io

    from jixiao import cli

    out = io.StringIO()
    saved_env = dict(os.environ)
    try:
        with contextlib.redirect_stdout(out):
            code = cli.main(["refresh", "--reports", str(reports), "--db", str(db)])
    finally:  # the command sets quiet-console defaults for its process; keep them out of other tests
        os.environ.clear()
        os.environ.update(saved_env)
    sys.stdout.write(out.getvalue())
    return code, out.getvalue()


@pytest.fixture(scope="session")
def base_warehouse(prefect_harness, tmp_path_factory) -> Warehouse:
    """All sample reports but the last, refreshed once with `jixiao refresh` (seed landing)."""
    root = tmp_path_factory.mktemp("base")
    reports = root / "reports"
    reports.mkdir()
    for f in sample_files()[:-1]:
        shutil.copy2(f, reports / f.name)
    db = root / "wh" / "jixiao.duckdb"
    code, out = run_refresh_cli(reports, db)
    return Warehouse(reports=reports, db=db, cli_exit=code, cli_stdout=out)


def copy_warehouse(base: Warehouse, target: Path) -> Warehouse:
    """An independent copy of ``base``: reports folder, DB and its ``.jixiao`` cache."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copytree(base.reports, target / "reports")
    shutil.copytree(base.root, target / "wh", ignore=shutil.ignore_patterns("*.lock", "data_docs"))
    return Warehouse(reports=target / "reports", db=target / "wh" / base.db.name)


@pytest.fixture()
def warehouse(base_warehouse: Warehouse, tmp_path: Path) -> Warehouse:
    """A private copy of the base warehouse for a test that changes it."""
    assert base_warehouse.cli_exit == 0, base_warehouse.cli_stdout
    return copy_warehouse(base_warehouse, tmp_path / "copy")
