"""Run dbt in-process (``dbtRunner``) against one DuckDB file, and build the warehouse.

``run_dbt`` sets ``JIXIAO_DB_PATH`` (and ``JIXIAO_LANDED_SEEDS_DIR`` when the landed seeds are
not in the project's ``seeds/landed``), keeps telemetry off, and returns a :class:`DbtResult`
with per-node failures and timings instead of raising.  ``build_warehouse`` loads the landed
seeds (``dbt seed`` or DuckDB ``read_csv``) and runs ``dbt build`` (models, tests, unit tests):
from empty (``--full-refresh``), or incrementally from a copy of the last published warehouse,
rebuilding only the rows of the reports that changed (``changed_report_ids``; docs/dbt.md).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from jixiao.landing.schema import SEED_COLUMNS, column_names

LandingMode = Literal["seed", "native"]  # dbt seed, or DuckDB read_csv of the same files
PROJECT_DIR = Path(__file__).resolve().parents[2]
DEFAULT_SEEDS_DIR = PROJECT_DIR / "seeds" / "landed"

TELEMETRY_OFF = {
    "DO_NOT_TRACK": "1",
    "DBT_SEND_ANONYMOUS_USAGE_STATS": "False",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "GX_ANALYTICS_ENABLED": "false",
}
os.environ.update(TELEMETRY_OFF)

_FAILED_STATUSES = {"error", "fail", "runtime error", "skipped"}

# Written into each build (schema of the intermediate models): how it was built, and the
# fingerprint of the dbt project it was built with (an incremental build needs the same one).
BUILD_STATE_TABLE = "intermediate.jixiao_build_state"
CHANGED_REPORTS_TABLE = "intermediate.changed_reports"
FINGERPRINTS_TABLE = "intermediate.built_report_fingerprints"
# What decides the models' SQL: a change to any of these makes the next build a full one.
PROJECT_SOURCES = ("dbt_project.yml", "models", "macros", "tests/generic", "seeds/reference")


@dataclass
class NodeFailure:
    """A dbt node that did not succeed (error, failing test, or skipped because a parent failed)."""

    name: str
    resource_type: str
    status: str
    message: str


@dataclass
class DbtResult:
    """What one or more dbt invocations did."""

    command: str
    success: bool
    failures: list[NodeFailure] = field(default_factory=list)
    warnings: list[NodeFailure] = field(default_factory=list)
    node_seconds: dict[str, float] = field(default_factory=dict)
    elapsed_s: float = 0.0
    exception: str | None = None
    steps: dict[str, float] = field(default_factory=dict)  # named phases (landing, dbt build) -> seconds
    incremental: bool = False  # built from a copy of the published warehouse, changed reports only

    def summary(self) -> str:
        """One readable paragraph: what ran, how long, what failed."""
        head = f"{self.command}: {'ok' if self.success else 'FAILED'} in {self.elapsed_s:.1f}s"
        if self.incremental:
            head += " (incremental)"
        lines = [head]
        if self.exception:
            lines.append(f"  exception: {self.exception}")
        lines += [f"  {f.resource_type} {f.name} [{f.status}]: {f.message}" for f in self.failures]
        return "\n".join(lines)


@contextmanager
def _env(values: dict[str, str]) -> Iterator[None]:
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, old in saved.items():
            if old is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = old


def _release_duckdb() -> None:
    """Close the DuckDB database dbt-duckdb keeps open in this process after a run.

    dbt-duckdb caches one environment per process (``DuckDBConnectionManager._ENV``); left open,
    it blocks opening, replacing or reading the warehouse file with another configuration.
    """
    try:
        from dbt.adapters.duckdb.connections import DuckDBConnectionManager
    except ImportError:  # pragma: no cover - dbt-duckdb is a dependency
        return
    with DuckDBConnectionManager._LOCK:
        env = DuckDBConnectionManager._ENV
        DuckDBConnectionManager._ENV = None
        if env is not None:
            env.close()


def _collect(result: DbtResult, res: object) -> None:
    """Fill failures/warnings/timings from a ``dbtRunnerResult``."""
    for node_result in getattr(getattr(res, "result", None), "results", None) or []:
        node = getattr(node_result, "node", None)
        name = str(getattr(node, "unique_id", None) or getattr(node, "name", "?"))
        resource_type = str(getattr(node, "resource_type", "?"))
        status = str(getattr(node_result, "status", "")).lower()
        message = str(getattr(node_result, "message", "") or "")
        result.node_seconds[name] = float(getattr(node_result, "execution_time", 0.0) or 0.0)
        entry = NodeFailure(name=name, resource_type=resource_type, status=status, message=message)
        if status in _FAILED_STATUSES:
            result.failures.append(entry)
        elif status == "warn":
            result.warnings.append(entry)


def missing_landed_seeds(seeds_dir: Path) -> list[str]:
    """File names of the landed seeds absent from ``seeds_dir``."""
    return [f"{seed}.csv" for seed in SEED_COLUMNS if not (Path(seeds_dir) / f"{seed}.csv").is_file()]


def landed_seed_path(project_dir: Path, seeds_dir: Path | None, headers_only: bool = False) -> str:
    """The landed seeds' directory as dbt's ``seed-paths`` needs it: relative to the project.

    dbt writes each seed's compiled SQL to ``<target>/run/<project>/<seed path>``; an absolute seed
    path would make it overwrite the CSV itself.  Seeds outside the project are therefore copied to
    ``<project>/target/landed_seeds/`` first (``headers_only``: just the headers, enough for dbt to
    know the seeds when they are loaded natively and excluded from the run, or when no landed seeds
    exist yet).
    """
    project_dir = Path(project_dir).resolve()
    source = Path(seeds_dir).resolve() if seeds_dir is not None else project_dir / "seeds" / "landed"
    missing = missing_landed_seeds(source)
    if missing and not headers_only:
        if seeds_dir is not None:
            raise FileNotFoundError(f"{source}: landed seed files missing: {', '.join(missing)}")
        headers_only = True  # nothing landed yet (e.g. docs on a fresh clone): dbt only needs the seeds' names
    if not headers_only and source.is_relative_to(project_dir):
        return source.relative_to(project_dir).as_posix()
    key = hashlib.sha256(str(source).encode()).hexdigest()[:12]
    copy_dir = project_dir / "target" / "landed_seeds" / (f"headers-{key}" if headers_only else key)
    copy_dir.mkdir(parents=True, exist_ok=True)
    for seed in SEED_COLUMNS:
        target = copy_dir / f"{seed}.csv"
        if headers_only:
            target.write_text(",".join(column_names(seed)) + "\n", encoding="utf-8")
        elif (source / f"{seed}.csv").is_file():
            shutil.copyfile(source / f"{seed}.csv", target)
    return copy_dir.relative_to(project_dir).as_posix()


def project_fingerprint(project_dir: Path = PROJECT_DIR) -> str:
    """Hash of the dbt project's sources (models, macros, reference seeds…) and of dbt and DuckDB's versions."""
    import duckdb
    from dbt.version import __version__ as dbt_version

    project_dir = Path(project_dir)
    digest = hashlib.sha256(f"dbt {dbt_version} duckdb {duckdb.__version__}".encode())
    for name in PROJECT_SOURCES:
        root = project_dir / name
        files = sorted(root.rglob("*")) if root.is_dir() else [root]
        for path in files:
            if path.is_file():
                digest.update(path.relative_to(project_dir).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def dbt_db_path(db_path: Path, target_dir: Path) -> Path:
    """The path dbt is given for ``db_path``: a symbolic link whose name stays the same from build to build.

    dbt re-parses the whole project (seconds) when the profile changes, and the database path is
    part of the profile.  Each refresh builds a new ``<db>.building-<run_id>`` file; pointing a
    stable link ``<target>/duckdb/<dir hash>/<db>`` at it keeps the profile, and dbt's partial
    parsing (``<target>/partial_parse.msgpack``), the same from run to run.  Where links cannot be
    made, ``db_path`` itself.
    """
    db_path = Path(db_path).resolve()
    name = db_path.name.split(".building-", 1)[0]
    key = hashlib.sha256(str(db_path.parent).encode()).hexdigest()[:12]
    link = Path(target_dir) / "duckdb" / key / name
    try:
        link.parent.mkdir(parents=True, exist_ok=True)
        # a write-ahead log left beside the link by a crash would be replayed onto another build
        link.with_name(link.name + ".wal").unlink(missing_ok=True)
        if link.is_symlink() or link.exists():
            link.unlink()
        link.symlink_to(db_path)
    except OSError:
        return db_path
    return link


def run_dbt(
    args: list[str],
    project_dir: Path = PROJECT_DIR,
    db_path: Path = PROJECT_DIR / "warehouse" / "jixiao.duckdb",
    seeds_dir: Path | None = None,
    target_dir: Path | None = None,
    seeds_loaded_natively: bool = False,
) -> DbtResult:
    """Invoke ``dbt <args>`` in-process on ``db_path``; never raises for dbt failures.

    ``seeds_dir`` points dbt at landed CSVs other than ``<project>/seeds/landed`` (see
    :func:`landed_seed_path`); ``seeds_loaded_natively`` says the ``landed`` tables already exist
    (``load_landed_native``) and the run excludes them; ``target_dir`` holds dbt's artifacts and logs
    (default ``<project>/target``, git-ignored).
    """
    from dbt.cli.main import dbtRunner  # imported late: dbt is slow to import

    project_dir = Path(project_dir).resolve()
    db_path = Path(db_path).resolve()
    db_path.parent.mkdir(parents=True, exist_ok=True)
    target_dir = Path(target_dir).resolve() if target_dir else project_dir / "target"
    env = {
        **TELEMETRY_OFF,
        "JIXIAO_DB_PATH": str(dbt_db_path(db_path, target_dir)),
        "JIXIAO_LANDED_SEEDS_DIR": landed_seed_path(project_dir, seeds_dir, headers_only=seeds_loaded_natively),
    }
    cli_args = [
        *args,
        "--project-dir",
        str(project_dir),
        "--profiles-dir",
        str(project_dir),
        "--target-path",
        str(target_dir),
        "--log-path",
        str(target_dir / "logs"),
    ]
    result = DbtResult(command="dbt " + " ".join(args), success=False)
    started = time.perf_counter()
    with _env(env):
        try:
            res = dbtRunner().invoke(cli_args)
        except Exception as exc:  # dbt raises on bad CLI usage
            result.exception = f"{type(exc).__name__}: {exc}"
        else:
            result.success = bool(res.success)
            if res.exception is not None:
                result.exception = f"{type(res.exception).__name__}: {res.exception}"
            _collect(result, res)
        finally:
            _release_duckdb()
    result.elapsed_s = time.perf_counter() - started
    result.success = result.success and not result.failures
    return result


def build_warehouse(
    db_path: Path,
    landing_mode: LandingMode = "seed",
    project_dir: Path = PROJECT_DIR,
    seeds_dir: Path | None = None,
    target_dir: Path | None = None,
    extra_args: list[str] | None = None,
    *,
    full_refresh: bool = False,
    start_from: Path | None = None,
) -> DbtResult:
    """Load the landed seeds into ``db_path`` and run ``dbt build`` (models and data tests).

    ``seed``: one ``dbt build`` that seeds the landed CSVs too.  ``native``: DuckDB ``read_csv``
    creates ``landed.*`` first, then ``dbt build --exclude tag:landed`` (reference seeds, models, tests).

    With ``start_from`` (the published warehouse) usable (:func:`can_start_from`) and not
    ``full_refresh``, ``db_path`` starts as a copy of it and the build is incremental: the
    incremental models rebuild only the rows of the changed reports and their departments
    (``changed_report_ids``); dbt's unit tests, which test the SQL and not the data, are left to
    full builds.  Otherwise the build starts from an empty file with ``--full-refresh``.
    ``result.incremental`` says which it was.
    """
    from jixiao.landing.seeds import load_landed_native
    from jixiao.warehouse.publish import copy_published, discard

    if landing_mode not in ("seed", "native"):
        raise ValueError(f"landing_mode must be 'seed' or 'native', not {landing_mode!r}")
    landed_dir = Path(seeds_dir) if seeds_dir else Path(project_dir) / "seeds" / "landed"
    missing = missing_landed_seeds(landed_dir)
    if missing:
        raise FileNotFoundError(
            f"{landed_dir}: landed seed files missing (run the landing first): {', '.join(missing)}"
        )
    db_path = Path(db_path)
    steps: dict[str, float] = {}
    fingerprint = project_fingerprint(project_dir)
    incremental = not full_refresh and start_from is not None and can_start_from(Path(start_from), fingerprint)
    args = ["build", *(extra_args or [])]
    started = time.perf_counter()
    if incremental:
        assert start_from is not None
        discard(db_path)
        copy_published(Path(start_from), db_path)
        _write_build_state(db_path, None, fingerprint)  # a build that fails half-way is no starting point
        args += ["--exclude", "resource_type:unit_test"]
    else:
        discard(db_path)
        args += ["--full-refresh"]
    steps["copy_published"] = time.perf_counter() - started
    if landing_mode == "native":
        started = time.perf_counter()
        load_landed_native(landed_dir, db_path)
        steps["native_load"] = time.perf_counter() - started
        args += ["--exclude", "tag:landed"]
    result = run_dbt(
        args,
        project_dir=project_dir,
        db_path=db_path,
        seeds_dir=seeds_dir,
        target_dir=target_dir,
        seeds_loaded_natively=landing_mode == "native",
    )
    steps["dbt_build"] = result.elapsed_s
    if result.success:
        _write_build_state(db_path, "incremental" if incremental else "full", fingerprint)
    result.elapsed_s = sum(steps.values())
    result.steps = steps
    result.incremental = incremental
    return result


def _write_build_state(db_path: Path, kind: str | None, fingerprint: str) -> None:
    """Record how ``db_path`` was built; ``kind`` None: forget it (the build is under way)."""
    import duckdb

    with duckdb.connect(str(db_path)) as con:
        if kind is None:
            con.execute(f"drop table if exists {BUILD_STATE_TABLE}")
            return
        con.execute(
            f"create or replace table {BUILD_STATE_TABLE} as "
            "select ? as build_kind, ? as project_fingerprint, current_timestamp as built_at",
            [kind, fingerprint],
        )


def _build_state(db_path: Path) -> tuple[str, str] | None:
    """``(build_kind, project_fingerprint)`` of a built warehouse, None when it has none (or is no DuckDB file)."""
    import duckdb

    from jixiao.warehouse.publish import is_duckdb_file

    if not Path(db_path).is_file() or not is_duckdb_file(Path(db_path)):
        return None
    try:
        with duckdb.connect(str(db_path), read_only=True) as con:
            row = con.execute(f"select build_kind, project_fingerprint from {BUILD_STATE_TABLE}").fetchone()
            con.execute(f"select count(*) from {FINGERPRINTS_TABLE}").fetchone()
    except duckdb.Error:
        return None
    return (str(row[0]), str(row[1])) if row else None


def can_start_from(published: Path, fingerprint: str | None = None) -> bool:
    """Whether an incremental build can start from ``published``: a warehouse built by this same
    dbt project (same models, macros, reference seeds, dbt and DuckDB versions)."""
    state = _build_state(published)
    return state is not None and state[1] == (fingerprint or project_fingerprint())


def changed_report_ids(building: Path) -> set[str] | None:
    """The report_ids an incremental build rebuilt (added, changed or removed since the last build);
    None when ``building`` was built in full (every report is new to it) or has no build record."""
    import duckdb

    state = _build_state(building)
    if state is None or state[0] != "incremental":
        return None
    with duckdb.connect(str(building), read_only=True) as con:
        return {r[0] for r in con.execute(f"select report_id from {CHANGED_REPORTS_TABLE}").fetchall()}


def main(argv: list[str] | None = None) -> int:
    """``python -m jixiao.warehouse.dbt_runner <dbt args>``: dbt on ``$JIXIAO_DB_PATH`` (default warehouse/jixiao.duckdb).

    Unlike bare ``dbt``, this works before anything was landed (the landed seeds are then known by
    their headers only), e.g. ``python -m jixiao.warehouse.dbt_runner docs generate``.
    """
    import sys

    args = list(sys.argv[1:] if argv is None else argv)
    db_path = Path(os.environ.get("JIXIAO_DB_PATH", PROJECT_DIR / "warehouse" / "jixiao.duckdb"))
    result = run_dbt(args or ["build"], db_path=db_path)
    print(result.summary())
    return 0 if result.success else 1


if __name__ == "__main__":
    raise SystemExit(main())
