"""Persistence glue: a session's state classes <-> the configured store.

The session runtime (``session.py``) calls in at three points:

* :func:`on_run_start` and :func:`on_tab_id` find out *whose* state the
  session holds (the identity: the browser tab, or what the ``identity``
  callable returns) and, when it changes, load that identity's state into
  every class the session has used;
* :func:`restore` fills a class used for the first time from the store,
  before the URL is adopted (so URL params win over stored values);
* :func:`save` writes, at the end of a run, the classes whose persisted
  values differ from what the store is known to hold;
* the first run after a reload does not write defaults into the URL before
  the tab identity is known: ``bridge.holds_first_write`` holds every
  session's first URL write until the bridge's handshake.

Rules for loading (see README, "Persistence"):

* the first identity a session gets (the tab handshake after a reload):
  params present (and valid) in the URL win, everything else comes from
  the store, and restored params are put back in the URL;
* a later identity change (log in, log out): each field takes that
  identity's stored value or its default; nothing of the previous identity
  stays visible.

Values go through each field's pydantic adapter (JSON mode) both ways; a
stored value that no longer validates is dropped with a warning.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from . import _streamlit as stx
from . import notify
from .errors import StateConfigError, StateValidationError
from .query import Query
from .schema import CompiledField, StateSchema
from .settings import SETTINGS
from .stores.base import Document, Store, StoreError, encode_document
from .stores.guard import StoreGuard, guard_for
from .stores.memory import MemoryStore
from .url import decode_param

if TYPE_CHECKING:
    from .session import SessionRuntime, StateClass

LOGGER = logging.getLogger("st_page_state")

FORMAT_VERSION = 1
"""Version of the stored document layout ``{"version": 1, "values": {field: json}}``."""

TAB_PREFIX = "tab:"
USER_PREFIX = "user:"


@dataclass
class SessionPersistence:
    """What one session knows about its stored state (lives on the session runtime)."""

    identity: str | None = None
    """Whose state the session holds, as used for store keys; None: nobody's yet."""
    saved: dict[str, str] = field(default_factory=dict)
    """Per namespace, the JSON text the store is known to hold (nothing to write while equal)."""


# ------------------------------------------------------------------ the store
_DEFAULT_STORE: MemoryStore | None = None
_SHARED: dict[Hashable, Store] = {}
_LOCK = threading.Lock()


def active_store() -> Store | None:
    """The store from ``configure(store=...)``; the process's memory store by default; None when off."""
    global _DEFAULT_STORE
    setting = SETTINGS.store
    if setting is False:
        return None
    if setting is None:
        with _LOCK:
            if _DEFAULT_STORE is None:
                _DEFAULT_STORE = MemoryStore()
            return _DEFAULT_STORE
    if not isinstance(setting, Store):
        raise StateConfigError(
            f"configure(store=...) takes a st_page_state.stores.Store (MemoryStore, SQLiteStore, "
            f"RedisStore or a subclass), None for the default or False for none; not {setting!r}"
        )
    key = setting.shared_key()
    if key is None:
        return setting
    with _LOCK:
        return _SHARED.setdefault(key, setting)


def _guard() -> StoreGuard | None:
    store = active_store()
    return None if store is None else guard_for(store)


# --------------------------------------------------------------- the identity
_identity_error_logged = False


def resolve_identity(rt: SessionRuntime) -> str | None:
    """The store identity of this session now, or None while it is unknown.

    A callable identity that returns None (nobody logged in) falls back to
    the tab, so anonymous visitors still keep their state across reloads.
    """
    setting = SETTINGS.identity
    if callable(setting):
        value = _call_identity(setting)
        if value is not None and str(value) != "":
            return f"{USER_PREFIX}{value}"
    elif setting not in (None, "tab"):
        raise StateConfigError(
            f"configure(identity=...) takes 'tab' or a callable returning the identity (e.g. the "
            f"logged-in user's email), not {setting!r}"
        )
    return f"{TAB_PREFIX}{rt.tab_id}" if rt.tab_id else None


def _call_identity(setting: Any) -> Any:
    global _identity_error_logged
    try:
        return setting()
    except Exception:
        if not _identity_error_logged:
            _identity_error_logged = True
            LOGGER.exception("st-page-state: the identity callable raised; using the tab identity")
        return None


def _persisted(schema: StateSchema) -> dict[str, CompiledField]:
    return {name: f for name, f in schema.fields.items() if f.persist}


# ------------------------------------------------------------------ documents
def make_document(schema: StateSchema, values: dict[str, Any]) -> Document:
    """The stored form of a class's persisted values (JSON through each field's adapter)."""
    # warnings=False: an Enum or model class defined in the main script is
    # redefined on every rerun, so a value from an earlier run is not an
    # instance of the adapter's class. It still serializes by value, and the
    # load side validates everything.
    return {
        "version": FORMAT_VERSION,
        "values": {
            name: f.adapter.dump_python(values[name], mode="json", warnings=False)
            for name, f in _persisted(schema).items()
        },
    }


@dataclass
class Fetched:
    """A class's stored values for one identity, validated field by field."""

    values: dict[str, Any]
    failed: bool = False
    """The store could not be read: the session carries on with what it has."""
    clean: bool = True
    """False when the stored document held fields that were dropped (it gets rewritten)."""


