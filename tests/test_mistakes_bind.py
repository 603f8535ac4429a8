"""Mistakes around ``bind()``, written the way users write them (issue 21, points 1, 3 and 4).

* bounds come from the field however ``bind()`` is called: a helper function
  that takes the widget (``bound(st.slider, "Min", "lo")``) hides the call from
  ``bind()``, yet no link, valid or not, makes the page raise;
* a field whose type its widget cannot hold is refused by ``bind()`` with the
  field, its type and a widget that fits, before Streamlit fails in its own words;
* ``bind="query-params"`` beside ``bind()`` is refused wherever it is written;
* a field bound twice without ``key=`` is refused with the ``key=`` hint.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import AppFactory, logged_warnings, query, texts

HELPER = """
import datetime as dt
from typing import Annotated, Literal
import streamlit as st
from pydantic import Field
from st_page_state import PageState, StateVar

Euros = Annotated[int, Field(ge=0, le=5000)]

class F(PageState):
    lo: Euros = StateVar(default=0, url_key="min")
    hi: Euros = StateVar(default=5000, url_key="max")
    rate: Annotated[float, Field(ge=0, le=10)] = StateVar(default=1.0, url_key="rate")
    status: Literal["open", "done", "late"] = StateVar(default="open", url_key="status")
    tags: list[str] = StateVar(default_factory=list, url_key="tag")
    day: dt.date = StateVar(default=dt.date(2024, 6, 1), url_key="day")

def bound(w, label, f, *args, **kwargs):
    return w(label, *args, **kwargs, **F.bind(f))

bound(st.slider, "Min", "lo")
bound(st.number_input, "Max", "hi")
bound(st.slider, "Rate", "rate")
bound(st.selectbox, "Status", "status", ["open", "done"])
bound(st.multiselect, "Tags", "tags", ["bug", "ui"])
bound(st.date_input, "Day", "day", min_value=dt.date(2024, 1, 1), max_value=dt.date(2024, 12, 31))
st.markdown(f"lo={F.lo} hi={F.hi} rate={F.rate} status={F.status} tags={F.tags} day={F.day}")
"""

DEFAULTS = "lo=0 hi=5000 rate=1.0 status=open tags=[] day=2024-06-01"


def no_exception(at: AppTest) -> None:
    assert not at.exception, [e.message for e in at.exception]


def test_a_helper_function_still_gets_the_fields_bounds(make_app: AppFactory) -> None:
    at = make_app(HELPER).run()
    no_exception(at)
    lo, rate = at.slider[0].proto, at.slider[1].proto
    assert (lo.min, lo.max, lo.data_type) == (0, 5000, lo.INT), "not the slider's own 0..100"
    assert (rate.min, rate.max, rate.data_type) == (0.0, 10.0, rate.FLOAT)
    number = at.number_input[0].proto
    assert (number.min, number.max, number.step, number.format, number.data_type) == (0, 5000, 1, "%d", number.INT)


def test_a_valid_link_through_a_helper_opens_as_named(make_app: AppFactory) -> None:
    link = {"min": "1000", "max": "4000", "rate": "7.5", "status": "done", "tag": "ui", "day": "2024-03-03"}
    at = make_app(HELPER, query=link).run()
    no_exception(at)
    assert texts(at) == ["lo=1000 hi=4000 rate=7.5 status=done tags=['ui'] day=2024-03-03"]
    assert at.slider[0].value == 1000 and at.number_input[0].value == 4000
    assert query(at) == {k: [v] for k, v in link.items()}


@pytest.mark.parametrize(
    "link",
    [
        {"min": "9000"},
        {"min": "-1"},
        {"max": "1e999"},
        {"rate": "11"},
        {"rate": "nan"},
        {"status": "late"},  # valid for the field, not offered by the widget
        {"status": "nope"},
        {"tag": ["ui", "zz"]},
        {"day": "2030-01-01"},  # valid for the field, outside the bounds the helper passes
        {"day": "yesterday"},
        {"min": "9" * 400},
    ],
)
def test_no_link_through_a_helper_makes_the_page_raise(
    make_app: AppFactory, link: dict[str, str | list[str]], caplog: pytest.LogCaptureFixture
) -> None:
    at = make_app(HELPER, query=link).run()
    no_exception(at)
    shown = texts(at)[0]
    expected = DEFAULTS if "tag" not in link else DEFAULTS.replace("tags=[]", "tags=['ui']")
    assert shown == expected
    assert logged_warnings(caplog), "each refusal is said"


SELECTS = """
from typing import Literal
import streamlit as st
from st_page_state import PageState, StateVar

