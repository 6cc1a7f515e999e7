"""The text of a document as the header readers see it: lines with where they were read.

Pinyin glosses injected by mirror sites ("政务(wù)") are removed, white space inside a line is
squashed (stray spaces inside names and numbers), and a table row becomes one line with its
cells joined by " | " so that a label and the value in the next cell stay side by side.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from jixiao.model import Document, Paragraph, Provenance

_GLOSS = re.compile(r"\((?:[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+)\)")


@dataclass
class Line:
    text: str  # squashed, glosses removed
    block: int
    row: int | None = None
    raw: str = ""

    def prov(self, file: str, span: tuple[int, int] | None = None) -> Provenance:
        if self.row is not None:
            return Provenance(file, self.block, self.row, 0, text=self.raw[:120])
        return Provenance(file, self.block, span=span, text=self.raw[:120])


_SPACE = re.compile(r"\s+")
# "20 16 -度", "2017-预算数", "报告期:2017 -7 - 25": a year followed by '-' and not by a month number
_DASH_YEAR = re.compile(r"((?:19|20)\d{2})-(?=[度预决执部本上三“”\"])")


def clean(text: str) -> str:
    """No glosses, no white space, '年' restored where a mirror printed it as '-' after a year."""
    if "(" in text:
        text = _GLOSS.sub("", text)
    text = _SPACE.sub("", text)
    return _DASH_YEAR.sub(r"\1年", text) if "-" in text else text


def lines(doc: Document) -> list[Line]:
    out: list[Line] = []
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            for part in block.text.split("\n"):
                text = clean(part)
                if text:
                    out.append(Line(text, block.index, raw=part))
        else:
            for r, row in enumerate(block.rows):
                cells = [clean(c) for c in row]
                text = " | ".join(c for c in cells if c)
                if text:
                    out.append(Line(text, block.index, r, raw=" | ".join(row)))
    return out


def full_text(doc: Document) -> str:
    return "\n".join(line.text for line in lines(doc))
