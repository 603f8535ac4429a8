"""Simple counter: one ``int`` field that lives in the session and in the URL.

Click the buttons, then refresh the page or share the link: the count is
still there (``?count=3``). Type another number in the address bar and the
app adopts it; type ``?count=abc`` and it keeps its value with a warning.

Run: streamlit run examples/counter.py
"""

import streamlit as st

from st_page_state import PageState, StateVar


class CounterState(PageState):
    count: int = StateVar(default=0, url_key="count")


def add(step: int) -> None:
    CounterState.count += step


st.title("Counter")
minus, plus, reset = st.columns(3)
minus.button("−1", on_click=add, args=(-1,), width="stretch")
plus.button("+1", on_click=add, args=(1,), width="stretch")
reset.button("Reset", on_click=CounterState.reset, width="stretch")

st.metric("Count", CounterState.count)
st.caption(f"This state in the URL: `{CounterState.url() or '(empty)'}`")
