"""Read a PDF report with a text layer into a :class:`~jixiao.model.Document`.

pdfplumber does the heavy lifting.  Per page: duplicated characters (fake bold) are
removed, ruled tables are found with the ``lines`` strategy and turned into the ragged
grid of a Word TAB export (a merged cell once; a vertically merged cell first, ``""``
below), and the remaining text lines are grouped into paragraphs.  Lines wrapped inside a
paragraph or a cell are joined without a stray newline.  Across a page break, a table
is stitched to its continuation when the header row repeats or the column positions line
up, and a paragraph cut by the break is joined again.  Page numbers in the top and bottom
margins are dropped.
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from dataclasses import dataclass, field
from io import BytesIO

import pdfplumber

from jixiao.model import Block, Document, Paragraph, Table
from jixiao.readers.errors import UnreadableReport
from jixiao.readers.layout import finish_blocks
from jixiao.readers.limits import check_page_count
from jixiao.readers.text import STANDALONE_LINE

TABLE_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
COLUMN_TOLERANCE = 2.0  # points: column boundaries closer than this line up
# The start of a line that a layout engine cannot break: up to two characters glued to a run of
# ASCII (digits, operators, units).
_UNBREAKABLE_LEAD = re.compile(r"^[^\s]{0,2}?[\x21-\x7e×÷＝％]{6,}[，。、；：）]?")
_NUMERIC = re.compile(r"^\s*[-+]?[\d,.]+\s*%?\s*$")
_PAGE_NUMBER = re.compile(r"^[-–—\s]*(第\s*)?\d{1,4}\s*(页)?(\s*[/／]\s*(共\s*)?\d{1,4}\s*页?)?[-–—\s]*$")
_LIST_MARKER = re.compile(
    r"^\s*(\d{1,2}[.、．)）]|[（(]\s*[\d一二三四五六七八九十]{1,3}\s*[)）]|[一二三四五六七八九十]{1,3}、)"
)
_LINE_END = "。；;：:！？!?"  # a wrapped cell line ending so keeps its newline
_SENTENCE_END = "。；;！？!?"  # a short line ending so ends its paragraph
_FULL_STOP = "。！？!?"  # a full line ending so, followed by a list item, ends its paragraph
# Full-width punctuation and the ideographic space stay as written: NFKC would turn them
# into ASCII and make PDF text differ from the same report read from .docx or .txt.
_KEEP = {chr(c) for c in range(0xFF01, 0xFF5F) if not chr(c).isalnum()} | {"\u3000"}


def normalize_chars(text: str) -> str:
    """NFKC per character (Kangxi radicals, compatibility ideographs, ligatures, full-width
    digits and letters), keeping full-width CJK punctuation as written."""
    return "".join(c if c in _KEEP else unicodedata.normalize("NFKC", c) for c in text)


def join_wrapped(lines: list[str]) -> str:
    """Join lines of one wrapped paragraph or cell.

    A wrap inside CJK text or a number joins with nothing, between two Latin words with a
    space; a line ending a sentence or followed by a list item keeps its newline.
    """
    out = ""
    for line in (raw.strip() for raw in lines):
        if not line:
            continue
        if not out:
            out = line
        elif out[-1] in _LINE_END or _LIST_MARKER.match(line):
            out += "\n" + line
        elif out[-1].isascii() and out[-1].isalpha() and line[0].isascii() and line[0].isalpha():
            out += " " + line
        else:
            out += line
    return out


# ---------------------------------------------------------------------------------------
# tables
# ---------------------------------------------------------------------------------------


@dataclass
class _PageTable:
    """A table found on one page, with what stitching needs."""

    top: float
    rows: list[list[str]]
    spans: list[list[int]]
    bounds: list[float]  # column boundaries relative to the table's left edge
    cut_columns: set[int] = field(default_factory=set)  # last row's cells whose text fills their last line

    @property
    def header(self) -> list[str]:
        return self.rows[0] if self.rows else []


def _cell_text(chars: list[dict], bbox: tuple[float, float, float, float]) -> str:
    x0, top, x1, bottom = bbox
    inside = [c for c in chars if x0 <= (c["x0"] + c["x1"]) / 2 < x1 and top <= (c["top"] + c["bottom"]) / 2 < bottom]
    if not inside:
        return ""
    return normalize_chars(join_wrapped(pdfplumber.utils.extract_text(inside).split("\n")))


def _fills_last_line(chars: list[dict], bbox: tuple[float, float, float, float]) -> bool:
    """Whether a cell's text runs to the cell's right edge on its last line (a text a page break may cut)."""
    x0, top, x1, bottom = bbox
    inside = [c for c in chars if x0 <= (c["x0"] + c["x1"]) / 2 < x1 and top <= (c["top"] + c["bottom"]) / 2 < bottom]
    if not inside:
        return False
    last_top = max(c["top"] for c in inside)
    last = [c for c in inside if c["top"] > last_top - 1.0]
    width = statistics.median(c["x1"] - c["x0"] for c in inside)
    return x1 - max(c["x1"] for c in last) < 1.5 * width + 3.0


def _page_table(table, chars: list[dict]) -> _PageTable:
    """Ragged rows/spans of a pdfplumber table: a cell spanning columns once, ``""`` in the
    rows a cell spanning rows reaches down into."""
    cells = [tuple(round(v, 1) for v in c) for c in table.cells]
    xs = sorted({c[0] for c in cells} | {max(c[2] for c in cells)})
    tops = sorted({c[1] for c in cells})

    def columns(cell) -> tuple[int, int]:
        first = xs.index(cell[0])
        last = max(i for i, x in enumerate(xs) if x < cell[2] - 0.5)
        return first, last - first + 1

    texts = {cell: _cell_text(chars, cell) for cell in cells}
    rows, spans = [], []
    last_cells: list = []  # the cell behind each entry of the last row (None under a merged cell)
    for top in tops:
        starting = {columns(c)[0]: c for c in cells if c[1] == top}
        row_texts, row_spans, col = [], [], 0
        last_cells = []
        while col < len(xs) - 1:
            if col in starting:
                width = columns(starting[col])[1]
                row_texts.append(texts[starting[col]])
                last_cells.append(starting[col])
            else:  # under a cell from a row above (or a hole in the ruling)
                above = [c for c in cells if c[1] < top < c[3] and c[0] <= xs[col] < c[2]]
                first, width = columns(above[0]) if above else (col, 1)
                width -= col - first
                row_texts.append("")
                last_cells.append(None)
            row_spans.append(width)
            col += width
        rows.append(row_texts)
        spans.append(row_spans)
    cut = {k for k, cell in enumerate(last_cells) if cell is not None and _fills_last_line(chars, cell)}
    return _PageTable(table.bbox[1], rows, spans, [x - xs[0] for x in xs], cut)


def _continues_row(previous: _PageTable, table: _PageTable) -> bool:
    """Whether the first row of a continued table is the rest of the row the page break cut.

    The cut row's long texts ran to the bottom of the page, and on the next page only those
    cells go on: every text of the first row stands where the cut row had text (one of them
    filling its last line), no number among them, and no other cell holds anything.
    """
    if not previous.rows or not table.rows or not previous.cut_columns:
        return False
    last, first = previous.rows[-1], table.rows[0]
    if len(last) != len(first):
        return False
    filled = [c for c, text in enumerate(first) if text.strip()]
    cut = [c for c in filled if c in previous.cut_columns or _unfinished_sentence(last[c])]
    if not filled or not cut:
        return False
    return all(last[c].strip() and not _NUMERIC.match(last[c]) and not _NUMERIC.match(first[c]) for c in filled)


def _unfinished_sentence(text: str) -> bool:
    """A long text stopping without a sentence end (the rest of it is on the next page)."""
    s = text.strip()
    return len(s) >= 20 and s[-1] not in _SENTENCE_END + "。."


def _edges(table: _PageTable, row: int) -> list[float]:
    """The left edges of a row's cells (and the table's right edge)."""
    edges, col = [], 0
    for span in table.spans[row]:
        if col >= len(table.bounds):
            break
        edges.append(table.bounds[col])
        col += span
    return edges + [table.bounds[-1]]


def _continues(previous: _PageTable, table: _PageTable) -> bool:
    """Whether ``table`` (first on its page) continues ``previous`` (last on the page before)."""
    if table.header and table.header == previous.header:
        return True
    if previous.rows and table.rows:
        a, b = _edges(previous, -1), _edges(table, 0)
        if len(a) == len(b) and all(abs(x - y) <= COLUMN_TOLERANCE for x, y in zip(a, b)):
            return True
    if len(table.bounds) != len(previous.bounds):
        return False
    return all(abs(a - b) <= COLUMN_TOLERANCE for a, b in zip(table.bounds, previous.bounds))


# ---------------------------------------------------------------------------------------
# paragraphs
# ---------------------------------------------------------------------------------------


@dataclass
class _Metrics:
    """Document-wide text geometry: text margins, line height, character width."""

    left: float
    right: float
    height: float
    char_width: float

    @classmethod
    def of(cls, lines: list[dict]) -> _Metrics:
        if not lines:
            return cls(0.0, 0.0, 0.0, 0.0)
        return cls(
            left=min(ln["x0"] for ln in lines),
            right=max(ln["x1"] for ln in lines),
            height=statistics.median(ln["bottom"] - ln["top"] for ln in lines),
            char_width=statistics.median((ln["x1"] - ln["x0"]) / max(len(ln["text"]), 1) for ln in lines),
        )

    def indented(self, line: dict) -> bool:
        return line["x0"] > self.left + 1.5 * self.char_width

    def ends_paragraph(self, line: dict) -> bool:
        """A line stopping short of the right margin after a sentence end, or far short of it."""
        short = self.right - line["x1"]
        if short > 0.25 * (self.right - self.left):
            return True
        return short > 2 * self.char_width and line["text"].rstrip()[-1:] in _SENTENCE_END

    def wrapped_early(self, previous: dict, line: dict) -> bool:
        """Whether ``previous`` stopped short only because the next line's unbreakable lead (a formula,
        a number with its unit) did not fit: "…年度总预" / "算）*100%=3553/3274=108%，…"."""
        if previous["text"].rstrip()[-1:] in _SENTENCE_END + "。：:":
            return False
        lead = _UNBREAKABLE_LEAD.match(line["text"])
        if not lead:
            return False
        chars = line.get("chars") or []
        if len(chars) >= lead.end():
            width = chars[lead.end() - 1]["x1"] - chars[0]["x0"]
        else:
            width = sum(0.5 if ch.isascii() else 1.0 for ch in lead.group(0)) * self.char_width
        return width > self.right - previous["x1"]

    def breaks_between(self, previous: dict, line: dict) -> bool:
        """Whether ``line`` starts a new paragraph after ``previous`` (ignoring vertical gaps); a signature
        line (a unit's name or a date standing alone) always does."""
        if self.indented(line) or STANDALONE_LINE.fullmatch(line["text"].strip()):
            return True
        if self.ends_paragraph(previous):
            return not self.wrapped_early(previous, line)
        return previous["text"].rstrip()[-1:] in _FULL_STOP and bool(_LIST_MARKER.match(line["text"]))


@dataclass
class _PageParagraph:
    top: float
    lines: list[dict] = field(default_factory=list)


def _paragraphs(lines: list[dict], metrics: _Metrics) -> list[_PageParagraph]:
    """Group one page's text lines (top to bottom) into paragraphs: a paragraph ends at a
    vertical gap wider than half a line or where :meth:`_Metrics.breaks_between` says so."""
    groups: list[_PageParagraph] = []
    for line in lines:
        previous = groups[-1].lines[-1] if groups else None
        if (
            previous is None
            or line["top"] - previous["bottom"] > 0.5 * metrics.height
            or metrics.breaks_between(previous, line)
        ):
            groups.append(_PageParagraph(line["top"]))
        groups[-1].lines.append(line)
    return groups


# ---------------------------------------------------------------------------------------
# pages
# ---------------------------------------------------------------------------------------


def _closing_line(x0: float, x1: float, y: float) -> dict:
    return {"object_type": "line", "x0": x0, "x1": x1, "top": y, "bottom": y, "width": x1 - x0, "height": 0.0}


def _find_tables(page) -> list:
    """Ruled tables of a page.  A table cut by a page break is often left open at the
    page foot in the columns where a merged cell continues; a second pass closes every
    table along its bounding box so those cells are found too."""
    found = page.find_tables(TABLE_SETTINGS)
    if found:
        closing = [_closing_line(t.bbox[0], t.bbox[2], y) for t in found for y in (t.bbox[1], t.bbox[3])]
        found = page.find_tables({**TABLE_SETTINGS, "explicit_horizontal_lines": closing})
    return [t for t in found if len(t.cells) > 1]


@dataclass
class _Page:
    tables: list[_PageTable]
    lines: list[dict]


def _read_page(page) -> _Page:
    """Tables and the text lines outside them (page numbers dropped) of one page."""
    page = page.dedupe_chars()
    chars = page.chars
    found = _find_tables(page)
    boxes = [t.bbox for t in found]

    def outside(obj) -> bool:
        if obj.get("object_type") != "char":
            return True
        mx, my = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(b[0] <= mx <= b[2] and b[1] <= my <= b[3] for b in boxes)

    lines = page.filter(outside).extract_text_lines(return_chars=True)
    margin = 0.1 * page.height
    lines = [
        ln
        for ln in lines
        if not ((ln["top"] < margin or ln["bottom"] > page.height - margin) and _PAGE_NUMBER.match(ln["text"]))
    ]
    return _Page([_page_table(t, chars) for t in found], lines)


def _stitch(pages: list[_Page]) -> list[Block]:
    """Blocks of all pages in reading order, joining a table or paragraph cut by a page break."""
    metrics = _Metrics.of([ln for page in pages for ln in page.lines])
    items: list[_PageTable | _PageParagraph] = []
    for page in pages:
        page_items: list[_PageTable | _PageParagraph] = [*page.tables, *_paragraphs(page.lines, metrics)]
        page_items.sort(key=lambda item: item.top)
        for position, item in enumerate(page_items):
            last = items[-1] if items and position == 0 else None
            if isinstance(item, _PageTable) and isinstance(last, _PageTable) and _continues(last, item):
                repeated = item.header == last.header
                rows, spans = (item.rows[1:], item.spans[1:]) if repeated else (item.rows, item.spans)
                if not repeated and _continues_row(last, item):
                    last.rows[-1] = [a + b for a, b in zip(last.rows[-1], rows[0])]
                    rows, spans = rows[1:], spans[1:]
                last.rows.extend(rows)
                last.spans.extend(spans)
                last.bounds, last.cut_columns = item.bounds, item.cut_columns  # the last rows are this page's
            elif (
                isinstance(item, _PageParagraph)
                and isinstance(last, _PageParagraph)
                and not metrics.breaks_between(last.lines[-1], item.lines[0])
            ):
                last.lines.extend(item.lines)
            else:
                items.append(item)
    blocks: list[Block] = []
    for item in items:
        if isinstance(item, _PageTable):
            blocks.append(Table(index=0, rows=item.rows, spans=item.spans))
        else:
            text = join_wrapped([ln["text"] for ln in item.lines])
            blocks.append(Paragraph(index=0, text=normalize_chars(text)))
    return blocks


SCANNED_CHARS_PER_PAGE = 20  # fewer text-layer characters per page than this: a scan, read by OCR


def read_pdf(data: bytes, source_file: str, allow_ocr: bool = True) -> Document:
    """Parse the bytes of a PDF; a scan (no text layer, or only a few characters) is read by OCR.
    Raises :class:`UnreadableReport` for an encrypted PDF, one over the page cap, or (``allow_ocr``
    off) a scan."""
    try:
        pdf = pdfplumber.open(BytesIO(data))
    except Exception as exc:
        if _encrypted(exc):
            raise UnreadableReport(
                f"{source_file}: encrypted PDF: it needs a password to open; supply an unprotected copy", source_file
            ) from exc
        raise
    with pdf:
        check_page_count(len(pdf.pages), source_file)
        if sum(len(page.chars) for page in pdf.pages) < SCANNED_CHARS_PER_PAGE * len(pdf.pages):
            if allow_ocr:
                from jixiao.readers.ocr import read_scanned_pdf

                return read_scanned_pdf(data, source_file)
            if not any(page.chars for page in pdf.pages):
                raise UnreadableReport(f"{source_file}: scanned PDF: no text layer", source_file)
        pages = [_read_page(page) for page in pdf.pages]
    return Document(source_file=source_file, blocks=finish_blocks(_stitch(pages)), file_format="pdf")


def _encrypted(exc: BaseException) -> bool:
    """Whether pdfplumber/pdfminer refused the PDF for its encryption (password or cipher)."""
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    causes = [exc, exc.__cause__, *getattr(exc, "args", ())]
    return any(isinstance(c, (PDFPasswordIncorrect, PDFEncryptionError)) for c in causes)
