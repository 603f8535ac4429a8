"""The default store: documents kept in this server process's memory.

Enough for the common case (a user reloads their tab, or edits the address
bar, which reloads it) with nothing to set up. Lost when the server
restarts and not shared between server processes.

Bounded, because on a public app anyone can create states: every new
browser tab is a new identity, and a script can open tabs (or invent tab
ids) as fast as the server accepts them. Three limits apply together:

* ``max_entries`` documents and ``max_bytes`` of memory in total, freed
  least-recently-used first;
* ``max_identity_bytes`` for the documents of one identity, so a single
  tab or user cannot take a large share;
* ``protect_seconds``: a document read or written within that time is
  never evicted to make room for another. When everything kept is that
  fresh, a new document is refused (:class:`StoreFullError`: its session
  keeps the state, unsaved, with a warning) instead of evicting someone.

*Provisional* documents (a page that only loaded: see
:class:`~st_page_state.stores.base.DocumentWrite`) go first, least recently
used first, whatever their age: they hold nobody's work yet.

What that guarantees against a client that mints tab ids: it cannot evict
the state of anyone who used their tab within the last ``protect_seconds``
(30 minutes by default), however fast it goes; it can evict states idle for
longer (as any flood of real visitors would), and while it keeps the store
full of fresh states, new tabs are not stored (they work, session-only)
until its states age out. Rate-limiting new tabs per client is not
something a store can do: it never sees the client.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from .base import (
    DEFAULT_MAX_DOCUMENT_BYTES,
    Document,
    DocumentWrite,
    Store,
    StoreFullError,
    check_positive_int,
    check_ttl,
    decode_document,
    encode_document,
)

DEFAULT_MAX_ENTRIES = 10_000
DEFAULT_MAX_BYTES = 64 * 1024 * 1024
DEFAULT_MAX_IDENTITY_BYTES = 1024 * 1024
DEFAULT_PROTECT_SECONDS = 30 * 60.0
DEFAULT_TTL = 24 * 3600.0

ENTRY_OVERHEAD = 300
"""Bytes counted per document on top of its text and key: Python objects, dict slot, LRU links."""

SWEEP_INTERVAL = 1.0
"""Seconds between two full scans for expired documents when the store is full."""


@dataclass
class _Entry:
    expires: float | None
    text: str
    size: int
    used: float
    provisional: bool = False


class MemoryStore(Store):
    """An in-process store, bounded in documents and bytes, fair between identities.

    Args:
        max_entries: Most documents kept (one per state class and identity).
        max_bytes: Most memory the documents take, counted as their JSON
            text, their key and :data:`ENTRY_OVERHEAD` bytes each (64 MiB).
        max_identity_bytes: Most bytes the documents of one identity may
            take, counted the same way (1 MiB); a write past it is refused
            with :class:`StoreFullError`.
        max_document_bytes: Largest document, as compact JSON (64 KiB); a
            larger one is refused with :class:`BadDocumentError`.
        protect_seconds: A document read or written within this many
            seconds is never evicted for another (30 minutes). ``0`` makes
            the store a plain least-recently-used cache.
        default_ttl: Seconds a document lives after its last write when the
            state class sets no ``Config.ttl``; None keeps documents until
            they are evicted.
        clock: Monotonic time source (tests pass a fake one).

    When room is needed, provisional documents go first (the oldest
    first), then the least recently used ones that expired or are idle for
    more than ``protect_seconds``; when that is
    not enough, the new document is refused (:class:`StoreFullError`) and
    nothing is evicted. Documents are kept as JSON text, so a caller can
    never change a stored value by mutating what it passed in or got back.
    Every call is a few microseconds of work under one lock, so the store
    has no ``deadline`` and the guard calls it directly.
    """

    deadline: float | None = None

    def __init__(
        self,
        max_entries: int = DEFAULT_MAX_ENTRIES,
        *,
        max_bytes: int = DEFAULT_MAX_BYTES,
        max_identity_bytes: int = DEFAULT_MAX_IDENTITY_BYTES,
        max_document_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES,
        protect_seconds: float = DEFAULT_PROTECT_SECONDS,
        default_ttl: float | None = DEFAULT_TTL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_entries = check_positive_int("max_entries", max_entries)
        self.max_bytes = check_positive_int("max_bytes", max_bytes)
        self.max_identity_bytes = check_positive_int("max_identity_bytes", max_identity_bytes)
        self.max_document_bytes = check_positive_int("max_document_bytes", max_document_bytes)
        if isinstance(protect_seconds, bool) or not isinstance(protect_seconds, (int, float)) or protect_seconds < 0:
            raise ValueError(f"protect_seconds must be a number of seconds >= 0, not {protect_seconds!r}")
        check_ttl(default_ttl)
        self.protect_seconds = float(protect_seconds)
        self.default_ttl = default_ttl
        self._clock = clock
        self._lock = threading.Lock()
        self._entries: OrderedDict[tuple[str, str], _Entry] = OrderedDict()
        self._bytes = 0
        self._identity_bytes: dict[str, int] = {}
        self._provisional: OrderedDict[tuple[str, str], None] = OrderedDict()
        self._next_sweep = float("-inf")

    def __repr__(self) -> str:
        return (
            f"MemoryStore(max_entries={self.max_entries}, max_bytes={self.max_bytes}, "
            f"default_ttl={self.default_ttl})"
        )

    def __len__(self) -> int:
        now = self._clock()
        with self._lock:
            return sum(1 for entry in self._entries.values() if not self._expired(entry, now))

    @property
    def bytes_used(self) -> int:
        """Bytes the kept documents count for (expired ones included until they are dropped)."""
        with self._lock:
            return self._bytes

    def identity_bytes(self, identity: str) -> int:
        """Bytes the documents of ``identity`` count for."""
        with self._lock:
            return self._identity_bytes.get(identity, 0)

    # ------------------------------------------------------------ documents
    def get(self, identity: str, namespace: str) -> Document | None:
        key = (identity, namespace)
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            now = self._clock()
            if self._expired(entry, now):
                self._drop(key)
                return None
            entry.used = now
            self._entries.move_to_end(key)
            text = entry.text
        return decode_document(text, self.max_document_bytes)

    def set(self, identity: str, namespace: str, document: Document, ttl: float | None = None) -> None:
        check_ttl(ttl)
        self._put(DocumentWrite(identity, namespace, document, ttl), self.effective_ttl(ttl))

    def set_one(self, write: DocumentWrite) -> None:
        if type(self).set is not MemoryStore.set:  # a subclass that changes set() keeps it for every write
            super().set_one(write)
            return
        check_ttl(write.ttl)
        self._put(write, self.write_ttl(write))

    def _put(self, write: DocumentWrite, lifetime: float | None) -> None:
        text = encode_document(write.document, self.max_document_bytes)
        identity, namespace = key = write.key
        size = len(text) + len(identity) + len(namespace) + ENTRY_OVERHEAD
        with self._lock:
            now = self._clock()
            old = self._entries.get(key)
            old_size = 0 if old is None else old.size
            held = self._identity_bytes.get(identity, 0) - old_size + size
            if held > self.max_identity_bytes:
                raise StoreFullError(
                    f"the documents of one identity would take {held} bytes, "
                    f"over the limit of {self.max_identity_bytes} (max_identity_bytes)"
                )
            victims = self._make_room(key, size - old_size, 0 if old is not None else 1, now)
            for victim in victims:
                self._drop(victim)
            if old is not None:
                self._drop(key)
            expires = None if lifetime is None else now + lifetime
            self._entries[key] = _Entry(expires, text, size, now, write.provisional)
            if write.provisional:
                self._provisional[key] = None
            self._bytes += size
            self._identity_bytes[identity] = self._identity_bytes.get(identity, 0) + size

    def delete(self, identity: str, namespace: str) -> None:
        with self._lock:
            if (identity, namespace) in self._entries:
                self._drop((identity, namespace))

    def clear(self) -> None:
        """Forget every document (handy between tests)."""
        with self._lock:
            self._entries.clear()
            self._identity_bytes.clear()
            self._provisional.clear()
            self._bytes = 0

    # ------------------------------------------------------------ internals
    @staticmethod
    def _expired(entry: _Entry, now: float) -> bool:
        return entry.expires is not None and entry.expires <= now

    def _drop(self, key: tuple[str, str]) -> None:
        entry = self._entries.pop(key)
        if entry.provisional:
            del self._provisional[key]
        self._bytes -= entry.size
        remaining = self._identity_bytes[key[0]] - entry.size
        if remaining:
            self._identity_bytes[key[0]] = remaining
        else:
            del self._identity_bytes[key[0]]

    def _make_room(self, key: tuple[str, str], grow_bytes: int, grow_entries: int, now: float) -> list[tuple[str, str]]:
        """The documents to evict so that ``key`` fits, or StoreFullError (then nothing is evicted)."""
        victims = _victims(self, key, grow_bytes, grow_entries, now)
        if victims is None and now >= self._next_sweep:
            # Documents with a short ttl may have expired deep in the recency
            # order; finding them costs a scan of everything, so at most once
            # a second (a flood of refused writes stays cheap).
            self._next_sweep = now + SWEEP_INTERVAL
            for expired in [k for k, e in self._entries.items() if k != key and self._expired(e, now)]:
                self._drop(expired)
            victims = _victims(self, key, grow_bytes, grow_entries, now)
        if victims is None:
            raise StoreFullError(
                f"the memory store is full ({len(self._entries)} documents, {self._bytes} bytes) of states "
                f"used within the last {self.protect_seconds:g} s (protect_seconds); this document is not stored"
            )
        return victims


def _victims(
    store: MemoryStore, key: tuple[str, str], grow_bytes: int, grow_entries: int, now: float
) -> list[tuple[str, str]] | None:
    """The documents to evict so that ``key`` can grow by so much; None when that would evict a protected one."""
    need_bytes = store._bytes + grow_bytes - store.max_bytes
    need_entries = len(store._entries) + grow_entries - store.max_entries
    victims: list[tuple[str, str]] = []
    for candidate in store._provisional:  # nobody's work yet: least recently written first, any age
        if need_bytes <= 0 and need_entries <= 0:
            return victims
        if candidate != key:
            victims.append(candidate)
            need_bytes -= store._entries[candidate].size
            need_entries -= 1
    evictable_before = now - store.protect_seconds
    # Least recently used first. An entry's ``used`` time only grows as
    # it moves to the end, so the first fresh, unexpired entry ends the
    # search: everything after it is fresher.
    for candidate, entry in store._entries.items():
        if need_bytes <= 0 and need_entries <= 0:
            break
        if candidate == key or entry.provisional:
            continue
        if not store._expired(entry, now) and entry.used > evictable_before:
            break
        victims.append(candidate)
        need_bytes -= entry.size
        need_entries -= 1
    return victims if need_bytes <= 0 and need_entries <= 0 else None
