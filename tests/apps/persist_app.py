"""Browser-test app for persistence: the store comes from the environment.

``PERSIST_STORE``: ``memory`` (default), ``sqlite:<path>`` or ``redis:<url>``.
``SERVER_NAME`` is shown on the page so a test can tell which server
process answered.
"""

import os

import streamlit as st

import st_page_state
from st_page_state import PageState, StateVar
from st_page_state.stores import RedisStore, SQLiteStore

spec = os.environ.get("PERSIST_STORE", "memory")
if spec.startswith("sqlite:"):
    st_page_state.configure(store=SQLiteStore(spec.removeprefix("sqlite:")))
elif spec.startswith("redis:"):
    st_page_state.configure(store=RedisStore(spec.removeprefix("redis:"), timeout=0.5))


class FilterState(PageState):
    status: str = StateVar(default="pending", url_key="status")
    page: int = StateVar(default=1, url_key="page")
    notes: str = StateVar(default="", url_key=None)


st.session_state["runs"] = st.session_state.get("runs", 0) + 1
st.selectbox("Status", ["pending", "active", "done"], **FilterState.bind("status"))
st.text_input("Notes", **FilterState.bind("notes"))
if st.button("Next page"):
    FilterState.page += 1
st.markdown(f"status: **{FilterState.status}**")
st.markdown(f"page: **{FilterState.page}**")
st.markdown(f"notes: **{FilterState.notes or '(none)'}**")
st.markdown(f"server: {os.environ.get('SERVER_NAME', '-')}")
st.markdown(f"runs: {st.session_state['runs']}")
