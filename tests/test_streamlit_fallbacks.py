"""Each Streamlit internal switched off, one at a time: the fallback the inventory names keeps the app working.

``capabilities.forced(<entry>=False)`` makes the package act as on a
Streamlit without that internal (the probe's answer, not the internal, is
changed), and a small app runs through AppTest, or the function is called
directly. :func:`fallback_of` registers each test under its inventory
entry, and a test checks that every entry has one.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import inspect
import threading
from collections.abc import Callable, Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.testing.v1 import AppTest

from st_page_state import _streamlit as stx
from st_page_state import testing
from st_page_state._streamlit import capabilities, client, delivery, elements, query_params
from st_page_state._streamlit.capabilities import DETECTED
from st_page_state._streamlit.inventory import INVENTORY
from tests.conftest import AppFactory, bridge_data, query, texts, url_writes

TESTED: dict[str, list[str]] = {}


def fallback_of(*names: str) -> Callable[[Callable[..., None]], Any]:
    """Register the test as the fallback test of inventory entries ``names``.

    A test that takes the ``forced`` fixture runs once per entry, with that
    entry switched off.
    """

    def register(test: Callable[..., None]) -> Any:
        for name in names:
            TESTED.setdefault(name, []).append(test.__name__)
        if "forced" in inspect.signature(test).parameters:
            return pytest.mark.parametrize("forced", names, indirect=True)(test)
        return test

    return register


def test_every_inventory_entry_has_a_fallback_test() -> None:
    assert sorted(TESTED) == sorted(entry.name for entry in INVENTORY)


@pytest.fixture
def forced(request: pytest.FixtureRequest) -> Iterator[str]:
    """Switch off the inventory entry ``request.param`` for the test."""
    name: str = request.param
    with capabilities.forced(**{name: None if isinstance(getattr(DETECTED, name), str) else False}):
        yield name


COUNTER = """
import streamlit as st
from st_page_state import PageState, StateVar

class S(PageState):
    n: int = StateVar(default=0, url_key="n")
    pick: str = StateVar(default="a", url_key="pick")

if st.button("add"):
    S.n += 1
st.selectbox("pick", ["a", "b", "c"], **S.bind("pick"))
st.text_input("Search", key="search", bind="query-params")
st.markdown(f"n={S.n} pick={S.pick}")
"""


def no_exception(at: AppTest) -> None:
    assert not at.exception, [e.message for e in at.exception]


def exercise(make_app: AppFactory) -> AppTest:
    """A deep link, a click, a bound widget, an address-bar edit: state, page and URL agree at each step."""
    at = make_app(COUNTER, query={"n": "5", "search": "shoes"}).run()
    no_exception(at)
    assert texts(at) == ["n=5 pick=a"]
    assert query(at) == {"n": ["5"], "search": ["shoes"], "pick": ["a"]}
    writes = url_writes(at)
    at.button[0].click().run()
    no_exception(at)
    assert texts(at) == ["n=6 pick=a"] and query(at)["n"] == ["6"]
    assert url_writes(at) == writes + 1, "one URL write for the run's change"
    at.selectbox[0].select("c").run()
    no_exception(at)
    assert query(at) == {"n": ["6"], "search": ["shoes"], "pick": ["c"]}, "the natively bound param stays"
    at.query_params["n"] = "9"
    at.run()
    no_exception(at)
    assert texts(at) == ["n=9 pick=c"] and query(at)["n"] == ["9"]
    return at


# ------------------------------------------------------------------ run
@fallback_of("run_context")
def test_without_the_run_context_the_import_refuses_naming_it() -> None:
    """The one required entry: there is no run without it, so st-page-state refuses to import."""
    with pytest.raises(ImportError, match="run_context"):
        capabilities.require(dataclasses.replace(DETECTED, run_context=False))


MARKERS = """
import streamlit as st
from st_page_state import _streamlit as stx
ctx = stx.current_context()
assert stx.run_marker(ctx) is stx.run_marker(ctx)
st.session_state.setdefault("contexts", []).append(ctx)
st.session_state.setdefault("markers", []).append(stx.run_marker(ctx))
if len(st.session_state.markers) < 3:
    st.rerun()  # the next run on the same script runner, and so on the same context
