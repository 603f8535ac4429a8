"""The pure rules behind bind()'s type check: what a field holds, and whether a widget can show it."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Sequence
from decimal import Decimal
from typing import Annotated, Any, Literal
from uuid import UUID

import pytest
from pydantic import BaseModel, Field

from st_page_state.widgets.fit import kind_of, misfit


class Sort(enum.Enum):
    NAME = "name"


class Level(enum.IntEnum):
    LOW = 1


class Color(enum.StrEnum):
    RED = "red"


class Point(BaseModel):
    x: int = 0


@pytest.mark.parametrize(
    ("annotation", "kind"),
    [
        (str, "str"),
        (Annotated[str, Field(max_length=5)] | None, "str"),
        (Literal["a", "b"], "str"),
        (Color, "str"),
        (Literal[True, False], "bool"),
        (Literal[1, 2], "choice"),
        (Sort, "choice"),
        (Level, "int"),
        (bool, "bool"),
        (int, "int"),
        (Decimal, "float"),
        (float | None, "float"),
        (dt.datetime, "datetime"),
        (dt.date, "date"),
        (dt.time, "time"),
        (list[str], "many"),
        (set[int], "many"),
        (tuple[str, ...], "many"),
        (Sequence[str], "many"),
        (list[str] | None, "many"),
        (tuple[int, int], "range"),
        (tuple[dt.date, dt.date], "range"),
        (tuple[int, str], "pair"),
        (dict[str, int], "mapping"),
        (Point, "mapping"),
        (UUID, "other"),
        (Any, "other"),
        (int | str, "other"),
    ],
)
def test_kind_of(annotation: Any, kind: str) -> None:
    assert kind_of(annotation) == kind


@pytest.mark.parametrize(
    ("widget", "annotation", "multi", "options"),
    [
        ("text_input", str | None, False, None),
        ("text_input", Literal["a", "b"], False, None),
        ("number_input", Decimal, False, None),
        ("number_input", Level, False, None),
        ("slider", tuple[float, float], False, None),
        ("slider", dt.time, False, None),
        ("date_input", tuple[dt.date, dt.date], False, None),
        ("date_input", dt.date | None, False, None),
        ("checkbox", bool, False, None),
        ("selectbox", Sort, False, None),
        ("selectbox", list[str], False, [["a"], ["b"]]),  # options that are lists
        ("select_slider", tuple[int, int], False, None),
        ("multiselect", set[str], False, None),
        ("pills", list[str], True, None),
        ("pills", str, False, None),
        ("feedback", int | None, False, None),
        ("tabs", str, False, None),
        ("data_editor", dict[str, int], False, None),  # a widget the check does not know
        (None, dict[str, int], False, None),  # the widget is not known
        ("text_input", UUID, False, None),  # a type the check does not judge
    ],
)
def test_fitting_or_unknown_is_never_refused(widget: str | None, annotation: Any, multi: bool, options: Any) -> None:
    assert misfit(widget, annotation, multi=multi, options=options) is None


@pytest.mark.parametrize(
    ("widget", "annotation", "multi", "says"),
    [
        ("text_input", dict[str, int], False, "No input widget holds one"),
        ("number_input", dt.date, False, "st.date_input"),
        ("slider", str, False, "st.text_input"),
        ("selectbox", list[str], False, "st.multiselect"),
        ("radio", set[str], False, "st.multiselect"),
        ("multiselect", str, False, "st.text_input"),
        ("pills", str, True, "st.text_input"),
        ("checkbox", str, False, "st.text_input"),
        ("time_input", dt.date, False, "st.date_input"),
        ("date_input", tuple[int, str], False, "bind each part"),
    ],
)
def test_a_misfit_names_what_the_widget_holds_and_a_widget_that_fits(
    widget: str, annotation: Any, multi: bool, says: str
) -> None:
    problem = misfit(widget, annotation, multi=multi, options=None)
    assert problem is not None and problem.startswith(f"st.{widget} holds ") and says in problem
