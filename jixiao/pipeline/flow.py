"""The Prefect 3 flow ``refresh``: reports folder → published DuckDB warehouse.

discover (hash every file, compare with the published build) → extract (only files not in
the cache; batches in a process pool when there are many) → land seeds (cached lines
concatenated) → dbt build into ``<db>.building-<run_id>`` → Great Expectations gate → publish
(``os.replace``).  Any failure leaves the published warehouse untouched; every run is in the run
log beside the warehouse from its start (``pipeline_runs`` shows it at once, see
:mod:`jixiao.pipeline.runs`).  When neither the files nor the code changed, the build is skipped: the
published warehouse is carried over with one more ``pipeline_runs`` row.  SIGINT/SIGTERM stop a
run before the publish, never during it (:mod:`jixiao.pipeline.interrupt`).
"""

from __future__ import annotations

from jixiao.pipeline.settings import configure_prefect

configure_prefect()

import json  # noqa: E402
import math  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402
from contextlib import contextmanager, suppress  # noqa: E402
from dataclasses import asdict, dataclass, field  # noqa: E402
from datetime import UTC, datetime  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import duckdb  # noqa: E402
from prefect import flow, get_run_logger, task  # noqa: E402
from prefect.artifacts import create_markdown_artifact  # noqa: E402
from prefect.cache_policies import NO_CACHE  # noqa: E402
from prefect.futures import as_completed  # noqa: E402
from prefect.runtime import flow_run as current_flow_run  # noqa: E402
from prefect.task_runners import ProcessPoolTaskRunner  # noqa: E402

from jixiao.landing.manifest import Manifest, ManifestError, read_manifest  # noqa: E402
from jixiao.pipeline import interrupt, progress  # noqa: E402
from jixiao.pipeline.bundles import expand_bundles  # noqa: E402
from jixiao.pipeline.cache import (  # noqa: E402
    CachedReport,
    ExtractionCache,
    extract_to_cache,
    fingerprint_paths,
    quarantine_to_cache,
    write_seeds_from_cache,
)
from jixiao.pipeline.discover import Changes, ReportFile, compare, discover, drop_duplicates  # noqa: E402
from jixiao.pipeline.runs import (  # noqa: E402
    PIPELINE_RUNS_DDL,
    Heartbeat,
    PublishedFile,
    RunRecord,
    create_runs_view,
    ensure_run_log,
    forget_failed_runs,
    insert_runs,
    log_run,
    pending_failed_runs,
    read_published_state,
    remember_failed_run,
    write_published_files,
)
from jixiao.warehouse.publish import (  # noqa: E402
    PublishError,
    WarehouseLock,
    building_path,
    copy_published,
    discard,
    lock_path,
    publish,
    stale_building_files,
)
from jixiao.warehouse.published import NotADuckDBFile  # noqa: E402

STEPS = ("discover", "extract", "land", "dbt_build", "quality_gate", "publish")
# Tables whose row counts a run reports.
COUNTED_TABLES = (
    "dim_report",
    "dim_department",
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
)
MAX_BATCH = 500  # reports per extraction task: few, large tasks keep Prefect's per-task cost small (bench: 100 → 500)
PARALLEL_MIN_REPORTS = 200  # below this, starting worker processes costs more than it saves
# Files that cost about this many text reports each (LibreOffice conversion, PDF layout, OCR of scans).
HEAVY_SUFFIX_WEIGHT = {".pdf": 10, ".doc": 10, ".wps": 10}
ARTIFACT_KEY = "jixiao-refresh-summary"
# Plain strings, not a Literal: a deployment run loads the flow's signature without its imports.
LANDING_MODES = ("seed", "native")
TASK_DEFAULTS: dict[str, Any] = {"persist_result": False, "cache_policy": NO_CACHE}


class RefreshFailed(RuntimeError):
    """A refresh stopped; the published warehouse was left as it was."""

    def __init__(self, step: str, reason: str):
        super().__init__(f"{step}: {reason}")
        self.step = step
        self.reason = reason


