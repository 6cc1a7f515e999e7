"""What the quality gate reports: one outcome per expectation and the gate's verdict."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MAX_LISTED = 10  # offending reports / values named in one message


@dataclass
class ExpectationOutcome:
    """The result of one expectation on one table."""

    suite: str
    table: str
    expectation: str  # GX expectation type, e.g. expect_column_values_to_be_between
    severity: str  # critical | warning
    success: bool
    observed_value: Any = None
    unexpected_count: int | None = None
    report_ids: list[str] = field(default_factory=list)
    source_files: list[str] = field(default_factory=list)
    message: str = ""
    column: str | None = None  # the column(s) looked at, comma-separated
    description: str = ""
    kwargs: dict[str, Any] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return f"{self.expectation}({self.column})" if self.column else self.expectation

    @property
    def blocking(self) -> bool:
        return self.severity == "critical" and not self.success


@dataclass
class GateResult:
    """The verdict of one quality gate run: ``passed`` when no critical expectation failed."""

    run_id: str
    stage: str
    results: list[ExpectationOutcome]
    docs_path: Path | None

    @property
    def passed(self) -> bool:
        return not any(o.blocking for o in self.results)

    @property
    def critical_failures(self) -> list[ExpectationOutcome]:
        return [o for o in self.results if o.blocking]

    @property
    def warnings(self) -> list[ExpectationOutcome]:
        return [o for o in self.results if o.severity == "warning" and not o.success]

    def summary(self) -> str:
        """One line for logs: verdict and counts."""
        total = len(self.results)
        ok = sum(o.success for o in self.results)
        verdict = "PASSED" if self.passed else "FAILED"
        return (
            f"Quality gate {verdict} (run {self.run_id}, stage {self.stage}): {ok}/{total} expectations met, "
            f"{len(self.critical_failures)} critical failure(s), {len(self.warnings)} warning(s)"
            + (f"; Data Docs: {self.docs_path}" if self.docs_path else "")
        )

    def failures_message(self) -> str:
        """The failed critical expectations, each with the reports behind the offending rows."""
        failures = self.critical_failures
        if not failures:
            return "No critical expectation failed."
        lines = [f"{len(failures)} critical expectation(s) failed, so the build must not be published:"]
        lines.extend(f"- {o.message}" for o in failures)
        return "\n".join(lines)

    def warnings_message(self) -> str:
        return "\n".join(f"- {o.message}" for o in self.warnings)
