"""Where a refresh keeps its files, all beside the published warehouse ``<db>``.

``<db dir>/.jixiao/`` holds the extraction cache, expanded bundles, batch lists and the run log;
``<db dir>/data_docs/`` the quality report; ``<db>.building-<run_id>`` the build being made and
``<db>.lock`` the lock of the warehouse (both named by :mod:`jixiao.warehouse.publish`).
"""

from __future__ import annotations

from pathlib import Path

from jixiao.warehouse.publish import building_path, lock_path

__all__ = [
    "batches_file",
    "building_path",
    "bundles_dir",
    "cache_root",
    "data_docs_dir",
    "lock_path",
    "project_build_lock_path",
    "state_dir",
]


def state_dir(db_path: Path) -> Path:
    """``<db dir>/.jixiao``: the extraction cache and failed-run records of this warehouse."""
    return Path(db_path).parent / ".jixiao"


def cache_root(db_path: Path) -> Path:
    """The extraction cache: ``<db dir>/.jixiao/cache/<extractor version>/<sha256>.json``."""
    return state_dir(db_path) / "cache"


def bundles_dir(db_path: Path) -> Path:
    """Where the members of zip bundles are expanded."""
    return state_dir(db_path) / "bundles"


def batches_file(cache_dir: Path, run_id: str) -> Path:
    """The list of extraction batches of one run (beside the cache, so remote workers can read it)."""
    return Path(cache_dir).parent / f"batches-{run_id}.json"


def data_docs_dir(db_path: Path) -> Path:
    """The Great Expectations Data Docs of the warehouse."""
    return Path(db_path).parent / "data_docs"


def project_build_lock_path() -> Path:
    """The lock of the dbt project's ``seeds/landed`` and ``target/`` (one build at a time)."""
    from jixiao.warehouse.dbt_runner import PROJECT_DIR

    return PROJECT_DIR / "target" / ".jixiao-build.lock"
