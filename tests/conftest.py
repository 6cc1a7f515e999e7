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
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

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

if TYPE_CHECKING:
    from jixiao.model import Document

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_REPORTS = ROOT / "data" / "reports"


def sample_files() -> list[Path]:
    return sorted(p for p in SAMPLE_REPORTS.iterdir() if p.is_file())


# file formats a sample report is written in by tests/fixture_writers.py (the text ones by encoding)
SAMPLE_FORMATS = ("docx", "html", "pdf", "gb18030", "utf-8-bom")


@pytest.fixture(scope="session")
def written_sample(tmp_path_factory) -> Callable[[str, str], Path]:
    """``written_sample(name, fmt)``: the sample report ``data/reports/<name>`` written as ``fmt``
    (one of SAMPLE_FORMATS), made once per test session and shared read-only by the tests."""
    from fixture_writers import write_docx, write_html, write_pdf, write_text

    from jixiao.readers.text import read_text

    writers: dict[str, Callable[[Document, Path], Path]] = {
        "docx": lambda doc, stem: write_docx(doc, stem.with_suffix(".docx")),
        "html": lambda doc, stem: write_html(doc, stem.with_suffix(".html")),
        "pdf": lambda doc, stem: write_pdf(doc, stem.with_suffix(".pdf")),
        "gb18030": lambda doc, stem: write_text(doc, stem.with_suffix(".txt"), "gb18030"),
        "utf-8-bom": lambda doc, stem: write_text(doc, stem.with_suffix(".txt"), "utf-8-sig"),
    }
    root = tmp_path_factory.mktemp("written-samples")
    made: dict[tuple[str, str], Path] = {}

    def written(name: str, fmt: str) -> Path:
        if (name, fmt) not in made:
            folder = root / fmt
            folder.mkdir(exist_ok=True)
            doc = read_text((SAMPLE_REPORTS / name).read_text(encoding="utf-8"), name)
            made[(name, fmt)] = writers[fmt](doc, folder / Path(name).stem)
        return made[(name, fmt)]

    return written


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A test that starts the Prefect test server (itself or through the refreshed-warehouse
    fixtures, which run dbt) must be marked ``slow``: ``make test-fast`` never starts one."""
    unmarked = [
        item.nodeid
        for item in items
        if "prefect_harness" in getattr(item, "fixturenames", ()) and item.get_closest_marker("slow") is None
    ]
    if unmarked:
        raise pytest.UsageError("tests that start a Prefect server must be marked slow: " + ", ".join(unmarked))


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
