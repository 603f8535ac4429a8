"""Store reads of a session: what a class takes from the store, now or when a late read arrives.

A class used for the first time reads its stored document once (within
the store's deadline) and takes it (:func:`restore_on_first_use`). A read
that failed or timed out is not "nothing stored": the class is *unread*
(``Persistence.unread``), never saved while so (its defaults would replace
the stored work), and read again in the background
(:meth:`~st_page_state.stores.behind.WriteBehind.retry_read`). The answer
arrives in the session's mailbox (``Persistence.news``) and is taken at the
start of the next run (:func:`take_news`): what the class takes then is
decided in :func:`..persistence.on_late_read`. Saving lives in
:mod:`.saving`.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from .. import notify, persistence
from ..active_store import active_guard
from ..identity import TAB_PREFIX
from ..log import debugging, log, shorten, shown
from ..persistence import Fetched, Restore
from ..query import Query
from ..runtime import Persistence, SessionRuntime, Unread
from ..schema import StateClass, StateSchema, same_value
from ..stores.base import DocumentWrite
from ..stores.behind import writer_for
from ..stores.guard import StoreGuard, StoreRead
from .changes import assign, class_for, restore_value
from .saving import save_unsaved, submit, take_written


@contextmanager
def batch(rt: SessionRuntime) -> Iterator[None]:
    """Several writes that are saved once, when the outermost batch ends (widget commits, ``load()``)."""
    rt.batch += 1
    try:
        yield
    finally:
        rt.batch -= 1
        if not rt.batch:
            save_unsaved(rt)


def restore_on_first_use(rt: SessionRuntime, cls: StateClass, schema: StateSchema) -> frozenset[str]:
    """Fill a class from the store on its first use; the fields whose stored value beats the URL's param."""
    state = rt.persistence
    identity = state.identity
    if identity is None or not persistence.persisted_fields(schema):
        return frozenset()
    guard = active_guard()
    if guard is None:
        return frozenset()
    pending = writer_for(guard).pending(identity, schema.namespace)
    if rt.tab_source == "minted" and identity == f"{TAB_PREFIX}{rt.tab_id}":
        fetched = Fetched()  # a tab id made in this session: nothing can be stored under it yet
    else:
        fetched = fetch(guard, identity, schema)
    restore = persistence.on_first_use(schema, fetched, rt.values[schema.namespace], rt.run.url, own_url(rt))
    if debugging() and fetched.values:
        _log_precedence(rt, schema, fetched, restore.over_url)
    apply_restore(rt, cls, restore, as_changes=False, record_baseline=True)
    if pending is not None and restore.baseline is not None:
        take_over(state, guard, pending, restore.baseline)
    if fetched.failed:
        read_later(rt, guard, identity, schema.namespace)
    if fetched.confirmed:
        state.confirmed = True
    if restore.over_url:
        state.over_url[schema.namespace] = restore.over_url
    return restore.over_url


def _log_precedence(rt: SessionRuntime, schema: StateSchema, fetched: Fetched, over_url: frozenset[str]) -> None:
    """Debug log: the URL params that differ from a stored value, and which one won and why."""
    for name, f in schema.fields.items():
        param = f.param
        texts = rt.run.url.get(param) if param is not None else None
        if param is None or texts is None or name not in fetched.values:
            continue
        winner = "the stored value" if name in over_url else "the URL"
        log.debug(
            "%s.%s: URL %s, stored %s: %s wins (the page showed %s as it left; the address bar held %s when saved)",
            schema.name, name, shown(texts), shown(fetched.values[name]), winner,
            shown([o.get(param) for o in own_url(rt)]), shown((fetched.seen or {}).get(param)),
        )  # fmt: skip


def after_first_use(rt: SessionRuntime, ns: str) -> None:
    """The class's first sync is done: if its read failed, remember what it holds now (see :class:`Unread`)."""
    unread = rt.persistence.unread.get(ns)
    if unread is not None:
        unread.values = dict(rt.values[ns])
        unread.url = rt.run.url


def take_over(state: Persistence, guard: StoreGuard, pending: DocumentWrite, text: str) -> None:
    """The class came from a write of an earlier session (this tab before a reload) that has not landed yet.

    This session makes it its own: handed to the writer again (it replaces
    the queued one), its landing is reported here, and until then the
    visitor is told their work is not saved yet, as the earlier page would
    have been.
    """
    submit(state, guard, [(text, pending, pending.namespace)])


