"""Measure extraction and refresh on a generated corpus: throughput, wall time, memory, correctness.

Each ``measure_*`` function returns a plain dict of figures; :func:`run_benchmark` runs them in
order and writes everything as JSON.  Refreshes run ``jixiao refresh`` in a child process whose
peak resident memory (process tree) is sampled with psutil.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import psutil

from .corpus import CorpusPlan, build_report, generate_corpus, generator_version, parse_mix
from .scoring import CorpusScore, score_report

TEXT_LAYOUTS = ("tab", "web", "pipe")
# Reports a correctness worker holds at once (their extractions are landed together): bounded, so
# that a worker's memory does not grow with the corpus (it was a tenth of a worker's share).
CORRECTNESS_CHUNK = 250
STEPS = ("discover", "extract", "land", "dbt_build", "quality_gate", "publish")
_STEP_LINE = re.compile(
    r"(discover|extract|land(?:ing)?|dbt[ _]build|quality[ _]gate|gate|publish)\b[^\d\n]{0,30}?"
    r"([\d.]+)\s*s\b",
    re.I,
)


# ------------------------------------------------------------------------------------------ corpus
def corpus_dir(root: Path, n: int, seed: int, mix: str = "default") -> Path:
    suffix = "" if mix == "default" else "-" + re.sub(r"[^0-9A-Za-z_]+", "_", mix).strip("_")
    return Path(root) / f"corpus-{n}-{seed}{suffix}"


def ensure_corpus(root: Path, n: int, seed: int, mix: str = "default") -> tuple[Path, dict]:
    """The cached corpus of ``n`` reports in layout mix ``mix``, generated when missing, incomplete or stale."""
    out = corpus_dir(root, n, seed, mix)
    manifest_path = out / "manifest.json"
    if manifest_path.exists():
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        if (
            manifest.get("files") == n
            and manifest.get("generator") == generator_version()
            and manifest.get("mix") == dict(parse_mix(mix))
            and (out / "index.tsv").exists()
            and sum(1 for _ in (out / "reports").iterdir()) == n
        ):
            return out, manifest
    return out, generate_corpus(out, n, seed, mix=mix)


def corpus_index(corpus: Path) -> Iterator[tuple[str, str, str]]:
    """(file name, layout, status) of every file of the corpus, in name order, one at a time.

    Read from the corpus's ``index.tsv``; a corpus without one streams its expected records
    (each read, reduced and dropped: the facts of 100,000 reports never sit in memory together)."""
    index = corpus / "index.tsv"
    if index.exists():
        with open(index, encoding="utf-8") as fh:
            for line in fh:
                name, layout, status, *_ = line.rstrip("\n").split("\t")
                yield name, layout, status
        return
    for p in sorted((corpus / "expected").glob("*.json")):
        rec = json.loads(p.read_text(encoding="utf-8"))
        yield p.name[:-5], rec["layout"], rec["status"]


# ------------------------------------------------------------------------------------------ timing helpers
def median_time(fn: Callable[[], Any], repeats: int = 3, min_total: float = 20.0) -> tuple[float, list[float]]:
    """Median wall time of ``fn``; stops repeating once the runs took ``min_total`` seconds."""
    times: list[float] = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
        if sum(times) > min_total:
            break
    return statistics.median(times), times


class PeakRss:
    """Samples the resident memory of a process and all its children until stopped.

    ``peak`` is the largest sum over the process tree, ``peak_main`` that of the process alone;
    ``by_step`` holds the peak sum while each step named by :meth:`mark` ran."""

    def __init__(self, pid: int, interval: float = 0.05):
        self.proc = psutil.Process(pid)
        self.interval = interval
        self.peak = 0
        self.peak_main = 0
        self.step = "start"
        self.by_step: dict[str, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def mark(self, step: str) -> None:
        """The process has begun ``step`` (later samples count towards it)."""
        self.step = step

    def _sample(self) -> tuple[int, int]:
        try:
            procs = [self.proc, *self.proc.children(recursive=True)]
        except psutil.Error:
            return 0, 0
        total = main = 0
        for p in procs:
            with contextlib.suppress(psutil.Error):
                rss = p.memory_info().rss
                total += rss
                if p.pid == self.proc.pid:
                    main = rss
        return total, main

    def _run(self) -> None:
        while not self._stop.is_set():
            total, main = self._sample()
            self.peak = max(self.peak, total)
            self.peak_main = max(self.peak_main, main)
            self.by_step[self.step] = max(self.by_step.get(self.step, 0), total)
            self._stop.wait(self.interval)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def own_peak_rss_mb() -> dict[str, float]:
    """Peak resident memory of this process and of its largest waited-for child so far (MB)."""
    import resource

    return {
        "self": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "children": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1),
    }


# ------------------------------------------------------------------------------------------ extraction
def _extract(path: Path):
    from jixiao.extract import extract_file

    return extract_file(path)


def measure_extraction_single(corpus: Path, per_layout: int = 150, repeats: int = 3) -> dict[str, Any]:
    """Single-process extraction speed by layout: the median of ``repeats`` runs, each over its own
    ``per_layout`` reports of the layout (the extractor memoizes parsed cells, so timing the same
    files again would measure warm caches, not new reports)."""
    by_layout: dict[str, list[Path]] = defaultdict(list)
    warm_up: Path | None = None
    for name, layout, status in corpus_index(corpus):
        if status != "loaded":
            continue
        if warm_up is None:
            warm_up = corpus / "reports" / name  # not timed below
        elif len(by_layout[layout]) < per_layout * repeats:
            by_layout[layout].append(corpus / "reports" / name)
    if warm_up is None:
        return {}
    _extract(warm_up)  # imports and vocabularies outside the timing
    out: dict[str, Any] = {}
    for layout, paths in sorted(by_layout.items()):
        samples = [paths[i : i + per_layout] for i in range(0, len(paths), per_layout)][:repeats]
        timed = []
        for sample in samples:
            t0 = time.perf_counter()
            for p in sample:
                _extract(p)
            seconds = time.perf_counter() - t0
            timed.append((len(sample) / seconds, seconds, len(sample), sum(p.stat().st_size for p in sample)))
        rate, seconds, n, size = sorted(timed)[(len(timed) - 1) // 2]  # median speed (the slower of two)
        out[layout] = {
            "reports": n,
            "seconds": round(seconds, 3),
            "reports_per_s": round(rate, 1),
            "mb_per_s": round(size / seconds / 1e6, 2),
            "runs": [round(t[1], 3) for t in timed],
            "runs_reports": [t[2] for t in timed],
        }
    text = [out[k] for k in TEXT_LAYOUTS if k in out]
    if text:
        n, s = sum(x["reports"] for x in text), sum(x["seconds"] for x in text)
        out["text_layouts"] = {"reports": n, "seconds": round(s, 3), "reports_per_s": round(n / s, 1)}
    return out


def _extract_score_land(args: tuple[list[str], str, str, str]) -> dict[str, Any]:
    """Worker: extract files, score them against their records, land them as one chunk of seeds."""
    names, corpus, seeds_dir, _ = args
    from jixiao.landing.seeds import write_landed_seeds

    corpus_path = Path(corpus)
    total = CorpusScore()
    extractions = []
    seconds = 0.0
    size = 0
    for name in names:
        path = corpus_path / "reports" / name
        record = json.loads((corpus_path / "expected" / (name + ".json")).read_text(encoding="utf-8"))
        t0 = time.perf_counter()
        ex = _extract(path)
        seconds += time.perf_counter() - t0
        size += path.stat().st_size
        total.add(record, score_report(record, ex))
        extractions.append(ex)
    write_landed_seeds(extractions, Path(seeds_dir))
    return {"score": total, "seconds": seconds, "bytes": size}


def _merge_seed_chunks(chunks: list[Path], dest: Path) -> None:
    """Concatenate the landed CSV files of several chunks (same header) into ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    names = sorted({p.name for c in chunks for p in c.glob("*.csv")})
    for name in names:
        with open(dest / name, "wb") as out:
            header_written = False
            for chunk in chunks:
                if not (chunk / name).exists():
                    continue
                with open(chunk / name, "rb") as part:
                    if header_written:
                        part.readline()  # the header, written once
                    shutil.copyfileobj(part, out)
                    header_written = True


