"""Multipage app: two pages with a state each, plus a sidebar state every page shares.

Each page owns its URL params (``?status=`` on Tasks, ``?sort=`` on People);
the sidebar's ``?team=`` is on every page. Switch pages: the URL shows the
open page's params only, and coming back restores that page's widgets and
params, because each state stays in the session while its page is closed.
The People page links to the Tasks page of each team with ``link()``.

Run: streamlit run examples/multipage/app.py
"""

import streamlit as st
from team_filter import SidebarState

with st.sidebar:
    st.radio("Team", ["all", "web", "data"], **SidebarState.bind("team"))

st.navigation(
    [
        st.Page("tasks.py", title="Tasks", icon=":material/checklist:"),
        st.Page("people.py", title="People", icon=":material/group:"),
    ]
).run()
