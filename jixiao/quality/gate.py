"""The quality gate: the suites in ``expectations/`` run by Great Expectations over the built warehouse.

Route: each table's rows to validate (all, or those of the changed reports) are read through a
read-only DuckDB connection in chunks of ``chunk_rows`` rows and each chunk is validated by the
table's GX validation definition on a pandas data source of an ephemeral context (GX 1.24 over
DuckDB via SQLAlchemy fails every expectation); the chunks' results add up (``merge.py``). Run
checks validate the small frames their SQL aggregates return. One frame is alive at a time.  Results go to the outcomes
returned, to Data Docs HTML in ``docs_dir`` and to the ``quality_runs`` table of the database.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import string
import warnings
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import duckdb
import pandas as pd

from .frames import (
    CHANGED,
    CHUNK_ROWS,
    INPUT_FILES,
    ReportLookup,
    connect_for_reading,
    frame_sql,
    iter_chunks,
    locate_table,
)
from .history import write_quality_runs
from .merge import ChunkTotals
from .offline_docs import make_docs_offline
from .results import MAX_LISTED, ExpectationOutcome, GateResult
from .suites import (
    ExpectationSpec,
    RunCheckSpec,
    SuiteFileError,
    SuiteSpec,
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
    changed_report_ids: Collection[str] | None = None,
    chunk_rows: int = CHUNK_ROWS,
) -> GateResult:
    """Validate the DuckDB file ``db_path`` against the stage's suites.

    ``input_files`` are the file names of this run's input folder: each must appear in the
    report tables. ``changed_report_ids``: the reports this run added or changed (ids of removed
    reports may be in it: they have no rows left); row-level suites then validate only their rows,
    while run checks still run over the whole warehouse as SQL aggregates. ``None`` validates every
    row (a full rebuild). Rows reach Great Expectations ``chunk_rows`` at a time.
    Writes Data Docs to ``docs_dir`` and appends the outcomes to ``quality_runs`` in ``db_path``
    (so nothing else may hold the file open for writing meanwhile).
    """
    db_path = Path(db_path)
    if not db_path.exists():
        raise FileNotFoundError(f"quality gate: database {db_path} does not exist")
    suites = load_stage_suites(stage, suites_dir)
    run_at = datetime.now(UTC).replace(tzinfo=None)
    parameters = {"current_year": run_at.year}

    gx = _import_gx()
    context = _ephemeral_context(gx, Path(docs_dir))
    source = context.data_sources.add_pandas("jixiao_duckdb")
    with connect_for_reading(db_path) as con:
        _register_strings(con, INPUT_FILES, "source_file", input_files)
        changed = changed_report_ids is not None
        if changed_report_ids is not None:
            _register_strings(con, CHANGED, "report_id", changed_report_ids)
        report_tables = [q for q in (locate_table(con, t, None) for t in ("dim_report", "landed_reports")) if q]
        with con.cursor() as lookup_con:  # its own cursor: lookups run while a chunked read is open
            lookup = ReportLookup(lookup_con, report_tables)
            outcomes = _validate_suites(
                gx, context, source, suites, con, changed, chunk_rows, parameters, lookup, db_path
            )

    docs_path = _build_docs(context, Path(docs_dir))
    if docs_path is not None:
        docs_path = make_docs_offline(Path(docs_dir), outcomes, run_id)
    write_quality_runs(db_path, run_id, run_at, outcomes)
    scope = "every row" if changed_report_ids is None else f"rows of {len(set(changed_report_ids))} changed report(s)"
    result = GateResult(run_id=run_id, stage=stage, results=outcomes, docs_path=docs_path)
    log.info("%s (%s)", result.summary(), scope)
    return result


def _validate_suites(
    gx,
    context,
    source,
    suites: list[SuiteSpec],
    con: duckdb.DuckDBPyConnection,
    changed: bool,
    chunk_rows: int,
    parameters: dict[str, Any],
    lookup: ReportLookup,
    db_path: Path,
) -> list[ExpectationOutcome]:
    """Every table and run check of every suite, one after the other (one chunk in memory at a time)."""
    outcomes: list[ExpectationOutcome] = []
    for suite in suites:
        report_table = locate_table(con, suite.report_table, suite.schema) if suite.report_table else None
        for table in suite.tables:
            qualified = locate_table(con, table.name, suite.schema)
            if qualified is None:
                outcomes.append(_missing_table_outcome(suite, table.name, len(table.expectations), db_path))
                continue
            sql, _ = frame_sql(con, qualified, report_table, changed, wanted=table.columns_read())
            job = _Job(suite.name, table.name, table.expectations, suite.path.name)
            outcomes.extend(_validate_chunks(gx, context, source, job, con, sql, chunk_rows, parameters, lookup))
        for check in suite.run_checks:
            sql, missing = _run_check_sql(con, suite, check)
            if missing:
                outcomes.append(_missing_table_outcome(suite, missing, len(check.expectations), db_path, check.name))
                continue
            job = _Job(suite.name, check.name, check.expectations, suite.path.name)
            outcomes.extend(_validate_chunks(gx, context, source, job, con, sql, chunk_rows, parameters, lookup))
    return outcomes


@dataclass(frozen=True)
class _Job:
    """The expectations of one table (or run check) of one suite."""

    suite: str
    table: str
    expectations: list[ExpectationSpec]
    file_name: str


def _register_strings(con: duckdb.DuckDBPyConnection, name: str, column: str, values: Collection[str]) -> None:
    """Register ``values`` as relation ``name`` (one VARCHAR column) on the connection."""
    import pyarrow as pa

    con.register(name, pa.table({column: pa.array(sorted({str(v) for v in values}), type=pa.string())}))


def _run_check_sql(con: duckdb.DuckDBPyConnection, suite: SuiteSpec, check: RunCheckSpec) -> tuple[str, str | None]:
    """The run check's SQL with ``{table}`` replaced by qualified names; or the first missing table."""
    names: dict[str, str] = {}
    for _, field_name, _, _ in string.Formatter().parse(check.sql):
        if not field_name or field_name in names:
            continue
        if field_name == "row_counts":
            _register_row_counts(con, suite)
            names[field_name] = ROW_COUNTS
            continue
        qualified = locate_table(con, field_name, suite.schema)
        if qualified is None:
            return "", field_name
        names[field_name] = qualified
    return check.sql.format(**names), None


