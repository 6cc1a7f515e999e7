"""The Prefect tasks of a refresh, one per step, and the rule for retrying them.

Each task does one step's work and logs it; the refresh flow (:mod:`jixiao.pipeline.refresh`)
decides the order and what the run records.  dbt, Great Expectations and pandas are imported
inside the tasks that need them, so a refresh that finds nothing changed never loads them.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import duckdb
from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from jixiao.contract import spec
from jixiao.landing.manifest import Manifest
from jixiao.pipeline import interrupt
from jixiao.pipeline.bundles import expand_bundles
from jixiao.pipeline.cache import CachedReport, ExtractionCache, extract_to_cache, write_seeds_from_cache
from jixiao.pipeline.discover import Changes, ReportFile, compare, discover, drop_duplicates
from jixiao.pipeline.paths import bundles_dir, state_dir
from jixiao.pipeline.runs import (
    PIPELINE_RUNS_DDL,
    PublishedFile,
    RunRecord,
    create_runs_view,
    ensure_run_log,
    forget_failed_runs,
    insert_runs,
    log_run,
    pending_failed_runs,
    read_published_state,
    write_published_files,
)
from jixiao.warehouse.publish import PublishError, discard, publish
from jixiao.warehouse.published import NotADuckDBFile

if TYPE_CHECKING:
    from jixiao.pipeline.summary import RefreshSummary
    from jixiao.quality.results import GateResult
    from jixiao.warehouse.dbt_runner import DbtResult

# Tables whose row counts a run reports: the published contract tables (jixiao/contract/spec.yml), dim_report first.
COUNTED_TABLES = ("dim_report", *(t for t in spec().published if t != "dim_report"))
TASK_DEFAULTS: dict[str, Any] = {"persist_result": False, "cache_policy": NO_CACHE}


class RefreshFailed(RuntimeError):
    """A refresh stopped; the published warehouse was left as it was."""

    def __init__(self, step: str, reason: str):
        super().__init__(f"{step}: {reason}")
        self.step = step
        self.reason = reason


def utcnow() -> datetime:
    """Now in UTC, without a time zone (as ``pipeline_runs`` stores it)."""
    return datetime.now(UTC).replace(tzinfo=None)


def _is_transient(exc: BaseException) -> bool:
    """Errors a second attempt can cure: I/O hiccups and file locks, not bad data or bugs."""
    if isinstance(exc, RefreshFailed):
        return False
    if isinstance(exc, (FileNotFoundError, NotADirectoryError, IsADirectoryError, PermissionError)):
        return False
    if isinstance(exc, (OSError, TimeoutError, ConnectionError)):
        return True
    return isinstance(exc, duckdb.IOException)


def retry_if_transient(task_, task_run, state) -> bool:
    """Prefect ``retry_condition_fn``: retry only on a transient error."""
    try:
        state.result()
    except BaseException as exc:
        return _is_transient(exc)
    return False


RETRY_TRANSIENT: dict[str, Any] = {"retries": 1, "retry_delay_seconds": 2, "retry_condition_fn": retry_if_transient}


def count_rows(con: duckdb.DuckDBPyConnection, tables: tuple[str, ...] = COUNTED_TABLES) -> dict[str, int]:
    """Rows of each table present (any schema, ``main`` first)."""
    out: dict[str, int] = {}
    for table in tables:
        row = con.execute(
            "SELECT table_schema FROM information_schema.tables WHERE table_name = ? "
            "ORDER BY table_schema <> 'main', table_schema LIMIT 1",
            [table],
        ).fetchone()
        if row:
            counted = con.execute(f'SELECT count(*) FROM "{row[0]}"."{table}"').fetchone()
            out[table] = int(counted[0]) if counted else 0
    return out


# --------------------------------------------------------------------------- discover
@task(name="discover", **RETRY_TRANSIENT, **TASK_DEFAULTS)
def discover_task(
    reports_dir: Path, db_path: Path, full_rebuild: bool = False
) -> tuple[list[ReportFile], Changes, dict[str, PublishedFile], str | None, dict[str, str]]:
    """Hash the input files (recursively) and compare them with the files of the published warehouse."""
    found = discover(reports_dir, hash_cache=state_dir(db_path) / "file_hashes.tsv")
    files, duplicates = drop_duplicates(expand_bundles(found.files, bundles_dir(db_path)))
    logger = get_run_logger()
    try:
        previous, fingerprint = read_published_state(db_path)
    except NotADuckDBFile as exc:
        if not full_rebuild:
            raise RefreshFailed("discover", str(exc)) from exc
        logger.warning("%s; --full-refresh: building a new warehouse", exc)
        previous, fingerprint = {}, None
    changes = compare(files, {name: f.content_hash for name, f in previous.items()}, duplicates)
    logger.info("%d report file(s) in %s: %s", len(files), reports_dir, changes.describe())
    return files, changes, previous, fingerprint, found.skipped


# --------------------------------------------------------------------------- extract
@task(name="extract-batch", **RETRY_TRANSIENT, **TASK_DEFAULTS)
def extract_batch(files: list[tuple[str, Path, str]], cache_dir: Path, version: str) -> list[CachedReport]:
    """Extract a batch of reports into the cache; returns each report's status (no rows)."""
    results = extract_to_cache(files, ExtractionCache(cache_dir, version))
    quarantined = [r for r in results if r.status != "loaded"]
    get_run_logger().info("extracted %d report(s), %d quarantined", len(results), len(quarantined))
    return [r.meta() for r in results]


