"""Find the report files of an input folder, identify each by the sha256 of its bytes, and say
what changed since the published warehouse was built.

The folder is walked recursively: a file in a subfolder belongs to the folder and is named by
its path relative to it (``2024/town.docx``).  Every entry is accounted for: a file that can be
hashed is a report; one that cannot (unreadable, a dangling link, a FIFO or device) is a report
quarantined with the reason, without being opened for extraction; a symbolic link that leads out
of the folder is not followed and is listed as skipped with the reason.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

from jixiao.landing.manifest import MANIFEST_NAME


@dataclass(frozen=True)
class ReportFile:
    """One input file: its name as ingested (``source_file``), where it is, and its content hash.

    ``unreadable`` is the reason a file cannot be read at all; its ``content_hash`` is then made
    from its name and that reason, and it is quarantined without extraction.
    """

    name: str
    path: Path
    content_hash: str
    size: int
    unreadable: str | None = None

    @property
    def report_id(self) -> str:
        return self.content_hash[:16]


@dataclass
class Discovery:
    """What a walk of the reports folder found: report files, and entries skipped with a reason."""

    files: list[ReportFile] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)  # relative name -> reason


@dataclass
class Changes:
    """The input folder compared with the files the published warehouse was built from (by name)."""

    new: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    duplicates: dict[str, str] = field(default_factory=dict)  # skipped file -> file with the same bytes

    @property
    def any(self) -> bool:
        return bool(self.new or self.changed or self.removed)

    def describe(self) -> str:
        text = (
            f"{len(self.new)} new, {len(self.changed)} changed, {len(self.removed)} removed, "
            f"{len(self.unchanged)} unchanged"
        )
        if self.duplicates:
            text += f" ({len(self.duplicates)} duplicate file(s) skipped)"
        return text


def is_candidate(path: Path) -> bool:
    """A regular file that is not hidden and not an office lock file (``~$x.docx``)."""
    return path.is_file() and not _ignored(path.name)


def _ignored(name: str) -> bool:
    return name.startswith((".", "~$"))


def sha256_of(path: Path) -> str:
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def unreadable_hash(name: str, reason: str) -> str:
    """The stand-in content hash of a file that cannot be read: stable while name and reason stay."""
    return hashlib.sha256(f"jixiao-unreadable\0{name}\0{reason}".encode()).hexdigest()


def _kind_of(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def _within(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def walk_reports(reports_dir: Path) -> Iterator[tuple[str, Path, str | None, str | None]]:
    """Every entry below ``reports_dir`` as ``(relative name, path, problem, skip reason)``.

    ``problem`` set: the entry is a report that cannot be read (quarantined); ``skip reason`` set:
    the entry is not part of the folder (a link leading out of it).  Hidden entries and office
    lock files are left out, and so is the folder's own ``manifest.csv`` (:mod:`jixiao.landing.manifest`).
    Links inside the folder are followed once (no loops).
    """
    root = Path(reports_dir)
    real_root = os.path.realpath(root)
    seen_dirs = {real_root}
    stack = [(root, "")]
    while stack:
        folder, prefix = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            yield prefix.rstrip("/") or ".", folder, f"cannot list the folder: {exc.strerror or exc}", None
            continue
        for entry in entries:
            if _ignored(entry.name) or (not prefix and entry.name == MANIFEST_NAME):
                continue
            name, path = prefix + entry.name, Path(entry.path)
            try:
                if entry.is_symlink():
                    target = os.path.realpath(entry.path)
                    if not os.path.exists(target):
                        missing = os.readlink(entry.path)
                        yield name, path, f"dangling symbolic link (its target {missing} is missing)", None
                        continue
                    if not _within(target, real_root):
                        why = f"symbolic link leading out of the reports folder (to {target}); not followed"
                        yield name, path, None, why
                        continue
                mode = os.stat(entry.path).st_mode  # follows a link that stays inside
            except OSError as exc:
                yield name, path, f"cannot inspect the file: {exc.strerror or exc}", None
                continue
            if stat.S_ISDIR(mode):
                real = os.path.realpath(entry.path)
                if real not in seen_dirs:
                    seen_dirs.add(real)
                    stack.append((path, name + "/"))
            elif stat.S_ISREG(mode):
                yield name, path, None, None
            else:
                yield name, path, f"{_kind_of(mode)}, not a report file", None


class HashCache:
    """The sha256 of each file as of its last hashing, reused while the file's size, modification and
    change times and inode are the same (any write changes the change time): a refresh of a large
    folder reads only the files that changed.  Kept as a TSV beside the warehouse's state."""

    def __init__(self, path: Path | None):
        self.path = path
        self.known: dict[str, tuple[str, str]] = {}  # name -> (stat key, sha256)
        self.seen: dict[str, tuple[str, str]] = {}
        if path is not None and path.is_file():
            with suppress(OSError, ValueError):
                for line in path.read_text(encoding="utf-8").splitlines():
                    name, key, digest = line.split("\t")
                    self.known[name] = (key, digest)

    @staticmethod
    def key(st: os.stat_result) -> str:
        return f"{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}"

    def sha256(self, name: str, path: Path) -> tuple[str, int]:
        """The file's hash (from the cache when its stat is unchanged) and size."""
        st = path.stat()
        key = self.key(st)
        cached = self.known.get(name)
        digest = cached[1] if cached and cached[0] == key else sha256_of(path)
        if self.key(path.stat()) == key:  # not written while it was read
            self.seen[name] = (key, digest)
        return digest, st.st_size

    def save(self) -> None:
        """Write the hashes of this walk (files gone from the folder are forgotten)."""
        if self.path is None:
            return
        with suppress(OSError):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_name(self.path.name + ".tmp")
            tmp.write_text("".join(f"{n}\t{k}\t{d}\n" for n, (k, d) in sorted(self.seen.items())), encoding="utf-8")
            os.replace(tmp, self.path)


