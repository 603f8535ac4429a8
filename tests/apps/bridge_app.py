"""Browser-test app for the URL bridge: one radio bound to a URL-synced field.

Environment variables pick the variant, so one file serves every module:

* ``BRIDGE_TEST_HISTORY``: the state's ``Config.history`` ("replace" or "push");
* ``BRIDGE_TEST_BRIDGE=0``: ``st_page_state.configure(bridge=False)``;
* ``BRIDGE_TEST_STORE=0``: ``st_page_state.configure(store=False)`` (no persistence).

Script runs are counted per session and rendered, so tests can prove that
an edit settles without a rerun loop.
"""

import os
from typing import Literal

import streamlit as st

import st_page_state
from st_page_state import PageState, StateVar

st_page_state.configure(
    bridge=os.environ.get("BRIDGE_TEST_BRIDGE", "1") != "0",
    store=None if os.environ.get("BRIDGE_TEST_STORE", "1") != "0" else False,
)


class FilterState(PageState):
    status: Literal["pending", "active", "done"] = StateVar(default="pending", url_key="status")
    page: int = StateVar(default=1, url_key="page")

    class Config:
        history = os.environ.get("BRIDGE_TEST_HISTORY", "replace")


st.session_state["runs"] = st.session_state.get("runs", 0) + 1
st.radio("Status", ["pending", "active", "done"], **FilterState.bind("status"))
st.markdown(f"status: **{FilterState.status}**")
st.markdown(f"page: **{FilterState.page}**")
st.markdown(f"runs: **{st.session_state['runs']}**")
