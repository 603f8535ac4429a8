"""What every store is: JSON documents keyed by (identity, namespace), with a lifetime.

A store knows nothing about state classes, fields or sessions. The
persistence glue (``st_page_state.persistence``) turns one state class's
values into one JSON document and back through the fields' pydantic
adapters, so a store only has to keep text safe. Keeping the contract this
small is what lets a store be written in a few lines for another backend.

Two kinds of failure are kept apart, because they call for opposite
reactions:

* :class:`StoreError` (the backend is down, slow, locked or broken): every
  session's store calls are affected, so the guard (``guard.py``) logs one
  warning per outage and stops knocking for a while;
* :class:`BadDocumentError` and :class:`StoreFullError` (subclasses of
  ``StoreError``): one document is bad data or does not fit. The backend
  works; only that document is dropped or refused, with a warning.

Limits every built-in store enforces (and that a custom store gets from
:func:`encode_document` / :func:`decode_document`):

* a document is at most ``max_document_bytes`` of compact JSON
  (:data:`DEFAULT_MAX_DOCUMENT_BYTES`, 64 KiB), checked when it is written
  and again when it is read back (a store shared with other code or an
  older deployment may hold anything);
* a stored document must be a JSON object: no ``NaN``/``Infinity``, no
  number too large for a float, nesting that Python's parser can handle;
* each call has a ``deadline`` (:data:`DEFAULT_DEADLINE`, 0.5 s): the
  longest a script run waits for the store.

A write is one :class:`DocumentWrite`; :meth:`Store.set_many` takes several
(one round trip for Redis, one transaction for SQLite). A *provisional*
write is the state of a tab whose page has not shown that a person is
there yet (a page that only loaded: a bare websocket, a crawler): it lives
at most ``provisional_ttl`` seconds, and a bounded store evicts it before
anything else.
"""

from __future__ import annotations

import json
import math
from abc import ABC, abstractmethod
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any, NoReturn

from ..errors import PageStateError
from ..log import shorten

Document = dict[str, Any]
"""A JSON object: what a store keeps for one state class of one identity."""

DEFAULT_DEADLINE = 0.5
"""Seconds a script run waits for one store call before carrying on without it."""

DURABLE_TTL = 30 * 24 * 3600.0
"""How long the SQLite and Redis stores keep a document after its last write by default (30 days)."""
DEFAULT_MAX_DOCUMENT_BYTES = 64 * 1024
"""Largest document (compact JSON, UTF-8 bytes) a built-in store writes or reads back."""
PROVISIONAL_TTL = 10 * 60.0
"""How long a provisional document lives at most (10 minutes): the state of a page that only loaded."""
DEFAULT_MAX_DOCUMENTS = 100_000
"""Documents the SQLite and Redis stores keep at most by default (about 20 MB of Redis for small states)."""
DEFAULT_PROTECT_SECONDS = 30 * 60.0
"""A document used within this many seconds is never evicted to make room for another."""

"""Characters of store-provided text (keys, error messages) that go into a log line."""


class StoreError(PageStateError):
    """The store could not read or write: backend down, slow, locked, disk full.

    Stores raise this for every backend failure so the persistence glue can
    degrade to session-only state with one warning, whatever the backend.
    The subclasses :class:`BadDocumentError` and :class:`StoreFullError`
    are about one document, not the backend: the guard never counts them as
    an outage.
    """


class StoreTimeoutError(StoreError):
    """A store call did not finish within its deadline (a hung server, a lock held elsewhere)."""


class BadDocumentError(StoreError):
    """One document is bad data: not JSON, not a JSON object, or over the size limit.

    Raised by ``get`` for a stored document that cannot be used (the caller
    treats it as missing) and by ``set`` for a document the store refuses to
    write. The backend itself works: other documents are unaffected.
    """


class StoreFullError(StoreError):
    """The store has no room for this document without breaking its fairness rules.

    Raised by :class:`~st_page_state.stores.MemoryStore` when one identity
    would hold more than its share, or when making room would evict states
    used recently. The document is not written; the backend works.
    """


@dataclass(frozen=True)
class DocumentWrite:
    """One document to store: what :meth:`Store.set` takes, and whether it is provisional."""

    identity: str
    namespace: str
    document: Document
    ttl: float | None = None
    """Seconds from now, None: the store's ``default_ttl``."""
    provisional: bool = False
    """The tab has not shown a person is there yet: the document lives at most ``provisional_ttl``
    and a bounded store evicts it first."""

    @property
    def key(self) -> tuple[str, str]:
        return (self.identity, self.namespace)


