"""The benchmark in small: 200 generated reports through the extractor, checked against their expected facts.

Precision must be 100% and recall at least 99.5% over every layout; bad files must be quarantined
with a reason naming the file.  On failure the message lists examples of what was missed or wrong.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from jixiao.bench.corpus import generate_corpus
from jixiao.bench.scoring import CorpusScore, score_report
from jixiao.extract import extract_file

N = 200


@pytest.fixture(scope="module")
def scored(tmp_path_factory) -> tuple[CorpusScore, dict[str, object], list[dict]]:
    corpus = tmp_path_factory.mktemp("bench-small") / "corpus"
    generate_corpus(corpus, N, seed=2024)
    total = CorpusScore()
    extractions = {}
    records = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((corpus / "expected").glob("*.json"))]
    for record in records:
        ex = extract_file(corpus / "reports" / record["source_file"])
        extractions[record["source_file"]] = ex
        total.add(record, score_report(record, ex), examples=10)
    return total, extractions, records


def _examples(rows: list[dict]) -> str:
    return "\n".join(json.dumps(r, ensure_ascii=False)[:300] for r in rows[:10])


def test_every_generated_fact_read_is_right(scored) -> None:
    total, _, _ = scored
    assert total.extracted > N * 50
    assert total.precision == 1.0, f"wrong rows by table {dict(total.wrong_by_table)}:\n{_examples(total.wrong_examples)}"


def test_almost_every_generated_fact_is_found(scored) -> None:
    total, _, _ = scored
    assert total.expected_facts > N * 50
    assert total.recall >= 0.995, (
        f"recall {total.recall:.4f}; missed by table {dict(total.missed_by_table)}, by layout "
        f"{dict(total.missed_by_layout)}:\n{_examples(total.missed_examples)}")


def test_report_headers_are_read(scored) -> None:
    total, _, _ = scored
    assert total.header_ok / total.header_checked >= 0.995, _examples(total.header_examples)


def test_bad_files_are_quarantined_and_good_ones_loaded(scored) -> None:
    _, extractions, records = scored
    bad = [r for r in records if r["status"] == "quarantined"]
    assert bad
    for r in records:
        ex = extractions[r["source_file"]]
        assert ex.status == r["status"], f"{r['source_file']} ({r['layout']}): {ex.status} {ex.status_reason}"
        if r["status"] == "quarantined":
            assert ex.status_reason and ex.status_reason.strip()
