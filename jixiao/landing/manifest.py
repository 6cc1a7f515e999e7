"""``manifest.csv``: what the people who collected the reports know about each file.

An optional ``manifest.csv`` in the input folder has a ``file`` column (the file's path relative
to the folder, as in ``dim_report.source_file``) and any of :data:`MANIFEST_COLUMNS`.  A value
given there wins over the one read from the text; where both are given and differ, the report
gets a ``manifest_disagrees`` finding naming both.  The manifest is applied to each report's
landed row when the seeds are written (extraction and its cache stay keyed by content alone), and
``manifest.csv`` itself is never ingested as a report.  Facts keep their own years: a manifest
``fiscal_year`` is the report's year only.
"""

from __future__ import annotations

import csv
import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from jixiao.landing.schema import DOCUMENT_KINDS
from jixiao.model import Finding

MANIFEST_NAME = "manifest.csv"
# Report fields a manifest may supply, in the order findings are listed.
MANIFEST_COLUMNS: tuple[str, ...] = (
    "department_name",
    "fiscal_year",
    "province",
    "city",
    "county",
    "township",
    "document_kind",
    "source_url",
    "published_date",
)
REGION_COLUMNS = ("province", "city", "county")
_LABELS = {
    "department_name": "预算单位",
    "fiscal_year": "年度",
    "province": "省",
    "city": "市",
    "county": "县（区）",
    "township": "乡镇",
    "document_kind": "文件类型",
    "source_url": "网址",
    "published_date": "发布日期",
}
_DATE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")


class ManifestError(ValueError):
    """A manifest.csv that cannot be used; the message names the file, the line and what is wrong."""


@dataclass(frozen=True)
class ManifestEntry:
    """The values one manifest line gives for one file (blank cells left out)."""

    file: str
    line: int
    values: dict[str, Any] = field(default_factory=dict)  # fiscal_year int, dates ISO text, the rest text


@dataclass(frozen=True)
class Manifest:
    """A validated manifest.csv: entries by file name, and a hash of its bytes (for the build fingerprint)."""

    path: Path
    entries: dict[str, ManifestEntry]
    content_hash: str

    def entry(self, source_file: str) -> ManifestEntry | None:
        return self.entries.get(source_file)


def manifest_path(reports_dir: Path) -> Path:
    return Path(reports_dir) / MANIFEST_NAME


def read_manifest(reports_dir: Path) -> Manifest | None:
    """The folder's manifest, validated; None when the folder has none."""
    path = manifest_path(reports_dir)
    return parse_manifest(path) if path.is_file() else None


def _decode(path: Path, raw: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):  # Excel on a Chinese Windows saves CSV as GBK
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ManifestError(f"{path}: not UTF-8 or GB18030 text; save it as CSV UTF-8")


def _clean(value: str | None) -> str | None:
    text = re.sub(r"^[\s\u3000]+|[\s\u3000]+$", "", value or "")
    return text or None


def _parse_value(column: str, text: str, where: str) -> Any:
    if column == "fiscal_year":
        digits = text.removesuffix("年").strip()
        if not re.fullmatch(r"\d{4}", digits) or not 1990 <= int(digits) <= 2100:
            raise ManifestError(f"{where}: fiscal_year {text!r} is not a year such as 2023")
        return int(digits)
    if column == "published_date":
        m = _DATE.match(text)
        try:
            if m is None:
                raise ValueError
            return date(int(m[1]), int(m[2]), int(m[3])).isoformat()
        except ValueError:
            raise ManifestError(f"{where}: published_date {text!r} is not a date such as 2024-03-01") from None
    if column == "document_kind":
        if text not in DOCUMENT_KINDS:
            raise ManifestError(f"{where}: document_kind {text!r} is not one of {', '.join(DOCUMENT_KINDS)}")
        return text
    if column == "source_url" and not re.match(r"^https?://\S+$", text):
        raise ManifestError(f"{where}: source_url {text!r} is not an http(s) address")
    if column in ("department_name", *REGION_COLUMNS, "township"):
        return re.sub(r"[\s\u3000]+", "", text)
    return text