"""


@fallback_of("run_cursors")
def test_runs_are_told_apart_by_the_marker_the_run_start_hook_renews(make_app: AppFactory, forced: str) -> None:
    at = make_app(MARKERS).run()
    no_exception(at)
    markers, contexts = at.session_state["markers"], at.session_state["contexts"]
    assert len(markers) == 3 and all(context is contexts[0] for context in contexts)
    assert all(a is not b for a, b in zip(markers, markers[1:], strict=False)), "each run its own marker"
    assert all(type(marker) is object for marker in markers), "the renewed marker, not ctx.cursors"
    exercise(make_app)


@pytest.fixture
def public_writes(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, list[str]]]:
    """The queries written through ``st.query_params`` (the fallback path), recorded."""
    written: list[dict[str, list[str]]] = []
    write = query_params._write_public

    def recorded(query: Any, bound: set[str]) -> None:
        written.append(dict(query))
        write(query, bound)

    monkeypatch.setattr(query_params, "_write_public", recorded)
    return written


@fallback_of("session_state_unlocked", "query_params_object")
def test_query_params_go_through_st_query_params(
    make_app: AppFactory, forced: str, public_writes: list[dict[str, list[str]]]
) -> None:
    exercise(make_app)
    assert public_writes and public_writes[-1] == {"n": ["6"], "pick": ["c"]}


@fallback_of("query_params_dict")
def test_query_params_are_read_and_written_through_the_public_api(
    make_app: AppFactory, forced: str, public_writes: list[dict[str, list[str]]]
) -> None:
    exercise(make_app)
    assert len(public_writes) == 3, "the first run's, the click's and the widget's; the edit needs none"


@fallback_of("page_info_message")
def test_the_url_is_written_through_st_query_params(
    make_app: AppFactory, forced: str, public_writes: list[dict[str, list[str]]]
) -> None:
    exercise(make_app)
    assert public_writes


@fallback_of("query_param_bindings")
def test_params_bound_by_widgets_survive_though_their_binding_is_unknown(make_app: AppFactory, forced: str) -> None:
    at = exercise(make_app)
    assert stx.bound_params(SimpleNamespace()) == set()  # type: ignore[arg-type]
    assert not stx.is_bound_natively(SimpleNamespace(), "search")  # type: ignore[arg-type]
    at.button[0].click().run()
    no_exception(at)
    assert query(at)["search"] == ["shoes"], "Streamlit refuses to drop it, and the refusal is skipped"


NATIVE_MIX = """
import streamlit as st
from st_page_state import PageState, StateVar

class S(PageState):
    q: str = StateVar(default="", url_key="q")

def bound(w, label, f, **kwargs):
    return w(label, **kwargs, **S.bind(f))

{line}
st.markdown(f"q={{S.q}}")
"""


@fallback_of("query_param_bindings")
def test_url_binding_beside_bind_is_refused_only_where_bind_reads_it(make_app: AppFactory, forced: str) -> None:
    at = make_app(NATIVE_MIX.format(line='st.text_input("Search", bind="query-params", **S.bind("q"))')).run()
    assert [e.message for e in at.exception if "Drop bind=" in e.message], "read in the call: refused"
    at = make_app(NATIVE_MIX.format(line='bound(st.text_input, "Search", "q", bind="query-params")')).run()
    at.text_input[0].input("abc").run()
    no_exception(at)
    assert texts(at) == ["q=abc"], "the documented loss: a helper's bind= goes unrefused (Streamlit binds the key)"


HISTORY = """
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx
from st_page_state import PageState, StateVar

get_script_run_ctx().is_history_navigation = st.session_state.get("back", False)

class S(PageState):
    class Config:
        history = "push"
    page: int = StateVar(default=1, url_key="page")

if st.button("next"):
    S.page += 1