class Store(ABC):
    """A place where state documents outlive the Streamlit session.

    Subclasses implement :meth:`get`, :meth:`set` and :meth:`delete`; each
    may be called from many session threads at once and must raise
    :class:`StoreError` (never a backend-specific exception) when it fails,
    and :class:`BadDocumentError` when one document is bad data.

    ``ttl`` is the lifetime of a document in seconds, counted from its last
    write; ``None`` means the store's ``default_ttl`` (which may itself be
    ``None``: no expiry).

    ``deadline`` is the longest a script run waits for one call, in
    seconds. The guard runs calls of a store with a deadline on a worker
    thread and stops waiting when it passes, whatever the backend does; a
    store should also make its own calls give up by then (socket timeouts,
    lock timeouts) so no call outlives its caller. ``None`` means the store
    never blocks (pure in-process work) and is called directly.

    ``max_document_bytes`` is the largest document the store accepts.
    """

    default_ttl: float | None = None
    deadline: float | None = DEFAULT_DEADLINE
    max_document_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES
    provisional_ttl: float = PROVISIONAL_TTL

    @abstractmethod
    def get(self, identity: str, namespace: str) -> Document | None:
        """The document stored for ``identity`` and ``namespace``, or None (missing or expired)."""

    @abstractmethod
    def set(self, identity: str, namespace: str, document: Document, ttl: float | None = None) -> None:
        """Store ``document``, replacing any earlier one, for ``ttl`` seconds."""

    @abstractmethod
    def delete(self, identity: str, namespace: str) -> None:
        """Forget the document; deleting a missing one is not an error."""

    def set_many(self, writes: Sequence[DocumentWrite]) -> list[StoreError | None]:
        """Store several documents; per write, None when stored or the error that refused that one.

        A refused document (:class:`BadDocumentError`, :class:`StoreFullError`)
        does not stop the others; a backend failure raises :class:`StoreError`
        for the whole call. This default calls :meth:`set` for each write (a
        provisional one with at most ``provisional_ttl``); the built-in stores
        write them in one round trip or transaction.
        """
        results: list[StoreError | None] = []
        for write in writes:
            try:
                self.set_one(write)
            except (BadDocumentError, StoreFullError) as exc:
                results.append(exc)
            else:
                results.append(None)
        return results

    def set_one(self, write: DocumentWrite) -> None:
        """Store one write (what the default :meth:`set_many` calls): :meth:`set` with its lifetime."""
        self.set(write.identity, write.namespace, write.document, self.write_ttl(write))

    def write_ttl(self, write: DocumentWrite) -> float | None:
        """The lifetime of a write: its ttl (or the default), capped at ``provisional_ttl`` if provisional."""
        lifetime = self.effective_ttl(write.ttl)
        if write.provisional:
            return self.provisional_ttl if lifetime is None else min(lifetime, self.provisional_ttl)
        return lifetime

    def shared_key(self) -> Hashable | None:
        """A key naming the backend this store talks to, or None if every instance is its own.

        Streamlit reruns the main script, so ``configure(store=SQLiteStore(...))``
        at its top builds a new store object on every run. Two stores with
        the same key are the same backend: the persistence glue keeps using
        the first one (its connection and its failure state), so reruns
        neither reconnect nor forget that a warning was already logged.
        """
        return None

    def effective_ttl(self, ttl: float | None) -> float | None:
        return self.default_ttl if ttl is None else ttl


@dataclass(frozen=True)
class EncodedWrite:
    """A write as a backend stores it: its place in the call's results, JSON text and lifetime."""

    position: int
    identity: str
    namespace: str
    text: str
    lifetime: float | None
    """Seconds from now; None: kept until deleted."""
    provisional: bool


class BatchStore(Store):
    """A store whose backend takes many writes in one call (a transaction, a round trip).

    :meth:`set` is a batch of one. :meth:`set_many` checks and encodes each
    write (a bad document is that write's result, the others go on) and
    hands the rest to :meth:`write_batch` in one call. A bounded store
    refuses a write when every document it holds was written within
    ``protect_seconds`` (``max_documents``; see :func:`check_budget`).
    """

    max_documents: int | None = DEFAULT_MAX_DOCUMENTS
    protect_seconds: float = DEFAULT_PROTECT_SECONDS

    @abstractmethod
    def write_batch(self, writes: list[EncodedWrite]) -> list[int]:
        """Store ``writes`` in one backend call; the positions of those refused for the budget."""

    @abstractmethod
    def describe(self) -> str:
        """The store as error messages name it (``"SQLite store 'state.db'"``)."""

    def set(self, identity: str, namespace: str, document: Document, ttl: float | None = None) -> None:
        check_ttl(ttl)
        error = self.set_many([DocumentWrite(identity, namespace, document, ttl)])[0]
        if error is not None:
            raise error

    def set_many(self, writes: Sequence[DocumentWrite]) -> list[StoreError | None]:
        results: list[StoreError | None] = [None] * len(writes)
        ready: list[EncodedWrite] = []
        for position, write in enumerate(writes):
            try:
                check_ttl(write.ttl)
                text = encode_document(write.document, self.max_document_bytes)
            except BadDocumentError as exc:
                results[position] = exc
                continue
            lifetime = self.write_ttl(write)
            ready.append(EncodedWrite(position, write.identity, write.namespace, text, lifetime, write.provisional))
        if ready:
            for position in self.write_batch(ready):
                results[position] = StoreFullError(
                    f"{self.describe()} holds max_documents={self.max_documents} documents, every one written "
                    f"within the last {self.protect_seconds:g} s (protect_seconds); this document is not stored"
                )
        return results


