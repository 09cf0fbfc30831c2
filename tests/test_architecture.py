"""The package's shape, as ARCHITECTURE.md states it: layers, no cycles, sizes, one vocabulary, one catalogue.

These read the source as text (``ast``); nothing of the package is run except the
error catalogue, whose generated page must match ``docs/errors.md``.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from rasd.core import errors
from rasd.core.labels import LABELS
from rasd.core.problems.index import catalogue_markdown

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "rasd"

# Lowest first; a module may import its own subpackage and anything of a lower rank.
# Equal ranks are siblings and must not import each other.
LAYERS: dict[str, int] = {
    "core": 0,
    "text": 1,
    "validation": 2,
    "formats": 3,
    "intake": 4,
    "gold": 5,
    "dataset": 6,
    "versions": 7,
    "labelstudio": 7,
    "preannotate": 7,
    "pipeline": 8,
    "serve": 8,
    "cli": 9,
}
TOP_LEVEL_ALLOWED = {"__init__", "__main__"}
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 60
MAX_LABEL_LITERALS = 5


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


MODULES = modules()


def _typing_only(tree: ast.AST) -> set[int]:
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                skipped.update(id(n) for n in ast.walk(child))
    return skipped


def imports_of(name: str, path: Path) -> Iterator[str]:
    """Every ``rasd`` module ``name`` imports at run time, lazy imports included."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = _typing_only(tree)
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            base = node.module
            if node.level:
                package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
                base = ".".join([*package[: len(package) - node.level + 1], node.module])
            targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
        for target in targets:
            while target and target not in MODULES:
                target = target.rpartition(".")[0]
            if target and target != "rasd" and target != name:
                yield target


def layer_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


GRAPH = {name: set(imports_of(name, path)) for name, path in MODULES.items()}


def test_every_module_sits_in_a_layer() -> None:
    loose = [m for m in MODULES if m != "rasd" and layer_of(m) not in LAYERS]
    loose = [m for m in loose if m.split(".")[-1] not in TOP_LEVEL_ALLOWED]
    assert loose == [], "add the folder to LAYERS and to ARCHITECTURE.md, or move the module"


def test_imports_point_downward_only() -> None:
    wrong = []
    for module, targets in GRAPH.items():
        here = layer_of(module)
        if here not in LAYERS:
            continue
        for target in targets:
            there = layer_of(target)
            if there == here or there not in LAYERS:
                continue
            if LAYERS[there] >= LAYERS[here]:
                wrong.append(f"{module} -> {target}")
    assert sorted(wrong) == []


def _cycles() -> list[list[str]]:
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in GRAPH.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(GRAPH):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycles() -> None:
    assert _cycles() == []


def test_the_cycle_finder_finds_a_planted_cycle() -> None:
    GRAPH["rasd.core.labels"].add("rasd.core.model")
    GRAPH["rasd.core.model"].add("rasd.core.labels")
    try:
        assert ["rasd.core.labels", "rasd.core.model"] in _cycles()
    finally:
        GRAPH["rasd.core.labels"].discard("rasd.core.model")
        GRAPH["rasd.core.model"] = set(imports_of("rasd.core.model", MODULES["rasd.core.model"]))


@pytest.mark.parametrize("module", sorted(MODULES))
def test_modules_and_functions_stay_small(module: str) -> None:
    source = MODULES[module].read_text(encoding="utf-8")
    assert len(source.splitlines()) <= MAX_MODULE_LINES
    long = [
        f"{node.name} ({node.end_lineno - node.lineno + 1} lines)"
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno is not None
        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES
    ]
    assert long == []


def label_literals() -> list[str]:
    found = []
    for module, path in MODULES.items():
        if module == "rasd.core.labels":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and node.value in LABELS:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.value}")
    return found


def test_labels_are_named_through_the_vocabulary() -> None:
    assert len(label_literals()) <= MAX_LABEL_LITERALS, "\n".join(label_literals())


def test_every_error_class_is_defined_in_the_errors_module() -> None:
    ours = {cls.__name__ for cls in (errors.RasdError, *_subclasses(errors.RasdError))}
    elsewhere = []
    for module, path in MODULES.items():
        if module == "rasd.core.errors":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and any(
                ast.unparse(base).rpartition(".")[2] in ours for base in node.bases
            ):
                elsewhere.append(f"{module}.{node.name}")
    assert elsewhere == []


def test_catalogue_codes_are_well_formed_and_distinct_from_class_codes() -> None:
    class_codes = {cls.category_code for cls in (errors.RasdError, *_subclasses(errors.RasdError))}
    for code, entry in errors.CATALOGUE.items():
        assert code.startswith(("RASD-E", "RASD-W"))
        assert len(code) == len("RASD-E123")
        assert not code.endswith("0")
        assert code not in class_codes
        assert entry.fix, f"{code} has no fix"


def _subclasses(cls: type[errors.RasdError]) -> list[type[errors.RasdError]]:
    return [sub for child in cls.__subclasses__() for sub in (child, *_subclasses(child))]


def test_docs_errors_md_is_generated_from_the_catalogue() -> None:
    committed = (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
    assert committed == catalogue_markdown(), "run `make docs` and commit docs/errors.md"
