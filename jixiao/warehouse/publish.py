"""Atomic publish of a warehouse file, and the lock that keeps two refreshes of one warehouse apart.

A refresh builds into ``<db>.building-<run_id>`` next to the published file and, only when
everything passed, renames it over the published one with ``os.replace`` (atomic on one file
system).  A reader that has the old file open keeps reading the old contents; the next open
sees the new warehouse.  On failure the building file goes and the published file is never
touched.

:func:`publish` is one idempotent step: everything before the rename may be repeated (a side
file of the target such as a stale ``<db>.wal`` is moved aside, the old warehouse is kept as
``<db>.previous``), the rename happens once, and nothing after it can replace the warehouse.
"""
from __future__ import annotations

import glob
import hashlib
import os
import re
import shutil
from pathlib import Path
from typing import IO

try:  # POSIX
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]


class RefreshLocked(RuntimeError):
    """Another refresh holds the lock of this warehouse."""


class PublishError(RuntimeError):
    """Publishing failed before the rename: the published warehouse is the old one."""


# Files DuckDB keeps beside a database; one left by a crashed connection would be replayed onto
# (and corrupt) the newly published file.
SIDE_SUFFIXES = (".wal",)


def _safe_name(db_path: Path) -> str:
    """The warehouse's file name, or a plain-character stand-in when it has characters (a quote…)
    that dbt-duckdb cannot carry into its SQL."""
    name = Path(db_path).name
    if re.fullmatch(r"[A-Za-z0-9._-]+", name):
        return name
    return re.sub(r"[^A-Za-z0-9._-]", "_", name) + "-" + hashlib.sha256(name.encode()).hexdigest()[:8]


def building_path(db_path: Path, run_id: str) -> Path:
    db_path = Path(db_path)
    return db_path.with_name(f"{_safe_name(db_path)}.building-{run_id}")


def previous_path(db_path: Path) -> Path:
    """``<db>.previous``: the warehouse as it was before the last publish."""
    db_path = Path(db_path)
    return db_path.with_name(f"{db_path.name}.previous")


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
        self._fh: IO[str] | None = None

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


def move_aside_side_files(db_path: Path, run_id: str) -> list[Path]:
    """Move files DuckDB would read with ``db_path`` (a stale ``.wal``) to ``<name>.stale-<run_id>`` (kept)."""
    db_path = Path(db_path)
    moved = []
    for suffix in SIDE_SUFFIXES:
        side = db_path.with_name(db_path.name + suffix)
        if side.exists() or side.is_symlink():
            target = side.with_name(f"{side.name}.stale-{run_id}")
            os.replace(side, target)
            moved.append(target)
    return moved


def is_duckdb_file(path: Path) -> bool:
    """Whether ``path`` starts like a DuckDB database (the ``DUCK`` magic bytes at offset 8)."""
    try:
        with Path(path).open("rb") as fh:
            return fh.read(12)[8:12] == b"DUCK"
    except OSError:
        return False


def keep_previous(db_path: Path) -> Path | None:
    """Keep the published warehouse as ``<db>.previous`` (a hard link: no copy of the bytes).

    A published file that is not a DuckDB database is not kept: ``<db>.previous`` stays the
    last good warehouse.
    """
    db_path = Path(db_path)
    if not db_path.is_file() or not is_duckdb_file(db_path):
        return None
    previous = previous_path(db_path)
    tmp = previous.with_name(previous.name + ".tmp")
    tmp.unlink(missing_ok=True)
    try:
        os.link(db_path, tmp)
    except OSError:  # a file system without hard links
        shutil.copy2(db_path, tmp)
    os.replace(tmp, previous)
    return previous


def publish(building: Path, db_path: Path, run_id: str = "") -> list[Path]:
    """Make ``building`` the published warehouse ``db_path`` in one atomic rename.

    Returns the side files moved aside.  Raises :class:`PublishError` (the warehouse is then the
    old one) when a step before the rename fails; the steps before it are safe to repeat.
    """
    building, db_path = Path(building), Path(db_path)
    if not building.is_file():
        raise PublishError(f"the new build {building.name} is missing; nothing was published")
    wal = building.with_name(building.name + ".wal")
    if wal.exists() and wal.stat().st_size:
        raise PublishError(f"{building} still has a write-ahead log: a connection to it is open")
    try:
        wal.unlink(missing_ok=True)
        with building.open("rb+") as fh:
            os.fsync(fh.fileno())
        moved = move_aside_side_files(db_path, run_id or "unknown")
        keep_previous(db_path)
    except OSError as exc:
        raise PublishError(f"could not prepare the rename ({exc.strerror or exc}); "
                           f"{db_path.name} is unchanged") from exc
    try:
        os.replace(building, db_path)
    except OSError as exc:
        raise PublishError(f"could not rename {building.name} to {db_path.name} ({exc.strerror or exc}); "
                           f"{db_path.name} is unchanged") from exc
    _fsync_dir(db_path.parent)  # after the rename nothing may fail the publish
    return moved


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
    return sorted(p for p in db_path.parent.glob(f"{glob.escape(_safe_name(db_path))}.building-*")
                  if not p.name.endswith(".wal"))
