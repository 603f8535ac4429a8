"""Per-session runtime: field values, the run lifecycle and the URL write.

Everything per session lives in one :class:`SessionRuntime` stored in
``st.session_state`` (Streamlit serves many sessions from threads of one
process, so nothing per session may live on a class or a module).

Lifecycle of a run:

1. the first state access of a run (in a widget callback or the script
   body) starts the run: the engine reads the URL Streamlit received;
2. the first access to each state class in the run *syncs* it: adopts
   external URL edits, rejects invalid ones, runs ``on_init`` once;
3. writes record which fields changed;
4. at the end of the run the engine computes the query string once and
   writes it at most once, then mounts the URL bridge with what it wrote.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from pydantic_core import to_jsonable_python

from . import _streamlit as stx
from . import notify, persistence, registry
from .errors import NoSessionError
from .query import Query
from .schema import StateSchema, same_value
from .url import TouchedState, adopt, plan_query

RUNTIME_KEY = "st_page_state_runtime"
_TRANSIENT = ("_marker", "_lock", "_classes", "listeners", "run_start_hooks", "change_guards", "run_end_hooks")
"""Attributes that hold code or locks, not data: never pickled."""


class StateClass(Protocol):
    """What the runtime needs from a PageState class."""

    __state_schema__: StateSchema

    @classmethod
    def on_init(cls) -> None: ...

    @classmethod
    def on_change(cls, field: str, old: Any, new: Any) -> None: ...


@dataclass
class RunRecord:
    """What happened in the current run; cleared when the run's URL is written."""

    url: Query = field(default_factory=Query)
    received: Query = field(default_factory=Query)
    """The query string Streamlit gave the run (``url`` becomes what the engine wrote)."""
    history_navigation: bool = False
    synced: set[str] = field(default_factory=set)
    touched: list[str] = field(default_factory=list)
    changed: dict[str, set[str]] = field(default_factory=dict)
    corrections: dict[str, set[str]] = field(default_factory=dict)
    claims: set[str] = field(default_factory=set)
    page_changed: bool = False
    flushed: bool = False


@dataclass
class BridgeReport:
    query: str
    revision: int
    cause: str


