"""Browser-test app: a state changed inside a fragment, another state outside it."""

import streamlit as st

from st_page_state import PageState, StateVar


class Outside(PageState):
    a: int = StateVar(default=1, url_key="a")


class Inside(PageState):
    b: int = StateVar(default=2, url_key="b")


st.session_state["full_runs"] = st.session_state.get("full_runs", 0) + 1
st.markdown(f"a={Outside.a}")


@st.fragment
def counter() -> None:
    if st.button("inc"):
        Inside.b += 1
    st.markdown(f"b={Inside.b}")


counter()
st.markdown(f"full_runs={st.session_state['full_runs']}")
