"""Store calls per script run, and what a session writes: few calls, whatever the page does.

At most one read per class on a tab's first run (none for a tab minted in
that run), at most one write call per run, batched across classes; a page
that only loads writes provisional documents, a page that runs again (a
person is there) writes them for good. The store here has a deadline, as
SQLite and Redis do, so its writes go through the write-behind.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence

import pytest

from st_page_state import testing
from st_page_state.identity import URL_COOKIE, held_urls_from_cookies
from st_page_state.session import saving
from st_page_state.stores import MemoryStore, StoreError
from st_page_state.stores.base import DocumentWrite
from tests.conftest import AppFactory

APP = """
import streamlit as st
from st_page_state import PageState, StateVar

class Filters(PageState):
    status: str = StateVar(default="pending", url_key="status")
    notes: str = StateVar(default="", url_key=None)
    clicks: int = StateVar(default=0, url_key=None)

class Paging(PageState):
    page: int = StateVar(default=1, url_key="page")

st.selectbox("Status", ["pending", "active", "done"], **Filters.bind("status"))
st.text_input("Notes", **Filters.bind("notes"))
if st.button("both"):
    Filters.clicks += 1
    Paging.page += 1
st.markdown(f"{Filters.status} {Filters.notes} {Paging.page}")
"""


class CountingStore(MemoryStore):
    """Counts calls; a deadline makes the guard and the write-behind treat it like SQLite or Redis."""

    deadline = 0.5

    def __init__(self) -> None:
        super().__init__()
        self.lock = threading.Lock()
        self.reads = 0
        self.write_calls: list[list[tuple[str, str, bool]]] = []

    def get(self, identity: str, namespace: str) -> dict[str, object] | None:
        with self.lock:
            self.reads += 1
        return super().get(identity, namespace)

    def set_many(self, writes: Sequence[DocumentWrite]) -> list[StoreError | None]:
        with self.lock:
            self.write_calls.append([(w.identity, w.namespace.split(":")[-1], w.provisional) for w in writes])
        return super().set_many(writes)

    def calls(self) -> tuple[int, int]:
        assert testing.wait_for_store()
        with self.lock:
            counts = (self.reads, len(self.write_calls))
            self.reads = 0
            self.write_calls.clear()
            return counts


@pytest.fixture
def store() -> Iterator[CountingStore]:
    counting = CountingStore()
    with testing.configured(store=counting):
        yield counting


def test_a_page_load_reads_each_class_once_and_writes_nothing(make_app: AppFactory, store: CountingStore) -> None:
    at = testing.set_tab_id(make_app(APP), "tab-1").run()
    assert store.calls() == (2, 0)
    at.run()
    assert store.calls() == (0, 0)  # later runs never read again


def test_a_run_that_changes_two_classes_writes_once(make_app: AppFactory, store: CountingStore) -> None:
    at = testing.set_tab_id(make_app(APP), "tab-1").run()
    at.run()
    store.calls()
    at.button[0].click().run()
    assert store.calls() == (0, 1)
    at.selectbox[0].select("active").run()
    assert store.calls() == (0, 1)
    at.run()
    assert store.calls() == (0, 0)  # nothing changed: nothing written


def test_a_page_that_only_loads_writes_provisionally_and_a_second_run_makes_it_durable(
    make_app: AppFactory, store: CountingStore
) -> None:
    at = testing.set_tab_id(make_app(APP, query={"status": "done", "page": "4"}), "tab-1").run()
    assert testing.wait_for_store()
    assert store.write_calls == [[("tab:tab-1", "Filters", True), ("tab:tab-1", "Paging", True)]]  # one call
    store.calls()
    at.run()  # a person is there: what was provisional is written for good, in one call
    assert testing.wait_for_store()
    assert store.write_calls == [[("tab:tab-1", "Filters", False), ("tab:tab-1", "Paging", False)]]
    again = testing.reload(at).run()
    assert testing.wait_for_store()
    assert again.markdown[0].value == "done  4"
    rt = testing.runtime_of(again)
    assert rt is not None and rt.persistence.confirmed  # the stored documents say so


def test_the_end_of_a_run_leaves_no_wait_behind_with_a_healthy_store(make_app: AppFactory, store: CountingStore) -> None:
    at = testing.set_tab_id(make_app(APP), "tab-1").run()
    at.run()
    at.text_input[0].input("typed").run()
    rt = testing.runtime_of(at)
    assert rt is not None and rt.persistence.pending == {}  # landed before the run ended
    assert saving.poll_ms(rt.persistence, 0.0) is None  # the bridge is asked for no extra run


def test_the_url_cookie_is_read_and_checked() -> None:
    assert held_urls_from_cookies({URL_COOKIE: "%3Fn%3D5%26status%3Dpending"}) == ["?n=5&status=pending"]
    assert held_urls_from_cookies({URL_COOKIE: "%3Fn%3D5|%3Fn%3D6"}) == ["?n=5", "?n=6"]  # two shown in its last seconds
    assert held_urls_from_cookies({URL_COOKIE: "%3F"}) == ["?"]  # the page showed no params: known, and empty
    assert held_urls_from_cookies({}) is None
    assert held_urls_from_cookies({URL_COOKIE: ""}) is None
    assert held_urls_from_cookies({URL_COOKIE: "n%3D5"}) is None  # not what the bridge writes
    assert held_urls_from_cookies({URL_COOKIE: "%3F|%3F|%3F|%3F|%3F"}) is None
    assert held_urls_from_cookies({URL_COOKIE: "%3F" + "x" * 5000}) is None