st.markdown(f"page={S.page}")
"""


@fallback_of("history_navigation")
def test_back_counts_as_an_edit_and_page_and_url_still_agree(make_app: AppFactory, forced: str) -> None:
    assert not stx.is_history_navigation(SimpleNamespace(is_history_navigation=True))  # type: ignore[arg-type]
    at = make_app(HISTORY).run()
    at.button[0].click().run()
    at.button[0].click().run()
    at.session_state["back"] = True
    at.query_params["page"] = "2"  # Back: an earlier write, read as a stale echo (the documented loss)
    at.run()
    no_exception(at)
    assert texts(at) == [f"page={query(at)['page'][0]}"], "the page shows what the URL says"
    at.session_state["back"] = False
    at.query_params["page"] = "7"  # an edit to a URL the session never wrote is adopted
    at.run()
    assert texts(at) == ["page=7"] and query(at) == {"page": ["7"]}


NAV = """
import streamlit as st
from st_page_state import PageState, StateVar
st.navigation([st.Page("one.py"), st.Page("two.py")]).run()
"""
PAGE = """
import streamlit as st
from st_page_state import PageState, StateVar
class P(PageState):
    {field}: int = StateVar(default=1, url_key="{field}")
st.number_input("{field}", step=1, **P.bind("{field}"))
st.markdown(f"{field}={{P.{field}}}")
"""


@fallback_of("page_url_path")
def test_a_page_switch_is_sent_without_its_path(make_app: AppFactory, forced: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the page's URL path the bridge is told only that a switch happened (it pairs by order)."""
    from st_page_state import bridge

    monkeypatch.setattr(bridge, "available", lambda: True)
    at = make_app(NAV, **{"one.py": PAGE.format(field="a"), "two.py": PAGE.format(field="b")}).run()
    at.switch_page("two.py").run()
    no_exception(at)
    assert stx.page_url_path(SimpleNamespace()) is None  # type: ignore[arg-type]
    data = bridge_data(at)
    assert data is not None and data["switch"] is True and "page" not in data
    assert texts(at) == ["b=1"]


@fallback_of("page_script_hash")
def test_pages_keep_their_state_across_switches(make_app: AppFactory, forced: str) -> None:
    at = make_app(NAV, **{"one.py": PAGE.format(field="a"), "two.py": PAGE.format(field="b")}).run()
    assert stx.page_id(SimpleNamespace()) == ""  # type: ignore[arg-type]
    at.number_input[0].set_value(3).run()
    at.switch_page("two.py").run()
    no_exception(at)
    assert texts(at) == ["b=1"] and query(at)["b"] == ["1"]
    at.switch_page("one.py").run()
    no_exception(at)
    assert texts(at) == ["a=3"] and query(at)["a"] == ["3"]


@fallback_of("fragment_runs")
def test_a_fragment_run_counts_as_a_full_run(make_app: AppFactory, forced: str) -> None:
    from tests.test_fragments import APP, run_fragment
    from tests.test_widgets import stored

    assert not stx.is_fragment_run(SimpleNamespace(fragment_ids_this_run=["f"]))  # type: ignore[arg-type]
    at = make_app(APP).run()
    at.selectbox[1].select("q")
    at = run_fragment(at)
    no_exception(at)
    assert stored(at, "b", "Inside") == "q" and query(at)["b"] == ["q"]


OFFERED = """
import streamlit as st
from st_page_state import PageState, StateVar

def offered() -> list[str]:
    return ["a", "b"]

class S(PageState):
    pick: str = StateVar(default="a", url_key="pick")

st.markdown(f"before pick={S.pick}")
st.selectbox("pick", offered(), **S.bind("pick"))
"""


@fallback_of("rerun_request")
def test_a_value_corrected_after_its_widget_shows_from_the_next_run(make_app: AppFactory, forced: str) -> None:
    assert not stx.request_rerun(SimpleNamespace(script_requests=object()))  # type: ignore[arg-type]
    at = make_app(OFFERED, query={"pick": "zzz"}).run()
    no_exception(at)
    assert query(at) == {"pick": ["a"]}, "the URL shows the value the widget fell back to"
    at.run()
    assert texts(at) == ["before pick=a"]


# ------------------------------------------------------------------ hooks
@fallback_of("run_end_hook")
def test_without_a_run_end_the_state_lives_in_the_session(make_app: AppFactory, forced: str) -> None:
    """No run ever ends: nothing is written, and the app works on its session state (a link read first)."""
    at = make_app(COUNTER, query={"n": "5"}).run()
    no_exception(at)
    assert texts(at) == ["n=5 pick=a"]
    at.button[0].click().run()
    at.selectbox[0].select("c").run()
    no_exception(at)
    assert texts(at) == ["n=6 pick=c"] and at.selectbox[0].value == "c"
    assert query(at) == {"n": ["5"]} and url_writes(at) == 0, "the documented loss: no URL write"


