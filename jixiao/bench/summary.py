"""The figures of a benchmark run: targets, the ratio to the previous BENCHMARKS.md, tables.

Every figure has a stable key (``refresh.full.20000``, ``extract.dask_speedup``, …).  BENCHMARKS.md
keeps the keys and values of the run it shows in a fenced JSON block after :data:`BLOCK_MARK`;
:func:`previous_figures` reads it back (or, for a BENCHMARKS.md written before that block existed,
the rows of its figures table) so that the next run prints each figure's ratio to it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BLOCK_MARK = "<!-- jixiao-bench-figures: read by `jixiao bench` for the ratio to the next run; keep -->"

# Targets of issue 14 (on the 2-core benchmark machine): key pattern -> (comparison, bound, unit).
TARGETS: dict[str, tuple[str, float, str]] = {
    "refresh.one_new.20000": ("<=", 15, "s"),
    "refresh.one_new_server.20000": ("<=", 15, "s"),
    "refresh.no_change_server.20000": ("<=", 5, "s"),
    "refresh.full.20000": ("<=", 150, "s"),
    "refresh.full_rss.20000": ("<=", 2048, "MB"),
    "refresh.full_rss.100000": ("<=", 2048, "MB"),
    "extract.dask_speedup": (">=", 1.8, "×"),
    "extract.dask_map_speedup": (">=", 1.8, "×"),
    "correctness.precision": (">=", 1.0, ""),
    "correctness.recall": (">=", 0.995, ""),
    "extract.single.text_layouts": (">=", 200, "rep/s"),
}
QUERY_TARGET_MS = 200
MEASURED_ONLY = ("refresh.full.100000",)  # "measured and published": no bound


@dataclass
class Figure:
    """One row of the figures table."""

    key: str
    measure: str
    value: float | None
    unit: str = ""
    detail: str = ""
    previous: float | None = None

    @property
    def target(self) -> tuple[str, float, str] | None:
        if self.key in TARGETS:
            return TARGETS[self.key]
        if self.key.startswith("query."):
            return ("<=", QUERY_TARGET_MS, "ms")
        return None

    @property
    def target_text(self) -> str:
        if self.key in MEASURED_ONLY:
            return "measured"
        t = self.target
        if t is None:
            return ""
        op, bound, unit = t
        sign = "≤" if op == "<=" else "≥"
        if unit == "" and bound <= 1:
            return f"{sign} {bound:.1%}"
        return f"{sign} {_num(bound)} {unit}".rstrip()

    @property
    def ok(self) -> bool | None:
        if self.value is None:
            return False if (self.target or self.key in MEASURED_ONLY) else None
        if self.key in MEASURED_ONLY:
            return True
        t = self.target
        if t is None:
            return None
        op, bound, _ = t
        return self.value <= bound if op == "<=" else self.value >= bound

    @property
    def ratio(self) -> float | None:
        """This figure over the previous run's (None when either is missing or zero)."""
        if self.value is None or not self.previous:
            return None
        return self.value / self.previous

    @property
    def figure_text(self) -> str:
        if self.value is None:
            return "not measured" + (f" ({self.detail})" if self.detail else "")
        if self.unit == "" and self.key.startswith("correctness."):
            text = f"{self.value:.3%}"
        else:
            text = f"{_num(self.value)} {self.unit}".rstrip()
        return text + (f" ({self.detail})" if self.detail else "")

    def status_text(self) -> str:
        ok = self.ok
        if ok is None:
            return ""
        if ok:
            return "ok"
        t = self.target
        if self.value is None or t is None:
            return "MISSED"
        op, bound, unit = t
        gap = self.value - bound if op == "<=" else bound - self.value
        if unit == "" and bound <= 1:
            return f"MISSED by {gap * 100:.3f} points"
        return f"MISSED by {_num(gap)} {unit}".rstrip()

    def ratio_text(self) -> str:
        r = self.ratio
        return "–" if r is None else f"{r:.2f}×"

    def previous_text(self) -> str:
        if self.previous is None:
            return "–"
        if self.unit == "" and self.key.startswith("correctness."):
            return f"{self.previous:.3%}"
        return f"{_num(self.previous)} {self.unit}".rstrip()


