"""Browser smoke app for every supported Streamlit release: four bound widgets, a form, a push-mode state.

``make test-floor`` runs tests/e2e/test_floor_smoke.py against it on the
lowest supported Streamlit: the widgets take what bind() passes on that
release, the bridge sees edits from other scripts, a reload restores the
tab, a form commits on submit, and Back/Forward walk the pushed entries.
"""

from typing import Literal

import streamlit as st

from st_page_state import PageState, StateVar


class Filters(PageState):
    status: Literal["pending", "active", "done"] = StateVar(default="pending", url_key="status")
    tags: list[str] = StateVar(default_factory=list, url_key="tag")
    urgent: bool = StateVar(default=False, url_key="urgent")
    note: str = StateVar(default="-", url_key="note")


class Search(PageState):
    q: str = StateVar(default="", url_key="q")


class Pager(PageState):
    page: int = StateVar(default=1, url_key="page")

    class Config:
        history = "push"


st.session_state["runs"] = st.session_state.get("runs", 0) + 1
st.radio("Status", ["pending", "active", "done"], **Filters.bind("status"))
st.multiselect("Tags", ["a", "b", "c"], **Filters.bind("tags"))
st.checkbox("Urgent", **Filters.bind("urgent"))
st.text_area("Note", **Filters.bind("note"))
with st.form("search"):
    st.text_input("Query", **Search.bind("q"))
    st.form_submit_button("Search")
if st.button("Next page"):
    Pager.page += 1
st.markdown(
    f"shown: {Filters.status} | {'+'.join(Filters.tags) or 'none'} | {Filters.urgent} | {Filters.note} | "
    f"{Search.q!r} | {Pager.page}"
)
st.markdown(f"runs: {st.session_state['runs']}")