@fallback_of("run_start_hook")
def test_nothing_is_published_and_reads_take_the_slow_path(make_app: AppFactory, forced: str) -> None:
    assert not stx.install_run_start_hook(SimpleNamespace(), lambda: None)  # type: ignore[arg-type]
    at = exercise(make_app)
    assert testing.runtime_of(at).run.publishing is False  # type: ignore[union-attr]


# ------------------------------------------------------------------ widgets
ORDER = """
import streamlit as st
from st_page_state import PageState, StateVar
from st_page_state import _streamlit as stx

class S(PageState):
    pick: str = StateVar(default="a", url_key="pick")

st.selectbox("pick", ["a", "b"], **S.bind("pick"))
key = S.bind("pick")["key"]
st.markdown(f"drawn={stx.widget_rendered_this_run(stx.current_context(), key)}")
"""


@fallback_of("widget_id_of_key", "widgets_drawn")
def test_no_widget_counts_as_drawn_and_bound_widgets_still_follow(make_app: AppFactory, forced: str) -> None:
    at = make_app(ORDER).run()
    assert texts(at) == ["drawn=False"]
    if not capabilities.CURRENT.widgets_drawn:
        assert stx.drawn_widget_ids(SimpleNamespace()) == frozenset()  # type: ignore[arg-type]
    exercise(make_app)


@fallback_of("widget_metadata", "element_capture", "element_resend")
def test_the_url_element_is_drawn_by_its_component_call_in_every_run(make_app: AppFactory, forced: str) -> None:
    at = make_app(COUNTER).run()
    for _ in range(2):
        at.run()
        assert bridge_data(at) is not None and bridge_data(at)["expected"] == "n=0&pick=a"  # type: ignore[index]
    at.button[0].click().run()
    assert bridge_data(at)["expected"] == "n=1&pick=a"  # type: ignore[index]
    message = ForwardMsg()
    message.delta.new_element.bidi_component.id = "X"
    element = stx.SentElement(message, frozenset({"X"}))
    ctx: Any = SimpleNamespace()
    if forced == "element_resend":
        assert element.with_json("{}").message.hash == "", "Streamlit hashes it as it is sent"
    if forced == "element_capture":
        assert stx.capture_element(ctx, lambda: None) is None, "nothing captured: nothing to send again"
    else:
        assert not stx.send_again(ctx, elements.EventSlot(None, None), element)


@fallback_of("presenter")
def test_the_url_element_keeps_streamlits_presenter(forced: str) -> None:
    meta = SimpleNamespace(presenter=lambda base, state: base)
    state = SimpleNamespace(get_widget_metadata=lambda widget_id: meta, _get_widget_metadata=lambda widget_id: meta)
    message = ForwardMsg()
    message.delta.new_element.bidi_component.id = "X"
    ctx = SimpleNamespace(session_state=SimpleNamespace(_state=state))
    stx.present_only_with_triggers(ctx, stx.SentElement(message, frozenset({"X", "X__events"})))  # type: ignore[arg-type]
    assert not hasattr(meta.presenter, stx.PRESENT_MARK)


@pytest.fixture
def undrawn(monkeypatch: pytest.MonkeyPatch) -> None:
    """The ranged widgets' drawing methods as Streamlit has them, no range check installed yet (both undone after)."""
    import importlib

    from st_page_state import widget_fallbacks as fallbacks
    from st_page_state._streamlit import widgets

    for _, module, owner, method, _ in widgets._RANGED_WIDGETS:
        cls = getattr(importlib.import_module(module), owner)
        drawing = getattr(cls, method)
        monkeypatch.setattr(cls, method, getattr(drawing, "__wrapped__", drawing))
    monkeypatch.setattr(fallbacks, "_watching", [])


