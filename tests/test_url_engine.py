"""The per-session URL sync engine, driven through AppTest like a real session."""

from __future__ import annotations

import pytest
import streamlit

from st_page_state import testing
from st_page_state._streamlit import DETECTED
from tests.conftest import AppFactory, bridge_data, query, texts, url_writes

FILTERS = """
import datetime as dt
import streamlit as st
from st_page_state import PageState, StateVar

class FilterState(PageState):
    status: str = StateVar(default="pending", url_key="status")
    page: int = StateVar(default=1, url_key="page")
    tags: list[str] = StateVar(default_factory=list, url_key="tag")
    since: dt.date = StateVar(default=dt.date(2024, 1, 1), url_key="since")
    note: str = StateVar(default="")

if st.button("bump"):
    FilterState.page += 1
    FilterState.page += 1
    FilterState.status = "active"
    FilterState.tags = ["a", "b"]
st.markdown(f"status={FilterState.status} page={FilterState.page} tags={FilterState.tags} since={FilterState.since}")
"""


def test_first_run_puts_every_param_in_the_url(make_app: AppFactory) -> None:
    at = make_app(FILTERS).run()
    assert not at.exception
    assert texts(at) == ["status=pending page=1 tags=[] since=2024-01-01"]
    assert query(at) == {"status": ["pending"], "page": ["1"], "tag": [""], "since": ["2024-01-01"]}


def test_deep_link_is_adopted(make_app: AppFactory) -> None:
    at = make_app(FILTERS, query={"status": "active", "page": "4", "tag": ["x", "y"], "since": "2023-05-06"}).run()
    assert texts(at) == ["status=active page=4 tags=['x', 'y'] since=2023-05-06"]
    assert query(at)["tag"] == ["x", "y"]


def test_all_changes_of_a_run_make_one_url_write(make_app: AppFactory) -> None:
    at = make_app(FILTERS).run()
    before = url_writes(at)
    at.button[0].click().run()
    assert url_writes(at) == before + 1
    assert query(at) == {"status": ["active"], "page": ["3"], "tag": ["a", "b"], "since": ["2024-01-01"]}
    at.run()
    assert url_writes(at) == before + 1, "a run without changes must not write the URL"


def test_external_edit_is_adopted(make_app: AppFactory) -> None:
    at = make_app(FILTERS).run()
    at.query_params["page"] = "7"
    at.query_params["tag"] = ["q"]
    at.run()
    assert texts(at) == ["status=pending page=7 tags=['q'] since=2024-01-01"]


def test_edit_is_canonicalised_in_the_url(make_app: AppFactory) -> None:
    at = make_app(FILTERS).run()
    at.query_params["page"] = " 07"
    at.run()
    assert texts(at)[0].startswith("status=pending page=7 ")
    assert query(at)["page"] == ["7"]


@pytest.mark.parametrize(
    ("param", "bad", "reason"),
    [
        ("page", "abc", "valid integer"),
        ("since", "2024-02-31", "date"),
        ("page", ["1", "2"], "repeated"),
        ("status", "x" * 9000, "8192-byte limit"),
        ("status", "caf\ufffd", "invalid percent-encoding"),
    ],
)
def test_invalid_edit_is_rejected_with_one_warning_and_the_url_corrected(
    make_app: AppFactory, param: str, bad: str | list[str], reason: str
) -> None:
    at = make_app(FILTERS).run()
    at.query_params[param] = bad
    at.run()
    assert not at.exception
    assert texts(at) == ["status=pending page=1 tags=[] since=2024-01-01"]
    toasts = testing.toast_texts(at)
    assert len(toasts) == 1 and reason in toasts[0] and "FilterState" in toasts[0]
    assert query(at)[param] == {"page": ["1"], "since": ["2024-01-01"], "status": ["pending"]}[param]
    at.run()
    assert testing.toast_texts(at) == [], "the same bad value must not warn again"


def test_invalid_deep_link_keeps_the_default(make_app: AppFactory) -> None:
    at = make_app(FILTERS, query={"page": "two", "status": "done"}).run()
    assert texts(at) == ["status=done page=1 tags=[] since=2024-01-01"]
    assert query(at)["page"] == ["1"]
    assert "page" in testing.toast_texts(at)[0]


def test_deleted_param_is_restored(make_app: AppFactory) -> None:
    at = make_app(FILTERS).run()
    at.button[0].click().run()
    del at.query_params["status"]
    at.run()
    assert texts(at)[0].startswith("status=active page=3")
    assert query(at)["status"] == ["active"]


def test_session_only_field_stays_out_of_the_url(make_app: AppFactory) -> None:
    at = make_app(FILTERS + "\nFilterState.note = 'typed'\n").run()
    assert "note" not in query(at)
    assert testing.runtime_of(at).values["app.py:FilterState"]["note"] == "typed"


