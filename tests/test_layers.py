"""The package's layers, read from its imports: each layer imports only the ones below it, and no cycle."""

from __future__ import annotations

import ast
from pathlib import Path

import srpkit

ROOT = Path(srpkit.__file__).parent
# What each room may import (besides itself). _core is the floor; _cli is the roof
# that nothing but __main__ imports.
ALLOWED = {
    "_core": set(),
    "_client": {"_core"},
    "server": {"_core"},
    "endpoint": {"_core", "server"},
    "_tools": {"_core", "_client", "server"},
    "_cli": {"_core", "_client", "server", "endpoint", "_tools", "aws"},
    "aws": {"_core", "_client"},
    "aio": {"_core", "_client"},
    "__init__": {"_core", "_client"},
    "__main__": {"_core", "_cli"},
    # The pytest plugin hands tests a local endpoint; nothing in srpkit imports it.
    "pytest_plugin": {"endpoint"},
}


def module_name(path: Path) -> str:
    """The dotted name of a source file under srpkit/."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path) -> set[str]:
    """Every srpkit module a file imports (relative or absolute, at any depth, type-only too)."""
    name = module_name(path)
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    if name == "__init__":
        package = []
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            elif node.module and node.module.startswith("srpkit"):
                target = node.module.removeprefix("srpkit").lstrip(".")
            else:
                continue
            # "from . import x" / "from ._core import backend" name modules, not objects
            for alias in node.names:
                sub = f"{target}.{alias.name}" if target else alias.name
                found.add(
                    sub
                    if (ROOT / sub.replace(".", "/")).exists()
                    or (ROOT / (sub.replace(".", "/") + ".py")).exists()
                    else target
                )
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("srpkit."):
                    found.add(alias.name.removeprefix("srpkit."))
    found.discard("")
    return found


def graph() -> dict[str, set[str]]:
    """Module -> the srpkit modules it imports."""
    return {module_name(p): imports_of(p) for p in ROOT.rglob("*.py")}


def room(module: str) -> str:
    """The layer a module belongs to: its top-level sub-package or module."""
    return module.split(".", maxsplit=1)[0]


def test_each_layer_imports_only_downward() -> None:
    """No module imports a layer above its own (e.g. _core importing _client, server importing endpoint)."""
    wrong = []
    for module, targets in sorted(graph().items()):
        here = room(module)
        for target in sorted(targets):
            there = room(target)
            if there != here and there not in ALLOWED[here]:
                wrong.append(f"{module} imports {target}")
    assert wrong == []


def test_no_import_cycle() -> None:
    """The module import graph is acyclic (a package's __init__ re-exporting its modules excepted)."""
    edges = graph()
    for module, targets in edges.items():
        # A package's own __init__ importing its children is a re-export, not a cycle.
        edges[module] = {
            t for t in targets if not (t.startswith(module + ".") and "." not in module)
        }
    seen: dict[str, int] = {}
    cycles: list[str] = []

    def visit(node: str, trail: list[str]) -> None:
        if seen.get(node) == 1:
            cycles.append(" -> ".join([*trail[trail.index(node) :], node]))
            return
        if seen.get(node) == 2:
            return
        seen[node] = 1
        for nxt in sorted(edges.get(node, ())):
            if nxt in edges:
                visit(nxt, [*trail, node])
        seen[node] = 2

    for start in sorted(edges):
        visit(start, [])
    assert cycles == []


def test_the_graph_is_read() -> None:
    """The import reader sees the edges it must (a test of the test): claim imports _core.srp."""
    edges = graph()
    assert "_core.srp" in edges["_client.claim"]
    assert "_client.claim" in edges["_client.user"]
    assert "_core.backend" in edges["_cli.bench"] or "_tools.bench" in edges["_cli.bench"]
    assert {"_core", "_client", "server", "endpoint", "_tools", "_cli"} <= {room(m) for m in edges}


def test_no_module_over_600_lines() -> None:
    """Every source module is small enough to read in one sitting (600 lines at most)."""
    long = {
        str(p.relative_to(ROOT)): n
        for p in ROOT.rglob("*.py")
        if (n := len(p.read_text().splitlines())) > 600
    }
    assert long == {}
