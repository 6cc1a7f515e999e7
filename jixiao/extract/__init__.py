"""Understanding a report: blocks → the contract's facts with provenance.

``extract_file`` never raises for bad input: a file that cannot be read or understood comes
back quarantined with a reason a person can act on.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from jixiao.extract.cell_slots import extract_slot_tables
from jixiao.extract.cell_stream import extract_cell_streams
from jixiao.extract.context import Context
from jixiao.extract.flattened import extract_flattened_tables
from jixiao.extract.functions import extract_function_tables
from jixiao.extract.header import read_header
from jixiao.extract.indicators import extract_indicator_tables
from jixiao.extract.item_columns import extract_item_column_tables
from jixiao.extract.money_tables import extract_money_tables
from jixiao.extract.prose import extract_prose
from jixiao.extract.resolve import resolve
from jixiao.extract.scan import annotate_ocr
from jixiao.extract.workbook import extract_workbook, fill_header
from jixiao.model import Document, ReportExtraction, ReportHeader
from jixiao.readers import read_document

EXTRACTOR_VERSION = "1"


def extract_document(doc: Document) -> ReportExtraction:
    """All facts of one document, resolved to one row per grain, with the findings met on the way."""
    header = read_header(doc)
    fill_header(doc, header)  # a workbook's 单位名称 and year lines
    result = ReportExtraction(doc.source_file, doc.content_hash, doc.file_format, header)
    ctx = Context(doc, header.fiscal_year)
    extract_workbook(ctx)  # standard 部门预算/决算 sheets; takes them out of ctx.doc
    extract_money_tables(ctx)
    extract_indicator_tables(ctx)
    extract_function_tables(ctx)
    extract_cell_streams(ctx)
    extract_slot_tables(ctx)
    extract_item_column_tables(ctx)
    extract_flattened_tables(ctx)
    extract_prose(ctx)
    if ctx.indicator_totals:
        header.indicator_total_weight, header.indicator_total_score = ctx.indicator_totals
        if header.self_score is None and header.indicator_total_score is not None:
            header.self_score = header.indicator_total_score
    result.facts, result.findings = resolve(ctx)
    annotate_ocr(doc, result)  # scanned PDFs: OCR confidence, page/box provenance, left-out figures
    if not result.facts:
        return _quarantine(
            result,
            f"no figures of the contract found in '{doc.source_file}' (no budget, spending, "
            "三公, staffing or indicator table or sentence was understood)",
        )
    return result


def _quarantine(result: ReportExtraction, reason: str) -> ReportExtraction:
    result.status = "quarantined"
    result.status_reason = reason
    result.facts = []
    return result


def extract_file(path: Path | str) -> ReportExtraction:
    """Read and understand one file; unreadable or not understood → quarantined with a reason."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return _failed(path, b"", f"cannot read file: {exc.strerror or exc}")
    content_hash = hashlib.sha256(data).hexdigest()
    try:
        doc = read_document(path)
    except Exception as exc:
        reason = getattr(exc, "reason", None) or f"unreadable: {exc}"
        return _failed(path, data, reason, content_hash)
    doc.content_hash = doc.content_hash or content_hash
    try:
        return extract_document(doc)
    except Exception as exc:
        return _failed(path, data, f"extraction failed: {type(exc).__name__}: {exc}", content_hash)


def _failed(path: Path, data: bytes, reason: str, content_hash: str | None = None) -> ReportExtraction:
    content_hash = content_hash or hashlib.sha256(data).hexdigest()
    return ReportExtraction(
        path.name,
        content_hash,
        path.suffix.lstrip(".") or "unknown",
        ReportHeader(),
        status="quarantined",
        status_reason=reason,
    )
