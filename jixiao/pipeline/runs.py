"""The refresh history: ``pipeline_runs`` (one row per refresh) and ``pipeline_files`` (the input
files the published warehouse was built from).

A refresh that has not published cannot write into the published warehouse (it must stay
byte-for-byte as it was), so every refresh also writes its record to a run log beside the
warehouse, ``<db dir>/.jixiao/<db name>.runs.jsonl``: once when it starts, every
:data:`HEARTBEAT_S` seconds while it runs, and once when it ends.  In the warehouse,
``pipeline_runs`` is a view: the published history (table ``pipeline_run_history``) plus the
runs of the log not yet in it, so a failed or interrupted run shows in SQL at once, and a killed
run (no heartbeat for :data:`STALE_AFTER_S` seconds) as ``killed`` within a minute.  The next
publish moves the log's finished runs into ``pipeline_run_history``.
"""

from __future__ import annotations

import json
import os
import threading
import time
from contextlib import suppress
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

HISTORY_TABLE = "pipeline_run_history"
HEARTBEAT_S = 20
STALE_AFTER_S = 60
RUN_STATUSES = ("running", "published", "unchanged", "failed", "interrupted", "killed")

PIPELINE_RUNS_DDL = """
CREATE TABLE IF NOT EXISTS main.pipeline_run_history (
    run_id                VARCHAR NOT NULL,
    flow_run_id           VARCHAR,
    started_at            TIMESTAMP NOT NULL,
    finished_at           TIMESTAMP,
    status                VARCHAR NOT NULL,   -- published | unchanged | failed | interrupted | killed
    status_reason         VARCHAR,
    reports_dir           VARCHAR,
    landing_mode          VARCHAR,
    reports_total         INTEGER,
    reports_new           INTEGER,
    reports_changed       INTEGER,
    reports_unchanged     INTEGER,
    reports_removed       INTEGER,
    reports_quarantined   INTEGER,
    reports_extracted     INTEGER,
    reports_duplicate     INTEGER,
    fact_rows             JSON,               -- {"fct_budget": 123, ...}
    step_seconds          JSON,               -- {"discover": 0.2, "extract": 3.1, ...}
    quality_checks_passed INTEGER,
    quality_checks_failed INTEGER,
    quality_failures      JSON,               -- messages of the failed expectations
    build_fingerprint     VARCHAR
)
"""

PIPELINE_FILES_DDL = """
CREATE OR REPLACE TABLE main.pipeline_files (
    run_id        VARCHAR NOT NULL,
    source_file   VARCHAR NOT NULL,
    content_hash  VARCHAR NOT NULL,
    report_id     VARCHAR NOT NULL,
    file_format   VARCHAR,
    status        VARCHAR NOT NULL,
    status_reason VARCHAR
)
"""


@dataclass
class RunRecord:
    """One row of ``pipeline_runs``."""

    run_id: str
    started_at: datetime
    status: str = "running"
    flow_run_id: str | None = None
    finished_at: datetime | None = None
    status_reason: str | None = None
    reports_dir: str | None = None
    landing_mode: str | None = None
    reports_total: int | None = None
    reports_new: int | None = None
    reports_changed: int | None = None
    reports_unchanged: int | None = None
    reports_removed: int | None = None
    reports_quarantined: int | None = None
    reports_extracted: int | None = None
    reports_duplicate: int | None = None
    fact_rows: dict[str, int] = field(default_factory=dict)
    step_seconds: dict[str, float] = field(default_factory=dict)
    quality_checks_passed: int | None = None
    quality_checks_failed: int | None = None
    quality_failures: list[str] = field(default_factory=list)
    build_fingerprint: str | None = None

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("started_at", "finished_at"):
            data[key] = data[key].isoformat() if data[key] else None
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RunRecord:
        data = dict(data)
        for key in ("started_at", "finished_at"):
            data[key] = datetime.fromisoformat(data[key]) if data.get(key) else None
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})


