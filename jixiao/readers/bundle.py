"""``.zip`` bundles: checks against hostile archives and member names decoded as written.

A bundle's members are reports of the folder (see :mod:`jixiao.pipeline.bundles`).  An archive that
is damaged, encrypted, a zip bomb, has members that climb out of it (absolute paths, ``..``)
or thousands of members is not expanded: :func:`archive_problem` says why, and the bundle is
quarantined with that reason.
"""

from __future__ import annotations

import zipfile
from io import BytesIO
from pathlib import PurePosixPath

MAX_MEMBERS = 500
MAX_TOTAL_BYTES = 512 * 1024 * 1024  # uncompressed, all members
MAX_MEMBER_BYTES = 200 * 1024 * 1024
MAX_RATIO = 100  # uncompressed / compressed, for members above 1 MB
ARCHIVE_SUFFIXES = {".zip", ".rar", ".7z", ".tar", ".gz", ".tgz", ".bz2", ".xz"}
_SKIPPED_PREFIXES = ("__MACOSX/", ".", "~$")


def member_name(info: zipfile.ZipInfo) -> str:
    """The member's path as its author wrote it: names without the UTF-8 flag are usually GBK
    (Chinese Windows), which :mod:`zipfile` decodes as CP437."""
    if info.flag_bits & 0x800:
        return info.filename
    raw = info.filename.encode("cp437", errors="replace")
    for codec in ("utf-8", "gb18030"):
        try:
            return raw.decode(codec)
        except UnicodeDecodeError:
            continue
    return info.filename


def is_skipped(name: str) -> bool:
    """Folders and system files (``__MACOSX/``, ``.DS_Store``, ``~$`` lock files) are no reports."""
    base = PurePosixPath(name).name
    return name.endswith("/") or name.startswith("__MACOSX/") or base.startswith((".", "~$")) or base == "Thumbs.db"


def archive_problem(data: bytes) -> str | None:
    """Why the archive must not be expanded, or None when it is a safe bundle."""
    try:
        archive = zipfile.ZipFile(BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        return "damaged or not a zip archive"
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_MEMBERS:
            return f"hostile archive: {len(infos)} members (more than {MAX_MEMBERS}); not expanded"
        total = 0
        for info in infos:
            name = member_name(info)
            parts = PurePosixPath(name.replace("\\", "/")).parts
            if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":") or ".." in parts:
                return f"hostile archive: member '{name}' points outside the archive (path traversal); not expanded"
            if info.flag_bits & 0x1:
                return f"encrypted archive: member '{name}' needs a password; not expanded"
            total += info.file_size
            if info.file_size > MAX_MEMBER_BYTES or total > MAX_TOTAL_BYTES:
                return (
                    f"hostile archive: expands to more than {min(MAX_MEMBER_BYTES, MAX_TOTAL_BYTES) // 2**20} MB "
                    "(zip bomb); not expanded"
                )
            if info.file_size > 2**20 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                return (
                    f"hostile archive: member '{name}' compresses {info.file_size // max(info.compress_size, 1)}:1 "
                    "(zip bomb); not expanded"
                )
    return None


def members(data: bytes) -> list[tuple[str, bytes]]:
    """``(name, bytes)`` of every report member of a safe archive (check :func:`archive_problem` first)."""
    out = []
    with zipfile.ZipFile(BytesIO(data)) as archive:
        for info in archive.infolist():
            name = member_name(info).replace("\\", "/")
            if is_skipped(name):
                continue
            with archive.open(info) as fh:  # reads at most file_size bytes (checked above)
                out.append((name, fh.read(MAX_MEMBER_BYTES + 1)))
    return out
