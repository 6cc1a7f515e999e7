"""``jixiao bench``: the province-scale benchmark (see BENCHMARKS.md).

Generates (or reuses) synthetic corpora under ``.jixiao/bench/corpus-<N>-<seed>/`` and measures
extraction speed, correctness against the generated facts, seed vs native landing, full and
incremental refreshes with peak memory, and the README's example queries.  Prints a table and
writes every figure as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path
from typing import Any

TARGETS = {
    "extract_text_reports_per_s_per_core": 200,
    "full_refresh_20000_s": 180,
    "full_refresh_20000_rss_mb": 4096,
    "no_change_refresh_s": 15,
    "one_new_refresh_s": 30,
    "query_ms": 200,
    "precision": 1.0,
    "recall": 0.995,
}
ALL_STEPS = ("extract", "correctness", "landing", "refresh", "queries")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="jixiao bench", description="Measure jixiao on generated province-scale corpora.")
    p.add_argument(
        "--reports",
        type=int,
        nargs="+",
        default=[1000, 20000],
        help="corpus sizes to refresh (the largest is used for every other measurement)",
    )
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--root", default=".jixiao/bench", help="where corpora, warehouses and results are kept")
    p.add_argument("--landing", choices=["seed", "native"], default="native", help="landing mode of the refreshes")
    p.add_argument("--skip", nargs="*", default=[], choices=ALL_STEPS, help="measurements to leave out")
    p.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    p.add_argument(
        "--mix",
        default="default",
        help="layout mix of the generated corpora: default, sample (the sample family only), real, "
        "or layout=weight pairs",
    )
    p.add_argument("--per-layout", type=int, default=150, help="reports per layout in the single-process timing")
    p.add_argument("--queries-doc", default="docs/dbt.md", help="markdown file whose ```sql blocks are timed")
    p.add_argument("--out", default=None, help="JSON results file (default <root>/results-<N>.json)")
    return p


def _status(ok: bool | None) -> str:
    return "-" if ok is None else ("ok" if ok else "MISSED")


def summary_rows(res: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """(measure, figure, target, status) rows for the printed table."""
    rows: list[tuple[str, str, str, str]] = []
    ex = res.get("extraction_single", {})
    for layout, v in sorted(ex.items()):
        if isinstance(v, dict) and "reports_per_s" in v:
            is_text = layout == "text_layouts"
            ok = v["reports_per_s"] >= TARGETS["extract_text_reports_per_s_per_core"] if is_text else None
            rows.append(
                (
                    f"extract 1 core: {layout}",
                    f"{v['reports_per_s']} rep/s" + (f", {v['mb_per_s']} MB/s" if "mb_per_s" in v else ""),
                    "≥200 rep/s" if is_text else "",
                    _status(ok),
                )
            )
    c = res.get("correctness", {})
    if "recall" in c:
        rows.append(
            (
                f"extract {c['workers']} cores (+score, land)",
                f"{c['reports_per_s']} rep/s, {c['mb_per_s']} MB/s",
                "",
                "-",
            )
        )
        rows.append(
            (
                "precision",
                f"{c['precision']:.4%} ({c['correct_rows']}/{c['extracted_rows']})",
                "100%",
                _status(c["precision"] >= TARGETS["precision"]),
            )
        )
        rows.append(
            (
                "recall",
                f"{c['recall']:.4%} ({c['found']}/{c['expected_facts']})",
                "≥99.5%",
                _status(c["recall"] >= TARGETS["recall"]),
            )
        )
        rows.append(("header fields right", f"{c['header_accuracy']:.4%}", "", "-"))
        for layout, v in c.get("by_layout", {}).items():
            if v["expected_facts"]:
                rows.append(
                    (
                        f"  {layout}",
                        f"recall {v['recall']:.2%}, precision {v['precision']:.2%} ({v['reports']} reports)",
                        "",
                        "-",
                    )
                )
        rows.append(("files with wrong status", str(c["status_errors"]), "0", _status(c["status_errors"] == 0)))
    for mode, v in res.get("landing", {}).items():
        if isinstance(v, dict) and "wall_seconds" in v:
            rows.append(
                (
                    f"build_warehouse landing={mode}",
                    f"{v['wall_seconds']} s" + ("" if v["success"] else " (FAILED)"),
                    "",
                    "-",
                )
            )
    for n, r in sorted(res.get("refresh", {}).items(), key=lambda kv: int(kv[0])):
        for kind in ("full", "no_change", "one_new"):
            v = r.get(kind)
            if not v:
                continue
            steps = ", ".join(f"{k} {s:.1f}" for k, s in v["steps"].items())
            target, ok = "", None
            if kind == "full" and int(n) >= 20000:
                target = "≤180 s, ≤4 GB"
                ok = (
                    v["wall_seconds"] <= TARGETS["full_refresh_20000_s"]
                    and v["peak_rss_mb"] <= TARGETS["full_refresh_20000_rss_mb"]
                )
            elif kind == "no_change":
                target, ok = "≤15 s", v["wall_seconds"] <= TARGETS["no_change_refresh_s"]
            elif kind == "one_new":
                target, ok = "≤30 s", v["wall_seconds"] <= TARGETS["one_new_refresh_s"]
            if v["exit_code"] != 0:
                ok = False
            rows.append(
                (
                    f"refresh {n} {kind}",
                    f"{v['wall_seconds']} s, {v['peak_rss_mb']} MB"
                    + (f" [{steps}]" if steps else "")
                    + ("" if v["exit_code"] == 0 else f" exit {v['exit_code']}"),
                    target,
                    _status(ok),
                )
            )
    for q in res.get("queries", {}).get("queries", []):
        if "median_ms" in q:
            rows.append(
                (
                    f"query: {q['title'][:40]}",
                    f"{q['median_ms']} ms ({q['rows']} rows)",
                    "≤200 ms",
                    _status(q["median_ms"] <= TARGETS["query_ms"]),
                )
            )
        else:
            rows.append((f"query: {q['title'][:40]}", q.get("error", "")[:60], "≤200 ms", "MISSED"))
    return rows


def print_table(rows: list[tuple[str, str, str, str]]) -> None:
    widths = [max(len(r[i]) for r in rows + [("measure", "figure", "target", "status")]) for i in range(4)]
    line = "  ".join(f"{{:<{w}}}" for w in widths)
    print(line.format("measure", "figure", "target", "status"))
    for r in rows:
        print(line.format(*r))


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``jixiao bench``; returns the process exit code."""
    from . import measure as m

    args = _parser().parse_args(argv)
    root = Path(args.root)
    root.mkdir(parents=True, exist_ok=True)
    sizes = sorted(set(args.reports))
    largest = sizes[-1]
    out_path = Path(args.out) if args.out else root / f"results-{largest}.json"
    res: dict[str, Any] = {
        "started": time.strftime("%Y-%m-%d %H:%M:%S"),
        "machine": m.machine(),
        "command": "jixiao bench " + " ".join(argv or []),
        "seed": args.seed,
        "sizes": sizes,
    }

    def save() -> None:
        out_path.write_text(json.dumps(res, ensure_ascii=False, indent=1, default=str), encoding="utf-8")

    corpora = {}
    for n in sizes:
        path, manifest = m.ensure_corpus(root, n, args.seed, args.mix)
        corpora[n] = path
        res.setdefault("corpora", {})[n] = {"path": str(path), **manifest}
        print(f"corpus {n}: {path} ({manifest['bytes'] / 1e6:.0f} MB)", flush=True)
    big = corpora[largest]
    if "extract" not in args.skip:
        print("measuring single-process extraction …", flush=True)
        res["extraction_single"] = m.measure_extraction_single(big, args.per_layout)
        save()
    seeds = root / f"landed-{largest}-{args.seed}"
    if "correctness" not in args.skip:
        print(f"extracting and scoring all {largest} files on {args.workers} cores …", flush=True)
        res["correctness"] = m.measure_correctness_parallel(big, args.workers, seeds)
        save()
    if "landing" not in args.skip and seeds.exists():
        print("comparing dbt seed landing with native read_csv landing …", flush=True)
        res["landing"] = m.measure_landing(seeds, root)
        save()
    if "refresh" not in args.skip:
        for n in sizes:
            print(f"refreshing {n} reports …", flush=True)
            res.setdefault("refresh", {})[n] = m.measure_refreshes(
                corpora[n], n, args.seed, root, args.landing, incremental=n == largest
            )
            save()
    if "queries" not in args.skip:
        db = m.warehouse_path(root, largest)
        if db.exists():
            print("timing the README queries …", flush=True)
            res["queries"] = m.measure_queries(db, Path(args.queries_doc))
        else:
            res["queries"] = {"error": f"no warehouse at {db}: run the refresh measurement first"}
        save()
    res["finished"] = time.strftime("%Y-%m-%d %H:%M:%S")
    save()
    print()
    print_table(summary_rows(res))
    print(f"\nfigures written to {out_path}")
    return 0


__all__ = ["main", "TARGETS", "summary_rows"]
