"""Bounds on the cost of reading one file, so a hostile file is refused early with a reason.

Every reason names the limit that was hit (``limit: …``), so an operator can tell a zip bomb
from a damaged file and raise a limit where a genuine report needs it.
"""

from __future__ import annotations

import zipfile
from io import BytesIO

from jixiao.readers.errors import UnreadableReport

MAX_MEMBER_BYTES = 256 * 1024 * 1024  # one member of a .docx (or other zip package) when inflated
MAX_ARCHIVE_BYTES = 512 * 1024 * 1024  # all members together
MAX_RATIO = 200  # inflated : compressed, for members above RATIO_FLOOR_BYTES
RATIO_FLOOR_BYTES = 8 * 1024 * 1024
MAX_PDF_PAGES = 1000


def _mib(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MiB"


def check_archive(data: bytes, source_file: str) -> None:
    """Refuse a zip package whose members would inflate beyond the size or ratio caps.

    The sizes checked are the ones the archive declares; Python's zip reader never inflates a
    member beyond its declared size, so a lying header cannot get past these caps either.
    """
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError):
        return  # the reader reports the damage itself
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > MAX_MEMBER_BYTES:
            raise UnreadableReport(
                f"{source_file}: archive member {info.filename} would inflate to {_mib(info.file_size)} "
                f"(limit: {_mib(MAX_MEMBER_BYTES)} per member); refused as a possible zip bomb",
                source_file,
            )
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR_BYTES and ratio > MAX_RATIO:
            raise UnreadableReport(
                f"{source_file}: archive member {info.filename} would inflate {ratio:.0f}:1 to {_mib(info.file_size)} "
                f"(limit: compression ratio {MAX_RATIO}:1); refused as a possible zip bomb",
                source_file,
            )
    if total > MAX_ARCHIVE_BYTES:
        raise UnreadableReport(
            f"{source_file}: archive would inflate to {_mib(total)} in all "
            f"(limit: {_mib(MAX_ARCHIVE_BYTES)}); refused as a possible zip bomb",
            source_file,
        )


def check_page_count(pages: int, source_file: str) -> None:
    if pages > MAX_PDF_PAGES:
        raise UnreadableReport(
            f"{source_file}: PDF of {pages} pages (limit: {MAX_PDF_PAGES} pages); split it or raise the limit",
            source_file,
        )
