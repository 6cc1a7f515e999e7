"""Incremental extraction: each report's landed rows cached on disk, keyed by content and code.

A report is identified by the sha256 of its bytes.  What extraction made of it is kept as the
report's own lines of every landed seed (CSV text without header) in
``<cache_root>/<extractor version>/<sha256>.json``; the extractor version is a hash of the
extraction, reading and landing code, so any change of that code starts a fresh cache.
Landing a refresh is then a concatenation of cached lines: unchanged reports are never
extracted, parsed or re-rendered again.
"""

from __future__ import annotations

import ast
import csv
import hashlib
import io
import json
import logging
import os
import shutil
import signal
import sys
import tempfile
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from jixiao.landing.manifest import Manifest, apply_entry
from jixiao.landing.schema import SEED_COLUMNS, column_names
from jixiao.model import ReportExtraction, ReportHeader

log = logging.getLogger(__name__)

PACKAGE_DIR = Path(__file__).resolve().parents[1]
CACHE_FORMAT = 1
# Code whose change changes what a report's landed rows are (contract: spec.yml's codes and columns).
EXTRACTION_CODE = ("contract", "text", "readers", "extract", "landing", "model.py")
# Libraries whose data or behaviour feeds extraction (gazetteer, character conversion, readers).
EXTRACTION_LIBRARIES = (
    "cpca",
    "opencc-python-reimplemented",
    "python-docx",
    "pdfplumber",
    "beautifulsoup4",
    "lxml",
    "charset-normalizer",
    "openpyxl",
    "xlrd",
    "rapidocr-onnxruntime",
    "pypdfium2",
)


def fingerprint_paths(paths: Iterable[Path], salt: str = "") -> str:
    """sha256 (16 hex) over the relative names and bytes of every file under ``paths``."""
    digest = hashlib.sha256(salt.encode())
    for root in paths:
        root = Path(root)
        files = (
            sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else ([root] if root.is_file() else [])
        )
        for f in files:
            if "__pycache__" in f.parts or f.suffix == ".pyc":
                continue
            digest.update(f.name.encode() + b"\0")
            digest.update(f.read_bytes())
    return digest.hexdigest()[:16]


def declared_extractor_version() -> str:
    """``jixiao.extract.EXTRACTOR_VERSION``, read from its source file.

    Importing the extractors (every reader with them) costs a no-change refresh, which extracts
    nothing, about half a second; the value is the same.  When the extractors are loaded already,
    their attribute is the answer.
    """
    loaded = sys.modules.get("jixiao.extract")
    if loaded is not None and hasattr(loaded, "EXTRACTOR_VERSION"):
        return str(loaded.EXTRACTOR_VERSION)
    source = (PACKAGE_DIR / "extract" / "__init__.py").read_text(encoding="utf-8")
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "EXTRACTOR_VERSION" for t in node.targets
        ):
            return str(ast.literal_eval(node.value))
    from jixiao.extract import EXTRACTOR_VERSION  # not a plain assignment any more: ask the module

    return EXTRACTOR_VERSION


def extractor_version() -> str:
    """Version of everything that turns a file into landed rows (code, declared version, libraries)."""
    EXTRACTOR_VERSION = declared_extractor_version()
    libs = []
    for name in EXTRACTION_LIBRARIES:
        try:
            libs.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            libs.append(f"{name}=-")
    salt = f"{CACHE_FORMAT}|{EXTRACTOR_VERSION}|{'|'.join(libs)}"
    return fingerprint_paths([PACKAGE_DIR / p for p in EXTRACTION_CODE], salt)


# Per-file limits of extraction (environment variables override them).
FILE_TIME_LIMIT_S = float(os.environ.get("JIXIAO_FILE_TIME_LIMIT_S", "120"))
WORKER_MEMORY_LIMIT_MB = int(os.environ.get("JIXIAO_WORKER_MEMORY_LIMIT_MB", "4096"))


