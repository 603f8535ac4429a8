"""``StateVar``: the description of one field of a PageState.

Like pydantic's ``Field``, ``StateVar(...)`` only *describes* a field; it
returns ``Any`` so that ``status: str = StateVar(default="x")`` type-checks
and the annotation stays the single source of the field's type. The class
machinery in ``state.py`` compiles these descriptions once, at class
creation, into :class:`CompiledField` objects that hold the pydantic
adapter and the URL codec.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

HistoryMode = Literal["replace", "push"]


class _Missing:
    """Sentinel for "no default given" (``None`` is a valid default)."""

    _instance: _Missing | None = None

    def __new__(cls) -> _Missing:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"

    def __reduce__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


@dataclass(frozen=True)
class FieldSpec:
    """What the user declared for one field, before compilation."""

    default: Any = MISSING
    default_factory: Callable[[], Any] | None = None
    url_key: str | None = None
    value_map: Mapping[Any, str] | None = None
    history: HistoryMode | None = None
    clear_on_default: bool | None = None
    persist: bool = True
    description: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def has_default(self) -> bool:
        return self.default is not MISSING or self.default_factory is not None

    def make_default(self) -> Any:
        """A fresh default value: mutable defaults are never shared between sessions."""
        if self.default_factory is not None:
            return self.default_factory()
        return copy.deepcopy(self.default)


def StateVar(  # noqa: N802 - named like a class on purpose, as pydantic's Field
    default: Any = MISSING,
    *,
    default_factory: Callable[[], Any] | None = None,
    url_key: str | None = None,
    value_map: Mapping[Any, str] | None = None,
    history: HistoryMode | None = None,
    clear_on_default: bool | None = None,
    persist: bool = True,
    description: str | None = None,
) -> Any:
    """Declare a field of a :class:`~st_page_state.PageState`.

    Args:
        default: The value a new session starts with.
        default_factory: Called to build the default, for mutable values.
        url_key: The query parameter that mirrors the field; ``None`` keeps
            the field out of the URL (it still lives in the session and is
            persisted per tab).
        value_map: ``{internal_value: "url-text"}`` to show friendly text in
            the URL; values missing from the map use the normal encoding.
        history: ``"push"`` or ``"replace"``; overrides ``Config.history``.
        clear_on_default: Omit the param while the value equals the default;
            overrides ``Config.clear_on_default``.
        persist: ``False`` keeps the field out of the persistent store.
        description: Shown in :meth:`PageState.schema`.

    Returns ``Any`` on purpose: the annotation, not this call, gives the
    field its static type.
    """
    if default is not MISSING and default_factory is not None:
        raise TypeError("StateVar() takes either default or default_factory, not both")
    if history not in (None, "replace", "push"):
        raise TypeError(f"StateVar(history=...) must be 'replace' or 'push', not {history!r}")
    if url_key is not None and (not isinstance(url_key, str) or not url_key):
        raise TypeError(f"StateVar(url_key=...) must be a non-empty string, not {url_key!r}")
    if value_map is not None:
        texts = list(value_map.values())
        if all(isinstance(t, str) for t in texts) and len(set(texts)) != len(texts):
            raise TypeError("StateVar(value_map=...) maps two values to the same URL text")
        # Whether the values are URL texts needs the field's type: see compat.orient_value_map.
    return FieldSpec(
        default=default,
        default_factory=default_factory,
        url_key=url_key,
        value_map=dict(value_map) if value_map is not None else None,
        history=history,
        clear_on_default=clear_on_default,
        persist=persist,
        description=description,
    )
