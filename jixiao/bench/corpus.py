"""Generate a province-scale synthetic corpus of reports with the facts each should yield.

``python -m jixiao.bench.corpus --n 20000 --seed 7 --out DIR`` writes ``DIR/reports/`` (the
documents, in rotated layouts, plus a few bad files) and ``DIR/expected/<file>.json`` (the gold
record of each, in the shape of ``tests/fixtures/gold``), ``DIR/manifest.json`` and ``DIR/index.tsv``
(file name, layout, status, bytes: one line a file).
Output is deterministic given ``n`` and ``seed``: every report draws from its own random stream,
so files can be written in parallel.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .families import ALL_TABLES, FAMILIES, compose_family
from .layouts import EXTENSIONS, LAYOUTS, render
from .report import Options, ReportComposer, draw_options
from .units import Unit, county_level_names, make_units, real_counties

FIRST_YEAR, LAST_YEAR = 2015, 2025
YEARS_PER_UNIT = 8
# The layout mix: the sample family in five renderings, and the families of real disclosures
# (jixiao.bench.families) in about the proportions of ../shared/real (prose the most common).
MIXES: dict[str, dict[str, int]] = {
    "default": {
        "tab": 12,
        "web": 8,
        "pipe": 8,
        "docx": 6,
        "html": 6,
        "pipe_rows": 6,
        "pipe_cell_line": 6,
        "pipe_lone_bar": 3,
        "cells_blank": 5,
        "cells_vanishing": 3,
        "space_aligned": 5,
        "flattened": 6,
        "prose": 20,
        "trad_pinyin": 6,
    },
    "sample": {"tab": 30, "web": 20, "pipe": 20, "docx": 15, "html": 15},
    "real": {
        "pipe_rows": 6,
        "pipe_cell_line": 6,
        "pipe_lone_bar": 3,
        "cells_blank": 5,
        "cells_vanishing": 3,
        "space_aligned": 5,
        "flattened": 6,
        "prose": 20,
        "trad_pinyin": 6,
    },
}
LAYOUT_WEIGHTS = MIXES["default"]
SLIP_RATE = 0.02  # per kind of deliberate slip (unit, grade, parts)
BAD_RATE = 0.005  # share of bad files (at least one of each kind when n >= 100)
COMPLETE_TABLES = [
    "fct_budget",
    "fct_spending",
    "fct_three_public_expenses",
    "fct_staffing",
    "fct_indicator_scores",
    "fct_projects",
    "fct_budget_by_function",
]
BAD_KINDS = ("empty", "unknown_extension", "garbage_txt", "garbage_docx")


def generator_version() -> str:
    """Hash of the generator's source: a cached corpus from other code is regenerated."""
    here = Path(__file__).parent
    h = hashlib.sha256()
    for name in ("corpus.py", "report.py", "figures.py", "layouts.py", "units.py", "families.py", "flavours.py"):
        h.update((here / name).read_bytes())
    return h.hexdigest()[:12]


def parse_mix(spec: str | dict[str, int] | None) -> tuple[tuple[str, int], ...]:
    """A layout mix from a preset name (``default``, ``sample``, ``real``), ``layout=weight,…`` or a dict."""
    if spec is None:
        spec = "default"
    if isinstance(spec, str):
        if spec in MIXES:
            spec = MIXES[spec]
        else:
            pairs = {}
            for part in filter(None, (p.strip() for p in spec.split(","))):
                name, _, weight = part.partition("=")
                if not weight.strip().isdigit():
                    raise ValueError(
                        f"mix {spec!r}: write layout=weight pairs like 'tab=3,prose=1', or one of {', '.join(MIXES)}"
                    )
                pairs[name.strip()] = int(weight)
            spec = pairs
    unknown = set(spec) - set(LAYOUTS) - set(FAMILIES)
    if unknown or not any(spec.values()):
        raise ValueError(
            f"mix: unknown layouts {sorted(unknown)} (known: {', '.join(LAYOUTS + FAMILIES)})"
            if unknown
            else "mix: every weight is 0"
        )
    return tuple((k, int(v)) for k, v in spec.items() if v)


