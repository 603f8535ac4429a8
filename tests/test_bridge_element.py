"""The URL element as Streamlit sees it: sent again in every run, and cheap for session state to keep.

An element a run does not send is removed from the page, so the URL
element goes out with every run; while its data is unchanged, a copy of the
message is sent as it is (``_streamlit.send_again``). Streamlit presents a
component's state through a presenter that defines a class per call; the
URL element's state is shown as stored unless one of its triggers fired
(``_streamlit.present_only_with_triggers``).
"""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import streamlit
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from st_page_state import _streamlit as stx
from st_page_state._streamlit.inventory import minor

from .conftest import AppFactory, bridge_data, texts

APP = """
import streamlit as st
from st_page_state import PageState, StateVar
from st_page_state import _streamlit as stx
from st_page_state.bridge import BRIDGE_KEY

class Counter(PageState):
    n: int = StateVar(default=0, url_key="n")

if st.button("add"):
    Counter.n += 1
st.markdown(f"n={Counter.n}")
state = stx.current_context().session_state._state
widget_id = stx.widget_id_of_key(state, BRIDGE_KEY)
if widget_id is not None:  # the element of the previous run, kept
    presenter = stx.widget_metadata(state, widget_id).presenter
    st.markdown(f"presented only with triggers: {getattr(presenter, stx.PRESENT_MARK, False)}")
    # Streamlit before 1.66 keeps no state for a component that never set one: the key is absent.
    st.markdown(f"reads as {dict(st.session_state[BRIDGE_KEY]) if BRIDGE_KEY in st.session_state else 'absent'}")
"""
EMPTY_STATE_KEPT = minor(streamlit.__version__) >= (1, 66)
"""Streamlit 1.66 keeps a component's empty state under its key; before, the key is absent until a state is set."""


def test_the_url_element_goes_out_with_every_run_and_follows_the_state(make_app: AppFactory) -> None:
    at = make_app(APP).run()
    first = bridge_data(at)
    assert first is not None and first["expected"] == "n=0"
    for _ in range(3):  # idle runs: the same element again, no component call
        at.run()
        assert bridge_data(at) == first
    at.button[0].click().run()
    changed = bridge_data(at)
    assert changed is not None and changed["expected"] == "n=1" and changed["revision"] != first["revision"]
    at.run()
    assert bridge_data(at) == changed
    assert "n=1" in texts(at)


def test_session_state_shows_the_url_elements_state_as_stored_between_triggers(make_app: AppFactory) -> None:
    at = make_app(APP).run().run()
    assert "presented only with triggers: True" in texts(at)  # not Streamlit's view, whose class is made per call
    assert ("reads as {}" if EMPTY_STATE_KEPT else "reads as absent") in texts(at)
    at.button[0].click().run().run()
    assert "presented only with triggers: True" in texts(at)


@dataclass(frozen=True)
class _Metadata:
    id: str
    presenter: Any


class _WidgetStates(dict[str, Any]):
    def __init__(self) -> None:
        super().__init__()
        self.widget_metadata: dict[str, _Metadata] = {}

    def set_widget_metadata(self, meta: _Metadata) -> None:
        self.widget_metadata[meta.id] = meta


class _SessionState:
    def __init__(self) -> None:
        self._new_widget_state = _WidgetStates()

    def get_widget_metadata(self, widget_id: str) -> _Metadata | None:
        return self._new_widget_state.widget_metadata.get(widget_id)

    _get_widget_metadata = get_widget_metadata  # its name before Streamlit 1.67


def test_the_original_presenter_runs_only_when_a_trigger_fired() -> None:
    state = _SessionState()
    calls: list[object] = []

    def original(base: object, session_state: object) -> object:
        calls.append(base)
        return {"merged": True}

    state._new_widget_state.set_widget_metadata(_Metadata("X", original))
    message = ForwardMsg()
    message.delta.new_element.bidi_component.id = "X"
    element = stx.SentElement(message, frozenset({"X", "X__events"}))
    ctx: Any = SimpleNamespace(session_state=SimpleNamespace(_state=state))
    stx.present_only_with_triggers(ctx, element)
    stx.present_only_with_triggers(ctx, element)  # wrapped once
    present = state._new_widget_state.widget_metadata["X"].presenter

    assert present({"kept": 1}, state) == {"kept": 1} and calls == []
    state._new_widget_state["X__events"] = None  # triggers reset after a run
    assert present({"kept": 1}, state) == {"kept": 1} and calls == []
    state._new_widget_state["X__events"] = [{"event": "report", "value": {"query": "n=2"}}]
    assert present({"kept": 1}, state) == {"merged": True} and calls == [{"kept": 1}]
