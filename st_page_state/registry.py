"""Which PageState classes exist, by storage namespace.

Holds classes only (code, shared by every session), never values. A class
redefined on a rerun of the main script replaces its old registration under
the same namespace, so reruns do not accumulate classes.
"""

from __future__ import annotations

from .schema import StateClass

_CLASSES: dict[str, StateClass] = {}


def register(namespace: str, cls: StateClass) -> None:
    _CLASSES[namespace] = cls


def lookup(namespace: str) -> StateClass | None:
    return _CLASSES.get(namespace)


def namespaces() -> list[str]:
    return list(_CLASSES)


def count() -> int:
    return len(_CLASSES)


def resolve(ref: object) -> list[str]:
    """Namespaces a ``share_url_with`` entry (a class or a name) refers to."""
    schema = getattr(ref, "__state_schema__", None)
    if schema is not None:
        return [schema.namespace]
    if isinstance(ref, str):
        # A namespace ends with the qualified name: "pages/a.py:Outer.State", "app.state.State".
        return [
            ns
            for ns, cls in _CLASSES.items()
            if ref in (ns, cls.__state_schema__.name) or ns.endswith((f".{ref}", f":{ref}"))
        ]
    return []


def params_of(namespace: str) -> set[str]:
    cls = _CLASSES.get(namespace)
    if cls is None:
        return set()
    return set(cls.__state_schema__.params)
