"""The ``jixiao`` command: refresh the warehouse, show one report's extraction, serve on a schedule.

jixiao refresh --reports DIR --db FILE [--landing seed|native] [--workers N] [--dask [ADDRESS]] [--full-refresh]
jixiao extract FILE [--format table|json]
jixiao serve --cron "0 3 * * *" --reports DIR --db FILE
jixiao export --db FILE --to DIR --format parquet|csv|xlsx
jixiao report --db FILE --out DIR
jixiao deploy --all                     (prefect deploy, exit status fixed for the pinned server)
jixiao bench ...
"""

from __future__ import annotations

from jixiao.pipeline.settings import disable_telemetry

disable_telemetry()

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402
from dataclasses import asdict  # noqa: E402
from pathlib import Path  # noqa: E402

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="jixiao",
        description="Turn performance-evaluation reports (部门整体支出绩效评价报告 / 绩效自评报告) into a DuckDB warehouse.",
        epilog="Run `jixiao COMMAND --help` for the options of a command.",
    )
    sub = p.add_subparsers(dest="command", metavar="COMMAND", required=True)

    r = sub.add_parser(
        "refresh",
        help="build the warehouse from a folder of reports and publish it atomically",
        description="Extract the reports of a folder (only new or changed ones; the rest come from the cache next "
        "to the warehouse), build the warehouse with dbt, check it with Great Expectations and publish "
        "it by renaming it over the old file. On any failure the published warehouse is left as it was "
        "and the command exits non-zero with the reason.",
    )
    r.add_argument(
        "--reports", required=True, type=Path, metavar="DIR", help="folder of report files (.txt .docx .html .pdf)"
    )
    r.add_argument("--db", required=True, type=Path, metavar="FILE", help="the published DuckDB warehouse file")
    r.add_argument(
        "--landing",
        choices=["seed", "native"],
        default="seed",
        help="load the landed extraction with `dbt seed` (seed, default) or DuckDB read_csv (native, faster)",
    )
    r.add_argument(
        "--workers",
        type=int,
        default=None,
        metavar="N",
        help="extraction processes for large folders (default: the number of CPUs)",
    )
    r.add_argument(
        "--dask",
        nargs="?",
        const="local",
        default=None,
        metavar="ADDRESS",
        help="extract on a Dask cluster: the scheduler's ADDRESS (tcp://host:8786), or with no address "
        "a local cluster of one worker process per CPU (default: $JIXIAO_DASK_ADDRESS, else a process pool)",
    )
    r.add_argument(
        "--full-refresh",
        "--full",
        dest="full_refresh",
        action="store_true",
        help="rebuild every model from scratch, even when no report and no code changed (--full: the same)",
    )
    r.add_argument("--json", action="store_true", help="print the run summary as one JSON object at the end")
    r.add_argument("-v", "--verbose", action="store_true", help="show Prefect's task and flow logs")
    r.set_defaults(func=cmd_refresh)

    e = sub.add_parser(
        "extract",
        help="show what is extracted from one report, with where each value was read",
        description="Read one report and print its header, facts and findings with their provenance "
        "(table block/row/column or sentence span). Nothing is written.",
    )
    e.add_argument("file", type=Path, metavar="FILE", help="a report file")
    e.add_argument("--format", choices=["table", "json"], default="table", help="table (default) or json")
    e.set_defaults(func=cmd_extract)

    s = sub.add_parser(
        "serve",
        help="run refresh on a cron schedule (needs a Prefect server)",
        description="Create the deployment `jixiao-refresh/<name>` on the Prefect server of PREFECT_API_URL and "
        "run its scheduled refreshes until stopped (Ctrl-C). The schedule stays active when this "
        "process or the server restarts. Start a server first: `prefect server start`, then "
        "`export PREFECT_API_URL=http://127.0.0.1:4200/api`.",
    )
    s.add_argument("--cron", required=True, help='cron schedule, e.g. "0 3 * * *" for 03:00 every day')
    s.add_argument("--timezone", default=None, help="time zone of the cron schedule, e.g. Asia/Shanghai (default UTC)")
    s.add_argument("--reports", required=True, type=Path, metavar="DIR", help="folder of report files")
    s.add_argument("--db", required=True, type=Path, metavar="FILE", help="the published DuckDB warehouse file")
    s.add_argument("--landing", choices=["seed", "native"], default="seed", help="see `jixiao refresh --help`")
    s.add_argument("--workers", type=int, default=None, metavar="N", help="see `jixiao refresh --help`")
    s.add_argument(
        "--dask", default=None, metavar="ADDRESS", help="Dask scheduler to extract on (see `jixiao refresh --help`)"
    )
    s.add_argument("--name", default="jixiao-refresh", help="deployment name (default jixiao-refresh)")
    s.set_defaults(func=cmd_serve)

    x = sub.add_parser(
        "export",
        help="write every contract table and mart to Parquet, CSV or Excel files",
        description="Write the warehouse's public tables (dim_*, fct_*, mart_*, data_quality_issues, "
        "ref_code_labels) into a folder: one .parquet or .csv file per table (CSV in UTF-8 with a "
        "byte-order mark, so Excel shows the Chinese text), or one workbook jixiao.xlsx with a sheet "
        "per table. Amounts keep their 4 decimals of 万元.",
    )
    x.add_argument(
        "--db",
        type=Path,
        default=Path("warehouse/jixiao.duckdb"),
        metavar="FILE",
        help="the warehouse file (default warehouse/jixiao.duckdb)",
    )
    x.add_argument("--to", required=True, type=Path, metavar="DIR", help="folder to write into (created)")
    x.add_argument(
        "--format", choices=["parquet", "csv", "xlsx"], default="parquet", help="file format (default parquet)"
    )
    x.set_defaults(func=cmd_export)

    o = sub.add_parser(
        "report",
        help="write a static HTML site of the warehouse's trends (works offline)",
        description="Write an HTML site: an overview (reports loaded and quarantined, findings by check, coverage "
        "by year and region), one page per budget unit with its multi-year charts and findings, and one "
        "page per county comparing its units. Every script and style is a file of the site: open "
        "DIR/index.html in a browser, no network needed.",
    )
    o.add_argument(
        "--db",
        type=Path,
        default=Path("warehouse/jixiao.duckdb"),
        metavar="FILE",
        help="the warehouse file (default warehouse/jixiao.duckdb)",
    )
    o.add_argument("--out", required=True, type=Path, metavar="DIR", help="folder to write the site into (created)")
    o.set_defaults(func=cmd_report)

    d = sub.add_parser(
        "deploy",
        help="register the deployments of prefect.yaml (`prefect deploy`, exit 0 when created)",
        add_help=False,
        description="Runs `prefect deploy ARGS` (e.g. `jixiao deploy --all` in the project folder) with a "
        "client fix for the pinned Prefect server, which answers prefect's worker listing "
        "with HTTP 422 and made `prefect deploy` exit 1 after creating the deployment.",
    )
    d.add_argument("args", nargs=argparse.REMAINDER)

    b = sub.add_parser(
        "bench",
        help="benchmark extraction and refresh on generated reports (see `jixiao bench --help`)",
        add_help=False,
    )
    b.add_argument("args", nargs=argparse.REMAINDER)
    return p


