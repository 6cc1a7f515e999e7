"""Deliberately bad landed seeds fail the refresh before publishing, naming the check and the report,
and leave the published warehouse byte-for-byte unchanged (issue: quality gate)."""

from __future__ import annotations

import csv
import hashlib
import re
from pathlib import Path

import pytest
from conftest import Warehouse

pytestmark = pytest.mark.slow


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _edit_csv(path: Path, change) -> None:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    fields = list(rows[0].keys())
    rows = change(rows)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)


def _negative_amount(rows):
    rows[0]["amount_wan"] = "-5"
    return rows


def _duplicate_key(rows):
    return rows + [dict(rows[0], amount_wan="1.23")]


def _unknown_category(rows):
    rows[0]["category"] = "banquets"
    return rows


def _score_above_weight(rows):
    row = next(r for r in rows if r["weight"])
    row["score"] = str(float(row["weight"]) + 5)
    return rows


BAD_SEEDS = {
    "negative amount": ("landed_spending.csv", _negative_amount),
    "duplicate key": ("landed_spending.csv", _duplicate_key),
    "unknown category": ("landed_three_public.csv", _unknown_category),
    "score above weight": ("landed_indicator_scores.csv", _score_above_weight),
}


@pytest.mark.parametrize("case", sorted(BAD_SEEDS))
def test_bad_seed_fails_the_refresh_and_keeps_the_warehouse(
    case: str, warehouse: Warehouse, monkeypatch, prefect_harness
) -> None:
    import jixiao.pipeline.tasks
    from jixiao.pipeline.refresh import RefreshFailed, refresh

    seed_file, change = BAD_SEEDS[case]
    original = jixiao.pipeline.tasks.write_seeds_from_cache
    touched: list[str] = []

    def land_then_spoil(files, cache, seeds_dir, manifest=None):
        counts, metas = original(files, cache, seeds_dir, manifest)
        path = Path(seeds_dir) / seed_file
        with path.open(encoding="utf-8") as fh:
            touched.append(next(csv.DictReader(fh))["report_id"])
        _edit_csv(path, change)
        return counts, metas

    before = _sha(warehouse.db)
    monkeypatch.setattr(jixiao.pipeline.tasks, "write_seeds_from_cache", land_then_spoil)
    with pytest.raises(RefreshFailed) as failure:
        refresh(reports_dir=str(warehouse.reports), db_path=str(warehouse.db), landing="native", full_rebuild=True)
    assert failure.value.step in ("dbt_build", "quality_gate"), failure.value
    assert touched, "the landing step ran"
    reason = failure.value.reason
    assert re.search(r"expect_|unique|accepted_values|not_null|value_between|test", reason), reason
    if failure.value.step == "quality_gate":
        assert touched[0] in reason, reason  # the report behind the offending rows is named
    assert _sha(warehouse.db) == before
    assert not [p for p in warehouse.db.parent.iterdir() if ".building-" in p.name]
