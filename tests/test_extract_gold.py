"""The extractor against the gold answers, in every text layout and file format."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SAMPLE_FORMATS
from gold_compare import compare, load_gold
from layout_converters import to_pipe, to_web

from jixiao.extract import extract_document, extract_file
from jixiao.readers.text import read_text

REPORTS = Path(__file__).resolve().parent.parent / "data" / "reports"
SAMPLES = sorted(p.name for p in REPORTS.glob("*.txt"))


def _gold(name: str) -> dict:
    return load_gold(name.replace(".txt", ".json"))


def _doc(name: str):
    return read_text((REPORTS / name).read_text(encoding="utf-8"), name)


@pytest.mark.parametrize("name", SAMPLES)
def test_tab_layout_matches_gold_exactly(name: str) -> None:
    result = extract_file(REPORTS / name)
    assert result.status == "loaded", result.status_reason
    comparison = compare(result, _gold(name))
    assert comparison.ok(), comparison.report()


@pytest.mark.parametrize("name", SAMPLES)
def test_pipe_layout_matches_gold_exactly(name: str) -> None:
    text = to_pipe(_doc(name))
    assert "\t" not in text and "|" in text
    doc = read_text(text, name)
    assert doc.file_format == "txt-pipe"
    comparison = compare(extract_document(doc), _gold(name))
    assert comparison.ok(), comparison.report()


@pytest.mark.parametrize("name", SAMPLES)
def test_web_layout_finds_gold_without_a_wrong_value(name: str) -> None:
    text = to_web(_doc(name))
    doc = read_text(text, name)
    assert doc.file_format == "txt-web"
    comparison = compare(extract_document(doc), _gold(name))
    assert not comparison.wrong and not comparison.absent_present and not comparison.extra, comparison.report()
    assert not comparison.header_diffs, comparison.report()
    assert comparison.recall >= 0.95, comparison.report()


def test_web_layout_recall_over_all_samples() -> None:
    found = total = 0
    for name in SAMPLES:
        c = compare(extract_document(read_text(to_web(_doc(name)), name)), _gold(name))
        found, total = found + c.found, total + c.total
    assert found / total >= 0.95


@pytest.mark.parametrize("fmt", sorted(SAMPLE_FORMATS))
@pytest.mark.parametrize("name", SAMPLES)
def test_file_formats_match_gold_exactly(name: str, fmt: str, written_sample) -> None:
    path = written_sample(name, fmt)
    result = extract_file(path)
    assert result.status == "loaded", result.status_reason
    comparison = compare(result, _gold(name))
    assert comparison.ok(), comparison.report()


def test_every_fact_carries_provenance() -> None:
    for name in SAMPLES:
        result = extract_file(REPORTS / name)
        for fact in result.facts:
            assert fact.prov.file == name
            assert fact.prov.text
            assert (fact.prov.row is not None and fact.prov.col is not None) or fact.prov.span is not None


def test_expected_findings_are_raised() -> None:
    """Findings of the gold files' expected_issues that extraction itself can see."""
    checks = {name: {f.check for f in extract_file(REPORTS / name).findings} for name in SAMPLES}
    assert {"unit_slip", "narrative_table_conflict"} <= checks["000_97de00a2d119f74e.txt"]
    assert {"unit_slip", "same_report_conflict"} <= checks["001_2a770005e5f9d24b.txt"]
    conflicts = [
        f.message
        for f in extract_file(REPORTS / "001_2a770005e5f9d24b.txt").findings
        if f.check == "same_report_conflict"
    ]
    # basic and project spending are each stated two ways; the breakdowns of each part are scoped, no conflict
    assert sorted(m.split(" is stated")[0] for m in conflicts) == [
        "spending 2021 basic/all",
        "spending 2021 project/all",
    ]
    assert "narrative_table_conflict" in checks["003_cbba9d689f5f66a1.txt"]
    assert "section_label_slip" in checks["004_cd48f1b058eb4283.txt"]