# --------------------------------------------------------------------------- refresh
def cmd_refresh(args: argparse.Namespace) -> int:
    if not args.reports.is_dir():
        print(f"jixiao refresh: reports folder {args.reports} does not exist or is not a folder", file=sys.stderr)
        return EXIT_USAGE
    if args.workers is not None and args.workers < 1:
        print("jixiao refresh: --workers must be at least 1", file=sys.stderr)
        return EXIT_USAGE
    from jixiao.pipeline.settings import configure_prefect

    configure_prefect(quiet_console=not args.verbose)
    if not args.verbose:
        os.environ.setdefault("DBT_QUIET", "true")  # dbt's own log stays in target/logs
    from jixiao.pipeline import interrupt, progress
    from jixiao.pipeline.refresh import RefreshFailed, RefreshSummary, last_published, refresh
    from jixiao.pipeline.settings import prefect_api

    db = args.db.expanduser().resolve()
    progress.set_reporter(progress.ConsoleReporter())
    state = result = error = None
    with interrupt.handling_signals():
        try:
            with prefect_api():
                state = refresh(
                    reports_dir=str(args.reports),
                    db_path=str(db),
                    landing=args.landing,
                    workers=args.workers,
                    full_rebuild=args.full_refresh,
                    dask_address=args.dask,
                    return_state=True,
                )
                result = state.result(raise_on_failure=False)
        except (Exception, KeyboardInterrupt, interrupt.Interrupted) as exc:
            error = exc
        finally:
            progress.set_reporter(None)
    published = (
        result if isinstance(result, dict) and state is not None and state.is_completed() else last_published(db)
    )
    signum = interrupt.received()
    if published is not None:
        summary = RefreshSummary.from_dict(published)
        if error is not None or not (state is not None and state.is_completed()):
            summary.warnings.append(
                "the Prefect API failed after the warehouse was published "
                f"({_one_line(error or (state.message if state else None))}); the refresh itself succeeded"
            )
        print(summary.to_text())
        if args.json:
            print(json.dumps(summary.to_dict(), ensure_ascii=False))
        if signum:
            print(
                f"jixiao refresh: interrupted by {_signal_name(signum)} after publishing; {db} is the new warehouse",
                file=sys.stderr,
            )
            return interrupt.EXIT_CODES[signum]
        return EXIT_OK
    failure: object
    if isinstance(result, RefreshFailed):
        failure = result
    elif isinstance(error, RefreshFailed):
        failure = error
    else:
        failure = error if error is not None else result
    if isinstance(failure, RefreshFailed):
        reason = f"{failure.step}: {failure.reason}"
    elif isinstance(failure, BaseException):
        reason = f"{type(failure).__name__}: {failure}"
    else:
        reason = (state.message if state is not None else None) or "the flow run did not complete"
    log = _write_error_log(db, reason, failure if isinstance(failure, BaseException) else None)
    where = f" (details: {log})" if log and not args.verbose else ""
    if signum:
        print(
            f"jixiao refresh interrupted by {_signal_name(signum)} ({_one_line(reason)}); "
            f"{args.db} was left as it was{where}",
            file=sys.stderr,
        )
        return interrupt.EXIT_CODES[signum]
    print(f"jixiao refresh failed ({_one_line(reason)}); {args.db} was left as it was{where}", file=sys.stderr)
    return EXIT_FAILED


