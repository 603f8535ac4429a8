"""Store calls that must not wait for a script run: writes, and reads that missed their deadline.

A script run hands its documents to the store's :class:`WriteBehind` and
carries on. One daemon thread per store writes them:

* **coalesced**: a document submitted again before it was written replaces
  the queued one (only the newest is written);
* **batched**: everything queued goes in one store call
  (:meth:`~st_page_state.stores.base.Store.set_many`: one Redis round trip,
  one SQLite transaction). A document waits at most :data:`HOLD` for the
  others of its run (a run's several save points share one call; under
  load, many sessions do), and not at all once the run ends
  (:meth:`WriteBehind.flush`);
* **ordered**: one call at a time, so an older document never lands over a
  newer one (a call stranded past its deadline blocks later writes of its
  documents in the guard until it ends);
* **retried until it lands**: a write that failed (the store is down, slow
  or locked) is queued again, unless a newer one was submitted meanwhile,
  and tried again when the guard's pause after the failure ends.

Reads that failed in a run (:meth:`WriteBehind.retry_read`) are retried by
the same thread until the store answers. Anything queued or being written
is what this process last wants stored, so :meth:`WriteBehind.pending`
answers reads of it at once (a reload that reaches this process finds a
change the store has not got yet).

Callbacks run on the writer thread: they must be quick and never wait for
a session (the sessions append to a mailbox and read it on their next run).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from ..log import log
from .base import DocumentWrite
from .guard import StoreGuard, StoreRead

HOLD = 0.05
"""Seconds a queued document waits at most for others (its run's later saves), unless flushed sooner."""
MAX_BATCH = 128
"""Documents written in one store call at most."""
PATIENCE = 5.0
"""Seconds the writer waits for one store call before it counts as failed: it keeps no script run waiting,
and on a loaded machine a healthy store's answer can take longer than a run's deadline to be taken in (the
store's own timeouts still end a call to a store that does not answer)."""
RETRY_FLOOR = 0.25
"""Seconds between two attempts at least, when the guard's pause is over but the store still fails."""
IDLE_SECONDS = 30.0
"""The writer thread ends after this long with nothing to do (a new one starts on demand)."""

Outcome = Literal["landed", "refused", "replaced"]
"""What became of a submitted document: stored; refused by the store (bad data, full: not retried);
or replaced by a newer document of the same key submitted by another session before it was written."""
WriteDone = Callable[[Outcome], None]
ReadDone = Callable[[StoreRead], None]
Key = tuple[str, str]


@dataclass
class _Queued:
    write: DocumentWrite
    due: float
    """``time.monotonic()`` by which it is written (a batch takes every queued document with it)."""
    done: list[WriteDone] = field(default_factory=list)


class WriteBehind:
    """The background writes (and read retries) of one store, shared by every session of the process."""

    def __init__(self, guard: StoreGuard, name: str = "st-page-state writer") -> None:
        self.guard = guard
        self._name = name
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._queue: dict[Key, _Queued] = {}
        self._flying: dict[Key, DocumentWrite] = {}
        self._reads: dict[Key, list[ReadDone]] = {}
        self._thread: threading.Thread | None = None
        self._idle = threading.Condition(self._lock)
        self._failures = 0
        self.calls = 0
        """Store calls made (writes and read retries), for benchmarks and tests."""

    # ------------------------------------------------------------ public API
    def submit(
        self, writes: Sequence[DocumentWrite], done: Callable[[DocumentWrite, Outcome], None], *, hold: float = HOLD
    ) -> None:
        """Queue documents to write within ``hold`` seconds; ``done(write, outcome)`` is called once for each,
        on the writer thread."""
        if not writes:
            return
        due = time.monotonic() + hold
        replaced: list[tuple[_Queued, DocumentWrite]] = []
        with self._lock:
            for write in writes:
                old = self._queue.pop(write.key, None)
                entry = _Queued(write, due if old is None else min(due, old.due), [_bound(done, write)])
                if old is not None:
                    replaced.append((old, write))
                self._queue[write.key] = entry
            self._start()
            self._wake.notify()
        for old, _ in replaced:
            _call_all(old.done, "replaced")

    def flush(self, keys: Sequence[Key]) -> None:
        """Write these documents now, if they are queued (the run that saved them ended)."""
        now = time.monotonic()
        with self._lock:
            for key in keys:
                queued = self._queue.get(key)
                if queued is not None:
                    queued.due = min(queued.due, now)
            self._wake.notify()

    def write_now(self, keys: Sequence[Key]) -> None:
        """Write these documents in the calling thread, if queued and not being written (an in-process store:
        the run that saved them ends, and no thread needs to be scheduled first)."""
        with self._lock:
            batch = [self._queue.pop(key) for key in keys if key in self._queue and key not in self._flying]
            for entry in batch:
                self._flying[entry.write.key] = entry.write
        if batch:
            self._write(batch)

    def retry_read(self, identity: str, namespace: str, done: ReadDone) -> None:
        """Read the document again until the store answers; ``done(read)`` then, on the writer thread."""
        with self._lock:
            self._reads.setdefault((identity, namespace), []).append(done)
            self._start()
            self._wake.notify()

    def pending(self, identity: str, namespace: str) -> DocumentWrite | None:
        """The newest document this process wants stored for the key and the store may not hold yet."""
        key = (identity, namespace)
        with self._lock:
            queued = self._queue.get(key)
            return queued.write if queued is not None else self._flying.get(key)

    def busy(self) -> bool:
        """Whether anything is queued, being written or waiting to be read again."""
        with self._lock:
            return bool(self._queue or self._flying or self._reads)

    def wait_idle(self, timeout: float) -> bool:
        """Wait until nothing is queued, being written or read again (tests, shutdown); whether it got there."""
        with self._lock:
            return self._idle.wait_for(lambda: not (self._queue or self._flying or self._reads), timeout)

    def wait_written(self, keys: Sequence[Key], timeout: float) -> bool:
        """Wait until none of ``keys`` is queued or being written, or a write failed meanwhile (no use waiting
        for a store that is down); whether they were all written within ``timeout``."""
        with self._lock:
            failures = self._failures
            self._idle.wait_for(
                lambda: self._failures > failures or not any(k in self._queue or k in self._flying for k in keys),
                timeout,
            )
            return not any(key in self._queue or key in self._flying for key in keys)

    # ------------------------------------------------------------ the thread
    def _start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._work, name=self._name, daemon=True)
            self._thread.start()

    def _work(self) -> None:
        while True:
            batch, reads = self._next()
            if batch is None:
                return
            failed = self._write(batch) if batch else False
            failed = self._read(reads) or failed
            if failed:
                time.sleep(max(RETRY_FLOOR, self.guard.retry_in()))

    def _next(self) -> tuple[list[_Queued] | None, list[Key]]:
        """What to do next: a batch to write and keys to read; None when the thread should end."""
        with self._lock:
            while not (self._queue or self._reads):
                self._idle.notify_all()
                if not self._wake.wait(IDLE_SECONDS) and not (self._queue or self._reads):
                    self._thread = None
                    return None, []
            while self._queue and len(self._queue) < MAX_BATCH:
                wait = min(entry.due for entry in self._queue.values()) - time.monotonic()
                if wait <= 0:
                    break
                self._wake.wait(wait)
            keys = list(self._queue)[:MAX_BATCH]
            batch = [self._queue.pop(key) for key in keys]
            for entry in batch:
                self._flying[entry.write.key] = entry.write
            return batch, list(self._reads)

    def _write(self, batch: list[_Queued]) -> bool:
        """Write a batch; whether the store failed (the batch is queued again)."""
        self.calls += 1
        try:
            answers = self.guard.write_many([entry.write for entry in batch], patience=PATIENCE)
        except Exception:  # the guard never raises; a bug here must not end the thread
            log.exception("the store writer failed")
            answers = []
        finished: list[tuple[_Queued, Outcome]] = []
        failed = False
        with self._lock:
            for index, entry in enumerate(batch):
                key = entry.write.key
                self._flying.pop(key, None)
                status = answers[index].status if index < len(answers) else "failed"
                if status != "failed":
                    finished.append((entry, "landed" if status == "written" else "refused"))
                    continue
                failed = True
                self._failures += 1
                if key in self._queue:
                    finished.append((entry, "replaced"))  # a newer document is queued: it is tried instead
                else:
                    entry.due = 0.0
                    self._queue[key] = entry  # tried again after the pause
        for entry, outcome in finished:
            _call_all(entry.done, outcome)
        with self._lock:
            self._idle.notify_all()
        return failed

    def _read(self, keys: list[Key]) -> bool:
        """Read each key again; whether the store failed for any (those are tried again)."""
        failed = False
        for key in keys:
            pending = self.pending(*key)
            if pending is not None:
                read = StoreRead("found", pending.document)
            else:
                self.calls += 1
                read = self.guard.read(*key)
            if not read.ok:
                failed = True
                continue
            with self._lock:
                callbacks = self._reads.pop(key, [])
            for callback in callbacks:
                try:
                    callback(read)
                except Exception:
                    log.exception("a store callback failed")
        return failed


def _bound(done: Callable[[DocumentWrite, Outcome], None], write: DocumentWrite) -> WriteDone:
    return lambda outcome: done(write, outcome)


def _call_all(callbacks: list[WriteDone], outcome: Outcome) -> None:
    for callback in callbacks:
        try:
            callback(outcome)
        except Exception:
            log.exception("a store callback failed")


def writer_for(guard: StoreGuard) -> WriteBehind:
    """The one writer of a guard's store in this process (kept on the guard, like the guard on its store)."""
    writer = guard.__dict__.get(_WRITER_ATTRIBUTE)
    if writer is None:
        with _WRITERS_LOCK:
            writer = guard.__dict__.get(_WRITER_ATTRIBUTE)
            if writer is None:
                writer = WriteBehind(guard, f"st-page-state writer {type(guard.store).__name__}")
                guard.__dict__[_WRITER_ATTRIBUTE] = writer
    assert isinstance(writer, WriteBehind)
    return writer


_WRITER_ATTRIBUTE = "_st_page_state_writer"
_WRITERS_LOCK = threading.Lock()
