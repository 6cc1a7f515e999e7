"""The Prefect 3 flow ``refresh``: reports folder → published DuckDB warehouse.

The flow body is the list of steps, one function each:

1. :func:`discover_step` hashes every file and compares it with the published build;
   when neither the files nor the code changed, :func:`carry_over` publishes the warehouse as it
   was with one more ``pipeline_runs`` row, and the run ends there;
2. :func:`extract_step` extracts only the files not in the cache (:mod:`jixiao.pipeline.extraction`);
3. :func:`land_step` writes the landed seeds from the cached lines;
4. :func:`dbt_build_step` builds into ``<db>.building-<run_id>`` (incrementally from the published
   warehouse unless ``full_rebuild``);
5. :func:`quality_gate_step` runs the Great Expectations gate;
6. :func:`publish_step` renames the build over the published file (``os.replace``).

Any failure leaves the published warehouse untouched (:func:`_guarded_run`); every run is in the
run log beside the warehouse from its start (``pipeline_runs`` shows it at once, see
:mod:`jixiao.pipeline.runs`).  SIGINT/SIGTERM stop a run before the publish, never during it
(:mod:`jixiao.pipeline.interrupt`).
"""

from __future__ import annotations

from jixiao.pipeline.settings import configure_prefect

configure_prefect()

import os  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from contextlib import contextmanager, suppress  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

from prefect import flow, get_run_logger  # noqa: E402
from prefect.runtime import flow_run as current_flow_run  # noqa: E402

from jixiao.landing.manifest import Manifest, ManifestError, read_manifest  # noqa: E402
from jixiao.pipeline import interrupt, progress  # noqa: E402
from jixiao.pipeline.cache import ExtractionCache, fingerprint_paths, quarantine_to_cache  # noqa: E402
from jixiao.pipeline.discover import Changes, ReportFile  # noqa: E402
from jixiao.pipeline.extraction import as_items, dask_address_setting, extract_reports  # noqa: E402
from jixiao.pipeline.paths import (  # noqa: E402
    building_path,
    cache_root,
    data_docs_dir,
    lock_path,
    project_build_lock_path,
)
from jixiao.pipeline.runs import Heartbeat, PublishedFile, RunRecord, remember_failed_run  # noqa: E402
from jixiao.pipeline.summary import RefreshSummary  # noqa: E402
from jixiao.pipeline.tasks import (  # noqa: E402
    RefreshFailed,
    dbt_build_task,
    discover_task,
    land_task,
    publish_build,
    quality_gate_task,
    utcnow,
)
from jixiao.warehouse.publish import WarehouseLock, copy_published, discard, stale_building_files  # noqa: E402

__all__ = ["ARTIFACT_KEY", "LANDING_MODES", "RefreshFailed", "RefreshSummary", "last_published", "refresh"]

STEPS = ("discover", "extract", "land", "dbt_build", "quality_gate", "publish")
_STEP_TITLES = {"dbt_build": "dbt build", "quality_gate": "quality gate"}
ARTIFACT_KEY = "jixiao-refresh-summary"
# Plain strings, not a Literal: a deployment run loads the flow's signature without its imports.
LANDING_MODES = ("seed", "native")


def new_run_id() -> str:
    return utcnow().strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6]


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


# --------------------------------------------------------------------------- one run
@dataclass
class Run:
    """One refresh in progress: its parameters, its summary (and run record) and where it builds."""

    reports: Path
    db: Path
    landing: str
    workers: int
    full_rebuild: bool
    dask_address: str | None
    summary: RefreshSummary
    building: Path
    logger: Any
    step: str = "lock"

    @property
    def record(self) -> RunRecord:
        return self.summary.record

    @contextmanager
    def stage(self, name: str, detail: str) -> Iterator[None]:
        """Enter step ``name``: stop here if a signal came, show it, and time it into the run record."""
        self.step = name
        interrupt.check()
        progress.reporter().step(STEPS.index(name) + 1, len(STEPS), _STEP_TITLES.get(name, name), detail)
        started = time.perf_counter()
        try:
            yield
        finally:
            seconds = self.record.step_seconds
            seconds[name] = round(seconds.get(name, 0.0) + time.perf_counter() - started, 3)


