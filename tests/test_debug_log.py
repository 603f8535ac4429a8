"""``configure(debug=True)`` logs every decision of the engine, one kind per test.

Each test turns debugging on for its own block (``testing.configured``
restores the logger afterwards) and looks for the decision's log line.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import Iterator

import pytest

from st_page_state import bridge, session, testing
from st_page_state.log import LOGGER_NAME
from st_page_state.runtime import SessionRuntime
from st_page_state.session import url_write
from st_page_state.stores import MemoryStore, StoreError
from st_page_state.stores import guard as guard_module
from tests.conftest import AppFactory

APP = """
import streamlit as st
from st_page_state import PageState, StateVar

class Filters(PageState):
    status: str = StateVar(default="pending", url_key="status")
    page: int = StateVar(default=1, url_key="page")
    notes: str = StateVar(default="", url_key=None)

st.text_input("Notes", **Filters.bind("notes"))
if st.button("next page"):
    Filters.page += 1
st.markdown(f"page={Filters.page}")
"""


@pytest.fixture
def debug_log(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    with testing.configured(store=MemoryStore(), identity="tab", debug=True):
        caplog.clear()
        yield caplog
    assert logging.getLogger(LOGGER_NAME).level == logging.NOTSET  # configured() turned it off again


def lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == LOGGER_NAME]


def logged(caplog: pytest.LogCaptureFixture, fragment: str) -> list[str]:
    return [m for m in lines(caplog) if fragment in m]


def test_debug_is_off_by_default(make_app: AppFactory, caplog: pytest.LogCaptureFixture) -> None:
    with testing.configured(store=MemoryStore()), caplog.at_level(logging.INFO, logger=LOGGER_NAME):
        make_app(APP, query={"status": "active"}).run()
    assert not [r for r in caplog.records if r.name == LOGGER_NAME and r.levelno == logging.DEBUG]


def test_adopted_url_param(make_app: AppFactory, debug_log: pytest.LogCaptureFixture) -> None:
    make_app(APP, query={"status": "active"}).run()
    assert logged(debug_log, "Filters.status = 'active' (from the URL)")


def test_rejected_url_param(make_app: AppFactory, debug_log: pytest.LogCaptureFixture) -> None:
    make_app(APP, query={"page": "seven"}).run()
    (line,) = logged(debug_log, "Ignored URL parameter page='seven' for Filters.page")
    assert "The previous value was kept" in line


def test_widget_and_code_changes(make_app: AppFactory, debug_log: pytest.LogCaptureFixture) -> None:
    at = make_app(APP).run()
    at.text_input[0].input("typed").run()
    at.button[0].click().run()
    assert logged(debug_log, "Filters.notes = 'typed' (from a widget)")
    assert logged(debug_log, "Filters.page = 2 (from code)")


def test_identity_store_reads_writes_and_restores(make_app: AppFactory, debug_log: pytest.LogCaptureFixture) -> None:
    at = testing.set_tab_id(make_app(APP), "tab-1").run()
    assert logged(debug_log, "identity None -> tab:tab-1: completed from the store")
    assert logged(debug_log, "store read Filters for tab:tab-1: missing")
    at.text_input[0].input("remember me").run()
    assert logged(debug_log, "store write Filters for tab:tab-1: handed to the writer")
    assert logged(debug_log, "store write app.py:Filters for tab:tab-1: landed")
    debug_log.clear()
    testing.reload(at, query={}).run()
    assert logged(debug_log, "store read Filters for tab:tab-1: found")
    assert logged(debug_log, "Filters.notes = 'remember me' (from the store)")


def test_url_writes_and_the_held_first_write(
    make_app: AppFactory, debug_log: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bridge, "available", lambda: True)  # as on a `streamlit run` server
    monkeypatch.setattr(url_write, "BRIDGE_LOAD_S", 0.0)  # the bridge's script loaded at once
    at = make_app(APP).run()
    assert logged(debug_log, "(minted)")  # the identity decision for a new tab
    assert logged(debug_log, "the bridge applies the URL write (revision 1): status=pending&page=1")
    at.button[0].click().run()
    assert logged(debug_log, "wrote the URL (revision 2): status=pending&page=2")
    rt = testing.runtime_of(at)
    assert rt is not None and [w.kind for w in rt.url_writes] == ["held", "replace"]


def test_dropped_bridge_reports(debug_log: pytest.LogCaptureFixture) -> None:
    rt = SessionRuntime(revision=3)
    assert not session.apply_report(rt, bridge.BridgeReport(query="page=2", revision=2, cause="popstate"))
    assert logged(debug_log, "dropped a stale bridge report (revision 2 < 3)")
    assert not session.apply_report(rt, bridge.BridgeReport(query="", revision=3, cause="mount\nforged"))
    (line,) = logged(debug_log, "dropped a bridge report")
    assert "\n" not in line  # outside text cannot forge a log line
    assert bridge.parse_report({"query": 1, "revision": "x"}) is None
    assert logged(debug_log, "ignored a malformed URL bridge report")


class DownStore(MemoryStore):
    def get(self, identity: str, namespace: str) -> dict[str, object] | None:
        raise StoreError("connection refused")

    def set(self, identity: str, namespace: str, document: dict[str, object], ttl: float | None = None) -> None:
        raise StoreError("connection refused")


def test_store_failures(
    make_app: AppFactory, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(guard_module, "RETRY_SECONDS", 0.0)
    with testing.configured(store=DownStore(), identity="tab", debug=True):
        at = testing.set_tab_id(make_app(APP), "tab-1").run()
        at.button[0].click().run()
    assert len(logged(caplog, "failed to read")) == 1  # the outage: one warning
    assert logged(caplog, "still failing: StoreError: connection refused")  # later calls: debug
    assert logged(caplog, "store read Filters for tab:tab-1: failed")
    # Nothing is known of what the store holds: the change is not written over it, and the read is tried again.
    assert logged(caplog, "could not be read: it is read again in the background")
    assert not logged(caplog, "store write Filters")


def test_the_environment_variable_turns_debug_on() -> None:
    code = "from st_page_state.log import debugging; print(debugging())"
    env = {**os.environ, "ST_PAGE_STATE_DEBUG": "1"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"
    env["ST_PAGE_STATE_DEBUG"] = "0"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
