"""What ``bind()`` adds to a widget call, and the range of values the widget can show.

Both are pure functions of the widget's name (read from the call site, see
:mod:`.call_site`), the field's declared bounds and type, and the arguments
the call already has. Only widgets known to take an argument get it: a
``min_value`` handed to a ``selectbox`` would be a ``TypeError``.

* ``slider`` and ``number_input`` get ``min_value``/``max_value`` from the
  field's ``ge``/``le``; an ``int`` field's ``number_input`` gets ``step=1``
  and ``format="%d"`` (else Streamlit makes it a float input); a ``float``
  field's slider with no range at all gets Streamlit's own float range
  (0.0 to 1.0), which it would otherwise not pick because it infers the
  type from ``min_value``.
* ``date_input``/``datetime_input`` get the field's bounds as
  ``min_value``/``max_value``.
* ``text_input``/``text_area``/``chat_input`` get ``max_chars`` from
  ``max_length``.

The range also counts what the widget imposes by itself: a slider without
``min_value``/``max_value`` spans 0 to 100 (1.0 for floats), and a
``number_input`` holds integers exactly only up to 2**53.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Collection, Mapping
from decimal import Decimal
from typing import Any

from ..bounds import JS_SAFE_INT, Bounds

NUMERIC_WIDGETS = frozenset({"slider", "number_input"})
DATE_WIDGETS = frozenset({"date_input", "datetime_input"})
TEXT_WIDGETS = frozenset({"text_input", "text_area", "chat_input"})
OPTION_WIDGETS = frozenset(
    {"selectbox", "radio", "select_slider", "multiselect", "pills", "segmented_control", "feedback", "tabs"}
)
DRAWN_WIDGETS = NUMERIC_WIDGETS | DATE_WIDGETS
"""Widgets whose range is checked as they are drawn, with their real arguments (``stx.check_ranges_before_drawing``)."""
ANY_VALUE_WIDGETS = TEXT_WIDGETS | {"checkbox", "toggle", "color_picker", "expander", "date_input", "time_input"}
"""Widgets that show whatever valid value of their field they are given."""

_SLIDER_DEFAULTS: dict[type, tuple[Any, Any]] = {int: (0, 100), float: (0.0, 1.0)}
_NUMBER_INPUT_LIMITS: dict[type, tuple[Any, Any]] = {
    int: (-JS_SAFE_INT, JS_SAFE_INT),
    float: (-sys.float_info.max, sys.float_info.max),
}


def _number_type(scalar: Any) -> type | None:
    if scalar is int:
        return int
    if scalar is float or scalar is Decimal:
        return float
    return None


def added_arguments(widget: str | None, scalar: Any, bounds: Bounds, written: Collection[str]) -> dict[str, Any]:
    """The arguments bind() adds to the call of ``widget`` for a field of type ``scalar``.

    ``written`` names the arguments the call (or bind()'s own keyword
    arguments) already has: they are never given twice, and never overridden.
    """
    added: dict[str, Any] = {}
    if widget in NUMERIC_WIDGETS:
        number = _number_type(scalar)
        if number is None:
            return added
        for name, limit in (("min_value", bounds.low), ("max_value", bounds.high)):
            if limit is not None and name not in written:
                added[name] = number(limit)
        if widget == "number_input" and number is int:
            added.update({k: v for k, v in (("step", 1), ("format", "%d")) if k not in written})
        if widget == "slider" and number is float and not ({"min_value", "max_value"} & (written | added.keys())):
            added["min_value"], added["max_value"] = _SLIDER_DEFAULTS[float]
    elif widget in DATE_WIDGETS and isinstance(scalar, type) and issubclass(scalar, dt.date):
        for name, limit in (("min_value", bounds.low), ("max_value", bounds.high)):
            if limit is not None and name not in written:
                added[name] = limit
    elif widget in TEXT_WIDGETS and bounds.max_length is not None and "max_chars" not in written:
        added["max_chars"] = bounds.max_length
    return added


def widget_range(widget: str | None, scalar: Any, arguments: Mapping[str, Any], written: Collection[str]) -> Bounds:
    """The values the widget can show, from the arguments of its call (bind()'s additions included).

    ``arguments`` holds the values known; a name in ``written`` without a
    value was written as an expression bind() does not evaluate, so that
    side of the range is unknown (not the widget's default).
    """
    if widget in TEXT_WIDGETS:
        max_chars = arguments.get("max_chars")
        return Bounds(max_length=max_chars) if isinstance(max_chars, int) else Bounds()
    if widget in DATE_WIDGETS:
        return Bounds(low=_date_or_none(arguments.get("min_value")), high=_date_or_none(arguments.get("max_value")))
    if widget not in NUMERIC_WIDGETS:
        return Bounds()
    number = _number_type(scalar)
    if number is None:  # a date or time slider: its own range follows its value
        return Bounds(low=_date_or_none(arguments.get("min_value")), high=_date_or_none(arguments.get("max_value")))
    own = (_SLIDER_DEFAULTS if widget == "slider" else _NUMBER_INPUT_LIMITS)[number]
    sides: list[Any] = []
    for name, fallback in zip(("min_value", "max_value"), own, strict=True):
        value = arguments.get(name)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            sides.append(value)
        else:
            sides.append(None if name in written else fallback)
    low, high = sides
    if low is not None and high is not None and low > high:
        low, high = high, low  # Streamlit swaps reversed bounds too
    return Bounds(low=low, high=high)


def may_replace(widget: str | None, options_known: bool, checked_when_drawn: bool) -> bool:
    """Whether Streamlit may draw the widget with another value than the one it was given.

    Only such widgets need a look after the run (``sync.fallbacks``): an
    options widget whose options bind() could not read, a numeric widget
    whose range was not checked as it was drawn, or a widget bind() does
    not know.
    """
    if widget in NUMERIC_WIDGETS:
        return not checked_when_drawn
    if widget in OPTION_WIDGETS:
        return not options_known
    return widget not in ANY_VALUE_WIDGETS


def _date_or_none(value: Any) -> Any:
    return value if isinstance(value, (dt.date, dt.time)) else None
