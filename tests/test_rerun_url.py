"""A change followed by ``st.rerun()`` keeps its URL write.

``st.rerun()`` hands the next run the query string from before the change
(Streamlit captures it when ``st.rerun()`` is called, and the URL is written
after that, at the end of the interrupted run). The engine must not take
that stale query string for an edit of the URL and undo the change.
"""

from __future__ import annotations

from tests.conftest import AppFactory, query, texts

APP = """
import streamlit as st
from st_page_state import PageState, StateVar

class Wizard(PageState):
    step: int = StateVar(default=1, url_key="step")
    tags: list[str] = StateVar(default=[], url_key="tag")

st.markdown(f"step {Wizard.step} {Wizard.tags}")
if st.button("next"):
    Wizard.step += 1
    Wizard.tags = Wizard.tags + [str(Wizard.step)]
    st.rerun()
"""


def test_a_change_then_st_rerun_keeps_the_new_value_and_url(make_app: AppFactory) -> None:
    at = make_app(APP).run()
    at.button[0].click().run()
    assert not at.exception
    assert texts(at) == ["step 2 ['2']"]
    assert query(at) == {"step": ["2"], "tag": ["2"]}
    at.button[0].click().run()
    assert texts(at) == ["step 3 ['2', '3']"]
    assert query(at) == {"step": ["3"], "tag": ["2", "3"]}
    at.run()
    assert texts(at) == ["step 3 ['2', '3']"]


def test_an_edit_of_the_url_after_a_rerun_is_still_adopted(make_app: AppFactory) -> None:
    at = make_app(APP).run()
    at.button[0].click().run()
    at.query_params["step"] = "7"
    at.run()
    assert texts(at) == ["step 7 ['2']"]
    assert query(at)["step"] == ["7"]


COUNTER = """
import streamlit as st
from st_page_state import PageState, StateVar

class CounterState(PageState):
    count: int = StateVar(default=0, url_key="count")

def add() -> None:
    CounterState.count += 1

st.button("+1", on_click=add)
st.markdown(f"count {CounterState.count}")
"""


def test_clicks_sent_before_the_last_url_writes_arrived_do_not_undo_them(make_app: AppFactory) -> None:
    """Rapid clicks: the browser sends each click with the query string it holds, which lags the writes.

    The browser still holds ``count=0`` when the second click leaves, and has
    caught up only to ``count=1`` when the third does, while the engine wrote
    ``count=2``: each is a URL the engine wrote itself, an echo, not an edit.
    """
    at = make_app(COUNTER).run()
    at.button[0].click().run()
    at.query_params["count"] = "0"
    at.button[0].click().run()
    assert query(at) == {"count": ["2"]}
    at.query_params["count"] = "1"
    at.button[0].click().run()
    assert texts(at) == ["count 3"]
    assert query(at) == {"count": ["3"]}
    at.query_params["count"] = "9"  # a URL the engine never wrote is still an edit
    at.run()
    assert texts(at) == ["count 9"]
    at.query_params["count"] = "2"  # older than a write the browser already sent back: an edit too
    at.run()
    assert texts(at) == ["count 2"]