def _num(x: float) -> str:
    if x == int(x) and abs(x) >= 10:
        return f"{int(x):,}"
    if abs(x) >= 100:
        return f"{x:,.1f}"
    return f"{x:.2f}".rstrip("0").rstrip(".") if abs(x) < 10 else f"{x:.1f}"


def _n(n: int | str) -> str:
    return f"{int(n):,}"


# ------------------------------------------------------------------------------------------ figures
def figures_from_results(res: dict[str, Any]) -> list[Figure]:
    """The figures of one results JSON of ``jixiao bench`` (in table order)."""
    out: list[Figure] = []
    for n, r in sorted(res.get("refresh", {}).items(), key=lambda kv: int(kv[0])):
        out += _refresh_figures(int(n), r)
    for key, name, label in (
        ("extract.dask_speedup", "dask_refresh", "extraction on a LocalCluster of 2 workers vs 1 (refresh --dask)"),
        ("extract.dask_map_speedup", "dask", "extraction on a LocalCluster of 2 workers vs 1 (Client.map)"),
    ):
        dask = res.get(name, {})
        if "runs" in dask:
            one, two = dask["runs"].get("1", {}), dask["runs"].get("2", {})
            detail = f"{one.get('reports_per_s')} → {two.get('reports_per_s')} rep/s over {one.get('reports')} reports"
            out.append(Figure(key, label, dask.get("speedup"), "×", detail))
        elif "error" in dask:
            out.append(Figure(key, label, None, "×", dask["error"][:80]))
    c = res.get("correctness", {})
    if "recall" in c:
        out.append(
            Figure(
                "correctness.precision",
                f"precision on {_n(c['files'])} reports",
                c["precision"],
                "",
                f"{c['correct_rows']:,} / {c['extracted_rows']:,} rows",
            )
        )
        out.append(
            Figure(
                "correctness.recall",
                f"recall on {_n(c['files'])} reports",
                c["recall"],
                "",
                f"{c['found']:,} / {c['expected_facts']:,} facts",
            )
        )
        out.append(
            Figure(
                "extract.parallel",
                f"extraction on {c['workers']} cores (process pool, with scoring and landing)",
                c["reports_per_s"],
                "rep/s",
            )
        )
    ex = res.get("extraction_single", {}).get("text_layouts")
    if ex:
        out.append(
            Figure(
                "extract.single.text_layouts", "extraction, 1 core, sample text layouts", ex["reports_per_s"], "rep/s"
            )
        )
    for n, q in sorted(res.get("queries", {}).items(), key=lambda kv: int(kv[0]) if str(kv[0]).isdigit() else 0):
        if not isinstance(q, dict):
            continue
        for i, entry in enumerate(q.get("queries", []), 1):
            label = f"README query {i}: {entry['title'][:48]} ({_n(n)})"
            if "median_ms" in entry:
                out.append(Figure(f"query.{i}.{n}", label, entry["median_ms"], "ms", f"{entry['rows']:,} rows"))
            else:
                out.append(Figure(f"query.{i}.{n}", label, None, "ms", entry.get("error", "")[:80]))
    for n, w in sorted(res.get("warehouse", {}).items(), key=lambda kv: int(kv[0])):
        if "bytes" in w:
            out.append(Figure(f"warehouse.mb.{n}", f"DuckDB file ({_n(n)})", round(w["bytes"] / 2**20, 1), "MB"))
            out.append(Figure(f"warehouse.rows.{n}", f"contract rows ({_n(n)})", w["rows"], "rows"))
            out.append(
                Figure(
                    f"warehouse.mb_per_1000.{n}",
                    f"DuckDB file per 1,000 reports ({_n(n)})",
                    round(w["bytes"] / 2**20 / int(n) * 1000, 1),
                    "MB",
                    f"{w['bytes'] / 2**20:,.0f} MB in all",
                )
            )
            out.append(
                Figure(
                    f"warehouse.rows_per_report.{n}",
                    f"contract rows per report ({_n(n)})",
                    round(w["rows"] / int(n), 1),
                    "rows",
                    f"{w['rows']:,} rows",
                )
            )
    return sorted(out, key=_order)


def _steps_text(v: dict[str, Any]) -> str:
    steps = v.get("steps") or {}
    return ", ".join(f"{k} {s:.1f}" for k, s in steps.items())


