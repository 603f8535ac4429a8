"""Whether a field's type fits the widget it is bound to, and which widget would.

A field whose type its widget cannot hold fails inside Streamlit, far from
the mistake and in Streamlit's words ("could not convert string to float",
"bad argument type for built-in operation"), or worse, does not fail: a
list in a ``selectbox`` draws, and every pick is refused. ``bind()`` knows
both the field's type and (from the call site, or as the widget is drawn)
the widget, so it says it first, in the field's terms.

Only types known not to fit are refused: a type this module does not
classify (``Any``, a ``UUID``, a union of several types) is left to
Streamlit, so a valid call is never refused. Pure functions of the
annotation and the widget's name.
"""

from __future__ import annotations

import datetime as dt
import enum
import types
import typing
from collections.abc import Collection, Mapping, Sequence
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel

Kind = Literal[
    "str", "int", "float", "bool", "date", "datetime", "time", "choice", "many", "range", "pair", "mapping", "other"
]

_MANY_ORIGINS: tuple[Any, ...] = (list, set, frozenset, Sequence, typing.Sequence, typing.AbstractSet, Collection)

_SUGGESTED: dict[Kind, str] = {
    "str": "Bind it to st.text_input or st.text_area, or to a select widget with options (st.selectbox, "
    "st.radio, st.select_slider)",
    "int": "Bind it to st.number_input or st.slider",
    "float": "Bind it to st.number_input or st.slider",
    "bool": "Bind it to st.checkbox or st.toggle",
    "date": "Bind it to st.date_input",
    "datetime": "Bind it to st.datetime_input",
    "time": "Bind it to st.time_input",
    "choice": "Bind it to st.selectbox, st.radio, st.segmented_control or st.select_slider",
    "many": "Bind it to st.multiselect, or to st.pills / st.segmented_control with selection_mode='multi'",
    "range": "Bind it to a range st.slider (or st.date_input for a pair of dates)",
    "pair": "No widget holds one: bind each part as a field of its own",
    "mapping": "No input widget holds one: bind each part as a field of its own",
}
"""What to do instead, by what the field holds."""

_HOLDS: dict[str, tuple[str, frozenset[Kind]]] = {
    "text_input": ("text (a str)", frozenset({"str"})),
    "text_area": ("text (a str)", frozenset({"str"})),
    "chat_input": ("text (a str)", frozenset({"str"})),
    "color_picker": ("a colour as text (a str)", frozenset({"str"})),
    "tabs": ("the open tab's label (a str)", frozenset({"str"})),
    "number_input": ("a number (int or float)", frozenset({"int", "float", "bool"})),
    "slider": (
        "a number, a date or a time, or a range of them",
        frozenset({"int", "float", "date", "datetime", "time", "range"}),
    ),
    "date_input": ("a date, or a range of dates", frozenset({"date", "datetime", "range"})),
    "datetime_input": ("a date and time", frozenset({"datetime", "date"})),
    "time_input": ("a time of day", frozenset({"time"})),
    "checkbox": ("True or False", frozenset({"bool", "int"})),
    "toggle": ("True or False", frozenset({"bool", "int"})),
    "expander": ("whether it is open (True or False)", frozenset({"bool", "int"})),
    "feedback": ("the index of the chosen icon (an int)", frozenset({"int"})),
    "multiselect": ("a list of options", frozenset({"many"})),
}
"""Per widget: what it holds, in words, and the kinds of field that fit it."""

_SINGLE_CHOICE = frozenset({"selectbox", "radio", "select_slider", "pills", "segmented_control"})
_MULTI_CAPABLE = frozenset({"pills", "segmented_control"})


def kind_of(annotation: Any) -> Kind:
    """What a field holds, as far as widgets care; ``"other"`` when unsure (``Any``, ``UUID``, ``int | str``)."""
    members = _members(annotation)
    if len(members) != 1:
        return "other"
    (bare,) = members
    origin = typing.get_origin(bare)
    args = typing.get_args(bare)
    if origin is Literal:
        if all(isinstance(a, str) for a in args):
            return "str"
        return "bool" if all(isinstance(a, bool) for a in args) else "choice"
    if origin in _MANY_ORIGINS or (origin is tuple and len(args) == 2 and args[1] is Ellipsis):
        return "many"
    if origin is tuple:
        return "range" if len(args) == 2 and args[0] == args[1] else "pair"
    if origin in (dict, Mapping, typing.Mapping):
        return "mapping"
    if origin is not None or not isinstance(bare, type):
        return "other"
    return _kind_of_class(bare)


def _kind_of_class(cls: type) -> Kind:
    checks: tuple[tuple[type | tuple[type, ...], Kind], ...] = (
        (str, "str"),  # str enums too: their members are text
        (bool, "bool"),
        (int, "int"),  # IntEnum too
        ((float, Decimal), "float"),
        (enum.Enum, "choice"),
        (dt.datetime, "datetime"),
        (dt.date, "date"),
        (dt.time, "time"),
        ((list, set, frozenset), "many"),
        ((dict, BaseModel), "mapping"),
    )
    for types_, kind in checks:
        if issubclass(cls, types_):
            return kind
    return "other"


def _members(annotation: Any) -> list[Any]:
    """The annotation's types other than None, ``Annotated`` seen through."""
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    origin = typing.get_origin(annotation)
    if origin is typing.Union or origin is types.UnionType:
        found = []
        for arg in typing.get_args(annotation):
            if arg is type(None):
                continue
            found.extend(_members(arg))
        return found
    return [annotation]


def misfit(widget: str | None, annotation: Any, *, multi: bool, options: Sequence[Any] | None) -> str | None:
    """Why a field annotated ``annotation`` cannot be shown by ``widget``, with a widget that can; None when it fits.

    ``multi``: the call asks for several selections (``selection_mode="multi"``).
    ``options``: the widget's options when known (a select widget whose
    options are themselves lists may hold a list).
    """
    if widget is None:
        return None
    kind = kind_of(annotation)
    if kind == "other":
        return None
    if widget in _HOLDS:
        holds, fits = _HOLDS[widget]
    elif widget in _MULTI_CAPABLE and multi:
        holds, fits = "a list of options (selection_mode='multi')", frozenset({"many"})
    elif widget in _SINGLE_CHOICE:
        if kind != "many" or (options is not None and any(isinstance(o, (list, set, frozenset)) for o in options)):
            return None
        holds = "one of its options" + (" (or a pair, as a range)" if widget == "select_slider" else "")
        fits = frozenset()
    else:
        return None
    if kind in fits:
        return None
    return f"st.{widget} holds {holds}. {_SUGGESTED[kind]}, or change the field's type."
