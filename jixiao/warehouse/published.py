"""Reading the published warehouse without its lock, and telling a damaged file from a busy one.

An analyst may hold the published file open read-write (DuckDB then locks it against every other
process, readers too).  A refresh only needs to read the old file's history; when it is locked,
it reads a snapshot copy instead, so an analyst never breaks the refresh.
"""
from __future__ import annotations

import glob
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from jixiao.warehouse.publish import is_duckdb_file, previous_path


class NotADuckDBFile(RuntimeError):
    """The published warehouse file is damaged or is not a DuckDB database."""

    def __init__(self, db_path: Path):
        super().__init__(f"{db_path} is not a DuckDB file: restore from {previous_path(db_path)} or run with --full")


@contextmanager
def readable_published(db_path: Path) -> Iterator[Path | None]:
    """A path from which the published warehouse can be read read-only: itself, or a snapshot copy
    when another process holds it open read-write; ``None`` when there is no published file.

    Raises :class:`NotADuckDBFile` for a file that is not a DuckDB database.
    """
    db_path = Path(db_path)
    if not db_path.exists():
        yield None
        return
    if not is_duckdb_file(db_path):
        raise NotADuckDBFile(db_path)
    try:
        duckdb.connect(str(db_path), read_only=True).close()
        yield db_path
        return
    except duckdb.IOException as exc:
        if "not a valid DuckDB" in str(exc):
            raise NotADuckDBFile(db_path) from exc
        if "lock" not in str(exc).lower():
            raise
    snapshot = db_path.parent / ".jixiao" / f"{db_path.name}.snapshot-{os.getpid()}"
    snapshot.parent.mkdir(parents=True, exist_ok=True)
    _remove_orphaned_snapshots(snapshot.parent, db_path.name)
    shutil.copyfile(db_path, snapshot)
    try:
        yield snapshot
    finally:
        for path in (snapshot, snapshot.with_name(snapshot.name + ".wal")):
            path.unlink(missing_ok=True)


def _remove_orphaned_snapshots(folder: Path, db_name: str) -> None:
    """Snapshots left by a killed refresh (their process is gone)."""
    import psutil

    for old in folder.glob(f"{glob.escape(db_name)}.snapshot-*"):
        pid = old.name.rsplit("-", 1)[-1].removesuffix(".wal")
        if pid.isdigit() and not psutil.pid_exists(int(pid)):
            old.unlink(missing_ok=True)
