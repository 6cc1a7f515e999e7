"""Facts read from a scanned PDF: the document's OCR confidence, and each fact's page and box."""

from __future__ import annotations

import re
from collections import Counter

from jixiao.model import Document, Finding, OcrBox, Paragraph, ReportExtraction


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _digits(text: str) -> str:
    return re.sub(r"[^0-9.]", "", text)


def block_pages(doc: Document) -> dict[int, set[int]]:
    """The pages each block was read from: those whose boxes' texts the block holds most."""
    by_page: dict[int, list[str]] = {}
    for box in doc.ocr_boxes:
        if box.kept and len(_squash(box.text)) >= 2:
            by_page.setdefault(box.page, []).append(_squash(box.text))
    out: dict[int, set[int]] = {}
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            text = _squash(block.text)
            counts = Counter({page: sum(t in text for t in texts) for page, texts in by_page.items()})
        else:
            cells = {_squash(c) for row in block.rows for c in row if _squash(c)}
            counts = Counter({page: sum(t in cells for t in texts) for page, texts in by_page.items()})
        best = max(counts.values(), default=0)
        out[block.index] = {page for page, n in counts.items() if best and n >= best / 3}
    return out


def _box_for(text: str, boxes: list[OcrBox]) -> OcrBox | None:
    """The OCR box a cell or sentence text was read from (same text, else the box holding its number)."""
    squashed = _squash(text)
    for box in boxes:
        if box.kept and _squash(box.text) == squashed:
            return box
    number = _digits(text)
    if number:
        for box in boxes:
            if box.kept and number in _digits(box.text):
                return box
    parts = [b for b in boxes if b.kept and _squash(b.text) and _squash(b.text) in squashed]  # a wrapped cell
    if parts:
        return max(parts, key=lambda b: len(_squash(b.text)))
    return next((b for b in boxes if b.kept and squashed in _squash(b.text)), None)


def annotate_ocr(doc: Document, result: ReportExtraction) -> None:
    """Copy the OCR confidence to the header, add the reader's findings, and append
    ``[OCR page P box B, confidence C]`` to each fact's provenance text."""
    result.findings.extend(doc.findings)
    if doc.ocr_confidence is None:
        return
    result.header.ocr_confidence = doc.ocr_confidence
    _drop_lost_points(result)
    pages = block_pages(doc)
    for fact in result.facts:
        if not fact.prov.text or "[OCR page" in fact.prov.text:
            continue
        on_pages = pages.get(fact.prov.block, set())
        box = _box_for(fact.prov.text, [b for b in doc.ocr_boxes if b.page in on_pages])
        if box is not None:
            fact.prov.text = f"{fact.prov.text} [OCR page {box.page} box {box.box}, confidence {box.score:.2f}]"


LOST_POINT_WAN = 100_000  # 10亿: an OCR'd 万元 figure this large with no decimal point lost its point


def _drop_lost_points(result: ReportExtraction) -> None:
    """A scan's figure of 100,000 万元 or more written with no decimal point is left out with a finding:
    OCR drops a decimal point with full confidence ("2023.37万" read as "202337万") far more often
    than a unit reports ten billion yuan in whole 万元."""
    kept = []
    for fact in result.facts:
        values = [v for k, v in fact.values.items() if k.endswith("_wan") and isinstance(v, (int, float))]
        if fact.decimals == 0 and any(abs(v) >= LOST_POINT_WAN for v in values):
            result.findings.append(
                Finding(
                    "ocr_low_confidence",
                    "warn",
                    f"a scanned figure of {max(values):g} 万元 with no decimal point "
                    "is left out: a decimal point lost by OCR is likelier",
                    observed=fact.prov.text,
                    prov=fact.prov,
                )
            )
            continue
        kept.append(fact)
    result.facts = kept