class F(PageState):
    status: Literal["open", "done", "late"] = StateVar(default="open", url_key="status")
    tags: list[str] = StateVar(default_factory=list, url_key="tag")

def bound(w, label, f, *args, **kwargs):
    return w(label, *args, **kwargs, **F.bind(f))

bound(st.radio, "Status", "status", ["open", "done"])
bound(st.pills, "Tags", "tags", ["bug", "ui"], selection_mode="multi")
st.markdown(f"status={F.status} tags={F.tags}")
"""


@pytest.mark.parametrize("link", [{"status": "late"}, {"tag": ["zz", "ui"]}, {"status": "done", "tag": "bug"}])
def test_select_widgets_through_a_helper(make_app: AppFactory, link: dict[str, str | list[str]]) -> None:
    at = make_app(SELECTS, query=link).run()
    no_exception(at)
    expected = {"status": link.get("status", "open"), "tag": link.get("tag", [])}
    if expected["status"] == "late":
        expected["status"] = "open"
    if expected["tag"] == ["zz", "ui"]:
        expected["tag"] = ["ui"]
    tags = [expected["tag"]] if isinstance(expected["tag"], str) else expected["tag"]
    assert texts(at) == [f"status={expected['status']} tags={tags}"]


# ------------------------------------------------- a type the widget cannot show
MISFIT = """
import datetime as dt
from typing import Literal
import streamlit as st
from st_page_state import PageState, StateVar

class Trip(PageState):
    filters: dict[str, int] = StateVar(default_factory=dict, url_key="f")
    start: dt.date = StateVar(default=dt.date(2024, 6, 1), url_key="start")
    city: str = StateVar(default="Rome", url_key="city")
    tags: list[str] = StateVar(default_factory=list, url_key="tag")
    size: Literal["S", "M", "L"] = StateVar(default="M", url_key="size")

{line}
"""


@pytest.mark.parametrize(
    ("line", "field", "fits"),
    [
        ('st.text_input("Filters", **Trip.bind("filters"))', "the field is a dict[str, int], and st.text_input", "No input widget"),
        ('st.number_input("Start", **Trip.bind("start"))', "the field is a date, and st.number_input", "st.date_input"),
        ('st.slider("City", **Trip.bind("city"))', "the field is a str, and st.slider", "st.text_input"),
        ('st.selectbox("Tags", ["a", "b"], **Trip.bind("tags"))', "the field is a list[str], and st.selectbox", "st.multiselect"),
        ('st.multiselect("Size", ["S", "M"], **Trip.bind("size"))', "st.multiselect holds a list", "st.text_input"),
        ('st.checkbox("City", **Trip.bind("city"))', "the field is a str, and st.checkbox", "st.text_input"),
        (
            'def bound(w, label, f):\n    return w(label, **Trip.bind(f))\nbound(st.slider, "City", "city")',
            "the field is a str, and st.slider",  # known as the slider is drawn
            "st.text_input",
        ),
    ],
)
def test_a_field_the_widget_cannot_show_is_refused_with_a_widget_that_fits(
    make_app: AppFactory, line: str, field: str, fits: str
) -> None:
    at = make_app(MISFIT.format(line=line)).run()
    assert [e.proto.type.rsplit(".", 1)[-1] for e in at.exception] == ["StateConfigError"]
    message = at.exception[0].message
    assert message.startswith("Trip.bind(") and field in message and fits in message


@pytest.mark.parametrize(
    "line",
    [
        'st.pills("Tags", ["a", "b"], selection_mode="multi", **Trip.bind("tags"))',
        'st.segmented_control("Size", ["S", "M", "L"], **Trip.bind("size"))',
        'st.select_slider("Size", ["S", "M", "L"], **Trip.bind("size"))',
        'st.text_input("Size", **Trip.bind("size"))',  # a Literal of texts is text
        'st.selectbox("Tags", [["a"], ["b", "c"]], **Trip.bind("tags"))',  # options that are lists
        'st.date_input("Start", **Trip.bind("start"))',
        "kwargs = Trip.bind(\"city\")\nst.text_input(\"City\", **kwargs)",  # unknown widget: nothing refused
    ],
)
def test_fitting_and_unknown_widgets_are_never_refused(make_app: AppFactory, line: str) -> None:
    at = make_app(MISFIT.format(line=line)).run()
    no_exception(at)


# ------------------------------------------------------------ bind="query-params"
NATIVE = """
import streamlit as st
from st_page_state import PageState, StateVar