# --------------------------------------------------------------------------- summary
@dataclass
class RefreshSummary:
    """What one refresh did, for the command line, the Prefect artifact and the logs."""

    run_id: str
    status: str  # published | unchanged | failed | interrupted
    db_path: str
    reports_dir: str
    changes: dict[str, int] = field(default_factory=dict)  # new/changed/unchanged/removed/duplicate
    reports_total: int = 0
    reports_extracted: int = 0
    quarantined: dict[str, str] = field(default_factory=dict)  # file -> reason
    duplicates: dict[str, str] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)  # entry of the folder not read -> why
    moved_aside: list[str] = field(default_factory=list)  # side files of the warehouse kept under a new name
    warnings: list[str] = field(default_factory=list)  # after publishing: what did not go as planned
    fact_rows: dict[str, int] = field(default_factory=dict)
    steps: dict[str, float] = field(default_factory=dict)
    quality_passed: int | None = None
    quality_failed: int | None = None
    quality_failures: list[str] = field(default_factory=list)
    data_docs: str | None = None
    reason: str | None = None
    flow_run_id: str | None = None

    def changes_line(self) -> str:
        c = self.changes
        return (
            f"{c.get('new', 0)} new, {c.get('changed', 0)} changed, {c.get('removed', 0)} removed, "
            f"{c.get('unchanged', 0)} unchanged"
        )

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def lines(self) -> list[str]:
        head = {
            "published": f"Published {self.db_path}",
            "unchanged": f"Nothing changed: {self.db_path} carried over as it was",
            "failed": f"Refresh FAILED, {self.db_path} left untouched",
            "interrupted": f"Refresh INTERRUPTED, {self.db_path} left untouched",
        }[self.status]
        out = [f"{head} (run {self.run_id})"]
        if self.reason:
            out.append(f"Reason: {self.reason}")
        out.append(
            f"Reports: {self.reports_total} in {self.reports_dir}: {self.changes_line()}; "
            f"extracted {self.reports_extracted}; quarantined {len(self.quarantined)}"
        )
        out += [f"  - {name}: {why.removeprefix(name + ': ')}" for name, why in sorted(self.quarantined.items())]
        out += [f"  - {name}: skipped, same bytes as {first}" for name, first in sorted(self.duplicates.items())]
        out += [f"  - {name}: skipped, {why}" for name, why in sorted(self.skipped.items())]
        out += [
            f"Moved aside (kept): {name}: a file DuckDB would have replayed onto the new warehouse"
            for name in self.moved_aside
        ]
        out += [f"Warning: {w}" for w in self.warnings]
        if self.fact_rows:
            out.append("Rows: " + ", ".join(f"{t} {n}" for t, n in self.fact_rows.items()))
        if self.quality_passed is not None:
            out.append(
                f"Quality checks: {self.quality_passed} passed, {self.quality_failed} failed"
                + (f"; Data Docs: {self.data_docs}" if self.data_docs else "")
            )
            out += [f"  - {m}" for m in self.quality_failures[:20]]
        if self.steps:
            out.append("Time per step: " + ", ".join(f"{s} {t:.1f} s" for s, t in self.steps.items()))
        return out

    def to_text(self) -> str:
        return "\n".join(self.lines())

    def to_markdown(self) -> str:
        md = [f"# jixiao refresh {self.run_id}: **{self.status}**", ""]
        if self.reason:
            md += [f"**Reason:** {self.reason}", ""]
        md += [
            "| | |",
            "|---|---|",
            f"| Warehouse | `{self.db_path}` |",
            f"| Reports folder | `{self.reports_dir}` |",
            f"| Reports | {self.reports_total}: {self.changes_line()} |",
            f"| Extracted this run | {self.reports_extracted} |",
            f"| Quarantined | {len(self.quarantined)} |",
        ]
        if self.quality_passed is not None:
            md.append(f"| Quality checks | {self.quality_passed} passed, {self.quality_failed} failed |")
        if self.data_docs:
            md.append(f"| Data Docs | `{self.data_docs}` |")
        if self.quarantined or self.duplicates:
            md += ["", "## Quarantined and skipped reports", "", "| file | reason |", "|---|---|"]
            md += [f"| {n} | {r.removeprefix(n + ': ')} |" for n, r in sorted(self.quarantined.items())]
            md += [f"| {n} | duplicate of {f} |" for n, f in sorted(self.duplicates.items())]
        if self.skipped:
            md += ["", "## Skipped entries of the folder", "", "| entry | reason |", "|---|---|"]
            md += [f"| {n} | {r} |" for n, r in sorted(self.skipped.items())]
        if self.moved_aside or self.warnings:
            md += ["", "## Notes", ""] + [f"- moved aside (kept): `{n}`" for n in self.moved_aside]
            md += [f"- {w}" for w in self.warnings]
        if self.fact_rows:
            md += ["", "## Rows per table", "", "| table | rows |", "|---|---:|"]
            md += [f"| {t} | {n} |" for t, n in self.fact_rows.items()]
        if self.steps:
            md += ["", "## Time per step", "", "| step | seconds |", "|---|---:|"]
            md += [f"| {s} | {t:.1f} |" for s, t in self.steps.items()]
        if self.quality_failures:
            md += ["", "## Failed quality checks", ""] + [f"- {m}" for m in self.quality_failures]
        return "\n".join(md) + "\n"


