"""What every store is: JSON documents keyed by (identity, namespace), with a lifetime.

A store knows nothing about state classes, fields or sessions. The
persistence glue (``st_page_state.persistence``) turns one state class's
values into one JSON document and back through the fields' pydantic
adapters, so a store only has to keep text safe. Keeping the contract this
small is what lets a store be written in a few lines for another backend.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Hashable
from typing import Any

from ..errors import PageStateError

Document = dict[str, Any]
"""A JSON object: what a store keeps for one state class of one identity."""


class StoreError(PageStateError):
    """The store could not read or write (backend down, disk full, bad data).

    Stores raise this for every backend failure so the persistence glue can
    degrade to session-only state with one warning, whatever the backend.
    """


class Store(ABC):
    """A place where state documents outlive the Streamlit session.

    Subclasses implement :meth:`get`, :meth:`set` and :meth:`delete`; each
    may be called from many session threads at once and must raise
    :class:`StoreError` (never a backend-specific exception) when it fails.

    ``ttl`` is the lifetime of a document in seconds, counted from its last
    write; ``None`` means the store's ``default_ttl`` (which may itself be
    ``None``: no expiry).
    """

    default_ttl: float | None = None

    @abstractmethod
    def get(self, identity: str, namespace: str) -> Document | None:
        """The document stored for ``identity`` and ``namespace``, or None (missing or expired)."""

    @abstractmethod
    def set(self, identity: str, namespace: str, document: Document, ttl: float | None = None) -> None:
        """Store ``document``, replacing any earlier one, for ``ttl`` seconds."""

    @abstractmethod
    def delete(self, identity: str, namespace: str) -> None:
        """Forget the document; deleting a missing one is not an error."""

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


def encode_document(document: Document) -> str:
    """Compact JSON text of a document; raises :class:`StoreError` for anything JSON cannot hold."""
    try:
        return json.dumps(document, separators=(",", ":"), sort_keys=True, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise StoreError(f"the document is not JSON: {exc}") from exc


def decode_document(text: str | bytes) -> Document:
    """Parse stored text back into a document; anything but a JSON object is a store error."""
    try:
        value = json.loads(text)
    except (TypeError, ValueError) as exc:
        raise StoreError(f"the stored document is not valid JSON: {exc}") from exc
    if not isinstance(value, dict):
        raise StoreError(f"the stored document is a JSON {type(value).__name__}, not an object")
    return value


def check_ttl(ttl: float | None) -> None:
    if ttl is not None and (isinstance(ttl, bool) or not isinstance(ttl, (int, float)) or ttl <= 0):
        raise ValueError(f"ttl must be a positive number of seconds or None, not {ttl!r}")