@fallback_of("range_check")
def test_bind_checks_the_bounds_it_reads_in_the_source(make_app: AppFactory, forced: str, undrawn: None) -> None:
    from streamlit.elements.widgets.slider import SliderMixin

    from st_page_state import widget_fallbacks as fallbacks

    assert fallbacks.watching_drawn_ranges() == {"date_input", "datetime_input"}, "the date widgets still are"
    app = COUNTER.replace('st.markdown(f"n=', 'st.slider("n", 0, 10, **S.bind("n"))\nst.markdown(f"n=')
    at = make_app(app, query={"n": "50"}).run()
    no_exception(at)
    assert texts(at) == ["n=0 pick=a"] and query(at)["n"] == ["0"], "refused by the bounds written in the call"
    assert not getattr(SliderMixin._slider, "_st_page_state_range_check", False)
    helper = app.replace('st.slider("n", 0, 10, **S.bind("n"))', 'bound(st.slider, "n")').replace(
        "if st.button", 'def bound(w, label):\n    return w(label, **S.bind("n"))\n\nif st.button'
    )
    at = make_app(helper, query={"n": "150"}).run()
    assert [e for e in at.exception if "StreamlitValueAboveMaxError" in e.proto.type], (
        "the documented loss: a helper's slider keeps its own 0-100, and a value above raises"
    )


DATES = """
import datetime as dt
import streamlit as st
from st_page_state import PageState, StateVar

class S(PageState):
    day: dt.date = StateVar(default=dt.date(2024, 6, 1), url_key="day")
    at: dt.datetime = StateVar(default=dt.datetime(2024, 6, 1, 9, 0), url_key="at")

def bound(w, label, f, **kwargs):
    return w(label, **kwargs, **S.bind(f))

low, high = dt.date(2024, 1, 1), dt.date(2024, 12, 31)
first, last = dt.datetime(2000, 1, 1), dt.datetime(2099, 12, 31)  # Streamlit checks the default (now) too
{lines}
st.markdown(f"day={{S.day}} at={{S.at:%Y-%m-%dT%H:%M}}")
"""


@fallback_of("date_range_check")
def test_bind_checks_the_date_bounds_it_reads_in_the_source(make_app: AppFactory, forced: str, undrawn: None) -> None:
    from streamlit.elements.widgets.slider import SliderMixin
    from streamlit.elements.widgets.time_widgets import TimeWidgetsMixin

    from st_page_state import widget_fallbacks as fallbacks

    assert fallbacks.watching_drawn_ranges() == {"slider", "number_input"}, "sliders and number inputs still are"
    written = DATES.format(
        lines='st.date_input("Day", min_value=low, max_value=high, **S.bind("day"))\n'
        'st.datetime_input("At", min_value=first, max_value=last, **S.bind("at"))'
    )
    at = make_app(written, query={"day": "2030-01-01", "at": "2100-01-01T10:00:00"}).run()
    no_exception(at)
    assert texts(at) == ["day=2024-06-01 at=2024-06-01T09:00"], "refused by the bounds written in the call"
    assert query(at)["day"] == ["2024-06-01"]
    drawing = (TimeWidgetsMixin._date_input, TimeWidgetsMixin._datetime_input, SliderMixin._slider)
    assert [getattr(d, "_st_page_state_range_check", False) for d in drawing] == [False, False, True]
    helper = DATES.format(
        lines='bound(st.datetime_input, "At", "at", min_value=first, max_value=last)\n'
        'bound(st.date_input, "Day", "day", min_value=low, max_value=high)'
    )
    at = make_app(helper, query={"at": "2100-01-01T10:00:00"}).run()
    no_exception(at)
    shown = dt.datetime.fromisoformat(texts(at)[0].split("at=")[1])
    assert abs(shown - dt.datetime.now()) < dt.timedelta(minutes=5), "the documented loss: the time now, not 9:00"
    at = make_app(helper, query={"day": "2030-01-01"}).run()
    # Streamlit names the error StreamlitValueAboveMaxError since 1.56; 1.55 raises the generic API error.
    raised = [e.proto.type.rsplit(".", 1)[-1] for e in at.exception]
    assert raised and raised[0] in {"StreamlitValueAboveMaxError", "StreamlitAPIException"}, (
        "the documented loss: a date outside bounds bind() cannot read makes st.date_input raise"
    )
    assert "2024-12-31" in at.exception[0].value


