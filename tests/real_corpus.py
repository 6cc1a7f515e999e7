"""Score the extractor on the real excerpts in ``../shared/real`` (never copied into the repository).

Each document of ``real/docs`` is extracted as an analyst would feed it (the file as it is) and
compared with its gold answer (``real/gold``, the format of tests/fixtures/gold/README.md):

- recall: gold facts found with the right value;
- precision: right values over every judged row (right + wrong values + rows the gold says are
  absent + extra rows in a table the gold claims complete);
- header accuracy: header fields equal to the gold's (a gold null must be read as null).

Names are compared without white space, pinyin glosses "鄉(xiāng)" and traditional forms.
Run ``python tests/real_corpus.py [-v] [gNN ...]`` for the per-file table.
"""

from __future__ import annotations

import json
import os
import re
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gold_compare import HEADER_FIELDS, Comparison, compare

REAL_DIR = Path(os.environ.get("JIXIAO_REAL_CORPUS", Path(__file__).resolve().parents[2] / "shared" / "real"))
DOCS = REAL_DIR / "docs"
GOLD = REAL_DIR / "gold"

_GLOSS = re.compile(r"\((?:[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+)\)")


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def normalize_name(text: str) -> str:
    """A name as compared: no white space, no pinyin glosses, simplified characters."""
    return _t2s().convert(_GLOSS.sub("", re.sub(r"\s+", "", text)))


NAME_FIELDS = (
    "indicator_name",
    "project_name",
    "subject_name",
    "target_value",
    "actual_value",
    "item_label_zh",
    "department_name",
    "township",
    "county",
    "city",
    "province",
)


def _normalized(row: dict) -> dict:
    return {k: normalize_name(v) if k in NAME_FIELDS and isinstance(v, str) else v for k, v in row.items()}


@dataclass
class FileScore:
    name: str
    status: str
    comparison: Comparison
    header_ok: int
    header_total: int
    header_diffs: dict = field(default_factory=dict)

    @property
    def judged(self) -> int:
        c = self.comparison
        return c.found + len(c.wrong) + len(c.absent_present) + len(c.extra)


@dataclass
class CorpusScore:
    files: list[FileScore]

    def _sum(self, attr) -> int:
        return sum(attr(f) for f in self.files)

    @property
    def recall(self) -> float:
        total = self._sum(lambda f: f.comparison.total)
        return self._sum(lambda f: f.comparison.found) / total if total else 1.0

    @property
    def precision(self) -> float:
        judged = self._sum(lambda f: f.judged)
        return self._sum(lambda f: f.comparison.found) / judged if judged else 1.0

    @property
    def header_accuracy(self) -> float:
        total = self._sum(lambda f: f.header_total)
        return self._sum(lambda f: f.header_ok) / total if total else 1.0

    def quarantined_with_facts(self) -> list[str]:
        return [f.name for f in self.files if f.status != "loaded" and f.comparison.total]

    def table(self, verbose: bool = False) -> str:
        lines = [f"{'file':28} {'status':11} {'found':>7} {'wrong':>5} {'absent':>6} {'extra':>5} {'header':>7}"]
        for f in self.files:
            c = f.comparison
            lines.append(
                f"{f.name:28} {f.status:11} {c.found:>3}/{c.total:<3} {len(c.wrong):>5} "
                f"{len(c.absent_present):>6} {len(c.extra):>5} {f.header_ok:>3}/{f.header_total}"
            )
            if verbose and (not c.ok() or f.header_diffs):
                detail = Comparison(c.missing, c.wrong, c.absent_present, c.extra, f.header_diffs, c.found, c.total)
                lines += ["    " + line for line in detail.report().splitlines()[1:]]
        lines.append(
            f"recall {self.recall:.3f}  precision {self.precision:.3f}  header {self.header_accuracy:.3f}  "
            f"quarantined with facts: {self.quarantined_with_facts() or 'none'}"
        )
        return "\n".join(lines)


def score_file(doc_path: Path) -> FileScore:
    from jixiao.extract import extract_file

    gold = json.loads((GOLD / f"{doc_path.stem}.json").read_text(encoding="utf-8"))
    result = extract_file(doc_path)
    for fact in result.facts:
        fact.key = _normalized(fact.key)
        fact.values = _normalized(fact.values)
    norm_gold = {
        **gold,
        "facts": [_normalized(g) for g in gold["facts"]],
        "absent": [_normalized(a) for a in gold.get("absent", [])],
    }
    comparison = compare(result, norm_gold, check_header=False)
    diffs = {}
    for key in HEADER_FIELDS:
        want, got = gold.get(key), getattr(result.header, key)
        if isinstance(want, str) and isinstance(got, str):
            same = normalize_name(want) == normalize_name(got)
        elif isinstance(want, (int, float)) and isinstance(got, (int, float)):
            same = float(want) == float(got)
        else:
            same = want == got
        if not same:
            diffs[key] = (want, got)
    return FileScore(
        doc_path.stem, result.status, comparison, len(HEADER_FIELDS) - len(diffs), len(HEADER_FIELDS), diffs
    )


def score_corpus(only: list[str] | None = None) -> CorpusScore:
    paths = sorted(DOCS.glob("*.txt"))
    if not paths:
        raise FileNotFoundError(f"no real documents in {DOCS} (set JIXIAO_REAL_CORPUS to the real/ folder)")
    if only:
        paths = [p for p in paths if any(p.stem.startswith(o) for o in only)]
    return CorpusScore([score_file(p) for p in paths])


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("-")]
    print(score_corpus(args or None).table(verbose="-v" in sys.argv))
