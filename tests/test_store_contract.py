"""Every store keeps the same contract: JSON documents per (identity, namespace), with a lifetime."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from st_page_state.stores import MemoryStore, SQLiteStore, Store, StoreError
from tests.redis_server import RedisServer, running_redis

Clock = list[float]
StoreFactory = Callable[..., Store]


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    yield from running_redis(tmp_path)


@pytest.fixture(params=["memory", "sqlite", pytest.param("redis", marks=pytest.mark.redis)])
def make_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[StoreFactory]:
    """``make_store(default_ttl=...)`` for each backend (Redis: a real server)."""
    made: list[Store] = []

    def factory(**kwargs: object) -> Store:
        if request.param == "memory":
            store: Store = MemoryStore(**kwargs)  # type: ignore[arg-type]
        elif request.param == "sqlite":
            store = SQLiteStore(tmp_path / "state.db", **kwargs)  # type: ignore[arg-type]
        else:
            from st_page_state.stores import RedisStore

            server: RedisServer = request.getfixturevalue("redis_server")
            store = RedisStore(server.url, **kwargs)  # type: ignore[arg-type]
        made.append(store)
        return store

    yield factory
    for store in made:
        close = getattr(store, "close", None)
        if close is not None:
            close()


DOC = {"version": 1, "values": {"status": "active", "tags": ["a", "b"], "when": "2024-05-01", "n": 3, "ok": True}}


def test_set_get_delete_round_trip(make_store: StoreFactory) -> None:
    store = make_store()
    assert store.get("tab:1", "app.py:Filters") is None
    store.set("tab:1", "app.py:Filters", DOC)
    assert store.get("tab:1", "app.py:Filters") == DOC
    store.set("tab:1", "app.py:Filters", {"version": 1, "values": {}})
    assert store.get("tab:1", "app.py:Filters") == {"version": 1, "values": {}}
    store.delete("tab:1", "app.py:Filters")
    assert store.get("tab:1", "app.py:Filters") is None
    store.delete("tab:1", "app.py:Filters")  # deleting twice is fine


def test_identities_and_namespaces_are_separate(make_store: StoreFactory) -> None:
    store = make_store()
    store.set("tab:a:b", "c", {"who": 1})
    store.set("tab:a", "b:c", {"who": 2})
    store.set("user:a", "b:c", {"who": 3})
    assert store.get("tab:a:b", "c") == {"who": 1}
    assert store.get("tab:a", "b:c") == {"who": 2}
    assert store.get("user:a", "b:c") == {"who": 3}


def test_documents_are_copies(make_store: StoreFactory) -> None:
    store = make_store()
    document = {"values": {"tags": ["a"]}}
    store.set("i", "n", document)
    document["values"]["tags"].append("b")
    got = store.get("i", "n")
    assert got == {"values": {"tags": ["a"]}}
    assert got is not None
    got["values"]["tags"].append("c")
    assert store.get("i", "n") == {"values": {"tags": ["a"]}}


@pytest.mark.parametrize("bad", [{"x": object()}, {"x": {1, 2}}, {"x": math.nan}, {"x": b"bytes"}])
def test_only_json_is_stored(make_store: StoreFactory, bad: dict[str, object]) -> None:
    store = make_store()
    with pytest.raises(StoreError):
        store.set("i", "n", bad)
    assert store.get("i", "n") is None


def test_invalid_ttl_is_refused(make_store: StoreFactory) -> None:
    store = make_store()
    for ttl in (0, -1, True, "60"):
        with pytest.raises(ValueError):
            store.set("i", "n", {}, ttl)  # type: ignore[arg-type]


def test_memory_store_is_lru_bounded() -> None:
    store = MemoryStore(max_entries=3, protect_seconds=0)
    for i in range(3):
        store.set(f"tab:{i}", "ns", {"i": i})
    assert store.get("tab:0", "ns") == {"i": 0}  # used: now the most recent
    store.set("tab:3", "ns", {"i": 3})
    assert store.get("tab:1", "ns") is None  # the least recently used went
    assert [store.get(f"tab:{i}", "ns") for i in (0, 2, 3)] == [{"i": 0}, {"i": 2}, {"i": 3}]
    assert len(store) == 3


def test_memory_store_ttl_per_document_and_default() -> None:
    now: Clock = [0.0]
    store = MemoryStore(default_ttl=100, clock=lambda: now[0])
    store.set("i", "short", {}, ttl=10)
    store.set("i", "default", {})
    store.set("i", "forever", {}, ttl=None)
    now[0] = 10.5
    assert store.get("i", "short") is None
    assert store.get("i", "default") == {}
    now[0] = 100.5
    assert store.get("i", "default") is None
    forever = MemoryStore(default_ttl=None, clock=lambda: now[0])
    forever.set("i", "n", {})
    now[0] = 1e9
    assert forever.get("i", "n") == {}


def test_sqlite_store_ttl_uses_wall_clock_and_purges(tmp_path: Path) -> None:
    now: Clock = [1_000_000.0]
    store = SQLiteStore(tmp_path / "s.db", default_ttl=100, clock=lambda: now[0])
    store.set("i", "short", {}, ttl=10)
    store.set("i", "default", {})
    now[0] += 11
    assert store.get("i", "short") is None
    assert store.get("i", "default") == {}
    # A store opened later (a restarted server) sees the same expiry.
    reopened = SQLiteStore(tmp_path / "s.db", clock=lambda: now[0])
    assert reopened.get("i", "default") == {}
    now[0] += 100
    assert reopened.get("i", "default") is None


@pytest.mark.parametrize("kwargs", [{"max_entries": 0}, {"max_entries": 1.5}, {"default_ttl": 0}])
def test_memory_store_arguments_are_checked(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        MemoryStore(**kwargs)  # type: ignore[arg-type]