@fallback_of("options_list")
def test_options_in_plain_containers_are_read_and_others_checked_after_the_draw(
    make_app: AppFactory, forced: str
) -> None:
    assert stx.options_list(("a", "b")) == ["a", "b"] and stx.options_list({"a": 1}) == ["a"]
    assert stx.options_list(range(2)) == [0, 1] and stx.options_list("stars") is None
    assert stx.options_list(iter(["a"])) is None, "an iterable the fallback cannot read twice is not read"
    app = COUNTER.replace('**S.bind("pick")', '**S.bind("pick", options=("a", "b", "c"))').replace(
        '["a", "b", "c"], ', ""
    )
    at = make_app(app, query={"pick": "zzz"}).run()
    no_exception(at)
    assert texts(at) == ["n=0 pick=a"] and query(at)["pick"] == ["a"]


EVERY_WIDGET = """
import datetime
import streamlit as st
from st_page_state import PageState, StateVar

class W(PageState):
    text: str = StateVar(default="", url_key="text")
    area: str = StateVar(default="", url_key="area")
    number: int = StateVar(default=0, url_key="number")
    slide: int = StateVar(default=0, url_key="slide")
    sel_slide: str = StateVar(default="a", url_key="sel_slide")
    select: str = StateVar(default="a", url_key="select")
    multi: list[str] = StateVar(default=[], url_key="multi")
    radio: str = StateVar(default="a", url_key="radio")
    check: bool = StateVar(default=False, url_key="check")
    toggle: bool = StateVar(default=False, url_key="toggle")
    day: datetime.date = StateVar(default=datetime.date(2026, 1, 1), url_key="day")
    clock: datetime.time = StateVar(default=datetime.time(9, 0), url_key="clock")
    color: str = StateVar(default="#000000", url_key="color")
    pills: str | None = StateVar(default=None, url_key="pills")
    segment: str | None = StateVar(default=None, url_key="segment")

def draw():
    st.text_input("text", **W.bind("text"))
    st.text_area("area", **W.bind("area"))
    st.number_input("number", step=1, **W.bind("number"))
    st.slider("slide", 0, 10, **W.bind("slide"))
    st.select_slider("sel_slide", ["a", "b"], **W.bind("sel_slide"))
    st.selectbox("select", ["a", "b"], **W.bind("select"))
    st.multiselect("multi", ["a", "b"], **W.bind("multi"))
    st.radio("radio", ["a", "b"], **W.bind("radio"))
    st.checkbox("check", **W.bind("check"))
    st.toggle("toggle", **W.bind("toggle"))
    st.date_input("day", **W.bind("day"))
    st.time_input("clock", **W.bind("clock"))
    st.color_picker("color", **W.bind("color"))
    st.pills("pills", ["a", "b"], **W.bind("pills"))
    st.segmented_control("segment", ["a", "b"], **W.bind("segment"))

if st.session_state.get("in_form"):
    with st.form("f"):
        draw()
        st.form_submit_button("save")
else:
    draw()
st.markdown(repr(W.dump()))
"""
CHANGES: list[tuple[str, int, Any, str, list[str]]] = [
    ("text_input", 0, "hi", "text", ["hi"]),
    ("text_area", 0, "long", "area", ["long"]),
    ("number_input", 0, 4, "number", ["4"]),
    ("slider", 0, 7, "slide", ["7"]),
    ("select_slider", 0, "b", "sel_slide", ["b"]),
    ("selectbox", 0, "b", "select", ["b"]),
    ("multiselect", 0, ["a", "b"], "multi", ["a", "b"]),
    ("radio", 0, "b", "radio", ["b"]),
    ("checkbox", 0, True, "check", ["true"]),
    ("toggle", 0, True, "toggle", ["true"]),
    ("date_input", 0, "2026-02-03", "day", ["2026-02-03"]),
    ("time_input", 0, "10:30", "clock", ["10:30:00"]),
    ("color_picker", 0, "#ff8800", "color", ["#ff8800"]),
    ("button_group", 0, "b", "pills", ["b"]),
    ("button_group", 1, "b", "segment", ["b"]),
]
"""(AppTest element kind, index, new value, field, value the field then holds) for each widget of EVERY_WIDGET."""


