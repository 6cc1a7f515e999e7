"""Fixed costs of a refresh: loading the flow loads none of the heavy libraries the steps that build
use (dbt, Great Expectations, pandas, the extractors), so a refresh that finds nothing changed never
pays for them; the extraction cache's version is the same whether or not the extractors are loaded."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from conftest import ROOT

HEAVY = ("dbt", "great_expectations", "pandas", "jixiao.extract", "jixiao.quality", "distributed")


def test_loading_the_refresh_flow_loads_no_heavy_library():
    code = (
        "import json, sys; import jixiao.pipeline.refresh, jixiao.cli; "
        f"print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r} or m in {HEAVY!r})))"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT, check=True)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []


def test_the_declared_extractor_version_is_read_without_importing_the_extractors():
    code = (
        "import sys; from jixiao.pipeline.cache import declared_extractor_version; "
        "v = declared_extractor_version(); assert 'jixiao.extract' not in sys.modules; "
        "import jixiao.extract; print(v == jixiao.extract.EXTRACTOR_VERSION)"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT, check=True)
    assert out.stdout.strip().splitlines()[-1] == "True"