class SessionRuntime:
    """All st-page-state data of one browser session."""

    def __init__(self) -> None:
        self.values: dict[str, dict[str, Any]] = {}
        self.initialized: set[str] = set()
        self.snapshot: Query | None = None
        self.revision = 0
        self.page: str | None = None
        self.last_touched: set[str] = set()
        self.tab_id: str | None = None
        self.persistence = persistence.SessionPersistence()
        self.run = RunRecord()
        self.writes = 0
        self.immediate_writes = False
        self._init_transient()

    def _init_transient(self) -> None:
        """The attributes that hold code or locks (``_TRANSIENT``): fresh after creation and unpickling."""
        self._marker: object | None = None
        self._lock = threading.RLock()
        self._classes: dict[str, StateClass] = {}
        self.listeners: list[Callable[[SessionRuntime, str, str, Any], None]] = []
        # Hooks for bound widgets (binding.py): commit changed widgets when a
        # run starts, refuse a change a drawn widget cannot show, and adopt a
        # value a widget corrected, before the URL is written.
        self.run_start_hooks: list[Callable[[SessionRuntime], None]] = []
        self.change_guards: list[Callable[[SessionRuntime, str, str, Any], None]] = []
        self.run_end_hooks: list[Callable[[SessionRuntime], None]] = []

    # pickling (Streamlit's optional session-state serialization check)
    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        for transient in _TRANSIENT:
            state.pop(transient, None)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._init_transient()

    # ----------------------------------------------------------------- runs
    def begin_run(self, ctx: Any) -> None:
        if self._marker is not None and not self.run.flushed and self.run.touched:
            # The previous run ended early (st.stop, an exception): its
            # changes were never written, so carry them into this run.
            carried = self.run
        else:
            carried = None
        self._marker = stx.run_marker(ctx)
        self.immediate_writes = not stx.install_run_end_hook(ctx, _flush_current)
        page = stx.page_id(ctx)
        received = stx.read_query(ctx)
        navigation = stx.is_history_navigation(ctx)
        url = received
        if self.run.flushed and self.snapshot is not None and not navigation and received == self.run.received:
            # st.rerun() hands the next run the query string from before the
            # write that ended the previous run: not an edit, the write stands.
            url = self.snapshot.copy()
        self.run = RunRecord(
            url=url,
            received=received,
            history_navigation=navigation,
            page_changed=self.page is not None and page != self.page,
        )
        if carried is not None:
            self.run.changed = carried.changed
            self.run.claims = carried.claims
            self.run.corrections = carried.corrections
            self.run.touched = list(carried.touched)
        persistence.on_run_start(self)
        for hook in list(self.run_start_hooks):
            hook(self)

    def apply_report(self, report: BridgeReport) -> bool:
        """Take the browser's real query string (from the bridge) as this run's URL.

        Reports older than the engine's current revision describe a URL the
        engine has already replaced: ignoring them is what prevents a rerun
        race between the browser and the server.
        """
        if report.revision < self.revision:
            return False
        url = Query.parse(report.query)
        if url == self.run.url:
            return False
        self.run.url = url
        self.run.synced.clear()
        return True

    # ------------------------------------------------------------- classes
    def touch(self, cls: StateClass) -> dict[str, Any]:
        """The values of ``cls`` for this session, synced with the URL once per run."""
        schema = cls.__state_schema__
        ns = schema.namespace
        if ns in self.run.synced:
            self._classes[ns] = cls
            return self.values[ns]
        with self._lock:
            return self._sync(cls, schema)

    def _sync(self, cls: StateClass, schema: StateSchema) -> dict[str, Any]:
        ns = schema.namespace
        run = self.run
        first = ns not in self.values
        if first:
            self.values[ns] = {name: f.default() for name, f in schema.fields.items()}
            persistence.restore(self, schema)
        values = self.values[ns]
        for name, f in schema.fields.items():  # the class changed (hot reload): add new fields
            if name not in values:
                values[name] = f.default()
        previous = self._classes.get(ns)
        if previous is not None and previous is not cls:
            _revalidate_after_redefinition(previous.__state_schema__, schema, values)
        adoption = adopt(
            schema,
            values,
            run.url,
            self.snapshot,
            first_load=first,
            history_navigation=run.history_navigation,
            protected=run.changed.get(ns, ()),
        )
        run.synced.add(ns)
        if ns not in run.touched:
            run.touched.append(ns)
        self._classes[ns] = cls
        for rejection in adoption.rejected:
            notify.warn(rejection.message())
            assert rejection.field.param is not None
            run.corrections.setdefault(ns, set()).add(rejection.field.param)
        for name, value in adoption.values.items():
            self._assign(cls, schema, name, value, user_change=False)
        if run.page_changed and ns not in self.last_touched and schema.config.url_selfish:
            run.claims.add(ns)
        if ns not in self.initialized:
            self.initialized.add(ns)
            cls.on_init()
        return values

    def set_value(self, cls: StateClass, name: str, value: Any) -> None:
        """A change from code or a widget: validated, recorded, written at the end of the run."""
        schema = cls.__state_schema__
        f = schema.fields[name]
        new = f.validate(value)
        values = self.touch(cls)
        if not same_value(values[name], new):
            for guard in list(self.change_guards):
                guard(self, schema.namespace, name, new)
        self._assign(cls, schema, name, new, user_change=True)

    def assign_correction(self, cls: StateClass, name: str, value: Any) -> None:
        """Set an already validated value that no user chose (a widget's seed, an option fallback).

        The URL follows, but it is not a user change: no selfish claim, no
        history entry, no change guard.
        """
        self.touch(cls)
        self._assign(cls, cls.__state_schema__, name, value, user_change=False)

    def _assign(self, cls: StateClass, schema: StateSchema, name: str, new: Any, *, user_change: bool) -> None:
        ns = schema.namespace
        values = self.values[ns]
        old = values[name]
        if same_value(old, new):
            return
        values[name] = new
        if user_change:
            self.run.changed.setdefault(ns, set()).add(name)
            if schema.config.url_selfish:
                self.run.claims.add(ns)
        for listener in list(self.listeners):
            listener(self, ns, name, new)
        cls.on_change(name, old, new)
        if self.immediate_writes:
            flush(self, force=True)

    def set_tab_id(self, tab_id: str) -> None:
        """Record the browser tab's identity, reported by the bridge, and load the tab's stored state."""
        self.tab_id = tab_id
        persistence.on_tab_id(self)

    def claim(self, cls: StateClass) -> None:
        self.touch(cls)
        self.run.claims.add(cls.__state_schema__.namespace)

    def class_for(self, ns: str) -> StateClass | None:
        return self._classes.get(ns) or registry.lookup(ns)

    # ---------------------------------------------------------------- flush
    def plan(self) -> Query:
        """The query string this run ends with."""
        run = self.run
        touched = []
        for ns in run.touched:
            cls = self.class_for(ns)
            if cls is None:
                continue
            touched.append(
                TouchedState(
                    schema=cls.__state_schema__,
                    values=self.values[ns],
                    changed=run.changed.get(ns, set()),
                    corrections=run.corrections.get(ns, set()),
                )
            )
        keep_only: set[str] | None = None
        if run.claims:
            keep_only = set()
            for ns in run.claims:
                keep_only |= registry.params_of(ns)
                cls = self.class_for(ns)
                if cls is None:
                    continue
                for ref in cls.__state_schema__.config.share_url_with:
                    for shared_ns in registry.resolve(ref):
                        keep_only |= registry.params_of(shared_ns)
        ctx = stx.current_context()
        if keep_only is not None and ctx is not None and stx.is_fragment_run(ctx):
            # A fragment run only re-executes the fragment: the states the last
            # full run used are still on the page and keep their params.
            for ns in self.last_touched:
                keep_only |= registry.params_of(ns)
        bound = stx.bound_params(ctx) if ctx is not None else set()
        return plan_query(run.url, touched, keep_only=keep_only, bound=bound)

    def push_wanted(self) -> bool:
        """Whether this run's write is a user change that should be its own history entry."""
        if self.run.history_navigation:
            return False
        for ns, names in self.run.changed.items():
            cls = self.class_for(ns)
            if cls is None:
                continue
            fields = cls.__state_schema__.fields
            if any(fields[n].param is not None and fields[n].history == "push" for n in names):
                return True
        return False

    def owned_params(self) -> list[str]:
        owned: set[str] = set()
        for ns in self.run.touched:
            owned |= registry.params_of(ns)
        return sorted(owned)


