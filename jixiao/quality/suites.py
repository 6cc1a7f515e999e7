"""Suite files under ``expectations/`` and their translation into GX expectations.

A suite file is YAML a reviewer can read::

    suite: published              # also the stage name run_quality_gate selects it by
    schema: main                  # DuckDB schema the tables live in (searched by name otherwise)
    report_table: dim_report      # adds report context columns to frames that carry report_id
    tables:                       # row-level: validated on the rows of the changed reports, in chunks
      fct_budget:
        columns: {report_id: text, amount_wan: number, report_date: {type: date, severity: warning}}
        expectations:
          - type: expect_column_values_to_be_between        # any GX 1.x expectation type
            kwargs: {column: amount_wan, min_value: 0}      # GX kwargs, plus the conveniences below
            severity: critical                              # critical stops publishing; warning records
            description: Amounts are never negative.
    run_checks:                   # run-level: small frames computed by SQL over the whole warehouse
      input_files:
        sql: SELECT i.source_file, r.status FROM input_files AS i LEFT JOIN {dim_report} AS r USING (source_file)
        expectations: [...]       # as above

Row-level tables and run checks take only per-row expectations (column map and column pair map:
values between, in a set, not null, matching a pattern, a >= b …), so that a table can be validated
in chunks and the chunks' results add up.  Uniqueness is dbt's (grain tests); a whole-table rule is
a run check whose SQL returns the offending groups.  In a run check's ``sql``, ``{table}`` is the
qualified name of a warehouse table, ``input_files`` the run's input file names (column
``source_file``) and ``{row_counts}`` the rows of each of the suite's tables now and in the last
published run (columns ``table_name, rows_now, rows_before, ratio``).

Conveniences on top of plain GX kwargs:

- ``column: [a, b]`` expands into one expectation per column;
- ``value_set: {vocab: items}`` takes a list from ``expectations/vocabularies.yml``;
- ``where: {status: loaded}`` keeps only rows where every named column equals the value;
- ``{$PARAMETER: input_files}`` is a GX suite parameter filled in at run time.

``columns`` entries become ``expect_column_values_to_be_in_type_list`` expectations
(severity ``critical`` unless the entry says otherwise) over the pandas dtypes DuckDB gives.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

SEVERITIES = ("critical", "warning")

# Logical column type -> pandas dtypes (and Python value types for object columns) that a
# DuckDB column of that type arrives as through ``duckdb ... .df()``.
# (an INTEGER column with NULLs arrives as pandas' nullable Int32Dtype)
_INTEGER_DTYPES = [
    "int8",
    "int16",
    "int32",
    "int64",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "Int8Dtype",
    "Int16Dtype",
    "Int32Dtype",
    "Int64Dtype",
    "UInt8Dtype",
    "UInt16Dtype",
    "UInt32Dtype",
    "UInt64Dtype",
]
TYPE_LISTS: dict[str, list[str]] = {
    "text": ["str"],
    "integer": _INTEGER_DTYPES,
    "number": _INTEGER_DTYPES + ["float32", "float64", "Float32Dtype", "Float64Dtype"],
    "date": ["datetime64[s]", "datetime64[ms]", "datetime64[us]", "datetime64[ns]"],
    "timestamp": ["datetime64[s]", "datetime64[ms]", "datetime64[us]", "datetime64[ns]"],
    "boolean": ["bool", "BooleanDtype"],
}


class SuiteFileError(ValueError):
    """A suite file that cannot be understood; the message names the file and the entry."""


@dataclass(frozen=True)
class ExpectationSpec:
    """One expectation of one table, ready to become a GX expectation."""

    type: str
    kwargs: dict[str, Any]
    severity: str
    description: str
    where: dict[str, Any] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """Short readable name: the type plus the column(s) it looks at."""
        target = self.kwargs.get("column") or self.kwargs.get("column_list")
        if target is None and "column_A" in self.kwargs:
            target = [self.kwargs["column_A"], self.kwargs["column_B"]]
        if isinstance(target, list):
            target = ", ".join(target)
        return f"{self.type}({target})" if target else self.type


@dataclass(frozen=True)
class TableSpec:
    name: str
    expectations: list[ExpectationSpec]

    def columns_read(self) -> set[str]:
        """Every column a rule of this table names (kwargs, ``where`` and row conditions)."""
        names: set[str] = set()
        for spec in self.expectations:
            kwargs = spec.kwargs
            names.update(n for n in (kwargs.get("column"), kwargs.get("column_A"), kwargs.get("column_B")) if n)
            names.update(kwargs.get("column_list") or [])
            names.update(spec.where)
            condition = kwargs.get("row_condition")
            if isinstance(condition, str):
                names.update(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", condition))
        return {str(n) for n in names}


@dataclass(frozen=True)
class RunCheckSpec:
    """A run-level check: expectations over the small frame a SQL aggregate returns."""

    name: str
    sql: str
    expectations: list[ExpectationSpec]


@dataclass(frozen=True)
class SuiteSpec:
    """A parsed suite file."""

    name: str
    path: Path
    description: str
    schema: str | None
    report_table: str | None
    tables: list[TableSpec]
    run_checks: list[RunCheckSpec] = field(default_factory=list)

    def expectation_count(self) -> int:
        return sum(len(t.expectations) for t in self.tables) + sum(len(c.expectations) for c in self.run_checks)


def default_suites_dir() -> Path:
    """``expectations/`` of the project checkout this package belongs to."""
    return Path(__file__).resolve().parents[2] / "expectations"


def load_vocabularies(suites_dir: Path) -> dict[str, list[str]]:
    path = suites_dir / "vocabularies.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict) or not all(isinstance(v, list) for v in data.values()):
        raise SuiteFileError(f"{path}: expected a mapping of vocabulary name -> list of values")
    return {str(k): [str(x) for x in v] for k, v in data.items()}


def load_suite(path: Path, vocabularies: dict[str, list[str]] | None = None) -> SuiteSpec:
    """Parse one suite file; errors name the file, the table and the entry at fault."""
    vocabularies = vocabularies if vocabularies is not None else load_vocabularies(path.parent)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or "suite" not in data or not isinstance(data.get("tables"), dict):
        raise SuiteFileError(f"{path}: a suite file needs 'suite' and a 'tables' mapping")
    tables: list[TableSpec] = []
    for table_name, body in data["tables"].items():
        where = f"{path.name}: table {table_name}"
        body = body or {}
        specs = _column_type_specs(body.get("columns") or {}, where)
        for i, entry in enumerate(body.get("expectations") or []):
            specs.extend(_expectation_specs(entry, vocabularies, f"{where}, expectation #{i + 1}"))
        _check_chunkable(specs, where)
        tables.append(TableSpec(name=str(table_name), expectations=specs))
    run_checks: list[RunCheckSpec] = []
    for check_name, body in (data.get("run_checks") or {}).items():
        where = f"{path.name}: run check {check_name}"
        if not isinstance(body, dict) or not str(body.get("sql") or "").strip():
            raise SuiteFileError(f"{where}: a run check needs 'sql' and 'expectations'")
        specs = []
        for i, entry in enumerate(body.get("expectations") or []):
            specs.extend(_expectation_specs(entry, vocabularies, f"{where}, expectation #{i + 1}"))
        _check_chunkable(specs, where)
        run_checks.append(RunCheckSpec(name=str(check_name), sql=str(body["sql"]).strip(), expectations=specs))
    return SuiteSpec(
        name=str(data["suite"]),
        path=path,
        description=str(data.get("description", "")).strip(),
        schema=data.get("schema"),
        report_table=data.get("report_table"),
        tables=tables,
        run_checks=run_checks,
    )


# Map expectations whose verdict needs every row at once: they cannot run chunk by chunk.
WHOLE_TABLE_TYPES = frozenset(
    {
        "expect_column_values_to_be_unique",
        "expect_compound_columns_to_be_unique",
        "expect_column_values_to_be_increasing",
        "expect_column_values_to_be_decreasing",
    }
)


def _check_chunkable(specs: list[ExpectationSpec], where: str) -> None:
    for spec in specs:
        if spec.type in WHOLE_TABLE_TYPES or not spec.type.startswith(("expect_column_values_", "expect_column_pair_")):
            raise SuiteFileError(
                f"{where} ({spec.label}): only per-row expectations (expect_column_values_*, "
                "expect_column_pair_*) run in chunks; uniqueness belongs to dbt, and a whole-table rule is a "
                "run check whose SQL returns the offending rows"
            )


def _column_type_specs(columns: dict[str, Any], where: str) -> list[ExpectationSpec]:
    specs = []
    for column, declared in columns.items():
        entry = declared if isinstance(declared, dict) else {"type": declared}
        logical = entry.get("type")
        if logical not in TYPE_LISTS:
            raise SuiteFileError(f"{where}: column {column} has type {logical!r}; use one of {sorted(TYPE_LISTS)}")
        severity = _severity(entry.get("severity", "critical"), where)
        specs.append(
            ExpectationSpec(
                type="expect_column_values_to_be_in_type_list",
                kwargs={"column": column, "type_list": TYPE_LISTS[logical]},
                severity=severity,
                description=f"Column {column} exists and holds {logical} values.",
            )
        )
    return specs


def _expectation_specs(entry: Any, vocabularies: dict[str, list[str]], where: str) -> list[ExpectationSpec]:
    if not isinstance(entry, dict) or "type" not in entry:
        raise SuiteFileError(f"{where}: an expectation needs at least 'type' and 'severity'")
    for required in ("severity", "description"):
        if not entry.get(required):
            raise SuiteFileError(f"{where} ({entry['type']}): '{required}' is missing")
    severity = _severity(entry["severity"], where)
    kwargs = _resolve_vocab(copy.deepcopy(entry.get("kwargs") or {}), vocabularies, where)
    columns = kwargs.get("column")
    per_column = columns if isinstance(columns, list) else [columns] if columns is not None else [None]
    specs = []
    for column in per_column:
        these = dict(kwargs)
        if column is not None:
            these["column"] = column
        specs.append(
            ExpectationSpec(
                type=str(entry["type"]),
                kwargs=these,
                severity=severity,
                description=str(entry["description"]).strip(),
                where=dict(entry.get("where") or {}),
            )
        )
    return specs


def _resolve_vocab(value: Any, vocabularies: dict[str, list[str]], where: str) -> Any:
    if isinstance(value, dict):
        if set(value) == {"vocab"}:
            name = value["vocab"]
            if name not in vocabularies:
                raise SuiteFileError(f"{where}: unknown vocabulary {name!r} (see vocabularies.yml)")
            return list(vocabularies[name])
        return {k: _resolve_vocab(v, vocabularies, where) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolve_vocab(v, vocabularies, where) for v in value]
    return value


def _severity(value: Any, where: str) -> str:
    if value not in SEVERITIES:
        raise SuiteFileError(f"{where}: severity {value!r} is not one of {SEVERITIES}")
    return str(value)


def to_gx_expectation(spec: ExpectationSpec, key: str | None = None):  # -> great_expectations.expectations.Expectation
    """Build the GX expectation object for one spec (GX must already be imported safely); ``key``
    (kept in its meta) tells apart two expectations of one table with the same label."""
    from great_expectations.expectations.registry import get_expectation_impl
    from great_expectations.expectations.row_conditions import Column

    kwargs = dict(spec.kwargs)
    if spec.where:
        condition = None
        for column, value in spec.where.items():
            clause = Column(column) == value
            condition = clause if condition is None else condition & clause
        kwargs["row_condition"] = condition
    from great_expectations.expectations.metadata_types import FailureSeverity

    impl = get_expectation_impl(spec.type)
    # The severity leads the description so Data Docs show it next to each rule.
    return impl(
        **kwargs,
        severity=FailureSeverity(spec.severity),
        description=f"[{spec.severity}] {spec.description}",
        meta={"label": spec.label, "key": key or spec.label},
    )