ROW_COUNTS = "jixiao_row_counts"


def _register_row_counts(con: duckdb.DuckDBPyConnection, suite: SuiteSpec) -> None:
    """Rows now and in the last published run (``fact_rows`` of pipeline_run_history) of the suite's
    tables and of every table that run counted; a table counted then and missing now has 0 rows."""
    import pyarrow as pa

    before: dict[str, int] = {}
    history = locate_table(con, "pipeline_run_history", "main")
    if history:
        row = con.execute(
            f"SELECT fact_rows FROM {history} WHERE status = 'published' AND fact_rows IS NOT NULL "
            "ORDER BY coalesce(finished_at, started_at) DESC LIMIT 1"
        ).fetchone()
        if row and row[0]:
            loaded = json.loads(row[0]) if isinstance(row[0], str) else row[0]
            before = {str(k): int(v) for k, v in dict(loaded).items() if v is not None}
    names: list[str] = []
    now: list[int] = []
    then: list[int | None] = []
    for table in dict.fromkeys([*(t.name for t in suite.tables), *sorted(before)]):
        qualified = locate_table(con, table, suite.schema)
        count = con.execute(f"SELECT count(*) FROM {qualified}").fetchone() if qualified else None
        names.append(table)
        now.append(int(count[0]) if count else 0)  # a table gone since the last run has no rows
        then.append(before.get(table))
    con.register(
        ROW_COUNTS,
        pa.table(
            {
                "table_name": pa.array(names, type=pa.string()),
                "rows_now": pa.array(now, type=pa.int64()),
                "rows_before": pa.array(then, type=pa.int64()),
                "ratio": pa.array([n / b if b else None for n, b in zip(now, then, strict=True)], type=pa.float64()),
            }
        ),
    )