def parse_manifest(path: Path) -> Manifest:
    """Read and validate ``path``; raises :class:`ManifestError` naming the line and the problem."""
    path = Path(path)
    raw = path.read_bytes()
    rows = list(csv.reader(_decode(path, raw).splitlines()))
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise ManifestError(f"{path}: empty; the first line must name the columns (file, …)")
    header = [(_clean(c) or "").lower() for c in rows[0]]
    unknown = [c for c in header if c not in ("file", *MANIFEST_COLUMNS)]
    if unknown or "file" not in header or len(set(header)) != len(header):
        raise ManifestError(
            f"{path}: line 1: columns must be 'file' and any of {', '.join(MANIFEST_COLUMNS)}, each once; "
            f"got {', '.join(header)}" + (f" (unknown: {', '.join(unknown)})" if unknown else "")
        )
    entries: dict[str, ManifestEntry] = {}
    for number, cells in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        where = f"{path}: line {number}"
        if len(cells) > len(header):
            raise ManifestError(f"{where}: {len(cells)} cells but only {len(header)} columns")
        row = dict(zip(header, cells))
        name = _clean(row.get("file"))
        if name is None:
            raise ManifestError(f"{where}: the file column is blank")
        name = name.replace("\\", "/").removeprefix("./")
        if name in entries:
            raise ManifestError(f"{where}: {name} is already listed on line {entries[name].line}")
        values = {c: _parse_value(c, text, where) for c in MANIFEST_COLUMNS if (text := _clean(row.get(c)))}
        entries[name] = ManifestEntry(file=name, line=number, values=values)
    return Manifest(path=path, entries=entries, content_hash=hashlib.sha256(raw).hexdigest())


def _agree(column: str, from_text: Any, from_manifest: Any) -> bool:
    if column == "department_name":  # 武阳镇人民政府 in the text, 绥宁县武阳镇人民政府 in the manifest: one unit
        a, b = str(from_text), str(from_manifest)
        return a.endswith(b) or b.endswith(a)
    if column in ("fiscal_year",):
        return int(from_text) == int(from_manifest)
    return str(from_text).strip() == str(from_manifest).strip()


def _fill_region(values: dict[str, Any]) -> None:
    """Province/city/county the manifest left open, from the gazetteer (only when it settles one county)."""
    if all(values.get(c) for c in REGION_COLUMNS) or not values.get("department_name"):
        return
    from jixiao.extract.gazetteer import locate

    prefix = "".join(values.get(c) or "" for c in REGION_COLUMNS)
    found = locate(prefix + values["department_name"])
    if found is None:
        return
    province, city, county, code = found.province, found.city, found.county, found.county_code
    stated = [values.get(c) for c in REGION_COLUMNS]
    if any(s and s != g for s, g in zip(stated, (province, city, county))):
        return  # the gazetteer names another place than the report or manifest: leave it
    for column, value in zip(REGION_COLUMNS, (province, city, county)):
        values[column] = values.get(column) or value
    if county and not values.get("county_code"):
        values["county_code"] = code


def _region_named(given: dict[str, Any], report: dict[str, Any]) -> dict[str, Any]:
    """The region a manifest unit name itself names (绥宁县武阳镇人民政府 → 湖南省/邵阳市/绥宁县) when the
    manifest gives no region and the text's county is another one: the manifest's unit wins whole."""
    name = given.get("department_name")
    if not name or any(c in given for c in REGION_COLUMNS) or not report.get("county"):
        return {}
    from jixiao.extract.gazetteer import locate

    found = locate(name)
    if found is None or not found.county or found.county not in name or found.county == report["county"]:
        return {}
    province, city, county, code = found.province, found.city, found.county, found.county_code
    return {"province": province, "city": city, "county": county, "county_code": code}


def apply_entry(report: dict[str, Any], entry: ManifestEntry, source_file: str) -> list[Finding]:
    """Overwrite ``report`` (a landed_reports row, typed) with the entry's values; return the disagreements.

    A document_kind of ``other`` read from the text is no statement, so it never disagrees.
    """
    findings: list[Finding] = []
    values, derived = dict(entry.values), _region_named(entry.values, report)
    values.update(derived)
    if derived:
        report["county_code"] = derived.pop("county_code")
    for column in MANIFEST_COLUMNS:
        if column not in values:
            continue
        given, read = values[column], report.get(column)
        if column == "document_kind" and read == "other":
            read = None
        if read not in (None, "") and not _agree(column, read, given):
            findings.append(
                Finding(
                    check="manifest_disagrees",
                    severity="warn",
                    message=(
                        f"manifest.csv 第{entry.line}行给出{_LABELS[column]}（{column}）为“{given}”"
                        f"{'（据其单位名称）' if column in derived else ''}，"
                        f"而报告 {source_file} 正文为“{read}”；采用 manifest.csv 的值。"
                    ),
                    observed=str(read),
                    expected=str(given),
                )
            )
        report[column] = given
    if any(c in entry.values for c in ("department_name", *REGION_COLUMNS)):
        _fill_region(report)
    return findings
