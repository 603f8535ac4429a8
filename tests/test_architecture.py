"""The package's import graph points one way (issue 18).

Every module of ``st_page_state`` has a layer (:data:`LAYERS`). A module may
import modules of its own layer or below, never above, and the graph has no
cycle, type-only imports (``if TYPE_CHECKING:``) included: a cycle that only
the type checker walks still means two modules that cannot be read apart.
Importing ``a.b`` also imports the package ``a`` (its ``__init__``), so that
edge counts too, except for the module's own packages and the root package. README's Development section maps the same layers.

A new module must be given a layer here, which is the moment to ask where
it belongs.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "st_page_state"

LAYERS: dict[str, int] = {
    # 0. Foundations: no knowledge of Streamlit, sessions or stores.
    "missing": 0,
    "errors": 0,
    "log": 0,
    "query": 0,
    "fields": 0,
    "bounds": 0,
    "codecs": 0,
    "identity": 0,
    "recent_tabs": 0,
    # 1. Stores: JSON documents by key, no state classes.
    "stores": 1,
    "stores.base": 1,
    "stores.memory": 1,
    "stores.sqlite": 1,
    "stores.redis": 1,
    "stores.workers": 1,
    "stores.guard": 1,
    "stores.behind": 1,
    "stores.sqlite_rows": 1,
    # 2. Compiled classes and the pure rules over them (URL, stored documents, links).
    "v02": 2,
    "v02.values": 2,
    "v02.methods": 2,
    "config": 2,
    "schema": 2,
    "registry": 2,
    "url": 2,
    "trace": 2,
    "deep_links": 2,
    "persistence": 2,
    "run_values": 2,
    # 3. Streamlit's internals, in one inventoried place.
    "_streamlit": 3,
    # 4. App-wide settings and what sits on Streamlit directly.
    "settings": 4,
    "active_store": 4,
    "notify": 4,
    "bridge": 4,
    # 5. Widget rules and data, below the session.
    "widgets": 5,
    "widgets.links": 5,
    "widgets.values": 5,
    "widgets.ranges": 5,
    "widgets.call_site": 5,
    "widgets.sync": 5,
    # 6. The data one session keeps.
    "runtime": 6,
    # 7. The session: the only code that changes the runtime.
    "session": 7,
    # 8. Entry points that drive the session.
    "binding": 8,
    "widget_fallbacks": 8,
    "state": 8,
    "testing": 8,
    "inspection": 8,
    "panel": 8,
    "backends": 8,
    # 9. The public package.
    "": 9,
}


def module_name(path: Path) -> str:
    """``session/run.py`` -> ``session.run``; ``stores/__init__.py`` -> ``stores``; the package -> ``""``."""
    parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def layer_of(module: str) -> int:
    """A module's layer: its own entry, else its package's (``session.run`` -> ``session``)."""
    name = module
    while name not in LAYERS:
        if "." not in name:
            raise KeyError(f"st_page_state.{module} has no layer in tests/test_architecture.py")
        name = name.rsplit(".", 1)[0]
    return LAYERS[name]


def imports_of(path: Path) -> Iterator[str]:
    """The package modules ``path`` imports (type-only imports included), with their parent packages."""
    module = module_name(path)
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    package = [p for p in package if p]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets: list[str] = []
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package[: len(package) - (node.level - 1)]
            stem = base + (node.module.split(".") if node.module else [])
            targets = [".".join(stem)]
            targets += [".".join([*stem, alias.name]) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("st_page_state"):
            stem = node.module.split(".")[1:]
            targets = [".".join(stem)] + [".".join([*stem, alias.name]) for alias in node.names]
        elif isinstance(node, ast.Import):
            targets = [a.name.split(".", 1)[1] if "." in a.name else "" for a in node.names if a.name.startswith("st_page_state")]
        for target in targets:
            parts = target.split(".") if target else []
            for end in range(len(parts), 0, -1):  # a.b.c imports the package a.b, and a, too
                name = ".".join(parts[:end])
                if name != module and not module.startswith(name + ".") and _exists(name):
                    yield name


def _exists(module: str) -> bool:
    if not module:
        return True
    base = PACKAGE.joinpath(*module.split("."))
    return base.with_suffix(".py").exists() or (base / "__init__.py").exists()


def graph() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        edges[module_name(path)] = set(imports_of(path))
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in edges.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def is_package_init_edge(module: str, target: str) -> bool:
    """A package's ``__init__`` importing its own submodules (re-exports) is not a cycle with them."""
    return module == "" or target.startswith(module + ".")


def test_every_module_has_a_layer() -> None:
    missing = [m or "(package)" for m in graph() if _layer_or_none(m) is None]
    assert missing == [], f"give these modules a layer in LAYERS: {missing}"


def _layer_or_none(module: str) -> int | None:
    try:
        return layer_of(module)
    except KeyError:
        return None


def test_no_module_imports_one_above_its_layer() -> None:
    upward = [
        f"{m or '(package)'} (layer {layer_of(m)}) imports {t} (layer {layer_of(t)})"
        for m, targets in graph().items()
        for t in sorted(targets)
        if layer_of(t) > layer_of(m)
    ]
    assert upward == []


def test_the_import_graph_has_no_cycle() -> None:
    edges = {m: {t for t in targets if not is_package_init_edge(m, t)} for m, targets in graph().items()}
    assert cycles(edges) == []


def test_the_checks_see_a_cycle_and_an_upward_import() -> None:
    assert cycles({"a": {"b"}, "b": {"a"}, "c": {"a"}}) == [["a", "b"]]
    assert layer_of("session.run") == LAYERS["session"]
    assert layer_of("runtime") < layer_of("session")


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_over_500_lines(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= 500, f"{path.relative_to(PACKAGE)} has {lines} lines: split it by concern"