def _missing_table_outcome(
    suite: SuiteSpec, table: str, n_expectations: int, db_path: Path, check: str | None = None
) -> ExpectationOutcome:
    where = f"run check {check} reads" if check else "the suite checks"
    return ExpectationOutcome(
        suite=suite.name,
        table=check or table,
        expectation="expect_table_to_exist",
        severity="critical",
        success=False,
        description=f"The table {where} exists in the warehouse.",
        message=f"{suite.name}/{check or table}: table {table} is missing from {db_path.name} "
        f"(its {n_expectations} expectations could not run)",
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


def _validate_chunks(
    gx,
    context,
    source,
    job: _Job,
    con: duckdb.DuckDBPyConnection,
    sql: str,
    chunk_rows: int,
    parameters: dict[str, Any],
    lookup: ReportLookup,
) -> list[ExpectationOutcome]:
    """Run one table's expectations chunk by chunk (one GX validation per chunk) and add up the results."""
    name = f"{job.suite}.{job.table}"
    gx_suite = gx.ExpectationSuite(name=name)
    expectations = {}
    for i, spec in enumerate(job.expectations):
        try:
            expectations[str(i)] = gx_suite.add_expectation(to_gx_expectation(spec, key=str(i)))
        except Exception as exc:  # unknown type or kwargs GX rejects
            raise SuiteFileError(f"{job.file_name}: table {job.table}: {spec.label}: {exc}") from exc
    gx_suite = context.suites.add(gx_suite)
    batch = source.add_dataframe_asset(name=name).add_batch_definition_whole_dataframe("whole table")
    validation = context.validation_definitions.add(gx.ValidationDefinition(name=name, data=batch, suite=gx_suite))
    totals: dict[str, ChunkTotals] = {}
    configs: dict[str, Any] = {}
    rows = 0
    columns: set[str] = set()
    for frame in iter_chunks(con, sql, chunk_rows):
        rows += len(frame)
        columns = set(frame.columns)
        if frame.empty:  # no rows to check (an unchanged table): every per-row rule holds, if its columns exist
            for key, expectation in expectations.items():
                config = expectation.configuration
                configs[key] = config
                absent = [c for c in _columns_of(config.kwargs) if c not in columns]
                totals[key] = ChunkTotals(chunks=1, exception="column missing" if absent else None)
            break
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            run = validation.run(
                batch_parameters={"dataframe": frame},
                expectation_parameters=parameters,
                result_format={"result_format": "COMPLETE"},
            )
        for res in run.results:
            config = res.expectation_config
            key = str((config.meta or {}).get("key"))
            configs.setdefault(key, config)
            result: dict[str, Any] = dict(res.result or {})
            offending = list(result.get("unexpected_index_list") or [])
            total = totals.setdefault(key, ChunkTotals(mostly=config.kwargs.get("mostly")))
            total.add(
                bool(res.success),
                result,
                _exception_text(res.exception_info),
                lookup.reports_of_rows(frame, offending),
            )
            _collect_files(total, frame, offending)
        del frame, run
    by_key = {str(i): spec for i, spec in enumerate(job.expectations)}
    return [
        _outcome(job, by_key.get(key), configs[key], totals[key], rows, columns, lookup)
        for key in sorted(totals, key=int)
    ]


def _collect_files(total: ChunkTotals, frame: pd.DataFrame, offending: list) -> None:
    """Offending rows that name a file or a table but no report (run checks) name it in the outcome."""
    if not offending or "report_id" in frame.columns:
        return
    rows = frame.loc[[i for i in offending if i in frame.index]]
    for column, named in (("source_file", total.files), ("table_name", total.tables)):
        if column in rows.columns:
            for value in map(str, rows[column].dropna()):
                if value not in named:
                    named.append(value)


def _outcome(
    job: _Job, spec, config, total: ChunkTotals, rows: int, columns: set[str], lookup: ReportLookup
) -> ExpectationOutcome:
    severity = getattr(config.severity, "value", config.severity)
    kwargs = {k: v for k, v in config.kwargs.items() if k not in ("batch_id",)}
    column = kwargs.get("column") or kwargs.get("column_list")
    if column is None and "column_A" in kwargs:
        column = [kwargs["column_A"], kwargs["column_B"]]
    column = ", ".join(column) if isinstance(column, list) else column
    files = lookup.source_files(total.report_ids[: MAX_LISTED * 10])
    source_files = list(dict.fromkeys([*total.files, *(files[r] for r in total.report_ids if r in files)]))
    outcome = ExpectationOutcome(
        suite=job.suite,
        table=job.table,
        expectation=config.type,
        severity=str(severity),
        success=total.passed,
        observed_value=total.observed_value,
        unexpected_count=total.unexpected_count,
        report_ids=list(total.report_ids),
        source_files=source_files,
        column=column,
        kwargs=_plain(kwargs),
        description=spec.description if spec else (config.description or ""),
    )
    absent = [c for c in _columns_of(kwargs) if c not in columns]
    problem = f"column {', '.join(absent)} is missing from the table" if absent else total.exception
    outcome.message = _message(outcome, total.sample, problem, rows, files, total.tables)
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
    o: ExpectationOutcome, sample: list, exception: str | None, rows: int, files: dict[str, str], tables: list[str]
) -> str:
    head = f"[{o.severity}] {o.suite}/{o.table}: {o.label} {'passed' if o.success else 'failed'}"
    if o.description:
        head += f" ({o.description.rstrip('.')})"
    parts = [head]
    if exception:
        parts.append(f"could not be evaluated: {exception}")
    if o.unexpected_count:
        parts.append(f"{o.unexpected_count} of {rows} row(s) break it, e.g. {_short(sample)}")
    elif not o.success and o.observed_value is not None:
        parts.append(f"observed {_short(o.observed_value)}")
    if o.report_ids:
        named = [f"{r} ({files[r]})" if r in files else r for r in o.report_ids[:MAX_LISTED]]
        more = f" and {len(o.report_ids) - MAX_LISTED} more" if len(o.report_ids) > MAX_LISTED else ""
        parts.append(f"reports: {', '.join(named)}{more}")
    elif o.source_files and not o.success:
        parts.append(f"files: {_short(o.source_files)}")
    if tables and not o.success:
        parts.append(f"tables: {_short(tables)}")
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
