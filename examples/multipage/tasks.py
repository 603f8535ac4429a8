"""Tasks page: its own state (status filter and search), plus the shared team filter."""

import streamlit as st
from task_filter import TaskState
from team_filter import SidebarState

TASKS = [
    ("Fix login", "web", "open"),
    ("Nightly import", "data", "done"),
    ("New landing page", "web", "done"),
    ("Dashboard query", "data", "open"),
]


st.title("Tasks")
st.pills("Status", ["open", "done"], **TaskState.bind("status"))
st.text_input("Search", **TaskState.bind("search"))
for title, team, status in TASKS:
    if SidebarState.team in ("all", team) and TaskState.status in (None, status):
        if TaskState.search.lower() in title.lower():
            st.write(f"- {title} ({team}, {status})")
