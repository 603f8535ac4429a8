"""The pure rules behind bounds: what a field declares, what bind() adds to a call, what a widget can show."""

from __future__ import annotations

import datetime as dt
import math
import sys
import textwrap
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

import annotated_types as at
import pytest
from pydantic import BaseModel, Field

from st_page_state.bounds import JS_SAFE_INT, Bounds, allows_inf_nan, field_bounds, has_non_finite, scalar_type
from st_page_state.widgets import call_site
from st_page_state.widgets.ranges import added_arguments, widget_range

EUROS = Annotated[int, Field(ge=0, le=50)]


@pytest.mark.parametrize(
    ("annotation", "bounds"),
    [
        (int, Bounds()),
        (Annotated[int, Field(ge=0, le=10)], Bounds(low=0, high=10)),
        (Annotated[int, Field(gt=0, lt=10)], Bounds(low=1, high=9)),
        (Annotated[float, Field(gt=0.5, le=2)], Bounds(low=0.5, high=2)),
        (Annotated[int, at.Interval(ge=1, le=3)], Bounds(low=1, high=3)),
        (Annotated[int, Field(ge=0), Field(ge=5, le=9)], Bounds(low=5, high=9)),
        (Annotated[int, Field(ge=0, le=10)] | None, Bounds(low=0, high=10)),
        (Annotated[str, Field(max_length=5)], Bounds(max_length=5)),
        (Annotated[dt.date, Field(ge=dt.date(2024, 1, 1))], Bounds(low=dt.date(2024, 1, 1))),
        (tuple[EUROS, EUROS], Bounds(low=0, high=50)),  # a range: the bounds of each end
        (tuple[Annotated[int, Field(ge=0)], Annotated[int, Field(le=9)]], Bounds()),  # not a range
        (tuple[int, int], Bounds()),
    ],
)
def test_field_bounds_come_from_the_annotation(annotation: Any, bounds: Bounds) -> None:
    assert field_bounds(annotation) == bounds


def test_scalar_type_sees_through_optional_annotated_and_ranges() -> None:
    assert scalar_type(Annotated[int, Field(ge=0)] | None) is int
    assert scalar_type(tuple[float, float]) is float
    assert scalar_type(list[int]) == list[int]


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (5, None),
        (-1, "below the minimum 0"),
        (11, "above the maximum 10"),
        ((2, 11), "above the maximum 10"),
        (float("nan"), "not a finite number"),
        (None, None),
        ("text", None),
        (True, None),
    ],
)
def test_violation_names_the_side(value: Any, reason: str | None) -> None:
    assert Bounds(low=0, high=10).violation(value) == reason


def test_violation_and_clamp_of_text_and_mixed_types() -> None:
    assert Bounds(max_length=3).violation("abcd") == "longer than 3 characters"
    assert Bounds(max_length=3).clamp("abcd") == "abc"
    assert Bounds(low=dt.date(2024, 1, 1)).violation(5) is None  # types that do not compare fit
    assert Bounds(low=0, high=10).clamp(99) == 10 and Bounds(low=0.0, high=1.0).clamp(-3.0) == 0.0
    assert Bounds(low=0, high=10).clamp((-1, 99)) == (0, 10)


def test_narrowed_takes_the_tighter_side() -> None:
    assert Bounds(low=0, high=10).narrowed(Bounds(low=3, max_length=2)) == Bounds(low=3, high=10, max_length=2)
    assert not Bounds() and Bounds(high=1)


def test_inf_nan_opt_in_and_detection() -> None:
    assert not allows_inf_nan(float)
    assert allows_inf_nan(Annotated[float, Field(allow_inf_nan=True)])

    class Point(BaseModel):
        x: float

    assert has_non_finite([1.0, math.inf]) and has_non_finite({"a": math.nan}) and has_non_finite(Point(x=math.inf))
    assert has_non_finite(Decimal("NaN")) and not has_non_finite([1.0, Decimal("2"), "nan"])


INT_BOUNDED = Bounds(low=0, high=10)


@pytest.mark.parametrize(
    ("widget", "scalar", "bounds", "written", "added"),
    [
        ("number_input", int, INT_BOUNDED, set(), {"min_value": 0, "max_value": 10, "step": 1, "format": "%d"}),
        ("number_input", int, Bounds(), {"step"}, {"format": "%d"}),
        ("number_input", float, Bounds(low=0), set(), {"min_value": 0.0}),
        ("slider", int, INT_BOUNDED, {"max_value"}, {"min_value": 0}),
        ("slider", float, Bounds(), set(), {"min_value": 0.0, "max_value": 1.0}),
        ("slider", float, Bounds(), {"min_value"}, {}),
        ("selectbox", int, INT_BOUNDED, set(), {}),  # a selectbox takes no min_value
        (None, int, INT_BOUNDED, set(), {}),  # unknown widget: nothing added
        ("text_input", str, Bounds(max_length=5), set(), {"max_chars": 5}),
        ("text_area", str, Bounds(max_length=5), {"max_chars"}, {}),
        ("date_input", dt.date, Bounds(low=dt.date(2024, 1, 1)), set(), {"min_value": dt.date(2024, 1, 1)}),
    ],
)
def test_added_arguments(
    widget: str | None, scalar: Any, bounds: Bounds, written: set[str], added: dict[str, Any]
) -> None:
    result = added_arguments(widget, scalar, bounds, written)
    assert result == added
    assert all(type(result[k]) is type(v) for k, v in added.items())  # 0.0, not 0, for a float slider


