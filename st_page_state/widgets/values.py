"""A field's value as a widget holds it, and the rules for options.

Widgets and fields disagree on a few shapes: a multiselect returns a list
where the field may be a set, a ``number_input`` without integer arguments
hands a float to an ``int`` field, a date range is a 1-tuple while the user
is still picking its second date, and an option the field names may not be
offered by the widget at all. These rules are pure functions of plain
values (no Streamlit call), so they can be read and tested on their own.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import Any

from ..codecs import sorted_members
from ..schema import same_value


def to_widget(value: Any, options: Sequence[Any] | None = None) -> Any:
    """The value to put under a widget's key for a field holding ``value``.

    Sets become lists (no widget takes a set), in the order of ``options``
    when known so a multiselect shows chips in the order it lists them.
    ``Decimal`` becomes ``float``: ``number_input`` and ``slider`` only take
    ``int``/``float``, and pydantic turns the float back into a Decimal.
    """
    if isinstance(value, (set, frozenset)):
        return _ordered(value, options)
    if isinstance(value, list):
        return list(value)
    if isinstance(value, Decimal):
        return float(value)
    return value


def _ordered(values: Iterable[Any], options: Sequence[Any] | None) -> list[Any]:
    members = list(values)
    if options is not None:
        listed = [o for o in options if _contains(members, o)]
        rest = [m for m in members if not _contains(listed, m)]
        return listed + sorted_members(rest)
    return sorted_members(members)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def same_widget_value(a: Any, b: Any) -> bool:
    """Whether a widget showing ``a`` shows the same thing as one showing ``b``.

    Stricter than ``==`` where Python is loose (``True == 1``), looser where
    widgets are: ``5 == 5.0`` (an int field in a float ``number_input``), a
    list equals a tuple with the same items (sliders return tuples), and
    members of two definitions of one Enum are equal by name.
    """
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(same_widget_value(x, y) for x, y in zip(a, b, strict=True))
    if _is_number(a) and _is_number(b):
        return bool(a == b)
    if isinstance(a, Enum) and isinstance(b, Enum):
        # An Enum declared in the script is a new class on every rerun; a
        # widget shows the old and the new member alike.
        return type(a).__qualname__ == type(b).__qualname__ and a.name == b.name
    return same_value(a, b)


def is_incomplete_range(widget_value: Any) -> bool:
    """A range widget mid-selection: ``date_input`` reports a 1-tuple until the second date is picked.

    Such a value is neither adopted nor corrected: resetting the widget would
    make picking a range impossible.
    """
    return isinstance(widget_value, tuple) and len(widget_value) == 1


def _contains(options: Sequence[Any], value: Any) -> bool:
    return any(same_widget_value(value, option) for option in options)


@dataclass(frozen=True)
class OptionFallback:
    """What a field falls back to when its value is not among a widget's options."""

    value: Any
    missing: list[Any]


def check_options(value: Any, default: Any, options: Sequence[Any]) -> OptionFallback | None:
    """``None`` when every part of ``value`` is offered, else the value to fall back to.

    * a list or set keeps the members that are offered (a stale tag in a
      shared link must not empty the whole selection);
    * anything else (one option, or a range tuple) falls back to the field's
      default when the default is offered (or ``None``, which widgets show as
      "nothing selected"), otherwise to the first option, which is what
      Streamlit itself would show.
    """
    if value is None:
        return None
    if isinstance(value, (list, set, frozenset)):
        missing = [v for v in value if not _contains(options, v)]
        if not missing:
            return None
        kept = [v for v in value if _contains(options, v)]
        return OptionFallback(value=type(value)(kept), missing=missing)
    parts = list(value) if isinstance(value, tuple) else [value]
    missing = [p for p in parts if not _contains(options, p)]
    if not missing:
        return None
    if default is None or check_options(default, None, options) is None:
        return OptionFallback(value=default, missing=missing)
    if isinstance(value, tuple):
        if not options:
            return OptionFallback(value=default, missing=missing)
        return OptionFallback(value=(options[0], options[-1]), missing=missing)
    return OptionFallback(value=options[0] if options else None, missing=missing)