def describe_error(exc: BaseException) -> str:
    """``"TypeName: message"``, cut for a log line."""
    message = str(exc)
    return shorten(f"{type(exc).__name__}: {message}" if message else type(exc).__name__)


def encode_document(document: Document, max_bytes: int | None = None) -> str:
    """Compact JSON text of a document.

    Raises :class:`BadDocumentError` for anything JSON cannot hold (sets,
    bytes, NaN, objects, cycles) and for text longer than ``max_bytes``.
    The text is ASCII (non-ASCII characters are escaped), so its length is
    its size in bytes.
    """
    try:
        text = json.dumps(document, separators=(",", ":"), sort_keys=True, allow_nan=False)
    except (TypeError, ValueError, RecursionError) as exc:
        raise BadDocumentError(f"the document is not JSON: {shorten(exc)}") from exc
    if max_bytes is not None and len(text) > max_bytes:
        raise BadDocumentError(f"the document is {len(text)} bytes of JSON, over the size limit of {max_bytes} bytes")
    return text


def _reject_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not JSON")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"number out of range: {shorten(text, 40)}")
    return value


def text_size(text: str | bytes) -> int:
    """Size of stored text in UTF-8 bytes, without encoding text that is clearly too long anyway."""
    if isinstance(text, bytes):
        return len(text)
    if text.isascii():
        return len(text)
    return len(text.encode("utf-8", "surrogatepass"))


def decode_document(text: object, max_bytes: int | None = None) -> Document:
    """Parse stored text back into a document.

    Anything but a JSON object of at most ``max_bytes`` is bad data and
    raises :class:`BadDocumentError`: text or bytes that are not JSON (or not
    UTF-8), ``NaN``/``Infinity``, numbers beyond a float, nesting too deep
    for the parser, a value of another type than text.
    """
    if isinstance(text, (bytearray, memoryview)):
        text = bytes(text)
    if not isinstance(text, (str, bytes)):
        raise BadDocumentError(f"the stored value is a {type(text).__name__}, not JSON text")
    if max_bytes is not None:
        if len(text) > max_bytes or text_size(text) > max_bytes:
            raise BadDocumentError(f"the stored document is over the size limit of {max_bytes} bytes")
    try:
        value = json.loads(text, parse_constant=_reject_constant, parse_float=_finite_float)
    except (TypeError, ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
        raise BadDocumentError(f"the stored document is not valid JSON: {shorten(exc)}") from exc
    if not isinstance(value, dict):
        raise BadDocumentError(f"the stored document is a JSON {type(value).__name__}, not an object")
    return value


def check_ttl(ttl: float | None) -> None:
    if ttl is not None and (isinstance(ttl, bool) or not isinstance(ttl, (int, float)) or ttl <= 0):
        raise ValueError(f"ttl must be a positive number of seconds or None, not {ttl!r}")


def check_deadline(deadline: float | None, *, optional: bool = False) -> None:
    """A deadline is a positive, finite number of seconds (or None where ``optional``)."""
    if deadline is None and optional:
        return
    if (
        isinstance(deadline, bool)
        or not isinstance(deadline, (int, float))
        or not math.isfinite(deadline)
        or deadline <= 0
    ):
        raise ValueError(f"deadline must be a positive number of seconds, not {deadline!r}")


def check_positive_int(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{name} must be a positive int, not {value!r}")
    return value


def check_budget(max_documents: int | None, protect_seconds: float, provisional_ttl: float) -> None:
    """``max_documents`` a positive int or None; ``protect_seconds`` >= 0; ``provisional_ttl`` > 0."""
    if max_documents is not None:
        check_positive_int("max_documents", max_documents)
    if isinstance(protect_seconds, bool) or not isinstance(protect_seconds, (int, float)) or protect_seconds < 0:
        raise ValueError(f"protect_seconds must be a number of seconds >= 0, not {protect_seconds!r}")
    if provisional_ttl is None:
        raise ValueError("provisional_ttl must be a positive number of seconds, not None")
    check_ttl(provisional_ttl)


def resolve_deadline(deadline: float | None, timeout: float | None) -> float:
    """The deadline from ``deadline`` or its older name ``timeout`` (not both); the default otherwise."""
    if deadline is not None and timeout is not None:
        raise TypeError("give deadline= or its older name timeout=, not both")
    value = DEFAULT_DEADLINE if deadline is None and timeout is None else (deadline if timeout is None else timeout)
    check_deadline(value)
    assert value is not None
    return float(value)
