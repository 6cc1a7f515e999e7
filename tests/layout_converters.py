"""Re-serialize a report's blocks in the other text layouts of the contract (test fixtures).

* ``to_pipe``: tables as `|`-separated rows — whole rows on a line, or (every other table) one
  cell per line ending in `|` with a blank line after each row; multi-line cells are joined.
* ``to_web``: a web copy — every cell alone on its own line(s), blank lines between cells and
  rows alike (row boundaries are lost), an empty cell as an empty line, no TABs.
"""

from __future__ import annotations

from jixiao.model import Document, Paragraph


def _join_cell(text: str) -> str:
    return "".join(part.strip() for part in text.split("\n"))


def to_pipe(doc: Document) -> str:
    out: list[str] = []
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            out += [block.text.replace("\t", " "), ""]
            continue
        if block.index % 2 == 0:
            out += [" | ".join(_join_cell(c) for c in row) for row in block.rows]
            out.append("")
        else:
            for row in block.rows:
                out += [f"{_join_cell(c)} |" for c in row]
                out.append("")
    return "\n".join(out) + "\n"


def to_web(doc: Document) -> str:
    chunks: list[str] = []
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            chunks.append(block.text.replace("\t", " "))
            continue
        for row in block.rows:
            for cell in row:
                lines = [ln.strip() for ln in cell.split("\n") if ln.strip()]
                chunks.append("\n".join(lines))
    return "\n\n".join(chunks) + "\n"
