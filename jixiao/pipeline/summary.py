"""What one refresh did, for the command line, the Prefect artifact and the logs.

:class:`RefreshSummary` wraps the run's :class:`~jixiao.pipeline.runs.RunRecord` (the row of
``pipeline_runs``): every count, status and timing is filled once, in the record, and the summary
adds only what is not a column there (the names of quarantined, duplicate and skipped files, the
files moved aside, warnings, the Data Docs path).  :meth:`RefreshSummary.to_dict` is the JSON of
``jixiao refresh --json`` and the flow's return value.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from jixiao.pipeline.runs import RunRecord

_HEADS = {
    "published": "Published {db}",
    "unchanged": "Nothing changed: {db} carried over as it was",
    "failed": "Refresh FAILED, {db} left untouched",
    "interrupted": "Refresh INTERRUPTED, {db} left untouched",
    "running": "Refresh of {db} still running",
}


@dataclass
class RefreshSummary:
    """The run record plus the per-file details a reader of the summary wants."""

    record: RunRecord
    db_path: str
    quarantined: dict[str, str] = field(default_factory=dict)  # file -> reason
    duplicates: dict[str, str] = field(default_factory=dict)  # file -> the file with the same bytes
    skipped: dict[str, str] = field(default_factory=dict)  # entry of the folder not read -> why
    moved_aside: list[str] = field(default_factory=list)  # side files of the warehouse kept under a new name
    warnings: list[str] = field(default_factory=list)  # after publishing: what did not go as planned
    data_docs: str | None = None

    # ------------------------------------------------------------------ filled once, in the record
    def set_quarantined(self, quarantined: dict[str, str]) -> None:
        self.quarantined = quarantined
        self.record.reports_quarantined = len(quarantined)

    def set_duplicates(self, duplicates: dict[str, str]) -> None:
        self.duplicates = dict(duplicates)
        self.record.reports_duplicate = len(duplicates)

    @property
    def run_id(self) -> str:
        return self.record.run_id

    @property
    def status(self) -> str:
        return self.record.status

    @property
    def changes(self) -> dict[str, int]:
        r = self.record
        return {
            "new": r.reports_new or 0,
            "changed": r.reports_changed or 0,
            "removed": r.reports_removed or 0,
            "unchanged": r.reports_unchanged or 0,
            "duplicate": r.reports_duplicate or 0,
        }

    # ------------------------------------------------------------------ as data
    def to_dict(self) -> dict[str, Any]:
        """The summary as JSON-ready data (the keys of ``jixiao refresh --json``)."""
        r = self.record
        return {
            "run_id": r.run_id,
            "status": r.status,
            "db_path": self.db_path,
            "reports_dir": r.reports_dir,
            "changes": self.changes,
            "reports_total": r.reports_total or 0,
            "reports_extracted": r.reports_extracted or 0,
            "quarantined": dict(self.quarantined),
            "duplicates": dict(self.duplicates),
            "skipped": dict(self.skipped),
            "moved_aside": list(self.moved_aside),
            "warnings": list(self.warnings),
            "fact_rows": dict(r.fact_rows),
            "steps": dict(r.step_seconds),
            "quality_passed": r.quality_checks_passed,
            "quality_failed": r.quality_checks_failed,
            "quality_failures": list(r.quality_failures),
            "data_docs": self.data_docs,
            "reason": r.status_reason,
            "flow_run_id": r.flow_run_id,
            "started_at": r.started_at.isoformat() if r.started_at else None,
            "finished_at": r.finished_at.isoformat() if r.finished_at else None,
            "landing_mode": r.landing_mode,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RefreshSummary:
        """The summary of :meth:`to_dict`'s data (e.g. a flow run's result)."""
        changes = data.get("changes") or {}
        record = RunRecord(
            run_id=data["run_id"],
            started_at=datetime.fromisoformat(data["started_at"]) if data.get("started_at") else datetime.min,
            finished_at=datetime.fromisoformat(data["finished_at"]) if data.get("finished_at") else None,
            status=data.get("status", "failed"),
            status_reason=data.get("reason"),
            flow_run_id=data.get("flow_run_id"),
            reports_dir=data.get("reports_dir"),
            landing_mode=data.get("landing_mode"),
            reports_total=data.get("reports_total"),
            reports_new=changes.get("new"),
            reports_changed=changes.get("changed"),
            reports_unchanged=changes.get("unchanged"),
            reports_removed=changes.get("removed"),
            reports_duplicate=changes.get("duplicate"),
            reports_quarantined=len(data.get("quarantined") or {}),
            reports_extracted=data.get("reports_extracted"),
            fact_rows=dict(data.get("fact_rows") or {}),
            step_seconds=dict(data.get("steps") or {}),
            quality_checks_passed=data.get("quality_passed"),
            quality_checks_failed=data.get("quality_failed"),
            quality_failures=list(data.get("quality_failures") or []),
        )
        return cls(
            record=record,
            db_path=data["db_path"],
            quarantined=dict(data.get("quarantined") or {}),
            duplicates=dict(data.get("duplicates") or {}),
            skipped=dict(data.get("skipped") or {}),
            moved_aside=list(data.get("moved_aside") or []),
            warnings=list(data.get("warnings") or []),
            data_docs=data.get("data_docs"),
        )

    # ------------------------------------------------------------------ as text
    def changes_line(self) -> str:
        c = self.changes
        return f"{c['new']} new, {c['changed']} changed, {c['removed']} removed, {c['unchanged']} unchanged"

    def lines(self) -> list[str]:
        r = self.record
        out = [f"{_HEADS.get(r.status, '{db}: ' + r.status).format(db=self.db_path)} (run {r.run_id})"]
        if r.status_reason and r.status in ("failed", "interrupted"):
            out.append(f"Reason: {r.status_reason}")
        out.append(
            f"Reports: {r.reports_total or 0} in {r.reports_dir}: {self.changes_line()}; "
            f"extracted {r.reports_extracted or 0}; quarantined {len(self.quarantined)}"
        )
        out += [f"  - {name}: {why.removeprefix(name + ': ')}" for name, why in sorted(self.quarantined.items())]
        out += [f"  - {name}: skipped, same bytes as {first}" for name, first in sorted(self.duplicates.items())]
        out += [f"  - {name}: skipped, {why}" for name, why in sorted(self.skipped.items())]
        out += [
            f"Moved aside (kept): {name}: a file DuckDB would have replayed onto the new warehouse"
            for name in self.moved_aside
        ]
        out += [f"Warning: {w}" for w in self.warnings]
        if r.fact_rows:
            out.append("Rows: " + ", ".join(f"{t} {n}" for t, n in r.fact_rows.items()))
        if r.quality_checks_passed is not None:
            out.append(
                f"Quality checks: {r.quality_checks_passed} passed, {r.quality_checks_failed} failed"
                + (f"; Data Docs: {self.data_docs}" if self.data_docs else "")
            )
            out += [f"  - {m}" for m in r.quality_failures[:20]]
        if r.step_seconds:
            out.append("Time per step: " + ", ".join(f"{s} {t:.1f} s" for s, t in r.step_seconds.items()))
        return out

    def to_text(self) -> str:
        return "\n".join(self.lines())

    def to_markdown(self) -> str:
        r = self.record
        md = [f"# jixiao refresh {r.run_id}: **{r.status}**", ""]
        if r.status_reason and r.status in ("failed", "interrupted"):
            md += [f"**Reason:** {r.status_reason}", ""]
        md += [
            "| | |",
            "|---|---|",
            f"| Warehouse | `{self.db_path}` |",
            f"| Reports folder | `{r.reports_dir}` |",
            f"| Reports | {r.reports_total or 0}: {self.changes_line()} |",
            f"| Extracted this run | {r.reports_extracted or 0} |",
            f"| Quarantined | {len(self.quarantined)} |",
        ]
        if r.quality_checks_passed is not None:
            md.append(f"| Quality checks | {r.quality_checks_passed} passed, {r.quality_checks_failed} failed |")
        if self.data_docs:
            md.append(f"| Data Docs | `{self.data_docs}` |")
        if self.quarantined or self.duplicates:
            md += ["", "## Quarantined and skipped reports", "", "| file | reason |", "|---|---|"]
            md += [f"| {n} | {why.removeprefix(n + ': ')} |" for n, why in sorted(self.quarantined.items())]
            md += [f"| {n} | duplicate of {f} |" for n, f in sorted(self.duplicates.items())]
        if self.skipped:
            md += ["", "## Skipped entries of the folder", "", "| entry | reason |", "|---|---|"]
            md += [f"| {n} | {why} |" for n, why in sorted(self.skipped.items())]
        if self.moved_aside or self.warnings:
            md += ["", "## Notes", ""] + [f"- moved aside (kept): `{n}`" for n in self.moved_aside]
            md += [f"- {w}" for w in self.warnings]
        if r.fact_rows:
            md += ["", "## Rows per table", "", "| table | rows |", "|---|---:|"]
            md += [f"| {t} | {n} |" for t, n in r.fact_rows.items()]
        if r.step_seconds:
            md += ["", "## Time per step", "", "| step | seconds |", "|---|---:|"]
            md += [f"| {s} | {t:.1f} |" for s, t in r.step_seconds.items()]
        if r.quality_failures:
            md += ["", "## Failed quality checks", ""] + [f"- {m}" for m in r.quality_failures]
        return "\n".join(md) + "\n"
