"""The store guard: one warning per outage, no waiting on a dead backend, recovery."""

from __future__ import annotations

import gc
import logging
import threading
import time
import weakref

import pytest

from st_page_state.log import MAX_SHOWN as LOG_TEXT_LIMIT
from st_page_state.stores import BadDocumentError, MemoryStore, StoreError, StoreFullError, StoreTimeoutError
from st_page_state.stores import workers as workers_module
from st_page_state.stores.guard import (
    BAD_DATA_WARNING_INTERVAL,
    DEADLINE_GRACE,
    RETRY_SECONDS,
    StoreGuard,
    StoreRead,
    guard_for,
)


class Switchable(MemoryStore):
    down = False
    calls = 0

    def get(self, identity: str, namespace: str) -> dict[str, object] | None:
        self.calls += 1
        if self.down:
            raise StoreError("down")
        return super().get(identity, namespace)

    def set(self, identity: str, namespace: str, document: dict[str, object], ttl: float | None = None) -> None:
        self.calls += 1
        if self.down:
            raise OSError("disk full")  # not a StoreError: custom stores may raise anything
        super().set(identity, namespace, document, ttl)


def test_failures_warn_once_back_off_and_recover(caplog: pytest.LogCaptureFixture) -> None:
    now = [0.0]
    store = Switchable()
    guard = StoreGuard(store, clock=lambda: now[0])
    assert guard.write("i", "n", {"a": 1}, None).ok
    store.down = True
    with caplog.at_level(logging.DEBUG, logger="st_page_state"):
        assert guard.read("i", "n").status == "failed"
        calls = store.calls
        for _ in range(5):  # inside the back-off: no call reaches the dead backend
            assert not guard.write("i", "n", {"a": 2}, None).ok
        assert store.calls == calls
        now[0] += RETRY_SECONDS + 0.1
        assert not guard.write("i", "n", {"a": 2}, None).ok
        assert store.calls == calls + 1
        store.down = False
        now[0] += RETRY_SECONDS + 0.1
        assert guard.write("i", "n", {"a": 3}, None).ok
        assert guard.read("i", "n").document == {"a": 3}
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "failed to read" in warnings[0].getMessage()
    assert any("answers again" in r.getMessage() for r in caplog.records if r.levelno == logging.INFO)


def test_one_guard_per_store() -> None:
    store = MemoryStore()
    assert guard_for(store) is guard_for(store)
    assert guard_for(MemoryStore()) is not guard_for(store)


# ------------------------------------------------------------ deadlines
class GatedStore(MemoryStore):
    """A custom store with no timeouts of its own: writes of ``held`` keys wait until ``gate`` opens.

    Like a store on a network file system that stopped answering.
    """

    deadline = 0.3

    def __init__(self) -> None:
        super().__init__()
        self.gate = threading.Event()
        self.held: set[str] = set()
        self.started: list[str] = []

    def set(self, identity: str, namespace: str, document: dict[str, object], ttl: float | None = None) -> None:
        self.started.append(identity)
        if identity in self.held:
            self.gate.wait(30)
        super().set(identity, namespace, document, ttl)


def test_a_store_that_never_answers_costs_a_run_one_deadline() -> None:
    now = [0.0]
    store = GatedStore()
    store.held.add("tab:stuck")
    guard = StoreGuard(store, clock=lambda: now[0])
    try:
        started = time.monotonic()
        result = guard.write("tab:stuck", "ns", {"v": 1}, None)
        took = time.monotonic() - started
        assert result.status == "failed" and isinstance(result.error, StoreTimeoutError)
        assert 0.25 < took < 0.3 + DEADLINE_GRACE + 0.5, took
        assert guard.health().stranded_calls == 1

        now[0] += RETRY_SECONDS + 0.1
        # The stuck write may still land: a newer write of the same document
        # is not started (it could be overtaken), and fails at once.
        started = time.monotonic()
        newer = guard.write("tab:stuck", "ns", {"v": 2}, None)
        assert newer.status == "failed" and "not finished" in (newer.detail or "")
        assert time.monotonic() - started < 0.1
        assert store.started.count("tab:stuck") == 1

        now[0] += RETRY_SECONDS + 0.1
        assert guard.write("tab:other", "ns", {"v": 1}, None).ok  # other documents are written
        store.gate.set()
        deadline = time.monotonic() + 5
        while guard.health().stranded_calls and time.monotonic() < deadline:
            time.sleep(0.01)
        assert guard.health().stranded_calls == 0
        assert guard.write("tab:stuck", "ns", {"v": 3}, None).ok
        assert store.get("tab:stuck", "ns") == {"v": 3}
    finally:
        store.gate.set()