def _signal_name(signum: int) -> str:
    import signal

    return signal.Signals(signum).name


def _one_line(reason: object, limit: int = 600) -> str:
    text = str(reason or "").strip()
    line = text.splitlines()[0] if text else "unknown"
    return line if len(line) <= limit else line[:limit] + "…"


def _write_error_log(db: Path, reason: str, exc: BaseException | None) -> Path | None:
    """The full detail of a failed refresh in ``<db dir>/.jixiao/<db name>.error.log``."""
    import traceback

    path = db.parent / ".jixiao" / f"{db.name}.error.log"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        detail = "".join(traceback.format_exception(exc)) if exc is not None else ""
        path.write_text(f"{reason}\n\n{detail}", encoding="utf-8")
        return path
    except OSError:
        return None


# --------------------------------------------------------------------------- extract
def _prov(p) -> str:
    """Where a value was read, without the file name (it heads the output)."""
    if p is None:
        return ""
    if p.row is not None:
        return f"block {p.block} row {p.row} col {p.col}"
    if p.span is not None:
        return f"block {p.block} chars {p.span[0]}-{p.span[1]}"
    return f"block {p.block}"


def _fact_key(fact) -> str:
    return " / ".join(str(v) for v in fact.key.values())


def _fact_values(fact) -> str:
    return ", ".join(f"{k}={v}" for k, v in fact.values.items() if v is not None and not k.endswith("_label_zh"))


def _excerpt(p, width: int = 40) -> str:
    """The text a value was read from; for prose, the part around the value's span."""
    text = (p.text or "") if p is not None else ""
    if p is not None and p.span is not None and p.span[1] <= len(text):
        start = max(0, p.span[0] - 12)
        text = ("…" if start else "") + text[start : p.span[1] + 8]
    return " ".join(text.split())[:width]


def _fact_label(fact) -> str:
    return next((str(v) for k, v in fact.values.items() if k.endswith("_label_zh") and v), "")


def cmd_extract(args: argparse.Namespace) -> int:
    if not args.file.is_file():
        print(f"jixiao extract: {args.file} does not exist or is not a file", file=sys.stderr)
        return EXIT_USAGE
    from jixiao.extract import extract_file

    ex = extract_file(args.file)
    if args.format == "json":
        data = asdict(ex)
        data["report_id"] = ex.report_id
        print(json.dumps(data, ensure_ascii=False, indent=2, default=str))
        return EXIT_OK if ex.status == "loaded" else EXIT_FAILED
    _print_extraction_tables(ex)
    return EXIT_OK if ex.status == "loaded" else EXIT_FAILED