class FileTimeLimit(BaseException):
    """Reading one file took longer than :data:`FILE_TIME_LIMIT_S` (a BaseException: no reader swallows it)."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise :class:`FileTimeLimit` in the block after ``seconds`` (main thread only; else no limit)."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expired(signum, frame):
        raise FileTimeLimit()

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def limit_worker_memory(limit_mb: int = WORKER_MEMORY_LIMIT_MB) -> None:
    """Cap the address space of an extraction worker process (not of the main process)."""
    import multiprocessing

    if limit_mb <= 0 or multiprocessing.parent_process() is None:
        return
    try:
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        want = limit_mb * 1024 * 1024
        if soft == resource.RLIM_INFINITY or soft > want:
            resource.setrlimit(resource.RLIMIT_AS, (want, hard))
    except (ImportError, ValueError, OSError):  # pragma: no cover - not every platform
        pass


def _limit_reason(exc: BaseException) -> str | None:
    if isinstance(exc, FileTimeLimit):
        return f"took longer than the time limit of {FILE_TIME_LIMIT_S:g} s per file (limit: time)"
    if isinstance(exc, MemoryError):
        return (
            f"needed more memory than the limit of {WORKER_MEMORY_LIMIT_MB} MiB per extraction process (limit: memory)"
        )
    if isinstance(exc, RecursionError):
        return "nested too deeply to read (limit: nesting depth)"
    return None


@dataclass
class CachedReport:
    """One report as landed: its status and its own lines of each landed seed."""

    source_file: str
    content_hash: str
    file_format: str
    status: str
    status_reason: str | None
    rows: dict[str, int] = field(default_factory=dict)  # rows per landed seed
    seeds: dict[str, str] = field(default_factory=dict)  # CSV lines (no header) per landed seed
    extracted: bool = False  # extracted in this process (not read from the cache)

    @property
    def report_id(self) -> str:
        return self.content_hash[:16]

    def meta(self) -> CachedReport:
        """The same report without its CSV lines (cheap to pass between processes)."""
        return CachedReport(
            self.source_file,
            self.content_hash,
            self.file_format,
            self.status,
            self.status_reason,
            dict(self.rows),
            {},
            self.extracted,
        )


class ExtractionCache:
    """``root/<version>/<sha256>.json`` files, written atomically."""

    def __init__(self, root: Path, version: str | None = None):
        self.root = Path(root)
        self.version = version or extractor_version()
        self.dir = self.root / self.version

    def path(self, content_hash: str) -> Path:
        return self.dir / f"{content_hash}.json"

    def has(self, content_hash: str) -> bool:
        return self.path(content_hash).is_file()

    def get(self, content_hash: str) -> CachedReport | None:
        """The cached report, or None when absent or unreadable (it is then extracted again)."""
        path = self.path(content_hash)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.pop("format", None) != CACHE_FORMAT or data.get("content_hash") != content_hash:
                return None
            data.pop("extracted", None)
            return CachedReport(**data)
        except FileNotFoundError:
            return None
        except (OSError, ValueError, TypeError) as exc:
            log.warning("ignoring unreadable cache entry %s: %s", path, exc)
            return None

    def put(self, report: CachedReport) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        data = {"format": CACHE_FORMAT, **asdict(report)}
        data.pop("extracted", None)
        path = self.path(report.content_hash)
        fd, tmp = tempfile.mkstemp(dir=self.dir, prefix=path.name, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False)
        os.replace(tmp, path)

    def prune_other_versions(self) -> int:
        """Remove the entries of other extractor versions; returns how many version folders went."""
        if not self.root.is_dir():
            return 0
        stale = [d for d in self.root.iterdir() if d.is_dir() and d.name != self.version]
        for d in stale:
            shutil.rmtree(d, ignore_errors=True)
        return len(stale)


# --------------------------------------------------------------------------- extraction → cache
def _quarantined_copy(ex: ReportExtraction, reason: str) -> ReportExtraction:
    return ReportExtraction(
        ex.source_file, ex.content_hash, ex.file_format, ReportHeader(), status="quarantined", status_reason=reason
    )


def _write_seeds(extractions: list[ReportExtraction], seeds_dir: Path) -> list[ReportExtraction]:
    """``write_landed_seeds`` for a batch; a report that cannot be landed is quarantined with the reason."""
    from jixiao.landing.seeds import LandingError, write_landed_seeds

    try:
        write_landed_seeds(extractions, seeds_dir)
        return extractions
    except LandingError:
        pass
    fixed = []
    for ex in extractions:  # find the culprit(s): land one by one
        try:
            write_landed_seeds([ex], seeds_dir)
            fixed.append(ex)
        except LandingError as exc:
            fixed.append(_quarantined_copy(ex, f"extracted values could not be landed: {exc}"))
    write_landed_seeds(fixed, seeds_dir)
    return fixed


def render_landed_lines(extractions: list[ReportExtraction]) -> dict[str, dict[str, list[list[str]]]]:
    """Landed seed rows of each report: ``{report_id: {seed: [row, …]}}`` as ``write_landed_seeds`` writes them."""
    out: dict[str, dict[str, list[list[str]]]] = {ex.report_id: {} for ex in extractions}
    with tempfile.TemporaryDirectory(prefix="jixiao-landing-") as tmp:
        _write_seeds(extractions, Path(tmp))
        for seed in SEED_COLUMNS:
            with (Path(tmp) / f"{seed}.csv").open(encoding="utf-8", newline="") as fh:
                reader = csv.reader(fh)
                header = next(reader)
                key = header.index("report_id")
                for row in reader:
                    out.setdefault(row[key], {}).setdefault(seed, []).append(row)
    return out


def _csv_text(rows: list[list[str]]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue()


def extract_to_cache(files: list[tuple[str, Path, str]], cache: ExtractionCache) -> list[CachedReport]:
    """Extract ``(name, path, content_hash)`` files, cache each one's landed lines, return their metadata.

    ``extract_file`` quarantines bad input itself; an unexpected crash of the extractor on one file
    quarantines that file (not cached, so a fixed extractor retries it) instead of stopping the batch.
    A file whose bytes are no longer those discovered (changed or deleted during the run) is
    quarantined under its discovered hash, not cached, and read again by the next refresh.
    """
    from jixiao.extract import extract_file

    extractions: list[ReportExtraction] = []
    cacheable: dict[str, bool] = {}
    limit_worker_memory()
    for name, path, content_hash in files:
        fmt = Path(name).suffix.lstrip(".") or "unknown"
        try:
            with time_limit(FILE_TIME_LIMIT_S):
                ex = extract_file(path)
            cacheable[content_hash] = True
            limit = _limit_reason_of_quarantine(ex)
            if limit:
                ex.status_reason = limit
        except (Exception, FileTimeLimit) as exc:
            limit = _limit_reason(exc)
            if limit is None:
                log.exception("extractor crashed on %s", path)
            ex = ReportExtraction(
                name,
                content_hash,
                fmt,
                ReportHeader(),
                status="quarantined",
                status_reason=f"{name}: {limit}" if limit else f"extractor crashed: {type(exc).__name__}: {exc}",
            )
            cacheable[content_hash] = limit is not None  # a limit hit is a property of the file
        if ex.content_hash != content_hash:
            ex = ReportExtraction(
                name,
                content_hash,
                fmt,
                ReportHeader(),
                status="quarantined",
                status_reason="the file changed or disappeared while the refresh read it; "
                "it is read again by the next refresh",
            )
            cacheable[content_hash] = False
        ex.source_file = name
        base = Path(path).name
        if name != base and ex.status_reason and ex.status_reason.startswith(base + ":"):
            ex.status_reason = name + ex.status_reason[len(base) :]  # a bundle member, named as ingested
        extractions.append(ex)
    return _cache_extractions(extractions, cacheable, cache)


def _limit_reason_of_quarantine(ex: ReportExtraction) -> str | None:
    """``extract_file`` turns every exception into a quarantine; name the limit when one was hit."""
    reason = ex.status_reason or ""
    if ex.status != "quarantined":
        return None
    for exc_type in (MemoryError, RecursionError):
        if exc_type.__name__ in reason:
            return f"{ex.source_file}: {_limit_reason(exc_type())}"
    return None


def quarantine_to_cache(name: str, content_hash: str, reason: str, cache: ExtractionCache) -> CachedReport:
    """Cache a file that cannot be read at all as a quarantined report (it is never opened)."""
    ex = ReportExtraction(
        name,
        content_hash,
        Path(name).suffix.lstrip(".") or "unknown",
        ReportHeader(),
        status="quarantined",
        status_reason=reason,
    )
    return _cache_extractions([ex], {content_hash: True}, cache)[0]


def _cache_extractions(
    extractions: list[ReportExtraction], cacheable: dict[str, bool], cache: ExtractionCache
) -> list[CachedReport]:
    by_report = render_landed_lines(extractions)
    results = []
    for ex in extractions:
        lines = by_report.get(ex.report_id, {})
        status: str = ex.status
        reason = ex.status_reason
        report_rows = lines.get("landed_reports")
        if report_rows:  # the landed row is the truth (landing may have quarantined the report)
            header = column_names("landed_reports")
            status = report_rows[0][header.index("status")] or status
            reason = report_rows[0][header.index("status_reason")] or None
        entry = CachedReport(
            source_file=ex.source_file,
            content_hash=ex.content_hash,
            file_format=ex.file_format,
            status=status,
            status_reason=reason,
            rows={seed: len(lines.get(seed, [])) for seed in SEED_COLUMNS},
            seeds={seed: _csv_text(rows) for seed, rows in lines.items()},
            extracted=True,
        )
        if cacheable.get(ex.content_hash):
            cache.put(entry)
        results.append(entry)
    return results


# --------------------------------------------------------------------------- cache → landed seeds
def _renamed(entry: CachedReport, name: str) -> CachedReport:
    """The cached lines of a report now found under another file name."""
    if entry.source_file == name:
        return entry
    lines = entry.seeds.get("landed_reports", "")
    rows = list(csv.reader(io.StringIO(lines)))
    idx = column_names("landed_reports").index("source_file")
    for row in rows:
        row[idx] = name
    return CachedReport(
        name,
        entry.content_hash,
        entry.file_format,
        entry.status,
        entry.status_reason,
        entry.rows,
        {**entry.seeds, "landed_reports": _csv_text(rows)},
        entry.extracted,
    )


def _with_manifest(entry: CachedReport, manifest: Manifest | None) -> CachedReport:
    """The report's lines with its landed_reports row overwritten by its manifest.csv line, if any,
    and a ``manifest_disagrees`` finding for each value the text stated otherwise."""
    item = manifest.entry(entry.source_file) if manifest else None
    if item is None or not entry.seeds.get("landed_reports"):
        return entry
    from jixiao.landing.seeds import finding_row, format_cell, settle_unit

    columns = SEED_COLUMNS["landed_reports"]
    (cells,) = list(csv.reader(io.StringIO(entry.seeds["landed_reports"])))
    row: dict[str, Any] = {}
    for (name, duck_type), cell in zip(columns, cells):
        row[name] = (
            (int(cell) if duck_type == "integer" else float(cell) if duck_type == "double" else cell) if cell else None
        )
    findings = apply_entry(row, item, entry.source_file)
    settle_unit(row, manifest_applied=True)
    where = f"{manifest.path if manifest else 'manifest.csv'}: line {item.line}"
    report_line = [format_cell(row.get(name), t, f"{where}: {name}") for name, t in columns]
    finding_lines = [
        [format_cell(r.get(name), t, where) for name, t in SEED_COLUMNS["landed_findings"]]
        for r in (finding_row(entry.report_id, f) for f in findings)
    ]
    seeds = {
        **entry.seeds,
        "landed_reports": _csv_text([report_line]),
        "landed_findings": entry.seeds.get("landed_findings", "") + _csv_text(finding_lines),
    }
    rows = {**entry.rows, "landed_findings": entry.rows.get("landed_findings", 0) + len(finding_lines)}
    return CachedReport(
        entry.source_file,
        entry.content_hash,
        entry.file_format,
        entry.status,
        entry.status_reason,
        rows,
        seeds,
        entry.extracted,
    )


def write_seeds_from_cache(
    files: list[tuple[str, Path, str]], cache: ExtractionCache, seeds_dir: Path, manifest: Manifest | None = None
) -> tuple[dict[str, int], list[CachedReport]]:
    """Write every ``seeds_dir/landed_*.csv`` from the cached lines of ``files`` (in the given order).

    ``manifest`` (the input folder's manifest.csv) overrides report fields as the lines are written.

    A file missing from the cache (deleted or unreadable entry) is extracted on the spot.  Returns
    rows per seed and each report's metadata.  Files are written next to their final name and
    renamed into place, so a failure leaves the previous seeds whole.
    """
    seeds_dir = Path(seeds_dir)
    seeds_dir.mkdir(parents=True, exist_ok=True)
    handles: dict[str, Any] = {}
    counts = {seed: 0 for seed in SEED_COLUMNS}
    metas: list[CachedReport] = []
    try:
        for seed in SEED_COLUMNS:
            fh = (seeds_dir / f"{seed}.csv.building").open("w", encoding="utf-8", newline="")
            handles[seed] = fh
            csv.writer(fh, lineterminator="\n").writerow(column_names(seed))
        for name, path, content_hash in files:
            entry = cache.get(content_hash)
            if entry is None:
                entry = extract_to_cache([(name, path, content_hash)], cache)[0]
            entry = _with_manifest(_renamed(entry, name), manifest)
            for seed, text in entry.seeds.items():
                if seed in handles and text:
                    handles[seed].write(text)
            for seed, n in entry.rows.items():
                if seed in counts:
                    counts[seed] += n
            metas.append(entry.meta())
    except BaseException:
        for fh in handles.values():
            fh.close()
        for seed in handles:
            (seeds_dir / f"{seed}.csv.building").unlink(missing_ok=True)
        raise
    for fh in handles.values():
        fh.close()
    for seed in SEED_COLUMNS:
        os.replace(seeds_dir / f"{seed}.csv.building", seeds_dir / f"{seed}.csv")
    return counts, metas
