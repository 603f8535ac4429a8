"""Browser-test app for "never lose work": URL params, a session-only note, a slow run on demand.

``WORK_STORE`` picks the store ("memory", "sqlite" with ``WORK_DB``, "redis"
with ``WORK_REDIS``; ``WORK_MAX_DOCUMENTS`` gives SQLite and Redis a budget).
A note starting with "slow" makes every run sleep at its end, after the
change was committed and drawn, so a test can reload while a run is still
going. ``WORK_TAIL`` (seconds) makes every run do that much work after its
widgets, as a page that draws a chart or queries data does. The note's default is not empty, so a painted
default cannot be confused with the empty value every Streamlit
``text_input`` shows for a moment while it mounts (native ones too). ``on_init`` records what it saw, so a test can
prove it ran on the restored state.
"""

import os
import time
from typing import Literal

import streamlit as st

import st_page_state
from st_page_state import PageState, StateVar
from st_page_state.stores import RedisStore, SQLiteStore

STORE = os.environ.get("WORK_STORE", "memory")
BUDGET = int(os.environ.get("WORK_MAX_DOCUMENTS", "100000"))
if STORE == "sqlite":
    st_page_state.configure(store=SQLiteStore(os.environ["WORK_DB"], max_documents=BUDGET))
elif STORE == "redis":
    st_page_state.configure(store=RedisStore(os.environ["WORK_REDIS"], max_documents=BUDGET))


class Work(PageState):
    status: Literal["pending", "active", "done"] = StateVar(default="pending", url_key="status")
    n: int = StateVar(default=5, url_key="n")
    note: str = StateVar(default="(empty)", url_key=None)

    @classmethod
    def on_init(cls) -> None:
        st.session_state["init_saw"] = f"{cls.status}/{cls.n}/{cls.note}"


st.session_state["runs"] = st.session_state.get("runs", 0) + 1
st.selectbox("Status", ["pending", "active", "done"], **Work.bind("status"))
st.number_input("N", step=1, max_value=100, **Work.bind("n"))  # ?n=101 is an int the widget cannot show
st.text_input("Note", **Work.bind("note"))
st.markdown(f"shown: {Work.status} | {Work.n} | {Work.note}")
st.markdown(f"runs: {st.session_state['runs']} | init saw: {st.session_state['init_saw']}")
st.markdown(f"server: {os.environ.get('SERVER_NAME', '-')}")
if Work.note.startswith("slow"):
    time.sleep(3)
time.sleep(float(os.environ.get("WORK_TAIL", "0")))  # a chart, a query: work after the widgets
