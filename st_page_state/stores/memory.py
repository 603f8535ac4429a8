"""The default store: documents kept in this server process's memory.

Enough for the common case (a user reloads their tab, or edits the address
bar, which reloads it) with nothing to set up. Lost when the server
restarts and not shared between server processes; bounded so that a
public app with many visitors cannot grow without limit.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from .base import Document, Store, check_ttl, decode_document, encode_document

DEFAULT_MAX_ENTRIES = 10_000
DEFAULT_TTL = 24 * 3600.0


class MemoryStore(Store):
    """An in-process, least-recently-used store with a lifetime per document.

    Args:
        max_entries: How many documents (one per state class and identity)
            to keep; the least recently used go first.
        default_ttl: Seconds a document lives after its last write when the
            state class sets no ``Config.ttl``; None keeps documents until
            they are evicted.
        clock: Monotonic time source (tests pass a fake one).

    Documents are kept as JSON text, so a caller can never change a stored
    value by mutating what it passed in or got back.
    """

    def __init__(
        self,
        max_entries: int = DEFAULT_MAX_ENTRIES,
        *,
        default_ttl: float | None = DEFAULT_TTL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if isinstance(max_entries, bool) or not isinstance(max_entries, int) or max_entries < 1:
            raise ValueError(f"max_entries must be a positive int, not {max_entries!r}")
        check_ttl(default_ttl)
        self.max_entries = max_entries
        self.default_ttl = default_ttl
        self._clock = clock
        self._lock = threading.Lock()
        self._entries: OrderedDict[tuple[str, str], tuple[float | None, str]] = OrderedDict()

    def __repr__(self) -> str:
        return f"MemoryStore(max_entries={self.max_entries}, default_ttl={self.default_ttl})"

    def __len__(self) -> int:
        now = self._clock()
        with self._lock:
            return sum(1 for expires, _ in self._entries.values() if expires is None or expires > now)

    def get(self, identity: str, namespace: str) -> Document | None:
        key = (identity, namespace)
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            expires, text = entry
            if expires is not None and expires <= self._clock():
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
        return decode_document(text)

    def set(self, identity: str, namespace: str, document: Document, ttl: float | None = None) -> None:
        check_ttl(ttl)
        text = encode_document(document)
        lifetime = self.effective_ttl(ttl)
        expires = None if lifetime is None else self._clock() + lifetime
        key = (identity, namespace)
        with self._lock:
            self._entries[key] = (expires, text)
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def delete(self, identity: str, namespace: str) -> None:
        with self._lock:
            self._entries.pop((identity, namespace), None)

    def clear(self) -> None:
        """Forget every document (handy between tests)."""
        with self._lock:
            self._entries.clear()
