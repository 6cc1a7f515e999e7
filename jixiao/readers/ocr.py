"""Scanned PDFs: page images → OCR text boxes → a text layer the PDF reader understands.

Pages are rendered with pypdfium2, straightened (the skew that maximizes the contrast of the
row profile), cleaned of specks (median filter) and read by RapidOCR (PP-OCRv4 Chinese models
shipped inside the ``rapidocr-onnxruntime`` wheel; nothing is downloaded), with each
character's own box and confidence.  The ruling lines of tables are found in the image by
morphology.  Rules and characters are then written as a text-layer PDF (reportlab, the
built-in ``STSong-Light`` CID font; each character where OCR saw it), and
:func:`jixiao.readers.pdf_reader.read_pdf` rebuilds the tables, their cells and merged cells,
and the paragraphs, exactly as for a PDF with a text layer.

A box holding a digit that OCR read with a confidence below :data:`MIN_NUMBER_CONFIDENCE`
(unless reading the box again alone agrees, confidently), or a figure that is not well formed
('2.5.', '47:74'), is left out of the text layer, so it never becomes a number silently: the
cell reads blank and the document carries a finding naming the page, the box and what OCR read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from io import BytesIO

from jixiao.model import Document, Finding, OcrBox, Provenance
from jixiao.readers.errors import UnreadableReport

RENDER_DPI = 150
MIN_NUMBER_CONFIDENCE = 0.80  # a box holding digits read with less is left out
MAX_SKEW_DEG = 3.0
_DIGIT = re.compile(r"[0-9０-９]")
_NUMERIC_BOX = re.compile(r"[\d.,，:：°·%\s]+")  # a box holding only a figure
_WELL_FORMED = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?%?|\d+(?:\.\d+)?%?")
_PT = 72.0 / RENDER_DPI  # PDF points per pixel


@lru_cache(maxsize=1)
def _engine():
    """One RapidOCR engine per process (loading the models takes about a second)."""
    from rapidocr_onnxruntime import RapidOCR

    return RapidOCR(intra_op_num_threads=1, inter_op_num_threads=1)


# --------------------------------------------------------------------------- image clean-up
def _binary(gray):
    import cv2

    return cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)[1]


def skew_angle(gray) -> float:
    """The rotation (degrees) that makes text rows horizontal: the one whose row profile is
    the most contrasted, searched in 0.1° steps within ±:data:`MAX_SKEW_DEG`."""
    import cv2
    import numpy as np

    ink = _binary(gray)
    scale = 800.0 / max(ink.shape[1], 1)
    small = cv2.resize(ink, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else ink
    h, w = small.shape
    best, best_score = 0.0, -1.0
    for angle in np.arange(-MAX_SKEW_DEG, MAX_SKEW_DEG + 1e-9, 0.1):
        m = cv2.getRotationMatrix2D((w / 2, h / 2), float(angle), 1.0)
        rotated = cv2.warpAffine(small, m, (w, h), flags=cv2.INTER_NEAREST, borderValue=0)
        profile = rotated.sum(axis=1, dtype=np.float64)
        score = float(np.square(np.diff(profile)).sum())
        if score > best_score:
            best, best_score = float(angle), score
    return best


def straighten(gray):
    """The page rotated upright."""
    import cv2

    angle = skew_angle(gray)
    if abs(angle) < 0.05:
        return gray
    h, w = gray.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(gray, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)


# --------------------------------------------------------------------------- ruling lines
@dataclass
class Segment:
    x0: float
    top: float
    x1: float
    bottom: float


def ruling_lines(gray) -> list[Segment]:
    """Horizontal and vertical table rules of a page image, in pixels.  A local (adaptive)
    threshold keeps thin, light-grey rules that a global one loses."""
    import cv2

    ink = cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 15, 8)
    h, w = ink.shape
    out: list[Segment] = []
    for kernel in (
        cv2.getStructuringElement(cv2.MORPH_RECT, (max(w // 25, 10), 1)),
        cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(h // 60, 10))),
    ):
        mask = cv2.morphologyEx(ink, cv2.MORPH_OPEN, kernel)
        mask = cv2.dilate(mask, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3)))
        contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        for contour in contours:
            x, y, cw, ch = cv2.boundingRect(contour)
            out.append(Segment(x, y, x + cw, y + ch))
    return out


# --------------------------------------------------------------------------- text layer
def _draw_run(canvas, font: str, text: str, x0: float, x1: float, top: float, bottom: float, page_h: float) -> None:
    """``text`` as one run filling ``x0..x1`` (pixels): the font size from the width (CJK glyphs
    are as wide as the size), capped by the height, then horizontally scaled to fit."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    width, height = (x1 - x0) * _PT, (bottom - top) * _PT
    em = stringWidth(text, font, 1.0)
    if em <= 0 or width <= 0:
        return
    size = max(min(width / em, height * 0.9), 2.0)
    run = canvas.beginText(x0 * _PT, page_h - bottom * _PT + (height - size) / 2 + size * 0.12)
    run.setFont(font, size)
    run.setHorizScale(100.0 * width / (em * size))
    run.textOut(text)
    canvas.drawText(run)


