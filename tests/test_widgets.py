"""Every Streamlit input widget bound to a typed field, driven the way a user drives it.

Each case binds one widget to field ``S.v`` (URL param ``v``), changes the
widget through AppTest, and checks the three places the value must reach:
the field as the script reads it, the session runtime that stores it, and
the URL.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from streamlit.proto.WidgetStates_pb2 import WidgetStates
from streamlit.testing.v1 import AppTest

from st_page_state import testing
from tests.conftest import AppFactory, query, texts

HEADER = """
import datetime as dt
import enum
from decimal import Decimal
from typing import Literal
import streamlit as st
from st_page_state import PageState, StateVar

class Color(enum.Enum):
    RED = "red"
    GREEN = "green"
    BLUE = "blue"
"""


class Color(enum.Enum):  # same values as the app's, for expected values
    RED = "red"
    GREEN = "green"
    BLUE = "blue"


def app(decl: str, widget: str, extra: str = "") -> str:
    """An app with one state ``S`` holding ``decl`` and the ``widget`` lines."""
    return f"""{HEADER}
class S(PageState):
    {decl}
{extra}
{widget}
st.markdown(f"field={{S.v!r}}")
"""


def stored(at: AppTest, field: str = "v", cls: str = "S", script: str = "app.py") -> Any:
    """The field's value as the session runtime stores it (what survives unrendered widgets)."""
    return testing.runtime_of(at).values[f"{script}:{cls}"][field]


def same(actual: Any, expected: Any) -> bool:
    """Equal and of the same type; enums by name, since the app defines its own enum class."""
    if isinstance(expected, enum.Enum):
        return type(actual).__name__ == type(expected).__name__ and actual.name == expected.name
    return type(actual) is type(expected) and bool(actual == expected)


def field_text(at: AppTest) -> str:
    return next(t for t in texts(at) if t.startswith("field="))


def key_of(field: str = "v", cls: str = "S", script: str = "app.py") -> str:
    return f"st_page_state:{script}:{cls}.{field}"


def send_block_state(at: AppTest, block_id: str, **value: Any) -> AppTest:
    """Rerun with a tabs/expander state change, as the browser sends it (AppTest has no API for it)."""
    states = WidgetStates()
    states.CopyFrom(at._tree.get_widget_states())
    state = states.widgets.add()
    state.id = block_id
    for name, v in value.items():
        setattr(state, name, v)
    return at._run(states)


def switch_tab(at: AppTest, label: str) -> AppTest:
    container = next(node for node in at._tree if getattr(node, "type", None) == "tab_container")
    return send_block_state(at, container.proto.tab_container.id, string_value=label)


def toggle_expander(at: AppTest, expanded: bool) -> AppTest:
    return send_block_state(at, at.expander[0].proto.id, bool_value=expanded)


@dataclass
class Case:
    decl: str
    widget: str
    act: Callable[[AppTest], AppTest]
    value: Any
    url: list[str]


D1, D2, D3 = dt.date(2024, 1, 1), dt.date(2024, 1, 5), dt.date(2025, 3, 9)
ABC = '["a", "b", "c"]'

