"""Readers: a report file → :class:`~jixiao.model.Document` of paragraph and table blocks.

:func:`read_document` picks the reader from the file's content (its extension only
breaks ties), so a ``.txt`` that is really HTML or a ``.doc`` that is really a ``.docx``
is still read.  Anything that cannot be read raises :class:`UnreadableReport` with a
reason that names the file; the extractor turns it into a quarantined report.
"""

from __future__ import annotations

import hashlib
import zipfile
from io import BytesIO
from pathlib import Path

from jixiao.model import Document
from jixiao.readers.errors import UnreadableReport
from jixiao.text.encoding import UndecodableText, decode_bytes

__all__ = ["read_document", "sniff_format", "UnreadableReport", "SUPPORTED_SUFFIXES"]

SUPPORTED_SUFFIXES = {
    ".txt",
    ".text",
    ".docx",
    ".doc",
    ".wps",
    ".html",
    ".htm",
    ".xhtml",
    ".pdf",
    ".xls",
    ".xlsx",
    ".xlsm",
    ".zip",
}
READABLE_KINDS = {"pdf", "docx", "html", "text", "doc", "xls", "xlsx"}
_IMAGE_MAGIC = {
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"II*\x00": "a TIFF image",
    b"MM\x00*": "a TIFF image",
}
_HTML_MARKERS = ("<!doctype html", "<html", "<body", "<table", "<head", "<meta ", "<p>", "<div")


def _zip_kind(data: bytes) -> str:
    """``docx`` for a Word package, else a description of the archive."""
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        return "a damaged zip archive"
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "ppt/presentation.xml" in names:
        return "a PowerPoint file (.pptx)"
    if "mimetype" in names:
        return "an OpenDocument file"
    return "a zip archive"


def _ole_kind(data: bytes) -> str:
    """``doc`` or ``xls`` for a Word/WPS or Excel/ET 97-2003 file (by its stream names)."""
    if "WordDocument".encode("utf-16-le") in data:
        return "doc"
    if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") + b"\x00\x00" in data:
        return "xls"
    return "an OLE compound file that is neither a Word nor an Excel document"


def sniff_format(data: bytes, suffix: str) -> str:
    """The reader to use: ``pdf``, ``docx``, ``doc``, ``xls``, ``xlsx``, ``html`` or ``text``, else a description of
    what the bytes are (which :func:`read_document` reports as unreadable)."""
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return _ole_kind(data)
    if data.lstrip().startswith(b"{\\rtf"):
        return "an RTF document"
    for magic, what in _IMAGE_MAGIC.items():
        if data.startswith(magic):
            return what
    if suffix in {".docx", ".pdf"} and not _mostly_text(data):
        return f"not a valid {suffix} file (unrecognized content)"
    try:
        text, _ = decode_bytes(data[:8192] if len(data) > 8192 else data)
    except (UndecodableText, UnicodeDecodeError):
        text = data[:8192].decode("latin-1")
    lowered = text.lstrip("\ufeff \t\r\n").lower()[:4096]
    if (
        suffix in {".html", ".htm", ".xhtml"}
        or any(lowered.startswith(m) for m in _HTML_MARKERS[:3])
        or ("<html" in lowered or "<body" in lowered or lowered.count("<td") >= 2)
    ):
        return "html"
    return "text"


def _mostly_text(data: bytes) -> bool:
    sample = data[:4096]
    return b"\x00" not in sample or sample.startswith((b"\xff\xfe", b"\xfe\xff"))


def _read_text_file(data: bytes, name: str) -> Document:
    from jixiao.readers.text import read_text

    if not _mostly_text(data):
        raise UnreadableReport(f"{name}: binary content, not a text report", name)
    try:
        text, encoding = decode_bytes(data)
    except UndecodableText as exc:
        raise UnreadableReport(f"{name}: cannot decode the text ({exc})", name) from exc
    document = read_text(text, name)
    document.encoding = encoding
    return document


