"""Browser-test app: each session names itself from the URL and keeps a log of what it saw."""

import time

import streamlit as st

from st_page_state import PageState, StateVar


class Who(PageState):
    name: str = StateVar(default="nobody", url_key="who")
    seen: list[str] = StateVar(default_factory=list)
    clicks: int = StateVar(default=0, url_key="clicks")


if st.button("click"):
    Who.clicks += 1
time.sleep(0.05)  # widen the window in which sessions run at the same time
Who.seen = sorted(set(Who.seen) | {Who.name})
st.markdown(f"who={Who.name} clicks={Who.clicks} seen={','.join(Who.seen)}")
