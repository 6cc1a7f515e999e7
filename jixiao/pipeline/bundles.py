"""Discovered ``.zip`` bundles become their members: each member is a report of the folder.

:func:`expand_bundles` replaces every safe ``.zip`` among the discovered files by one
:class:`~jixiao.pipeline.discover.ReportFile` per member, named ``bundle.zip/member.docx`` and hashed by
the member's own bytes (so the extraction cache keys members, not bundles).  Members are
written under ``<state dir>/bundles/<bundle hash>/``.  A hostile or damaged archive stays one
file, which the reader quarantines with the reason; an archive inside a bundle is a member
that the reader quarantines as a nested archive.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path, PurePosixPath

from jixiao.pipeline.discover import ReportFile
from jixiao.readers.bundle import archive_problem, members


def _safe_filename(name: str) -> str:
    base = PurePosixPath(name).name
    return re.sub(r'[\x00-\x1f<>:"/\\|?*]', "_", base)[-150:] or "member"


def expand_bundles(files: list[ReportFile], into: Path) -> list[ReportFile]:
    """``files`` with every safe zip bundle replaced by its members (in place, in member order)."""
    into = Path(into)
    out: list[ReportFile] = []
    kept_dirs: set[str] = set()
    for f in files:
        if f.path.suffix.lower() != ".zip":
            out.append(f)
            continue
        data = f.path.read_bytes()
        if archive_problem(data) is not None:
            out.append(f)  # read_document quarantines it with the reason
            continue
        folder = into / f.content_hash[:16]
        kept_dirs.add(folder.name)
        for i, (name, member) in enumerate(members(data)):
            target = folder / str(i) / _safe_filename(name)
            if not (target.is_file() and target.stat().st_size == len(member)):
                target.parent.mkdir(parents=True, exist_ok=True)
                tmp = target.with_name(target.name + ".part")
                tmp.write_bytes(member)
                tmp.replace(target)
            out.append(ReportFile(f"{f.name}/{name}", target, hashlib.sha256(member).hexdigest(), len(member)))
    if into.is_dir():
        for stale in into.iterdir():
            if stale.is_dir() and stale.name not in kept_dirs:
                shutil.rmtree(stale, ignore_errors=True)
    return out
