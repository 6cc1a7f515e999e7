"""``jixiao bench``: the province-scale benchmark (see BENCHMARKS.md and docs/bench.md).

Generates (or reuses) synthetic corpora under ``.jixiao/bench/corpus-<N>-<seed>/`` and measures
extraction speed (one core, a process pool, a Dask LocalCluster of 2 workers against 1),
correctness against the generated facts, seed vs native landing, full refreshes (wall time, steps,
peak memory of the process tree), no-change and one-new-report refreshes with Prefect's temporary
server and with a running one, the warehouse's size, and the README's example queries.  Prints one
table of every figure with its target and its ratio to the figures of the last BENCHMARKS.md, and
writes the raw figures as JSON and a markdown block to paste into BENCHMARKS.md and docs/scaling.md.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path
from typing import Any

ALL_STEPS = ("extract", "correctness", "landing", "dask", "refresh", "incremental", "server", "queries")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="jixiao bench",
        description="Measure jixiao on generated province-scale corpora; print every figure with its "
        "target and its ratio to the last BENCHMARKS.md.",
    )
    p.add_argument(
        "--reports",
        type=int,
        nargs="+",
        default=[20000],
        metavar="N",
        help="corpus sizes to refresh (default 20000); the largest is used for every other measurement",
    )
    p.add_argument(
        "--scale",
        type=int,
        nargs="*",
        default=[],
        metavar="N",
        help="further sizes measured by a full refresh, the warehouse's size and the queries only "
        "(e.g. --scale 100000)",
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
    p.add_argument(
        "--dask-reports", type=int, default=2000, help="reports extracted on the LocalClusters (default 2000)"
    )
    p.add_argument("--queries-doc", default="docs/dbt.md", help="markdown file whose ```sql blocks are timed")
    p.add_argument("--previous", default="BENCHMARKS.md", help="figures to compare with (default BENCHMARKS.md)")
    p.add_argument("--out", default=None, help="JSON results file (default <root>/results-<N>.json)")
    p.add_argument(
        "--render",
        nargs="+",
        default=None,
        metavar="RESULTS",
        help="measure nothing: print the table of these results files (later ones win) and write the markdown",
    )
    p.add_argument("--markdown", default=None, help="markdown block to paste (default <root>/BENCHMARKS-figures.md)")
    return p


def render(results: list[dict[str, Any]], previous_path: Path, markdown_path: Path | None) -> str:
    """The text table of ``results`` (merged) against ``previous_path``; writes the markdown block."""
    from .scaling import scaling_markdown
    from .summary import (
        figures_block,
        figures_from_results,
        markdown_table,
        merge_figures,
        read_previous,
        text_table,
        with_previous,
    )

    figures = with_previous(merge_figures(*(figures_from_results(r) for r in results)), read_previous(previous_path))
    if markdown_path is not None:
        meta = {
            "measured": [r.get("started") for r in results],
            "commands": [r.get("command") for r in results],
            "commit": [r.get("commit") for r in results],
            "mix": sorted({str(r.get("mix")) for r in results}),
            "machine": results[-1].get("machine") if results else None,
        }
        values = {f.key: f.value for f in figures if f.value is not None}
        markdown_path.write_text(
            "## Figures and targets\n\n"
            + markdown_table(figures)
            + f"\n\nRatio: this run's figure over the figure of `{previous_path}` before it.\n\n"
            + figures_block(figures, meta)
            + "\n## How far one DuckDB file goes — measured (for docs/scaling.md)\n\n"
            + scaling_markdown(values),
            encoding="utf-8",
        )
    return text_table(figures)


def _commit() -> str | None:
    import subprocess

    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``jixiao bench``; returns the process exit code."""
    args = _parser().parse_args(argv)
    root = Path(args.root)
    root.mkdir(parents=True, exist_ok=True)
    markdown = Path(args.markdown) if args.markdown else root / "BENCHMARKS-figures.md"
    if args.render:
        results = [json.loads(Path(p).read_text(encoding="utf-8")) for p in args.render]
        print(render(results, Path(args.previous), markdown))
        print(f"\nmarkdown written to {markdown}")
        return 0

    from . import measure as m

    sizes = sorted(set(args.reports))
    scale = sorted(set(args.scale) - set(sizes))
    largest = sizes[-1]
    out_path = Path(args.out) if args.out else root / f"results-{max(sizes + scale)}.json"
    res: dict[str, Any] = {
        "started": time.strftime("%Y-%m-%d %H:%M:%S"),
        "machine": m.machine(),
        "command": "jixiao bench " + " ".join(argv or []),
        "commit": _commit(),
        "seed": args.seed,
        "mix": args.mix,
        "sizes": sizes,
        "scale": scale,
        "harness_peak_rss_mb": {},
    }

    def save(stage: str) -> None:
        res["harness_peak_rss_mb"][stage] = m.own_peak_rss_mb()
        out_path.write_text(json.dumps(res, ensure_ascii=False, indent=1, default=str), encoding="utf-8")

    corpora = {}
    for n in sizes + scale:
        t0 = time.perf_counter()
        path, manifest = m.ensure_corpus(root, n, args.seed, args.mix)
        corpora[n] = path
        res.setdefault("corpora", {})[n] = {
            "path": str(path),
            "ready_seconds": round(time.perf_counter() - t0, 1),
            **manifest,
        }
        print(f"corpus {n}: {path} ({manifest['bytes'] / 1e6:.0f} MB)", flush=True)
    save("corpus")
    big = corpora[largest]
    if "extract" not in args.skip:
        print("measuring single-process extraction …", flush=True)
        res["extraction_single"] = m.measure_extraction_single(big, args.per_layout)
        save("extract")
    seeds = root / f"landed-{largest}-{args.seed}"
    if "correctness" not in args.skip:
        print(f"extracting and scoring all {largest} files on {args.workers} cores …", flush=True)
        res["correctness"] = m.measure_correctness_parallel(big, args.workers, seeds)
        save("correctness")
    if "landing" not in args.skip and seeds.exists():
        print("comparing dbt seed landing with native read_csv landing …", flush=True)
        res["landing"] = m.measure_landing(seeds, root)
        save("landing")
    if "dask" not in args.skip:
        print(f"extracting {min(largest, args.dask_reports)} reports on LocalClusters of 1 and 2 workers …", flush=True)
        from .dask_extract import measure_dask_extraction

        try:
            res["dask"] = measure_dask_extraction(big / "reports", args.dask_reports)
        except Exception as exc:  # a cluster that does not start is a figure missing, not a crash
            res["dask"] = {"error": f"{type(exc).__name__}: {exc}"}
        save("dask")
        from .dask_extract import measure_dask_refresh, refresh_has_dask

        if refresh_has_dask():
            print(
                "timing the extract step of `jixiao refresh --dask` on LocalClusters of 1 and 2 workers …", flush=True
            )
            try:
                res["dask_refresh"] = measure_dask_refresh(big / "reports", root, args.dask_reports, args.landing)
            except Exception as exc:
                res["dask_refresh"] = {"error": f"{type(exc).__name__}: {exc}"}
        else:
            res["dask_refresh"] = {"error": "`jixiao refresh` has no --dask option in this code base"}
        save("dask refresh")
    if "refresh" not in args.skip:
        for n in sizes + scale:
            print(f"refreshing {n} reports …", flush=True)
            refreshes = _refreshes(m, args, corpora[n], n, root, n == largest)
            full_stats = refreshes.pop("warehouse", None)  # the file as the full refresh wrote it
            res.setdefault("refresh", {})[n] = refreshes
            db = m.warehouse_path(root, n)
            if full_stats:
                from .scaling import warehouse_stats

                after = warehouse_stats(db) if db.exists() else {}
                full_stats["bytes_after_incremental"] = after.get("bytes")
                res.setdefault("warehouse", {})[n] = full_stats
            save(f"refresh {n}")
    if "queries" not in args.skip:
        for n in sizes + scale:
            db = m.warehouse_path(root, n)
            if db.exists():
                print(f"timing the README queries on {n} reports …", flush=True)
                res.setdefault("queries", {})[n] = m.measure_queries(db, Path(args.queries_doc))
            else:
                res.setdefault("queries", {})[n] = {"error": f"no warehouse at {db}: run the refresh measurement first"}
        save("queries")
    res["finished"] = time.strftime("%Y-%m-%d %H:%M:%S")
    save("end")
    print()
    saved = json.loads(out_path.read_text(encoding="utf-8"))  # the figures as written (keys as text)
    print(render([saved], Path(args.previous), markdown))
    print(f"\nfigures written to {out_path}; markdown to {markdown}")
    return 0