# --------------------------------------------------------------------------- helpers
def _utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def new_run_id() -> str:
    return _utcnow().strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6]


def state_dir(db_path: Path) -> Path:
    """``<db dir>/.jixiao``: the extraction cache and failed-run records of this warehouse."""
    return Path(db_path).parent / ".jixiao"


def cache_root(db_path: Path) -> Path:
    return state_dir(db_path) / "cache"


def data_docs_dir(db_path: Path) -> Path:
    return Path(db_path).parent / "data_docs"


def build_fingerprint(extractor: str, landing: str, manifest: Manifest | None = None) -> str:
    """Hash of everything besides the report files that decides the warehouse's contents (manifest.csv included)."""
    from jixiao.warehouse.dbt_runner import PROJECT_DIR

    pkg = Path(__file__).resolve().parents[1]
    paths = [
        PROJECT_DIR / p
        for p in (
            "models",
            "macros",
            "seeds/reference",
            "tests/generic",
            "dbt_project.yml",
            "profiles.yml",
            "expectations",
        )
    ]
    paths += [pkg / "quality", pkg / "warehouse", pkg / "pipeline" / "runs.py"]
    manifest_hash = manifest.content_hash if manifest else "-"
    return fingerprint_paths(paths, salt=f"{extractor}|{landing}|{manifest_hash}")


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


def _as_tuples(files: list[ReportFile]) -> list[tuple[str, Path, str]]:
    return [(f.name, f.path, f.content_hash) for f in files]


def batches_of(items: list, workers: int, max_batch: int = MAX_BATCH) -> list[list]:
    """Split into batches: about four per worker for balance, at most ``max_batch`` each."""
    if not items:
        return []
    size = max(1, min(max_batch, math.ceil(len(items) / (max(1, workers) * 4))))
    return [items[i : i + size] for i in range(0, len(items), size)]


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
            out[table] = con.execute(f'SELECT count(*) FROM "{row[0]}"."{table}"').fetchone()[0]
    return out


@contextmanager
def _timed(steps: dict[str, float], name: str):
    started = time.perf_counter()
    try:
        yield
    finally:
        steps[name] = round(steps.get(name, 0.0) + time.perf_counter() - started, 3)


