"""A store seen through a fuse: failures are logged once and never raised.

Persistence is a convenience layered on the session: when Redis is down or
the disk is full the app must keep working with session-only state. The
guard turns every failure into a "did not work" answer and keeps three
promises for the script runs that call it:

* **A deadline.** A store with a ``deadline`` is called on one of a few
  worker threads; the run waits at most ``deadline`` (+ 50 ms), whatever
  the backend does (a hung server, a lock held by another process, a
  network file system that stopped answering). A call still running then
  is *stranded*: its result is dropped, and no later write of the same
  document is started until it ends, so it cannot land on top of a newer
  one. Calls that waited for a free worker past their deadline never run.
* **One warning per outage, no waiting on a dead backend.** After a failure
  every call fails at once for :data:`RETRY_SECONDS`; then one call (the
  probe) tries the backend while the others keep failing at once. The
  store answering again is logged too.
* **Bad data is not an outage.** A stored document that is not valid JSON,
  not an object or too large (:class:`BadDocumentError` from ``get``) is
  treated as missing, with a warning naming its key; a document that is
  refused (too large, not JSON, :class:`StoreFullError`) is not written,
  with a warning. Neither affects other keys or sessions. Those warnings
  are logged at most once a minute per state class, since a client can
  trigger them at will.

Everything from the store that reaches the log (keys, error messages) is
cut to :data:`~st_page_state.log.MAX_SHOWN` characters.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from ..log import log, shorten
from .base import (
    BadDocumentError,
    Document,
    DocumentWrite,
    Store,
    StoreError,
    StoreFullError,
    StoreTimeoutError,
    check_deadline,
    describe_error,
)
from .workers import DeadlineWorkers

RETRY_SECONDS = 2.0
"""After a failure, calls fail at once for this long instead of waiting on a dead backend."""

DEADLINE_GRACE = 0.05
"""Seconds the guard waits past a store's deadline, so the store's own timeout error (which
names the cause, e.g. "database is locked") arrives before the guard gives up."""

BAD_DATA_WARNING_INTERVAL = 60.0
"""Seconds between two bad-data warnings for the same state class (more go to the debug log)."""

ReadStatus = Literal["found", "missing", "bad", "failed"]
WriteStatus = Literal["written", "rejected", "failed"]


@dataclass(frozen=True)
class StoreRead:
    """What a read through the guard gave.

    ``status``:

    * ``"found"``: ``document`` is the stored document;
    * ``"missing"``: nothing stored (or expired);
    * ``"bad"``: something is stored but is bad data (not JSON, not an
      object, too large); it was dropped with a warning. Treat it as
      missing, and write the session's document on the next save so the bad
      one is replaced;
    * ``"failed"``: the store is down, slow or locked (or still in the pause
      after an outage). Nothing is known about what it holds: do not
      overwrite it with defaults.

    ``detail`` says why for ``"bad"`` and ``"failed"`` (cut, for display).
    """

    status: ReadStatus
    document: Document | None = None
    detail: str | None = None

    @property
    def ok(self) -> bool:
        """The store answered (found, missing or bad)."""
        return self.status != "failed"


@dataclass(frozen=True)
class StoreWrite:
    """What a write through the guard gave.

    ``status``:

    * ``"written"``: the store holds the document;
    * ``"rejected"``: this document was refused (too large, not JSON, or the
      store is full: see ``error``), with a warning; the store works. Keep
      the state in the session; a later, different document may fit;
    * ``"failed"``: the store is down, slow or locked. Keep the state in the
      session and write again on a later save.

    ``error`` is the exception behind a rejection or failure (None when the
    call was not even tried because of the pause after an outage).
    """

    status: WriteStatus
    detail: str | None = None
    error: BaseException | None = None

    @property
    def ok(self) -> bool:
        return self.status == "written"


@dataclass(frozen=True)
class StoreHealth:
    """A snapshot of a store's health in this process, for an inspector panel.

    Times are wall-clock (``time.time()``) seconds. Text is cut for display.
    """

    store: str
    """``repr`` of the store (a Redis password is never shown)."""
    healthy: bool
    """False during an outage: calls fail, state stays in the sessions."""
    since: float
    """When the store became healthy or unhealthy (or when the guard was made)."""
    failures: int
    """Failed calls (tried or refused at once) in the current outage; 0 while healthy."""
    outages: int
    """Outages since the process started."""
    last_error: str | None
    """The last failure, ``"TypeName: message"``; kept after recovery."""
    last_error_at: float | None
    bad_documents: int
    """Stored documents dropped as bad data, plus documents refused, since the process started."""
    last_bad_document: str | None
    """The key and reason of the last one."""
    stranded_calls: int
    """Calls still running after their caller stopped waiting (a hung backend)."""


class StoreGuard:
    """Failure bookkeeping and deadlines for one store, shared by every session of the process.

    Args:
        store: The store to guard.
        clock: Monotonic time source for the pause after a failure (tests
            pass a fake one). Deadlines always use real time.

    The deadline is the store's ``deadline`` attribute, read once here:
    seconds a call may take before the caller carries on without it; None
    calls the store directly in the caller's thread (for stores that never
    block, like :class:`~st_page_state.stores.MemoryStore`).
    """

    def __init__(
        self,
        store: Store,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.store = store
        self._clock = clock
        chosen = getattr(store, "deadline", None)
        check_deadline(chosen, optional=True)
        self.deadline: float | None = None if chosen is None else float(chosen)
        self._workers = DeadlineWorkers(f"st-page-state store {type(store).__name__}")
        self._lock = threading.Lock()
        self.healthy = True
        self.failures = 0
        """Failed calls in the current outage (0 while healthy)."""
        self._retry_at = 0.0
        self._probing = False
        self._since = time.time()
        self._outages = 0
        self._last_error: str | None = None
        self._last_error_at: float | None = None
        self._bad_documents = 0
        self._last_bad_document: str | None = None
        self._bad_warned_at: dict[tuple[str, str], float] = {}

    def __repr__(self) -> str:
        return f"StoreGuard({self.store!r}, healthy={self.healthy})"

    # ------------------------------------------------------------ public API
    def delete(self, identity: str, namespace: str) -> bool:
        """Whether the document was deleted (or was not there)."""
        key = (identity, namespace)
        status, _, _, _ = self._call("delete", [key], lambda: self.store.delete(identity, namespace))
        return status == "ok"

    def read(self, identity: str, namespace: str) -> StoreRead:
        """The stored document, told apart from missing, bad data and failure."""
        key = (identity, namespace)
        status, value, detail, _ = self._call("read", [key], lambda: self.store.get(identity, namespace))
        if status == "ok":
            return StoreRead("missing") if value is None else StoreRead("found", value)
        if status == "rejected":
            return StoreRead("bad", None, detail)
        return StoreRead("failed", None, detail)

    def write(self, identity: str, namespace: str, document: Document, ttl: float | None) -> StoreWrite:
        """Write the document, told apart from a refused document and a failed store."""
        return self.write_many([DocumentWrite(identity, namespace, document, ttl)])[0]

    def write_many(self, writes: Sequence[DocumentWrite], *, patience: float | None = None) -> list[StoreWrite]:
        """Write documents in one call (:meth:`Store.set_many`), one answer each; ``patience``: wait that long
        instead of the deadline (the writer thread keeps no run waiting)."""
        if not writes:
            return []
        status, value, detail, error = self._call(
            "write", [w.key for w in writes], lambda: self.store.set_many(writes), patience
        )
        if status != "ok":
            failed = StoreWrite("rejected" if status == "rejected" else "failed", detail, error)
            return [failed] * len(writes)
        answers: list[StoreWrite] = []
        for write, refused in zip(writes, _results(value, len(writes)), strict=True):
            if refused is None:
                answers.append(StoreWrite("written"))
            else:
                self._bad_data("write", write.identity, write.namespace, refused)
                answers.append(StoreWrite("rejected", describe_error(refused), refused))
        return answers

    def retry_in(self) -> float:
        """Seconds until a call may reach the backend again (0 while it is healthy)."""
        with self._lock:
            return 0.0 if self.healthy else max(0.0, self._retry_at - self._clock())

    def health(self) -> StoreHealth:
        """How the store is doing, for display (see :class:`StoreHealth`)."""
        with self._lock:
            return StoreHealth(
                store=shorten(repr(self.store)),
                healthy=self.healthy,
                since=self._since,
                failures=self.failures,
                outages=self._outages,
                last_error=self._last_error,
                last_error_at=self._last_error_at,
                bad_documents=self._bad_documents,
                last_bad_document=self._last_bad_document,
                stranded_calls=self._workers.stranded,
            )

    # ------------------------------------------------------------ machinery
    def _call(
        self, operation: str, keys: list[tuple[str, str]], action: Callable[[], Any], patience: float | None = None
    ) -> tuple[Literal["ok", "rejected", "failed"], Any, str | None, BaseException | None]:
        mutates = operation != "read"
        probe = False
        with self._lock:
            if not self.healthy:
                if self._clock() < self._retry_at or self._probing:
                    self.failures += 1
                    return "failed", None, self._last_error, None
                self._probing = probe = True  # this call tries the backend again; the others wait for it
        try:
            if mutates and any(self._workers.stranded_for(key) for key in keys):
                # A write of this document outlived its caller and may still
                # land: starting another could be overtaken by it.
                stuck = StoreTimeoutError("an earlier write of this document has not finished yet")
                self._failed(operation, stuck)
                return "failed", None, describe_error(stuck), stuck
            try:
                tags = tuple(keys) if mutates else tuple(("read", *key) for key in keys)
                value = self._run(action, tags, patience)
                if operation == "read" and value is not None and not isinstance(value, dict):
                    raise BadDocumentError(f"the store returned a {type(value).__name__}, not a document")
            except (BadDocumentError, StoreFullError) as exc:
                if operation == "read":
                    self._succeeded()  # the backend answered; the document is the problem
                identity, namespace = keys[0]
                self._bad_data(operation, identity, namespace, exc)
                return "rejected", None, describe_error(exc), exc
            except Exception as exc:  # any backend failure, including a custom store's own errors
                self._failed(operation, exc)
                return "failed", None, describe_error(exc), exc
            self._succeeded()
            return "ok", value, None, None
        finally:
            if probe:
                with self._lock:
                    self._probing = False

    def _run(self, action: Callable[[], Any], tags: tuple[Hashable, ...], patience: float | None) -> Any:
        if self.deadline is None:
            return action()
        return self._workers.call(action, max(self.deadline, patience or 0.0) + DEADLINE_GRACE, tags)

    def _failed(self, operation: str, exc: BaseException) -> None:
        detail = describe_error(exc)
        with self._lock:
            first = self.healthy
            self.healthy = False
            self.failures += 1
            self._retry_at = self._clock() + RETRY_SECONDS
            self._last_error = detail
            self._last_error_at = time.time()
            if first:
                self._outages += 1
                self._since = self._last_error_at
        if first:
            log.warning("the state store %s failed to %s (%s); state stays in the session "
                "only until the store answers again.",
                shorten(repr(self.store)),
                operation,
                detail,
            )
        else:
            log.debug("store %s still failing: %s", shorten(repr(self.store)), detail)

    def _succeeded(self) -> None:
        with self._lock:
            recovered = not self.healthy
            if recovered:
                self.healthy = True
                self.failures = 0
                self._since = time.time()
        if recovered:
            log.info("the state store %s answers again; saving resumes.", shorten(repr(self.store)))

    def _bad_data(self, operation: str, identity: str, namespace: str, exc: BaseException) -> None:
        where = shorten(f"{identity} / {namespace}")
        detail = describe_error(exc)
        kind = "full" if isinstance(exc, StoreFullError) else operation
        now = self._clock()
        with self._lock:
            self._bad_documents += 1
            self._last_bad_document = shorten(f"{where}: {detail}")
            warned = self._bad_warned_at.get((kind, namespace))
            loud = warned is None or now - warned >= BAD_DATA_WARNING_INTERVAL
            if loud:
                if len(self._bad_warned_at) > 1000:  # namespaces come from code, but stay bounded anyway
                    self._bad_warned_at.clear()
                self._bad_warned_at[(kind, namespace)] = now
        _log_bad_data(logging.WARNING if loud else logging.DEBUG, operation, where, repr(self.store), detail)


def _log_bad_data(level: int, operation: str, where: str, store: str, detail: str) -> None:
    if operation == "read":
        log.log(level, "ignored the stored state %s in %s: bad data (%s); it is treated as missing.",
            where, shorten(store), detail)
    else:
        log.log(level, "the state %s was not saved to %s (%s); it stays in the session only.",
            where, shorten(store), detail)


def _results(value: object, count: int) -> list[StoreError | None]:
    """``set_many``'s answer, checked: one entry per write (a custom store's odd answer counts as all written)."""
    if isinstance(value, list) and len(value) == count:
        return [v if isinstance(v, StoreError) else None for v in value]
    return [None] * count


def guard_for(store: Store) -> StoreGuard:
    """The one guard of ``store`` in this process.

    Kept on the store object itself, so a store that is dropped takes its
    guard (and the guard's idle worker threads, which end on their own)
    with it.
    """
    guard = store.__dict__.get(_GUARD_ATTRIBUTE)
    if guard is None:
        with _GUARDS_LOCK:
            guard = store.__dict__.get(_GUARD_ATTRIBUTE)
            if guard is None:
                guard = StoreGuard(store)
                store.__dict__[_GUARD_ATTRIBUTE] = guard
    assert isinstance(guard, StoreGuard)
    return guard


_GUARD_ATTRIBUTE = "_st_page_state_guard"
_GUARDS_LOCK = threading.Lock()