def _read_legacy_word(data: bytes, name: str) -> Document:
    """A ``.doc``/``.wps`` file: LibreOffice → .docx → the Word reader; plain text as a fallback."""
    from jixiao.readers.docx_reader import read_docx
    from jixiao.readers.office import convert_with_libreoffice, plain_text_fallback
    from jixiao.readers.text import read_text

    try:
        document = read_docx(convert_with_libreoffice(data, name, ".doc", "docx"), name)
    except UnreadableReport as exc:
        text = plain_text_fallback(data, name)
        if text is None:
            raise
        document = read_text(text, name)
        document.warnings.append(f"{exc.reason}; read as plain text by antiword/catdoc (table cells as lines)")
        document.file_format = "doc-text"
        return document
    document.file_format = "doc"
    return document


def _parse(kind: str, data: bytes, name: str) -> Document:
    if kind == "pdf":
        from jixiao.readers.pdf_reader import read_pdf

        return read_pdf(data, name)
    if kind == "docx":
        from jixiao.readers.docx_reader import read_docx

        return read_docx(data, name)
    if kind == "doc":
        return _read_legacy_word(data, name)
    if kind in {"xls", "xlsx"}:
        from jixiao.readers.spreadsheet import read_workbook

        return read_workbook(data, name, kind)
    if kind == "html":
        from jixiao.readers.html_reader import read_html

        return read_html(data, name)
    return _read_text_file(data, name)


def read_document(path: Path) -> Document:
    """Read one report file.  Raises :class:`UnreadableReport` naming the file and the problem."""
    path = Path(path)
    name = path.name
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnreadableReport(
            f"{name}: unsupported file type '{suffix or '(no extension)'}' "
            f"(expected one of {', '.join(sorted(SUPPORTED_SUFFIXES))})",
            name,
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableReport(f"{name}: cannot open the file ({exc.strerror or exc})", name) from exc
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf"):
        raise UnreadableReport(f"{name}: empty file (0 bytes of text)", name)
    kind = sniff_format(data, suffix)
    if suffix == ".zip" or kind == "a zip archive" and suffix not in {".docx", ".doc", ".xlsx", ".xlsm"}:
        from jixiao.readers.bundle import archive_problem

        problem = archive_problem(data) or (
            "a zip archive that is not expanded (a nested archive inside a bundle, or a bundle read on its own)"
        )
        raise UnreadableReport(
            f"{name}: {problem}; only the members of a bundle in the reports folder are read, each as its own report",
            name,
        )
    if kind not in READABLE_KINDS:
        what = f"corrupt Word file: {kind}" if suffix in {".docx", ".doc"} and "zip" in kind else kind
        raise UnreadableReport(
            f"{name}: {what}, not a readable report; save it as .docx, .xlsx, .pdf, .html or .txt", name
        )
    try:
        document = _parse(kind, data, name)
    except UnreadableReport:
        raise
    except Exception as exc:  # a corrupt file must not stop the other files
        raise UnreadableReport(
            f"{name}: corrupt or unreadable {kind} file ({type(exc).__name__}: {exc})", name
        ) from exc
    if not document.blocks:
        raise UnreadableReport(f"{name}: no text found in the {kind} file", name)
    document.content_hash = hashlib.sha256(data).hexdigest()
    expected = {
        ".docx": "docx",
        ".doc": "doc",
        ".wps": "doc",
        ".xls": "xls",
        ".xlsx": "xlsx",
        ".xlsm": "xlsx",
        ".pdf": "pdf",
        ".html": "html",
        ".htm": "html",
        ".xhtml": "html",
    }
    mismatch = suffix in expected and expected[suffix] != kind and {expected[suffix], kind} != {"doc", "docx"}
    if mismatch or suffix in {".txt", ".text"} and kind != "text":
        document.warnings.append(f"{name}: named {suffix} but its content is {kind}; read as {kind}")
    return document