# --------------------------------------------------------------------------- tasks
@task(name="discover", retries=1, retry_delay_seconds=2, retry_condition_fn=retry_if_transient, **TASK_DEFAULTS)
def discover_task(
    reports_dir: Path, db_path: Path, full_rebuild: bool = False
) -> tuple[list[ReportFile], Changes, dict[str, PublishedFile], str | None, dict[str, str]]:
    """Hash the input files (recursively) and compare them with the files of the published warehouse."""
    found = discover(reports_dir)
    files, duplicates = drop_duplicates(expand_bundles(found.files, state_dir(db_path) / "bundles"))
    logger = get_run_logger()
    try:
        previous, fingerprint = read_published_state(db_path)
    except NotADuckDBFile as exc:
        if not full_rebuild:
            raise RefreshFailed("discover", str(exc)) from exc
        logger.warning("%s; --full: building a new warehouse", exc)
        previous, fingerprint = {}, None
    changes = compare(files, {name: f.content_hash for name, f in previous.items()}, duplicates)
    logger.info("%d report file(s) in %s: %s", len(files), reports_dir, changes.describe())
    return files, changes, previous, fingerprint, found.skipped


@task(name="extract-batch", retries=1, retry_delay_seconds=2, retry_condition_fn=retry_if_transient, **TASK_DEFAULTS)
def extract_batch(files: list[tuple[str, Path, str]], cache_dir: Path, version: str) -> list[CachedReport]:
    """Extract a batch of reports into the cache; returns each report's status (no rows)."""
    results = extract_to_cache(files, ExtractionCache(cache_dir, version))
    quarantined = [r for r in results if r.status != "loaded"]
    get_run_logger().info("extracted %d report(s), %d quarantined", len(results), len(quarantined))
    return [r.meta() for r in results]


@flow(name="jixiao-extract-parallel", persist_result=False)
def extract_in_parallel(batches_file: str, cache_dir: str, version: str) -> list[CachedReport]:
    """Submit every batch listed in ``batches_file`` to this flow's (process-pool) task runner.

    The batches travel in a file, not as parameters: a flow run's parameters are stored by the
    Prefect server, which refuses tens of thousands of file names.
    """
    batches = [
        [(name, Path(path), content_hash) for name, path, content_hash in batch]
        for batch in json.loads(Path(batches_file).read_text(encoding="utf-8"))
    ]
    futures = {extract_batch.submit(b, Path(cache_dir), version): len(b) for b in batches}
    results: list[CachedReport] = []
    for future in as_completed(list(futures)):
        results.extend(future.result())
        progress.reporter().advance(futures[future])
    return results


def write_batches(batches: list[list[tuple[str, Path, str]]], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps([[[n, str(p), h] for n, p, h in b] for b in batches], ensure_ascii=False), encoding="utf-8"
    )
    return path


@task(name="land-seeds", retries=1, retry_delay_seconds=2, retry_condition_fn=retry_if_transient, **TASK_DEFAULTS)
def land_task(
    files: list[tuple[str, Path, str]], cache_dir: Path, version: str, seeds_dir: Path, manifest: Manifest | None = None
) -> tuple[dict[str, int], list[CachedReport]]:
    """Write the landed seeds from the cached lines of every current report (manifest.csv applied)."""
    counts, metas = write_seeds_from_cache(files, ExtractionCache(cache_dir, version), seeds_dir, manifest)
    get_run_logger().info("landed seeds in %s: %s", seeds_dir, ", ".join(f"{k} {v}" for k, v in counts.items()))
    return counts, metas


@task(name="dbt-build", retries=1, retry_delay_seconds=5, retry_condition_fn=retry_if_transient, **TASK_DEFAULTS)
def dbt_build_task(building: Path, landing: str, published: Path | None = None, full_refresh: bool = False):
    """``dbt build`` (seeds, models, tests) into the building file: incrementally from a copy of the
    ``published`` warehouse when it can be (only the changed reports' rows), else in full."""
    from jixiao.warehouse.dbt_runner import build_warehouse

    discard(building)  # a retry starts again
    result = build_warehouse(building, landing_mode=landing, full_refresh=full_refresh, start_from=published)
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


