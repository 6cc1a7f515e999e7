"""The samples as another producer renders them: LibreOffice's own PDF and HTML of the .docx,
and its own .docx of the HTML.

LibreOffice breaks table rows across pages, wraps cells and lines its own way and writes its
own HTML tables; the extractor must read the same facts as from the project's renderings.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from fixture_writers import write_docx, write_html
from gold_compare import compare, load_gold

from jixiao.extract import extract_file
from jixiao.readers.text import read_text

REPORTS = Path(__file__).resolve().parent.parent / "data" / "reports"
SAMPLES = sorted(p.stem for p in REPORTS.glob("*.txt"))
FORMATS = ("pdf", "html", "docx")


@pytest.fixture(scope="session")
def libreoffice_renderings(tmp_path_factory) -> Path:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: `make sysdeps` installs it")
    root = tmp_path_factory.mktemp("libreoffice")
    (root / "ours").mkdir()
    docs, pages = [], []
    for stem in SAMPLES:
        doc = read_text((REPORTS / f"{stem}.txt").read_text(encoding="utf-8"), f"{stem}.txt")
        docs.append(write_docx(doc, root / "ours" / f"{stem}.docx"))
        pages.append(write_html(doc, root / "ours" / f"{stem}.html"))
    env = {**os.environ, "HOME": str(root / "home")}
    base = [soffice, "--headless", f"-env:UserInstallation=file://{root}/profile"]
    for fmt, sources, extra in (
        ("pdf", docs, []),
        ("html", docs, []),
        ("docx", pages, ["--infilter=HTML (StarWriter)"]),
    ):
        subprocess.run(
            [*base, *extra, "--convert-to", fmt, "--outdir", str(root / fmt), *map(str, sources)],
            check=True,
            capture_output=True,
            env=env,
            timeout=600,
        )
    return root


@pytest.mark.slow
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("stem", SAMPLES)
def test_libreoffice_rendering_matches_gold(libreoffice_renderings: Path, fmt: str, stem: str) -> None:
    result = extract_file(libreoffice_renderings / fmt / f"{stem}.{fmt}")
    assert result.status == "loaded", result.status_reason
    comparison = compare(result, load_gold(f"{stem}.json"))
    assert comparison.ok(), comparison.report()
