"""Widget value shapes and option rules (``widgets/values.py``) as tables: pure functions, no session."""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal
from typing import Any

import pytest

from st_page_state.widgets.values import check_options, is_incomplete_range, same_widget_value, to_widget


class Color(enum.Enum):
    RED = "red"
    BLUE = "blue"


def redefined_color() -> type[enum.Enum]:
    """The same Enum declared again, as a rerun of the main script does (a new class, same qualified name)."""
    return enum.Enum("Color", {"RED": "red", "BLUE": "blue"}, qualname="Color")  # type: ignore[return-value]


TO_WIDGET = [
    ("a set becomes a list in option order", {"c", "a"}, ["a", "b", "c"], ["a", "c"]),
    ("a set without options is sorted", {"c", "a"}, None, ["a", "c"]),
    ("members not offered follow the offered ones", {"z", "a"}, ["b", "a"], ["a", "z"]),
    ("an unorderable set is ordered by its URL text", {Color.RED, Color.BLUE}, None, [Color.BLUE, Color.RED]),
    ("a list is copied", ["b", "a"], None, ["b", "a"]),
    ("a Decimal becomes a float", Decimal("1.5"), None, 1.5),
    ("anything else is unchanged", dt.date(2024, 1, 2), None, dt.date(2024, 1, 2)),
]


@pytest.mark.parametrize(("value", "options", "expected"), [r[1:] for r in TO_WIDGET], ids=[r[0] for r in TO_WIDGET])
def test_to_widget(value: Any, options: list[Any] | None, expected: Any) -> None:
    result = to_widget(value, options)
    assert result == expected and type(result) is type(expected)


SAME = [
    ("int and float alike", 5, 5.0, True),
    ("bool is not an int", True, 1, False),
    ("list equals tuple with the same items", [1, 2], (1, 2), True),
    ("order matters in lists", [1, 2], [2, 1], False),
    ("members of a redefined Enum are equal by name", Color.RED, redefined_color()["RED"], True),
    ("different members differ", Color.RED, Color.BLUE, False),
    ("strings", "a", "a", True),
    ("None and empty string differ", None, "", False),
]


@pytest.mark.parametrize(("a", "b", "same"), [r[1:] for r in SAME], ids=[r[0] for r in SAME])
def test_same_widget_value(a: Any, b: Any, same: bool) -> None:
    assert same_widget_value(a, b) is same
    assert same_widget_value(b, a) is same


@pytest.mark.parametrize(
    ("value", "incomplete"),
    [((dt.date(2024, 1, 1),), True), ((dt.date(2024, 1, 1), dt.date(2024, 1, 2)), False), ((), False), ("x", False)],
)
def test_incomplete_range(value: Any, incomplete: bool) -> None:
    assert is_incomplete_range(value) is incomplete


OPTIONS = [
    # (case, value, default, options, fallback value or None when offered, missing)
    ("offered", "a", "a", ["a", "b"], None, None),
    ("None is never checked", None, "a", ["a"], None, None),
    ("not offered: the default", "z", "a", ["a", "b"], "a", ["z"]),
    ("default not offered either: the first option", "z", "y", ["a", "b"], "a", ["z"]),
    ("default None: None (nothing selected)", "z", None, ["a"], None, ["z"]),
    ("a list keeps the offered members", ["a", "z"], [], ["a", "b"], ["a"], ["z"]),
    ("a set keeps the offered members", {"a", "z"}, set(), ["a"], {"a"}, ["z"]),
    ("a range not offered: the whole span", ("a", "z"), ("x", "y"), ["a", "b", "c"], ("a", "c"), ["z"]),
    ("no options at all", "z", "y", [], None, ["z"]),
]


@pytest.mark.parametrize(
    ("value", "default", "options", "fallback", "missing"), [r[1:] for r in OPTIONS], ids=[r[0] for r in OPTIONS]
)
def test_check_options(value: Any, default: Any, options: list[Any], fallback: Any, missing: list[Any] | None) -> None:
    result = check_options(value, default, options)
    if missing is None:
        assert result is None
    else:
        assert result is not None and result.value == fallback and result.missing == missing
