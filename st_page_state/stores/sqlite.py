"""A store in an SQLite file: survives a server restart, needs no server.

Standard-library ``sqlite3`` in WAL mode: readers never wait for a writer,
and several server processes on one machine may share the file.

Every call has a deadline (0.5 s by default) that covers all of its
waiting: for a free connection, for this process's turn to write, and for
another process's write lock (SQLite's busy timeout is set, per call, to
what is left). So when another process holds the write lock, each waiting
session fails after its own deadline; sessions never wait one after
another. The connections are a small pool (``max_connections``), shared
by the session threads, because Streamlit starts a new thread for every
script run: one connection per thread would be opened and dropped on
every run. Writes of one process take turns on an in-process lock (SQLite
allows one writer at a time anyway; a lock hands over at once, where
SQLite's busy handler polls), and reads run beside them.

A batch of writes (``set_many``) is one transaction, within a budget of
``max_documents`` (the SQL is in :mod:`.sqlite_rows`).

A database file deleted or replaced while the server runs is noticed
before the next call (the path's device and inode are compared with those
of the open file): the store logs a warning and opens the file now at the
path, creating it if needed, instead of writing into a deleted file where
every write would vanish. (A call already running at that moment may
still go to the old file.) Replacing the file of a running server, e.g.
restoring a backup with ``mv``, is noticed the same way, but is unsafe for
SQLite itself: the old file's ``-wal`` journal may be mixed into the new
file. Stop the servers first, or restore with SQLite's backup API.
"""

from __future__ import annotations

import itertools
import os
import sqlite3
import threading
import time
from collections import deque
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from ..log import log, shorten
from .base import (
    DEFAULT_MAX_DOCUMENT_BYTES,
    DEFAULT_MAX_DOCUMENTS,
    DEFAULT_PROTECT_SECONDS,
    DURABLE_TTL,
    PROVISIONAL_TTL,
    BadDocumentError,
    BatchStore,
    Document,
    EncodedWrite,
    StoreError,
    StoreTimeoutError,
    check_budget,
    check_positive_int,
    check_ttl,
    decode_document,
    resolve_deadline,
)
from .sqlite_rows import Budget, prepare, write_rows

DEFAULT_TTL = DURABLE_TTL
DEFAULT_MAX_CONNECTIONS = 4
PURGE_EVERY = 500
"""Delete expired rows once every this many writes (reads already ignore them)."""

_SQLITE_BUSY = 5
_SQLITE_LOCKED = 6

T = TypeVar("T")

FileId = tuple[int, int]


class _Turns:
    """A counting semaphore that serves waiters first come, first served, with a timeout.

    ``threading.Semaphore`` and ``Lock`` let a thread that just released
    take a permit again ahead of threads that have waited for long; under
    many sessions some would then wait past their deadline while the store
    is fast. Here a released permit goes to the longest waiter.
    """

    def __init__(self, permits: int) -> None:
        self._lock = threading.Lock()
        self._free = permits
        self._waiters: deque[threading.Event] = deque()

    def acquire(self, timeout: float) -> bool:
        with self._lock:
            if self._free and not self._waiters:
                self._free -= 1
                return True
            waiter = threading.Event()
            self._waiters.append(waiter)
        if waiter.wait(max(0.0, timeout)):
            return True
        with self._lock:
            if waiter.is_set():  # handed over while timing out
                return True
            self._waiters.remove(waiter)
            return False

    def release(self) -> None:
        with self._lock:
            if self._waiters:
                self._waiters.popleft().set()
            else:
                self._free += 1


@dataclass(eq=False)
class _Connection:
    db: sqlite3.Connection | None
    generation: int


