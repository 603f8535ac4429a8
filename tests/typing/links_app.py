"""Type-checked, never run: links and parsing feed Streamlit's navigation with no cast."""

import streamlit as st

from st_page_state import PageState, StateVar


class TaskState(PageState):
    status: str = StateVar(default="open", url_key="status")
    tags: list[str] = StateVar(default_factory=list, url_key="tag")


class TeamState(PageState):
    team: str = StateVar(default="all", url_key="team")


link = TaskState.link(status="done") | TeamState.link(team="web")
reveal_type(link["status"])
st.page_link("tasks.py", label="Done tasks", query_params=link)
st.page_link("tasks.py", label="x", query_params=3)  # error: not query params
st.link_button("Done tasks", link.href("tasks"))
if st.button("Go"):
    st.switch_page("tasks.py", query_params=TaskState.link(tags=["a", "b"]))

parsed = TaskState.parse(st.query_params)
reveal_type(parsed["tags"])
reveal_type(parsed.rejected["tags"].reason)
TaskState.parse({"tag": ["a", "b"], "status": "done"})
TaskState.parse("?status=done")
