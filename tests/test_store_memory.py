"""MemoryStore limits: documents, bytes, one identity's share, and protection of recently used states."""

from __future__ import annotations

import time
import uuid

import pytest

from st_page_state.stores import BadDocumentError, MemoryStore, StoreFullError
from st_page_state.stores.memory import ENTRY_OVERHEAD

Clock = list[float]


def entry_size(identity: str, namespace: str, text: str) -> int:
    return len(text) + len(identity) + len(namespace) + ENTRY_OVERHEAD


def test_bytes_are_accounted_for_and_given_back() -> None:
    store = MemoryStore()
    store.set("tab:a", "ns", {"v": "x" * 100})
    one = entry_size("tab:a", "ns", '{"v":"' + "x" * 100 + '"}')
    assert store.bytes_used == one == store.identity_bytes("tab:a")
    store.set("tab:a", "ns", {"v": "x"})  # replaced, not added
    assert store.bytes_used == entry_size("tab:a", "ns", '{"v":"x"}')
    store.set("tab:a", "other", {})
    store.delete("tab:a", "ns")
    store.delete("tab:a", "other")
    assert store.bytes_used == 0 and store.identity_bytes("tab:a") == 0
    store.set("tab:b", "ns", {})
    store.clear()
    assert store.bytes_used == 0 and len(store) == 0


def test_the_byte_budget_evicts_least_recently_used_first() -> None:
    size = entry_size("tab:0", "ns", '{"pad":"' + "x" * 1000 + '"}')
    store = MemoryStore(max_bytes=3 * size, protect_seconds=0)
    for i in range(3):
        store.set(f"tab:{i}", "ns", {"pad": "x" * 1000})
    assert store.get("tab:0", "ns") is not None  # now the most recently used
    store.set("tab:3", "ns", {"pad": "x" * 1000})
    assert store.get("tab:1", "ns") is None
    assert all(store.get(f"tab:{i}", "ns") is not None for i in (0, 2, 3))
    assert store.bytes_used <= 3 * size
    # One large document makes room for itself by evicting several small ones.
    store.set("tab:big", "ns", {"pad": "x" * (2 * size)})
    assert store.bytes_used <= 3 * size
    assert store.get("tab:big", "ns") is not None


def test_documents_over_the_size_limit_are_refused() -> None:
    store = MemoryStore(max_document_bytes=1000)
    store.set("tab:a", "ns", {"pad": "x" * (1000 - 10)})  # exactly 1000 bytes of JSON
    with pytest.raises(BadDocumentError, match="over the size limit of 1000 bytes"):
        store.set("tab:a", "ns", {"pad": "x" * 991})
    assert store.get("tab:a", "ns") == {"pad": "x" * 990}  # the earlier one is kept


def test_one_identity_cannot_take_more_than_its_share() -> None:
    store = MemoryStore(max_identity_bytes=5000)
    for i in range(3):
        store.set("user:greedy", f"ns{i}", {"pad": "x" * 1000})
    with pytest.raises(StoreFullError, match="max_identity_bytes"):
        store.set("user:greedy", "ns3", {"pad": "x" * 2000})
    store.set("user:greedy", "ns0", {"pad": "x" * 1500})  # growing within the share is fine
    store.set("user:other", "ns0", {"pad": "x" * 2000})  # others are not affected
    assert store.identity_bytes("user:greedy") <= 5000


