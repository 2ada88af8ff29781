"""The package's layers: io -> compile -> evaluate -> results -> analysis -> plots -> report -> commands -> cli.

Read from the source (every import, at the top of a module or inside a function): a module of the
figures, the report or the command line imports only what is upstream of it or beside it, and
the modules beside each other import each other without a cycle, so each can be read (and
tested) knowing only what comes before it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "model"

LAYERS = ["model", "model.io", "model.compile", "model.evaluate", "model.lumped", "model.results",
          "model.treeview", "model.analysis", "model.plots", "model.report", "model.commands", "model.cli",
          "model.__main__"]
"""Upstream first; `model` is the package's own __init__ (its version and `load`)."""

CHECKED = ("model.plots", "model.report", "model.commands", "model.cli")
"""The layers whose imports these tests hold to the order."""

PENDING = {"model.commands.compare": {"model.cli"}}
"""Known imports against the order, to go: compare.py still takes its helpers from model.cli (it
should take them from model.commands._common)."""


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in PACKAGE.rglob("*.py")}


def _is_package(name: str) -> bool:
    return MODULES.get(name, Path()).name == "__init__.py"


def imports(name: str) -> set[str]:
    """The modules of the package that module `name` imports, anywhere in it."""
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    here = name if _is_package(name) else name.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.split(".")[0] == "model")
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                pkg = here.split(".")
                pkg = pkg[: len(pkg) - node.level + 1]
                base = ".".join(pkg + ([node.module] if node.module else []))
            if base.split(".")[0] != "model":
                continue
            for a in node.names:  # `from . import sections` names a module; `from . import esc` a name
                sub = f"{base}.{a.name}"
                out.add(sub if sub in MODULES else base)
    return {m for m in out if m in MODULES and m != name}


def layer(name: str) -> int:
    return max(i for i, top in enumerate(LAYERS) if name == top or name.startswith(top + "."))


GRAPH = {m: imports(m) for m in MODULES}


@pytest.mark.parametrize("name", sorted(m for m in MODULES if m.startswith(CHECKED)))
def test_a_module_imports_only_what_is_upstream(name):
    against = {m for m in GRAPH[name] if layer(m) > layer(name)} - PENDING.get(name, set())
    assert not against, f"{name} imports {sorted(against)}, downstream of it"


def test_no_cycles_among_the_figures_the_report_and_the_commands():
    nodes = {m for m in MODULES if m.startswith(CHECKED)}
    edges = {m: {d for d in GRAPH[m] if d in nodes} - PENDING.get(m, set()) for m in nodes}
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(m: str) -> None:
        state[m] = 1
        path.append(m)
        for d in sorted(edges[m]):
            if state.get(d) == 1:
                raise AssertionError("import cycle: " + " -> ".join(path[path.index(d):] + [d]))
            if d not in state:
                visit(d)
        path.pop()
        state[m] = 2

    for m in sorted(nodes):
        if m not in state:
            visit(m)


def test_the_commands_take_their_helpers_from_common_not_from_the_cli():
    users = sorted(m for m in MODULES if "model.cli" in GRAPH[m])
    assert users == ["model.__main__"] + sorted(PENDING)


def test_the_test_reads_imports_as_python_does():
    assert {"model.report.page", "model.report.recipes"} <= GRAPH["model.report.sections"]
    assert "model.report" not in GRAPH["model.report.sections"]          # no cycle through the package
    assert "model.commands._common" in GRAPH["model.commands.core"]
