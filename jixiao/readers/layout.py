"""Small helpers shared by the .docx, .html and .pdf readers."""

from __future__ import annotations

from jixiao.model import Block, Paragraph, Table
from jixiao.text.normalize import looks_traditional, normalize_text, to_simplified


def _texts(blocks: list[Block]):
    for block in blocks:
        if isinstance(block, Paragraph):
            yield block.text
        else:
            for row in block.rows:
                yield from row


def _map_texts(blocks: list[Block], convert) -> None:
    for block in blocks:
        if isinstance(block, Paragraph):
            block.text = convert(block.text)
        else:
            block.rows = [[convert(cell) for cell in row] for row in block.rows]


def finish_blocks(blocks: list[Block]) -> list[Block]:
    """Normalize texts like the text reader does, number blocks in reading order and give
    each table the paragraph right before it as caption.

    Normalization (:func:`jixiao.text.normalize.normalize_text`) is applied per text;
    traditional script is simplified when the document as a whole is traditional.
    """
    _map_texts(blocks, lambda text: normalize_text(text).strip())
    if looks_traditional("".join(_texts(blocks))):
        _map_texts(blocks, to_simplified)
    blocks = [b for b in blocks if not (isinstance(b, Paragraph) and not b.text)]
    for i, block in enumerate(blocks):
        block.index = i
        if isinstance(block, Table) and not block.caption and i > 0:
            previous = blocks[i - 1]
            if isinstance(previous, Paragraph):
                block.caption = previous.text
    return blocks
