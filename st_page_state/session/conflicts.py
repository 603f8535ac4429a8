"""Two classes where the app meant one: a class file run twice, and two classes owning one URL param.

Both are found when a class is first used, in a session or in a run, and
said at once: a second state that silently differs from the first (the
sidebar says "web", the page says "all") is found by a user much later.

* **One class, one state.** A file that Streamlit runs as a script (the
  main script, a page) and that a page also imports (``from app import
  SidebarState``) is executed twice: once as ``__main__``, once as the
  module ``app``. Each execution makes its own class, with its own
  namespace, so its own state. The library cannot make the two one state
  (the import also runs the script's widgets a second time), so the second
  class's first use raises an error that says where to define it.
* **One param, one owner.** Two classes using one URL param in the same run
  fight over it: the last writer wins the URL, a link or a reload sets both.
  One warning per session names both and the fix (``Config.url_prefix``).
  Classes that list each other in ``share_url_with`` share on purpose.
"""

from __future__ import annotations

from ..errors import StateConfigError
from ..notify import warn
from ..registry import shared_on_purpose
from ..runtime import SessionRuntime
from ..schema import StateSchema
from .changes import class_for

_PAIRS: dict[tuple[int, int], tuple[StateSchema, StateSchema, frozenset[str]]] = {}
"""Params two schemas both own (schemas are reused across reruns: each pair is compared once)."""


def refuse_twin(rt: SessionRuntime, schema: StateSchema) -> None:
    """Raise when the session already uses another class written in the same place (see the module docstring)."""
    if not schema.origin:
        return
    other = rt.sources.setdefault(schema.origin, schema.namespace)
    if other == schema.namespace:
        return
    path, _, qualname = schema.origin.rpartition(":")
    module = next((ns for ns in (other, schema.namespace) if ":" not in ns), other)
    module = module.removesuffix(f".{qualname}")
    raise StateConfigError(
        f"{qualname} is defined in {path}, which runs as a Streamlit script and is also imported as the "
        f"module {module!r} (`from {module} import {qualname}`). Python then executes {path} twice, which "
        f"makes two {qualname} classes with a state each (and runs the script's widgets again inside the "
        f"import). Define {qualname} in a module of its own (for example state.py next to {path}) and "
        "import it from the script and from every page."
    )


def warn_url_collisions(rt: SessionRuntime, schema: StateSchema) -> None:
    """One warning per session for each other class of this run that owns one of ``schema``'s URL params.

    Called on the class's first use in the run, before it counts as synced:
    the classes synced so far are the others this run used.
    """
    if not schema.params:
        return
    for ns in rt.run.synced:
        if ns == schema.namespace:
            continue
        cls = class_for(rt, ns)
        if cls is None:
            continue
        other = cls.__state_schema__
        both = _shared_params(schema, other)
        pair = (min(ns, schema.namespace), max(ns, schema.namespace))
        if not both or pair in rt.collisions_warned:
            continue
        rt.collisions_warned.add(pair)
        params = sorted(both)
        more = f" (and {len(params) - 1} more)" if len(params) > 1 else ""
        warn(
            f"{other.namespace} and {schema.namespace} both use the URL param {params[0]!r}{more}: the last "
            "one written wins the URL, and a link or a reload sets both. Give one of the classes a "
            "Config.url_prefix (or the field another url_key); if they share the value on purpose, name "
            "one in the other's Config.share_url_with."
        )


def _shared_params(a: StateSchema, b: StateSchema) -> frozenset[str]:
    key = (id(a), id(b))
    known = _PAIRS.get(key)
    if known is not None and known[0] is a and known[1] is b:
        return known[2]
    both = frozenset() if shared_on_purpose(a, b) else frozenset(a.params.keys() & b.params.keys())
    if len(_PAIRS) > 4096:
        _PAIRS.clear()
    _PAIRS[key] = (a, b, both)
    return both