def _as_value(kind: str, value: Any) -> Any:
    import datetime

    if kind == "date_input":
        return datetime.date.fromisoformat(value)
    if kind == "time_input":
        return datetime.time.fromisoformat(value)
    return value


def _changed_everywhere(make_app: AppFactory, in_form: bool) -> AppTest:
    at = make_app(EVERY_WIDGET)
    at.session_state["in_form"] = in_form
    at.run()
    no_exception(at)
    for kind, index, value, _, _ in CHANGES:
        getattr(at, kind)[index].set_value(_as_value(kind, value))
        if not in_form:
            at.run()
            no_exception(at)
    if in_form:
        at.button[0].click().run()
        no_exception(at)
    assert {param: query(at).get(param) for _, _, _, param, _ in CHANGES} == {
        param: url for _, _, _, param, url in CHANGES
    }
    return at


@pytest.mark.parametrize("in_form", [False, True], ids=["page", "form"])
def test_every_input_widget_takes_what_bind_passes_on_this_streamlit(make_app: AppFactory, in_form: bool) -> None:
    """The rule of ``rerun_mode`` on the installed release: each widget changed, in the page and in a form,
    and no TypeError, no refused mode, no form callback error (what 1.55-1.65 gave with ``"rerun"``)."""
    _changed_everywhere(make_app, in_form)
    for widget in ("text_area", "radio", "checkbox", "multiselect", "color_picker", "pills", "feedback"):
        expected = "rerun" if widget in DETECTED.rerun_widgets else None
        assert stx.on_change_mode(widget) == expected, widget
    assert stx.on_change_mode("tabs") == stx.on_change_mode("expander") == "rerun", "None is refused there"


@fallback_of("rerun_mode")
@pytest.mark.parametrize("in_form", [False, True], ids=["page", "form"])
def test_widgets_that_do_not_take_rerun_get_none(make_app: AppFactory, forced: str, in_form: bool) -> None:
    """None, Streamlit's older spelling of ``"rerun"``, works in every widget and form; tabs keep ``"rerun"``."""
    assert stx.on_change_mode("checkbox") is None and stx.on_change_mode(None) is None
    assert stx.on_change_mode("tabs") == "rerun"
    _changed_everywhere(make_app, in_form)
    with capabilities.forced(rerun_mode="some", rerun_widgets=frozenset({"slider", "text_input"})):
        assert [stx.on_change_mode(w) for w in ("slider", "text_input", "radio", None, "file_uploader")] == [
            "rerun",
            "rerun",
            None,
            None,
            None,
        ], "a release where some widgets take it: those, and None for the others and for a widget not known"
    with capabilities.forced(rerun_mode="every"):
        assert stx.on_change_mode(None) == stx.on_change_mode("file_uploader") == "rerun"


TABS = """
import streamlit as st
from st_page_state import PageState, StateVar

class T(PageState):
    tab: str = StateVar(default="One", url_key="tab")

one, two = st.tabs(["One", "Two"], **T.bind("tab"))
st.markdown(f"tab={T.tab}")
"""


@fallback_of("bound_containers")
def test_binding_tabs_where_streamlit_cannot_follow_them_is_a_clear_error(make_app: AppFactory, forced: str) -> None:
    from st_page_state.errors import StateConfigError

    with pytest.raises(StateConfigError, match=r"st\.tabs of Streamlit .* takes no key"):
        stx.on_change_mode("tabs")
    at = make_app(TABS).run()
    assert at.exception and "takes no key" in at.exception[0].message
    assert stx.on_change_mode("selectbox") in ("rerun", None), "other widgets are not concerned"


# ------------------------------------------------------------------ elements
SLOT = COUNTER + """
from st_page_state import _streamlit as stx
st.markdown(f"slot={stx.event_slot().path}")
"""


@fallback_of("event_slot")
def test_the_bridge_elements_go_to_the_main_container(make_app: AppFactory, forced: str) -> None:
    at = make_app(SLOT).run()
    no_exception(at)
    assert texts(at)[-1] == "slot=None", "an st.empty() of the main container"
    assert bridge_data(at)["expected"] == "n=0&pick=a"  # type: ignore[index]
    at.button[0].click().run()
    assert bridge_data(at)["expected"] == "n=1&pick=a"  # type: ignore[index]


