"""Looking at Streamlit's code without running it: objects by dotted path, signatures, fields, attributes.

The helpers the probes of :mod:`.probes` are written with. Each answers
False (or None) rather than raising, whatever it is given.
"""

from __future__ import annotations

import dataclasses
import importlib
import importlib.util
import inspect
from typing import Any

_ABSENT = object()


def find(path: str) -> Any:
    """The object at ``"package.module:Attr.attr"``, or None when the module or an attribute is missing."""
    module_name, _, attributes = path.partition(":")
    try:
        found: Any = importlib.import_module(module_name)
    except ImportError:
        return None
    for name in attributes.split(".") if attributes else ():
        found = inspect.getattr_static(found, name, _ABSENT)
        if found is _ABSENT:
            return None
        if isinstance(found, (staticmethod, classmethod)):
            found = found.__func__
    return found


def takes(function: Any, *parameters: str) -> bool:
    """Whether ``function`` is callable with every named parameter (by keyword or by position)."""
    if not callable(function):
        return False
    try:
        signature = inspect.signature(function)
    except (TypeError, ValueError):
        return False
    names = signature.parameters
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in names.values()):
        return True
    return all(name in names for name in parameters)


def has_fields(cls: Any, *names: str) -> bool:
    """Whether ``cls`` is a dataclass with every field in ``names``."""
    if not (isinstance(cls, type) and dataclasses.is_dataclass(cls)):
        return False
    fields = {f.name for f in dataclasses.fields(cls)}
    return all(name in fields for name in names)


def field_factory(cls: Any, name: str) -> Any:
    """The ``default_factory`` of dataclass field ``name`` of ``cls`` (None without one)."""
    if not has_fields(cls, name):
        return None
    factory = {f.name: f for f in dataclasses.fields(cls)}[name].default_factory
    return None if factory is dataclasses.MISSING else factory


def sets_in_init(cls: Any, *names: str) -> bool:
    """Whether instances of ``cls`` get every attribute in ``names``: annotated, or assigned in ``__init__``."""
    if not isinstance(cls, type):
        return False
    annotated = {name for klass in cls.__mro__ for name in getattr(klass, "__annotations__", {})}
    code = getattr(getattr(cls, "__init__", None), "__code__", None)
    assigned = {*code.co_names, *(c for c in code.co_consts if isinstance(c, str))} if code is not None else set()
    return all(name in annotated or name in assigned for name in names)


def takes_attributes(cls: Any) -> bool:
    """Whether instances of ``cls`` have a ``__dict__`` (st-page-state keeps its own data on some)."""
    return isinstance(cls, type) and getattr(cls, "__dictoffset__", 1) != 0


def is_property(cls: Any, name: str) -> bool:
    return isinstance(inspect.getattr_static(cls, name, None), property)


def source_assigns(module_name: str, text: str) -> bool:
    """Whether the source of ``module_name`` contains ``text``, read without importing the module."""
    try:
        spec = importlib.util.find_spec(module_name)
    except (ImportError, ValueError):
        return False
    origin = getattr(spec, "origin", None)
    if not origin or not origin.endswith(".py"):
        return False
    try:
        with open(origin, encoding="utf-8") as source:
            return text in source.read()
    except OSError:
        return False
