"""Every store has a budget: provisional documents go first and live minutes; recently written work never goes.

A *provisional* document is the state of a page that only loaded (a bare
websocket, a crawler, a link preview): nobody's work yet. The memory store
bounds its entries (``max_entries``), SQLite and Redis their documents
(``max_documents``); all three evict provisional documents first, then
documents idle for longer than ``protect_seconds``, and refuse a new
document rather than evict anything fresher.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis

from st_page_state.stores import MemoryStore, SQLiteStore, Store, StoreFullError
from st_page_state.stores.base import PROVISIONAL_TTL, DocumentWrite
from tests.redis_server import RedisServer

Budgeted = Callable[..., Store]


@pytest.fixture(params=["memory", "sqlite", pytest.param("redis", marks=pytest.mark.redis)])
def budgeted(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Budgeted]:
    """``budgeted(documents, protect_seconds=...)``: a store of each kind that keeps that many documents."""
    made: list[Store] = []

    def factory(documents: int, *, protect_seconds: float = 1800.0, provisional_ttl: float = PROVISIONAL_TTL) -> Store:
        if request.param == "memory":
            store: Store = MemoryStore(documents, protect_seconds=protect_seconds)
            store.provisional_ttl = provisional_ttl
        elif request.param == "sqlite":
            store = SQLiteStore(
                tmp_path / "budget.db",
                max_documents=documents,
                protect_seconds=protect_seconds,
                provisional_ttl=provisional_ttl,
            )
        else:
            from st_page_state.stores import RedisStore

            server: RedisServer = request.getfixturevalue("redis_server")
            store = RedisStore(
                server.url, max_documents=documents, protect_seconds=protect_seconds, provisional_ttl=provisional_ttl
            )
        made.append(store)
        return store

    yield factory
    for store in made:
        close = getattr(store, "close", None)
        if close is not None:
            close()


def write(identity: str, provisional: bool = False) -> DocumentWrite:
    return DocumentWrite(identity, "app.py:Work", {"values": {"who": identity}}, provisional=provisional)


def kept(store: Store, *identities: str) -> list[str]:
    return [i for i in identities if store.get(i, "app.py:Work") is not None]


def test_provisional_documents_make_room_first_oldest_first(budgeted: Budgeted) -> None:
    store = budgeted(4)
    assert store.set_many([write("tab:work-1"), write("tab:flood-1", True), write("tab:flood-2", True)]) == [None] * 3
    assert store.set_many([write("tab:work-2")]) == [None]  # the budget is full now
    assert store.set_many([write("tab:flood-3", True)]) == [None]  # evicts the oldest provisional one
    assert kept(store, "tab:flood-1", "tab:flood-2", "tab:flood-3") == ["tab:flood-2", "tab:flood-3"]
    assert store.set_many([write("tab:work-3"), write("tab:work-4")]) == [None, None]
    assert kept(store, "tab:work-1", "tab:work-2", "tab:work-3", "tab:work-4") == [
        "tab:work-1", "tab:work-2", "tab:work-3", "tab:work-4",
    ]  # fmt: skip


def test_recent_work_is_never_evicted_a_new_document_is_refused_instead(budgeted: Budgeted) -> None:
    store = budgeted(2)
    store.set_many([write("tab:a"), write("tab:b")])
    (refused,) = store.set_many([write("tab:c", True)])
    assert isinstance(refused, StoreFullError)
    assert kept(store, "tab:a", "tab:b", "tab:c") == ["tab:a", "tab:b"]
    assert store.set_many([write("tab:a")]) == [None]  # an update needs no room
    with pytest.raises(StoreFullError):
        store.set("tab:d", "app.py:Work", {})


def test_work_idle_past_protect_seconds_makes_room(budgeted: Budgeted) -> None:
    store = budgeted(2, protect_seconds=0.3)
    store.set_many([write("tab:old")])
    time.sleep(0.5)
    store.set_many([write("tab:recent")])
    assert store.set_many([write("tab:new")]) == [None]
    assert kept(store, "tab:old", "tab:recent", "tab:new") == ["tab:recent", "tab:new"]


def test_a_provisional_document_becomes_durable_when_written_again_for_good(budgeted: Budgeted) -> None:
    store = budgeted(2)
    store.set_many([write("tab:a", True)])
    store.set_many([write("tab:a")])  # the tab was confirmed
    store.set_many([write("tab:b")])
    assert isinstance(store.set_many([write("tab:c", True)])[0], StoreFullError)
    assert kept(store, "tab:a", "tab:b") == ["tab:a", "tab:b"]


def test_one_refused_document_does_not_stop_the_others(budgeted: Budgeted) -> None:
    store = budgeted(10)
    huge = DocumentWrite("tab:x", "ns", {"text": "x" * (store.max_document_bytes + 1)})
    results = store.set_many([write("tab:a"), huge, write("tab:b")])
    assert results[0] is None and results[2] is None and results[1] is not None
    assert kept(store, "tab:a", "tab:b") == ["tab:a", "tab:b"]


@pytest.mark.redis
def test_redis_provisional_keys_live_minutes_and_the_budget_index_stays_apart(redis_server: RedisServer) -> None:
    from st_page_state.stores import RedisStore

    store = RedisStore(redis_server.url, provisional_ttl=120, max_documents=100)
    store.set_many([write("tab:bare", True), write("tab:person")])
    raw = redis.Redis.from_url(redis_server.url)
    assert 0 < raw.pttl(store.key("tab:bare", "app.py:Work")) <= 120_000
    assert raw.pttl(store.key("tab:person", "app.py:Work")) > 29 * 24 * 3600 * 1000  # 30 days
    assert sorted(raw.keys("st_page_state:*")) == sorted(
        store.key(i, "app.py:Work").encode() for i in ("tab:bare", "tab:person")
    )  # the index keys are not under "<prefix>:"
    store.delete("tab:bare", "app.py:Work")
    assert raw.zcard("st_page_state~written") == 1 and raw.zcard("st_page_state~provisional") == 0


def test_sqlite_counts_documents_across_processes_and_upgrades_an_old_file(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "old.db"
    old = sqlite3.connect(path)
    old.execute(
        "CREATE TABLE st_page_state (identity TEXT NOT NULL, namespace TEXT NOT NULL, document TEXT NOT NULL, "
        "expires_at REAL, PRIMARY KEY (identity, namespace)) WITHOUT ROWID"
    )
    old.execute("INSERT INTO st_page_state VALUES ('tab:before', 'app.py:Work', '{\"values\":{}}', NULL)")
    old.commit()
    old.close()
    store = SQLiteStore(path, max_documents=2)
    assert store.get("tab:before", "app.py:Work") == {"values": {}}  # the old table, upgraded in place
    assert store.set_many([write("tab:a")]) == [None]
    other_process = SQLiteStore(path, max_documents=2)
    # A document from before the upgrade has no write time: it counts as idle, and makes room.
    assert other_process.set_many([write("tab:b")]) == [None]
    assert kept(store, "tab:before", "tab:a", "tab:b") == ["tab:a", "tab:b"]
    assert isinstance(store.set_many([write("tab:c", True)])[0], StoreFullError)
    other_process.delete("tab:a", "app.py:Work")  # the count follows deletes too
    assert store.set_many([write("tab:c", True)]) == [None]


@pytest.mark.parametrize("kwargs", [{"max_documents": 0}, {"protect_seconds": -1}, {"provisional_ttl": 0}])
def test_budget_arguments_are_checked(tmp_path: Path, kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        SQLiteStore(tmp_path / "x.db", **kwargs)  # type: ignore[arg-type]