def _refresh_figures(n: int, r: dict[str, Any]) -> list[Figure]:
    out: list[Figure] = []
    labels = {
        "one_new": f"one new report into {_n(n)}",
        "one_new_server": f"one new report into {_n(n)}, running Prefect server",
        "no_change": f"no change, {_n(n)}",
        "no_change_server": f"no change, {_n(n)}, running Prefect server",
    }
    full = r.get("full")
    if full:
        failed = full.get("exit_code", 0) != 0
        steps = full.get("steps") or {}
        out.append(
            Figure(
                f"refresh.full.{n}",
                f"full refresh, {_n(n)} reports",
                None if failed else full["wall_seconds"],
                "s",
                f"exit {full.get('exit_code')}" if failed else _steps_text(full),
            )
        )
        if steps and not failed:
            out.append(
                Figure(
                    f"refresh.full_steps.{n}",
                    f"full refresh, {_n(n)}: sum of the steps",
                    round(sum(steps.values()), 1),
                    "s",
                )
            )
        by_step = full.get("peak_rss_by_step_mb") or {}
        top = max(by_step.items(), key=lambda kv: kv[1])[0] if by_step else ""
        out.append(
            Figure(
                f"refresh.full_rss.{n}",
                f"peak memory, full refresh {_n(n)} (process tree)",
                None if failed else full["peak_rss_mb"],
                "MB",
                f"at {top}; main process {full.get('peak_rss_main_mb')} MB" if top else "",
            )
        )
    for kind in ("one_new", "one_new_server", "no_change", "no_change_server"):
        v = r.get(kind)
        if not v:
            continue
        failed = v.get("exit_code", 0) != 0
        detail = (
            f"exit {v.get('exit_code')}" if failed else f"{v['peak_rss_mb']:,.0f} MB; {_steps_text(v)}".rstrip("; ")
        )
        out.append(Figure(f"refresh.{kind}.{n}", labels[kind], None if failed else v["wall_seconds"], "s", detail))
    return out


def merge_figures(*groups: list[Figure]) -> list[Figure]:
    """Figures of several runs in one list: a later run's figure replaces an earlier one's key."""
    by_key: dict[str, Figure] = {}
    for group in groups:
        for f in group:
            by_key.pop(f.key, None)
            by_key[f.key] = f
    return sorted(by_key.values(), key=_order)


_ORDER = (
    "refresh.one_new.",
    "refresh.one_new_server.",
    "refresh.no_change.",
    "refresh.no_change_server.",
    "refresh.full.",
    "refresh.full_steps.",
    "refresh.full_rss.",
    "extract.dask",
    "correctness.",
    "extract.",
    "query.",
    "warehouse.",
)


def _order(f: Figure) -> tuple[int, int, str]:
    rank = next((i for i, p in enumerate(_ORDER) if f.key.startswith(p)), len(_ORDER))
    n = f.key.rsplit(".", 1)[-1]
    return rank, int(n) if n.isdigit() else 0, f.key


# ------------------------------------------------------------------------------------------ previous run
def previous_figures(text: str) -> dict[str, float]:
    """The figures of a BENCHMARKS.md: its JSON block when it has one, else its legacy table rows."""
    if BLOCK_MARK in text:
        after = text.split(BLOCK_MARK, 1)[1]
        m = re.search(r"```json\s*\n(.*?)```", after, re.S)
        if m:
            data = json.loads(m.group(1))
            return {str(k): float(v) for k, v in data.get("figures", {}).items() if isinstance(v, (int, float))}
    return legacy_figures(text)


_NUMBER = r"\**([\d,]+(?:\.\d+)?)\**"


def _to_float(s: str) -> float:
    return float(s.replace(",", ""))


