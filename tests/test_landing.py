"""Landing: ReportExtractions -> landed CSV seeds, the schema's single source of truth, native load."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import duckdb
import pytest
import yaml

from jixiao.landing.schema import FACT_TABLE_TO_SEED, LANDED_SCHEMA, SEED_COLUMNS, column_names, column_types
from jixiao.landing.seeds import LandingError, load_landed_native, write_landed_seeds
from jixiao.model import Fact, Finding, Provenance, ReportExtraction, ReportHeader

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "landed"


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _fact(table: str, year: int, key: dict, values: dict, row: int | None = 1) -> Fact:
    prov = (
        Provenance(file="a.txt", block=4, row=row, col=2, text="15.42")
        if row is not None
        else Provenance(file="a.txt", block=9, span=(3, 11), text="公务接待费9.99万元")
    )
    return Fact(
        table=table,
        fiscal_year=year,
        key=key,
        values=values,
        source_kind="table" if row is not None else "prose",
        prov=prov,
    )


def _extraction(source: str = "a.txt", content_hash: str = "ab" * 32, **kw) -> ReportExtraction:
    header = ReportHeader(
        department_name="绥宁县武阳镇人民政府",
        province="湖南省",
        city="邵阳市",
        county="绥宁县",
        county_code="430527",
        township="武阳镇",
        fiscal_year=2021,
        report_date="2022-04-26",
        self_score=83,
        grade="良",
        grade_label_zh="良",
    )
    return ReportExtraction(source_file=source, content_hash=content_hash, file_format="txt-tab", header=header, **kw)


def test_dbt_seed_column_types_equal_landing_schema():
    props = yaml.safe_load((ROOT / "models" / "staging" / "_landed__seeds.yml").read_text(encoding="utf-8"))
    configs = {s["name"]: s["config"] for s in props["seeds"]}
    assert set(configs) == set(SEED_COLUMNS)
    for seed in SEED_COLUMNS:
        assert configs[seed]["column_types"] == column_types(seed), seed
        assert list(configs[seed]["column_types"]) == column_names(seed), f"{seed}: column order"
        assert configs[seed]["schema"] == LANDED_SCHEMA


def test_landed_seed_docs_list_exactly_the_schema_columns():
    props = yaml.safe_load((ROOT / "models" / "staging" / "_landed__seeds.yml").read_text(encoding="utf-8"))
    documented = {s["name"]: [c["name"] for c in s["columns"]] for s in props["seeds"]}
    assert documented == {seed: column_names(seed) for seed in SEED_COLUMNS}


def test_fixture_headers_match_schema():
    for seed in SEED_COLUMNS:
        with (FIXTURES / f"{seed}.csv").open(encoding="utf-8") as fh:
            assert next(csv.reader(fh)) == column_names(seed), seed


def test_facts_are_routed_by_table_with_provenance(tmp_path):
    facts = [
        _fact(
            "fct_three_public_expenses",
            2021,
            {"category": "total", "phase": "actual"},
            {"amount_wan": 15.42, "category_label_zh": "三公经费合计"},
        ),
        _fact(
            "fct_three_public_expenses",
            2021,
            {"category": "reception", "phase": "actual"},
            {"amount_wan": 9.99},
            row=None,
        ),
        _fact("fct_budget", 2021, {"item": "project", "phase": "initial_budget"}, {"amount_wan": 0}),
        _fact("fct_spending", 2021, {"item": "wages_welfare", "scope": "basic"}, {"amount_wan": 995.51}),
        _fact("fct_staffing", 2021, {"metric": "actual"}, {"headcount": 91.0}),
        _fact("fct_projects", 2021, {"project_name": "美丽乡村建设资金"}, {"budget_wan": 201, "actual_wan": None}),
        _fact(
            "fct_indicator_scores",
            2021,
            {"indicator_name": "年度资金总额"},
            {"level1": "budget_execution", "weight": 10, "score": None},
        ),
        _fact(
            "fct_budget_by_function",
            2021,
            {"phase": "initial_budget", "subject_code": "2010301"},
            {"subject_name": "行政运行", "total_wan": 5.5},
        ),
    ]
    findings = [
        Finding(
            check="unit_slip",
            severity="warn",
            message="179.93元应为万元",
            observed="179.93元",
            expected="179.93万元",
            prov=Provenance(file="a.txt", block=12, span=(0, 9), text="179.93元"),
        )
    ]
    counts = write_landed_seeds([_extraction(facts=facts, findings=findings)], tmp_path)

    assert counts == {
        "landed_reports": 1,
        "landed_budget": 1,
        "landed_spending": 1,
        "landed_three_public": 2,
        "landed_staffing": 1,
        "landed_projects": 1,
        "landed_indicator_scores": 1,
        "landed_budget_by_function": 1,
        "landed_findings": 1,
    }
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{s}.csv" for s in SEED_COLUMNS)

    three = _read(tmp_path / "landed_three_public.csv")
    expected = {
        "report_id": "ab" * 8,
        "fiscal_year": "2021",
        "category": "total",
        "category_label_zh": "三公经费合计",
        "phase": "actual",
        "amount_wan": "15.42",
        "source_kind": "table",
        "prov_block": "4",
        "prov_row": "1",
        "prov_col": "2",
        "prov_span": "",
        "prov_text": "15.42",
    }
    assert {k: three[0][k] for k in expected} == expected
    assert (three[1]["source_kind"], three[1]["prov_row"], three[1]["prov_span"]) == ("prose", "", "3-11")

    budget = _read(tmp_path / "landed_budget.csv")[0]
    assert (budget["amount_wan"], budget["scope"]) == ("0", "all")  # a written 0 stays 0; scope defaults to all
    assert _read(tmp_path / "landed_spending.csv")[0]["scope"] == "basic"
    assert _read(tmp_path / "landed_staffing.csv")[0]["headcount"] == "91"
    assert _read(tmp_path / "landed_projects.csv")[0]["actual_wan"] == ""  # blank is not 0
    assert _read(tmp_path / "landed_indicator_scores.csv")[0]["score"] == ""
    assert _read(tmp_path / "landed_budget_by_function.csv")[0]["subject_code"] == "2010301"
    finding = _read(tmp_path / "landed_findings.csv")[0]
    assert (finding["check"], finding["source_kind"], finding["prov_span"]) == ("unit_slip", "prose", "0-9")
    report = _read(tmp_path / "landed_reports.csv")[0]
    assert (report["report_id"], report["department_name"], report["county_code"], report["status"]) == (
        "ab" * 8,
        "绥宁县武阳镇人民政府",
        "430527",
        "loaded",
    )


def test_every_seed_is_written_even_when_empty_and_quarantined_reports_keep_a_row(tmp_path):
    quarantined = ReportExtraction(
        source_file="scan.pdf",
        content_hash="cd" * 32,
        file_format="pdf",
        header=ReportHeader(),
        status="quarantined",
        status_reason="no text layer",
    )
    counts = write_landed_seeds([quarantined], tmp_path)
    assert counts["landed_reports"] == 1 and sum(counts.values()) == 1
    for seed in SEED_COLUMNS:
        lines = (tmp_path / f"{seed}.csv").read_text(encoding="utf-8").splitlines()
        assert lines[0].split(",") == column_names(seed)
    row = _read(tmp_path / "landed_reports.csv")[0]
    assert (row["status"], row["status_reason"], row["department_name"]) == ("quarantined", "no text layer", "")


def test_same_content_is_landed_once(tmp_path):
    counts = write_landed_seeds([_extraction("a.txt"), _extraction("copy of a.txt")], tmp_path)
    assert counts["landed_reports"] == 1


@pytest.mark.parametrize(
    ("fact", "complaint"),
    [
        (_fact("fct_unknown", 2021, {"item": "x"}, {"amount_wan": 1}), "fct_unknown"),
        (_fact("fct_budget", 2021, {"item": "total", "phase": "budget"}, {"amount": 1}), "'amount'"),
        (_fact("fct_staffing", 2021, {"metric": "actual"}, {"headcount": 90.5}), "whole number"),
        (_fact("fct_budget", 2021, {"item": "total", "phase": "budget"}, {"amount_wan": "12万元"}), "number"),
    ],
)
def test_bad_facts_raise_an_error_naming_the_file(tmp_path, fact, complaint):
    with pytest.raises(LandingError) as err:
        write_landed_seeds([_extraction("broken_report.txt", facts=[fact])], tmp_path)
    assert "broken_report.txt" in str(err.value) and complaint in str(err.value)


def test_contract_fact_tables_all_have_a_seed():
    assert set(FACT_TABLE_TO_SEED) == {
        "fct_budget",
        "fct_spending",
        "fct_three_public_expenses",
        "fct_staffing",
        "fct_projects",
        "fct_indicator_scores",
        "fct_budget_by_function",
    }


def test_native_load_creates_typed_tables_with_nulls_kept(tmp_path):
    db = tmp_path / "w.duckdb"
    counts = load_landed_native(FIXTURES, db)
    with duckdb.connect(str(db), read_only=True) as con:
        types = con.execute(
            "select table_name, column_name, lower(data_type) from information_schema.columns "
            "where table_schema = ? order by table_name, ordinal_position",
            [LANDED_SCHEMA],
        ).fetchall()
        by_table: dict[str, list[tuple[str, str]]] = {}
        for table, column, data_type in types:
            by_table.setdefault(table, []).append((column, data_type))
        assert by_table == {seed: SEED_COLUMNS[seed] for seed in SEED_COLUMNS}
        for seed, n in counts.items():
            assert n == len(_read(FIXTURES / f"{seed}.csv")), seed
        codes = {r[0] for r in con.execute(f"select county_code from {LANDED_SCHEMA}.landed_reports").fetchall()}
        assert "430527" in codes
        blank_scores = con.execute(
            f"select count(*) from {LANDED_SCHEMA}.landed_indicator_scores where score is null"
        ).fetchone()[0]
        csv_blanks = sum(1 for r in _read(FIXTURES / "landed_indicator_scores.csv") if r["score"] == "")
        assert blank_scores == csv_blanks > 0


def test_native_load_reports_missing_files(tmp_path):
    with pytest.raises(FileNotFoundError, match="landed_reports.csv"):
        load_landed_native(tmp_path, tmp_path / "w.duckdb")


def test_document_kinds_agree_with_the_contract_and_the_gate():
    from jixiao.landing.schema import DOCUMENT_KINDS

    contract = (ROOT / "docs" / "CONTRACT.md").read_text(encoding="utf-8")
    row = next(line for line in contract.splitlines() if line.startswith("| document_kind |"))
    assert tuple(re.findall(r"`(\w+)`", row)) == DOCUMENT_KINDS
    vocab = yaml.safe_load((ROOT / "expectations" / "vocabularies.yml").read_text(encoding="utf-8"))
    assert tuple(vocab["document_kinds"]) == DOCUMENT_KINDS
