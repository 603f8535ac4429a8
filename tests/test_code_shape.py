"""The package stays readable: no function over 60 lines, no class over 200 (issue 8).

Long units are where several concerns hide; the limits are checked here so
that they hold after every change, not only when someone counts.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "st_page_state"
LIMITS = {ast.FunctionDef: 60, ast.AsyncFunctionDef: 60, ast.ClassDef: 200}


def oversized(source: str) -> list[tuple[str, int, int]]:
    """(name, first line, length) of every function or class longer than its limit."""
    found = []
    for node in ast.walk(ast.parse(source)):
        limit = LIMITS.get(type(node))
        if limit is not None:
            assert isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            if length > limit:
                found.append((node.name, node.lineno, length))
    return found


def test_the_check_sees_a_long_function() -> None:
    body = "\n".join(f"    x{i} = {i}" for i in range(61))
    assert oversized(f"def long():\n{body}\n") == [("long", 1, 62)]
    assert oversized("def short():\n    return 1\n") == []


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_function_over_60_lines_no_class_over_200(path: Path) -> None:
    assert oversized(path.read_text(encoding="utf-8")) == []