@task(name="quality-gate", **TASK_DEFAULTS)
def quality_gate_task(building: Path, db_path: Path, run_id: str, input_files: list[str], docs_dir: Path):
    """Carry the quality history over, then run the Great Expectations suites on the build."""
    from jixiao.quality import copy_quality_history, run_quality_gate

    with duckdb.connect(str(building)) as con:
        con.execute(PIPELINE_RUNS_DDL)
    try:
        copy_quality_history(db_path, building)
    except NotADuckDBFile as exc:  # only reached with --full (discover refuses it otherwise)
        get_run_logger().warning("no history carried over: %s", exc)
    gate = run_quality_gate(building, run_id, input_files, docs_dir, stage="all")
    logger = get_run_logger()
    logger.info(gate.summary())
    if gate.warnings:
        logger.info("quality warnings:\n%s", gate.warnings_message())
    return gate


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
        record.finished_at = _utcnow()
        insert_runs(con, [*waiting, record])
        ensure_run_log(db_path)
        create_runs_view(con, db_path)
        con.execute("CHECKPOINT")
    return record.fact_rows


def publish_step(
    building: Path, db_path: Path, record: RunRecord, files: list[PublishedFile] | None, summary: RefreshSummary, logger
) -> dict[str, int]:
    """Record the run in the build, rename it over the published file, then tidy up.

    Only the recording (idempotent) is retried.  The rename runs once and is not interrupted by
    a signal; nothing after it can replace or fail the published warehouse: a problem there is
    a warning of the summary.
    """
    interrupt.check()
    waiting = pending_failed_runs(db_path, current_run=record.run_id)
    fact_rows = record_run_task(building, db_path, record, files, waiting)
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
    return fact_rows


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


# --------------------------------------------------------------------------- the flow
def _extract(todo: list[ReportFile], cache_dir: Path, version: str, workers: int, run_id: str) -> list[CachedReport]:
    """Extract the files missing from the cache: inline for few, in a process pool for many."""
    rep = progress.reporter()
    rep.start_items(len(todo), "extracting")
    try:
        items = _as_tuples(todo)
        weight = sum(HEAVY_SUFFIX_WEIGHT.get(f.path.suffix.lower(), 1) for f in todo)
        if workers > 1 and weight >= PARALLEL_MIN_REPORTS:
            runner = ProcessPoolTaskRunner(max_workers=workers)
            batches_file = write_batches(batches_of(items, workers), cache_dir.parent / f"batches-{run_id}.json")
            try:
                with _api_visible_to_workers():
                    return extract_in_parallel.with_options(task_runner=runner)(
                        str(batches_file), str(cache_dir), version
                    )
            finally:
                batches_file.unlink(missing_ok=True)
        results: list[CachedReport] = []
        for batch in batches_of(items, 1, max_batch=25):
            results.extend(extract_batch(batch, cache_dir, version))
            rep.advance(len(batch))
        return results
    finally:
        rep.finish_items()


@contextmanager
def _api_visible_to_workers():
    """In Prefect's ephemeral mode, name the temporary server in the settings worker processes inherit.

    Otherwise each worker process would start a temporary server of its own (seconds each).
    """
    from jixiao.pipeline.settings import configured_api_url

    if configured_api_url():
        yield
        return
    from prefect.server.api.server import SubprocessASGIServer
    from prefect.settings import PREFECT_API_URL, temporary_settings

    server = SubprocessASGIServer()
    if not server.running:
        yield
        return
    with temporary_settings({PREFECT_API_URL: server.api_url}):
        yield


def _project_build_lock() -> WarehouseLock:
    """The dbt project's ``seeds/landed`` and ``target/`` serve one build at a time."""
    from jixiao.warehouse.dbt_runner import PROJECT_DIR

    return WarehouseLock(PROJECT_DIR / "target" / ".jixiao-build.lock")


def _acquire_waiting(lock: WarehouseLock, timeout_s: float = 3600) -> None:
    from jixiao.warehouse.publish import RefreshLocked

    deadline = time.monotonic() + timeout_s
    while True:
        try:
            lock.acquire()
            return
        except RefreshLocked:
            if time.monotonic() > deadline:
                raise
            time.sleep(1)


