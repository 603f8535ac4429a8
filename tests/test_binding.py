"""bind() semantics beyond single widgets: seeds, unrendered widgets, order of writes,
options that disappear, keys, and user callbacks."""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.elements.lib import policies
from streamlit.testing.v1 import AppTest

from st_page_state import testing
from st_page_state.stores import MemoryStore
from tests.conftest import AppFactory, logged_warnings, query, texts
from tests.test_widgets import key_of, stored

HEAD = """
import datetime as dt
import streamlit as st
from st_page_state import PageState, StateVar

OPTIONS = ["pending", "active", "done"]

class S(PageState):
    status: str = StateVar(default="pending", url_key="status")
"""


def exception_types(at: AppTest) -> list[str]:
    return [e.proto.type.rsplit(".", 1)[-1] for e in at.exception]


# ---------------------------------------------------------------- value= seeds
SEEDED = HEAD + """
st.selectbox("Status", OPTIONS, **S.bind("status", value="active"))
st.markdown(f"status={S.status}")
"""


def test_value_seeds_the_first_run(make_app: AppFactory) -> None:
    at = make_app(SEEDED).run()
    assert texts(at) == ["status=active"]
    assert at.selectbox[0].value == "active"
    assert query(at) == {"status": ["active"]}


def test_value_seeds_only_once(make_app: AppFactory) -> None:
    at = make_app(SEEDED).run()
    at.selectbox[0].select("pending").run()  # back to the field's default: the seed must not return
    at.run()
    assert texts(at) == ["status=pending"]
    assert query(at) == {"status": ["pending"]}


def test_url_wins_over_the_seed(make_app: AppFactory) -> None:
    at = make_app(SEEDED, query={"status": "done"}).run()
    assert texts(at) == ["status=done"]
    assert at.selectbox[0].value == "done"


def test_a_value_set_by_code_wins_over_the_seed(make_app: AppFactory) -> None:
    source = SEEDED.replace(
        'st.selectbox("Status"',
        'if "once" not in st.session_state:\n    st.session_state.once = S.status = "done"\nst.selectbox("Status"',
    )
    at = make_app(source).run()
    assert texts(at) == ["status=done"]


def test_stored_value_wins_over_the_seed(make_app: AppFactory) -> None:
    with testing.configured(store=MemoryStore()):
        at = testing.set_tab_id(make_app(SEEDED), "tab-1").run()
        at.selectbox[0].select("done").run()
        again = testing.reload(at, query={}).run()  # same tab, the param deleted from the URL
        assert texts(again) == ["status=done"]
        assert again.selectbox[0].value == "done"


