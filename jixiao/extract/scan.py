"""Facts read from a scanned PDF: the document's OCR confidence, and each fact's page and box."""
from __future__ import annotations

import re

from jixiao.model import Document, OcrBox, ReportExtraction


def _digits(text: str) -> str:
    return re.sub(r"[^0-9.]", "", text)


def _box_for(text: str, boxes: list[OcrBox]) -> OcrBox | None:
    """The OCR box a cell or sentence text was read from (same text, else the box holding its number)."""
    squashed = re.sub(r"\s+", "", text)
    for box in boxes:
        if box.kept and re.sub(r"\s+", "", box.text) == squashed:
            return box
    number = _digits(text)
    if number:
        for box in boxes:
            if box.kept and number in _digits(box.text):
                return box
    return None


def annotate_ocr(doc: Document, result: ReportExtraction) -> None:
    """Copy the OCR confidence to the header, add the reader's findings, and append
    ``[OCR page P box B, confidence C]`` to each fact's provenance text."""
    result.findings.extend(doc.findings)
    if doc.ocr_confidence is None:
        return
    result.header.ocr_confidence = doc.ocr_confidence
    for fact in result.facts:
        if not fact.prov.text or "[OCR page" in fact.prov.text:
            continue
        box = _box_for(fact.prov.text, doc.ocr_boxes)
        if box is not None:
            fact.prov.text = f"{fact.prov.text} [OCR page {box.page} box {box.box}, confidence {box.score:.2f}]"