@pytest.mark.parametrize(
    ("widget", "scalar", "arguments", "written", "shows"),
    [
        ("slider", int, {}, set(), Bounds(low=0, high=100)),
        ("slider", float, {"min_value": 0.0, "max_value": 5.0}, set(), Bounds(low=0.0, high=5.0)),
        ("slider", int, {"max_value": 9}, {"min_value", "max_value"}, Bounds(high=9)),  # min written, unknown
        ("slider", int, {"min_value": 10, "max_value": 1}, set(), Bounds(low=1, high=10)),
        ("number_input", int, {}, set(), Bounds(low=-JS_SAFE_INT, high=JS_SAFE_INT)),
        ("text_input", str, {"max_chars": 3}, set(), Bounds(max_length=3)),
        ("selectbox", str, {"options": ["a"]}, set(), Bounds()),
        ("slider", dt.date, {}, set(), Bounds()),
    ],
)
def test_widget_range(widget: str, scalar: Any, arguments: dict[str, Any], written: set[str], shows: Bounds) -> None:
    assert widget_range(widget, scalar, arguments, written) == shows


def _site(tmp_path: Path, source: str, **names: Any) -> call_site.CallSite:
    """The call site of the ``bind(...)`` call in ``source``, read as bind() reads it."""
    path = tmp_path / "app.py"
    path.write_text(textwrap.dedent(source))
    found: list[call_site.CallSite] = []

    class S:
        @staticmethod
        def bind(*args: Any, **kwargs: Any) -> dict[str, Any]:
            frame = sys._getframe(1)  # bind()'s caller (the library's bind finds it with caller_frame())
            site = call_site.call_site(frame)
            found.append(site)
            found_values.append(site.values(frame))
            return {}

    found_values: list[dict[str, Any]] = []
    namespace: dict[str, Any] = {"S": S, "st": _FakeStreamlit(), **names}
    exec(compile(path.read_text(), str(path), "exec"), namespace)
    site = found[-1]
    object.__setattr__(site, "_values", found_values[-1])
    return site


class _FakeStreamlit:
    def __getattr__(self, name: str) -> Any:
        return lambda *args, **kwargs: None


def test_call_site_reads_positional_and_keyword_arguments(tmp_path: Path) -> None:
    site = _site(tmp_path, 'st.slider("Days", 0, HIGH, step=2, **S.bind("days"))', HIGH=30)
    assert site.widget == "slider" and site.written == {"label", "min_value", "max_value", "step"}
    assert site._values == {"label": "Days", "min_value": 0, "max_value": 30, "step": 2}  # type: ignore[attr-defined]


def test_call_site_multiline_and_containers(tmp_path: Path) -> None:
    source = """
    col = st
    col.number_input(
        "N",
        -5,
        **S.bind("n"),
    )
    """
    site = _site(tmp_path, source)
    assert site.widget == "number_input" and site._values == {"label": "N", "min_value": -5}  # type: ignore[attr-defined]


def test_call_site_leaves_calls_unevaluated(tmp_path: Path) -> None:
    calls: list[int] = []

    def high() -> int:
        calls.append(1)
        return 9

    site = _site(tmp_path, 'st.slider("Days", 0, high(), **S.bind("days"))', high=high)
    assert "max_value" in site.written and "max_value" not in site._values  # type: ignore[attr-defined]
    assert len(calls) == 1  # only the app's own call ran


@pytest.mark.parametrize(
    "source",
    [
        'kwargs = S.bind("n")\nst.slider("N", **kwargs)',  # kept in a variable first
        'st.not_a_streamlit_widget("N", **S.bind("n"))',
        'st.slider("N", **dict(S.bind("n")))',  # not spread directly
        'st.slider(*["N"], **S.bind("n"))',
    ],
)
def test_call_site_unknown_when_it_cannot_tell(tmp_path: Path, source: str) -> None:
    assert _site(tmp_path, source).widget is None


def test_caller_frame_is_the_first_frame_outside_the_library() -> None:
    assert call_site.caller_frame() is sys._getframe(0)


def test_call_site_without_a_source_file_is_unknown() -> None:
    found: list[call_site.CallSite] = []

    class S:
        @staticmethod
        def bind(*args: Any) -> dict[str, Any]:
            found.append(call_site.call_site(sys._getframe(1)))
            return {}

    exec('st.slider("N", **S.bind("n"))', {"S": S, "st": _FakeStreamlit()})
    assert found == [call_site.UNKNOWN]
