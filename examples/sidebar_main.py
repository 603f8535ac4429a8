"""A sidebar state and a main state sharing the URL (``Config.share_url_with``).

States are *selfish* by default: when one changes, it drops the URL params
of states it does not share the URL with (stale params of another page, for
example). Here the sidebar filters and the main view belong to one screen,
so each lists the other in ``share_url_with``. Hide the details, change the
region: ``MainState`` is not used in that run, yet ``?view=table`` stays in
the URL, so the shared link still opens the table.

Run: streamlit run examples/sidebar_main.py
"""

from typing import Literal

import streamlit as st

from st_page_state import PageState, StateVar

SALES = {
    ("EU", 2023): [12, 15, 11, 18],
    ("EU", 2024): [14, 17, 16, 21],
    ("US", 2023): [22, 19, 25, 27],
    ("US", 2024): [24, 26, 23, 31],
}


class SidebarState(PageState):
    region: Literal["EU", "US"] = StateVar(default="EU", url_key="region")
    year: Literal[2023, 2024] = StateVar(default=2024, url_key="year")
    details: bool = StateVar(default=True, url_key="details")

    class Config:
        share_url_with = ["MainState"]  # by name: MainState is defined below


class MainState(PageState):
    view: Literal["chart", "table"] = StateVar(default="chart", url_key="view")

    class Config:
        share_url_with = [SidebarState]


with st.sidebar:
    st.header("Filters")
    st.radio("Region", ["EU", "US"], **SidebarState.bind("region"))
    st.selectbox("Year", [2023, 2024], **SidebarState.bind("year"))
    st.toggle("Show details", **SidebarState.bind("details"))

quarters = SALES[(SidebarState.region, SidebarState.year)]
st.title(f"Sales · {SidebarState.region} {SidebarState.year}")
st.metric("Total", sum(quarters))

if SidebarState.details:
    st.segmented_control("View", ["chart", "table"], required=True, **MainState.bind("view"))
    if MainState.view == "chart":
        st.bar_chart({"sales": quarters})
    else:
        st.table({"quarter": ["Q1", "Q2", "Q3", "Q4"], "sales": quarters})