class SQLiteStore(BatchStore):
    """Documents in one table of an SQLite database file.

    Args:
        path: The database file (created with its table on first use).
        default_ttl: Seconds a document lives after its last write when the
            state class sets no ``Config.ttl``; None keeps documents forever.
        deadline: Seconds one call may take in all (0.5): waiting for a
            connection, for this process's turn to write and for another
            process's lock. A call that runs out raises
            :class:`StoreTimeoutError`.
        timeout: The older name of ``deadline`` (give one or the other).
        max_document_bytes: Largest document, as compact JSON (64 KiB);
            larger ones are refused when written and dropped when read
            (:class:`BadDocumentError`).
        max_connections: Connections kept open for this process's sessions
            (4). More concurrent calls wait for one, within their deadline.
        max_documents: The budget: most documents kept (100,000; None: no
            limit). A new document past it evicts expired ones, then
            provisional ones (oldest first), then ones written more than
            ``protect_seconds`` ago; when none is left, the new document is
            refused (:class:`StoreFullError`: its session keeps the state).
        protect_seconds: A document written within this many seconds is
            never evicted for another (30 minutes).
        provisional_ttl: Longest life of a provisional document (10
            minutes): a page that only loaded, never the work of a person.
        clock: Wall-clock time source (expiry must survive restarts).

    Nothing is opened until the first read or write, so building the store
    at the top of a script that reruns is cheap. Not for network file
    systems (SQLite's locking needs a local disk).
    """

    deadline: float

    def __init__(
        self,
        path: str | Path,
        *,
        default_ttl: float | None = DEFAULT_TTL,
        deadline: float | None = None,
        timeout: float | None = None,
        max_document_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES,
        max_connections: int = DEFAULT_MAX_CONNECTIONS,
        max_documents: int | None = DEFAULT_MAX_DOCUMENTS,
        protect_seconds: float = DEFAULT_PROTECT_SECONDS,
        provisional_ttl: float = PROVISIONAL_TTL,
        clock: Callable[[], float] = time.time,
    ) -> None:
        check_ttl(default_ttl)
        check_budget(max_documents, protect_seconds, provisional_ttl)
        self.max_documents = max_documents
        self.protect_seconds = float(protect_seconds)
        self.provisional_ttl = float(provisional_ttl)
        self.path = str(path)
        self.default_ttl = default_ttl
        self.deadline = resolve_deadline(deadline, timeout)
        self.max_document_bytes = check_positive_int("max_document_bytes", max_document_bytes)
        self._in_memory = self.path == ":memory:"
        self._file_path = self.path if self._in_memory else str(Path(self.path).expanduser())
        # Every ":memory:" connection is a database of its own: keep one.
        self.max_connections = 1 if self._in_memory else check_positive_int("max_connections", max_connections)
        self._clock = clock
        self._pool = _Pool(self.path, self._file_path, self._in_memory, self.max_connections)
        self._write_turn = _Turns(1)
        self._writes = itertools.count(1)

    @property
    def timeout(self) -> float:
        """The older name of :attr:`deadline`."""
        return self.deadline

    def __repr__(self) -> str:
        return f"SQLiteStore({self.path!r})"

    def shared_key(self) -> Hashable | None:
        if self._in_memory or self.path.startswith("file:"):
            return None
        return ("sqlite", str(Path(self.path).expanduser().resolve()))

    # ------------------------------------------------------------ documents
    def get(self, identity: str, namespace: str) -> Document | None:
        now = self._clock()

        def read(db: sqlite3.Connection) -> Any:
            # The size comes first so that an oversized row is never loaded.
            return db.execute(
                "SELECT size, CASE WHEN size <= ? THEN document END FROM ("
                "SELECT length(CAST(document AS BLOB)) AS size, document FROM st_page_state "
                "WHERE identity = ? AND namespace = ? AND (expires_at IS NULL OR expires_at > ?))",
                (self.max_document_bytes, identity, namespace, now),
            ).fetchone()

        row = self._run(read, write=False)
        if row is None:
            return None
        size, text = row
        if text is None:
            raise BadDocumentError(
                f"SQLite store {shorten(self.path)!r}: the stored document is {size} bytes, "
                f"over the size limit of {self.max_document_bytes} bytes"
            )
        return decode_document(text, self.max_document_bytes)

    def write_batch(self, writes: list[EncodedWrite]) -> list[int]:
        """Every document in one transaction (see :class:`SQLiteStore` for the budget)."""
        now = self._clock()
        purge = next(self._writes) % PURGE_EVERY == 1
        budget = Budget(self.max_documents, now - self.protect_seconds)

        def upsert(db: sqlite3.Connection) -> list[int]:
            return write_rows(db, writes, now, budget, purge)

        return self._run(upsert, write=True)

    def describe(self) -> str:
        return f"SQLite store {shorten(self.path)!r}"

    def delete(self, identity: str, namespace: str) -> None:
        def remove(db: sqlite3.Connection) -> None:
            db.execute("DELETE FROM st_page_state WHERE identity = ? AND namespace = ?", (identity, namespace))

        self._run(remove, write=True)

    def close(self) -> None:
        """Close the connections (they reopen on the next use; those in use close when returned)."""
        self._pool.close()

    # ------------------------------------------------------------ machinery
    def _run(self, action: Callable[[sqlite3.Connection], T], *, write: bool) -> T:
        end = time.monotonic() + self.deadline
        try:
            self._pool.follow_file(end)
            connection = self._pool.acquire(end)
        except sqlite3.Error as exc:
            raise self._error(exc) from exc
        if connection is None:
            raise StoreTimeoutError(
                f"SQLite store {shorten(self.path)!r}: all {self.max_connections} connections "
                f"stayed busy for the whole deadline ({self.deadline:g} s)"
            )
        broken = False
        try:
            if write and not self._write_turn.acquire(timeout=max(0.0, end - time.monotonic())):
                raise StoreTimeoutError(
                    f"SQLite store {shorten(self.path)!r}: waited the whole deadline ({self.deadline:g} s) "
                    "for this process's turn to write (an earlier write is waiting for the file's lock)"
                )
            try:
                left_ms = max(1, int((end - time.monotonic()) * 1000))
                db = connection.db
                assert db is not None
                db.execute(f"PRAGMA busy_timeout = {left_ms}")
                return action(db)
            finally:
                if write:
                    self._write_turn.release()
        except sqlite3.Error as exc:
            broken = not _is_busy(exc)
            raise self._error(exc) from exc
        finally:
            self._pool.release(connection, broken)

    def _error(self, exc: sqlite3.Error) -> StoreError:
        cls = StoreTimeoutError if _is_busy(exc) else StoreError
        return cls(f"SQLite store {shorten(self.path)!r}: {shorten(exc)}")