@dataclass
class PublishedFile:
    """One row of ``pipeline_files``."""

    source_file: str
    content_hash: str
    file_format: str | None
    status: str
    status_reason: str | None


_JSON_COLUMNS = ("fact_rows", "step_seconds", "quality_failures")


def _row(record: RunRecord) -> dict[str, Any]:
    data = asdict(record)
    for key in _JSON_COLUMNS:
        data[key] = json.dumps(data[key], ensure_ascii=False)
    return data


def insert_runs(con: duckdb.DuckDBPyConnection, records: list[RunRecord]) -> None:
    """Append ``records`` to ``pipeline_run_history`` (created if missing); a run_id already there is skipped."""
    con.execute(PIPELINE_RUNS_DDL)
    present = {r[0] for r in con.execute(f"SELECT run_id FROM main.{HISTORY_TABLE}").fetchall()}
    for record in records:
        if record.run_id in present:
            continue
        row = _row(record)
        cols = ", ".join(row)
        con.execute(
            f"INSERT INTO main.{HISTORY_TABLE} ({cols}) VALUES ({', '.join('?' * len(row))})", list(row.values())
        )


_LOG_COLUMNS = {
    "run_id": "VARCHAR",
    "flow_run_id": "VARCHAR",
    "started_at": "TIMESTAMP",
    "finished_at": "TIMESTAMP",
    "status": "VARCHAR",
    "status_reason": "VARCHAR",
    "reports_dir": "VARCHAR",
    "landing_mode": "VARCHAR",
    "reports_total": "INTEGER",
    "reports_new": "INTEGER",
    "reports_changed": "INTEGER",
    "reports_unchanged": "INTEGER",
    "reports_removed": "INTEGER",
    "reports_quarantined": "INTEGER",
    "reports_extracted": "INTEGER",
    "reports_duplicate": "INTEGER",
    "fact_rows": "JSON",
    "step_seconds": "JSON",
    "quality_checks_passed": "INTEGER",
    "quality_checks_failed": "INTEGER",
    "quality_failures": "JSON",
    "build_fingerprint": "VARCHAR",
    "pid": "INTEGER",
    "heartbeat_epoch": "DOUBLE",
}


def sql_string(text: str | Path) -> str:
    """A SQL string literal (quotes doubled)."""
    return "'" + str(text).replace("'", "''") + "'"


def create_runs_view(con: duckdb.DuckDBPyConnection, db_path: Path) -> None:
    """``pipeline_runs``: the published history plus the runs in the run log beside ``db_path``."""
    log = run_log_path(db_path)
    columns = "{" + ", ".join(f"{sql_string(k)}: {sql_string(v)}" for k, v in _LOG_COLUMNS.items()) + "}"
    record_columns = [c for c in _LOG_COLUMNS if c not in ("pid", "heartbeat_epoch", "status", "status_reason")]
    stale = f"status = 'running' AND heartbeat_epoch < epoch(now()) - {STALE_AFTER_S}"
    con.execute(PIPELINE_RUNS_DDL)
    con.execute(f"""
CREATE OR REPLACE VIEW main.pipeline_runs AS
WITH logged AS (
    SELECT * FROM read_json({sql_string(log)}, format = 'newline_delimited', columns = {columns})
), latest AS (
    SELECT * FROM logged
    WHERE run_id NOT IN (SELECT run_id FROM main.{HISTORY_TABLE})
    QUALIFY row_number() OVER (PARTITION BY run_id ORDER BY heartbeat_epoch DESC) = 1
)
SELECT * FROM main.{HISTORY_TABLE}
UNION ALL BY NAME
SELECT {", ".join(record_columns)},
       CASE WHEN {stale} THEN 'killed' ELSE status END AS status,
       CASE WHEN {stale} THEN 'the refresh (pid ' || pid || ') stopped without finishing: killed or crashed; '
            || 'last sign of life at ' || strftime(to_timestamp(heartbeat_epoch), '%Y-%m-%d %H:%M:%S UTC')
            ELSE status_reason END AS status_reason
FROM latest
""")


def write_published_files(con: duckdb.DuckDBPyConnection, run_id: str, files: list[PublishedFile]) -> None:
    """Replace ``pipeline_files`` with the files this build was made from."""
    import pandas as pd

    con.execute(PIPELINE_FILES_DDL)
    frame = pd.DataFrame(  # one bulk insert: executemany costs ~0.5 ms a row in DuckDB
        [
            (run_id, f.source_file, f.content_hash, f.content_hash[:16], f.file_format, f.status, f.status_reason)
            for f in files
        ],
        columns=["run_id", "source_file", "content_hash", "report_id", "file_format", "status", "status_reason"],
    )
    con.register("published_files_frame", frame)
    con.execute("INSERT INTO main.pipeline_files SELECT * FROM published_files_frame")
    con.unregister("published_files_frame")


def _has_table(con: duckdb.DuckDBPyConnection, table: str, views: bool = False) -> bool:
    kinds = ("BASE TABLE", "VIEW") if views else ("BASE TABLE",)
    row = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'main' AND table_name = ? "
        "AND table_type IN ?",
        [table, list(kinds)],
    ).fetchone()
    return bool(row and row[0])


def read_published_state(db_path: Path) -> tuple[dict[str, PublishedFile], str | None]:
    """The files the published warehouse was built from, and the fingerprint of the code that built it.

    No published warehouse (or one built before this history existed): nothing, None.
    """
    from jixiao.warehouse.published import readable_published

    with readable_published(Path(db_path)) as readable:
        if readable is None:
            return {}, None
        return _published_state(readable)


def _published_state(db_path: Path) -> tuple[dict[str, PublishedFile], str | None]:
    with duckdb.connect(str(db_path), read_only=True) as con:
        files: dict[str, PublishedFile] = {}
        if _has_table(con, "pipeline_files"):
            for name, content_hash, fmt, status, reason in con.execute(
                "SELECT source_file, content_hash, file_format, status, status_reason FROM main.pipeline_files"
            ).fetchall():
                if status != "skipped":
                    files[name] = PublishedFile(name, content_hash, fmt, status, reason)
        fingerprint = None
        history = HISTORY_TABLE if _has_table(con, HISTORY_TABLE) else "pipeline_runs"
        if _has_table(con, history):
            row = con.execute(
                f"SELECT build_fingerprint FROM main.{history} WHERE status IN ('published', 'unchanged') "
                "ORDER BY started_at DESC LIMIT 1"
            ).fetchone()
            fingerprint = row[0] if row else None
    return files, fingerprint


def read_runs(db_path: Path) -> list[dict[str, Any]]:
    """All rows of ``pipeline_runs``, oldest first (JSON columns decoded).

    Computed here as the view computes it (published history plus the run log beside
    ``db_path``), so the answer is right for a warehouse copied elsewhere too, whose view still
    reads the log of the place it was published at.
    """
    with duckdb.connect(str(db_path), read_only=True) as con:
        table = next((t for t in (HISTORY_TABLE, "pipeline_runs") if _has_table(con, t)), None)
        rows: list[dict[str, Any]] = []
        if table is not None:
            cur = con.execute(f"SELECT * FROM main.{table} ORDER BY started_at")
            names = [d[0] for d in cur.description]
            rows = [dict(zip(names, r)) for r in cur.fetchall()]
    for row in rows:
        for key in _JSON_COLUMNS:
            if isinstance(row.get(key), str):
                row[key] = json.loads(row[key])
    present = {row["run_id"] for row in rows}
    now = time.time()
    for record, beat in _logged(db_path).values():
        if record.run_id in present:
            continue
        if record.status == "running" and beat < now - STALE_AFTER_S:
            record = replace(record, status="killed", status_reason=_killed_reason(beat))
        rows.append(asdict(record))
    return sorted(rows, key=lambda r: r["started_at"])


def _killed_reason(beat: float) -> str:
    seen = datetime.fromtimestamp(beat, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    return f"the refresh stopped without finishing: killed or crashed; last sign of life at {seen}"


# --------------------------------------------------------------------------- the run log
def run_log_path(db_path: Path) -> Path:
    db_path = Path(db_path)
    return db_path.parent / ".jixiao" / f"{db_path.name}.runs.jsonl"


def log_run(db_path: Path, record: RunRecord) -> None:
    """Append ``record`` (with this process's pid and the time) to the run log beside the warehouse."""
    path = run_log_path(db_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps({**record.to_json(), "pid": os.getpid(), "heartbeat_epoch": time.time()}, ensure_ascii=False)
    with path.open("a", encoding="utf-8") as fh:
        fh.write(line + "\n")
        fh.flush()
        os.fsync(fh.fileno())


def ensure_run_log(db_path: Path) -> None:
    path = run_log_path(db_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(exist_ok=True)


def _logged(db_path: Path) -> dict[str, tuple[RunRecord, float]]:
    """The latest record of every run in the log, with its heartbeat time."""
    path = run_log_path(db_path)
    if not path.exists():
        return {}
    latest: dict[str, tuple[RunRecord, float]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            data = json.loads(line)
            beat = float(data.get("heartbeat_epoch") or 0)
            record = RunRecord.from_json(data)
        except (ValueError, TypeError):
            continue  # a half-written line of a crashed process
        if record.run_id not in latest or beat >= latest[record.run_id][1]:
            latest[record.run_id] = (record, beat)
    return latest


def pending_failed_runs(db_path: Path, current_run: str | None = None) -> list[RunRecord]:
    """Runs of the log that ended without publishing (failed, interrupted or killed), oldest first.

    Called under the warehouse lock, so a run still ``running`` in the log (other than
    ``current_run``) is one that died without a word: it is reported as ``killed``.
    """
    out = []
    for record, beat in _logged(db_path).values():
        if record.run_id == current_run or record.status in ("published", "unchanged"):
            continue
        if record.status == "running":
            record.status, record.status_reason = "killed", _killed_reason(beat)
        out.append(record)
    return sorted(out, key=lambda r: r.started_at)


def remember_failed_run(db_path: Path, record: RunRecord) -> None:
    """Log a run that ended without publishing (it enters ``pipeline_run_history`` with the next publish)."""
    log_run(db_path, record)


def forget_failed_runs(db_path: Path, run_ids: set[str]) -> None:
    """Drop the runs now in the published ``pipeline_run_history`` from the log."""
    path = run_log_path(db_path)
    if not path.exists():
        return
    kept = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            if json.loads(line).get("run_id") in run_ids:
                continue
        except ValueError:
            continue
        kept.append(line + "\n")
    tmp = path.with_suffix(".tmp")
    tmp.write_text("".join(kept), encoding="utf-8")
    os.replace(tmp, path)


class Heartbeat:
    """Logs ``record`` every :data:`HEARTBEAT_S` seconds from a daemon thread while a run lasts."""

    def __init__(self, db_path: Path, record: RunRecord, every_s: float = HEARTBEAT_S):
        self.db_path, self.record, self.every_s = Path(db_path), record, every_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name="jixiao-heartbeat", daemon=True)

    def _beat(self) -> None:
        while not self._stop.wait(self.every_s):
            with suppress(OSError):  # a full disk must not stop the refresh; the run then shows as killed
                log_run(self.db_path, replace(self.record, status="running"))

    def __enter__(self) -> Heartbeat:
        log_run(self.db_path, replace(self.record, status="running"))
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        """Stop beating (safe to call more than once)."""
        self._stop.set()
        if self._thread.ident is not None:
            self._thread.join(timeout=5)
