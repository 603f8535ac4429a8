"""``StateVar``: the description of one field of a PageState.

Like pydantic's ``Field``, ``StateVar(...)`` only *describes* a field; the
class machinery in ``state.py`` compiles descriptions once, at class
creation, into :class:`~st_page_state.schema.CompiledField` objects that
hold the pydantic adapter and the URL codec.

Its overloads return the type of the default (or of what the factory
builds), so a type checker holds the annotation and the default to each
other: ``page: int = StateVar(default="one")`` is a type error, while the
annotation stays the field's declared type for every read.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from typing import Any, Literal, NamedTuple, TypeVar, overload

from .missing import MISSING, Missing

HistoryMode = Literal["replace", "push"]

_T = TypeVar("_T")


class FieldSpec(NamedTuple):
    """What the user declared for one field, before compilation.

    A tuple, so that a class the main script defines again on every run is
    recognised as unchanged by one C-level comparison of its fields' specs.
    """

    default: Any = MISSING
    default_factory: Callable[[], Any] | None = None
    url_key: str | None = None
    value_map: Mapping[Any, str] | None = None
    history: HistoryMode | None = None
    clear_on_default: bool | None = None
    persist: bool = True
    description: str | None = None
    error_message: str | None = None

    def has_default(self) -> bool:
        return self.default is not MISSING or self.default_factory is not None

    def make_default(self) -> Any:
        """A fresh default value: mutable defaults are never shared between sessions."""
        if self.default_factory is not None:
            return self.default_factory()
        return copy.deepcopy(self.default)


_new_spec = tuple.__new__
"""Builds a FieldSpec from a tuple of all its fields in C (``FieldSpec(...)`` goes through a Python ``__new__``)."""


@overload
def StateVar(  # noqa: N802
    default: _T,
    *,
    url_key: str | None = None,
    value_map: Mapping[Any, str] | None = None,
    history: HistoryMode | None = None,
    clear_on_default: bool | None = None,
    persist: bool = True,
    description: str | None = None,
    error_message: str | None = None,
) -> _T: ...


@overload
def StateVar(  # noqa: N802
    *,
    default_factory: Callable[[], _T],
    url_key: str | None = None,
    value_map: Mapping[Any, str] | None = None,
    history: HistoryMode | None = None,
    clear_on_default: bool | None = None,
    persist: bool = True,
    description: str | None = None,
    error_message: str | None = None,
) -> _T: ...


def StateVar(  # noqa: N802 - named like a class on purpose, as pydantic's Field
    default: Any | Missing = MISSING,
    *,
    default_factory: Callable[[], Any] | None = None,
    url_key: str | None = None,
    value_map: Mapping[Any, str] | None = None,
    history: HistoryMode | None = None,
    clear_on_default: bool | None = None,
    persist: bool = True,
    description: str | None = None,
    error_message: str | None = None,
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
        error_message: What a person is told when a value they entered (in a
            bound widget, or in a link) does not fit the field, instead of
            pydantic's reason: ``"Enter an e-mail address like ada@example.com"``.
            :meth:`PageState.errors` returns it for the field.

    Returns the description (a :class:`FieldSpec`); statically, the type of
    the default, so the annotation and the default must agree.
    """
    if (
        default_factory is not None
        or history is not None
        or value_map is not None
        or (url_key is not None and (url_key.__class__ is not str or not url_key))
        or (error_message is not None and (error_message.__class__ is not str or not error_message))
    ):
        _check(default, default_factory, history, url_key, value_map)
        if error_message is not None and (not isinstance(error_message, str) or not error_message):
            raise TypeError(f"StateVar(error_message=...) must be a non-empty string, not {error_message!r}")
    return _new_spec(
        FieldSpec,
        (
            default,
            default_factory,
            url_key,
            dict(value_map) if value_map is not None else None,
            history,
            clear_on_default,
            persist,
            description,
            error_message,
        ),
    )


def _check(
    default: Any,
    default_factory: Callable[[], Any] | None,
    history: object,
    url_key: object,
    value_map: Mapping[Any, str] | None,
) -> None:
    """StateVar's checks of its less common arguments.

    The common call skips them: a class the main script defines runs
    StateVar for every field on every rerun.
    """
    if default is not MISSING and default_factory is not None:
        raise TypeError("StateVar() takes either default or default_factory, not both")
    if default_factory is not None and not callable(default_factory):
        raise TypeError(f"StateVar(default_factory=...) must be callable, not {default_factory!r}")
    if history not in (None, "replace", "push"):
        raise TypeError(f"StateVar(history=...) must be 'replace' or 'push', not {history!r}")
    if url_key is not None and (not isinstance(url_key, str) or not url_key):
        raise TypeError(f"StateVar(url_key=...) must be a non-empty string, not {url_key!r}")
    if value_map is not None:
        texts = list(value_map.values())
        if all(isinstance(t, str) for t in texts) and len(set(texts)) != len(texts):
            raise TypeError("StateVar(value_map=...) maps two values to the same URL text")
        # Whether the values are URL texts needs the field's type: see v02.values.orient_value_map.
