"""Which widget call ``bind()`` is unpacked into, read from the app's source.

``st.slider("Days", 0, 30, **S.bind("days"))``: bind() runs before the
slider, and its result is spread into a call it cannot see. Yet two things
about that call decide whether the page can crash: which widget it is
(a ``min_value`` passed to a ``selectbox`` would be a ``TypeError``) and
which bounds or options it is given positionally (Streamlit raises when a
slider's value lies outside them). The call is in the source, so bind()
reads it, the way Python's own tracebacks find the expression that failed:
the caller's frame gives the position of the ``bind(...)`` call (PEP 657),
``ast`` finds the call around it.

Only what can be known without running the app's code is used: the
widget's name, and arguments written as literals or plain names (looked up
in the caller's variables). Anything else (a function call, an attribute)
counts as not written. Whatever cannot be read (no source file, kwargs
kept in a variable before the call, an unknown function) gives an empty
:class:`CallSite`, and bind() then adds nothing to the call: reading the
call site can only make a call safer, never break one.
"""

from __future__ import annotations

import ast
import functools
import inspect
import linecache
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import CodeType, FrameType
from typing import Any

import streamlit as st

from ..missing import MISSING

_PACKAGE_DIR = str(Path(__file__).resolve().parent.parent)
_SITES_LIMIT = 4096
"""Call sites remembered; a script recompiled on every run (AppTest) must not grow this forever."""


@dataclass(frozen=True)
class CallSite:
    """What the source says about the widget call around one ``bind(...)``."""

    widget: str | None = None
    """The Streamlit function called (``"slider"``), or None when unknown."""
    written: frozenset[str] = frozenset()
    """Arguments written in the call itself (positional ones under their parameter name)."""
    literals: Mapping[str, Any] = field(default_factory=dict)
    """The written arguments that are literals, with their values."""
    variables: Mapping[str, str] = field(default_factory=dict)
    """The written arguments that are plain names: parameter -> variable name."""

    def values(self, frame: FrameType | None) -> dict[str, Any]:
        """The written arguments whose values can be known without running code."""
        known = dict(self.literals)
        if frame is not None:
            for parameter, variable in self.variables.items():
                for scope in (frame.f_locals, frame.f_globals, frame.f_builtins):
                    if variable in scope:
                        known[parameter] = scope[variable]
                        break
        return known


UNKNOWN = CallSite()

_sites: dict[tuple[int, int], tuple[CodeType, CallSite]] = {}
"""Per (code object id, instruction offset): the code (so a reused id is noticed) and its call site.
Keyed by id because hashing a code object hashes all its constants, nested code included."""


def caller_frame() -> FrameType | None:
    """The app's frame that called ``bind()``: the first one outside this package."""
    frame: FrameType | None = sys._getframe(1)
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE_DIR):
        frame = frame.f_back
    return frame


def call_site(frame: FrameType | None) -> CallSite:
    """The widget call around the ``bind(...)`` call that ``frame`` is executing."""
    if frame is None:
        return UNKNOWN
    code = frame.f_code
    key = (id(code), frame.f_lasti)
    known = _sites.get(key)
    if known is not None and known[0] is code:
        return known[1]
    try:
        site = _read(code, frame.f_lasti, frame.f_lineno)
    except Exception:  # unreadable source of any kind: bind() adds nothing
        site = UNKNOWN
    if len(_sites) >= _SITES_LIMIT:
        _sites.clear()
    _sites[key] = (code, site)
    return site


def _read(code: CodeType, lasti: int, lineno: int | None) -> CallSite:
    linecache.checkcache(code.co_filename)  # a script edited since it was last read (a new code object)
    tree = _tree(code.co_filename, "".join(linecache.getlines(code.co_filename)))
    if tree is None:
        return UNKNOWN
    position = _position(code, lasti)
    matches = [
        (outer, inner)
        for outer in ast.walk(tree)
        if isinstance(outer, ast.Call)
        for inner in _spread_calls(outer)
        if _at(inner, position, lineno)
    ]
    if len(matches) != 1:
        return UNKNOWN
    outer, _ = matches[0]
    widget = _function_name(outer.func)
    parameters = _parameters(widget) if widget is not None else None
    if parameters is None:
        return UNKNOWN
    written: dict[str, ast.expr] = {}
    positional = [a for a in outer.args if not isinstance(a, ast.Starred)]
    if len(positional) != len(outer.args) or len(positional) > len(parameters):
        return UNKNOWN
    written.update(zip(parameters, positional, strict=False))
    written.update({k.arg: k.value for k in outer.keywords if k.arg is not None})
    literals = {}
    for parameter, expr in written.items():
        value = _literal(expr)
        if value is not MISSING:
            literals[parameter] = value
    variables = {p: e.id for p, e in written.items() if isinstance(e, ast.Name) and p not in literals}
    return CallSite(widget=widget, written=frozenset(written), literals=literals, variables=variables)


@functools.lru_cache(maxsize=32)
def _tree(filename: str, source: str) -> ast.Module | None:
    if not source:
        return None
    try:
        return ast.parse(source, filename)
    except SyntaxError:
        return None


def _position(code: CodeType, lasti: int) -> tuple[int | None, ...] | None:
    """Where the instruction at ``lasti`` is in the source (Python 3.11+), else None."""
    positions = getattr(code, "co_positions", None)
    if positions is None:
        return None
    for index, position in enumerate(positions()):
        if index == lasti // 2:
            return tuple(position)
    return None


def _spread_calls(outer: ast.Call) -> list[ast.Call]:
    """The ``**something(...)`` arguments of a call: where a ``bind(...)`` result is spread."""
    return [k.value for k in outer.keywords if k.arg is None and isinstance(k.value, ast.Call)]


def _at(call: ast.Call, position: Any, lineno: int | None) -> bool:
    if position is not None and position[0] is not None:
        return (call.lineno, call.end_lineno, call.col_offset, call.end_col_offset) == tuple(position)
    return lineno is not None and call.lineno <= lineno <= (call.end_lineno or call.lineno)


def _function_name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Attribute):  # st.slider, col.slider, st.sidebar.slider
        return func.attr
    if isinstance(func, ast.Name):  # from streamlit import slider
        return func.id
    return None


@functools.lru_cache(maxsize=128)
def _parameters(widget: str) -> tuple[str, ...] | None:
    """The positional parameter names of Streamlit's ``widget``; None if Streamlit has no such function."""
    function = getattr(st, widget, None)
    if function is None or not callable(function):
        return None
    try:
        signature = inspect.signature(function)
    except (TypeError, ValueError):
        return None
    return tuple(
        p.name
        for p in signature.parameters.values()
        if p.kind in (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    )


def _literal(expr: ast.expr) -> Any:
    """A literal's value (``3``, ``-1.5``, ``["a", "b"]``); MISSING for anything else."""
    try:
        return ast.literal_eval(expr)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return MISSING