def _fetch(guard: StoreGuard, identity: str, schema: StateSchema) -> Fetched:
    ok, document = guard.get(identity, schema.namespace)
    if not ok:
        return Fetched({}, failed=True)
    if document is None:
        return Fetched({})
    stored = document.get("values")
    if document.get("version") != FORMAT_VERSION or not isinstance(stored, dict):
        LOGGER.warning("st-page-state: ignored a stored %s document in an unknown format", schema.name)
        return Fetched({}, clean=False)
    persisted = _persisted(schema)
    result = Fetched({}, clean=set(stored) <= set(persisted))
    for name, raw in stored.items():
        f = persisted.get(name)
        if f is None:
            continue  # a field that was removed or stopped persisting
        try:
            result.values[name] = f.validate(raw)
        except StateValidationError as exc:
            result.clean = False
            notify.warn(
                f"The saved value of {schema.name}.{name} no longer fits the field ({exc.detail}); "
                "it was dropped and the field starts from its default."
            )
    return result


def _baseline(rt: SessionRuntime, schema: StateSchema, fetched: Fetched, values: dict[str, Any]) -> None:
    """Remember what the store holds for a class, so unchanged state is never rewritten."""
    ns = schema.namespace
    state = rt.persistence
    if not fetched.clean:
        state.saved.pop(ns, None)
        return
    if not fetched.failed:
        values = {name: f.default() for name, f in schema.fields.items()} | fetched.values
    # After a failed read the session's current values count as saved: a
    # store that comes back must not get this session's defaults written
    # over the state it holds, only the user's later changes.
    try:
        state.saved[ns] = encode_document(make_document(schema, values))
    except (StoreError, ValueError, TypeError):
        state.saved.pop(ns, None)


def _mark_restored(rt: SessionRuntime, f: CompiledField, ns: str) -> None:
    """Put a restored field's param back in the URL at the end of the run."""
    if f.param is not None:
        rt.run.corrections.setdefault(ns, set()).add(f.param)


# ---------------------------------------------------------------- entry points
def restore(rt: SessionRuntime, schema: StateSchema) -> None:
    """Fill a class the session uses for the first time from the store (the URL is adopted after)."""
    identity = rt.persistence.identity
    if identity is None or not _persisted(schema):
        return
    guard = _guard()
    if guard is None:
        return
    values = rt.values[schema.namespace]
    fetched = _fetch(guard, identity, schema)
    for name, value in fetched.values.items():
        values[name] = value
        f = schema.fields[name]
        if f.param is not None and f.param not in rt.run.url:
            _mark_restored(rt, f, schema.namespace)
    _baseline(rt, schema, fetched, values)


def on_run_start(rt: SessionRuntime) -> None:
    """Load another identity's state when the identity changed since the last run."""
    _follow_identity(rt)


def on_tab_id(rt: SessionRuntime) -> None:
    """The bridge reported the tab: inside a run, load the tab's state right away."""
    if stx.current_context() is not None:
        _follow_identity(rt)


def _follow_identity(rt: SessionRuntime) -> None:
    state = rt.persistence
    if SETTINGS.store is False:
        return
    identity = resolve_identity(rt)
    if identity == state.identity:
        return
    # The session's first identity (the tab handshake after a reload): what
    # the session holds came from this page load's URL and defaults, so it
    # is completed from the store, URL params winning. A later change is
    # another person's state: nothing of the previous identity may stay.
    first = state.identity is None
    state.identity = identity
    state.saved.clear()
    guard = _guard() if identity is not None else None
    for ns in list(rt.values):
        cls = rt.class_for(ns)
        if cls is not None:
            _load_identity(rt, cls, guard, identity, keep_url=first)


def _load_identity(
    rt: SessionRuntime, cls: StateClass, guard: StoreGuard | None, identity: str | None, *, keep_url: bool
) -> None:
    schema = cls.__state_schema__
    ns = schema.namespace
    if keep_url and not _persisted(schema):
        return
    fetched = _fetch(guard, identity, schema) if guard is not None and identity is not None else Fetched({})
    protected = rt.run.changed.get(ns, set())
    url = rt.run.url
    for name, f in schema.fields.items():
        if name in protected:
            continue
        if keep_url:
            if name not in fetched.values or _url_holds_valid(f, url):
                continue
            new = fetched.values[name]
        else:
            new = fetched.values.get(name, f.default())
        if name in fetched.values:
            _mark_restored(rt, f, ns)
        rt._assign(cls, schema, name, new, user_change=False)
    if identity is not None and guard is not None and _persisted(schema):
        _baseline(rt, schema, fetched, rt.values[ns])


def _url_holds_valid(f: CompiledField, url: Query) -> bool:
    """Whether the URL decides this field: its param is there and decodes (an invalid one was rejected)."""
    if f.param is None:
        return False
    texts = url.get(f.param)
    if texts is None:
        return False
    try:
        decode_param(f, texts)
    except Exception:
        return False
    return True


def save(rt: SessionRuntime) -> None:
    """Write the classes used in this run whose persisted values changed since the last save."""
    state = rt.persistence
    identity = state.identity
    if identity is None:
        return
    guard = _guard()
    if guard is None:
        return
    for ns in rt.run.touched:
        cls = rt.class_for(ns)
        if cls is None:
            continue
        schema = cls.__state_schema__
        if not _persisted(schema):
            continue
        try:
            document = make_document(schema, rt.values[ns])
            text = encode_document(document)
        except Exception as exc:  # e.g. a float field holding NaN, which JSON cannot carry
            _warn_unserializable(schema, exc)
            continue
        if state.saved.get(ns) == text:
            continue
        if guard.set(identity, ns, document, schema.config.ttl):
            state.saved[ns] = text


_unserializable_warned: set[str] = set()


def _warn_unserializable(schema: StateSchema, exc: Exception) -> None:
    """Once per class and process: the state stays in the session, unsaved, on every run."""
    if schema.namespace not in _unserializable_warned:
        _unserializable_warned.add(schema.namespace)
        LOGGER.warning("st-page-state: %s is not saved: its values are not JSON (%s)", schema.name, exc)
