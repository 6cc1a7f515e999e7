"""The bundled sample corpus, gold answers and contract are copies of ../shared: keep them in sync."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
COPIES = [("corpus", ROOT / "data" / "reports"), ("gold", ROOT / "tests" / "fixtures" / "gold")]


@pytest.mark.skipif(not SHARED.is_dir(), reason="no ../shared next to this checkout")
@pytest.mark.parametrize("shared_dir, local_dir", COPIES)
def test_bundled_copies_match_shared(shared_dir: str, local_dir: Path) -> None:
    source = SHARED / shared_dir
    names = sorted(p.name for p in source.iterdir() if p.is_file())
    local = sorted(p.name for p in local_dir.iterdir() if p.is_file())
    assert local == names, f"{local_dir} differs from {source}: copy it again"
    for name in names:
        assert (local_dir / name).read_bytes() == (source / name).read_bytes(), f"{name} is stale: copy {source}"


@pytest.mark.skipif(not SHARED.is_dir(), reason="no ../shared next to this checkout")
def test_contract_copy_matches_shared() -> None:
    assert (ROOT / "docs" / "CONTRACT.md").read_bytes() == (SHARED / "CONTRACT.md").read_bytes()
