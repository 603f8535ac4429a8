"""Bound widgets inside ``st.fragment``: a change reruns only the fragment, the URL still follows.

AppTest always reruns the whole script, so :func:`run_fragment` asks
Streamlit's real ScriptRunner for a fragment-only rerun, the request the
browser sends when a widget inside a fragment changes.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib import parse

import pytest
from streamlit.proto.WidgetStates_pb2 import WidgetStates
from streamlit.runtime.scriptrunner import RerunData
from streamlit.testing.v1 import AppTest, app_test
from streamlit.testing.v1.element_tree import ElementTree, parse_tree_from_messages
from streamlit.testing.v1.local_script_runner import LocalScriptRunner, require_widgets_deltas

from st_page_state import testing
from tests.conftest import AppFactory, query, texts
from tests.test_widgets import stored


class _FragmentRunner(LocalScriptRunner):
    """LocalScriptRunner whose run() reruns the given fragments only."""

    fragment_ids: list[str] = []

    def run(
        self,
        widget_state: WidgetStates | None = None,
        query_params: dict[str, Any] | None = None,
        timeout: float = 3,
        page_hash: str = "",
        context_info: Any = None,
    ) -> ElementTree:
        # LocalScriptRunner queues a full-app rerun when it is created, and a
        # fragment request would coalesce into it: replace the pending request.
        self._requests._rerun_data = RerunData(
            widget_states=widget_state,
            query_string=parse.urlencode(query_params or {}, doseq=True),
            page_script_hash=page_hash,
            context_info=context_info,
            fragment_id_queue=list(self.fragment_ids),
            is_fragment_scoped_rerun=True,
        )
        try:
            if not self._script_thread:
                self.start()
            require_widgets_deltas(self, timeout)
        finally:
            self.join()
        return parse_tree_from_messages(self.forward_msgs())


@contextmanager
def _fragment_runs(fragment_id: str) -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_FragmentRunner, "fragment_ids", [fragment_id])
        patch.setattr(app_test, "LocalScriptRunner", _FragmentRunner)
        yield


def run_fragment(at: AppTest, states: WidgetStates | None = None) -> AppTest:
    """Rerun only the app's fragment (its id is in ``st.session_state.fragment_id``)."""
    with _fragment_runs(at.session_state["fragment_id"]):
        return at._run(states if states is not None else at._tree.get_widget_states())


APP = """
import streamlit as st
from st_page_state import PageState, StateVar

try:
    from streamlit.runtime.scriptrunner_utils.script_run_context import ThreadState

    def fragment_id():
        return ThreadState.get().fragment_id
except ImportError:  # Streamlit before 1.58 keeps it on the run's context
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    def fragment_id():
        return get_script_run_ctx().current_fragment_id

class Outside(PageState):
    a: str = StateVar(default="x", url_key="a")

class Inside(PageState):
    b: str = StateVar(default="p", url_key="b")

st.session_state.full_runs = st.session_state.get("full_runs", 0) + 1
st.selectbox("A", ["x", "y"], **Outside.bind("a"))

@st.fragment
def panel():
    st.session_state.fragment_id = fragment_id()
    st.selectbox("B", ["p", "q"], **Inside.bind("b"))
    st.button("a=y", on_click=lambda: setattr(Outside, "a", "y"))
    st.markdown(f"b={Inside.b} a={Outside.a}")

panel()
st.markdown(f"full_runs={st.session_state.full_runs}")
"""


def writes(at: AppTest) -> int:
    return int(testing.runtime_of(at).writes)


def test_change_in_a_fragment_reruns_only_it_and_writes_the_url_once(make_app: AppFactory) -> None:
    at = make_app(APP).run()
    assert query(at) == {"a": ["x"], "b": ["p"]}
    before = writes(at)
    at.selectbox[1].select("q")
    at = run_fragment(at)
    assert not at.exception, [e.message for e in at.exception]
    assert at.session_state["full_runs"] == 1, "the script body must not run"
    assert texts(at) == ["b=q a=x"], "only the fragment's output is redrawn"
    assert stored(at, "b", "Inside") == "q"
    assert query(at) == {"a": ["x"], "b": ["q"]}, "the outside state's param survives"
    assert writes(at) == before + 1


def test_fragment_changing_an_outside_field_updates_its_widget_on_the_next_full_run(make_app: AppFactory) -> None:
    at = make_app(APP).run()
    browser = WidgetStates()
    browser.CopyFrom(at._tree.get_widget_states())  # what the browser holds: A still shows "x"
    at.button[0].click()
    at = run_fragment(at)
    assert not at.exception, [e.message for e in at.exception]
    assert stored(at, "a", "Outside") == "y"
    assert query(at)["a"] == ["y"]
    at = at._run(browser)  # a full rerun, with the outside widget's stale browser value
    assert not at.exception
    assert at.selectbox[0].value == "y", "the field is not reverted by the stale widget"
    assert stored(at, "a", "Outside") == "y"
    assert texts(at)[0] == "b=p a=y"