@fallback_of("toast_delta")
def test_an_interrupted_run_keeps_no_element_where_streamlit_keeps_no_toast(
    forced: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before 1.62 Streamlit drops an interrupted run's toasts too: nothing kept, so no gap before a kept toast."""
    from streamlit.runtime import forward_msg_queue
    from streamlit.runtime.forward_msg_queue import ForwardMsgQueue

    from st_page_state.bridge import TAB_KEY, is_tab_element

    monkeypatch.setattr(forward_msg_queue, "_is_toast_delta", lambda msg: False, raising=False)  # an older one
    stx.keep_through_interrupts(is_tab_element)
    assert forward_msg_queue._is_toast_delta(ForwardMsg()) is False and not hasattr(
        forward_msg_queue._is_toast_delta, "_st_page_state"
    )
    queue = ForwardMsgQueue()
    for index, kind in enumerate(["tab", "toast"]):
        msg = ForwardMsg()
        msg.metadata.delta_path[:] = [2, index]
        if kind == "tab":
            msg.delta.new_element.bidi_component.id = f"$$ID-0123-{TAB_KEY}"
        else:
            msg.delta.new_element.toast.body = "Ignored URL parameter"
        queue.enqueue(msg)
    queue.clear(retain_lifecycle_msgs=True)
    assert list(queue.flush()) == []


# ------------------------------------------------------------------ delivery and the client
class _Session:
    def __init__(self) -> None:
        self.flushed = 0

    def on_flushed_messages_sent(self) -> None:
        self.flushed += 1


@fallback_of("flush_notification")
def test_the_url_is_not_waited_for(forced: str, monkeypatch: pytest.MonkeyPatch) -> None:
    session = _Session()
    monkeypatch.setattr(delivery, "browser_session", lambda ctx: session)
    done = threading.Event()

    def run() -> None:
        with stx.delivered(SimpleNamespace(), wait=True):  # type: ignore[arg-type]
            pass
        done.set()

    run()
    assert done.is_set() and "on_flushed_messages_sent" not in vars(session), "nothing wrapped, no wait"


class _Manager:
    def is_active_session(self, session_id: str) -> bool:
        return False

    def get_active_session_info(self, session_id: str) -> Any:
        return SimpleNamespace(client=object(), session="the session")


@fallback_of("session_manager")
def test_every_session_counts_as_connected(monkeypatch: pytest.MonkeyPatch) -> None:
    from streamlit.runtime import Runtime

    runtime = SimpleNamespace(_session_mgr=_Manager())
    monkeypatch.setattr(Runtime, "exists", staticmethod(lambda: True))
    monkeypatch.setattr(Runtime, "instance", staticmethod(lambda: runtime))
    ctx: Any = SimpleNamespace(session_id="s")
    assert not stx.session_connected("s") and stx.browser_session(ctx) == "the session"
    with capabilities.forced(session_manager=False):
        assert stx.session_connected("s") and stx.browser_session(ctx) is None


@fallback_of("xsrf_cookie")
def test_no_browser_key_without_the_xsrf_cookie(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(client, "cookies", lambda: {"_streamlit_xsrf": "plain-token"})
    assert stx.browser_key() == "plain-token"
    with capabilities.forced(xsrf_cookie=False):
        assert stx.browser_key() is None


REAL = """
import streamlit as st
from st_page_state import _streamlit as stx
st.markdown(f"real={stx.is_real_server()}")
"""


@fallback_of("app_test_mode")
def test_apptests_mock_runtime_is_not_a_server(
    make_app: AppFactory, forced: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from streamlit import config

    asked: list[str] = []
    get_option = config.get_option
    monkeypatch.setattr(config, "get_option", lambda key: asked.append(key) or get_option(key))
    at = make_app(REAL).run()
    assert texts(at) == ["real=False"] and "global.appTest" not in asked, "told by the runtime's type"
    exercise(make_app)


@fallback_of("apptest_script_path")
def test_reload_says_which_internal_it_misses(make_app: AppFactory, forced: str) -> None:
    at = make_app(COUNTER).run()
    with pytest.raises(TypeError, match="apptest_script_path"):
        testing.reload(at)

