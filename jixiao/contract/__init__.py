"""The warehouse contract as data: ``spec.yml`` loaded into typed, read-only objects.

``spec.yml`` is the one place where the landed tables (columns, types, grain), the vocabularies
(codes, Chinese labels, groups), the published tables' columns and types, and the contract's
constants are written.  Python reads them here; ``python -m jixiao.contract.generate`` writes the
dbt YAML, ``seeds/reference/*.csv`` and the gate's vocabularies from them.  This package is the
lowest layer: it imports nothing from jixiao.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

SPEC_PATH = Path(__file__).with_name("spec.yml")
# DuckDB types a landed column may have (dbt seed ``column_types``, ``read_csv`` types).
LANDED_TYPES = ("varchar", "integer", "double", "date")


class SpecError(ValueError):
    """spec.yml is malformed; the message names the file and the entry at fault."""


@dataclass(frozen=True)
class Column:
    """One landed column: its DuckDB type, the value a blank gets (``default``) and its description."""

    name: str
    type: str
    description: str = ""
    default: str | None = None


@dataclass(frozen=True)
class LandedTable:
    """A landed seed: the CSV ``jixiao.landing.seeds`` writes and dbt loads."""

    name: str
    description: str
    columns: tuple[Column, ...]
    grain: tuple[str, ...] = ()
    fact_table: str | None = None

    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


@dataclass(frozen=True)
class Vocabulary:
    """A code list: its codes in order and, where it has a seed, each code's fields (label_zh …)."""

    name: str
    codes: tuple[str, ...]
    rows: dict[str, dict[str, Any]]
    fields: tuple[str, ...] = ()
    seed: str | None = None
    column: str | None = None
    seed_columns: dict[str, str] | None = None

    def field(self, name: str) -> dict[str, Any]:
        """``{code: value}`` of one field (``label_zh``, ``item_group`` …)."""
        if name not in self.fields:
            raise KeyError(f"vocabulary {self.name} has no field {name!r} (fields: {list(self.fields)})")
        return {code: self.rows[code][name] for code in self.codes}


@dataclass(frozen=True)
class Spec:
    constants: dict[str, Any]
    landed_schema: str
    landed: dict[str, LandedTable]
    provenance_columns: tuple[Column, ...]
    vocabularies: dict[str, Vocabulary]
    published: dict[str, dict[str, str]]
    accepted_values: dict[str, str]
    column_labels: dict[str, dict[str, str]]

    def vocab(self, name: str) -> Vocabulary:
        try:
            return self.vocabularies[name]
        except KeyError:
            raise KeyError(f"{SPEC_PATH.name}: no vocabulary {name!r}") from None

    def codes(self, name: str) -> tuple[str, ...]:
        return self.vocab(name).codes

    def labels_of(self, table: str, columns: tuple[str, ...] | None = None) -> dict[str, str]:
        """``{column: Chinese name}`` of a published table's labelled columns (all, or ``columns`` in order)."""
        labels = self.column_labels.get(table, {})
        return dict(labels) if columns is None else {c: labels[c] for c in columns}


def _fail(where: str, message: str) -> SpecError:
    return SpecError(f"{where}: {message}")


def _column(entry: Any, constants: dict[str, Any], where: str) -> Column:
    if not isinstance(entry, dict) or "name" not in entry or entry.get("type") not in LANDED_TYPES:
        raise _fail(where, f"a column needs a name and a type in {LANDED_TYPES}, got {entry!r}")
    default = entry.get("default")
    if default is not None:
        if default not in constants:
            raise _fail(where, f"column {entry['name']}: default {default!r} is not a constant")
        default = str(constants[default])
    return Column(
        name=str(entry["name"]),
        type=str(entry["type"]),
        description=str(entry.get("description") or ""),
        default=default,
    )


