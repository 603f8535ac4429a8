"""Browser-test app served by two processes behind nginx, sharing a RedisStore.

``REDIS_URL`` names the Redis server; ``SERVER_NAME`` is painted so a test
can tell which process answered. ``pins`` is session-only and set by a
button, not a widget: after a reconnect to another process, only the store
can bring it back (the browser re-sends widget values, never this).
"""

import os

import streamlit as st

import st_page_state
from st_page_state import PageState, StateVar
from st_page_state.stores import RedisStore

st_page_state.configure(store=RedisStore(os.environ["REDIS_URL"]))


class ReportState(PageState):
    status: str = StateVar(default="pending", url_key="status")
    page: int = StateVar(default=1, url_key="page")
    pins: int = StateVar(default=0, url_key=None)


st.selectbox("Status", ["pending", "active", "done"], **ReportState.bind("status"))
if st.button("Pin"):
    ReportState.pins += 1
st.markdown(f"status: **{ReportState.status}**")
st.markdown(f"page: **{ReportState.page}**")
st.markdown(f"pins: **{ReportState.pins}**")
st.markdown(f"server: **{os.environ.get('SERVER_NAME', '-')}**")
