"""What every extractor gets: the document, the evaluated year, and sinks for facts and findings."""

from __future__ import annotations

from dataclasses import dataclass, field

from jixiao.model import Document, Fact, Finding, Paragraph, Provenance, Severity, SourceKind, Table
from jixiao.text.numbers import Amount, to_wan


@dataclass
class Context:
    doc: Document
    fiscal_year: int | None  # the year the report evaluates; None when it names none
    facts: list[Fact] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    indicator_totals: tuple[float | None, float | None] | None = None  # (总分 weight, 总分 score)

    # --- provenance ---------------------------------------------------------------
    def cell(self, table: Table, row: int, col: int) -> Provenance:
        text = table.rows[row][col] if row < len(table.rows) and col < len(table.rows[row]) else ""
        return Provenance(self.doc.source_file, table.index, row=row, col=col, text=text)

    def span(self, para: Paragraph, start: int, end: int, sentence: str | None = None) -> Provenance:
        return Provenance(self.doc.source_file, para.index, span=(start, end), text=sentence or para.text[start:end])

    # --- sinks ----------------------------------------------------------------------
    def add(
        self,
        table: str,
        year: int | None,
        key: dict,
        values: dict,
        kind: SourceKind,
        prov: Provenance,
        decimals: int | None = None,
    ) -> None:
        self.facts.append(Fact(table, year, key, values, kind, prov, decimals))

    def add_amount(
        self,
        table: str,
        year: int | None,
        key: dict,
        label: str,
        amount: Amount,
        kind: SourceKind,
        prov: Provenance,
        label_column: str,
    ) -> None:
        """Add a money fact in 万元, reporting a 元 slip amid 万元 figures instead of converting it."""
        value = to_wan(amount)
        if amount.unit == "元" and amount.value < 1000:
            value = amount.value
            self.finding(
                "unit_slip",
                "warn",
                f"'{amount.text}' is written in 元 where 万元 is meant (read as {amount.value:g} 万元)",
                observed=amount.text,
                expected=f"{amount.value:g}万元",
                prov=prov,
            )
        self.add(table, year, key, {"amount_wan": value, label_column: label}, kind, prov, amount.decimals)

    def finding(
        self,
        check: str,
        severity: Severity,
        message: str,
        observed: str = "",
        expected: str = "",
        prov: Provenance | None = None,
    ) -> None:
        self.findings.append(Finding(check, severity, message, observed, expected, prov))

    def year_ok(self, year: int | None, offset: int = 0) -> int | None:
        """A column or sentence year, falling back to the evaluated year (minus 1 for 上年); None if neither."""
        if year is not None:
            return year
        return None if self.fiscal_year is None else self.fiscal_year + offset