def test_a_call_that_waited_for_a_worker_past_its_deadline_never_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Otherwise a write given up on would land late, over newer state."""
    monkeypatch.setattr(workers_module, "MAX_WORKERS", 1)
    now = [0.0]
    store = GatedStore()
    store.held.add("tab:stuck")
    guard = StoreGuard(store, clock=lambda: now[0])
    try:
        assert not guard.write("tab:stuck", "ns", {}, None).ok  # holds the only worker
        now[0] += RETRY_SECONDS + 0.1
        started = time.monotonic()
        queued = guard.write("tab:queued", "ns", {"late": True}, None)
        assert queued.status == "failed" and "no worker was free" in (queued.detail or "")
        assert time.monotonic() - started < 0.3 + DEADLINE_GRACE + 0.5
    finally:
        store.gate.set()
    time.sleep(0.3)  # the worker is free again and would run anything still queued
    assert store.started == ["tab:stuck"]
    assert store.get("tab:queued", "ns") is None


def test_calls_of_a_store_with_a_deadline_run_beside_each_other() -> None:
    """Sessions never queue behind a slow call of another session: each has its own worker."""

    class Slow(MemoryStore):
        deadline = 2.0

        def get(self, identity: str, namespace: str) -> dict[str, object] | None:
            time.sleep(0.3)
            return super().get(identity, namespace)

    guard = StoreGuard(Slow())
    results: list[StoreRead] = []
    threads = [threading.Thread(target=lambda: results.append(guard.read("i", "n"))) for _ in range(8)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [r.status for r in results] == ["missing"] * 8
    assert time.monotonic() - started < 1.0  # 8 x 0.3 s if they took turns


# ------------------------------------------------------------ bad data
def test_refused_documents_are_not_an_outage_and_warn_once_a_minute(caplog: pytest.LogCaptureFixture) -> None:
    now = [0.0]
    store = MemoryStore(max_document_bytes=100, max_entries=1, protect_seconds=60)
    guard = StoreGuard(store, clock=lambda: now[0])
    with caplog.at_level(logging.DEBUG, logger="st_page_state"):
        for _ in range(3):
            refused = guard.write("tab:a", "app.py:Big", {"pad": "x" * 200}, None)
            assert refused.status == "rejected" and isinstance(refused.error, BadDocumentError)
        assert guard.write("tab:a", "app.py:Small", {}, None).ok  # no pause: the store works
        full = guard.write("tab:b", "app.py:Small", {}, None)  # the one entry is recently used
        assert full.status == "rejected" and isinstance(full.error, StoreFullError)
        now[0] += BAD_DATA_WARNING_INTERVAL
        assert guard.write("tab:a", "app.py:Big", {"pad": "x" * 200}, None).status == "rejected"
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 3, warnings  # Big, full, Big a minute later
    assert "tab:a / app.py:Big" in warnings[0] and "over the size limit of 100 bytes" in warnings[0]
    assert "not saved" in warnings[0] and "session only" in warnings[0]
    assert "full" in warnings[1]
    assert len([r for r in caplog.records if r.levelno == logging.DEBUG and "app.py:Big" in r.getMessage()]) == 2
    health = guard.health()
    assert health.healthy and health.outages == 0 and health.bad_documents == 5


def test_a_bad_document_answers_the_probe_after_an_outage() -> None:
    now = [0.0]

    class Recovering(Switchable):
        def get(self, identity: str, namespace: str) -> dict[str, object] | None:
            if not self.down and identity == "tab:bad":
                raise BadDocumentError("the stored document is not valid JSON")
            return super().get(identity, namespace)

    store = Recovering()
    guard = StoreGuard(store, clock=lambda: now[0])
    store.down = True
    assert guard.read("tab:bad", "n").status == "failed"
    store.down = False
    now[0] += RETRY_SECONDS + 0.1
    assert guard.read("tab:bad", "n").status == "bad"
    assert guard.healthy  # the backend answered: the outage is over


def test_store_text_in_logs_is_cut_and_kept_on_one_line(caplog: pytest.LogCaptureFixture) -> None:
    class Chatty(MemoryStore):
        def get(self, identity: str, namespace: str) -> dict[str, object] | None:
            raise StoreError("server said: " + "x" * 10_000 + "\nWARNING forged line")

    guard = StoreGuard(Chatty())
    with caplog.at_level(logging.WARNING, logger="st_page_state"):
        assert guard.read("tab:" + "y" * 5_000, "n").status == "failed"
    (record,) = caplog.records
    message = record.getMessage()
    assert "\n" not in message and len(message) < 3 * LOG_TEXT_LIMIT + 200
    health = guard.health()
    assert health.last_error is not None and len(health.last_error) == LOG_TEXT_LIMIT


def test_delete_through_the_guard() -> None:
    store = MemoryStore()
    guard = StoreGuard(store)
    assert guard.write("i", "n", {"a": 1}, None).ok
    assert guard.delete("i", "n")
    assert guard.read("i", "n") == StoreRead("missing")


def test_a_guard_goes_with_its_store() -> None:
    store = MemoryStore()
    guard_for(store)
    dead = weakref.ref(store)
    del store
    gc.collect()
    assert dead() is None


def test_a_custom_store_returning_something_else_than_a_document_is_bad_data() -> None:
    class Sloppy(MemoryStore):
        def get(self, identity: str, namespace: str) -> dict[str, object] | None:
            return ["not", "a", "dict"]  # type: ignore[return-value]

    guard = StoreGuard(Sloppy())
    result = guard.read("i", "n")
    assert result.status == "bad" and "list" in (result.detail or "")
    assert guard.healthy
