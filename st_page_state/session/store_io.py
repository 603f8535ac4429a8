"""Store reads and writes of a session: what a class takes from the store, and saving what changed.

Every accepted change is saved when it is made (after a run's widget
commits, after each class's sync, after each write from code), not only at
the end of a run: when the browser goes away mid-run, Streamlit stops the
run without its end, and a reload must still find the change. What a
stored document means for a class is decided in :mod:`..persistence`;
this module reads, applies and writes.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from .. import notify, persistence
from ..active_store import active_guard
from ..identity import TAB_PREFIX
from ..log import debugging, log, shorten
from ..persistence import Fetched, Restore
from ..runtime import SessionRuntime
from ..schema import StateClass, StateSchema
from ..stores.guard import StoreGuard
from .changes import assign, class_for, restore_value


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


def restore_on_first_use(rt: SessionRuntime, cls: StateClass, schema: StateSchema) -> None:
    identity = rt.persistence.identity
    if identity is None or not persistence.persisted_fields(schema):
        return
    guard = active_guard()
    if guard is None:
        return
    if rt.tab_source == "minted" and identity == f"{TAB_PREFIX}{rt.tab_id}":
        fetched = Fetched()  # a tab id made in this session: nothing can be stored under it yet
    else:
        fetched = fetch(guard, identity, schema)
    restore = persistence.on_first_use(schema, fetched, rt.values[schema.namespace], rt.run.url)
    apply_restore(rt, cls, restore, as_changes=False, record_baseline=True)


def fetch(guard: StoreGuard | None, identity: str | None, schema: StateSchema) -> Fetched:
    """A class's stored document for ``identity``, validated; warnings about dropped values shown."""
    if guard is None or identity is None:
        return Fetched()
    read = guard.read(identity, schema.namespace)
    if debugging():
        log.debug("store read %s for %s: %s", schema.name, shorten(identity), read.status)
    if read.status == "failed":
        return Fetched(failed=True)
    if read.status == "bad":
        return Fetched(clean=False)  # the guard logged it; the next save replaces the bad document
    fetched = persistence.read_document(schema, read.document)
    for warning in fetched.warnings:
        notify.warn(warning)
    return fetched


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


def save_unsaved(rt: SessionRuntime) -> None:
    """Save every class changed since its last save whose stored form differs from what the store holds."""
    unsaved, rt.unsaved = rt.unsaved, set()
    state = rt.persistence
    identity = state.identity
    guard = active_guard() if identity is not None and unsaved else None
    if identity is None or guard is None:
        return
    for ns in sorted(unsaved):
        cls = class_for(rt, ns)
        if cls is None or not persistence.persisted_fields(cls.__state_schema__):
            continue
        schema = cls.__state_schema__
        document, text, skipped = persistence.document_text(schema, rt.values[ns])
        if skipped:
            _warn_unserializable(schema, skipped)
        if state.saved.get(ns) == text:
            continue
        written = guard.write(identity, ns, document, schema.config.ttl)
        if debugging():
            log.debug("store write %s for %s: %s", schema.name, shorten(identity), written.status)
        if written.ok:
            state.saved[ns] = text
        elif written.status == "failed":
            rt.unsaved.add(ns)  # the store is down: the next save point tries again


_unserializable_warned: set[str] = set()


def _warn_unserializable(schema: StateSchema, fields: list[str]) -> None:
    """Once per class and process: those fields stay in the session, unsaved; the others are saved."""
    if schema.namespace not in _unserializable_warned:
        _unserializable_warned.add(schema.namespace)
        log.warning("%s.%s not saved: JSON cannot carry the value", schema.name, ", ".join(fields))
