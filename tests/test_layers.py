"""The data flow is the architecture: each module of `model/` imports only what is upstream of it,
and no modules import each other in a circle (DESIGN.md; issue 10).

Layers, upstream first: io -> compile -> results -> evaluate -> analysis -> plots -> report ->
commands/cli. `results` (the Table and the result protocol, no numbers of its own) sits below
evaluate because an Evaluation and every analysis return results; a result's figure is found
through a table that `model.plots` fills, never by importing plots. Every import counts, also those inside functions (a lazy import is still a
dependency); only imports under `if TYPE_CHECKING:` (names for annotations) do not count. The
package root `model/__init__.py` is the public API on top of everything.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "model"

LAYERS = (
    ("model.io", "model.version"),
    ("model.compile",),
    ("model.results",),
    ("model.evaluate", "model.lumped"),
    ("model.analysis", "model.treeview"),
    ("model.plots",),
    ("model.report",),
    ("model.commands", "model.cli", "model.__main__"),
    ("model",),
)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


MODULES = {module_name(p): p for p in ROOT.rglob("*.py")}


def layer(module: str) -> int:
    best = None
    for i, prefixes in enumerate(LAYERS):
        for pre in prefixes:
            if (module == pre or module.startswith(pre + ".")) and (best is None or len(pre) > best[1]):
                best = (i, len(pre))
    assert best is not None, module
    return best[0]


def resolve(importer: str, is_package: bool, node: ast.AST) -> list[str]:
    """The modules of model/ that an import statement loads (a package means its __init__)."""
    out = []
    if isinstance(node, ast.Import):
        names = [a.name for a in node.names]
        out = [n for n in names if n == "model" or n.startswith("model.")]
    elif isinstance(node, ast.ImportFrom):
        if node.level:
            base = importer.split(".") if is_package else importer.split(".")[:-1]
            base = base[: len(base) - (node.level - 1)]
            mod = ".".join(base + ([node.module] if node.module else []))
        else:
            mod = node.module or ""
        if not (mod == "model" or mod.startswith("model.")):
            return []
        for a in node.names:
            sub = f"{mod}.{a.name}"
            out.append(sub if sub in MODULES else mod)
    return [m if m in MODULES else m.rsplit(".", 1)[0] for m in out]


def type_only(tree: ast.Module) -> set[int]:
    """ids of the import nodes under `if TYPE_CHECKING:`: names for annotations, never loaded."""
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            out |= {id(n) for stmt in node.body for n in ast.walk(stmt)}
    return out


def edges() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {m: set() for m in MODULES}
    for mod, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        is_package = path.name == "__init__.py"
        skip = type_only(tree)
        for node in ast.walk(tree):
            if id(node) in skip:
                continue
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                for target in resolve(mod, is_package, node):
                    if target != mod:
                        graph[mod].add(target)
    return graph


GRAPH = edges()


def test_every_module_has_a_layer():
    for m in MODULES:
        layer(m)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_upward_import(module):
    up = sorted(t for t in GRAPH[module] if layer(t) > layer(module))
    assert not up, f"{module} imports {', '.join(up)}, downstream of it"


def test_no_import_cycle():
    # Tarjan's strongly connected components: a component of two or more modules is a cycle
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    cycles = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in GRAPH[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                cycles.append(sorted(comp))

    for v in sorted(GRAPH):
        if v not in index:
            visit(v)
    assert not cycles, "modules that import each other in a circle: " + "; ".join(" <-> ".join(c) for c in cycles)


def test_one_level_loop():
    """The rollback's level loop lives in model/evaluate/rollback.py alone."""
    hits = [p for p in ROOT.rglob("*.py") if "reversed(plan.levels)" in p.read_text() or
            "for lv in reversed(" in p.read_text()]
    assert [p.relative_to(ROOT).as_posix() for p in hits] == ["evaluate/rollback.py"]


def test_no_module_imports_a_private_name_of_another():
    """A name that starts with _ is its module's own (issue 10): share it under a public name."""
    found = []
    for mod, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module != "__future__":
                found += [f"{mod}: {a.name}" for a in node.names
                          if a.name.startswith("_") and not a.name.startswith("__")]
    assert not found, "; ".join(found)