def test_values_written_from_code_are_validated(make_app: AppFactory) -> None:
    at = make_app(FILTERS + "\nFilterState.page = 'x'\n").run()
    assert at.exception
    assert "FilterState.page cannot be set to 'x'" in at.exception[0].message
    at = make_app(FILTERS + "\nFilterState.page = '5'\nst.write(repr(FilterState.page))\n").run()
    assert texts(at)[-1] == "5"


def test_foreign_params_survive_until_a_selfish_change(make_app: AppFactory) -> None:
    at = make_app(FILTERS, query={"utm_source": "mail"}).run()
    assert query(at)["utm_source"] == ["mail"]
    at.button[0].click().run()
    assert "utm_source" not in query(at)


TWO_STATES = """
import streamlit as st
from st_page_state import PageState, StateVar

class Sidebar(PageState):
    q: str = StateVar(default="", url_key="q")

class Main(PageState):
    class Config:
        share_url_with = [{share}]
    tab: str = StateVar(default="home", url_key="tab")

class Other(PageState):
    x: int = StateVar(default=0, url_key="x")

if st.session_state.get("show_other", True):
    Other.x
if st.button("main"):
    Main.tab = "reports"
st.session_state["show_other"] = False
Sidebar.q
"""


def test_selfish_change_drops_params_of_unshared_states(make_app: AppFactory) -> None:
    at = make_app(TWO_STATES.format(share="")).run()
    assert query(at) == {"x": ["0"], "q": [""]}
    at.run()
    at.button[0].click().run()
    # Other was not used in this run: its param goes; Sidebar is used, so it is restored.
    assert query(at) == {"q": [""], "tab": ["reports"]}


def test_share_url_with_keeps_shared_params(make_app: AppFactory) -> None:
    at = make_app(TWO_STATES.format(share="'Other'")).run()
    at.run()
    at.button[0].click().run()
    assert query(at) == {"x": ["0"], "q": [""], "tab": ["reports"]}


def test_not_selfish_keeps_everything(make_app: AppFactory) -> None:
    src = TWO_STATES.format(share="").replace("share_url_with = []", "url_selfish = False")
    at = make_app(src, query={"utm": "1"}).run()
    at.run()
    at.button[0].click().run()
    assert query(at) == {"utm": ["1"], "x": ["0"], "q": [""], "tab": ["reports"]}


CONFIGURED = """
import streamlit as st
from st_page_state import PageState, StateVar

class S(PageState):
    class Config:
        url_prefix = "s_"
        clear_on_default = {clear}
        restore_url_on_touch = {restore}
    page: int = StateVar(default=1, url_key="page")
    sort: str = StateVar(default="name", url_key="sort", clear_on_default=False)

if st.button("next"):
    S.page += 1
if st.button("first"):
    S.page = 1
st.markdown(f"page={{S.page}} sort={{S.sort}}")
"""


def test_clear_on_default_omits_default_values(make_app: AppFactory) -> None:
    at = make_app(CONFIGURED.format(clear=True, restore=True)).run()
    assert query(at) == {"s_sort": ["name"]}
    at.button[0].click().run()
    assert query(at) == {"s_sort": ["name"], "s_page": ["2"]}
    at.button[1].click().run()
    assert query(at) == {"s_sort": ["name"]}


def test_restore_url_on_touch_off_leaves_deleted_params_out(make_app: AppFactory) -> None:
    at = make_app(CONFIGURED.format(clear=False, restore=False), query={"s_page": "3"}).run()
    assert query(at) == {"s_page": ["3"]}
    del at.query_params["s_page"]
    at.run()
    assert texts(at) == ["page=3 sort=name"]
    assert query(at) == {}
    at.button[0].click().run()
    assert query(at) == {"s_page": ["4"]}


def test_params_bound_natively_to_widgets_are_left_alone(make_app: AppFactory) -> None:
    src = FILTERS + '\nst.text_input("Search", key="search", bind="query-params")\n'
    at = make_app(src, query={"search": "hello"}).run()
    assert not at.exception
    assert at.text_input(key="search").value == "hello"
    at.button[0].click().run()
    assert not at.exception
    assert query(at)["search"] == ["hello"]
    assert query(at)["page"] == ["3"]


HISTORY = """
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx
from st_page_state import PageState, StateVar

# AppTest cannot press Back: mark the run the way Streamlit marks a popstate rerun.
get_script_run_ctx().is_history_navigation = st.session_state.get("back", False)

class S(PageState):
    class Config:
        history = "push"
        clear_on_default = True
    page: int = StateVar(default=1, url_key="page")

if st.button("next"):
    S.page += 1
st.markdown(f"page={S.page}")
"""