def _draw_box(canvas, font: str, box: OcrBox, page_h: float) -> None:
    """Each character where OCR saw it (its own box), else the whole text across the box."""
    if box.chars and "".join(c for c, *_ in box.chars) == box.text:
        for i, (char, x0, x1, _) in enumerate(box.chars):  # each reaches the next: no gap reads as a space
            end = box.chars[i + 1][1] if i + 1 < len(box.chars) else x1
            if not char.isspace():
                _draw_run(canvas, font, char, x0, max(end, x0 + 1), box.top, box.bottom, page_h)
    else:
        _draw_run(canvas, font, box.text.strip(), box.x0, box.x1, box.top, box.bottom, page_h)


def _text_layer_pdf(pages: list[tuple[tuple[int, int], list[Segment], list[OcrBox]]]) -> bytes:
    """A PDF with the rules drawn and each kept box's characters placed across the box."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen.canvas import Canvas

    font = "STSong-Light"
    if font not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(font))
    buf = BytesIO()
    canvas = Canvas(buf, invariant=1)
    for (w, h), segments, boxes in pages:
        page_h = h * _PT
        canvas.setPageSize((w * _PT, page_h))
        canvas.setLineWidth(0.5)
        for s in segments:
            if s.x1 - s.x0 >= s.bottom - s.top:  # horizontal
                y = page_h - (s.top + s.bottom) / 2 * _PT
                canvas.line(s.x0 * _PT, y, s.x1 * _PT, y)
            else:
                x = (s.x0 + s.x1) / 2 * _PT
                canvas.line(x, page_h - s.top * _PT, x, page_h - s.bottom * _PT)
        for box in boxes:
            if box.kept and box.text:
                _draw_box(canvas, font, box, page_h)
        canvas.showPage()
    canvas.save()
    return buf.getvalue()


def _is_kept(text: str, score: float, chars: list[tuple[str, float, float, float]]) -> bool:
    """Whether a box may enter the text: no digit in it was read below the confidence floor."""
    if not _DIGIT.search(text):
        return True
    if _NUMERIC_BOX.fullmatch(text) and not _WELL_FORMED.fullmatch(text.strip()):
        return False  # '2.5.', '47:74', '.53', '0°': a speck or a misread mark inside a figure
    if chars:
        return all(conf >= MIN_NUMBER_CONFIDENCE for c, _, _, conf in chars if _DIGIT.match(c))
    return score >= MIN_NUMBER_CONFIDENCE


CONFIRM_PADDINGS = (2, 6)  # pixels of margin around a box read again


def _confirmed(clean, box: OcrBox) -> bool:
    """Whether a figure read with low confidence reads the same, each time with confidence, when
    its box is read again alone with different margins (short figures such as a lone '5' get low
    scores in a long line's context).  Any disagreement keeps it out."""
    import numpy as np

    if not _WELL_FORMED.fullmatch(box.text.strip()):
        return False
    for pad in CONFIRM_PADDINGS:
        top, left = max(int(box.top) - pad, 0), max(int(box.x0) - pad, 0)
        crop = clean[top : int(box.bottom) + pad, left : int(box.x1) + pad]
        if crop.size == 0:
            return False
        result, _ = _engine()(np.stack([crop] * 3, axis=-1), use_det=False, use_cls=False, use_rec=True)
        if not result or result[0][0].strip() != box.text.strip() or float(result[0][1]) < MIN_NUMBER_CONFIDENCE:
            return False
    return True


def ocr_page(gray, page_no: int) -> tuple[list[Segment], list[OcrBox]]:
    """Rules and text boxes (with each character's box and confidence) of one page image."""
    import cv2
    import numpy as np

    page = straighten(gray)
    clean = cv2.medianBlur(page, 3)  # specks off the text (thin rules are found on the page itself)
    result, _ = _engine()(np.stack([clean] * 3, axis=-1), use_cls=False, return_word_box=True)
    boxes = []
    for n, item in enumerate(result or []):
        quad, text, score = item[0], item[1].strip(), float(item[2])
        chars: list[tuple[str, float, float, float]] = []
        if len(item) >= 6 and len(item[4]) == len(item[3]) == len(item[5]):
            chars = [
                (c, min(p[0] for p in q), max(p[0] for p in q), float(conf))
                for q, c, conf in zip(item[3], item[4], item[5])
            ]
        xs, ys = [p[0] for p in quad], [p[1] for p in quad]
        box = OcrBox(
            page_no, n + 1, text, score, min(xs), min(ys), max(xs), max(ys), _is_kept(text, score, chars), chars
        )
        if not box.kept and _NUMERIC_BOX.fullmatch(text):
            box.kept = _confirmed(clean, box)
        boxes.append(box)
    return ruling_lines(page), boxes


Layer = tuple[tuple[int, int], list[Segment], list[OcrBox]]  # page size in pixels, rules, boxes


def ocr_pages(data: bytes) -> list[Layer]:
    """Render and OCR every page of a PDF."""
    import numpy as np
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        layers = []
        for index in range(len(pdf)):
            gray = np.asarray(pdf[index].render(scale=RENDER_DPI / 72, grayscale=True).to_pil().convert("L"))
            segments, boxes = ocr_page(gray, index + 1)
            layers.append(((gray.shape[1], gray.shape[0]), segments, boxes))
        return layers
    finally:
        pdf.close()


def document_from_layers(layers: list[Layer], source_file: str) -> Document:
    """The Document of OCR'd pages: tables and paragraphs rebuilt by the PDF reader from a text layer."""
    from jixiao.readers.pdf_reader import read_pdf

    all_boxes = [box for _, _, boxes in layers for box in boxes]
    if not any(b.text for b in all_boxes):
        raise UnreadableReport(
            f"{source_file}: scanned PDF: no text layer, and OCR found no text on its {len(layers)} page(s)",
            source_file,
        )
    document = read_pdf(_text_layer_pdf(layers), source_file, allow_ocr=False)
    document.file_format = "pdf-ocr"
    document.ocr_boxes = all_boxes
    chars = sum(len(b.text) for b in all_boxes)
    document.ocr_confidence = round(sum(b.score * len(b.text) for b in all_boxes) / chars, 4) if chars else None
    for box in all_boxes:
        if not box.kept:
            document.findings.append(
                Finding(
                    "ocr_low_confidence",
                    "warn",
                    f"OCR read '{box.text}' on page {box.page} (box {box.box}) with confidence {box.score:.2f}: "
                    "the figure is left out rather than guessed",
                    observed=box.text,
                    expected=f"confidence ≥ {MIN_NUMBER_CONFIDENCE:.2f}",
                    prov=Provenance(source_file, 0, text=f"page {box.page} box {box.box}: {box.text}"),
                )
            )
    return document


def read_scanned_pdf(data: bytes, source_file: str) -> Document:
    """OCR every page of a PDF without a usable text layer."""
    return document_from_layers(ocr_pages(data), source_file)