def _print_extraction_tables(ex) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(highlight=False)
    status = "[green]loaded[/green]" if ex.status == "loaded" else f"[red]quarantined[/red]: {ex.status_reason}"
    console.print(f"[bold]{ex.source_file}[/bold]  report_id {ex.report_id}  format {ex.file_format}  {status}")

    header = Table(title="Report", show_lines=False)
    for col in ("field", "value", "read at"):
        header.add_column(col)
    for name, value in asdict(ex.header).items():
        if name == "provenance" or value is None:
            continue
        header.add_row(name, str(value), _prov(ex.header.provenance.get(name)))
    console.print(header)

    by_table: dict[str, list] = {}
    for fact in ex.facts:
        by_table.setdefault(fact.table, []).append(fact)
    for table_name, facts in sorted(by_table.items()):
        t = Table(title=f"{table_name} ({len(facts)})")
        for col in ("year", "key", "values", "as written", "from", "read at", "text"):
            t.add_column(col, overflow="fold")
        for f in facts:
            t.add_row(
                str(f.fiscal_year),
                _fact_key(f),
                _fact_values(f),
                _fact_label(f),
                f.source_kind,
                _prov(f.prov),
                _excerpt(f.prov),
            )
        console.print(t)

    if ex.findings:
        t = Table(title=f"findings ({len(ex.findings)})")
        for col in ("check", "severity", "message", "observed", "expected", "read at"):
            t.add_column(col, overflow="fold")
        for f in ex.findings:
            t.add_row(f.check, f.severity, f.message, f.observed, f.expected, _prov(f.prov))
        console.print(t)


# --------------------------------------------------------------------------- serve
def cmd_serve(args: argparse.Namespace) -> int:
    from jixiao.pipeline.settings import configure_prefect, configured_api_url

    configure_prefect()
    if not configured_api_url():
        print(
            "jixiao serve needs a running Prefect server: start one with `prefect server start` and set "
            "PREFECT_API_URL (e.g. export PREFECT_API_URL=http://127.0.0.1:4200/api)",
            file=sys.stderr,
        )
        return EXIT_USAGE
    from jixiao.pipeline.schedule import serve

    serve(
        name=args.name,
        cron=args.cron,
        reports_dir=str(args.reports.resolve()),
        db_path=str(args.db.resolve()),
        landing=args.landing,
        workers=args.workers,
        timezone=args.timezone,
        dask_address=args.dask,
    )
    return EXIT_OK


# --------------------------------------------------------------------------- export, report
def cmd_export(args: argparse.Namespace) -> int:
    from jixiao.report.export import ExportError, export_warehouse

    try:
        written = export_warehouse(args.db, args.to, args.format)
    except ExportError as exc:
        print(f"jixiao export: {exc}", file=sys.stderr)
        return EXIT_USAGE if not args.db.is_file() else EXIT_FAILED
    for t in written:
        print(f"{t.table:<28} {t.rows:>9} rows  {t.path}")
    print(f"Exported {len(written)} tables from {args.db} to {args.to} ({args.format})")
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    if not args.db.is_file():
        print(f"jixiao report: {args.db} does not exist (build it with `jixiao refresh`)", file=sys.stderr)
        return EXIT_USAGE
    from jixiao.report import write_report

    site = write_report(args.db, args.out)
    print(
        f"Report written: {site.index} ({site.department_pages} unit pages, {site.county_pages} county pages); "
        "open it in a browser, no network needed"
    )
    return EXIT_OK


# --------------------------------------------------------------------------- deploy, bench
def _handed_over(command: str, argv: list[str]) -> int:
    """``bench`` and ``deploy`` parse their own arguments (the subparsers above only list them in --help)."""
    if command == "bench":
        from jixiao.bench import main as bench_main

        return bench_main(argv)
    from jixiao.pipeline.schedule import main as deploy_main

    return deploy_main(argv)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in ("bench", "deploy"):  # everything after the command belongs to its own parser
        return _handed_over(argv[0], argv[1:])
    args = _parser().parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stderr.close()
        return EXIT_OK


if __name__ == "__main__":
    os.environ.setdefault("PYTHONIOENCODING", "utf-8")
    sys.exit(main())
