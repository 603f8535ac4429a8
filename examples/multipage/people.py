"""People page: its own state (sort order, inactive toggle), plus the shared team filter.

Its links to the Tasks page are built with ``link()``: the states of the
target page, merged with ``|``, as query params for ``st.page_link``.
"""

from typing import Literal

import streamlit as st
from task_filter import TaskState
from team_filter import SidebarState

from st_page_state import PageState, StateVar

PEOPLE = [("Ada", "data", True), ("Grace", "web", True), ("Linus", "web", False), ("Edsger", "data", True)]


class PeopleState(PageState):
    sort: Literal["name", "team"] = StateVar(default="name", url_key="sort")
    show_inactive: bool = StateVar(default=False, url_key="inactive")


st.title("People")
st.selectbox("Sort by", ["name", "team"], **PeopleState.bind("sort"))
st.toggle("Show inactive", **PeopleState.bind("show_inactive"))
shown = [p for p in PEOPLE if SidebarState.team in ("all", p[1]) and (p[2] or PeopleState.show_inactive)]
for name, team, active in sorted(shown, key=lambda p: p[0] if PeopleState.sort == "name" else p[1]):
    st.write(f"- {name} ({team}){'' if active else ' · inactive'}")

st.subheader("Open tasks by team")
for team in ("web", "data"):
    st.page_link(
        "tasks.py",
        label=f"Open {team} tasks",
        icon=":material/checklist:",
        query_params=SidebarState.link(team=team) | TaskState.link(status="open"),
    )
