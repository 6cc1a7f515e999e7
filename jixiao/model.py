"""Data model shared by readers, extractors, landing and the flow.

Reading (a file -> a :class:`Document` of blocks) is kept apart from understanding
(blocks -> :class:`Fact` rows of the contract).  Every fact and finding carries a
:class:`Provenance` that says where in the document it was read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal


@dataclass
class Paragraph:
    """A run of prose: one paragraph (lines of one sentence flow joined)."""

    index: int
    text: str
    line: int = 0  # 1-based line in the source text where the paragraph starts (0 if unknown)


@dataclass
class Table:
    """A table as a grid of cell texts.

    ``rows`` is ragged the way a Word text export is: a horizontally merged cell appears
    once (with its span in ``spans`` when the reader knows it), a vertically merged cell
    appears in its first row and as ``""`` below.  Multi-line cells are joined with ``\\n``.
    ``caption`` is the text of the paragraph just before the table (its title), if any.
    """

    index: int
    rows: list[list[str]]
    line: int = 0
    caption: str = ""
    spans: list[list[int]] | None = None  # colspan of each cell when the format says so

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)


Block = Paragraph | Table


@dataclass
class OcrBox:
    """One text line OCR read on a scanned page: page and box number, text, confidence, pixels."""

    page: int
    box: int
    text: str
    score: float
    x0: float
    top: float
    x1: float
    bottom: float
    kept: bool = True  # False: digits read with low confidence, left out of the text
    chars: list[tuple[str, float, float, float]] = field(default_factory=list)  # (char, x0, x1, confidence)


@dataclass
class Document:
    """What a reader returns: blocks in reading order plus how the file was read."""

    source_file: str
    blocks: list[Block]
    file_format: str  # txt-tab, txt-web, txt-pipe, txt-prose, docx, doc, doc-text, xlsx, xls, html, pdf, pdf-ocr
    encoding: str = "utf-8"
    content_hash: str = ""
    warnings: list[str] = field(default_factory=list)
    ocr_confidence: float | None = None  # scanned pages: mean OCR confidence per character
    ocr_boxes: list[OcrBox] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # met while reading (OCR text left out …)
    # a plain-text file's lines after normalising, blank ones included: the length of a blank run is
    # all that is left of a blank cell in a table copied one cell per line
    lines: list[str] = field(default_factory=list)

    def paragraphs(self) -> list[Paragraph]:
        return [b for b in self.blocks if isinstance(b, Paragraph)]

    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]


@dataclass
class Provenance:
    """Where a value was read: a table cell (block, row, col) or a sentence span."""

    file: str
    block: int
    row: int | None = None
    col: int | None = None
    span: tuple[int, int] | None = None  # character span inside the paragraph text
    text: str = ""

    def describe(self) -> str:
        if self.row is not None:
            return f"{self.file} block {self.block} row {self.row} col {self.col}"
        if self.span is not None:
            return f"{self.file} block {self.block} chars {self.span[0]}-{self.span[1]}"
        return f"{self.file} block {self.block}"


SourceKind = Literal["table", "prose"]
Severity = Literal["error", "warn"]


@dataclass
class Fact:
    """One candidate row of a contract fact table, as read from one place.

    ``table`` is the contract table name (``fct_budget`` …).  ``key`` holds the grain
    columns other than department and fiscal_year (item/phase/scope, category/phase,
    metric, indicator_name, project_name, subject_code/phase); ``values`` the measures
    and descriptive columns (amount_wan, headcount, weight, score, item_label_zh …).
    """

    table: str
    fiscal_year: int | None  # None when neither the column/sentence nor the report states a year
    key: dict[str, Any]
    values: dict[str, Any]
    source_kind: SourceKind
    prov: Provenance
    decimals: int | None = None  # digits after the point as written (for rounding tolerance)

    def grain(self) -> tuple:
        return (self.table, self.fiscal_year, tuple(sorted(self.key.items())))


@dataclass
class Finding:
    """A data-quality finding raised while reading one report."""

    check: str
    severity: Severity
    message: str
    observed: str = ""
    expected: str = ""
    prov: Provenance | None = None


@dataclass
class ReportHeader:
    """Report-level fields of ``dim_report`` / ``dim_department`` as read from the text."""

    department_name: str | None = None  # fullest name found, e.g. 绥宁县武阳镇人民政府
    province: str | None = None
    city: str | None = None
    county: str | None = None
    county_code: str | None = None  # current 6-digit code of the county (a renamed county keeps its current code)
    division_code: str | None = None  # current code of the most specific division known (county, city or province)
    unit_key: str | None = (
        None  # one identity across renames: '<division_code>/<own name>' (湟中县统计局 → 630106/统计局)
    )
    township: str | None = None
    fiscal_year: int | None = None
    report_date: str | None = None  # ISO date
    self_score: float | None = None
    grade: str | None = None  # normalized 优/良/中/差
    grade_label_zh: str | None = None  # as written
    grade_rule: str | None = None  # the report's own grade rule text, if any
    indicator_total_weight: float | None = None  # 总分 row of the indicator table
    document_kind: str | None = None  # performance_evaluation, project_evaluation, budget_statement, …
    source_url: str | None = None  # the page's own URL when the text states it (else from manifest.csv)
    published_date: str | None = None  # ISO date of the page's 发布时间 stamp (never the report_date)
    indicator_total_score: float | None = None
    ocr_confidence: float | None = None  # scanned PDFs: mean OCR confidence (0–1) of the characters read
    provenance: dict[str, Provenance] = field(default_factory=dict)


@dataclass
class ReportExtraction:
    """Everything extracted from one file: header, resolved facts, findings, or a quarantine reason."""

    source_file: str
    content_hash: str
    file_format: str
    header: ReportHeader
    facts: list[Fact] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    status: Literal["loaded", "quarantined"] = "loaded"
    status_reason: str | None = None

    @property
    def report_id(self) -> str:
        return self.content_hash[:16]