@dataclass(frozen=True)
class CorpusPlan:
    n: int
    seed: int
    mix: tuple[tuple[str, int], ...] = tuple(MIXES["default"].items())

    @property
    def n_units(self) -> int:
        return max(1, -(-self.n // YEARS_PER_UNIT))

    def bad_indices(self) -> dict[int, str]:
        """Which report numbers are bad files, and of which kind."""
        if self.n < 20:
            return {}
        count = max(len(BAD_KINDS), round(self.n * BAD_RATE))
        rng = random.Random(f"bad:{self.seed}:{self.n}")
        picks = rng.sample(range(self.n), count)
        return {i: BAD_KINDS[k % len(BAD_KINDS)] for k, i in enumerate(sorted(picks))}

    def unit_year(self, i: int) -> tuple[int, int]:
        """Report ``i`` covers unit ``i mod units`` in a year distinct from the unit's other reports."""
        unit_index = i % self.n_units
        span = LAST_YEAR - FIRST_YEAR + 1
        offset = random.Random(f"yr:{self.seed}:{unit_index}").randrange(span)
        return unit_index, FIRST_YEAR + (offset + i // self.n_units) % span


@lru_cache(maxsize=4)
def _units(n_units: int, seed: int) -> list[Unit]:
    return make_units(n_units, seed)


@lru_cache(maxsize=1)
def _unique_county_names() -> frozenset[str]:
    """County-level names that occur once in the whole gazetteer, municipalities' districts included
    (舟山's 普陀区 is not unique: 上海 has one too, so a report may not name it alone)."""
    counts = Counter(name for name in county_level_names())
    return frozenset(name for name in (c.county for c in real_counties()) if counts[name] == 1)


def _layout_for(rng: random.Random, mix: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([k for k, _ in mix], weights=[w for _, w in mix])[0]


def build_report(plan: CorpusPlan, i: int) -> tuple[str, bytes, dict]:
    """File name, bytes and expected record of report ``i``."""
    bad = plan.bad_indices().get(i)
    if bad:
        return _bad_file(plan, i, bad)
    rng = random.Random(f"report:{plan.seed}:{i}")
    unit_index, fy = plan.unit_year(i)
    unit = _units(plan.n_units, plan.seed)[unit_index]
    layout = _layout_for(rng, plan.mix)
    if layout in FAMILIES:
        return _family_report(plan, i, rng, layout, unit, unit_index, fy)
    opts: Options = draw_options(rng, SLIP_RATE, unit.county.county in _unique_county_names())
    composer = ReportComposer(rng, unit, unit_index, fy, plan.seed, opts)
    blocks = composer.compose()
    data = render(blocks, layout, title=f"{fy}年度{composer.name}部门整体支出绩效自评报告")
    name = f"{i:05d}_{hashlib.sha256(data).hexdigest()[:16]}{EXTENSIONS[layout]}"
    exp = composer.exp
    record = {
        "source_file": name,
        "status": "loaded",
        "layout": layout,
        "slip": opts.slip,
        **exp.header,
        "facts": exp.facts,
        "absent": exp.absent,
        "complete": COMPLETE_TABLES,
        "expected_issues": exp.issues,
    }
    return name, data, record


def _family_report(
    plan: CorpusPlan, i: int, rng: random.Random, family: str, unit: Unit, unit_index: int, fy: int
) -> tuple[str, bytes, dict]:
    doc = compose_family(family, rng, unit, unit_index, fy, plan.seed, unit.county.county in _unique_county_names())
    data = ("\n".join(doc.lines) + "\n").encode("utf-8")
    name = f"{i:05d}_{hashlib.sha256(data).hexdigest()[:16]}.txt"
    record = {
        "source_file": name,
        "status": "loaded",
        "layout": doc.family,
        "content": doc.content,
        "quirks": doc.quirks,
        "slip": None,
        **doc.header,
        "facts": doc.facts,
        "absent": doc.absent,
        "complete": [t for t in ALL_TABLES if t not in doc.uncertain],
        "expected_issues": [],
    }
    return name, data, record


def _bad_file(plan: CorpusPlan, i: int, kind: str) -> tuple[str, bytes, dict]:
    rng = random.Random(f"badfile:{plan.seed}:{i}")
    garbage = bytes(rng.getrandbits(8) for _ in range(2048))
    # Only the first empty file is 0 bytes; the others hold only line breaks (distinct contents:
    # identical files are one report by content hash, which the flow deduplicates).
    empties = [j for j, kind_j in sorted(plan.bad_indices().items()) if kind_j == "empty"]
    data, ext = {
        "empty": (b"\r\n" * empties.index(i) if kind == "empty" else b"", ".txt"),
        "unknown_extension": ("2024年度部门整体支出绩效自评报告\n".encode() + garbage[:64], ".xyz"),
        "garbage_txt": (b"\x00\xff\xfe\x00" + garbage, ".txt"),
        "garbage_docx": (b"PK\x03\x04" + garbage, ".docx"),
    }[kind]
    name = f"{i:05d}_{hashlib.sha256(data + kind.encode()).hexdigest()[:16]}{ext}"
    return (
        name,
        data,
        {
            "source_file": name,
            "status": "quarantined",
            "layout": kind,
            "facts": [],
            "absent": [],
            "complete": [],
            "expected_issues": [],
        },
    )


def _write_range(args: tuple) -> list[tuple[str, str, int, str]]:
    """Write reports ``start`` … ``stop - 1``; returns (file name, layout, size, status) rows."""
    n, seed, start, stop, out, mix = args
    plan = CorpusPlan(n, seed, mix)
    reports, expected = Path(out, "reports"), Path(out, "expected")
    rows = []
    for i in range(start, stop):
        name, data, record = build_report(plan, i)
        (reports / name).write_bytes(data)
        (expected / (name + ".json")).write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")
        rows.append((name, record["layout"], len(data), record["status"]))
    return rows


def generate_corpus(
    out: str | os.PathLike, n: int, seed: int = 7, workers: int | None = None, mix: str | dict[str, int] | None = None
) -> dict:
    """Write ``n`` reports and their expected facts under ``out``; returns the manifest.

    ``mix`` weighs the layouts (see :func:`parse_mix`; the default mixes the sample family with
    the families of real disclosures).
    ``out`` is replaced if it exists.  The work is split across ``workers`` processes (all cores
    by default); the bytes written do not depend on the number of workers.
    """
    mix_t = parse_mix(mix)
    out = Path(out)
    if out.exists():
        shutil.rmtree(out)
    (out / "reports").mkdir(parents=True)
    (out / "expected").mkdir()
    workers = workers or os.cpu_count() or 1
    chunk = max(50, -(-n // (workers * 8)))
    jobs = [(n, seed, s, min(n, s + chunk), str(out), mix_t) for s in range(0, n, chunk)]
    t0 = time.perf_counter()
    if workers == 1 or n <= 200:
        results = [_write_range(j) for j in jobs]
    else:
        with ProcessPoolExecutor(workers) as pool:
            results = list(pool.map(_write_range, jobs))
    rows = [r for part in results for r in part]
    with open(out / "index.tsv", "w", encoding="utf-8") as index:  # read by the benchmark instead of every record
        index.writelines(f"{name}\t{layout}\t{status}\t{size}\n" for name, layout, size, status in rows)
    manifest = {
        "n": n,
        "seed": seed,
        "mix": dict(mix_t),
        "generator": generator_version(),
        "files": len(rows),
        "bytes": sum(r[2] for r in rows),
        "layouts": dict(sorted(Counter(r[1] for r in rows).items())),
        "generation_seconds": round(time.perf_counter() - t0, 2),
    }
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m jixiao.bench.corpus", description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="number of files (reports plus a few bad files)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", required=True, help="output folder (replaced if it exists)")
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument(
        "--mix",
        default="default",
        help="layout weights: a preset (default, sample, real) or layout=weight pairs, e.g. 'tab=3,prose=1'",
    )
    args = parser.parse_args(argv)
    if args.n < 1:
        parser.error("--n must be at least 1")
    try:
        parse_mix(args.mix)
    except ValueError as exc:
        parser.error(str(exc))
    manifest = generate_corpus(args.out, args.n, args.seed, args.workers, args.mix)
    print(json.dumps(manifest, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())

__all__ = ["LAYOUTS", "FAMILIES", "MIXES", "parse_mix", "CorpusPlan", "build_report", "generate_corpus", "main"]
