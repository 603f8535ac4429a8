"""What a session remembers of the engine's decisions, for the inspector panel.

The session (``session.py``) records three things as it applies its
decisions, each only when something happens (never on a field read or a
run that changes nothing):

* the *origin* of every field's value, when the value changes: its default,
  the URL, the store, a widget or code;
* the last few URL writes, with their revision;
* the last few URL params it refused, with the reason.

Histories are tuples of at most :data:`KEPT` small records (immutable, so
the panel reads them without a lock), and text is cut when it is recorded,
so a session's memory does not grow over thousands of reruns or with
hostile input.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Literal, TypeVar

from .log import shorten, shown
from .url import Rejection

Origin = Literal["default", "url", "store", "widget", "code"]
"""Where a field's value came from: its default (also after ``reset()``), the URL (a deep link, an
edit, Back/Forward), the store (after a reload), a bound widget (also its seed or fallback), or code."""

KEPT = 6
"""How many URL writes and how many rejected params a session remembers."""
MAX_QUERY_SHOWN = 100
"""Characters of a written query string kept per write."""
MAX_CHANGED_SHOWN = 8
"""Param names kept per write."""

WriteKind = Literal["replace", "push", "held"]
"""How a URL write reached the browser: replacing the entry, as a new history entry, or held for the
bridge to apply (a session's first write)."""


@dataclass(frozen=True, slots=True)
class UrlWrite:
    """One URL write of the engine."""

    revision: int
    """The engine's revision after the write (the bridge tags its reports with it)."""
    at: float
    """Wall-clock time (``time.time()``)."""
    kind: WriteKind
    query: str
    """The query string written, cut to :data:`MAX_QUERY_SHOWN` characters."""
    changed: tuple[str, ...]
    """The params whose value changed or was repaired in the run (a few, sorted)."""


@dataclass(frozen=True, slots=True)
class RejectedParam:
    """A URL param the engine refused; the field kept its value and the URL was corrected."""

    at: float
    state: str
    """The state class's name."""
    param: str
    value: str
    """The refused URL text, quoted and cut."""
    reason: str
    """Why, cut."""


Record = TypeVar("Record", "UrlWrite", "RejectedParam")


def kept(history: tuple[Record, ...], record: Record) -> tuple[Record, ...]:
    """``history`` with ``record`` added, only the last :data:`KEPT` kept."""
    return history[max(len(history) + 1 - KEPT, 0) :] + (record,)


def url_write(revision: int, kind: WriteKind, query: str, changed: set[str]) -> UrlWrite:
    """The record of a write; ``query`` is the encoded query string (our own text, but maybe long)."""
    return UrlWrite(
        revision=revision,
        at=time.time(),
        kind=kind,
        query=shorten(query, MAX_QUERY_SHOWN),
        changed=tuple(sorted(changed)[:MAX_CHANGED_SHOWN]),
    )


def rejected_param(rejection: Rejection) -> RejectedParam:
    """The record of a refused param; the URL text and the reason are cut here, before they are kept."""
    f = rejection.field
    return RejectedParam(
        at=time.time(),
        state=f.owner,
        param=f.param or "",
        value=shown("&".join(rejection.texts[:20])),
        reason=shorten(rejection.reason, 120),
    )
