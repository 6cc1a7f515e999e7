"""Pieces of the benchmark harness that decide its figures: the per-step peak memory of a child
process, the streamed corpus index, and the README query titles."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from jixiao.bench.measure import PeakRss, _follow_steps, corpus_index, readme_queries

CHILD = """
import sys, time
print("[1/2] small", flush=True)
time.sleep(0.6)
print("[2/2] big – allocating", flush=True)
block = bytearray(200 * 2**20)
for i in range(0, len(block), 4096):
    block[i] = 1
time.sleep(0.6)
"""


def test_peak_memory_is_attributed_to_the_step_that_ran() -> None:
    proc = subprocess.Popen([sys.executable, "-c", CHILD], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    rss = PeakRss(proc.pid, interval=0.02)
    with tempfile.TemporaryFile() as log:
        reader = threading.Thread(target=_follow_steps, args=(proc.stdout, log, rss))
        reader.start()
        assert proc.wait(timeout=60) == 0
        peak = rss.stop()
        reader.join(timeout=10)
        log.seek(0)
        assert b"[2/2] big" in log.read()  # the output is kept for the step timings
    mb = {k: v / 2**20 for k, v in rss.by_step.items()}
    assert set(mb) >= {"small", "big"}
    assert mb["big"] > mb["small"] + 150  # the 200 MB block was touched during "big"
    assert peak == max(rss.by_step.values())


def test_corpus_index_streams_the_tsv_or_the_records(tmp_path: Path) -> None:
    (tmp_path / "expected").mkdir()
    for name, layout, status in (("b.txt", "tab", "loaded"), ("a.docx", "docx", "quarantined")):
        record = {"source_file": name, "layout": layout, "status": status, "facts": [{"table": "x"}] * 3}
        (tmp_path / "expected" / f"{name}.json").write_text(json.dumps(record), encoding="utf-8")
    assert list(corpus_index(tmp_path)) == [("a.docx", "docx", "quarantined"), ("b.txt", "tab", "loaded")]
    (tmp_path / "index.tsv").write_text("b.txt\ttab\tloaded\t10\n", encoding="utf-8")
    assert list(corpus_index(tmp_path)) == [("b.txt", "tab", "loaded")]  # the index wins


def test_query_titles_are_the_paragraph_above_each_block(tmp_path: Path) -> None:
    doc = tmp_path / "q.md"
    doc.write_text(
        "## Example queries\n\nFirst query, over\ntwo lines:\n\n```sql\nselect 1\n```\n\n"
        "### A heading\n\n```sql\nselect 2\n```\n",
        encoding="utf-8",
    )
    assert readme_queries(doc) == [("First query, over two lines", "select 1"), ("A heading", "select 2")]
