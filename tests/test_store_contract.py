"""Every store keeps the same contract: JSON documents per (identity, namespace), with a lifetime."""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from st_page_state.stores import BadDocumentError, MemoryStore, SQLiteStore, Store, StoreError
from st_page_state.stores.base import (
    DEFAULT_DEADLINE,
    DEFAULT_MAX_DOCUMENT_BYTES,
    decode_document,
)
from tests.redis_server import RedisServer

Clock = list[float]
StoreFactory = Callable[..., Store]


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


@dataclass
class Backend:
    """A store on a real backend, and a way to put raw bytes under one of its keys."""

    store: Store
    write_raw: Callable[[str, str, bytes], None]
    reopen: Callable[..., Store]


@pytest.fixture(params=["sqlite", pytest.param("redis", marks=pytest.mark.redis)])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    """SQLite and Redis, where something else than this store may write the stored bytes."""
    if request.param == "sqlite":
        path = tmp_path / "state.db"

        def write_sqlite(identity: str, namespace: str, raw: bytes) -> None:
            try:
                value: str | bytes = raw.decode()  # stored as TEXT, like a document
            except UnicodeDecodeError:
                value = raw  # stored as a BLOB
            with sqlite3.connect(path) as db:
                db.execute(
                    "INSERT OR REPLACE INTO st_page_state (identity, namespace, document) VALUES (?, ?, ?)",
                    (identity, namespace, value),
                )

        store: Store = SQLiteStore(path)
        yield Backend(store, write_sqlite, lambda **kw: SQLiteStore(path, **kw))
    else:
        import redis

        from st_page_state.stores import RedisStore

        server: RedisServer = request.getfixturevalue("redis_server")
        redis_store = RedisStore(server.url)
        raw_client = redis.Redis.from_url(server.url)

        def write_redis(identity: str, namespace: str, raw: bytes) -> None:
            raw_client.set(redis_store.key(identity, namespace), raw)

        yield Backend(redis_store, write_redis, lambda **kw: RedisStore(server.url, **kw))
        redis_store.close()
        raw_client.close()


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


# ------------------------------------------------------------ limits and bad data
def test_documents_over_the_size_limit_are_refused_and_the_old_one_is_kept(make_store: StoreFactory) -> None:
    store = make_store(max_document_bytes=1000)
    assert store.max_document_bytes == 1000
    exactly = {"pad": "x" * 990}  # {"pad":"xxx..."} is 1000 bytes of JSON
    store.set("i", "n", exactly)
    with pytest.raises(BadDocumentError, match="over the size limit of 1000 bytes"):
        store.set("i", "n", {"pad": "x" * 991})
    with pytest.raises(BadDocumentError):
        store.set("i", "n", {"pad": "é" * 200})  # 200 characters, 1200 bytes once escaped
    assert store.get("i", "n") == exactly


def test_the_default_limits(make_store: StoreFactory) -> None:
    store = make_store()
    assert store.max_document_bytes == DEFAULT_MAX_DOCUMENT_BYTES == 64 * 1024
    if isinstance(store, MemoryStore):
        assert store.deadline is None  # never blocks: called directly
    else:
        assert store.deadline == DEFAULT_DEADLINE == 0.5


def test_non_json_documents_are_bad_data(make_store: StoreFactory) -> None:
    store = make_store()
    deep: dict[str, object] = {}
    node = deep
    for _ in range(5000):
        node["x"] = {}
        node = node["x"]  # type: ignore[assignment]
    for bad in ({"x": {1, 2}}, {"x": math.inf}, deep):
        with pytest.raises(BadDocumentError):
            store.set("i", "n", bad)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"not json", "not valid JSON"),
        (b"\xff\xfe\x00garbage", "not valid JSON"),
        (b"[1, 2]", "not an object"),
        (b'"text"', "not an object"),
        (b'{"a": NaN}', "not valid JSON"),
        (b'{"a": Infinity}', "not valid JSON"),
        (b'{"a": 1e999}', "not valid JSON"),
        (b'{"a": ' + b"9" * 5000 + b"}", "not valid JSON"),
        (b"[" * 30_000 + b"]" * 30_000, "not valid JSON"),  # nesting deeper than the parser allows
        (b'{"pad": "' + b"x" * 70_000 + b'"}', "over the size limit"),
    ],
    ids=["text", "bytes", "array", "string", "nan", "infinity", "huge-float", "huge-int", "deep", "too-large"],
)
def test_a_corrupt_stored_document_is_bad_data_for_its_key_only(
    backend: Backend, raw: bytes, reason: str
) -> None:
    backend.store.set("tab:good", "n", {"ok": True})
    backend.write_raw("tab:bad", "n", raw)
    with pytest.raises(BadDocumentError) as caught:
        backend.store.get("tab:bad", "n")
    assert reason in str(caught.value)
    assert len(str(caught.value)) < 400  # never echoes the stored text
    assert backend.store.get("tab:good", "n") == {"ok": True}
    backend.store.set("tab:bad", "n", {"fixed": 1})  # a save replaces the bad document
    assert backend.store.get("tab:bad", "n") == {"fixed": 1}


def test_a_stored_document_over_a_lower_limit_is_bad_data(backend: Backend) -> None:
    backend.store.set("i", "n", {"pad": "x" * 5000})
    smaller = backend.reopen(max_document_bytes=1000)
    with pytest.raises(BadDocumentError, match="1000"):
        smaller.get("i", "n")


def test_deadline_has_an_older_name_and_is_checked(tmp_path: Path) -> None:
    assert SQLiteStore(tmp_path / "a.db", timeout=2).deadline == 2
    assert SQLiteStore(tmp_path / "a.db", deadline=0.25).deadline == 0.25
    with pytest.raises(TypeError):
        SQLiteStore(tmp_path / "a.db", deadline=1, timeout=1)
    for bad in (0, -1, math.inf, True, "1"):
        with pytest.raises(ValueError):
            SQLiteStore(tmp_path / "a.db", deadline=bad)  # type: ignore[arg-type]


def test_decode_document_accepts_text_and_bytes_only() -> None:
    assert decode_document('{"a":[1,2.5,"é"]}') == {"a": [1, 2.5, "é"]}
    assert decode_document(b'{"a":1}', 7) == {"a": 1}
    with pytest.raises(BadDocumentError):
        decode_document(b'{"a":1}', 6)
    with pytest.raises(BadDocumentError):
        decode_document("é" * 10, 15)  # 10 characters, 20 bytes
    for bad in (None, 12, 1.5, ["{}"]):
        with pytest.raises(BadDocumentError):
            decode_document(bad)
    assert issubclass(BadDocumentError, StoreError)

