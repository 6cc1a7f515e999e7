"""Atomic publish of a warehouse file, and the lock that keeps two refreshes of one warehouse apart.

A refresh builds into ``<db>.building-<run_id>`` next to the published file and, only when
everything passed, renames it over the published one with ``os.replace`` (atomic on one file
system).  A reader that has the old file open keeps reading the old contents; the next open
sees the new warehouse.  On failure the building file goes and the published file is never
touched.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

try:  # POSIX
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]


class RefreshLocked(RuntimeError):
    """Another refresh holds the lock of this warehouse."""


def building_path(db_path: Path, run_id: str) -> Path:
    db_path = Path(db_path)
    return db_path.with_name(f"{db_path.name}.building-{run_id}")


def lock_path(db_path: Path) -> Path:
    db_path = Path(db_path)
    return db_path.with_name(f"{db_path.name}.lock")


class WarehouseLock:
    """An exclusive, non-blocking lock on ``<db>.lock`` held for a whole refresh.

    The operating system releases it when the process ends, so a crashed refresh leaves no stale
    lock behind.  The file keeps the holder's pid for the error message.
    """

    def __init__(self, path: Path):
        self.path = Path(path)
        self._fh = None

    def acquire(self) -> WarehouseLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fh = self.path.open("a+", encoding="utf-8")
        if fcntl is not None:
            try:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                fh.seek(0)
                holder = fh.read().strip() or "another process"
                fh.close()
                raise RefreshLocked(f"another refresh of this warehouse is running (pid {holder}; lock {self.path})")
        fh.seek(0)
        fh.truncate()
        fh.write(str(os.getpid()))
        fh.flush()
        self._fh = fh
        return self

    def release(self) -> None:
        if self._fh is not None:
            if fcntl is not None:
                fcntl.flock(self._fh.fileno(), fcntl.LOCK_UN)
            self._fh.close()
            self._fh = None

    def __enter__(self) -> WarehouseLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # pragma: no cover - not possible on every platform
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


def publish(building: Path, db_path: Path) -> None:
    """Make ``building`` the published warehouse ``db_path`` in one atomic rename."""
    building, db_path = Path(building), Path(db_path)
    wal = building.with_name(building.name + ".wal")
    if wal.exists() and wal.stat().st_size:
        raise RuntimeError(f"{building} still has a write-ahead log: a connection to it is open")
    wal.unlink(missing_ok=True)
    with building.open("rb+") as fh:
        os.fsync(fh.fileno())
    os.replace(building, db_path)
    _fsync_dir(db_path.parent)


def discard(building: Path) -> None:
    """Remove a building file and its write-ahead log, if any."""
    building = Path(building)
    for path in (building, building.with_name(building.name + ".wal")):
        path.unlink(missing_ok=True)


def copy_published(db_path: Path, building: Path) -> None:
    """Start a build from a copy of the published warehouse (for a refresh that changes no data)."""
    shutil.copyfile(db_path, building)


def stale_building_files(db_path: Path) -> list[Path]:
    """Building files left by refreshes that crashed (the lock is held, so none is in use)."""
    db_path = Path(db_path)
    return sorted(db_path.parent.glob(f"{db_path.name}.building-*"))
