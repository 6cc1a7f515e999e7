"""The quality gate: the suites in ``expectations/`` run by Great Expectations over the built warehouse.

Route: every table is read once as a pandas frame through a read-only DuckDB connection and
validated by one GX validation definition on a pandas data source of an ephemeral context
(GX 1.24 over DuckDB via SQLAlchemy fails every expectation).  Results go to the outcomes
returned, to Data Docs HTML in ``docs_dir`` and to the ``quality_runs`` table of the database.
"""

from __future__ import annotations

import logging
import os
import shutil
import warnings
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import duckdb
import pandas as pd

from .frames import ReportLookup, locate_table, read_frame
from .history import write_quality_runs
from .offline_docs import make_docs_offline
from .results import MAX_LISTED, ExpectationOutcome, GateResult
from .suites import (
    SuiteFileError,
    SuiteSpec,
    TableSpec,
    default_suites_dir,
    load_suite,
    load_vocabularies,
    to_gx_expectation,
)

Stage = Literal["landed", "published", "all"]
STAGES: dict[str, tuple[str, ...]] = {
    "landed": ("landed",),
    "published": ("published",),
    "all": ("landed", "published"),
}
DOCS_SITE = "jixiao_quality"

TELEMETRY_OFF = {
    "GX_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
}

log = logging.getLogger(__name__)


def _import_gx():
    """Import Great Expectations with its analytics switched off first."""
    for key, value in TELEMETRY_OFF.items():
        os.environ[key] = value
    import great_expectations as gx

    return gx


def load_stage_suites(stage: Stage, suites_dir: Path | None = None) -> list[SuiteSpec]:
    """The suite files a stage runs: ``<suites_dir>/<suite>.yml`` for each suite of the stage."""
    if stage not in STAGES:
        raise ValueError(f"stage must be one of {sorted(STAGES)}, not {stage!r}")
    suites_dir = suites_dir or default_suites_dir()
    vocabularies = load_vocabularies(suites_dir)
    return [load_suite(suites_dir / f"{name}.yml", vocabularies) for name in STAGES[stage]]


def run_quality_gate(
    db_path: Path,
    run_id: str,
    input_files: list[str],
    docs_dir: Path,
    stage: Stage = "all",
    suites_dir: Path | None = None,
) -> GateResult:
    """Validate the DuckDB file ``db_path`` against the stage's suites.

    ``input_files`` are the file names of this run's input folder: each must appear in the
    report tables. Writes Data Docs to ``docs_dir`` and appends the outcomes to ``quality_runs``
    in ``db_path`` (so nothing else may hold the file open for writing meanwhile).
    """
    db_path = Path(db_path)
    if not db_path.exists():
        raise FileNotFoundError(f"quality gate: database {db_path} does not exist")
    suites = load_stage_suites(stage, suites_dir)
    run_at = datetime.now(UTC).replace(tzinfo=None)
    parameters = {"input_files": sorted(set(input_files)), "current_year": run_at.year}

    frames, lookup, outcomes = _read_frames(db_path, suites)
    gx = _import_gx()
    context = _ephemeral_context(gx, Path(docs_dir))
    source = context.data_sources.add_pandas("jixiao_duckdb")
    for suite in suites:
        for table in suite.tables:
            frame = frames.get((suite.name, table.name))
            if frame is None:
                continue
            outcomes.extend(_validate_table(gx, context, source, suite, table, frame, parameters, lookup))

    docs_path = _build_docs(context, Path(docs_dir))
    if docs_path is not None:
        docs_path = make_docs_offline(Path(docs_dir), outcomes, run_id)
    write_quality_runs(db_path, run_id, run_at, outcomes)
    result = GateResult(run_id=run_id, stage=stage, results=outcomes, docs_path=docs_path)
    log.info(result.summary())
    return result