class _Pool:
    """The store's open connections: at most ``max_connections``, reused across session threads.

    A *generation* counts the files the pool has followed: when the file at
    the path is deleted or replaced, or the store is closed, connections of
    an older generation are closed when returned instead of reused.
    """

    def __init__(self, path: str, file_path: str, in_memory: bool, max_connections: int) -> None:
        self.path = path  # as the user gave it, for messages
        self.max_connections = max_connections  # permits handed out at once
        self._file_path = file_path  # the path SQLite opens (user directory expanded)
        self._in_memory = in_memory  # ":memory:": one connection, no file to follow
        self._lock = threading.Lock()  # guards every field below
        self._returned = threading.Condition(self._lock)  # notified when a connection comes back
        self._idle: list[_Connection] = []  # open connections of the current generation, free
        self._permits = _Turns(max_connections)  # one per connection in use
        self._in_use: dict[int, int] = {}  # generation -> connections of it in use
        self._generation = 0  # bumped on close() and when the file changes
        self._file: FileId | None = None  # device and inode of the file the connections opened

    def close(self) -> None:
        with self._lock:
            self._generation += 1
            idle, self._idle = self._idle, []
        for connection in idle:
            if connection.db is not None:
                _close(connection.db)

    def acquire(self, end: float) -> _Connection | None:
        """A connection for one call, or None when none came free before ``end``."""
        if not self._permits.acquire(end - time.monotonic()):
            return None
        with self._lock:
            generation = self._generation
            self._in_use[generation] = self._in_use.get(generation, 0) + 1
            if self._idle:
                return self._idle.pop()
        try:
            db = self._connect(max(0.001, end - time.monotonic()))
        except BaseException:
            self.release(_Connection(None, generation), broken=True)
            raise
        if not self._in_memory:
            opened = _file_id(self._file_path)
            with self._lock:
                if self._file is None and generation == self._generation:
                    self._file = opened
        return _Connection(db, generation)

    def release(self, connection: _Connection, broken: bool) -> None:
        with self._lock:
            self._in_use[connection.generation] -= 1
            if not self._in_use[connection.generation] and connection.generation != self._generation:
                del self._in_use[connection.generation]
            keep = connection.db is not None and not broken and connection.generation == self._generation
            if keep:
                self._idle.append(connection)
            self._returned.notify_all()
        if not keep and connection.db is not None:
            _close(connection.db)
        self._permits.release()

    def _connect(self, timeout: float) -> sqlite3.Connection:
        db = sqlite3.connect(
            self._file_path,
            timeout=timeout,
            isolation_level=None,  # autocommit: every statement is its own transaction
            check_same_thread=False,  # pooled: used by one session thread at a time
        )
        try:
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = NORMAL")
            prepare(db)
        except BaseException:
            _close(db)
            raise
        return db

    def follow_file(self, end: float) -> None:
        """Notice a database file deleted or replaced since it was opened, and move to the new one."""
        if self._in_memory or self._file is None:
            return
        current = _file_id(self._file_path)
        if current == self._file:
            return
        with self._lock:
            if self._file is None or current == self._file:
                return  # another thread moved first
            self._file = None
            self._generation += 1
            idle, self._idle = self._idle, []
            generation = self._generation
        for connection in idle:
            if connection.db is not None:
                _close(connection.db)
        if current is None:
            log.warning("the SQLite store file %s was deleted while the server was running; "
                "it is created again (the states it held are gone).",
                shorten(repr(self.path)),
            )
        else:
            log.warning("the SQLite store file %s was replaced while the server was running; "
                "the store now uses the new file.",
                shorten(repr(self.path)),
            )
        # A connection still open on the old file shares the -wal and -shm
        # files with the new one: let calls in flight finish first.
        with self._lock:
            while any(n for g, n in self._in_use.items() if g < generation):
                left = end - time.monotonic()
                if left <= 0 or not self._returned.wait(left):
                    break


def _file_id(path: str) -> FileId | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return (stat.st_dev, stat.st_ino)


def _is_busy(exc: sqlite3.Error) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF in (_SQLITE_BUSY, _SQLITE_LOCKED)
    return "locked" in str(exc) or "busy" in str(exc)


def _close(db: sqlite3.Connection) -> None:
    try:
        db.close()
    except sqlite3.Error:
        pass