def test_recently_used_states_are_never_evicted_for_new_ones() -> None:
    now: Clock = [1000.0]
    store = MemoryStore(max_entries=4, protect_seconds=600, clock=lambda: now[0])
    for i in range(4):
        store.set(f"tab:user{i}", "ns", {"i": i})
        now[0] += 1
    with pytest.raises(StoreFullError, match="protect_seconds"):
        store.set("tab:newcomer", "ns", {"i": 9})
    assert store.get("tab:newcomer", "ns") is None
    assert [store.get(f"tab:user{i}", "ns") for i in range(4)] == [{"i": i} for i in range(4)]
    # Kept states can still be updated while the store is full.
    store.set("tab:user0", "ns", {"i": 10})
    assert store.get("tab:user0", "ns") == {"i": 10}

    now[0] += 599  # user0 was read at 1004, user1..3 too: all used at 1004
    with pytest.raises(StoreFullError):
        store.set("tab:newcomer", "ns", {"i": 9})
    now[0] += 2  # now idle for more than 600 s: the least recently used one goes
    store.get("tab:user2", "ns")  # used again: protected again
    store.set("tab:newcomer", "ns", {"i": 9})
    assert store.get("tab:newcomer", "ns") == {"i": 9}
    survivors = [i for i in range(4) if store.get(f"tab:user{i}", "ns") is not None]
    assert len(survivors) == 3 and 2 in survivors


def test_expired_documents_make_room_even_when_recently_used() -> None:
    now: Clock = [0.0]
    store = MemoryStore(max_entries=3, protect_seconds=600, clock=lambda: now[0])
    store.set("tab:short", "ns", {}, ttl=5)
    store.set("tab:a", "ns", {})
    store.set("tab:b", "ns", {})
    store.get("tab:short", "ns")  # most recently used, but expires at 5
    now[0] = 6
    store.set("tab:c", "ns", {})
    assert len(store) == 3
    assert store.get("tab:c", "ns") == {}


def test_a_flood_of_invented_tab_ids_cannot_evict_active_users() -> None:
    """A client that mints valid tab ids as fast as it can, with large documents.

    The real users (who used their tab within ``protect_seconds``) keep
    their state, and the store never grows past its byte budget.
    """
    store = MemoryStore(max_entries=2_000, max_bytes=4 * 1024 * 1024)
    users = [f"tab:{uuid.uuid4()}" for _ in range(50)]
    for user in users:
        store.set(user, "app.py:Filters", {"version": 1, "values": {"status": "active", "user": user}})
    refused = 0
    for _ in range(20_000):
        try:
            store.set(f"tab:{uuid.uuid4()}", "app.py:Filters", {"version": 1, "values": {"q": "x" * 8_000}})
        except StoreFullError:
            refused += 1
    assert refused > 19_000  # only the room that was free went to the flood
    assert store.bytes_used <= 4 * 1024 * 1024 and len(store) <= 2_000
    for user in users:
        assert store.get(user, "app.py:Filters") == {"version": 1, "values": {"status": "active", "user": user}}


def test_a_flood_on_a_full_store_is_refused_cheaply() -> None:
    """Refusing costs O(1): no scan of the whole store per write (that would take minutes here)."""
    store = MemoryStore(max_entries=20_000, max_bytes=1 << 40)
    started = time.monotonic()
    refused = 0
    for n in range(40_000):
        try:
            store.set(f"tab:{n}", "ns", {})
        except StoreFullError:
            refused += 1
    elapsed = time.monotonic() - started
    assert refused == 20_000 and len(store) == 20_000
    assert elapsed < 10, elapsed  # about 0.5 s; 20,000 scans of 20,000 entries take far longer


def test_with_protection_off_the_flood_wins_as_in_any_lru_cache() -> None:
    """The contrast that shows what protect_seconds buys (and that the test above can fail)."""
    store = MemoryStore(max_entries=100, protect_seconds=0)
    store.set("tab:user", "ns", {"mine": True})
    for _ in range(100):
        store.set(f"tab:{uuid.uuid4()}", "ns", {})
    assert store.get("tab:user", "ns") is None


@pytest.mark.parametrize(
    "kwargs",
    [
        {"max_bytes": 0},
        {"max_identity_bytes": -1},
        {"max_document_bytes": 1.5},
        {"protect_seconds": -1},
        {"protect_seconds": True},
    ],
)
def test_limits_are_checked(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        MemoryStore(**kwargs)  # type: ignore[arg-type]


def test_memory_store_calls_are_never_sent_to_worker_threads() -> None:
    assert MemoryStore().deadline is None