def measure_correctness_parallel(corpus: Path, workers: int, seeds_out: Path) -> dict[str, Any]:
    """Extract every file on all cores, score against the expected facts, and land the seeds."""
    names = sorted(p.name for p in (corpus / "reports").iterdir())
    chunk = min(CORRECTNESS_CHUNK, max(20, len(names) // (workers * 10) + 1))
    tmp = Path(tempfile.mkdtemp(prefix="bench-seeds-"))
    jobs = [(names[i : i + chunk], str(corpus), str(tmp / f"c{i:06d}"), "") for i in range(0, len(names), chunk)]
    t0 = time.perf_counter()
    score = CorpusScore()
    seconds = 0.0
    size = 0
    with ProcessPoolExecutor(workers) as pool:
        for part in pool.map(_extract_score_land, jobs):  # merged as they come; nothing kept per chunk
            score.merge(part["score"])
            seconds += part["seconds"]
            size += part["bytes"]
    wall = time.perf_counter() - t0
    if seeds_out.exists():
        shutil.rmtree(seeds_out)
    _merge_seed_chunks([Path(j[2]) for j in jobs], seeds_out)
    shutil.rmtree(tmp, ignore_errors=True)
    return {
        "workers": workers,
        "files": len(names),
        "wall_seconds": round(wall, 2),
        "reports_per_s": round(len(names) / wall, 1),
        "mb_per_s": round(size / wall / 1e6, 2),
        "cpu_seconds_in_extract": round(seconds, 2),
        **score.summary(),
        "missed_examples": score.missed_examples[:20],
        "wrong_examples": score.wrong_examples[:20],
        "header_examples": score.header_examples[:20],
    }


# ------------------------------------------------------------------------------------------ landing
def _build_once(mode: str, seeds_dir: Path, work: Path) -> dict[str, Any]:
    """One full ``build_warehouse`` from ``seeds_dir`` with ``mode`` landing (run in a child process)."""
    from jixiao.warehouse.dbt_runner import build_warehouse

    db = work / f"landing-{mode}.duckdb"
    db.unlink(missing_ok=True)
    t0 = time.perf_counter()
    result = build_warehouse(
        db,
        landing_mode="seed" if mode == "seed" else "native",
        seeds_dir=seeds_dir,
        target_dir=work / f"target-{mode}",
        extra_args=["--quiet"],
    )
    out = {
        "wall_seconds": round(time.perf_counter() - t0, 2),
        "success": result.success,
        "steps": {k: round(v, 2) for k, v in result.steps.items()},
        "failures": [f"{f.name}: {f.message[:200]}" for f in result.failures[:5]],
        "seed_node_seconds": round(sum(v for k, v in result.node_seconds.items() if k.startswith("seed.")), 2),
    }
    db.unlink(missing_ok=True)
    return out


def measure_landing(seeds_dir: Path, work: Path) -> dict[str, Any]:
    """``dbt seed`` landing against DuckDB ``read_csv`` landing, each a full ``build_warehouse`` in a
    child process of its own (the warehouse's memory is not the harness's)."""
    out: dict[str, Any] = {}
    for mode in ("native", "seed"):
        with ProcessPoolExecutor(1) as pool:
            out[mode] = pool.submit(_build_once, mode, seeds_dir, work).result()
    return out


# ------------------------------------------------------------------------------------------ refresh
def jixiao_command() -> list[str]:
    exe = Path(sys.executable).with_name("jixiao")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "jixiao.cli"]


def parse_step_timings(text: str) -> dict[str, float]:
    """Per-step seconds from the flow's output: a JSON object with ``steps``, else "step … N s" lines."""
    for line in reversed(text.splitlines()):
        line = line.strip()
        if line.startswith("{") and "step" in line:
            try:
                data = json.loads(line)
            except ValueError:
                continue
            found = data.get("steps") or data.get("step_seconds") or data.get("timings")
            if isinstance(found, dict):
                return {str(k): float(v) for k, v in found.items() if isinstance(v, (int, float))}
    steps: dict[str, float] = {}
    for name, secs in _STEP_LINE.findall(text):
        key = name.lower().replace(" ", "_")
        key = {"landing": "land", "gate": "quality_gate"}.get(key, key)
        steps[key] = float(secs)
    return steps


def run_refresh(
    reports: Path,
    db: Path,
    landing: str = "native",
    extra: list[str] | None = None,
    timeout: float = 4 * 3600,
    env_extra: dict[str, str] | None = None,
) -> dict[str, Any]:
    """One ``jixiao refresh`` in a child process: wall time, peak RSS of its process tree, step timings."""
    cmd = [
        *jixiao_command(),
        "refresh",
        "--reports",
        str(reports),
        "--db",
        str(db),
        "--landing",
        landing,
        "--json",
        *(extra or []),
    ]
    env = {
        **{k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"},
        "DO_NOT_TRACK": "1",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "False",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "GX_ANALYTICS_ENABLED": "false",
    }
    if env_extra:
        env.update(env_extra)
    log = tempfile.TemporaryFile()  # noqa: SIM115 (written by the reader thread, closed below)
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
    rss = PeakRss(proc.pid)
    reader = threading.Thread(target=_follow_steps, args=(proc.stdout, log, rss), daemon=True)
    reader.start()
    try:
        code = proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        code = -9
    wall = time.perf_counter() - t0
    peak = rss.stop()
    reader.join(timeout=10)
    log.seek(0)
    text = log.read().decode("utf-8", "replace")
    log.close()
    return {
        "command": " ".join(cmd),
        "exit_code": code,
        "wall_seconds": round(wall, 2),
        "peak_rss_mb": round(peak / 2**20, 1),
        "peak_rss_main_mb": round(rss.peak_main / 2**20, 1),
        "peak_rss_by_step_mb": {k: round(v / 2**20, 1) for k, v in rss.by_step.items()},
        "steps": parse_step_timings(text),
        "output_tail": text[-1500:] if code else text[-400:],
    }


_STEP_MARK = re.compile(r"^\s*\[\d+/\d+\]\s+(.+?)\s*(?:–|$)")


def _follow_steps(stream: Any, log: Any, rss: PeakRss) -> None:
    """Copy the refresh's output to ``log``, marking each ``[k/n] step`` line on ``rss``."""
    for raw in iter(stream.readline, b""):
        log.write(raw)
        m = _STEP_MARK.match(raw.decode("utf-8", "replace"))
        if m:
            rss.mark(m.group(1).strip().lower())


def warehouse_path(work: Path, n: int) -> Path:
    """The benchmark warehouse of the ``n``-report corpus; its folder also holds the flow's cache."""
    return Path(work) / f"refresh-{n}" / "warehouse.duckdb"


def measure_full_refresh(corpus: Path, n: int, work: Path, landing: str) -> dict[str, Any]:
    """Full refresh of ``corpus`` into a fresh warehouse with a cold cache (Prefect's temporary server)."""
    db = warehouse_path(work, n)
    if db.parent.exists():
        shutil.rmtree(db.parent)  # the warehouse and the extraction cache next to it
    db.parent.mkdir(parents=True)
    return {"db_path": str(db), "full": run_refresh(corpus / "reports", db, landing)}


def measure_incremental(
    corpus: Path, n: int, seed: int, work: Path, landing: str, server_url: str | None = None
) -> dict[str, Any]:
    """On the warehouse of :func:`measure_full_refresh`: a no-change refresh and a refresh with one new
    report, with Prefect's temporary server and (``server_url``) against a running server, whose
    memory is then not counted."""
    db = warehouse_path(work, n)
    out: dict[str, Any] = {}
    modes: list[tuple[str, dict[str, str] | None]] = [("", None)]
    if server_url:
        modes.append(("_server", {"PREFECT_API_URL": server_url}))
    for suffix, env in modes:
        out["no_change" + suffix] = run_refresh(corpus / "reports", db, landing, env_extra=env)
    added: list[Path] = []
    try:
        for k, (suffix, env) in enumerate(modes):
            name, data, _ = build_report(CorpusPlan(n + 1 + k, seed + 1), n + k)  # a report no run has seen
            new = corpus / "reports" / name
            new.write_bytes(data)
            added.append(new)
            out["one_new" + suffix] = run_refresh(corpus / "reports", db, landing, env_extra=env)
            out["one_new" + suffix]["new_file"] = name
    finally:
        for new in added:
            new.unlink(missing_ok=True)
    return out


# ------------------------------------------------------------------------------------------ queries
_SQL_BLOCK = re.compile(r"```sql\s*\n(.*?)```", re.S)


def readme_queries(doc: Path) -> list[tuple[str, str]]:
    """(title, sql) of every ```sql block in ``doc``, titled by the paragraph (or heading) just above it."""
    text = doc.read_text(encoding="utf-8")
    out: list[tuple[str, str]] = []
    for m in _SQL_BLOCK.finditer(text):
        before = text[: m.start()].rstrip()
        paragraph = re.split(r"\n\s*\n", before)[-1] if before else ""
        title = " ".join(ln.strip() for ln in paragraph.splitlines()).strip("#*: ")
        out.append((title[:80] or f"query {len(out) + 1}", m.group(1).strip()))
    return out


_SOURCE_FILE_LITERAL = re.compile(r"(source_file\s*=\s*)'[^']*'")


def sample_source_file(con) -> str | None:
    """A loaded report of the warehouse with indicator scores and findings (the median one by name),
    so that the one-report example queries return rows instead of looking up a sample file name."""
    names = [
        r[0]
        for r in con.execute(
            "select r.source_file from dim_report r where r.status = 'loaded'"
            " and exists (select 1 from fct_indicator_scores s where s.report_id = r.report_id)"
            " and exists (select 1 from data_quality_issues q where q.source_file = r.source_file)"
            " order by r.source_file"
        ).fetchall()
    ]
    return names[len(names) // 2] if names else None


def measure_queries(db: Path, doc: Path, repeats: int = 5) -> dict[str, Any]:
    """Median time of each example query of ``doc`` on a read-only connection to ``db``.

    A query naming one report (``source_file = '…'``) is pointed at a report of ``db``."""
    import duckdb

    if not doc.exists():
        return {"error": f"{doc} not found: no example queries to time"}
    results = []
    con = duckdb.connect(str(db), read_only=True)
    try:
        sample = sample_source_file(con)
        for title, sql in readme_queries(doc):
            if sample:
                sql = _SOURCE_FILE_LITERAL.sub(lambda m: f"{m.group(1)}'{sample}'", sql)
            entry: dict[str, Any] = {"title": title, "sql": sql}
            try:
                rows = con.execute(sql).fetchall()  # warm-up (and row count)

                def run(q: str = sql) -> list[Any]:
                    return con.execute(q).fetchall()

                med, runs = median_time(run, repeats, min_total=5)
                entry.update(rows=len(rows), median_ms=round(med * 1000, 1), runs_ms=[round(r * 1000, 1) for r in runs])
            except Exception as exc:  # a query that fails is a finding, not a crash of the benchmark
                entry["error"] = f"{type(exc).__name__}: {str(exc)[:300]}"
            results.append(entry)
    finally:
        con.close()
    return {"queries": results}


# ------------------------------------------------------------------------------------------ machine
def machine() -> dict[str, Any]:
    import platform

    model = platform.processor()
    with contextlib.suppress(OSError), open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
        model = next((ln.split(":", 1)[1].strip() for ln in cpuinfo if ln.startswith("model name")), model)
    return {
        "cpu": model,
        "cores": os.cpu_count(),
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }
