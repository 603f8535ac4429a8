"""Fragments: a bound widget inside ``@st.fragment`` reruns only the fragment.

The chart controls live in a fragment: changing them redraws the chart
without rerunning the rest of the page (watch "page runs"), and the URL
still follows, in one update. The region picker outside the fragment is a
normal full rerun; its param stays in the URL while the fragment changes.

Run: streamlit run examples/fragment.py
"""

import math
from typing import Annotated, Literal

import streamlit as st
from pydantic import Field

from st_page_state import PageState, StateVar


class ReportState(PageState):
    region: Literal["north", "south"] = StateVar(default="north", url_key="region")


class ChartState(PageState):
    metric: Literal["sales", "visits"] = StateVar(default="sales", url_key="metric")
    days: Annotated[int, Field(ge=7, le=60)] = StateVar(default=14, url_key="days")


st.session_state["page_runs"] = st.session_state.get("page_runs", 0) + 1
st.title("Fragment")
st.radio("Region", ["north", "south"], horizontal=True, **ReportState.bind("region"))


@st.fragment
def chart() -> None:
    left, right = st.columns(2)
    left.segmented_control("Metric", ["sales", "visits"], required=True, **ChartState.bind("metric"))
    right.slider("Days", **ChartState.bind("days"))
    scale = 100 if ChartState.metric == "sales" else 40
    offset = 0.0 if ReportState.region == "north" else 1.5
    st.line_chart([scale * (1.2 + math.sin(day / 4 + offset)) for day in range(ChartState.days)])
    st.caption(f"Fragment URL part: `{ChartState.url()}`")


chart()
st.caption(f"page runs: {st.session_state['page_runs']} (a change inside the chart does not add one)")
