"""Image-only PDFs that look like page scans: a fixture PDF rendered at 150 dpi, turned a little,
with speckle noise, and saved with no text layer (issue: formats)."""

from __future__ import annotations

import random
from pathlib import Path

from fixture_writers import write_pdf

from jixiao.model import Document

SCAN_DPI = 150


def write_image_pdf(document: Document, path: Path, angle: float = 0.6, noise: float = 0.002, seed: int = 7) -> Path:
    """``document`` as a scanned PDF: every page an image, slightly rotated, with noise."""
    import numpy as np
    import pypdfium2 as pdfium
    from PIL import Image

    source = write_pdf(document, path.with_suffix(".text.pdf"))
    rng = random.Random(seed)
    pages = []
    pdf = pdfium.PdfDocument(str(source))
    try:
        for i in range(len(pdf)):
            image = pdf[i].render(scale=SCAN_DPI / 72, grayscale=True).to_pil().convert("L")
            turn = angle if i % 2 == 0 else -angle * 0.7
            image = image.rotate(turn, resample=Image.BICUBIC, expand=False, fillcolor=255)
            pixels = np.array(image)
            mask = np.random.default_rng(rng.randrange(1 << 30)).random(pixels.shape)
            pixels[mask < noise / 2] = 0
            pixels[mask > 1 - noise / 2] = 255
            pages.append(Image.fromarray(pixels))
    finally:
        pdf.close()
    source.unlink()
    pages[0].save(path, "PDF", resolution=SCAN_DPI, save_all=True, append_images=pages[1:])
    return path