def _vocabulary(name: str, body: Any, where: str) -> Vocabulary:
    if isinstance(body, list):
        return Vocabulary(name=name, codes=tuple(str(c) for c in body), rows={str(c): {} for c in body})
    if not isinstance(body, dict) or not isinstance(body.get("codes"), dict):
        raise _fail(where, "a vocabulary is a list of codes or a mapping with `codes:`")
    fields = tuple(body.get("fields") or ())
    rows: dict[str, dict[str, Any]] = {}
    for code, row in body["codes"].items():
        row = row or {}
        if set(row) != set(fields):
            raise _fail(where, f"code {code!r} has fields {sorted(row)}, expected {sorted(fields)}")
        rows[str(code)] = dict(row)
    if "seed" in body and "column" not in body:
        raise _fail(where, "a vocabulary with a seed names its code `column`")
    return Vocabulary(
        name=name,
        codes=tuple(rows),
        rows=rows,
        fields=fields,
        seed=body.get("seed"),
        column=body.get("column"),
        seed_columns=dict(body["seed_columns"]) if body.get("seed_columns") else None,
    )


def parse_spec(data: Any, source: str = "spec.yml") -> Spec:
    """Build a :class:`Spec` from the parsed YAML; errors name ``source`` and the entry."""
    if not isinstance(data, dict):
        raise _fail(source, "expected a mapping")
    for key in ("constants", "landed", "vocabularies", "published", "accepted_values"):
        if not isinstance(data.get(key), dict):
            raise _fail(source, f"missing mapping {key!r}")
    constants = dict(data["constants"])
    landed_body = data["landed"]
    prov = [_column(c, constants, f"{source}: landed.provenance_columns") for c in landed_body["provenance_columns"]]
    landed: dict[str, LandedTable] = {}
    for name, body in landed_body["tables"].items():
        where = f"{source}: landed.tables.{name}"
        cols = [_column(c, constants, where) for c in body.get("columns") or []]
        if body.get("provenance"):
            cols += prov
        names = [c.name for c in cols]
        if len(set(names)) != len(names):
            raise _fail(where, "a column is listed twice")
        if not set(body.get("grain") or ()) <= set(names):
            raise _fail(where, f"grain {body.get('grain')} names a column the table does not have")
        landed[name] = LandedTable(
            name=name,
            description=str(body.get("description") or ""),
            columns=tuple(cols),
            grain=tuple(body.get("grain") or ()),
            fact_table=body.get("fact_table"),
        )
    vocabularies = {
        str(n): _vocabulary(str(n), b, f"{source}: vocabularies.{n}") for n, b in data["vocabularies"].items()
    }
    published = {
        str(t): {str(c): str(ty) for c, ty in (body.get("columns") or {}).items()}
        for t, body in data["published"].items()
    }
    accepted = {str(k): str(v) for k, v in data["accepted_values"].items()}
    column_labels: dict[str, dict[str, str]] = {}
    for table, labels in (data.get("column_labels") or {}).items():
        for column in labels:
            shown_as_percent = column.endswith("_pct") and column.removesuffix("_pct") in published.get(table, {})
            if column not in published.get(table, {}) and not shown_as_percent:
                raise _fail(source, f"column_labels.{table}.{column}: no such published column")
        column_labels[str(table)] = {str(c): str(label) for c, label in labels.items()}
    for target, vocab in accepted.items():
        if vocab != "seed" and vocab not in vocabularies:
            raise _fail(source, f"accepted_values.{target}: unknown vocabulary {vocab!r}")
    return Spec(
        constants=constants,
        landed_schema=str(landed_body.get("schema", "landed")),
        landed=landed,
        provenance_columns=tuple(prov),
        vocabularies=vocabularies,
        published=published,
        accepted_values=accepted,
        column_labels=column_labels,
    )


def load_spec(path: Path | None = None) -> Spec:
    """Read a spec file (default: the package's own ``spec.yml``)."""
    if path is None:
        text = resources.files(__package__).joinpath("spec.yml").read_text(encoding="utf-8")
        source = str(SPEC_PATH)
    else:
        text, source = path.read_text(encoding="utf-8"), str(path)
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise SpecError(f"{source}: not valid YAML: {exc}") from exc
    return parse_spec(data, source)


@cache
def spec() -> Spec:
    """The project's contract (loaded once)."""
    return load_spec()


def constant(name: str) -> Any:
    """One contract constant (``rounding_tolerance_wan``, ``default_scope``)."""
    return spec().constants[name]