# --------------------------------------------------------------------------- land
@task(name="land-seeds", **RETRY_TRANSIENT, **TASK_DEFAULTS)
def land_task(
    files: list[tuple[str, Path, str]], cache_dir: Path, version: str, seeds_dir: Path, manifest: Manifest | None = None
) -> tuple[dict[str, int], list[CachedReport]]:
    """Write the landed seeds from the cached lines of every current report (manifest.csv applied)."""
    counts, metas = write_seeds_from_cache(files, ExtractionCache(cache_dir, version), seeds_dir, manifest)
    get_run_logger().info("landed seeds in %s: %s", seeds_dir, ", ".join(f"{k} {v}" for k, v in counts.items()))
    return counts, metas


# --------------------------------------------------------------------------- dbt build
@task(name="dbt-build", retries=1, retry_delay_seconds=5, retry_condition_fn=retry_if_transient, **TASK_DEFAULTS)
def dbt_build_task(
    building: Path, landing: str, full_rebuild: bool = False, start_from: Path | None = None
) -> DbtResult:
    """``dbt build`` (seeds, models, tests) into the building file, from ``start_from`` when incremental."""
    from jixiao.warehouse.dbt_runner import LandingMode, build_warehouse

    discard(building)  # a retry starts again
    mode = cast(LandingMode, landing)  # checked against LANDING_MODES when the run starts
    result = build_warehouse(building, landing_mode=mode, full_refresh=full_rebuild, start_from=start_from)
    logger = get_run_logger()
    if not result.success:
        logger.error(result.summary())
        first = result.failures[0] if result.failures else None
        detail = (
            f"{len(result.failures)} node(s) failed, first {first.name}: {first.message[:300]}"
            if first
            else (result.exception or "dbt reported failure")
        )
        raise RefreshFailed("dbt_build", detail)
    logger.info(result.summary())
    return result


# --------------------------------------------------------------------------- quality gate
@task(name="quality-gate", **TASK_DEFAULTS)
def quality_gate_task(building: Path, db_path: Path, run_id: str, input_files: list[str], docs_dir: Path) -> GateResult:
    """Carry the quality history over, then run the Great Expectations suites on the build."""
    from jixiao.quality import copy_quality_history, run_quality_gate
    from jixiao.warehouse.dbt_runner import changed_report_ids

    with duckdb.connect(str(building)) as con:
        con.execute(PIPELINE_RUNS_DDL)
    try:
        copy_quality_history(db_path, building)
    except NotADuckDBFile as exc:  # only reached with --full-refresh (discover refuses it otherwise)
        get_run_logger().warning("no history carried over: %s", exc)
    # an incremental build names the reports it changed: only their rows are validated (None: every row)
    changed = changed_report_ids(building)
    gate = run_quality_gate(building, run_id, input_files, docs_dir, stage="all", changed_report_ids=changed)
    logger = get_run_logger()
    logger.info(gate.summary())
    if gate.warnings:
        logger.info("quality warnings:\n%s", gate.warnings_message())
    return gate


# --------------------------------------------------------------------------- publish
@task(name="record-run", retries=2, retry_delay_seconds=1, retry_condition_fn=retry_if_transient, **TASK_DEFAULTS)
def record_run_task(
    building: Path, db_path: Path, record: RunRecord, files: list[PublishedFile] | None, waiting: list[RunRecord]
) -> dict[str, int]:
    """Write this run (and the runs waiting in the log) into the build; safe to repeat."""
    if not building.is_file():  # never let DuckDB create an empty file in its place
        raise RefreshFailed("publish", f"the new build {building.name} is missing; nothing was published")
    with duckdb.connect(str(building)) as con:
        if files is not None:
            write_published_files(con, record.run_id, files)
        record.fact_rows = count_rows(con)
        record.finished_at = utcnow()
        insert_runs(con, [*waiting, record])
        ensure_run_log(db_path)
        create_runs_view(con, db_path)
        con.execute("CHECKPOINT")
    return record.fact_rows


def publish_build(
    building: Path, db_path: Path, summary: RefreshSummary, files: list[PublishedFile] | None, logger
) -> None:
    """Record the run in the build, rename it over the published file, then tidy up.

    Only the recording (idempotent) is retried.  The rename runs once and is not interrupted by
    a signal; nothing after it can replace or fail the published warehouse: a problem there is
    a warning of the summary.
    """
    record = summary.record
    interrupt.check()
    waiting = pending_failed_runs(db_path, current_run=record.run_id)
    record.fact_rows = record_run_task(building, db_path, record, files, waiting)
    with interrupt.publishing():
        interrupt.check()
        for attempt in (1, 2):
            try:
                moved = publish(building, db_path, record.run_id)
                break
            except PublishError as exc:
                if attempt == 2 or not building.is_file():
                    raise RefreshFailed("publish", str(exc)) from exc
                logger.warning("publish: %s; trying once more", exc)
                time.sleep(1)
        summary.moved_aside = [m.name for m in moved]
        for m in moved:
            logger.warning("moved %s aside: DuckDB would have replayed it onto the new warehouse", m.name)
        _after_publish(db_path, record, waiting, summary, logger)


def _after_publish(db_path: Path, record: RunRecord, waiting: list[RunRecord], summary: RefreshSummary, logger) -> None:
    """Tidy up after the rename: every failure here is a warning, never a failed refresh."""
    steps = [
        ("log the run", lambda: log_run(db_path, record)),
        ("trim the run log", lambda: forget_failed_runs(db_path, {r.run_id for r in [*waiting, record]})),
    ]
    for what, action in steps:
        try:
            action()
        except Exception as exc:
            summary.warnings.append(f"published, but could not {what}: {type(exc).__name__}: {exc}")
            logger.warning(summary.warnings[-1])
    logger.info("published %s", db_path)