@dataclass
class Discovered:
    """What :func:`discover_step` found."""

    files: list[ReportFile]
    changes: Changes
    previous: dict[str, PublishedFile]
    manifest: Manifest | None
    cache: ExtractionCache
    unchanged: bool  # no file and no code changed since the last publish


def _new_run(
    reports_dir: str, db_path: str, landing: str, workers: int | None, full_rebuild: bool, dask_address: str | None
) -> Run:
    if landing not in LANDING_MODES:
        raise RefreshFailed("parameters", f"landing must be one of {', '.join(LANDING_MODES)}, not {landing!r}")
    reports = Path(reports_dir).expanduser().resolve()
    db = Path(db_path).expanduser().resolve()
    run_id = new_run_id()
    record = RunRecord(
        run_id=run_id,
        started_at=utcnow(),
        reports_dir=str(reports),
        landing_mode=landing,
        flow_run_id=str(current_flow_run.id) if current_flow_run.id else None,
    )
    return Run(
        reports=reports,
        db=db,
        landing=landing,
        workers=workers or os.cpu_count() or 1,
        full_rebuild=full_rebuild,
        dask_address=dask_address_setting(dask_address),
        summary=RefreshSummary(record=record, db_path=str(db)),
        building=building_path(db, run_id),
        logger=get_run_logger(),
    )


# --------------------------------------------------------------------------- the steps
def discover_step(run: Run) -> Discovered:
    """Hash the files, read manifest.csv, quarantine unreadable files, and decide whether anything changed."""
    with run.stage("discover", f"hashing the files in {run.reports}"):
        files, changes, previous, previous_fingerprint, skipped = discover_task(run.reports, run.db, run.full_rebuild)
        run.summary.skipped = skipped
        for name, why in skipped.items():
            run.logger.warning("skipped %s: %s", name, why)
        if not files:
            raise RefreshFailed("discover", f"no report files in {run.reports}; nothing to build")
        try:
            manifest = read_manifest(run.reports)
        except (ManifestError, OSError) as exc:
            raise RefreshFailed("discover", str(exc)) from exc
        if manifest:
            unknown = sorted(set(manifest.entries) - {f.name for f in files} - set(changes.duplicates))
            if unknown:
                run.logger.warning("%s lists file(s) not in the folder: %s", manifest.path, ", ".join(unknown[:10]))
        cache = ExtractionCache(cache_root(run.db))
        for f in files:
            if f.unreadable and not cache.has(f.content_hash):
                quarantine_to_cache(f.name, f.content_hash, f"{f.name}: {f.unreadable}", cache)
        run.record.build_fingerprint = build_fingerprint(cache.version, run.landing, manifest)
        _count_changes(run, files, changes)
        progress.reporter().step(1, len(STEPS), "discover", changes.describe())
    unchanged = (
        not changes.any
        and run.db.exists()
        and previous_fingerprint == run.record.build_fingerprint
        and not run.full_rebuild
    )
    return Discovered(files, changes, previous, manifest, cache, unchanged)


def _count_changes(run: Run, files: list[ReportFile], changes: Changes) -> None:
    record = run.record
    record.reports_total = len(files)
    record.reports_new, record.reports_changed = len(changes.new), len(changes.changed)
    record.reports_unchanged, record.reports_removed = len(changes.unchanged), len(changes.removed)
    record.reports_extracted = 0
    run.summary.set_duplicates(changes.duplicates)


def extract_step(run: Run, found: Discovered) -> None:
    """Extract the files not in the cache into it."""
    cache = found.cache
    todo = [f for f in found.files if not cache.has(f.content_hash)]
    where = f" on Dask ({run.dask_address})" if run.dask_address and todo else ""
    with run.stage("extract", f"{len(todo)} report(s) to extract{where}, {len(found.files) - len(todo)} cached"):
        statuses = extract_reports(todo, cache.root, cache.version, run.workers, run.record.run_id, run.dask_address)
    run.record.reports_extracted = len(statuses)


