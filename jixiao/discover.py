"""Find the report files of an input folder, identify each by the sha256 of its bytes, and say
what changed since the published warehouse was built."""
from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from jixiao.manifest import MANIFEST_NAME


@dataclass(frozen=True)
class ReportFile:
    """One input file: its name as ingested (``source_file``), where it is, and its content hash."""

    name: str
    path: Path
    content_hash: str
    size: int

    @property
    def report_id(self) -> str:
        return self.content_hash[:16]


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
        text = (f"{len(self.new)} new, {len(self.changed)} changed, {len(self.removed)} removed, "
                f"{len(self.unchanged)} unchanged")
        if self.duplicates:
            text += f" ({len(self.duplicates)} duplicate file(s) skipped)"
        return text


def is_candidate(path: Path) -> bool:
    """A regular file that is not hidden and not an office lock file (``~$x.docx``)."""
    return path.is_file() and not path.name.startswith((".", "~$"))


def sha256_of(path: Path) -> str:
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def discover_reports(reports_dir: Path, threads: int = 4) -> list[ReportFile]:
    """Every candidate file directly inside ``reports_dir``, sorted by name, with its hash.

    Files of any extension are returned: one that cannot be read becomes a quarantined report
    with a reason, never a silently skipped file.  The folder's own ``manifest.csv`` is not a
    report (:mod:`jixiao.manifest`).
    """
    reports_dir = Path(reports_dir)
    if not reports_dir.exists():
        raise FileNotFoundError(f"reports folder {reports_dir} does not exist")
    if not reports_dir.is_dir():
        raise NotADirectoryError(f"reports folder {reports_dir} is not a folder")
    paths = sorted((p for p in reports_dir.iterdir() if is_candidate(p) and p.name != MANIFEST_NAME),
                   key=lambda p: p.name)
    with ThreadPoolExecutor(max_workers=threads) as pool:  # hashlib releases the GIL on big buffers
        hashes = list(pool.map(sha256_of, paths))
    return [ReportFile(p.name, p, h, p.stat().st_size) for p, h in zip(paths, hashes)]


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
