"""Make the Great Expectations Data Docs work offline.

GX's pages load jQuery, Bootstrap, bootstrap-table, Vega and fonts from CDNs, and its index page
fills its table with bootstrap-table: with no network it shows nothing.  After GX has written
the site, :func:`make_docs_offline` removes every reference to another host from every page
(scripts, style sheets, the S3 logo → the copy GX ships in ``static/images``, outbound links),
links a local style sheet instead, and replaces ``index.html`` with a plain HTML page of this
run's results (every expectation, its outcome and a link to GX's page of its table).
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from pathlib import Path

import jinja2
from bs4 import BeautifulSoup

from jixiao.quality.results import ExpectationOutcome

EXTERNAL = re.compile(r"^(?:https?:)?//", re.I)
OFFLINE_CSS = "static/styles/jixiao_offline.css"
STYLE = """
body { font-family: "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif; margin: 0 auto;
       max-width: 1280px; padding: 8px 24px 48px; color: #222; }
table { border-collapse: collapse; margin: 8px 0; font-size: 0.9em; }
th, td { border: 1px solid #ccc; padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #eef2f7; }
img { max-width: 240px; }
.ok { color: #1e7e34; } .failed { color: #c0392b; font-weight: bold; } .warning { color: #b7791f; }
.collapse:not(.show) { display: block; }
nav, .ge-nav, #navbar, .sticky { position: static !important; }
.fa-check-circle::before { content: "✔"; color: #1e7e34; }
.fa-times::before, .fa-times-circle::before { content: "✘"; color: #c0392b; }
.fa-exclamation-triangle::before { content: "⚠"; color: #b7791f; }
"""

INDEX = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<title>Data Docs · quality checks of run {{ run_id }}</title>
<link rel="stylesheet" href="{{ css }}"></head>
<body>
<h1>Quality checks (Great Expectations) · run {{ run_id }}</h1>
<p>{{ n_passed }} passed, <span class="{{ 'failed' if n_critical else 'ok' }}">{{ n_critical }} critical failed</span>,
<span class="{{ 'warning' if n_warning else 'ok' }}">{{ n_warning }} warnings failed</span>.
Critical failures stop publishing; warnings are recorded in <code>quality_runs</code>.</p>
<table>
<tr><th>suite</th><th>table</th><th>checks</th><th>failed</th><th>details</th></tr>
{% for t in tables %}<tr><td>{{ t.suite }}</td><td>{{ t.table }}</td><td>{{ t.outcomes | length }}</td>
<td class="{{ 'failed' if t.failed else 'ok' }}">{{ t.failed }}</td>
<td>{% if t.page %}<a href="{{ t.page }}">validation page</a>{% endif %}</td></tr>
{% endfor %}</table>
{% for t in tables %}
<h2 id="{{ t.suite }}-{{ t.table }}">{{ t.suite }} · {{ t.table }}</h2>
<table><tr><th>expectation</th><th>column</th><th>severity</th><th>result</th><th>what it checks / what was found</th></tr>
{% for o in t.outcomes %}<tr><td>{{ o.expectation }}</td><td>{{ o.column or "" }}</td><td>{{ o.severity }}</td>
<td class="{{ 'ok' if o.success else ('failed' if o.severity == 'critical' else 'warning') }}">{{ 'passed' if o.success else 'FAILED' }}</td>
<td>{{ o.description }}{% if not o.success %}<br>{{ o.message }}{% endif %}</td></tr>
{% endfor %}</table>
{% endfor %}
</body></html>
"""


def _relative(target: Path, page: Path) -> str:
    return Path(os.path.relpath(target, page.parent)).as_posix()


def strip_external_references(page: Path, docs_dir: Path) -> None:
    """Rewrite one GX page so that it loads nothing from another host."""
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    for tag in soup.find_all("script", src=EXTERNAL):
        tag.decompose()
    for tag in soup.find_all("link", href=EXTERNAL):
        tag.decompose()
    logo = docs_dir / "static" / "images" / "logo-long.png"
    for tag in soup.find_all(["img", "source"], src=EXTERNAL):
        if logo.is_file() and "logo" in tag["src"]:
            tag["src"] = _relative(logo, page)
        else:
            tag.decompose()
    for tag in soup.find_all(["a", "form"]):
        for attr in ("href", "action"):
            if tag.get(attr) and EXTERNAL.match(str(tag[attr])):
                del tag[attr]
    if soup.head is not None:
        css = soup.new_tag("link", rel="stylesheet", href=_relative(docs_dir / OFFLINE_CSS, page))
        soup.head.append(css)
    page.write_text(str(soup), encoding="utf-8")


def _validation_pages(docs_dir: Path) -> dict[tuple[str, str], str]:
    """(suite, table) → path of GX's validation page, relative to ``docs_dir``."""
    pages: dict[tuple[str, str], str] = {}
    for page in sorted((docs_dir / "validations").glob("*/*/**/*.html")):
        suite, table = page.relative_to(docs_dir / "validations").parts[:2]
        pages[(suite, table)] = page.relative_to(docs_dir).as_posix()
    return pages


def write_index(docs_dir: Path, outcomes: list[ExpectationOutcome], run_id: str) -> Path:
    """Our own index.html of the run's outcomes (GX's needs bootstrap-table from a CDN)."""
    grouped: dict[tuple[str, str], list[ExpectationOutcome]] = defaultdict(list)
    for o in outcomes:
        grouped[(o.suite, o.table)].append(o)
    pages = _validation_pages(docs_dir)
    tables = [
        {
            "suite": s,
            "table": t,
            "outcomes": rows,
            "failed": sum(not o.success for o in rows),
            "page": pages.get((s, t)),
        }
        for (s, t), rows in sorted(grouped.items())
    ]
    html = (
        jinja2.Environment(autoescape=True)
        .from_string(INDEX)
        .render(
            run_id=run_id,
            css=OFFLINE_CSS,
            tables=tables,
            n_passed=sum(o.success for o in outcomes),
            n_critical=sum(not o.success and o.severity == "critical" for o in outcomes),
            n_warning=sum(not o.success and o.severity != "critical" for o in outcomes),
        )
    )
    index = docs_dir / "index.html"
    index.write_text(html, encoding="utf-8")
    return index


def make_docs_offline(docs_dir: Path, outcomes: list[ExpectationOutcome], run_id: str) -> Path:
    """Rewrite the Data Docs in ``docs_dir`` to work with no network; return the index page."""
    docs_dir = Path(docs_dir)
    css = docs_dir / OFFLINE_CSS
    css.parent.mkdir(parents=True, exist_ok=True)
    css.write_text(STYLE, encoding="utf-8")
    for page in docs_dir.rglob("*.html"):
        if page.name != "index.html" or page.parent != docs_dir:
            strip_external_references(page, docs_dir)
    return write_index(docs_dir, outcomes, run_id)