def land_step(run: Run, found: Discovered) -> list[PublishedFile]:
    """Write the landed seeds of every current report from the cache; returns each file's status.

    The seeds are written report by report from the cache (no report's rows stay in memory);
    only each file's status is kept, for ``pipeline_files``.
    """
    from jixiao.warehouse.dbt_runner import DEFAULT_SEEDS_DIR

    cache = found.cache
    with run.stage("land", "writing the landed seeds"):
        _, metas = land_task(as_items(found.files), cache.root, cache.version, DEFAULT_SEEDS_DIR, found.manifest)
    run.record.reports_extracted = (run.record.reports_extracted or 0) + sum(m.extracted for m in metas)
    files = [PublishedFile(m.source_file, m.content_hash, m.file_format, m.status, m.status_reason) for m in metas]
    del metas
    run.summary.set_quarantined(
        {f.source_file: f.status_reason or "quarantined" for f in files if f.status != "loaded"}
    )
    return files


def dbt_build_step(run: Run) -> None:
    """``dbt build`` into the building file: incremental from the published warehouse unless a full rebuild."""
    start_from = run.db if run.db.exists() and not run.full_rebuild else None
    with run.stage("dbt_build", f"{run.landing} landing into {run.building.name}"):
        dbt_build_task(run.building, run.landing, run.full_rebuild, start_from)


def quality_gate_step(run: Run, found: Discovered) -> None:
    """Great Expectations on the build; a critical failure stops the refresh."""
    record = run.record
    with run.stage("quality_gate", "Great Expectations suites"):
        gate = quality_gate_task(
            run.building, run.db, record.run_id, [f.name for f in found.files], data_docs_dir(run.db)
        )
    failed = [o for o in gate.results if not o.success]
    record.quality_checks_passed = len(gate.results) - len(failed)
    record.quality_checks_failed = len(failed)
    record.quality_failures = [
        o.message if o.message.startswith("[") else f"[{o.severity}] {o.message}" for o in failed
    ]
    run.summary.data_docs = str(gate.docs_path) if gate.docs_path else None
    if not gate.passed:
        raise RefreshFailed("quality_gate", gate.failures_message().replace("\n", " "))


def publish_step(run: Run, landed: list[PublishedFile], heartbeat: Heartbeat) -> dict[str, Any]:
    """Record the run in the build and rename it over the published warehouse."""
    run.record.status = "published"
    files = landed + [PublishedFile(name, "", None, "skipped", why) for name, why in run.summary.skipped.items()]
    heartbeat.__exit__(None, None, None)
    with interrupt.publishing():  # from here on a signal waits for the end of the run
        with run.stage("publish", f"{run.building.name} → {run.db.name}"):
            publish_build(run.building, run.db, run.summary, files, run.logger)
        return _finish(run, prune_cache=True)


def carry_over(run: Run, found: Discovered, heartbeat: Heartbeat) -> dict[str, Any]:
    """Nothing changed: publish a copy of the warehouse that only adds this run's record."""
    run.summary.set_quarantined(
        {f.source_file: f.status_reason or "quarantined" for f in found.previous.values() if f.status != "loaded"}
    )
    run.record.status = "unchanged"
    run.record.status_reason = "no input or code changed since the last publish; build skipped"
    docs = data_docs_dir(run.db) / "index.html"
    run.summary.data_docs = str(docs) if docs.exists() else None
    heartbeat.__exit__(None, None, None)
    with run.stage("publish", "no changes: carrying the published warehouse over"):
        copy_published(run.db, run.building)
        publish_build(run.building, run.db, run.summary, None, run.logger)
    with interrupt.publishing():
        return _finish(run, prune_cache=False)


def _finish(run: Run, prune_cache: bool) -> dict[str, Any]:
    """After a publish: keep the summary, prune old cache versions (after a build), announce."""
    _published(run.summary)
    if prune_cache:
        try:
            ExtractionCache(cache_root(run.db)).prune_other_versions()
        except OSError as exc:
            run.summary.warnings.append(f"published, but could not prune the cache: {exc}")
    _announce(run.summary, run.logger)
    return run.summary.to_dict()


