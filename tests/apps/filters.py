"""Browser-test app: one selectbox bound to a URL-synced field; counts runs."""

import streamlit as st

from st_page_state import PageState, StateVar


class FilterState(PageState):
    status: str = StateVar(default="pending", url_key="status")
    page: int = StateVar(default=1, url_key="page")


st.session_state["runs"] = st.session_state.get("runs", 0) + 1
st.selectbox("Status", ["pending", "active", "done"], **FilterState.bind("status"))
st.markdown(f"status: **{FilterState.status}**")
st.markdown(f"page: **{FilterState.page}**")
st.markdown(f"runs: {st.session_state['runs']}")
