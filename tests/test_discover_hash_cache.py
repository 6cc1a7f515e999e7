"""The discovery's hash cache: a file is read again only when its stat changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from jixiao.pipeline import discover as discover_module
from jixiao.pipeline.discover import discover


def test_unchanged_files_are_not_read_again_and_a_written_file_is(tmp_path: Path, monkeypatch) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    for k in range(3):
        (folder / f"r{k}.txt").write_text(f"某某镇2024年部门预算 {k}", encoding="utf-8")
    cache = tmp_path / "state" / "file_hashes.tsv"
    first = {f.name: f.content_hash for f in discover(folder, hash_cache=cache).files}

    read: list[str] = []
    real = discover_module.sha256_of
    monkeypatch.setattr(discover_module, "sha256_of", lambda p: read.append(p.name) or real(p))
    again = {f.name: f.content_hash for f in discover(folder, hash_cache=cache).files}
    assert again == first and read == []

    (folder / "r1.txt").write_text("某某镇2024年部门预算 changed", encoding="utf-8")
    (folder / "r2.txt").unlink()
    changed = {f.name: f.content_hash for f in discover(folder, hash_cache=cache).files}
    assert read == ["r1.txt"]
    assert changed["r0.txt"] == first["r0.txt"] and changed["r1.txt"] != first["r1.txt"] and "r2.txt" not in changed
    assert "r2.txt" not in cache.read_text(encoding="utf-8")  # a file gone from the folder is forgotten


@pytest.mark.parametrize("content", ["", "not\tthree\tfields\textra\n"])
def test_a_damaged_cache_file_only_costs_a_rehash(tmp_path: Path, content: str) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "a.txt").write_text("某某局2023年部门决算", encoding="utf-8")
    cache = tmp_path / "file_hashes.tsv"
    cache.write_text(content, encoding="utf-8")
    files = discover(folder, hash_cache=cache).files
    assert [f.content_hash for f in files] == [discover_module.sha256_of(folder / "a.txt")]
