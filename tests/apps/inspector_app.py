"""The inspector at the top of the sidebar, drawn before the page's state is used."""

import streamlit as st

import st_page_state
from st_page_state import PageState, StateVar

with st.sidebar:
    st_page_state.inspector(expanded=True)


class Filters(PageState):
    page: int = StateVar(default=1, url_key="page")
    q: str = StateVar(default="", url_key="q")


if st.button("next"):
    Filters.page += 1
st.markdown(f"page={Filters.page}")
