"""Land extractions as CSV files (dbt seeds) and, alternatively, load them straight into DuckDB.

``write_landed_seeds`` turns :class:`~jixiao.model.ReportExtraction` objects into
``seeds_dir/landed_*.csv`` with the columns of :mod:`jixiao.landing.schema`.  A blank is
written as an empty field (loaded as NULL), never as 0.  ``load_landed_native`` creates the
same typed tables with DuckDB's ``read_csv``: a fast alternative to ``dbt seed``.
"""

from __future__ import annotations

import csv
import logging
import math
import os
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from jixiao.extract.gazetteer import unit_own_name
from jixiao.extract.header import township_of
from jixiao.landing.manifest import Manifest, apply_entry
from jixiao.landing.schema import (
    FACT_TABLE_TO_SEED,
    KEY_DEFAULTS,
    LANDED_SCHEMA,
    SEED_COLUMNS,
    column_names,
)
from jixiao.model import Fact, Finding, Provenance, ReportExtraction

log = logging.getLogger(__name__)


class LandingError(ValueError):
    """An extraction cannot be landed (unknown table or column, value of the wrong type)."""


def _provenance_row(prov: Provenance | None, source_kind: str | None) -> dict[str, Any]:
    if prov is None:
        return {"source_kind": source_kind}
    if source_kind is None:
        source_kind = "table" if prov.row is not None else ("prose" if prov.span else None)
    return {
        "source_kind": source_kind,
        "prov_block": prov.block,
        "prov_row": prov.row,
        "prov_col": prov.col,
        "prov_span": f"{prov.span[0]}-{prov.span[1]}" if prov.span else None,
        "prov_text": prov.text or None,
    }


def _report_row(ex: ReportExtraction) -> dict[str, Any]:
    h = ex.header
    return {
        "report_id": ex.report_id,
        "source_file": ex.source_file,
        "content_hash": ex.content_hash,
        "file_format": ex.file_format,
        "status": ex.status,
        "status_reason": ex.status_reason,
        "department_name": h.department_name,
        "province": h.province,
        "city": h.city,
        "county": h.county,
        "county_code": h.county_code,
        "township": h.township,
        "fiscal_year": h.fiscal_year,
        "report_date": h.report_date,
        "self_score": h.self_score,
        "grade": h.grade,
        "grade_label_zh": h.grade_label_zh,
        "grade_rule": h.grade_rule,
        "indicator_total_weight": h.indicator_total_weight,
        "indicator_total_score": h.indicator_total_score,
        "document_kind": h.document_kind,
        "source_url": h.source_url,
        "published_date": h.published_date,
        "unit_key": h.unit_key,
        "ocr_confidence": h.ocr_confidence,
    }


def _fact_row(ex: ReportExtraction, fact: Fact) -> tuple[str, dict[str, Any]]:
    seed = FACT_TABLE_TO_SEED.get(fact.table)
    if seed is None:
        raise LandingError(f"{ex.source_file}: fact table {fact.table!r} is not one of {sorted(FACT_TABLE_TO_SEED)}")
    row: dict[str, Any] = {"report_id": ex.report_id, "fiscal_year": fact.fiscal_year}
    row.update(KEY_DEFAULTS.get(seed, {}))
    allowed = set(column_names(seed))
    for name, value in {**fact.key, **fact.values}.items():
        if name not in allowed:
            raise LandingError(
                f"{ex.source_file}: {fact.table} has no column {name!r} "
                f"(read at {fact.prov.describe()}); allowed: {column_names(seed)}"
            )
        if value is not None or name not in row:
            row[name] = value
    row.update(_provenance_row(fact.prov, fact.source_kind))
    return seed, row


def finding_row(ex: ReportExtraction | str, finding: Finding) -> dict[str, Any]:
    row = {
        "report_id": ex if isinstance(ex, str) else ex.report_id,
        "check": finding.check,
        "severity": finding.severity,
        "message": finding.message,
        "observed": finding.observed,
        "expected": finding.expected,
    }
    row.update(_provenance_row(finding.prov, None))
    return row


