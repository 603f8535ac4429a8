"""A store seen through a fuse: failures are logged once and never raised.

Persistence is a convenience layered on the session: when Redis is down or
the disk is full the app must keep working with session-only state. The
guard turns every failure into a "did not work" answer, logs one warning
per outage (not one per script run of every session), waits a little
before knocking again, and says so when the store answers again.
"""

from __future__ import annotations

import logging
import threading
import time
import weakref
from collections.abc import Callable
from typing import TypeVar

from .base import Document, Store

LOGGER = logging.getLogger("st_page_state")

RETRY_SECONDS = 2.0
"""After a failure, calls fail at once for this long instead of waiting on a dead backend."""

T = TypeVar("T")


class StoreGuard:
    """Failure bookkeeping for one store, shared by every session of the process."""

    def __init__(self, store: Store, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.store = store
        self._clock = clock
        self._lock = threading.Lock()
        self.healthy = True
        self.failures = 0
        self._retry_at = 0.0

    def _attempt(self, operation: str, action: Callable[[], T]) -> tuple[bool, T | None]:
        with self._lock:
            if not self.healthy and self._clock() < self._retry_at:
                return False, None
        try:
            result = action()
        except Exception as exc:  # any backend failure, including a custom store's own errors
            self._failed(operation, exc)
            return False, None
        self._succeeded()
        return True, result

    def _failed(self, operation: str, exc: Exception) -> None:
        with self._lock:
            first = self.healthy
            self.healthy = False
            self.failures += 1
            self._retry_at = self._clock() + RETRY_SECONDS
        if first:
            LOGGER.warning(
                "st-page-state: the state store %r failed to %s (%s: %s); state stays in the session "
                "only until the store answers again.",
                self.store,
                operation,
                type(exc).__name__,
                exc,
            )
        else:
            LOGGER.debug("st-page-state: store %r still failing: %s", self.store, exc)

    def _succeeded(self) -> None:
        with self._lock:
            recovered = not self.healthy
            self.healthy = True
        if recovered:
            LOGGER.info("st-page-state: the state store %r answers again; saving resumes.", self.store)

    def get(self, identity: str, namespace: str) -> tuple[bool, Document | None]:
        """``(True, document or None)``, or ``(False, None)`` when the store failed."""
        return self._attempt("read", lambda: self.store.get(identity, namespace))

    def set(self, identity: str, namespace: str, document: Document, ttl: float | None) -> bool:
        """Whether the document was written."""
        ok, _ = self._attempt("write", lambda: self.store.set(identity, namespace, document, ttl))
        return ok


_GUARDS: weakref.WeakKeyDictionary[Store, StoreGuard] = weakref.WeakKeyDictionary()
_GUARDS_LOCK = threading.Lock()


def guard_for(store: Store) -> StoreGuard:
    """The one guard of ``store`` in this process."""
    with _GUARDS_LOCK:
        guard = _GUARDS.get(store)
        if guard is None:
            guard = StoreGuard(store)
            _GUARDS[store] = guard
        return guard