@flow(name="jixiao-refresh", persist_result=False, log_prints=True)
def refresh(
    reports_dir: str,
    db_path: str,
    landing: str = "seed",
    workers: int | None = None,
    full_rebuild: bool = False,
) -> dict[str, Any]:
    """Build the warehouse ``db_path`` from the reports in ``reports_dir`` and publish it atomically.

    ``landing``: ``seed`` (dbt seed) or ``native`` (DuckDB read_csv).  Only reports not seen
    before (by content) are extracted.  ``full_rebuild`` rebuilds even when nothing changed.
    Returns the run summary; raises :class:`RefreshFailed` (the published warehouse left
    untouched) when a step fails.
    """
    import os

    _last_published.clear()
    interrupt.reclaim()
    if landing not in LANDING_MODES:
        raise RefreshFailed("parameters", f"landing must be one of {', '.join(LANDING_MODES)}, not {landing!r}")
    logger = get_run_logger()
    reports = Path(reports_dir).expanduser().resolve()
    db = Path(db_path).expanduser().resolve()
    workers = workers or os.cpu_count() or 1
    run_id = new_run_id()
    rep = progress.reporter()
    steps: dict[str, float] = {}
    record = RunRecord(
        run_id=run_id,
        started_at=_utcnow(),
        reports_dir=str(reports),
        landing_mode=landing,
        flow_run_id=str(current_flow_run.id) if current_flow_run.id else None,
    )
    summary = RefreshSummary(
        run_id=run_id,
        status="failed",
        db_path=str(db),
        reports_dir=str(reports),
        data_docs=None,
        flow_run_id=record.flow_run_id,
    )
    building = building_path(db, run_id)
    lock = WarehouseLock(lock_path(db))
    step = "lock"
    try:
        lock.acquire()
    except Exception as exc:
        raise RefreshFailed("lock", str(exc)) from exc
    heartbeat = Heartbeat(db, record)
    try:
        try:
            heartbeat.__enter__()
        except OSError as exc:
            logger.warning("could not write the run log: %s", exc)
        for stale in stale_building_files(db):
            logger.warning("removing %s left by an interrupted refresh", stale.name)
            discard(stale)

        step = "discover"
        interrupt.check()
        rep.step(1, len(STEPS), "discover", f"hashing the files in {reports}")
        with _timed(steps, "discover"):
            files, changes, previous, previous_fingerprint, skipped = discover_task(reports, db, full_rebuild)
        summary.skipped = skipped
        for name, why in skipped.items():
            logger.warning("skipped %s: %s", name, why)
        if not files:
            raise RefreshFailed("discover", f"no report files in {reports}; nothing to build")
        try:
            manifest = read_manifest(reports)
        except (ManifestError, OSError) as exc:
            raise RefreshFailed("discover", str(exc)) from exc
        if manifest:
            unknown = sorted(set(manifest.entries) - {f.name for f in files} - set(changes.duplicates))
            if unknown:
                logger.warning("%s lists file(s) not in the folder: %s", manifest.path, ", ".join(unknown[:10]))
        cache = ExtractionCache(cache_root(db))
        for f in files:
            if f.unreadable and not cache.has(f.content_hash):
                quarantine_to_cache(f.name, f.content_hash, f"{f.name}: {f.unreadable}", cache)
        fingerprint = build_fingerprint(cache.version, landing, manifest)
        record.build_fingerprint = fingerprint
        _fill_changes(record, summary, files, changes)
        rep.step(1, len(STEPS), "discover", changes.describe())

        if not changes.any and db.exists() and previous_fingerprint == fingerprint and not full_rebuild:
            heartbeat.__exit__(None, None, None)
            return _carry_over(db, building, record, summary, previous, steps, logger)

        step = "extract"
        interrupt.check()
        todo = [f for f in files if not cache.has(f.content_hash)]
        rep.step(2, len(STEPS), "extract", f"{len(todo)} report(s) to extract, {len(files) - len(todo)} cached")
        with _timed(steps, "extract"):
            extracted = _extract(todo, cache.root, cache.version, workers, run_id) if todo else []
        record.reports_extracted = summary.reports_extracted = len(extracted)

        from jixiao.warehouse.dbt_runner import DEFAULT_SEEDS_DIR

        project_lock = _project_build_lock()
        step = "land"
        interrupt.check()
        rep.step(3, len(STEPS), "land", "writing the landed seeds")
        _acquire_waiting(project_lock)
        try:
            with _timed(steps, "land"):
                _, metas = land_task(_as_tuples(files), cache.root, cache.version, DEFAULT_SEEDS_DIR, manifest)
            record.reports_extracted = summary.reports_extracted = len(extracted) + sum(m.extracted for m in metas)
            summary.quarantined = {
                m.source_file: m.status_reason or "quarantined" for m in metas if m.status != "loaded"
            }
            record.reports_quarantined = len(summary.quarantined)

            step = "dbt_build"
            interrupt.check()
            rep.step(4, len(STEPS), "dbt build", f"{landing} landing into {building.name}")
            with _timed(steps, "dbt_build"):
                dbt_build_task(building, landing, db, full_rebuild)
        finally:
            project_lock.release()

        step = "quality_gate"
        interrupt.check()
        rep.step(5, len(STEPS), "quality gate", "Great Expectations suites")
        with _timed(steps, "quality_gate"):
            gate = quality_gate_task(building, db, run_id, [f.name for f in files], data_docs_dir(db))
        failed = [o for o in gate.results if not o.success]
        record.quality_checks_passed = summary.quality_passed = len(gate.results) - len(failed)
        record.quality_checks_failed = summary.quality_failed = len(failed)
        record.quality_failures = summary.quality_failures = [
            o.message if o.message.startswith("[") else f"[{o.severity}] {o.message}" for o in failed
        ]
        summary.data_docs = str(gate.docs_path) if gate.docs_path else None
        if not gate.passed:
            raise RefreshFailed("quality_gate", gate.failures_message().replace("\n", " "))

        step = "publish"
        interrupt.check()
        rep.step(6, len(STEPS), "publish", f"{building.name} → {db.name}")
        record.status = summary.status = "published"
        record.step_seconds = steps
        published_files = [
            PublishedFile(m.source_file, m.content_hash, m.file_format, m.status, m.status_reason) for m in metas
        ]
        published_files += [PublishedFile(name, "", None, "skipped", why) for name, why in skipped.items()]
        heartbeat.__exit__(None, None, None)
        with interrupt.publishing():  # from here on a signal waits for the end of the run
            with _timed(steps, "publish"):
                summary.fact_rows = publish_step(building, db, record, published_files, summary, logger)
            _published(summary)
            try:
                cache.prune_other_versions()
            except OSError as exc:
                summary.warnings.append(f"published, but could not prune the cache: {exc}")
            summary.steps = steps
            _announce(summary, logger)
            return summary.to_dict()
    except (Exception, interrupt.Interrupted) as exc:
        heartbeat.__exit__(None, None, None)
        discard(building)
        signum = exc.signum if isinstance(exc, interrupt.Interrupted) else interrupt.received()
        if signum:
            import signal as _signal

            reason = f"interrupted by {_signal.Signals(signum).name}"
            record.status = summary.status = "interrupted"
        else:
            reason = exc.reason if isinstance(exc, RefreshFailed) else f"{type(exc).__name__}: {_shorten(str(exc))}"
            record.status = summary.status = "failed"
        record.status_reason = summary.reason = f"{step}: {reason}"
        record.finished_at = _utcnow()
        record.step_seconds = summary.steps = steps
        try:
            remember_failed_run(db, record)
        except OSError as err:  # the failure itself must still be reported
            logger.warning("could not keep the failed run's record: %s", err)
        with suppress(Exception):
            _announce(summary, logger)
        if isinstance(exc, RefreshFailed) and not signum:
            raise
        raise RefreshFailed(step, reason) from exc
    finally:
        heartbeat.__exit__(None, None, None)
        lock.release()


