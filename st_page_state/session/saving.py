"""Saving a session's state, and telling the visitor when the store keeps it waiting.

Every accepted change is saved when it is made (after a run's widget
commits, after each write from code, ``load()`` and ``reset()`` once), not
only at the end of a run: when the browser goes away mid-run, Streamlit
stops the run without its end, and a reload must still find the change.
A save point hands every class whose stored form changed to the store's
writer thread (:class:`~st_page_state.stores.behind.WriteBehind`): the
run does not wait, a run's save points share one store call (a document
waits at most 50 ms for the others of its run), and a write that fails is
retried until it lands. The run's end sends what is queued at once and
waits a moment (:data:`SETTLE_SECONDS`) for it, so a healthy store holds
the run's writes once the run is over. Until a write lands, a read of its
document in this process (a reload) gets it from the writer.

Nothing is saved for a class whose stored document could not be read
(``Persistence.unread``). A wait of more than :data:`NOTICE_AFTER` (a
store read still missing, a change not stored yet) is shown as one toast
that stays until the store answers, then gives way to a short note; the
URL bridge reruns the page (``poll``) so that happens without the visitor
doing anything.
"""

from __future__ import annotations

import time

from .. import notify, persistence
from ..active_store import active_guard
from ..log import debugging, log, shorten
from ..query import Query
from ..runtime import Persistence, SessionRuntime
from ..schema import StateSchema
from ..stores.base import DocumentWrite
from ..stores.behind import Outcome, writer_for
from ..stores.guard import StoreGuard
from .changes import class_for

NOTICE_AFTER = 1.0
"""Seconds a store wait lasts before the visitor is told (a read still missing, a change not stored)."""
SETTLE_SECONDS = 0.3
"""Longest the end of a run waits for the run's writes to land (a healthy store: a few milliseconds)."""
POLL_MAX_MS = 5000
"""Longest the bridge waits before it reruns the page to look at the store again."""

WAITING = {
    "restore": "Restoring your saved work: the store is slow to answer. This page keeps working meanwhile.",
    "save": "Your last change is not saved yet: the store is slow to answer. It is saved as soon as it does.",
}
DONE = {
    "restore": "Your saved work is restored.",
    "save": "Your changes are saved.",
}


def save_unsaved(rt: SessionRuntime) -> None:
    """Save every class changed since its last save whose stored form differs from what the store holds."""
    unsaved, rt.unsaved = rt.unsaved, set()
    state = rt.persistence
    remember_urls(rt)
    identity = state.identity
    guard = active_guard() if identity is not None and unsaved else None
    if identity is None or guard is None:
        return
    recent: list[Query] | None = None
    writes: list[tuple[str, DocumentWrite, str]] = []
    for ns in sorted(unsaved):
        if ns in state.unread:
            rt.unsaved.add(ns)  # what the store holds is not known yet: never written over
            continue
        cls = class_for(rt, ns)
        if cls is None or not persistence.persisted_fields(cls.__state_schema__):
            continue
        schema = cls.__state_schema__
        document, text, skipped = persistence.document_text(schema, rt.values[ns])
        if skipped:
            _warn_unserializable(schema, skipped)
        pending = state.pending.get(ns)
        held = pending[0] if pending is not None else state.saved.get(ns)
        if text == held and not (state.confirmed and ns in state.provisional):
            continue
        urls = recent if recent is not None else (recent := recent_queries(rt))
        document = persistence.stored_document(document, schema, rt.values[ns], *urls, confirmed=state.confirmed)
        write = DocumentWrite(identity, ns, document, schema.config.ttl, provisional=not state.confirmed)
        writes.append((text, write, schema.name))
    if writes:
        submit(state, guard, writes)


def remember_urls(rt: SessionRuntime) -> None:
    """Add what the address bar may show now to ``Persistence.recent_urls``: every document records them.

    Runs at every run's end: a URL that is the session's snapshot (the
    usual case: nothing changed, or the run wrote it) costs no encoding.
    """
    recent = rt.persistence.recent_urls
    for url in (rt.run.received, rt.run.url, rt.snapshot):
        if url is None:
            continue
        text = rt.snapshot_text if url is rt.snapshot else url.encode()
        if not recent or recent[-1] != text:
            if text in recent:
                recent.remove(text)
            recent.append(text)


def recent_queries(rt: SessionRuntime) -> list[Query]:
    """``Persistence.recent_urls`` as queries, parsed once per save (the snapshot's is at hand)."""
    return [
        rt.snapshot if rt.snapshot is not None and text == rt.snapshot_text else Query.parse(text)
        for text in rt.persistence.recent_urls
    ]


def confirm(rt: SessionRuntime) -> None:
    """A person uses the tab: from now on its documents are kept for their full lifetime.

    What was written provisionally is written again at the next save point
    (one batch), so nothing of the tab is left to expire in minutes.
    """
    state = rt.persistence
    if not state.confirmed:
        state.confirmed = True
        rt.unsaved |= state.provisional


