"""Persistence: reload the tab, or delete the params from the address bar, and your work is still there.

The search filters live in the URL; the notes are session-only
(``url_key=None``) and never appear in it. Both are kept for this tab by
the default in-process memory store: a reload, or an edit of the address
bar (which reloads the page), brings them back. A new tab starts fresh.

Set ``STATE_STORE=sqlite`` to keep state in ``st_page_state.db`` across
server restarts, or ``STATE_STORE=redis://localhost:6379/0`` to share it
between several server processes.

Run: streamlit run examples/persistence.py
"""

import os
from typing import Annotated

import streamlit as st
from pydantic import Field

import st_page_state
from st_page_state import PageState, StateVar

backend = os.environ.get("STATE_STORE", "memory")
if backend == "sqlite":
    from st_page_state.stores import SQLiteStore

    st_page_state.configure(store=SQLiteStore("st_page_state.db"))
elif backend.startswith(("redis://", "rediss://")):
    from st_page_state.stores import RedisStore

    st_page_state.configure(store=RedisStore(backend))


class LibrarySearch(PageState):
    class Config:
        ttl = 7 * 24 * 3600  # forget a tab's search after a week without changes

    query: str = StateVar(default="", url_key="q")
    genre: str = StateVar(default="any", url_key="genre")
    page: Annotated[int, Field(ge=1)] = StateVar(default=1, url_key="page")
    notes: str = StateVar(default="", url_key=None, description="Session-only: kept per tab, never in the URL")


st.title("Persistence")
st.text_input("Search", **LibrarySearch.bind("query"))
st.selectbox("Genre", ["any", "novel", "poetry", "essay"], **LibrarySearch.bind("genre"))
previous, current, following = st.columns([1, 2, 1])
if previous.button("◀ Previous", disabled=LibrarySearch.page <= 1):
    LibrarySearch.page -= 1
if following.button("Next ▶"):
    LibrarySearch.page += 1
current.markdown(f"Page **{LibrarySearch.page}**")
st.text_area("Notes (not in the URL, still kept for this tab)", **LibrarySearch.bind("notes"))

st.caption(f"Store: `{backend}`. In the URL: `{LibrarySearch.url() or '(empty)'}`")
st.info(
    "Try it: change the search, write a note, then reload the page, or remove `?q=...` from the "
    "address bar and press Enter. Open the same address in a new tab to see a fresh start."
)