# --------------------------------------------------------------------------- the flow
@flow(name="jixiao-refresh", persist_result=False, log_prints=True)
def refresh(
    reports_dir: str,
    db_path: str,
    landing: str = "seed",
    workers: int | None = None,
    full_rebuild: bool = False,
    dask_address: str | None = None,
) -> dict[str, Any]:
    """Build the warehouse ``db_path`` from the reports in ``reports_dir`` and publish it atomically.

    ``landing``: ``seed`` (dbt seed) or ``native`` (DuckDB read_csv).  Only reports not seen
    before (by content) are extracted.  ``full_rebuild`` rebuilds every model even when nothing
    changed.  ``dask_address``: extract on this Dask scheduler (``local``: a LocalCluster of
    ``workers`` processes; default ``$JIXIAO_DASK_ADDRESS``, else a local process pool).
    Returns the run summary; raises :class:`RefreshFailed` (the published warehouse left
    untouched) when a step fails.
    """
    _last_published.clear()
    interrupt.reclaim()
    run = _new_run(reports_dir, db_path, landing, workers, full_rebuild, dask_address)
    with _guarded_run(run) as heartbeat:
        found = discover_step(run)
        if found.unchanged:
            return carry_over(run, found, heartbeat)
        extract_step(run, found)
        with _project_build_lock():  # seeds/landed and target/ of the dbt project serve one build at a time
            landed = land_step(run, found)
            dbt_build_step(run)
        quality_gate_step(run, found)
        return publish_step(run, landed, heartbeat)
    raise AssertionError("unreachable: the guarded run returns or raises")


@contextmanager
def _guarded_run(run: Run) -> Iterator[Heartbeat]:
    """Hold the warehouse lock and beat the run log; on any failure discard the build, record why, raise."""
    lock = WarehouseLock(lock_path(run.db))
    try:
        lock.acquire()
    except Exception as exc:
        raise RefreshFailed("lock", str(exc)) from exc
    heartbeat = Heartbeat(run.db, run.record)
    try:
        try:
            heartbeat.__enter__()
        except OSError as exc:
            run.logger.warning("could not write the run log: %s", exc)
        for stale in stale_building_files(run.db):
            run.logger.warning("removing %s left by an interrupted refresh", stale.name)
            discard(stale)
        yield heartbeat
    except (Exception, interrupt.Interrupted) as exc:
        heartbeat.__exit__(None, None, None)
        discard(run.building)
        reason = _record_failure(run, exc)
        with suppress(Exception):
            _announce(run.summary, run.logger)
        if isinstance(exc, RefreshFailed) and run.record.status == "failed":
            raise
        raise RefreshFailed(run.step, reason) from exc
    finally:
        heartbeat.__exit__(None, None, None)
        lock.release()


def _record_failure(run: Run, exc: BaseException) -> str:
    """Fill the record of a run that stopped and keep it in the run log; returns the reason."""
    record = run.record
    signum = exc.signum if isinstance(exc, interrupt.Interrupted) else interrupt.received()
    if signum:
        import signal

        reason = f"interrupted by {signal.Signals(signum).name}"
        record.status = "interrupted"
    else:
        reason = exc.reason if isinstance(exc, RefreshFailed) else f"{type(exc).__name__}: {_shorten(str(exc))}"
        record.status = "failed"
    record.status_reason = f"{run.step}: {reason}"
    record.finished_at = utcnow()
    try:
        remember_failed_run(run.db, record)
    except OSError as err:  # the failure itself must still be reported
        run.logger.warning("could not keep the failed run's record: %s", err)
    return reason


@contextmanager
def _project_build_lock(timeout_s: float = 3600) -> Iterator[None]:
    """Wait for the dbt project's build lock (another warehouse's refresh may be building)."""
    from jixiao.warehouse.publish import RefreshLocked

    lock = WarehouseLock(project_build_lock_path())
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            lock.acquire()
            break
        except RefreshLocked:
            if time.monotonic() > deadline:
                raise
            time.sleep(1)
    try:
        yield
    finally:
        lock.release()


def _shorten(text: str, limit: int = 500) -> str:
    return text if len(text) <= limit else text[:limit] + f"… ({len(text) - limit} more characters)"


# --------------------------------------------------------------------------- the outcome
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


def _announce(summary: RefreshSummary, logger) -> None:
    """Log the summary and keep it as the flow run's markdown artifact."""
    from prefect.artifacts import create_markdown_artifact

    (logger.error if summary.status == "failed" else logger.info)(summary.to_text())
    try:
        create_markdown_artifact(
            markdown=summary.to_markdown(),
            key=ARTIFACT_KEY,
            description=f"jixiao refresh {summary.run_id}: {summary.status}",
        )
    except Exception as exc:
        logger.warning("could not create the summary artifact: %s", exc)