@pytest.mark.skipif(
    not DETECTED.history_navigation,
    reason=f"Streamlit {streamlit.__version__} answers Back with a run on its own latest URL and no navigation "
    "mark (is_history_navigation, 1.65); the bridge's popstate report carries it instead "
    "(test_back_reported_by_the_bridge_after_popstate_is_navigation)",
)
def test_back_navigation_adopts_the_older_url(make_app: AppFactory) -> None:
    at = make_app(HISTORY).run()
    at.button[0].click().run()
    at.button[0].click().run()
    assert query(at) == {"page": ["3"]}
    # Back: the browser shows the previous entry's URL and Streamlit reruns.
    at.session_state["back"] = True
    at.query_params["page"] = "2"
    at.run()
    assert texts(at) == ["page=2"]
    assert query(at) == {"page": ["2"]}
    # Back again to the first entry, whose URL had no param (default, cleared):
    del at.query_params["page"]
    at.run()
    assert texts(at) == ["page=1"], "absence on Back means the default, not a deletion to undo"
    assert query(at) == {}


POPSTATE = """
import streamlit as st
from st_page_state import PageState, StateVar, bridge, session

class S(PageState):
    class Config:
        history = "push"
        clear_on_default = True
    page: int = StateVar(default=1, url_key="page")

# AppTest cannot press Back. Before 1.65 Streamlit reruns with the URL it last wrote (AppTest keeps
# that one), and the bridge then reports the address bar, cause "popstate", from its callback:
back_to = st.session_state.pop("back_to", None)
if back_to is not None:
    rt = session.current()
    session.apply_report(rt, bridge.BridgeReport(query=back_to, revision=rt.revision, cause="popstate"))

if st.button("next"):
    S.page += 1
st.markdown(f"page={S.page}")
"""


def test_back_reported_by_the_bridge_after_popstate_is_navigation(make_app: AppFactory) -> None:
    """Streamlit before 1.65 (no is_history_navigation): Back and Forward reach the session through the bridge,
    are adopted as navigation (no history entry of their own, an absent param is the default), never undone."""
    at = make_app(POPSTATE).run()
    at.button[0].click().run()
    at.button[0].click().run()
    assert query(at) == {"page": ["3"]} and bridge_data(at)["push"] == {"from": "page=2"}  # type: ignore[index]
    for back_to, page in (("page=2", 2), ("", 1), ("page=2", 2), ("page=3", 3), ("page=2", 2)):
        at.session_state["back_to"] = back_to
        at.run()
        assert texts(at) == [f"page={page}"], back_to
        assert query(at) == ({"page": [str(page)]} if page != 1 else {}), "the page and the URL agree"
        assert "push" not in bridge_data(at), "Back/Forward adds no history entry"  # type: ignore[operator]
        at.run()
        assert texts(at) == [f"page={page}"], "the next run keeps it: Back is not undone as a stale echo"
    at.button[0].click().run()
    assert texts(at) == ["page=3"] and bridge_data(at)["push"] == {"from": "page=2"}  # type: ignore[index]


def test_push_mode_asks_the_bridge_for_a_history_entry(make_app: AppFactory) -> None:
    at = make_app(HISTORY).run()
    data = bridge_data(at)
    assert data is not None and "push" not in data, "restoring the URL is not a user change"
    at.button[0].click().run()
    data = bridge_data(at)
    assert data is not None and data["push"] == {"from": ""} and data["expected"] == "page=2"
    at.button[0].click().run()
    assert bridge_data(at)["push"] == {"from": "page=2"}  # type: ignore[index]


def test_replace_mode_never_asks_for_history_entries(make_app: AppFactory) -> None:
    at = make_app(FILTERS).run()
    at.button[0].click().run()
    data = bridge_data(at)
    assert data is not None and "push" not in data
    assert data["owned"] == ["page", "since", "status", "tag"]
    assert data["expected"] == "status=active&page=3&tag=a&tag=b&since=2024-01-01"


STOPPED = """
import streamlit as st
from st_page_state import PageState, StateVar

class S(PageState):
    x: int = StateVar(default=1, url_key="x")

if st.session_state.get("stop"):
    S.x = 5
    st.stop()
st.markdown("other content")
"""


def test_changes_of_a_run_cut_short_by_st_stop_are_written_by_the_next_run(make_app: AppFactory) -> None:
    at = make_app(STOPPED + "\nS.x\n").run()
    assert query(at) == {"x": ["1"]}
    at.session_state["stop"] = True
    at.run()
    at.session_state["stop"] = False
    at.run()
    assert query(at) == {"x": ["5"]}

