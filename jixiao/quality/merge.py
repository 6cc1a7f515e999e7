"""Adding up one expectation's results over the chunks of a table.

Every expectation the gate runs is a per-row (map) expectation, so its verdict over a table is the
sum of its verdicts over the table's chunks: the unexpected rows add up, and it succeeds when the
share of unexpected rows stays within ``mostly`` (1 unless the suite says otherwise).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

MAX_SAMPLE = 20  # unexpected values kept for messages


@dataclass
class ChunkTotals:
    """One expectation's results over the chunks seen so far."""

    chunks: int = 0
    success: bool = True
    element_count: int = 0
    missing_count: int = 0
    unexpected_count: int | None = None
    sample: list[Any] = field(default_factory=list)
    observed_value: Any = None
    exception: str | None = None
    report_ids: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  # files named by offending rows that have no report_id
    tables: list[str] = field(default_factory=list)  # tables named by offending rows (run check row_counts)
    mostly: float | None = None

    def add(self, success: bool, result: dict[str, Any], exception: str | None, report_ids: list[str]) -> None:
        """Fold in one chunk's result (a GX ``result`` dict)."""
        self.chunks += 1
        self.success = self.success and success
        self.element_count += int(result.get("element_count") or 0)
        self.missing_count += int(result.get("missing_count") or 0)
        if result.get("unexpected_count") is not None:
            self.unexpected_count = (self.unexpected_count or 0) + int(result["unexpected_count"])
        room = MAX_SAMPLE - len(self.sample)
        if room > 0:
            self.sample.extend((result.get("partial_unexpected_list") or [])[:room])
        if result.get("observed_value") is not None and (self.observed_value is None or not success):
            self.observed_value = result["observed_value"]
        self.exception = self.exception or exception
        known = set(self.report_ids)
        self.report_ids.extend(r for r in report_ids if r not in known)

    @property
    def passed(self) -> bool:
        """The verdict over every chunk: with ``mostly`` below 1, the share of the whole table decides."""
        if self.exception:
            return False
        if self.mostly is None or self.unexpected_count is None:
            return self.success
        checked = self.element_count - self.missing_count
        return checked == 0 or (1 - self.unexpected_count / checked) >= self.mostly
