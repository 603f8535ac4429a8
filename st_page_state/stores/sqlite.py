"""A store in an SQLite file: survives a server restart, needs no server.

Standard-library ``sqlite3`` in WAL mode: readers never wait for the
writer, and several server processes on one machine may share the file
(``busy_timeout`` makes a writer wait for another's lock instead of
failing). Within one process all sessions share one connection behind a
lock: Streamlit runs each script run in a new thread, so per-thread
connections would pile up, and every statement here is a single-row read
or write that takes microseconds.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any, TypeVar

from .base import Document, Store, StoreError, check_ttl, decode_document, encode_document

DEFAULT_TTL = 30 * 24 * 3600.0
PURGE_EVERY = 500
"""Delete expired rows once every this many writes (reads already ignore them)."""

T = TypeVar("T")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS st_page_state (
    identity TEXT NOT NULL,
    namespace TEXT NOT NULL,
    document TEXT NOT NULL,
    expires_at REAL,
    PRIMARY KEY (identity, namespace)
) WITHOUT ROWID
"""


class SQLiteStore(Store):
    """Documents in one table of an SQLite database file.

    Args:
        path: The database file (created with its table on first use).
        default_ttl: Seconds a document lives after its last write when the
            state class sets no ``Config.ttl``; None keeps documents forever.
        timeout: Seconds a write waits for another process's lock.
        clock: Wall-clock time source (expiry must survive restarts).

    Nothing is opened until the first read or write, so building the store
    at the top of a script that reruns is cheap.
    """

    def __init__(
        self,
        path: str | Path,
        *,
        default_ttl: float | None = DEFAULT_TTL,
        timeout: float = 5.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        check_ttl(default_ttl)
        self.path = str(path)
        self.default_ttl = default_ttl
        self.timeout = timeout
        self._clock = clock
        self._lock = threading.Lock()
        self._connection: sqlite3.Connection | None = None
        self._writes = 0

    def __repr__(self) -> str:
        return f"SQLiteStore({self.path!r})"

    def shared_key(self) -> Hashable | None:
        if self.path == ":memory:" or self.path.startswith("file:"):
            return None
        return ("sqlite", str(Path(self.path).expanduser().resolve()))

    # ------------------------------------------------------------ connection
    def _connect(self) -> sqlite3.Connection:
        path = self.path if self.path == ":memory:" else str(Path(self.path).expanduser())
        connection = sqlite3.connect(
            path,
            timeout=self.timeout,
            isolation_level=None,  # autocommit: every statement is its own transaction
            check_same_thread=False,  # shared by session threads, always used under self._lock
        )
        try:
            connection.execute(f"PRAGMA busy_timeout = {int(self.timeout * 1000)}")
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("PRAGMA synchronous = NORMAL")
            connection.execute(_SCHEMA)
        except sqlite3.Error:
            connection.close()
            raise
        return connection

    def _run(self, action: Callable[[sqlite3.Connection], T]) -> T:
        with self._lock:
            try:
                if self._connection is None:
                    self._connection = self._connect()
                return action(self._connection)
            except sqlite3.Error as exc:
                # Reopen on the next call: a file that was moved or a disk
                # that filled up may be fine again by then.
                self._close_locked()
                raise StoreError(f"SQLite store {self.path!r}: {exc}") from exc

    def _close_locked(self) -> None:
        if self._connection is not None:
            try:
                self._connection.close()
            except sqlite3.Error:
                pass
            self._connection = None

    def close(self) -> None:
        """Close the connection (it reopens on the next use)."""
        with self._lock:
            self._close_locked()

    # ------------------------------------------------------------ documents
    def get(self, identity: str, namespace: str) -> Document | None:
        now = self._clock()

        def read(db: sqlite3.Connection) -> Any:
            return db.execute(
                "SELECT document FROM st_page_state WHERE identity = ? AND namespace = ? "
                "AND (expires_at IS NULL OR expires_at > ?)",
                (identity, namespace, now),
            ).fetchone()

        row = self._run(read)
        return None if row is None else decode_document(row[0])

    def set(self, identity: str, namespace: str, document: Document, ttl: float | None = None) -> None:
        check_ttl(ttl)
        text = encode_document(document)
        now = self._clock()
        lifetime = self.effective_ttl(ttl)
        expires = None if lifetime is None else now + lifetime

        def write(db: sqlite3.Connection) -> None:
            db.execute(
                "INSERT INTO st_page_state (identity, namespace, document, expires_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (identity, namespace) DO UPDATE SET "
                "document = excluded.document, expires_at = excluded.expires_at",
                (identity, namespace, text, expires),
            )
            self._writes += 1
            if self._writes % PURGE_EVERY == 1:
                db.execute("DELETE FROM st_page_state WHERE expires_at IS NOT NULL AND expires_at <= ?", (now,))

        self._run(write)

    def delete(self, identity: str, namespace: str) -> None:
        def remove(db: sqlite3.Connection) -> None:
            db.execute("DELETE FROM st_page_state WHERE identity = ? AND namespace = ?", (identity, namespace))

        self._run(remove)
