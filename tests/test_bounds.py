"""No link can make a page raise: bounds reach the widget, out-of-range values keep the previous value.

The rule (README, "Bounds and out-of-range values"): a URL value outside
the field's bounds, or outside what its widget can show, is refused with a
warning and the field keeps the value it had; the default comes back only
when the previous value does not fit either, and clamping is the last
resort. Never the widget's ``min_value``.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from st_page_state import testing
from tests.conftest import AppFactory, logged_warnings, query, texts

HEAD = """
import datetime as dt
from typing import Annotated
import streamlit as st
from pydantic import Field
from st_page_state import PageState, StateVar
"""

DECLARED = HEAD + """
class S(PageState):
    n: Annotated[int, Field(ge=0, le=10)] = StateVar(default=3, url_key="n")
    ratio: Annotated[float, Field(ge=0, le=2)] = StateVar(default=0.5, url_key="ratio")
    name: Annotated[str, Field(max_length=5)] = StateVar(default="ann", url_key="name")
    day: Annotated[dt.date, Field(ge=dt.date(2024, 1, 1), le=dt.date(2024, 12, 31))] = StateVar(
        default=dt.date(2024, 6, 1), url_key="day"
    )

st.markdown(f"before n={S.n} ratio={S.ratio} name={S.name} day={S.day}")
st.number_input("N", **S.bind("n"))
st.slider("Ratio", **S.bind("ratio"))
st.text_input("Name", **S.bind("name"))
st.date_input("Day", **S.bind("day"))
st.markdown(f"after n={S.n} ratio={S.ratio} name={S.name} day={S.day}")
"""


def no_exception(at: AppTest) -> None:
    assert not at.exception, [e.message for e in at.exception]


def test_declared_bounds_reach_each_widget(make_app: AppFactory) -> None:
    at = make_app(DECLARED).run()
    no_exception(at)
    number = at.number_input[0].proto
    assert (number.min, number.max, number.step, number.format) == (0, 10, 1, "%d")
    assert number.data_type == number.INT and at.number_input[0].value == 3
    slider = at.slider[0].proto
    assert (slider.min, slider.max) == (0.0, 2.0) and slider.data_type == slider.FLOAT
    assert at.text_input[0].proto.max_chars == 5
    assert at.date_input[0].proto.min == "2024-01-01" and at.date_input[0].proto.max == "2024-12-31"


@pytest.mark.parametrize(
    "link",
    [
        {"n": "11"},
        {"n": "-1"},
        {"n": "1e3"},
        {"ratio": "9"},
        {"ratio": "nan"},
        {"ratio": "inf"},
        {"ratio": "-inf"},
        {"ratio": "1e999"},
        {"name": "x" * 6},
        {"day": "1999-01-01"},
        {"n": "9" * 400},
        {"n": "9" * 5000},
        {"name": ["bob", "eve"]},  # a scalar given twice: refused, so the widget and the text agree
        {"name": "[Session expired, log in](https://evil.example/login)" + "x" * 8000},
    ],
)
def test_out_of_range_link_keeps_the_previous_value_and_everything_agrees(
    make_app: AppFactory, link: dict[str, str | list[str]]
) -> None:
    at = make_app(DECLARED, query=link).run()
    no_exception(at)
    expected = "n=3 ratio=0.5 name=ann day=2024-06-01"
    assert texts(at) == [f"before {expected}", f"after {expected}"]
    assert query(at) == {"n": ["3"], "ratio": ["0.5"], "name": ["ann"], "day": ["2024-06-01"]}
    assert len(at.toast) == 1
    toast = testing.toast_texts(at)[0]
    assert toast.startswith("Ignored URL parameter") and len(toast) <= 400


def test_rejecting_one_param_keeps_the_others(make_app: AppFactory) -> None:
    at = make_app(DECLARED, query={"n": "99", "ratio": "1.5", "name": "bob", "day": "2024-02-02"}).run()
    no_exception(at)
    assert texts(at)[-1] == "after n=3 ratio=1.5 name=bob day=2024-02-02"
    assert query(at) == {"n": ["3"], "ratio": ["1.5"], "name": ["bob"], "day": ["2024-02-02"]}


def test_a_later_edit_out_of_range_keeps_the_value_the_user_chose(make_app: AppFactory) -> None:
    at = make_app(DECLARED).run()
    at.number_input[0].set_value(7).run()
    at.query_params["n"] = "12"  # an address-bar edit (AppTest cannot type into the address bar)
    at.run()
    no_exception(at)
    assert texts(at)[0].startswith("before n=7") and at.number_input[0].value == 7 and query(at)["n"] == ["7"]


WIDGET_BOUNDS = HEAD + """
LOW, HIGH = 1, 9

