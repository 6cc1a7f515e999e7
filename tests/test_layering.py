"""Layering: a lower layer of ``jixiao`` never imports a higher one.

Layers, lowest first (docs/ARCHITECTURE.md): the shared data model and the contract, text,
readers, extract, landing, warehouse, quality, pipeline, then report and bench, then the command
line.  Every ``import``/``from … import`` of every module is read with :mod:`ast`, including the
imports inside functions and ``if TYPE_CHECKING`` blocks, so a deferred import is no way round.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "jixiao"

LAYERS: dict[str, int] = {
    "jixiao.model": 0,
    "jixiao.contract": 0,
    "jixiao.text": 1,
    "jixiao.readers": 2,
    "jixiao.extract": 3,
    "jixiao.landing": 4,
    "jixiao.warehouse": 5,
    "jixiao.quality": 6,
    "jixiao.pipeline": 7,
    "jixiao.report": 8,
    "jixiao.bench": 8,
    "jixiao.cli": 9,
}


@dataclass(frozen=True)
class Violation:
    module: str
    line: int
    imported: str

    def __str__(self) -> str:
        return f"{self.module} (line {self.line}) imports {self.imported}: a higher layer"


def layer_of(module: str) -> str | None:
    """The layer (a key of LAYERS) a dotted module name belongs to; None outside them (``jixiao`` itself)."""
    parts = module.split(".")
    for n in range(len(parts), 0, -1):
        name = ".".join(parts[:n])
        if name in LAYERS:
            return name
    return None


def module_name(path: Path, package_root: Path) -> str:
    rel = path.relative_to(package_root.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(source: str, module: str, is_package: bool) -> list[tuple[int, str]]:
    """(line, absolute module name) of every import in ``source``; relative imports resolved.

    ``from a import b`` yields ``a.b`` as well as ``a`` (``b`` may be a submodule)."""
    package = module if is_package else module.rpartition(".")[0]
    out: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            out += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base_parts = package.split(".")
                base_parts = base_parts[: len(base_parts) - (node.level - 1)]
                base = ".".join(base_parts + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            out.append((node.lineno, base))
            out += [(node.lineno, f"{base}.{alias.name}") for alias in node.names if alias.name != "*"]
    return out


def violations(package_root: Path) -> list[Violation]:
    """Every import by a module of a layer above its own, over all ``*.py`` under ``package_root``."""
    found: list[Violation] = []
    for path in sorted(package_root.rglob("*.py")):
        module = module_name(path, package_root)
        own = layer_of(module)
        if own is None:
            continue
        seen: set[tuple[int, str]] = set()
        for line, imported in imported_modules(path.read_text(encoding="utf-8"), module, path.name == "__init__.py"):
            target = layer_of(imported)
            if target is None or LAYERS[target] <= LAYERS[own] or (line, target) in seen:
                continue
            seen.add((line, target))
            found.append(Violation(module, line, target))
    return found


def test_no_lower_layer_imports_a_higher_one() -> None:
    found = violations(PACKAGE)
    assert not found, "\n".join(map(str, found))


def test_every_package_module_has_a_layer() -> None:
    """A new top-level module or package must be placed in LAYERS (else the rule would skip it)."""
    unplaced = [
        p.name
        for p in sorted(PACKAGE.iterdir())
        if (p.suffix == ".py" and p.name != "__init__.py") or (p.is_dir() and (p / "__init__.py").exists())
        if layer_of(f"jixiao.{p.stem}") is None
    ]
    assert not unplaced, f"modules with no layer in tests/test_layering.py: {unplaced}"


def test_checker_finds_a_synthetic_violation(tmp_path: Path) -> None:
    root = tmp_path / "jixiao"
    (root / "readers").mkdir(parents=True)
    (root / "extract").mkdir()
    (root / "__init__.py").write_text("")
    (root / "model.py").write_text("from dataclasses import dataclass\n")
    (root / "readers" / "__init__.py").write_text("from jixiao.model import dataclass\n")
    (root / "readers" / "web.py").write_text(
        "import jixiao.text\n"  # lower layer: fine
        "def parse():\n"
        "    from jixiao.extract import numbers  # deferred, still a violation\n"
        "    from ..pipeline.flow import refresh  # relative, still a violation\n"
    )
    (root / "extract" / "__init__.py").write_text("from .numbers import parse\nfrom jixiao.readers import web\n")
    (root / "extract" / "numbers.py").write_text("from jixiao import model\n")
    found = violations(root)
    assert [(v.module, v.line, v.imported) for v in found] == [
        ("jixiao.readers.web", 3, "jixiao.extract"),
        ("jixiao.readers.web", 4, "jixiao.pipeline"),
    ]
    assert "jixiao.readers.web (line 3) imports jixiao.extract" in str(found[0])


def test_from_jixiao_import_a_layer_counts() -> None:
    """``from jixiao import cli`` is an import of the cli layer."""
    imports = imported_modules("from jixiao import cli\n", "jixiao.model", is_package=False)
    assert [layer_of(name) for _, name in imports] == [None, "jixiao.cli"]