def submit(state: Persistence, guard: StoreGuard, writes: list[tuple[str, DocumentWrite, str]]) -> None:
    """Hand ``(text, write, class name)`` to the store's writer (see :mod:`~st_page_state.stores.behind`)."""
    now = time.monotonic()
    state.submitted += 1
    serial = state.submitted
    for text, write, _ in writes:
        since = state.pending[write.namespace][1] if write.namespace in state.pending else now
        state.pending[write.namespace] = (text, since, serial)
        if write.provisional:
            state.provisional.add(write.namespace)
        else:
            state.provisional.discard(write.namespace)
    texts = {write.key: text for text, write, _ in writes}
    news = state.news

    def done(write: DocumentWrite, outcome: Outcome) -> None:  # on the writer thread: only a note in the mailbox
        news.append(("wrote", write.identity, write.namespace, texts[write.key], serial, outcome))

    writer_for(guard).submit([write for _, write, _ in writes], done)
    if debugging():
        names = ", ".join(name for _, _, name in writes)
        log.debug("store write %s for %s: handed to the writer", names, shorten(writes[0][1].identity))


def wrote(state: Persistence, identity: str, ns: str, text: str, serial: int, outcome: Outcome) -> None:
    """What became of a document this session handed to the store (see :data:`~st_page_state.stores.behind.Outcome`).

    Only the answer to the session's latest hand-over of a class ends its
    wait; an older one that was replaced by the session's own newer write
    changes nothing.
    """
    if debugging():
        log.debug("store write %s for %s: %s", ns, shorten(identity), outcome)
    if identity != state.identity:
        return
    pending = state.pending.get(ns)
    latest = pending is not None and pending[2] == serial
    if outcome == "landed":
        state.saved[ns] = text
    elif outcome == "replaced" and latest:
        state.saved.pop(ns, None)  # another session of this identity wrote it: the store holds theirs
    if latest:
        del state.pending[ns]


def settle(rt: SessionRuntime) -> None:
    """At a run's end: wait a moment for the run's writes, and take what the writer reported."""
    state = rt.persistence
    guard = active_guard() if state.pending else None
    if guard is not None and state.identity is not None:
        keys = [(state.identity, ns) for ns in state.pending]
        writer = writer_for(guard)
        if guard.deadline is None:
            writer.write_now(keys)  # in-process: no thread to wait for
        else:
            writer.flush(keys)
        writer.wait_written(keys, SETTLE_SECONDS)
    take_written(state)


def take_written(state: Persistence) -> None:
    """Take the writer's reports of writes (``Persistence.news``); other news stay, in order."""
    news = state.news
    kept = []
    while news:
        item = news.popleft()
        if item[0] == "wrote":
            wrote(state, *item[1:])
        else:
            kept.append(item)
    news.extendleft(reversed(kept))


def waiting(state: Persistence, now: float) -> tuple[str, float] | None:
    """What the session waits for from the store, if anything, and for how long (seconds)."""
    if state.unread:
        return "restore", now - min(unread.since for unread in state.unread.values())
    if state.pending:
        return "save", now - min(since for _, since, _ in state.pending.values())
    return None


def poll_ms(state: Persistence, now: float) -> int | None:
    """When the bridge should rerun the page to look at the store again (None: nothing to wait for).

    At :data:`NOTICE_AFTER` first, so the visitor is told on time; then
    less and less often, every :data:`POLL_MAX_MS` at most.
    """
    wait = waiting(state, now)
    if wait is None:
        return None
    age = wait[1]
    if age < NOTICE_AFTER:
        return max(100, int((NOTICE_AFTER - age) * 1000) + 50)
    return int(min(POLL_MAX_MS, max(1000, age * 500)))


def show_notice(rt: SessionRuntime) -> None:
    """Tell the visitor about a wait past :data:`NOTICE_AFTER` (one toast, sent again while it lasts), or its end."""
    state = rt.persistence
    wait = waiting(state, time.monotonic())
    kind = wait[0] if wait is not None and wait[1] >= NOTICE_AFTER else None
    if kind is not None:
        notify.waiting(WAITING[kind])
    elif state.notice is not None and wait is None:
        notify.note(DONE[state.notice])
    if kind is not None or wait is None:
        state.notice = kind


_unserializable_warned: set[str] = set()


def _warn_unserializable(schema: StateSchema, fields: list[str]) -> None:
    """Once per class and process: those fields stay in the session, unsaved; the others are saved."""
    if schema.namespace not in _unserializable_warned:
        _unserializable_warned.add(schema.namespace)
        log.warning("%s.%s not saved: JSON cannot carry the value", schema.name, ", ".join(fields))