CASES: dict[str, Case] = {
    "text_input": Case(
        'v: str = StateVar(default="", url_key="v")',
        'st.text_input("Search", **S.bind("v"))',
        lambda at: at.text_input[0].input("shoes").run(),
        "shoes",
        ["shoes"],
    ),
    "text_area": Case(
        'v: str = StateVar(default="", url_key="v")',
        'st.text_area("Note", **S.bind("v"))',
        lambda at: at.text_area[0].input("two\nlines").run(),
        "two\nlines",
        ["two\nlines"],
    ),
    "number_input_int": Case(
        'v: int = StateVar(default=1, url_key="v")',
        'st.number_input("Page", min_value=1, step=1, **S.bind("v"))',
        lambda at: at.number_input[0].increment().run(),
        2,
        ["2"],
    ),
    "number_input_float": Case(
        'v: float = StateVar(default=1.5, url_key="v")',
        'st.number_input("Price", step=0.25, **S.bind("v"))',
        lambda at: at.number_input[0].set_value(2.75).run(),
        2.75,
        ["2.75"],
    ),
    "number_input_decimal": Case(
        'v: Decimal = StateVar(default=Decimal("1.10"), url_key="v")',
        'st.number_input("Amount", step=0.01, **S.bind("v"))',
        lambda at: at.number_input[0].set_value(2.35).run(),
        Decimal("2.35"),
        ["2.35"],
    ),
    "slider": Case(
        'v: int = StateVar(default=5, url_key="v")',
        'st.slider("Level", 0, 10, **S.bind("v"))',
        lambda at: at.slider[0].set_value(8).run(),
        8,
        ["8"],
    ),
    "slider_dates": Case(
        'v: dt.date = StateVar(default=dt.date(2024, 3, 1), url_key="v")',
        'st.slider("Day", min_value=dt.date(2024, 1, 1), max_value=dt.date(2024, 12, 31), **S.bind("v"))',
        lambda at: at.slider[0].set_value(dt.date(2024, 5, 5)).run(),
        dt.date(2024, 5, 5),
        ["2024-05-05"],
    ),
    "slider_range": Case(
        'v: tuple[int, int] = StateVar(default=(2, 8), url_key="v")',
        'st.slider("Span", 0, 10, **S.bind("v"))',
        lambda at: at.slider[0].set_range(3, 6).run(),
        (3, 6),
        ["3", "6"],
    ),
    "select_slider": Case(
        'v: Literal["S", "M", "L"] = StateVar(default="M", url_key="v")',
        'st.select_slider("Size", options=["S", "M", "L"], **S.bind("v"))',
        lambda at: at.select_slider[0].set_value("L").run(),
        "L",
        ["L"],
    ),
    "selectbox": Case(
        'v: str = StateVar(default="pending", url_key="v")',
        'st.selectbox("Status", ["pending", "active", "done"], **S.bind("v"))',
        lambda at: at.selectbox[0].select("active").run(),
        "active",
        ["active"],
    ),
    "selectbox_enum": Case(
        "v: Color = StateVar(default=Color.RED, url_key='v')",
        'st.selectbox("Color", list(Color), format_func=lambda c: c.name.title(), **S.bind("v"))',
        lambda at: at.selectbox[0].select_index(2).run(),
        Color.BLUE,
        ["blue"],
    ),
    "multiselect_list": Case(
        'v: list[str] = StateVar(default_factory=lambda: ["a"], url_key="v")',
        f'st.multiselect("Tags", {ABC}, **S.bind("v"))',
        lambda at: at.multiselect[0].select("c").run(),
        ["a", "c"],
        ["a", "c"],
    ),
    "multiselect_set": Case(
        'v: set[str] = StateVar(default_factory=lambda: {"b"}, url_key="v")',
        f'st.multiselect("Tags", {ABC}, **S.bind("v"))',
        lambda at: at.multiselect[0].select("a").run(),
        {"a", "b"},
        ["a", "b"],
    ),
    "radio": Case(
        'v: str = StateVar(default="free", url_key="v")',
        'st.radio("Plan", ["free", "pro"], **S.bind("v"))',
        lambda at: at.radio[0].set_value("pro").run(),
        "pro",
        ["pro"],
    ),
    "checkbox": Case(
        'v: bool = StateVar(default=False, url_key="v")',
        'st.checkbox("Agree", **S.bind("v"))',
        lambda at: at.checkbox[0].check().run(),
        True,
        ["true"],
    ),
    "toggle": Case(
        'v: bool = StateVar(default=True, url_key="v")',
        'st.toggle("Dark", **S.bind("v"))',
        lambda at: at.toggle[0].set_value(False).run(),
        False,
        ["false"],
    ),
    "date_input": Case(
        'v: dt.date = StateVar(default=dt.date(2024, 1, 1), url_key="v")',
        'st.date_input("Day", **S.bind("v"))',
        lambda at: at.date_input[0].set_value(D3).run(),
        D3,
        ["2025-03-09"],
    ),
    "date_input_range": Case(
        'v: tuple[dt.date, dt.date] = StateVar(default=(dt.date(2024, 1, 1), dt.date(2024, 1, 5)), url_key="v")',
        'st.date_input("Period", **S.bind("v"))',
        lambda at: at.date_input[0].set_value((D2, D3)).run(),
        (D2, D3),
        ["2024-01-05", "2025-03-09"],
    ),
    "time_input": Case(
        'v: dt.time = StateVar(default=dt.time(9, 0), url_key="v")',
        'st.time_input("At", **S.bind("v"))',
        lambda at: at.time_input[0].set_value(dt.time(17, 45)).run(),
        dt.time(17, 45),
        ["17:45:00"],
    ),
    "datetime_input": Case(
        'v: dt.datetime = StateVar(default=dt.datetime(2024, 1, 1, 9, 0), url_key="v")',
        'st.datetime_input("When", **S.bind("v"))',
        lambda at: at.datetime_input[0].set_value(dt.datetime(2025, 3, 9, 18, 5)).run(),
        dt.datetime(2025, 3, 9, 18, 5),
        ["2025-03-09T18:05:00"],
    ),
    "color_picker": Case(
        'v: str = StateVar(default="#000000", url_key="v")',
        'st.color_picker("Color", **S.bind("v"))',
        lambda at: at.color_picker[0].pick("#ff8800").run(),
        "#ff8800",
        ["#ff8800"],
    ),
    "pills_single": Case(
        "v: str | None = StateVar(default=None, url_key='v')",
        f'st.pills("Pick", {ABC}, **S.bind("v"))',
        lambda at: at.pills[0].set_value("b").run(),
        "b",
        ["b"],
    ),
    "pills_multi": Case(
        'v: list[str] = StateVar(default_factory=list, url_key="v")',
        f'st.pills("Picks", {ABC}, selection_mode="multi", **S.bind("v"))',
        lambda at: at.pills[0].set_value(["a", "c"]).run(),
        ["a", "c"],
        ["a", "c"],
    ),
    "segmented_control_single": Case(
        'v: str = StateVar(default="chart", url_key="v")',
        'st.segmented_control("View", ["chart", "table"], **S.bind("v"))',
        lambda at: at.segmented_control[0].set_value("table").run(),
        "table",
        ["table"],
    ),
    "segmented_control_multi": Case(
        'v: set[str] = StateVar(default_factory=set, url_key="v")',
        f'st.segmented_control("Layers", {ABC}, selection_mode="multi", **S.bind("v"))',
        lambda at: at.segmented_control[0].set_value(["c", "a"]).run(),
        {"a", "c"},
        ["a", "c"],
    ),
    "feedback": Case(
        "v: int | None = StateVar(default=None, url_key='v')",
        'st.feedback("stars", **S.bind("v"))',
        lambda at: at.feedback[0].set_value(3).run(),
        3,
        ["3"],
    ),
    "tabs": Case(
        'v: str = StateVar(default="Chart", url_key="v")',
        'chart, data = st.tabs(["Chart", "Data"], **S.bind("v"))\nst.markdown(f"open={chart.open},{data.open}")',
        lambda at: switch_tab(at, "Data"),
        "Data",
        ["Data"],
    ),
    "expander": Case(
        'v: bool = StateVar(default=False, url_key="v")',
        'with st.expander("Details", **S.bind("v")) as box:\n    st.write("details")\nst.markdown(f"open={box.open}")',
        lambda at: toggle_expander(at, True),
        True,
        ["true"],
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_widget_change_reaches_field_session_and_url(make_app: AppFactory, case: Case) -> None:
    at = make_app(app(case.decl, case.widget)).run()
    assert not at.exception, [e.message for e in at.exception]
    default = stored(at)
    assert query(at)["v"] != case.url or case.url == [""], "the case must change the value"

    at = case.act(at)
    assert not at.exception, [e.message for e in at.exception]
    assert not at.toast, [t.value for t in at.toast]
    if not isinstance(case.value, set):  # a set's repr has no stable order
        assert field_text(at) == f"field={case.value!r}"
    assert same(stored(at), case.value)
    assert query(at)["v"] == case.url
    assert not same(stored(at), default)

    at.run()  # an idle rerun keeps everything as it is
    assert same(stored(at), case.value)
    assert query(at)["v"] == case.url
    assert not at.toast, [t.value for t in at.toast]


def test_tabs_and_expander_report_open_state(make_app: AppFactory) -> None:
    at = make_app(app(CASES["tabs"].decl, CASES["tabs"].widget)).run()
    assert "open=True,False" in texts(at)
    switch_tab(at, "Data")
    assert "open=False,True" in texts(at)

    at = make_app(app(CASES["expander"].decl, CASES["expander"].widget)).run()
    assert "open=False" in texts(at)
    toggle_expander(at, True)
    assert "open=True" in texts(at)


@pytest.mark.parametrize(
    "case, query_text, expected",
    [
        ("selectbox", "done", "done"),
        ("multiselect_set", ["a", "c"], {"a", "c"}),
        ("slider_range", ["1", "9"], (1, 9)),
        ("date_input_range", ["2023-02-01", "2023-02-03"], (dt.date(2023, 2, 1), dt.date(2023, 2, 3))),
        ("pills_single", "c", "c"),
        ("feedback", "4", 4),
        ("tabs", "Data", "Data"),
        ("expander", "true", True),
    ],
)
def test_deep_link_shows_in_the_widget(make_app: AppFactory, case: str, query_text: Any, expected: Any) -> None:
    at = make_app(app(CASES[case].decl, CASES[case].widget), query={"v": query_text}).run()
    assert not at.exception
    assert stored(at) == expected
    assert at.session_state[key_of()] == (sorted(expected) if isinstance(expected, set) else expected)