def legacy_figures(text: str) -> dict[str, float]:
    """Figures from the table rows (and running-server paragraph) of a BENCHMARKS.md written before
    the JSON block: ``| measure | figure | …`` rows whose measure names a known figure."""
    out: dict[str, float] = {}
    query_rows = 0
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 2 or not line.lstrip().startswith("|"):
            continue
        label, fig = cells[0].lower(), cells[1]
        n_m = re.search(r"([\d,]{4,}) reports|, ([\d,]{4,})$|\(([\d,]{4,})\)$", label)
        n = next((g for g in n_m.groups() if g), "").replace(",", "") if n_m else ""
        num = re.match(r"\s*" + _NUMBER, fig)
        if not num:
            continue
        value = _to_float(num.group(1))
        if label.startswith("full refresh,") and n:
            out[f"refresh.full.{n}"] = value
            rss = re.search(r"peak RSS ([\d,]+) MB", fig)
            if rss:
                out[f"refresh.full_rss.{n}"] = _to_float(rss.group(1))
        elif label.startswith("no-change refresh") and n:
            out[f"refresh.no_change.{n}"] = value
        elif label.startswith("one new report") and n:
            out[f"refresh.one_new.{n}"] = value
        elif label.startswith("precision on"):
            out["correctness.precision"] = value / 100
        elif label.startswith("recall on"):
            out["correctness.recall"] = value / 100
        elif label.startswith("extraction, 1 core, all text layouts"):
            out["extract.single.text_layouts"] = value
        elif label.startswith("extraction on 2 cores"):
            out["extract.parallel"] = value
        elif label.startswith("readme query") and n:
            query_rows += 1
            out[f"query.{query_rows}.{n}"] = value
    server = re.search(r"running Prefect server\*\*(.*?)\n\n", text, re.S)
    if server:
        para = server.group(1)
        for key, pattern in (
            ("one_new_server", r"one new report\s+" + _NUMBER + r"\s*s"),
            ("no_change_server", r"no change\s+" + _NUMBER + r"\s*s"),
        ):
            m = re.search(pattern, para)
            if m:  # that paragraph measured the largest corpus of the table
                largest = max((int(k.rsplit(".", 1)[1]) for k in out if k.startswith("refresh.full.")), default=None)
                if largest:
                    out[f"refresh.{key}.{largest}"] = _to_float(m.group(1))
    return out


def with_previous(figures: list[Figure], previous: dict[str, float]) -> list[Figure]:
    for f in figures:
        f.previous = previous.get(f.key)
    return figures


# ------------------------------------------------------------------------------------------ rendering
HEAD = ("measure", "figure", "target", "status", "previous", "ratio")


def rows(figures: list[Figure]) -> list[tuple[str, str, str, str, str, str]]:
    return [
        (f.measure, f.figure_text, f.target_text, f.status_text(), f.previous_text(), f.ratio_text()) for f in figures
    ]


def text_table(figures: list[Figure], width: int = 70) -> str:
    """The figures as a plain-text table (figure cells cut at ``width`` characters)."""
    body = [tuple(c if len(c) <= width else c[: width - 1] + "…" for c in r) for r in rows(figures)]
    widths = [max(len(r[i]) for r in [HEAD, *body]) for i in range(len(HEAD))]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    return "\n".join(fmt.format(*r).rstrip() for r in [HEAD, *body])


def markdown_table(figures: list[Figure]) -> str:
    """The figures as a markdown table (the "Figures and targets" of BENCHMARKS.md)."""

    def esc(s: str) -> str:
        return s.replace("|", "\\|")

    lines = ["| " + " | ".join(HEAD) + " |", "|" + "---|" * len(HEAD)]
    for r in rows(figures):
        lines.append("| " + " | ".join(esc(c) for c in r) + " |")
    return "\n".join(lines)


def figures_block(figures: list[Figure], meta: dict[str, Any] | None = None) -> str:
    """The machine-readable block of BENCHMARKS.md: :data:`BLOCK_MARK` and a fenced JSON object."""
    data = {**(meta or {}), "figures": {f.key: f.value for f in figures if f.value is not None}}
    return BLOCK_MARK + "\n\n```json\n" + json.dumps(data, ensure_ascii=False, indent=1) + "\n```\n"


def read_previous(path: Path) -> dict[str, float]:
    """:func:`previous_figures` of ``path``; empty when it does not exist."""
    return previous_figures(path.read_text(encoding="utf-8")) if path.exists() else {}


__all__ = [
    "BLOCK_MARK",
    "TARGETS",
    "Figure",
    "figures_from_results",
    "merge_figures",
    "previous_figures",
    "legacy_figures",
    "with_previous",
    "text_table",
    "markdown_table",
    "figures_block",
    "read_previous",
]
