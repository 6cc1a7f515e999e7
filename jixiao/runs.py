"""The refresh history in the warehouse: ``pipeline_runs`` (one row per refresh) and
``pipeline_files`` (the input files the published warehouse was built from).

A failed refresh cannot write into the published warehouse (it must stay byte-for-byte as it
was), so its record waits in ``<db dir>/.jixiao/<db name>.failed-runs.jsonl`` and enters
``pipeline_runs`` with the next successful publish.
"""
from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

PIPELINE_RUNS_DDL = """
CREATE TABLE IF NOT EXISTS main.pipeline_runs (
    run_id                VARCHAR NOT NULL,
    flow_run_id           VARCHAR,
    started_at            TIMESTAMP NOT NULL,
    finished_at           TIMESTAMP,
    status                VARCHAR NOT NULL,   -- published | unchanged | failed
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
    """Append ``records`` to ``pipeline_runs`` (created if missing); a run_id already there is skipped."""
    con.execute(PIPELINE_RUNS_DDL)
    present = {r[0] for r in con.execute("SELECT run_id FROM main.pipeline_runs").fetchall()}
    for record in records:
        if record.run_id in present:
            continue
        row = _row(record)
        cols = ", ".join(row)
        con.execute(f"INSERT INTO main.pipeline_runs ({cols}) VALUES ({', '.join('?' * len(row))})", list(row.values()))


def write_published_files(con: duckdb.DuckDBPyConnection, run_id: str, files: list[PublishedFile]) -> None:
    """Replace ``pipeline_files`` with the files this build was made from."""
    import pandas as pd

    con.execute(PIPELINE_FILES_DDL)
    frame = pd.DataFrame(  # one bulk insert: executemany costs ~0.5 ms a row in DuckDB
        [(run_id, f.source_file, f.content_hash, f.content_hash[:16], f.file_format, f.status, f.status_reason)
         for f in files],
        columns=["run_id", "source_file", "content_hash", "report_id", "file_format", "status", "status_reason"],
    )
    con.register("published_files_frame", frame)
    con.execute("INSERT INTO main.pipeline_files SELECT * FROM published_files_frame")
    con.unregister("published_files_frame")


def _has_table(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    return bool(con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'main' AND table_name = ?",
        [table]).fetchone()[0])


def read_published_state(db_path: Path) -> tuple[dict[str, PublishedFile], str | None]:
    """The files the published warehouse was built from, and the fingerprint of the code that built it.

    No published warehouse (or one built before this history existed): nothing, None.
    """
    db_path = Path(db_path)
    if not db_path.exists():
        return {}, None
    with duckdb.connect(str(db_path), read_only=True) as con:
        files: dict[str, PublishedFile] = {}
        if _has_table(con, "pipeline_files"):
            for name, content_hash, fmt, status, reason in con.execute(
                    "SELECT source_file, content_hash, file_format, status, status_reason FROM main.pipeline_files"
            ).fetchall():
                files[name] = PublishedFile(name, content_hash, fmt, status, reason)
        fingerprint = None
        if _has_table(con, "pipeline_runs"):
            row = con.execute(
                "SELECT build_fingerprint FROM main.pipeline_runs WHERE status IN ('published', 'unchanged') "
                "ORDER BY started_at DESC LIMIT 1").fetchone()
            fingerprint = row[0] if row else None
    return files, fingerprint


def read_runs(db_path: Path) -> list[dict[str, Any]]:
    """All rows of ``pipeline_runs``, oldest first (JSON columns decoded)."""
    with duckdb.connect(str(db_path), read_only=True) as con:
        if not _has_table(con, "pipeline_runs"):
            return []
        cur = con.execute("SELECT * FROM main.pipeline_runs ORDER BY started_at")
        names = [d[0] for d in cur.description]
        rows = [dict(zip(names, r)) for r in cur.fetchall()]
    for row in rows:
        for key in _JSON_COLUMNS:
            if isinstance(row.get(key), str):
                row[key] = json.loads(row[key])
    return rows


# --------------------------------------------------------------------------- failed runs waiting
def failed_runs_path(db_path: Path) -> Path:
    db_path = Path(db_path)
    return db_path.parent / ".jixiao" / f"{db_path.name}.failed-runs.jsonl"


def remember_failed_run(db_path: Path, record: RunRecord) -> None:
    """Keep a failed run's record until the next publish can write it into ``pipeline_runs``."""
    path = failed_runs_path(db_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(record.to_json(), ensure_ascii=False) + "\n")
        fh.flush()
        os.fsync(fh.fileno())


def pending_failed_runs(db_path: Path) -> list[RunRecord]:
    path = failed_runs_path(db_path)
    if not path.exists():
        return []
    records = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            records.append(RunRecord.from_json(json.loads(line)))
        except (ValueError, TypeError):
            continue  # a half-written line of a crashed process
    return records


def forget_failed_runs(db_path: Path, run_ids: set[str]) -> None:
    """Drop the waiting records that are now in the published ``pipeline_runs``."""
    path = failed_runs_path(db_path)
    remaining = [r for r in pending_failed_runs(db_path) if r.run_id not in run_ids]
    if remaining:
        tmp = path.with_suffix(".tmp")
        tmp.write_text("".join(json.dumps(r.to_json(), ensure_ascii=False) + "\n" for r in remaining), encoding="utf-8")
        os.replace(tmp, path)
    else:
        path.unlink(missing_ok=True)