def own_url(rt: SessionRuntime) -> list[Query]:
    """The tab's own URLs at this page load (``Persistence.own_urls``)."""
    texts = rt.persistence.own_urls or [rt.loaded_url or ""]
    return [Query.parse(text) for text in texts]


def fetch(guard: StoreGuard | None, identity: str | None, schema: StateSchema) -> Fetched:
    """A class's stored document for ``identity``, validated; warnings about dropped values shown.

    A document this process is still writing is what the store will hold:
    it is taken without asking the store (a reload that reaches this
    process finds a change the store has not got yet).
    """
    if guard is None or identity is None:
        return Fetched()
    pending = writer_for(guard).pending(identity, schema.namespace)
    read = StoreRead("found", pending.document) if pending is not None else guard.read(identity, schema.namespace)
    if debugging():
        log.debug("store read %s for %s: %s", schema.name, shorten(identity), read.status)
    return fetched_from(schema, read)


def fetched_from(schema: StateSchema, read: StoreRead) -> Fetched:
    if read.status == "failed":
        return Fetched(failed=True)
    if read.status == "bad":
        return Fetched(clean=False)  # the guard logged it; the next save replaces the bad document
    fetched = persistence.read_document(schema, read.document)
    for warning in fetched.warnings:
        notify.warn(warning)
    return fetched


def read_later(rt: SessionRuntime, guard: StoreGuard, identity: str, ns: str) -> None:
    """The read of ``ns`` failed: keep the class unsaved and read it again in the background."""
    state = rt.persistence
    state.unread[ns] = Unread(url=rt.run.url, values=dict(rt.values[ns]), since=time.monotonic())
    news = state.news
    writer_for(guard).retry_read(identity, ns, lambda read: news.append(("read", identity, ns, read)))
    log.debug("the stored %s could not be read: it is read again in the background", ns)


def apply_restore(
    rt: SessionRuntime, cls: StateClass, restore: Restore, *, as_changes: bool, record_baseline: bool
) -> None:
    """Apply what a class takes from the store: values, params to put back, what the store holds."""
    schema = cls.__state_schema__
    ns = schema.namespace
    for name, value in restore.values.items():
        if as_changes:
            assign(rt, cls, name, value, user_change=False, origin="default" if name in restore.defaults else "store")
        else:
            restore_value(rt, schema, name, value)
    if restore.repairs:
        rt.run.repairs.setdefault(ns, set()).update(restore.repairs)
    if not record_baseline:
        return
    if restore.baseline is None:
        rt.persistence.saved.pop(ns, None)
        rt.unsaved.add(ns)  # what the store holds is unknown or dirty: write the class as it is now
    else:
        rt.persistence.saved[ns] = restore.baseline


def take_news(rt: SessionRuntime) -> None:
    """Take what the store's writer reported since the last look: writes that landed, reads that arrived.

    Called as a run begins, before anything is drawn: a value that arrives
    is shown by this run's widgets.
    """
    state = rt.persistence
    take_written(state)
    while state.news:
        _, identity, ns, read = state.news.popleft()
        arrived(rt, identity, ns, read)


def arrived(rt: SessionRuntime, identity: str, ns: str, read: StoreRead) -> None:
    """A late read of an unread class arrived: the class takes what it would have taken in time."""
    state = rt.persistence
    cls = class_for(rt, ns)
    if identity != state.identity or ns not in state.unread or cls is None or ns not in rt.values:
        return
    unread = state.unread.pop(ns)
    schema = cls.__state_schema__
    fetched = fetched_from(schema, read)
    values = rt.values[ns]
    untouched = {name for name, value in unread.values.items() if name in values and same_value(values[name], value)}
    restore = persistence.on_late_read(schema, fetched, values, unread.url, own_url(rt), untouched=untouched)
    if debugging():
        log.debug("the stored %s arrived late: %s restored", schema.name, ", ".join(restore.values) or "nothing")
    apply_restore(rt, cls, restore, as_changes=True, record_baseline=True)
    rt.unsaved.add(ns)  # what changed since the page loaded is merged in: saved if it differs
    if fetched.confirmed:
        state.confirmed = True
    if restore.over_url:
        state.over_url[ns] = restore.over_url
