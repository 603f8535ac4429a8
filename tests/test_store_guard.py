"""The store guard: one warning per outage, no waiting on a dead backend, recovery."""

from __future__ import annotations

import logging

import pytest

from st_page_state.stores import MemoryStore, StoreError
from st_page_state.stores.guard import RETRY_SECONDS, StoreGuard, guard_for


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
    assert guard.set("i", "n", {"a": 1}, None)
    store.down = True
    with caplog.at_level(logging.DEBUG, logger="st_page_state"):
        assert guard.get("i", "n") == (False, None)
        calls = store.calls
        for _ in range(5):  # inside the back-off: no call reaches the dead backend
            assert not guard.set("i", "n", {"a": 2}, None)
        assert store.calls == calls
        now[0] += RETRY_SECONDS + 0.1
        assert not guard.set("i", "n", {"a": 2}, None)
        assert store.calls == calls + 1
        store.down = False
        now[0] += RETRY_SECONDS + 0.1
        assert guard.set("i", "n", {"a": 3}, None)
        assert guard.get("i", "n") == (True, {"a": 3})
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "failed to read" in warnings[0].getMessage()
    assert any("answers again" in r.getMessage() for r in caplog.records if r.levelno == logging.INFO)


def test_one_guard_per_store() -> None:
    store = MemoryStore()
    assert guard_for(store) is guard_for(store)
    assert guard_for(MemoryStore()) is not guard_for(store)