_last_published: dict[str, Any] = {}


def _published(summary: RefreshSummary) -> None:
    """Keep the summary of a publish in this process: the command line reports it even when the
    Prefect API fails after the warehouse was published."""
    _last_published.clear()
    _last_published.update(summary.to_dict())


def last_published(db_path: Path | str | None = None) -> dict[str, Any] | None:
    """The summary of this process's last publish (of ``db_path``, when given)."""
    if not _last_published or (db_path is not None and _last_published.get("db_path") != str(db_path)):
        return None
    return dict(_last_published)


def _shorten(text: str, limit: int = 500) -> str:
    return text if len(text) <= limit else text[:limit] + f"… ({len(text) - limit} more characters)"


def _fill_changes(record: RunRecord, summary: RefreshSummary, files: list[ReportFile], changes: Changes) -> None:
    record.reports_total = summary.reports_total = len(files)
    record.reports_new, record.reports_changed = len(changes.new), len(changes.changed)
    record.reports_unchanged, record.reports_removed = len(changes.unchanged), len(changes.removed)
    record.reports_duplicate = len(changes.duplicates)
    record.reports_extracted = 0
    summary.duplicates = dict(changes.duplicates)
    summary.changes = {
        "new": len(changes.new),
        "changed": len(changes.changed),
        "removed": len(changes.removed),
        "unchanged": len(changes.unchanged),
        "duplicate": len(changes.duplicates),
    }