def _read_frames(db_path: Path, suites: list[SuiteSpec]):
    """One frame per (suite, table); a table missing from the database is a critical outcome."""
    frames: dict[tuple[str, str], pd.DataFrame] = {}
    outcomes: list[ExpectationOutcome] = []
    lookup = ReportLookup()
    with _connect_for_reading(db_path) as con:
        for report_table in ("landed_reports", "dim_report"):
            qualified = locate_table(con, report_table, None)
            if qualified:
                lookup.add_reports(con, qualified)
        for suite in suites:
            report_table = locate_table(con, suite.report_table, suite.schema) if suite.report_table else None
            for table in suite.tables:
                qualified = locate_table(con, table.name, suite.schema)
                if qualified is None:
                    outcomes.append(_missing_table_outcome(suite, table, db_path))
                    continue
                frames[(suite.name, table.name)] = read_frame(con, qualified, report_table)
    return frames, lookup, outcomes


def _connect_for_reading(db_path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection; if this process already holds the file open read-write (dbt run
    in-process keeps its connection), DuckDB refuses a second configuration, so share that one."""
    try:
        return duckdb.connect(str(db_path), read_only=True)
    except duckdb.ConnectionException as exc:
        if "different configuration" not in str(exc):
            raise
        log.info("quality gate: %s is already open read-write in this process; reading through it", db_path)
        return duckdb.connect(str(db_path))


def _missing_table_outcome(suite: SuiteSpec, table: TableSpec, db_path: Path) -> ExpectationOutcome:
    return ExpectationOutcome(
        suite=suite.name,
        table=table.name,
        expectation="expect_table_to_exist",
        severity="critical",
        success=False,
        description="The table the suite checks exists in the warehouse.",
        message=f"{suite.name}/{table.name}: table {table.name} is missing from {db_path.name} "
        f"(its {len(table.expectations)} expectations could not run)",
    )


def _ephemeral_context(gx, docs_dir: Path):
    """An in-memory GX context whose only Data Docs site writes to ``docs_dir``; no analytics, no progress bars."""
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )

    docs_dir.mkdir(parents=True, exist_ok=True)
    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
        data_docs_sites={
            DOCS_SITE: {
                "class_name": "SiteBuilder",
                "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(docs_dir)},
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            }
        },
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False),
    )
    return gx.get_context(project_config=config, mode="ephemeral")


def _validate_table(
    gx,
    context,
    source,
    suite: SuiteSpec,
    table: TableSpec,
    frame: pd.DataFrame,
    parameters: dict[str, Any],
    lookup: ReportLookup,
) -> list[ExpectationOutcome]:
    """Run one table's expectations as one GX validation over one batch."""
    name = f"{suite.name}.{table.name}"
    gx_suite = gx.ExpectationSuite(name=name)
    for spec in table.expectations:
        try:
            gx_suite.add_expectation(to_gx_expectation(spec))
        except Exception as exc:  # unknown type or kwargs GX rejects
            raise SuiteFileError(f"{suite.path.name}: table {table.name}: {spec.label}: {exc}") from exc
    gx_suite = context.suites.add(gx_suite)
    batch = source.add_dataframe_asset(name=name).add_batch_definition_whole_dataframe("whole table")
    validation = context.validation_definitions.add(gx.ValidationDefinition(name=name, data=batch, suite=gx_suite))
    frame = frame.reset_index(drop=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        run = validation.run(
            batch_parameters={"dataframe": frame},
            expectation_parameters=parameters,
            result_format={"result_format": "COMPLETE"},
        )
    by_label = {spec.label: spec for spec in table.expectations}
    outcomes = []
    for res in run.results:
        config = res.expectation_config
        spec = by_label.get((config.meta or {}).get("label"))
        outcomes.append(_outcome(suite.name, table.name, spec, config, res, frame, lookup))
    return outcomes


def _outcome(
    suite: str, table: str, spec, config, res, frame: pd.DataFrame, lookup: ReportLookup
) -> ExpectationOutcome:
    result: dict[str, Any] = dict(res.result or {})
    severity = getattr(config.severity, "value", config.severity)
    kwargs = {k: v for k, v in config.kwargs.items() if k not in ("batch_id",)}
    column = kwargs.get("column") or kwargs.get("column_list")
    if column is None and "column_A" in kwargs:
        column = [kwargs["column_A"], kwargs["column_B"]]
    column = ", ".join(column) if isinstance(column, list) else column

    report_ids = lookup.reports_of_rows(frame, list(result.get("unexpected_index_list") or []))
    source_files = lookup.files_of(report_ids)
    missing = result.get("missing_list") or result.get("partial_missing_list")
    if missing and column == "source_file":
        source_files = list(dict.fromkeys([*map(str, missing), *source_files]))

    outcome = ExpectationOutcome(
        suite=suite,
        table=table,
        expectation=config.type,
        severity=str(severity),
        success=bool(res.success),
        observed_value=result.get("observed_value"),
        unexpected_count=result.get("unexpected_count"),
        report_ids=report_ids,
        source_files=source_files,
        column=column,
        kwargs=_plain(kwargs),
        description=spec.description if spec else (config.description or ""),
    )
    absent = [c for c in _columns_of(kwargs) if c not in frame.columns]
    problem = f"column {', '.join(absent)} is missing from the table" if absent else _exception_text(res.exception_info)
    outcome.message = _message(outcome, result, problem, missing, len(frame), lookup.source_file)
    return outcome


def _columns_of(kwargs: dict[str, Any]) -> list[str]:
    names = [kwargs.get("column"), kwargs.get("column_A"), kwargs.get("column_B"), *(kwargs.get("column_list") or [])]
    return [n for n in names if isinstance(n, str)]


def _exception_text(info: Any) -> str | None:
    """The error GX caught while evaluating an expectation (info is flat or keyed by metric)."""
    if not isinstance(info, dict):
        return None
    candidates = [info] if "raised_exception" in info else [v for v in info.values() if isinstance(v, dict)]
    for candidate in candidates:
        if candidate.get("raised_exception"):
            return str(candidate.get("exception_message") or "error")
    return None


def _message(
    o: ExpectationOutcome, result: dict[str, Any], exception: str | None, missing, rows: int, files: dict[str, str]
) -> str:
    head = f"[{o.severity}] {o.suite}/{o.table}: {o.label} {'passed' if o.success else 'failed'}"
    if o.description:
        head += f" ({o.description.rstrip('.')})"
    parts = [head]
    if exception:
        parts.append(f"could not be evaluated: {exception}")
    if o.unexpected_count:
        sample = result.get("partial_unexpected_list") or []
        parts.append(f"{o.unexpected_count} of {rows} row(s) break it, e.g. {_short(sample)}")
    elif missing:
        parts.append(f"missing: {_short(missing)}")
    elif not o.success and o.observed_value is not None:
        parts.append(f"observed {_short(o.observed_value)}")
    if o.report_ids:
        named = [f"{r} ({files[r]})" if r in files else r for r in o.report_ids[:MAX_LISTED]]
        more = f" and {len(o.report_ids) - MAX_LISTED} more" if len(o.report_ids) > MAX_LISTED else ""
        parts.append(f"reports: {', '.join(named)}{more}")
    elif o.source_files and not o.success and not missing:
        parts.append(f"files: {_short(o.source_files)}")
    return "; ".join(parts)


def _short(value: Any, limit: int = MAX_LISTED) -> str:
    if isinstance(value, (list, tuple)):
        shown = ", ".join(str(v) for v in value[:limit])
        return f"[{shown}{', …' if len(value) > limit else ''}]"
    text = str(value)
    return text if len(text) <= 200 else text[:200] + "…"


def _plain(value: Any) -> Any:
    """kwargs as JSON-friendly values (row conditions become their text)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def _build_docs(context, docs_dir: Path) -> Path | None:
    """Render this run's validations; pages of earlier runs are removed (history is in quality_runs)."""
    for generated in ("validations", "expectations"):
        shutil.rmtree(docs_dir / generated, ignore_errors=True)
    urls = context.build_data_docs(site_names=[DOCS_SITE])
    index = docs_dir / "index.html"
    return index if index.exists() else (Path(urls[DOCS_SITE].removeprefix("file://")) if urls else None)
