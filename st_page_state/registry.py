"""Which PageState classes exist, by storage namespace.

Holds classes only (code, shared by every session), never values. A class
redefined on a rerun of the main script replaces its old registration under
the same namespace, so reruns do not accumulate classes.
"""

from __future__ import annotations

from .schema import StateClass, StateSchema

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
        return [ns for ns, cls in _CLASSES.items() if refers_to(ref, cls.__state_schema__)]
    return []


def refers_to(ref: object, schema: StateSchema) -> bool:
    """Whether a ``share_url_with`` entry (a class or a name) names the class of ``schema``."""
    other = getattr(ref, "__state_schema__", None)
    if other is not None:
        return bool(other.namespace == schema.namespace)
    if isinstance(ref, str):
        # A namespace ends with the qualified name: "pages/a.py:Outer.State", "app.state.State".
        ns = schema.namespace
        return ref in (ns, schema.name) or ns.endswith((f".{ref}", f":{ref}"))
    return False


def shared_on_purpose(a: StateSchema, b: StateSchema) -> bool:
    """Whether one of two classes lists the other in ``Config.share_url_with``."""
    return any(refers_to(ref, b) for ref in a.config.share_url_with) or any(
        refers_to(ref, a) for ref in b.config.share_url_with
    )


def params_of(namespace: str) -> set[str]:
    cls = _CLASSES.get(namespace)
    if cls is None:
        return set()
    return set(cls.__state_schema__.params)