WIDGETS_WITH_SEEDS = """
import datetime as dt
import streamlit as st
from st_page_state import PageState, StateVar

class S(PageState):
    text: str = StateVar(default="", url_key="text")
    area: str = StateVar(default="", url_key="area")
    number: int = StateVar(default=0, url_key="number")
    level: int = StateVar(default=0, url_key="level")
    span: tuple[int, int] = StateVar(default=(0, 10), url_key="span")
    size: str = StateVar(default="S", url_key="size")
    status: str = StateVar(default="a", url_key="status")
    tags: list[str] = StateVar(default_factory=list, url_key="tag")
    plan: str = StateVar(default="a", url_key="plan")
    agree: bool = StateVar(default=False, url_key="agree")
    dark: bool = StateVar(default=False, url_key="dark")
    day: dt.date = StateVar(default=dt.date(2024, 1, 1), url_key="day")
    period: tuple[dt.date, dt.date] = StateVar(default=(dt.date(2024, 1, 1), dt.date(2024, 1, 2)), url_key="period")
    at: dt.time = StateVar(default=dt.time(0, 0), url_key="at")
    color: str = StateVar(default="#000000", url_key="color")
    pill: str | None = StateVar(default=None, url_key="pill")
    pills: list[str] = StateVar(default_factory=list, url_key="pills")
    seg: str | None = StateVar(default=None, url_key="seg")
    segs: list[str] = StateVar(default_factory=list, url_key="segs")
    rating: int | None = StateVar(default=None, url_key="rating")
    tab: str = StateVar(default="One", url_key="tab")
    open: bool = StateVar(default=False, url_key="open")

ABC = ["a", "b", "c"]

def change_everything():
    S.load({
        "text": "t2", "area": "a2", "number": 3, "level": 4, "span": (2, 3), "size": "L",
        "status": "c", "tags": ["c"], "plan": "c", "agree": False, "dark": False,
        "day": dt.date(2025, 1, 1), "period": (dt.date(2025, 1, 1), dt.date(2025, 1, 9)),
        "at": dt.time(5, 0), "color": "#222222", "pill": "c", "pills": ["c"], "seg": "c",
        "segs": ["c"], "rating": 0, "tab": "One", "open": False,
    })

st.button("change", on_click=change_everything)
st.text_input("text", **S.bind("text", value="t"))
st.text_area("area", **S.bind("area", value="a"))
st.number_input("number", step=1, **S.bind("number", value=2))
st.slider("level", 0, 10, **S.bind("level", value=3))
st.slider("span", 0, 10, **S.bind("span", value=(1, 9)))
st.select_slider("size", ["S", "M", "L"], **S.bind("size", value="M"))
st.selectbox("status", **S.bind("status", index=1, options=ABC))
st.multiselect("tags", ABC, **S.bind("tags", default=["a", "b"]))
st.radio("plan", ABC, **S.bind("plan", value="b"))
st.checkbox("agree", **S.bind("agree", value=True))
st.toggle("dark", **S.bind("dark", value=True))
st.date_input("day", **S.bind("day", value=dt.date(2024, 5, 5)))
st.date_input("period", **S.bind("period", value=(dt.date(2024, 5, 5), dt.date(2024, 5, 6))))
st.time_input("at", **S.bind("at", value=dt.time(8, 0)))
st.color_picker("color", **S.bind("color", value="#ff0000"))
st.pills("pill", ABC, **S.bind("pill", default="b"))
st.pills("pills", ABC, selection_mode="multi", **S.bind("pills", default=["a"]))
st.segmented_control("seg", ABC, **S.bind("seg", default="a"))
st.segmented_control("segs", ABC, selection_mode="multi", **S.bind("segs", default=["b"]))
st.feedback("stars", **S.bind("rating", default=4))
st.tabs(["One", "Two"], **S.bind("tab", default="Two"))
st.expander("open", **S.bind("open", value=True))
st.markdown(repr(S.dump()))
"""