class W(PageState):
    kw: int = StateVar(default=4, url_key="kw")
    pos: int = StateVar(default=4, url_key="pos")
    named: int = StateVar(default=4, url_key="named")
    plain: int = StateVar(default=40, url_key="plain")
    floaty: float = StateVar(default=0.5, url_key="floaty")
    big: int = StateVar(default=1, url_key="big")

st.number_input("kw", **W.bind("kw", min_value=1, max_value=9))
st.slider("pos", 1, 9, **W.bind("pos"))
st.slider("named", LOW, HIGH, **W.bind("named"))
st.slider("plain", **W.bind("plain"))
st.slider("floaty", **W.bind("floaty"))
st.number_input("big", **W.bind("big"))
st.markdown(f"kw={W.kw} pos={W.pos} named={W.named} plain={W.plain} floaty={W.floaty} big={W.big}")
"""


@pytest.mark.parametrize(
    "link",
    [
        {"kw": "20"},
        {"kw": "0"},
        {"pos": "10"},
        {"named": "0"},
        {"plain": "101"},  # a slider without bounds spans 0..100
        {"floaty": "1.5"},  # a float slider without bounds spans 0.0..1.0
        {"big": str(2**60)},  # a browser number holds integers exactly only up to 2**53
    ],
)
def test_widget_bounds_keep_the_previous_value(
    make_app: AppFactory, link: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    at = make_app(WIDGET_BOUNDS, query=link).run()
    no_exception(at)
    assert texts(at) == ["kw=4 pos=4 named=4 plain=40 floaty=0.5 big=1"]
    (param,) = link
    assert query(at)[param] == [{"plain": "40", "floaty": "0.5", "big": "1"}.get(param, "4")]
    # The correction came after the value could have been drawn: the page was drawn again (AppTest
    # shows the last run, so the toast of the first is gone; a browser keeps it on screen).
    (warning,) = logged_warnings(caplog)
    assert warning.startswith(f"Ignored URL parameter {param}=") and "the widget's range" in warning


def test_a_deep_link_restored_over_stored_state_keeps_the_stored_value(make_app: AppFactory) -> None:
    with testing.configured(identity=lambda: "user:1"):
        at = make_app(WIDGET_BOUNDS).run()
        at.number_input[0].set_value(6).run()
        again = testing.reload(at, query={"kw": "99"}).run()
        no_exception(again)
        assert texts(again)[0].startswith("kw=6")


UNSEEN = HEAD + """
def high() -> int:
    return 9

class U(PageState):
    days: int = StateVar(default=4, url_key="days")

st.markdown(f"before days={U.days}")
st.slider("days", 1, high(), **U.bind("days"))
st.markdown(f"after days={U.days}")
"""


def test_bounds_bind_cannot_read_never_raise_and_the_page_redraws_in_agreement(
    make_app: AppFactory, caplog: pytest.LogCaptureFixture
) -> None:
    """``high()`` is not evaluated by bind(); the range is checked as the slider is drawn."""
    at = make_app(UNSEEN, query={"days": "500"}).run()
    no_exception(at)
    assert texts(at) == ["before days=4", "after days=4"]
    assert query(at) == {"days": ["4"]}
    (warning,) = logged_warnings(caplog)
    assert "above the maximum 9" in warning
    at.query_params["days"] = "0"  # a later edit: refused by the range the slider was drawn with
    at.run()
    assert texts(at) == ["before days=4", "after days=4"] and query(at) == {"days": ["4"]}


def test_nan_is_accepted_by_a_field_that_opts_in(make_app: AppFactory) -> None:
    source = HEAD + """
class F(PageState):
    limit: Annotated[float, Field(allow_inf_nan=True)] = StateVar(default=1.0, url_key="limit")

st.markdown(f"limit={F.limit}")
"""
    at = make_app(source, query={"limit": "inf"}).run()
    no_exception(at)
    assert texts(at) == ["limit=inf"] and not at.toast


def test_a_value_that_cannot_be_stored_does_not_stop_the_rest_of_its_class(make_app: AppFactory) -> None:
    source = HEAD + """
class F(PageState):
    limit: Annotated[float, Field(allow_inf_nan=True)] = StateVar(default=1.0, url_key="limit")
    note: str = StateVar(default="", url_key=None)

if st.button("go"):
    F.note = "kept"
st.markdown(f"limit={F.limit} note={F.note}")
"""
    with testing.configured(identity=lambda: "user:2"):
        at = make_app(source, query={"limit": "inf"}).run()
        at.button[0].click().run()
        no_exception(at)
        again = testing.reload(at, query={}).run()
        no_exception(again)
        assert texts(again) == ["limit=1.0 note=kept"]
