"""Bound widgets inside ``st.form``: the state and the URL change when the form is submitted."""

from __future__ import annotations

from st_page_state import testing
from tests.conftest import AppFactory, query, texts
from tests.test_widgets import stored

FORM = """
import streamlit as st
from st_page_state import PageState, StateVar

class S(PageState):
    status: str = StateVar(default="pending", url_key="status")
    q: str = StateVar(default="", url_key="q")
    tags: list[str] = StateVar(default_factory=list, url_key="tag")

st.markdown(f"above={S.status},{S.q},{S.tags}")
with st.form("filters"):
    st.selectbox("Status", ["pending", "active", "done"], **S.bind("status"))
    st.text_input("Search", **S.bind("q"))
    st.multiselect("Tags", ["a", "b"], **S.bind("tags"))
    st.form_submit_button("Apply")
st.markdown(f"below={S.status},{S.q},{S.tags}")
"""


def fill(at):  # type: ignore[no-untyped-def]
    at.selectbox[0].select("done")
    at.text_input[0].input("shoes")
    at.multiselect[0].select("b")


def test_nothing_changes_before_submit(make_app: AppFactory) -> None:
    at = make_app(FORM).run()
    before = query(at)
    fill(at)
    at.run()
    assert not at.exception
    assert texts(at) == ["above=pending,,[]", "below=pending,,[]"]
    assert stored(at, "status") == "pending"
    assert query(at) == before


def test_submit_commits_state_and_url_before_the_script_reads_it(make_app: AppFactory) -> None:
    at = make_app(FORM).run()
    writes = testing.runtime_of(at).writes
    fill(at)
    at.button[0].click().run()
    assert not at.exception
    assert texts(at) == ["above=done,shoes,['b']", "below=done,shoes,['b']"]
    assert stored(at, "q") == "shoes"
    assert query(at) == {"status": ["done"], "q": ["shoes"], "tag": ["b"]}
    assert testing.runtime_of(at).writes == writes + 1, "one URL write for the whole form"
    at.run()
    assert texts(at)[0] == "above=done,shoes,['b']"
    assert at.selectbox[0].value == "done"


def test_form_shows_url_values_and_code_changes(make_app: AppFactory) -> None:
    source = FORM + 'st.button("reset", on_click=S.reset)\n'
    at = make_app(source, query={"status": "active", "q": "hat"}).run()
    assert at.selectbox[0].value == "active" and at.text_input[0].value == "hat"
    at.button[1].click().run()
    assert at.selectbox[0].value == "pending" and at.text_input[0].value == ""
    assert query(at)["status"] == ["pending"]


def test_form_container_without_with(make_app: AppFactory) -> None:
    """``form.selectbox(...)``: bind() cannot see the form, and does not need to."""
    source = """
import streamlit as st
from st_page_state import PageState, StateVar

class S(PageState):
    status: str = StateVar(default="pending", url_key="status")

form = st.form("f")
form.selectbox("Status", ["pending", "done"], **S.bind("status"))
form.form_submit_button("Apply")
st.markdown(f"status={S.status}")
"""
    at = make_app(source).run()
    assert not at.exception
    at.selectbox[0].select("done")
    at.run()
    assert texts(at) == ["status=pending"]
    at.selectbox[0].select("done")  # AppTest forgets staged form values after a run
    at.button[0].click().run()
    assert texts(at) == ["status=done"] and query(at) == {"status": ["done"]}


def test_a_user_callback_inside_a_form_gets_streamlits_own_error(make_app: AppFactory) -> None:
    source = """
import streamlit as st
from st_page_state import PageState, StateVar

class S(PageState):
    status: str = StateVar(default="pending", url_key="status")

with st.form("f"):
    st.selectbox("Status", ["pending", "done"], **S.bind("status", on_change=print))
    st.form_submit_button("Apply")
"""
    at = make_app(source).run()
    assert [e.proto.type.rsplit(".", 1)[-1] for e in at.exception] == ["StreamlitInvalidFormCallbackError"]


def test_tabs_and_expander_in_a_form_still_track_state(make_app: AppFactory) -> None:
    source = """
import streamlit as st
from st_page_state import PageState, StateVar

class S(PageState):
    tab: str = StateVar(default="Two", url_key="tab")
    more: bool = StateVar(default=True, url_key="more")

with st.form("f"):
    one, two = st.tabs(["One", "Two"], **S.bind("tab"))
    with st.expander("More", **S.bind("more")) as more:
        st.write("x")
    st.form_submit_button("Apply")
st.markdown(f"{one.open},{two.open},{more.open}")
"""
    at = make_app(source).run()
    assert not at.exception
    assert texts(at)[-1] == "False,True,True"