class S(PageState):
    q: str = StateVar(default="", url_key="q")
    n: int = StateVar(default=1, url_key="n")

def bound(w, label, f, **kwargs):
    return w(label, **kwargs, **S.bind(f))

{line}
"""


@pytest.mark.parametrize(
    "line",
    [
        'st.text_input("Search", bind="query-params", **S.bind("q"))',
        'st.text_input("Search", **S.bind("q", bind="query-params"))',
        'bound(st.number_input, "N", "n", bind="query-params")',  # seen as the number input is drawn
    ],
)
def test_streamlit_url_binding_beside_bind_is_refused_at_once(make_app: AppFactory, line: str) -> None:
    at = make_app(NATIVE.format(line=line)).run()
    assert len(at.exception) == 1
    message = at.exception[0].message
    assert "bind='query-params'" in message and "url_key" in message and "Drop bind=" in message
    assert not any(k.startswith("st_page_state") for k in query(at)), "the widget key never reaches the URL"


def test_streamlit_url_binding_bind_cannot_see_is_refused_on_the_next_run(make_app: AppFactory) -> None:
    at = make_app(NATIVE.format(line='bound(st.text_input, "Search", "q", bind="query-params")')).run()
    at.text_input[0].input("abc").run()
    assert len(at.exception) == 1 and "Drop bind=" in at.exception[0].message
    assert not any(k.startswith("st_page_state") for k in query(at))


# ------------------------------------------------------------- one field, two widgets
TWICE = """
import streamlit as st
from st_page_state import PageState, StateVar

class S(PageState):
    q: str = StateVar(default="", url_key="q")

st.sidebar.text_input("Search", **S.bind("q"))
st.text_input("Search", **S.bind("q"{extra}))
st.markdown(f"q={{S.q}}")
"""


def test_binding_one_field_twice_without_key_says_to_pass_key(make_app: AppFactory) -> None:
    at = make_app(TWICE.format(extra="")).run()
    assert len(at.exception) == 1
    message = at.exception[0].message
    assert "S.bind('q') is called for a second widget" in message and "key=" in message
    assert "DuplicateElementKey" not in at.exception[0].proto.type


def test_binding_one_field_twice_with_keys_keeps_both_in_step(make_app: AppFactory) -> None:
    at = make_app(TWICE.format(extra=', key="q_main"')).run()
    no_exception(at)
    at.text_input[1].input("shoes").run()
    assert at.text_input[0].value == "shoes" and texts(at) == ["q=shoes"]


def test_the_streamlit_drawing_methods_the_range_check_wraps_are_there() -> None:
    """Fails loudly when Streamlit moves one: helpers would lose the field's bounds (and could raise).

    (Which releases have them: the ``range_check`` and ``date_range_check`` inventory records.)
    """
    import importlib

    from st_page_state import widget_fallbacks
    from st_page_state._streamlit import widgets
    from st_page_state.widgets.ranges import DRAWN_WIDGETS

    assert widget_fallbacks.watching_drawn_ranges() == DRAWN_WIDGETS
    for _, module, owner, method, _ in widgets._RANGED_WIDGETS:
        drawing = getattr(getattr(importlib.import_module(module), owner), method)
        assert getattr(drawing, widgets._DRAW_MARK, False), f"{owner}.{method} is not checked as it is drawn"