def test_seeds_and_code_changes_never_warn_or_raise(make_app: AppFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Streamlit warns once per process about a widget with a default whose key session state also sets."""
    monkeypatch.setattr(policies, "_shown_default_value_warning", False)
    at = make_app(WIDGETS_WITH_SEEDS).run()
    assert not at.exception, [e.message for e in at.exception]
    seeded = stored(at, "tags"), stored(at, "status"), stored(at, "rating"), stored(at, "tab"), stored(at, "open")
    assert seeded == (["a", "b"], "b", 4, "Two", True)
    assert at.slider[1].value == (1, 9) and at.date_input[1].value == (stored(at, "period"))
    at.button[0].click().run()  # every key written again, from a callback
    assert not at.exception, [e.message for e in at.exception]
    assert at.multiselect[0].value == ["c"] and at.feedback[0].value == 0 and at.slider[1].value == (2, 3)
    at.run()
    assert not at.exception
    assert policies._shown_default_value_warning is False


def test_index_reads_the_options_written_in_the_widget_call(make_app: AppFactory) -> None:
    at = make_app(HEAD + 'st.selectbox("Status", OPTIONS, **S.bind("status", index=1))\nst.write(S.status)').run()
    assert not at.exception and at.selectbox[0].value == "active" and at.markdown[0].value == "active"


def test_index_with_options_bind_cannot_read_is_refused_with_advice(make_app: AppFactory) -> None:
    at = make_app(HEAD + 'st.selectbox("Status", list(OPTIONS), **S.bind("status", index=1))').run()
    assert exception_types(at) == ["StateConfigError"]
    assert "value=" in at.exception[0].message and "options=" in at.exception[0].message


def test_streamlit_url_binding_is_refused(make_app: AppFactory) -> None:
    at = make_app(HEAD + 'st.selectbox("Status", OPTIONS, **S.bind("status", bind="query-params"))').run()
    assert exception_types(at) == ["StateConfigError"]


# ------------------------------------------------------- unrendered widgets
CONDITIONAL = HEAD + """
if st.checkbox("Show", value=True, key="show"):
    st.selectbox("Status", OPTIONS, **S.bind("status"))
st.markdown(f"status={S.status}")
"""


def test_field_keeps_its_value_while_the_widget_is_hidden(make_app: AppFactory) -> None:
    at = make_app(CONDITIONAL).run()
    at.selectbox[0].select("done").run()
    at.checkbox[0].uncheck().run()
    at.run()
    assert not at.selectbox
    assert key_of("status") not in at.session_state, "Streamlit dropped the hidden widget's key"
    assert texts(at) == ["status=done"]
    assert query(at) == {"status": ["done"]}
    at.checkbox[0].check().run()
    assert at.selectbox[0].value == "done"


def test_code_change_while_hidden_shows_when_the_widget_returns(make_app: AppFactory) -> None:
    source = CONDITIONAL + 'st.button("activate", on_click=lambda: setattr(S, "status", "active"))\n'
    at = make_app(source).run()
    at.checkbox[0].uncheck().run()
    at.button[0].click().run()
    assert texts(at) == ["status=active"]
    at.checkbox[0].check().run()
    assert at.selectbox[0].value == "active"


# ------------------------------------------------------- writes from code
def test_change_before_the_widget_updates_it(make_app: AppFactory) -> None:
    source = HEAD + """
if st.button("activate"):
    S.status = "active"
st.selectbox("Status", OPTIONS, **S.bind("status"))
"""
    at = make_app(source).run()
    at.button[0].click().run()
    assert not at.exception
    assert at.selectbox[0].value == "active"
    assert query(at) == {"status": ["active"]}
    at.run()
    assert at.selectbox[0].value == "active"


def test_change_in_a_callback_updates_the_widget(make_app: AppFactory) -> None:
    source = HEAD + """
st.selectbox("Status", OPTIONS, **S.bind("status"))
st.button("done", on_click=lambda: setattr(S, "status", "done"))
"""
    at = make_app(source).run()
    at.button[0].click().run()
    assert at.selectbox[0].value == "done"
    assert query(at) == {"status": ["done"]}


def test_change_between_bind_and_widget_updates_it(make_app: AppFactory) -> None:
    source = HEAD + """
kwargs = S.bind("status")
if st.session_state.get("go"):
    S.status = "done"
st.session_state.go = True
st.selectbox("Status", OPTIONS, **kwargs)
"""
    at = make_app(source).run().run()
    assert at.selectbox[0].value == "done"


def test_change_after_the_widget_rendered_raises_widget_order_error(make_app: AppFactory) -> None:
    source = HEAD + """
st.selectbox("Status", OPTIONS, **S.bind("status"))
if st.button("late"):
    S.status = "done"
st.markdown(f"status={S.status}")
"""
    at = make_app(source).run()
    at.button[0].click().run()
    assert exception_types(at) == ["WidgetOrderError"]
    message = at.exception[0].message
    assert "S.status" in message and "callback" in message and "before the widget" in message
    assert "st.rerun()" in message
    at.run()
    assert not at.exception
    assert at.selectbox[0].value == "pending" and query(at) == {"status": ["pending"]}


def test_setting_the_shown_value_after_the_widget_is_fine(make_app: AppFactory) -> None:
    source = HEAD + """
st.selectbox("Status", OPTIONS, **S.bind("status"))
S.status = S.status
S.status = "pending"
"""
    at = make_app(source).run()
    assert not at.exception


# ------------------------------------------------------- options that vanish
def test_url_option_not_offered_falls_back_to_default_with_options(
    make_app: AppFactory, caplog: pytest.LogCaptureFixture
) -> None:
    source = HEAD + """
_ = S.status  # read before the widget: the fallback must still win
st.selectbox("Status", **S.bind("status", options=OPTIONS))
st.markdown(f"status={S.status}")
"""
    at = make_app(source, query={"status": "bogus"}).run()
    assert not at.exception
    assert texts(at) == ["status=pending"]
    assert at.selectbox[0].value == "pending"
    assert query(at) == {"status": ["pending"]}
    (warning,) = logged_warnings(caplog)
    assert "'bogus'" in warning and warning.startswith("Ignored URL parameter status=")
    at.run()
    assert len(logged_warnings(caplog)) == 1


def test_url_option_not_offered_keeps_the_previous_value(
    make_app: AppFactory, caplog: pytest.LogCaptureFixture
) -> None:
    """Options written in the widget call: bind() reads them, and a bad link changes nothing."""
    source = HEAD.replace('default="pending"', 'default="active"') + """
st.selectbox("Status", OPTIONS, **S.bind("status"))
st.markdown(f"status={S.status}")
"""
    at = make_app(source, query={"status": "bogus"}).run()
    assert not at.exception
    assert at.selectbox[0].value == "active" and texts(at) == ["status=active"]
    assert query(at) == {"status": ["active"]}
    (warning,) = logged_warnings(caplog)
    assert warning.startswith("Ignored URL parameter status=")
    at.run()
    assert len(logged_warnings(caplog)) == 1 and query(at) == {"status": ["active"]}


def test_option_bind_cannot_see_follows_the_widget_and_redraws(make_app: AppFactory) -> None:
    """Options bind() cannot read (built by a call): Streamlit shows its first option, the field follows."""
    source = HEAD.replace('default="pending"', 'default="active"') + """
st.selectbox("Status", list(OPTIONS), **S.bind("status"))
st.markdown(f"status={S.status}")
"""
    at = make_app(source, query={"status": "bogus"}).run()
    assert not at.exception
    assert at.selectbox[0].value == "pending" and texts(at) == ["status=pending"]
    assert stored(at, "status") == "pending"
    assert query(at) == {"status": ["pending"]}
    at.run()
    assert not at.toast and query(at) == {"status": ["pending"]}


def test_option_removed_from_the_list_falls_back_once(make_app: AppFactory, caplog: pytest.LogCaptureFixture) -> None:
    source = HEAD + """
offered = OPTIONS if st.checkbox("All", value=True) else OPTIONS[:2]
st.selectbox("Status", **S.bind("status", options=offered))
st.markdown(f"status={S.status}")
"""
    at = make_app(source).run()
    at.selectbox[0].select("done").run()
    at.checkbox[0].uncheck().run()
    assert not at.exception
    assert texts(at) == ["status=pending"] and query(at) == {"status": ["pending"]}
    (warning,) = logged_warnings(caplog)
    assert "'done' is not one of the widget's options" in warning
    at.run()
    assert len(logged_warnings(caplog)) == 1


def test_multiselect_drops_only_the_members_not_offered(make_app: AppFactory, caplog: pytest.LogCaptureFixture) -> None:
    source = HEAD + """
class T(PageState):
    tags: list[str] = StateVar(default_factory=list, url_key="tag")

st.multiselect("Tags", **T.bind("tags", options=["a", "b", "c"]))
st.markdown(f"tags={T.tags}")
"""
    at = make_app(source, query={"tag": ["a", "zzz", "c"]}).run()
    assert not at.exception
    assert texts(at) == ["tags=['a', 'c']"]
    assert at.multiselect[0].value == ["a", "c"]
    assert query(at)["tag"] == ["a", "c"]
    (warning,) = logged_warnings(caplog)
    assert "'zzz'" in warning


def test_number_outside_the_widget_range_keeps_the_previous_value(
    make_app: AppFactory, caplog: pytest.LogCaptureFixture
) -> None:
    source = HEAD + """
class P(PageState):
    page: int = StateVar(default=3, url_key="page")

st.number_input("Page", min_value=1, max_value=5, **P.bind("page"))
"""
    at = make_app(source, query={"page": "9"}).run()
    assert not at.exception
    assert at.number_input[0].value == 3
    assert query(at)["page"] == ["3"]
    (warning,) = logged_warnings(caplog)
    assert "above the maximum 5" in warning


def test_widget_value_the_field_cannot_hold_stays_in_the_widget_with_a_warning(make_app: AppFactory) -> None:
    source = HEAD + """
class P(PageState):
    page: int = StateVar(default=2, url_key="page")

st.number_input("Page", step=0.5, format="%.1f", **P.bind("page"))  # a float input for an int field
st.markdown(f"page={P.page}")
"""
    at = make_app(source).run()
    at.number_input[0].set_value(2.5).run()
    assert not at.exception
    assert stored(at, "page", "P") == 2 and texts(at) == ["page=2"]
    assert at.number_input[0].value == 2.5, "the widget keeps what the person entered, to be corrected"
    assert len(at.toast) == 1 and "2.5 was not taken; the field keeps 2" in testing.toast_texts(at)[0]
    at.run()
    assert at.number_input[0].value == 2.5 and not at.toast, "one warning per entry, not one per run"
    at.number_input[0].set_value(3.0).run()
    assert texts(at) == ["page=3"] and query(at)["page"] == ["3"] and not at.toast


def test_half_picked_date_range_is_left_alone(make_app: AppFactory) -> None:
    source = HEAD + """
class P(PageState):
    period: tuple[dt.date, dt.date] = StateVar(default=(dt.date(2024, 1, 1), dt.date(2024, 1, 9)), url_key="p")

st.date_input("Period", **P.bind("period"))
"""
    at = make_app(source).run()
    at.date_input[0].set_value((dt.date(2024, 3, 1),)).run()
    assert not at.exception and not at.toast
    assert at.date_input[0].value == (dt.date(2024, 3, 1),), "the widget keeps the user's half-picked range"
    assert query(at)["p"] == ["2024-01-01", "2024-01-09"]
    at.date_input[0].set_value((dt.date(2024, 3, 1), dt.date(2024, 3, 4))).run()
    assert stored(at, "period", "P") == (dt.date(2024, 3, 1), dt.date(2024, 3, 4))


# ---------------------------------------------------------------------- keys
def test_keys_are_readable_and_do_not_collide(make_app: AppFactory) -> None:
    source = HEAD + """
class Other(PageState):
    status: str = StateVar(default="done", url_key="other")

st.session_state.setdefault("status", "a user's own key")
st.text_input("Mine", key="status")
st.selectbox("Status", OPTIONS, **S.bind("status"))
st.selectbox("Other status", OPTIONS, **Other.bind("status"))
"""
    at = make_app(source).run()
    assert not at.exception
    assert [w.key for w in at.selectbox] == ["st_page_state:app.py:S.status", "st_page_state:app.py:Other.status"]
    at.selectbox[1].select("active").run()
    assert stored(at, "status", "Other") == "active" and stored(at, "status") == "pending"
    assert at.text_input[0].value == "a user's own key"


def test_two_widgets_of_one_field_with_own_keys_stay_in_step(make_app: AppFactory) -> None:
    source = HEAD + """
st.sidebar.selectbox("Status", OPTIONS, **S.bind("status", key="status_sidebar"))
st.selectbox("Status", OPTIONS, **S.bind("status", key="status_main"))
"""
    at = make_app(source).run()
    at.sidebar.selectbox[0].select("done").run()
    assert at.selectbox[0].value == "done"
    at.selectbox[0].select("active").run()
    assert at.sidebar.selectbox[0].value == "active"
    assert query(at) == {"status": ["active"]}


# ------------------------------------------------------------- user callbacks
def test_user_callback_runs_after_the_field_is_updated(make_app: AppFactory) -> None:
    source = HEAD + """
def changed(tag, *, extra):
    st.session_state.log = f"{tag}:{extra}:{S.status}"

st.selectbox("Status", OPTIONS, **S.bind("status", on_change=changed, args=("cb",), kwargs={"extra": 1}))
st.markdown(st.session_state.get("log", "-"))
"""
    at = make_app(source).run()
    assert texts(at) == ["-"]
    at.selectbox[0].select("done").run()
    assert texts(at) == ["cb:1:done"]


def test_on_change_is_a_mode_string_streamlit_accepts_everywhere(make_app: AppFactory) -> None:
    """``"rerun"`` where every input widget takes it (1.66+); ``None``, the older spelling, before
    (tests/test_streamlit_fallbacks.py runs each widget with it)."""
    from st_page_state._streamlit import DETECTED

    at = make_app(HEAD + 'st.markdown(repr(S.bind("status")["on_change"]))').run()
    assert texts(at) == ["'rerun'" if DETECTED.rerun_mode == "every" else "None"]


def test_idle_reruns_do_not_report_changes_for_a_script_enum(make_app: AppFactory) -> None:
    """The script redefines its Enum on every rerun; the widget's member is not a change."""
    source = """
import enum
import streamlit as st
from st_page_state import PageState, StateVar

class Color(enum.Enum):
    RED = "red"
    BLUE = "blue"

class S(PageState):
    color: Color = StateVar(default=Color.RED, url_key="color")

    @classmethod
    def on_change(cls, field, old, new):
        st.session_state.changes = st.session_state.get("changes", 0) + 1

st.selectbox("Color", list(Color), **S.bind("color"))
"""
    at = make_app(source).run()
    at.selectbox[0].select_index(1).run()
    assert at.session_state["changes"] == 1
    at.run().run()
    assert at.session_state["changes"] == 1
    assert query(at) == {"color": ["blue"]}
