"""``PageState.bind``: make a Streamlit input widget a two-way view of a field.

The field's own storage never depends on the widget's key: Streamlit deletes
a widget's key when the widget is not rendered, while the field must keep
its value (conditional UI, tabs, page switches).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from .schema import CompiledField, same_value
from .session import runtime


def widget_key(cls: type, f: CompiledField) -> str:
    """A stable, readable widget key that cannot collide with another class's."""
    return f"st_page_state:{cls.__state_schema__.namespace}.{f.name}"  # type: ignore[attr-defined]


def bind_kwargs(cls: Any, f: CompiledField, value: Any, widget_kwargs: dict[str, Any]) -> dict[str, Any]:
    rt = runtime()
    values = rt.touch(cls)
    key = widget_key(cls, f)
    current = values[f.name]
    state = st.session_state
    if key not in state or not same_value(state[key], current):
        state[key] = current
    user_callback: Callable[..., Any] | None = widget_kwargs.pop("on_change", None)
    args = widget_kwargs.pop("args", ())
    kwargs = widget_kwargs.pop("kwargs", {})

    def on_change() -> None:
        runtime().set_value(cls, f.name, st.session_state[key])
        if user_callback is not None:
            user_callback(*args, **kwargs)

    return {"key": key, "on_change": on_change, **widget_kwargs}