def format_cell(value: Any, duck_type: str, where: str) -> str:
    """Render one cell for the CSV; ``""`` is a blank (NULL)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return ""
    if duck_type == "integer":
        if isinstance(value, bool) or not isinstance(value, (int, float)) or float(value) != int(value):
            raise LandingError(f"{where}: expected a whole number, got {value!r}")
        return str(int(value))
    if duck_type == "double":
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise LandingError(f"{where}: expected a number, got {value!r}")
        return repr(float(value)) if isinstance(value, float) else str(value)
    if duck_type == "date":
        text = value.isoformat() if isinstance(value, date) else str(value)
        try:
            date.fromisoformat(text)
        except ValueError as exc:
            raise LandingError(f"{where}: expected an ISO date, got {value!r}") from exc
        return text
    return str(value)


def _write_csv(path: Path, seed: str, rows: Iterable[dict[str, Any]]) -> int:
    columns = SEED_COLUMNS[seed]
    tmp = path.with_name(path.name + ".tmp")
    count = 0
    with tmp.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow([name for name, _ in columns])
        for row in rows:
            where = f"{row.get('_source_file', '?')}: {seed}"
            writer.writerow([format_cell(row.get(name), duck_type, f"{where}.{name}") for name, duck_type in columns])
            count += 1
    os.replace(tmp, path)
    return count


def settle_unit(report: dict[str, Any], manifest_applied: bool) -> None:
    """Fill a landed_reports row's ``unit_name`` (the name without its region's prefixes) and, where a
    manifest line applied (it may name another unit), its ``township`` from the final name."""
    if manifest_applied:
        report["township"] = township_of(report.get("department_name"))
    report["unit_name"] = unit_own_name(*(report.get(c) for c in ("department_name", "province", "city", "county")))


def write_landed_seeds(
    extractions: list[ReportExtraction], seeds_dir: Path, manifest: Manifest | None = None
) -> dict[str, int]:
    """Write every ``seeds_dir/landed_*.csv`` (header only when empty); return rows per seed.

    With a ``manifest``, each report's row takes the manifest's values (:mod:`jixiao.landing.manifest`).
    """
    seeds_dir = Path(seeds_dir)
    seeds_dir.mkdir(parents=True, exist_ok=True)
    rows: dict[str, list[dict[str, Any]]] = {seed: [] for seed in SEED_COLUMNS}
    seen: dict[str, str] = {}
    for ex in extractions:
        if ex.report_id in seen:
            log.warning("%s has the same content as %s; landed once", ex.source_file, seen[ex.report_id])
            continue
        seen[ex.report_id] = ex.source_file
        report_row = _report_row(ex)
        entry = manifest.entry(ex.source_file) if manifest else None
        for finding in apply_entry(report_row, entry, ex.source_file) if entry else []:
            rows["landed_findings"].append({**finding_row(ex, finding), "_source_file": ex.source_file})
        settle_unit(report_row, manifest_applied=entry is not None)
        rows["landed_reports"].append({**report_row, "_source_file": ex.source_file})
        for fact in ex.facts:
            seed, row = _fact_row(ex, fact)
            rows[seed].append({**row, "_source_file": ex.source_file})
        for finding in ex.findings:
            rows["landed_findings"].append({**finding_row(ex, finding), "_source_file": ex.source_file})
    return {seed: _write_csv(seeds_dir / f"{seed}.csv", seed, seed_rows) for seed, seed_rows in rows.items()}


def native_load_sql(seed: str, csv_path: Path) -> str:
    """``CREATE OR REPLACE TABLE`` statement loading one landed CSV with its declared types."""
    columns = ", ".join(f"'{name}': '{duck_type.upper()}'" for name, duck_type in SEED_COLUMNS[seed])
    path = str(csv_path).replace("'", "''")
    return (
        f'create or replace table "{LANDED_SCHEMA}"."{seed}" as select * from read_csv('
        f"'{path}', header = true, auto_detect = false, delim = ',', quote = '\"', escape = '\"', "
        f"columns = {{{columns}}})"
    )


def load_landed_native(seeds_dir: Path, duckdb_path: Path) -> dict[str, int]:
    """Create ``landed.landed_*`` in ``duckdb_path`` from the CSVs with DuckDB ``read_csv``.

    Produces the same tables, types and NULLs as ``dbt seed`` does; returns rows per table.
    """
    seeds_dir = Path(seeds_dir)
    missing = [s for s in SEED_COLUMNS if not (seeds_dir / f"{s}.csv").is_file()]
    if missing:
        raise FileNotFoundError(f"{seeds_dir}: landed seed files missing: {', '.join(m + '.csv' for m in missing)}")
    for seed in SEED_COLUMNS:
        with (seeds_dir / f"{seed}.csv").open(encoding="utf-8") as fh:
            header = next(csv.reader(fh), [])
        if header != column_names(seed):
            raise LandingError(f"{seeds_dir / (seed + '.csv')}: header {header} != expected {column_names(seed)}")
    Path(duckdb_path).parent.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    with duckdb.connect(str(duckdb_path)) as con:
        con.execute(f'create schema if not exists "{LANDED_SCHEMA}"')
        for seed in SEED_COLUMNS:
            con.execute(native_load_sql(seed, seeds_dir / f"{seed}.csv"))
            row = con.execute(f'select count(*) from "{LANDED_SCHEMA}"."{seed}"').fetchone()
            counts[seed] = row[0] if row else 0
    return counts
