"""The write-behind: a store's writes off the script thread, coalesced, batched, ordered, retried until they land."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence

import pytest

from st_page_state.stores import MemoryStore, StoreError
from st_page_state.stores import behind as behind_module
from st_page_state.stores import guard as guard_module
from st_page_state.stores.base import DocumentWrite
from st_page_state.stores.behind import Outcome, WriteBehind
from st_page_state.stores.guard import StoreGuard


class RecordingStore(MemoryStore):
    """A memory store with a deadline (so the guard runs it on workers), that records and can fail or hold calls."""

    deadline = 0.5

    def __init__(self) -> None:
        super().__init__()
        self.batches: list[list[tuple[str, object]]] = []
        self.down = False
        self.reads = 0
        self.gate = threading.Event()
        self.gate.set()
        self.entered = threading.Event()

    def set_many(self, writes: Sequence[DocumentWrite]) -> list[StoreError | None]:
        self.entered.set()
        self.gate.wait(10)
        if self.down:
            raise StoreError("connection refused")
        self.batches.append([(w.identity, w.document["v"]) for w in writes])
        return super().set_many(writes)

    def get(self, identity: str, namespace: str) -> dict[str, object] | None:
        self.reads += 1
        if self.down:
            raise StoreError("connection refused")
        return super().get(identity, namespace)


def doc(identity: str, value: object) -> DocumentWrite:
    return DocumentWrite(identity, "ns", {"v": value})


@pytest.fixture
def store(monkeypatch: pytest.MonkeyPatch) -> RecordingStore:
    monkeypatch.setattr(guard_module, "RETRY_SECONDS", 0.1)
    monkeypatch.setattr(behind_module, "RETRY_FLOOR", 0.05)
    return RecordingStore()


def outcomes() -> tuple[list[tuple[object, Outcome]], object]:
    seen: list[tuple[object, Outcome]] = []
    return seen, lambda write, outcome: seen.append((write.document["v"], outcome))


def test_documents_submitted_together_are_one_store_call(store: RecordingStore) -> None:
    writer = WriteBehind(StoreGuard(store))
    seen, done = outcomes()
    writer.submit([doc(f"tab:{i}", i) for i in range(10)], done)
    assert writer.wait_idle(5)
    assert len(store.batches) == 1 and len(store.batches[0]) == 10
    assert sorted(v for v, _ in seen) == list(range(10)) and {o for _, o in seen} == {"landed"}


def test_a_document_submitted_again_before_it_was_written_is_written_once_the_newest(store: RecordingStore) -> None:
    store.gate.clear()  # the first call is held in the store
    writer = WriteBehind(StoreGuard(store))
    seen, done = outcomes()
    writer.submit([doc("tab:other", 0)], done)
    assert store.entered.wait(5)
    for value in (1, 2, 3):  # queued behind the call in flight: each replaces the last
        writer.submit([doc("tab:a", value)], done)
    assert writer.pending("tab:a", "ns") == doc("tab:a", 3)
    store.gate.set()
    assert writer.wait_idle(5)
    assert store.batches == [[("tab:other", 0)], [("tab:a", 3)]]
    assert seen == [(1, "replaced"), (2, "replaced"), (0, "landed"), (3, "landed")]
    assert store.get("tab:a", "ns") == {"v": 3}


def test_an_older_document_never_lands_over_a_newer_one(store: RecordingStore) -> None:
    store.gate.clear()
    writer = WriteBehind(StoreGuard(store))
    seen, done = outcomes()
    writer.submit([doc("tab:a", "old")], done)
    assert store.entered.wait(5)  # "old" is being written
    writer.submit([doc("tab:a", "new")], done)
    assert writer.pending("tab:a", "ns") == doc("tab:a", "new")
    store.gate.set()
    assert writer.wait_idle(5)
    assert store.batches == [[("tab:a", "old")], [("tab:a", "new")]]
    assert store.get("tab:a", "ns") == {"v": "new"}


def test_a_failed_write_is_retried_until_it_lands_with_no_caller(store: RecordingStore) -> None:
    store.down = True
    writer = WriteBehind(StoreGuard(store))
    seen, done = outcomes()
    writer.submit([doc("tab:a", 1)], done)
    time.sleep(0.5)
    assert seen == [] and writer.busy() and writer.pending("tab:a", "ns") == doc("tab:a", 1)
    store.down = False
    assert writer.wait_idle(5)
    assert seen == [(1, "landed")] and store.get("tab:a", "ns") == {"v": 1}


def test_a_failed_write_with_a_newer_one_queued_gives_way_to_it(store: RecordingStore) -> None:
    store.down = True
    store.gate.clear()
    writer = WriteBehind(StoreGuard(store))
    seen, done = outcomes()
    writer.submit([doc("tab:a", "old")], done)
    assert store.entered.wait(5)
    writer.submit([doc("tab:a", "new")], done)
    store.gate.set()  # "old" fails
    time.sleep(0.3)
    store.down = False
    assert writer.wait_idle(5)
    assert seen == [("old", "replaced"), ("new", "landed")]
    assert store.batches == [[("tab:a", "new")]]


def test_a_refused_document_is_not_retried(store: RecordingStore) -> None:
    writer = WriteBehind(StoreGuard(store))
    seen, done = outcomes()
    writer.submit([doc("tab:a", "x" * 70_000), doc("tab:b", 1)], done)
    assert writer.wait_idle(5)
    assert sorted(outcome for _, outcome in seen) == ["landed", "refused"]


def test_a_failed_read_is_tried_again_until_the_store_answers(store: RecordingStore) -> None:
    store.set("tab:a", "ns", {"v": "stored"})
    store.down = True
    writer = WriteBehind(StoreGuard(store))
    answers: list[object] = []
    writer.retry_read("tab:a", "ns", answers.append)
    time.sleep(0.4)
    assert answers == [] and store.reads >= 2
    store.down = False
    assert writer.wait_idle(5)
    (read,) = answers
    assert read.status == "found" and read.document == {"v": "stored"}  # type: ignore[attr-defined]


def test_a_read_of_a_document_still_being_written_is_answered_with_it(store: RecordingStore) -> None:
    store.down = True
    writer = WriteBehind(StoreGuard(store))
    writer.submit([doc("tab:a", "mine")], lambda *_: None)
    answers: list[object] = []
    writer.retry_read("tab:a", "ns", answers.append)
    time.sleep(0.3)
    assert [a.document for a in answers] == [{"v": "mine"}]  # type: ignore[attr-defined]
    store.down = False
    assert writer.wait_idle(5)


def test_many_sessions_writing_at_once_share_a_few_calls(store: RecordingStore) -> None:
    writer = WriteBehind(StoreGuard(store))
    done = threading.Barrier(24)

    def session(n: int) -> None:
        done.wait()
        for i in range(5):
            writer.submit([doc(f"tab:{n}", i)], lambda *_: None)

    threads = [threading.Thread(target=session, args=(n,)) for n in range(24)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert writer.wait_idle(5)
    assert sum(len(batch) for batch in store.batches) <= 24 * 5
    assert len(store.batches) < 24 * 5 / 2, len(store.batches)
    assert all(store.get(f"tab:{n}", "ns") == {"v": 4} for n in range(24))


def test_the_thread_ends_when_idle_and_starts_again(store: RecordingStore, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(behind_module, "IDLE_SECONDS", 0.1)
    writer = WriteBehind(StoreGuard(store))
    writer.submit([doc("tab:a", 1)], lambda *_: None)
    assert writer.wait_idle(5)
    time.sleep(0.4)
    assert writer._thread is None
    writer.submit([doc("tab:a", 2)], lambda *_: None)
    assert writer.wait_idle(5) and store.get("tab:a", "ns") == {"v": 2}