def _hashed(item: tuple[str, Path, str | None], cache: HashCache) -> ReportFile:
    name, path, problem = item
    if problem is None:
        try:
            digest, size = cache.sha256(name, path)
            return ReportFile(name, path, digest, size)
        except OSError as exc:
            problem = f"cannot read the file: {exc.strerror or exc}"
    return ReportFile(name, path, unreadable_hash(name, problem), 0, unreadable=problem)


def discover(reports_dir: Path, threads: int = 4, hash_cache: Path | None = None) -> Discovery:
    """Walk ``reports_dir`` (recursively) and hash every report file; see :func:`walk_reports`.
    ``hash_cache``: a file of earlier hashes, reused for files whose stat has not changed."""
    reports_dir = Path(reports_dir)
    if not reports_dir.exists():
        raise FileNotFoundError(f"reports folder {reports_dir} does not exist")
    if not reports_dir.is_dir():
        raise NotADirectoryError(f"reports folder {reports_dir} is not a folder")
    found = Discovery()
    items: list[tuple[str, Path, str | None]] = []
    for name, path, problem, skip in walk_reports(reports_dir):
        if skip:
            found.skipped[name] = skip
        else:
            items.append((name, path, problem))
    items.sort(key=lambda item: item[0])
    cache = HashCache(hash_cache)
    with ThreadPoolExecutor(max_workers=threads) as pool:  # hashlib releases the GIL on big buffers
        found.files = list(pool.map(lambda item: _hashed(item, cache), items))
    cache.save()
    return found


def discover_reports(reports_dir: Path, threads: int = 4) -> list[ReportFile]:
    """Every report file below ``reports_dir``, sorted by relative name, with its hash.

    Files of any extension are returned: one that cannot be read becomes a quarantined report
    with a reason, never a silently skipped file.
    """
    return discover(reports_dir, threads).files


def drop_duplicates(files: list[ReportFile]) -> tuple[list[ReportFile], dict[str, str]]:
    """Keep the first file (by name) of each content; a copy would be the same report twice."""
    first: dict[str, str] = {}
    kept: list[ReportFile] = []
    duplicates: dict[str, str] = {}
    for f in files:
        if f.content_hash in first:
            duplicates[f.name] = first[f.content_hash]
        else:
            first[f.content_hash] = f.name
            kept.append(f)
    return kept, duplicates


def compare(files: list[ReportFile], previous: dict[str, str], duplicates: dict[str, str] | None = None) -> Changes:
    """Changes of ``files`` against ``previous`` (file name -> content hash of the last publish)."""
    changes = Changes(duplicates=dict(duplicates or {}))
    current = {f.name for f in files}
    for f in files:
        old = previous.get(f.name)
        if old is None:
            changes.new.append(f.name)
        elif old != f.content_hash:
            changes.changed.append(f.name)
        else:
            changes.unchanged.append(f.name)
    changes.removed = sorted(name for name in previous if name not in current)
    return changes