def _refreshes(m: Any, args: argparse.Namespace, corpus: Path, n: int, root: Path, incremental: bool) -> dict[str, Any]:
    """The full refresh of ``n`` reports and, for the largest corpus, the incremental ones (against a
    running Prefect server too, started after the full refresh, unless ``server`` is skipped)."""
    from .scaling import warehouse_stats

    out = m.measure_full_refresh(corpus, n, root, args.landing)
    db = m.warehouse_path(root, n)
    if out["full"]["exit_code"] == 0 and db.exists():
        out["warehouse"] = warehouse_stats(db)
    if not incremental or "incremental" in args.skip or out["full"]["exit_code"] != 0:
        return out
    if "server" in args.skip:
        return {**out, **m.measure_incremental(corpus, n, args.seed, root, args.landing)}
    import contextlib

    from .server import running_prefect_server

    stack = contextlib.ExitStack()
    url: str | None = None
    try:
        url, how = stack.enter_context(running_prefect_server())
        out["server"] = {"api_url": url, "how": how}
        print(f"  with a running Prefect server too ({how}: {url})", flush=True)
    except RuntimeError as exc:
        out["server"] = {"error": str(exc)[:500]}
    with stack:
        out.update(m.measure_incremental(corpus, n, args.seed, root, args.landing, server_url=url))
    return out


__all__ = ["main", "render", "ALL_STEPS"]