def _carry_over(
    db: Path,
    building: Path,
    record: RunRecord,
    summary: RefreshSummary,
    previous: dict[str, PublishedFile],
    steps: dict[str, float],
    logger,
) -> dict[str, Any]:
    """Nothing changed: publish a copy of the warehouse that only adds this run's record."""
    progress.reporter().step(6, len(STEPS), "publish", "no changes: carrying the published warehouse over")
    summary.quarantined = {
        f.source_file: f.status_reason or "quarantined" for f in previous.values() if f.status != "loaded"
    }
    record.reports_quarantined = len(summary.quarantined)
    record.status = summary.status = "unchanged"
    record.status_reason = "no input or code changed since the last publish; build skipped"
    summary.data_docs = str(data_docs_dir(db) / "index.html") if (data_docs_dir(db) / "index.html").exists() else None
    with _timed(steps, "publish"):
        copy_published(db, building)
        record.step_seconds = steps
        summary.fact_rows = publish_step(building, db, record, None, summary, logger)
    with interrupt.publishing():
        _published(summary)
        summary.steps = steps
        _announce(summary, logger)
        return summary.to_dict()


def _announce(summary: RefreshSummary, logger) -> None:
    """Log the summary and keep it as the flow run's markdown artifact."""
    (logger.error if summary.status == "failed" else logger.info)(summary.to_text())
    try:
        create_markdown_artifact(
            markdown=summary.to_markdown(),
            key=ARTIFACT_KEY,
            description=f"jixiao refresh {summary.run_id}: {summary.status}",
        )
    except Exception as exc:
        logger.warning("could not create the summary artifact: %s", exc)


# --------------------------------------------------------------------------- scheduling
def schedule_parameters(
    reports_dir: str, db_path: str, landing: str = "seed", workers: int | None = None
) -> dict[str, Any]:
    params: dict[str, Any] = {"reports_dir": reports_dir, "db_path": db_path, "landing": landing}
    if workers:
        params["workers"] = workers
    return params


def serve(
    name: str,
    cron: str,
    reports_dir: str,
    db_path: str,
    landing: str = "seed",
    workers: int | None = None,
    timezone: str | None = None,
) -> None:
    """Create the deployment ``jixiao-refresh/<name>`` with a cron schedule and run its refreshes until stopped.

    The schedule is not paused when this process stops (``pause_on_shutdown=False``), so it
    survives restarts of the server and of this process; runs never overlap (``limit=1``).
    """
    from prefect.schedules import Cron

    refresh.serve(
        name=name,
        schedules=[Cron(cron, timezone=timezone)],
        parameters=schedule_parameters(reports_dir, db_path, landing, workers),
        description="Refresh the jixiao warehouse from a folder of reports.",
        tags=["jixiao"],
        pause_on_shutdown=False,
        limit=1,
    )