def _revalidate_after_redefinition(old: StateSchema, new: StateSchema, values: dict[str, Any]) -> None:
    """Carry values over to a redefined class whose field types are new objects.

    The main script defines its classes again on every run; an Enum (or a
    model) declared there is a new class each time, so a stored member of
    the old one would no longer equal the new members. Values are moved
    through their JSON form into the new type. Fields whose annotation is
    unchanged (``int``, ``list[str]``, imported types) are skipped, which
    keeps a rerun cheap.
    """
    for name, f in new.fields.items():
        before = old.fields.get(name)
        if before is None or before.annotation == f.annotation or name not in values:
            continue
        try:
            values[name] = f.adapter.validate_python(to_jsonable_python(values[name]))
        except Exception:
            values[name] = f.default()


def _flush_current() -> None:
    ctx = stx.current_context()
    if ctx is None:
        return
    try:
        rt = ctx.session_state[RUNTIME_KEY]
    except (KeyError, AttributeError):
        return
    if isinstance(rt, SessionRuntime) and rt._marker is stx.run_marker(ctx):
        for hook in list(rt.run_end_hooks):
            hook(rt)
        flush(rt)


def flush(rt: SessionRuntime, *, force: bool = False) -> None:
    """Write this run's URL (at most once) and hand the result to the bridge."""
    ctx = stx.current_context()
    run = rt.run
    if ctx is None or (run.flushed and not force) or not run.touched:
        return
    from . import bridge  # late: the bridge is optional and loads assets

    with rt._lock:
        final = rt.plan()
        previous = run.url
        push_from: str | None = None
        if bridge.holds_first_write(rt):
            final = previous  # the bridge's history patch and the tab's stored state arrive next run
        elif final != stx.read_query(ctx) or final != previous:
            stx.write_query(ctx, final)
            rt.writes += 1
            rt.revision += 1
            if rt.push_wanted():
                push_from = previous.encode()
        rt.snapshot = final
        run.url = final.copy()
        persistence.save(rt)
        if force:
            run.changed.clear()
            run.claims.clear()
            run.corrections.clear()
            return
        run.flushed = True
        if not stx.is_fragment_run(ctx):
            rt.last_touched = set(run.touched)
            rt.page = stx.page_id(ctx)
    try:
        bridge.mount_after_run(rt, expected=final.encode(), push_from=push_from)
    except Exception:
        # The URL is already written; a bridge that cannot mount only costs
        # browser-side edit detection, never the app.
        stx.LOGGER.warning("st-page-state: the URL bridge could not be mounted", exc_info=True)


def runtime() -> SessionRuntime:
    """This session's runtime; raises :class:`NoSessionError` outside a script run."""
    ctx = stx.current_context()
    if ctx is None:
        raise NoSessionError(
            "PageState values live in a Streamlit session: read and write them while a "
            "script runs (`streamlit run app.py`, or AppTest in tests)."
        )
    state = ctx.session_state
    try:
        rt = state[RUNTIME_KEY]
    except KeyError:
        rt = None
    if not isinstance(rt, SessionRuntime):
        rt = SessionRuntime()
        state[RUNTIME_KEY] = rt
    if rt._marker is not stx.run_marker(ctx):
        rt.begin_run(ctx)
    return rt
