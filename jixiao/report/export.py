"""``jixiao export``: write every contract table and mart of a warehouse to Parquet, CSV or Excel files.

Parquet and CSV are written by DuckDB itself (one file per table; DECIMAL amounts stay exact);
CSV files start with a UTF-8 byte-order mark so that Excel opens the Chinese text correctly.
Excel output is one workbook, ``jixiao.xlsx``, with one sheet per table.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import duckdb

ExportFormat = Literal["parquet", "csv", "xlsx"]
FORMATS: tuple[ExportFormat, ...] = ("parquet", "csv", "xlsx")
# The public tables: the contract's dimensions, facts and marts, the findings and the code labels.
EXPORTED_PREFIXES = ("dim_", "fct_", "mart_", "ref_code_labels")
EXPORTED_TABLES_EXTRA = ("data_quality_issues",)
EXCEL_MAX_ROWS = 1_048_575  # one header row + data rows per sheet
UTF8_BOM = b"\xef\xbb\xbf"


class ExportError(RuntimeError):
    """The warehouse cannot be exported as asked (missing file, a table too large for Excel …)."""


@dataclass
class ExportedTable:
    """One table written: its name, rows and the file (or workbook sheet) that holds it."""

    table: str
    rows: int
    path: Path


def exported_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The public tables of the warehouse (schema ``main``), in name order."""
    names = [
        r[0]
        for r in con.execute(
            "select table_name from information_schema.tables where table_schema = 'main' order by table_name"
        ).fetchall()
    ]
    return [n for n in names if n.startswith(EXPORTED_PREFIXES) or n in EXPORTED_TABLES_EXTRA]


def export_warehouse(
    db_path: Path, out_dir: Path, fmt: ExportFormat, tables: Iterable[str] | None = None
) -> list[ExportedTable]:
    """Write the public tables of ``db_path`` into ``out_dir`` as ``fmt``; return what was written."""
    db_path, out_dir = Path(db_path), Path(out_dir)
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}: use one of {', '.join(FORMATS)}")
    if not db_path.is_file():
        raise ExportError(f"{db_path}: no warehouse file there (build one with `jixiao refresh`)")
    out_dir.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(db_path), read_only=True) as con:
        names = list(tables) if tables is not None else exported_tables(con)
        if not names:
            raise ExportError(f"{db_path}: holds none of the contract tables (is it a jixiao warehouse?)")
        if fmt == "xlsx":
            return _export_xlsx(con, names, out_dir / "jixiao.xlsx")
        return [_export_file(con, name, out_dir, fmt) for name in names]


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _row_count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    row = con.execute(f"select count(*) from main.{_quoted(table)}").fetchone()
    assert row is not None  # count(*) always returns one row
    return int(row[0])


def _export_file(con: duckdb.DuckDBPyConnection, table: str, out_dir: Path, fmt: ExportFormat) -> ExportedTable:
    target = out_dir / f"{table}.{fmt}"
    if fmt == "parquet":
        con.execute(f"copy main.{_quoted(table)} to '{_sql_path(target)}' (format parquet, compression zstd)")
    else:
        plain = target.with_name(target.name + ".part")
        con.execute(f"copy main.{_quoted(table)} to '{_sql_path(plain)}' (format csv, header true)")
        with open(target, "wb") as out, open(plain, "rb") as src:
            out.write(UTF8_BOM)
            shutil.copyfileobj(src, out)
        plain.unlink()
    return ExportedTable(table=table, rows=_row_count(con, table), path=target)


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


def _export_xlsx(con: duckdb.DuckDBPyConnection, tables: list[str], target: Path) -> list[ExportedTable]:
    import pandas as pd

    too_big = [(t, n) for t in tables if (n := _row_count(con, t)) > EXCEL_MAX_ROWS]
    if too_big:
        listed = ", ".join(f"{t} ({n} rows)" for t, n in too_big)
        raise ExportError(
            f"too many rows for an Excel sheet (at most {EXCEL_MAX_ROWS}): {listed}; export as parquet or csv instead"
        )
    written: list[ExportedTable] = []
    with pd.ExcelWriter(target, engine="openpyxl") as writer:
        for table in tables:
            frame = con.execute(f"select * from main.{_quoted(table)}").df()
            frame.to_excel(writer, sheet_name=table[:31], index=False)
            written.append(ExportedTable(table=table, rows=len(frame), path=target))
    return written
