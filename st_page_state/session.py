"""The run lifecycle: the one place that changes a session's runtime, in the order a run happens.

Like Streamlit's own ``SessionState.on_script_will_rerun`` and
``on_script_finished``, a run has a beginning, a body and an end:

Beginning (the first state access of a run, in a callback or the script):
    1. read the URL Streamlit received for this run        :func:`_begin_run`
    2. find whose state the session holds: the tab (first
       run: the one a reconnecting page names, its cookie,
       the browser's page that just went away, or a new id)
       or the identity callable's person                   :func:`_find_tab`, :func:`_follow_identity`
    3. commit the widgets the user changed since last run  :func:`_commit_widgets`

Body:
    4. sync each class on its first use in the run: fill it from the store
       (first use in the session), adopt URL edits, run ``on_init``
                                                           :func:`synced_values`
    5. writes from code and widgets, pushed to widgets     :func:`set_value`

End (after the script body, also of a fragment run):
    6. take the values widgets fell back to                :func:`_adopt_fallbacks`
    7. plan the query string                               :func:`_plan`
    8. write it, at most once                              :func:`_write_url`
    9. save what is still unsaved                          :func:`_save_unsaved`
    10. mount the URL bridge with what was written         :func:`_mount_bridge`

Every accepted change is saved when it is made (after step 3's commits,
after each class's sync, after each write from code), not only at step 9:
when the browser goes away mid-run, Streamlit stops the run without its
end, and a reload must still find the change.

Other modules return decisions as data (``url.adopt``, ``url.plan_query``,
``persistence.on_first_use``, ``bridge.read_report``, ``widgets.sync``) and
this module applies them.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NamedTuple

from pydantic_core import to_jsonable_python

from . import _streamlit as stx
from . import bridge, notify, persistence, registry, run_values, trace
from .errors import NoSessionError, StateValidationError
from .identity import TAB_PREFIX, TabCorrection, mint_tab_id, store_identity, tab_from_cookies, tab_from_protocols
from .log import debugging, log, shorten, shown
from .missing import MISSING
from .persistence import Fetched, Restore
from .query import Query
from .recent_tabs import recent_tabs
from .runtime import RunRecord, SessionRuntime, StateClass
from .schema import StateSchema, same_value
from .settings import SETTINGS
from .stores.active import active_guard
from .stores.guard import StoreGuard
from .trace import Origin
from .url import Rejection, TouchedState, adopt, echoed_write, plan_query
from .widgets import sync as widget_sync
from .widgets.links import WidgetLink

RUNTIME_KEY = "st_page_state_runtime"

_this_thread = threading.local()
"""The runtime of the run this thread executes, with that run's marker (a field read must be cheap)."""


# ------------------------------------------------------------------ the session
def current() -> SessionRuntime:
    """This session's runtime, its run begun; raises :class:`NoSessionError` outside a script run."""
    ctx = stx.current_context()
    if ctx is None:
        raise NoSessionError(
            "PageState values live in a Streamlit session: read and write them while a "
            "script runs (`streamlit run app.py`, or AppTest in tests)."
        )
    marker = stx.run_marker(ctx)
    cached = getattr(_this_thread, "cached", None)
    if cached is not None and cached[0] is marker:
        rt: SessionRuntime = cached[1]
        return rt
    rt = runtime_in(ctx.session_state)
    if rt.marker is not marker:
        _begin_run(rt, ctx)
    _this_thread.cached = (marker, rt)
    return rt


def current_if_begun() -> SessionRuntime | None:
    """This session's runtime if a state was used in this run already, else None (never begins a run)."""
    ctx = stx.current_context()
    cached = getattr(_this_thread, "cached", None)
    if ctx is None or cached is None or cached[0] is not stx.run_marker(ctx):
        return None
    rt: SessionRuntime = cached[1]
    return rt


def runtime_in(session_state: Any) -> SessionRuntime:
    """The runtime kept in a session's state, created on first use."""
    try:
        rt = session_state[RUNTIME_KEY]
    except KeyError:
        rt = None
    if not isinstance(rt, SessionRuntime):
        rt = SessionRuntime()
        session_state[RUNTIME_KEY] = rt
    return rt


def class_for(rt: SessionRuntime, ns: str) -> StateClass | None:
    found: StateClass | None = rt.classes.get(ns) or registry.lookup(ns)
    return found


# ------------------------------------------------------------ 1-3: beginning
def _begin_run(rt: SessionRuntime, ctx: stx.ScriptRunContext) -> None:
    previous = rt.run
    unfinished = rt.marker is not None and not previous.flushed and bool(previous.touched)
    rt.marker = stx.run_marker(ctx)
    stx.install_run_end_hook(ctx, _end_current_run)
    publishing = stx.install_run_start_hook(ctx, run_values.forget_this_thread)
    page = stx.page_id(ctx)
    received = stx.read_query(ctx, previous.received, rt.snapshot)
    navigation = stx.is_history_navigation(ctx)
    url = _url_of_run(rt, previous, received, navigation, same_page=page == rt.page)
    rt.run = RunRecord(
        url=url,
        received=received,
        edited_outside=rt.snapshot is None or url != rt.snapshot,
        history_navigation=navigation,
        page_changed=rt.page is not None and page != rt.page,
        publishing=publishing,
        redraw=rt.redraw_requested,
    )
    rt.redraw_requested = False
    if unfinished:
        # The previous run ended early (st.stop, an exception): its changes
        # were never written, so this run writes them.
        previous.carry_into(rt.run)
    if rt.loaded_url is None:
        rt.loaded_url = received.encode()
    _find_tab(rt, ctx)
    _follow_identity(rt)
    _announce_tab(rt, ctx, previous)
    with batch(rt):
        _commit_widgets(rt)


def _url_of_run(
    rt: SessionRuntime, previous: RunRecord, received: Query, navigation: bool, *, same_page: bool
) -> Query:
    """What the address bar holds as this run begins.

    Streamlit gives a run the query string its frontend last set, or the one
    a server-side ``st.rerun()`` started from: both can be older than what
    the engine wrote at the end of the previous run. The same query string
    as the previous run received (outside Back/Forward) is not news from the
    browser: the previous run's write stands. Nor is an echo of a recent
    write (:func:`url.echoed_write`): a click sent while the engine's last
    writes were still on their way carries the frontend's older copy, and
    adopting it would undo the clicks in between.
    """
    if rt.snapshot is None or navigation:
        rt.echo_floor = rt.writes + 1  # after Back/Forward, only later writes can come back
        return received
    if previous.flushed and received == previous.received:
        return rt.snapshot
    if not same_page:
        rt.echo_floor = rt.writes + 1
        return received
    echoed = echoed_write(rt.written, received, rt.echo_floor)
    if echoed is None:
        rt.echo_floor = rt.writes + 1  # news: the browser's copy is past every write so far
        return received
    rt.echo_floor = echoed
    return rt.snapshot


def _find_tab(rt: SessionRuntime, ctx: stx.ScriptRunContext) -> None:
    """The tab of a session's first run: the reconnecting page's, the cookie its previous page left, or a new id.

    Known before anything is drawn, so a reload paints the restored state
    first and every change is saved from the first moment. A page that
    reconnected (to another process, behind a load balancer) names its tab
    on the socket itself; a cookie is the same for every tab, so that wins.
    Without either, the tab of this browser's page that went away a moment
    ago before its bridge loaded (:mod:`.recent_tabs`).
    """
    if rt.tab_id is not None or not bridge.available():
        return
    socket = tab_from_protocols(stx.websocket_protocols())
    cookie = tab_from_cookies(stx.cookies()) if socket is None else None
    rt.browser = stx.browser_key()
    recent = _recent_tab(rt.browser, ctx) if socket is None and cookie is None else None
    if socket is not None:
        rt.tab_id, rt.tab_source = socket, "socket"
    elif cookie is not None:
        rt.tab_id, rt.tab_source = cookie, "cookie"
    elif recent is not None:
        rt.tab_id, rt.tab_source = recent, "recent"
    else:
        rt.tab_id, rt.tab_source = mint_tab_id(), "minted"
    log.debug("tab %s (%s)", rt.tab_id, rt.tab_source)
    if rt.browser is not None:
        recent_tabs.ran(rt.browser, ctx.session_id, rt.tab_id)  # a reload during this first run finds it


def _recent_tab(browser: str | None, ctx: stx.ScriptRunContext) -> str | None:
    if browser is None:
        return None
    return recent_tabs.guess(browser, ctx.session_id, stx.session_connected)


def _announce_tab(rt: SessionRuntime, ctx: stx.ScriptRunContext, previous: RunRecord) -> None:
    """Hand the tab id to the browser now, before the run draws the page (the person may reload at once).

    A page that never learnt it (it went away before its bridge loaded) is
    found again through :mod:`.recent_tabs`. The element goes out in one
    run only, so a run the server starts at once after that one (a redraw,
    or one that cut it short) sends it again: the browser may have dropped
    it before the bridge's script read it.
    """
    again = previous.tab_mounted and (rt.run.redraw or not previous.flushed)
    if rt.tab_announced and not again:
        return
    if rt.tab_id is None or rt.tab_source not in ("cookie", "socket", "recent", "minted"):
        return
    if stx.is_fragment_run(ctx):
        return
    rt.tab_announced = rt.run.tab_mounted = True
    try:
        bridge.mount_tab(bridge.tab_data(rt.tab_id, rt.tab_source), on_identity=_on_identity)
    except Exception:
        log.warning("the URL bridge's tab element could not be mounted", exc_info=True)


def _follow_identity(rt: SessionRuntime) -> None:
    """Load another identity's state into every class in use when the identity changed.

    The session's first identity (the tab handshake after a reload): what
    the session holds came from this page load's URL and defaults, so it is
    completed from the store, URL params winning. A later change is another
    person's state: nothing of the previous identity may stay.
    """
    if SETTINGS.store is False:
        return
    state = rt.persistence
    identity = store_identity(SETTINGS.identity, rt.tab_id)
    if identity == state.identity:
        return
    first = state.identity is None
    if debugging():
        why = "completed from the store, URL params win" if first else "that identity's state replaces this one's"
        log.debug("identity %s -> %s: %s", shorten(state.identity), shorten(identity), why)
    state.identity = identity
    state.saved.clear()
    guard = active_guard() if identity is not None else None
    for ns in list(rt.values):
        cls = class_for(rt, ns)
        if cls is None:
            continue
        schema = cls.__state_schema__
        if first and not persistence.persisted_fields(schema):
            continue
        fetched = _fetch(guard, identity, schema)
        restore = persistence.on_identity_change(
            schema, fetched, rt.values[ns], rt.run.url, protected=rt.run.changed.get(ns, set()), keep_url=first
        )
        _apply_restore(rt, cls, restore, as_changes=True, record_baseline=guard is not None)


def _commit_widgets(rt: SessionRuntime) -> None:
    """Every widget the user changed since the last run updates its field (also how a form commits)."""
    for link in list(rt.widgets.by_key.values()):
        commit_widget(rt, link)


def commit_widget(rt: SessionRuntime, link: WidgetLink) -> None:
    """The field takes the widget's value if the user changed it; an invalid one is refused and shown back."""
    value = widget_sync.changed_by_user(link)
    if value is MISSING:
        return
    cls = class_for(rt, link.namespace)
    if cls is None or link.field not in cls.__state_schema__.fields:
        return
    try:
        set_value(rt, cls, link.field, value, origin="widget")
    except StateValidationError as exc:
        # Not a value the field can hold (a float for an int field): keep the
        # field and put its value back into the widget (nothing is drawn yet).
        notify.warn(f"{exc}. The widget shows the previous value again.")
        widget_sync.show(link, synced_values(rt, cls)[link.field])
        return
    # The change may have rewritten the key in the field's own shape (a
    # set's members in option order): agree on what it holds now.
    widget_sync.agree(link)


# ------------------------------------------------------------- 4-5: the body
def synced_values(rt: SessionRuntime, cls: StateClass) -> dict[str, Any]:
    """The values of ``cls`` for this session, synced with the URL on the class's first use in the run."""
    schema = cls.__state_schema__
    ns = schema.namespace
    if ns in rt.run.synced:
        rt.classes[ns] = cls
        return rt.values[ns]
    with rt.lock:
        return _sync(rt, cls, schema)


def _sync(rt: SessionRuntime, cls: StateClass, schema: StateSchema) -> dict[str, Any]:
    ns = schema.namespace
    run = rt.run
    first = ns not in rt.values
    if first:
        rt.values[ns] = {name: f.default() for name, f in schema.fields.items()}
        _restore_on_first_use(rt, cls, schema)
    values = rt.values[ns]
    previous = rt.classes.get(ns)
    if previous is not cls:
        _follow_redefinition(schema, previous, values)
    if first or run.edited_outside:
        _adopt_url(rt, cls, schema, first)
    run.synced.add(ns)
    if ns not in run.touched:
        run.touched.append(ns)
    rt.classes[ns] = cls
    if run.page_changed and ns not in rt.last_touched and schema.config.url_selfish:
        run.focused.add(ns)
    if ns not in rt.initialized:
        rt.initialized.add(ns)
        cls.on_init()
    if not rt.batch:
        _save_unsaved(rt)
    if run.publishing:
        run_values.publish(getattr(cls, run_values.LOCAL_ATTR), values, schema.published)
    return values


def _follow_redefinition(schema: StateSchema, previous: StateClass | None, values: dict[str, Any]) -> None:
    """The class object is new (the main script defines it again each run): keep the values fitting it."""
    if previous is not None and previous.__state_schema__ is schema:
        return  # redefined identically: the compiled schema was reused
    for name, f in schema.fields.items():  # the class changed (hot reload): add new fields
        if name not in values:
            values[name] = f.default()
    for stale in values.keys() - schema.fields.keys():
        del values[stale]
    if previous is not None and previous.__state_schema__ is not schema:
        _revalidate_after_redefinition(previous.__state_schema__, schema, values)


def _adopt_url(rt: SessionRuntime, cls: StateClass, schema: StateSchema, first: bool) -> None:
    """Take the URL's params: every one on the class's first use (a deep link), edited ones later."""
    ns = schema.namespace
    run = rt.run
    adoption = adopt(
        schema,
        rt.values[ns],
        run.url,
        rt.snapshot,
        first_load=first,
        history_navigation=run.history_navigation,
        protected=run.changed.get(ns, ()),
        widget_bounds=rt.widgets.bounds_of(ns) if rt.widgets else None,
    )
    for rejection in adoption.rejected:
        notify.warn(rejection.message())
        _record_rejection(rt, rejection)
        assert rejection.field.param is not None
        run.repairs.setdefault(ns, set()).add(rejection.field.param)
    values = rt.values[ns]
    for name, value in adoption.values.items():
        run.displaced.setdefault((ns, name), values[name])
        _assign(rt, cls, name, value, user_change=False, origin="url")


def displaced(rt: SessionRuntime, cls: StateClass, name: str) -> Any:
    """The value a URL value replaced in this run (MISSING: the field did not take one)."""
    return rt.run.displaced.get((cls.__state_schema__.namespace, name), MISSING)


def _restore_on_first_use(rt: SessionRuntime, cls: StateClass, schema: StateSchema) -> None:
    identity = rt.persistence.identity
    if identity is None or not persistence.persisted_fields(schema):
        return
    guard = active_guard()
    if guard is None:
        return
    if rt.tab_source == "minted" and identity == f"{TAB_PREFIX}{rt.tab_id}":
        fetched = Fetched()  # a tab id made in this session: nothing can be stored under it yet
    else:
        fetched = _fetch(guard, identity, schema)
    restore = persistence.on_first_use(schema, fetched, rt.values[schema.namespace], rt.run.url)
    _apply_restore(rt, cls, restore, as_changes=False, record_baseline=True)


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


def set_value(rt: SessionRuntime, cls: StateClass, name: str, value: Any, origin: Origin = "code") -> None:
    """A change from code or a widget: validated, recorded, written to the URL at the end of the run."""
    schema = cls.__state_schema__
    new = schema.fields[name].validate(value)
    values = synced_values(rt, cls)
    if rt.widgets and not same_value(values[name], new):
        error = widget_sync.order_error(rt.widgets.for_field(schema.namespace, name), schema.name, name, new)
        if error is not None:
            raise error
    _assign(rt, cls, name, new, user_change=True, origin=origin)
    if not rt.batch:
        _save_unsaved(rt)


@contextmanager
def batch(rt: SessionRuntime) -> Iterator[None]:
    """Several writes that are saved once, when the outermost batch ends (widget commits, ``load()``)."""
    rt.batch += 1
    try:
        yield
    finally:
        rt.batch -= 1
        if not rt.batch:
            _save_unsaved(rt)


def set_fallback(rt: SessionRuntime, cls: StateClass, name: str, value: Any) -> None:
    """Set an already validated value that no user chose (a widget's seed, an option fallback).

    The URL follows, but it is not a user change: no focus, no history
    entry, no widget-order check.
    """
    synced_values(rt, cls)
    _assign(rt, cls, name, value, user_change=False, origin="widget")


def correct(rt: SessionRuntime, cls: StateClass, name: str, value: Any) -> None:
    """Replace a value a widget cannot show (``set_fallback``), maybe after it was drawn in this run.

    Elements drawn before showed the old value, so the run ends with one
    redraw (see ``end_run``); a redraw that corrects again asks for no other.
    """
    set_fallback(rt, cls, name, value)
    rt.run.corrected = True


def focus(rt: SessionRuntime, cls: StateClass) -> None:
    """The class claims the URL in this run (``PageState.focus()``)."""
    synced_values(rt, cls)
    rt.run.focused.add(cls.__state_schema__.namespace)


def _assign(rt: SessionRuntime, cls: StateClass, name: str, new: Any, *, user_change: bool, origin: Origin) -> None:
    schema = cls.__state_schema__
    ns = schema.namespace
    values = rt.values[ns]
    old = values[name]
    if same_value(old, new):
        return
    values[name] = new
    _record_origin(rt, schema, name, new, origin)
    rt.unsaved.add(ns)
    rt.run.assigned.setdefault(ns, set()).add(name)
    if rt.run.publishing and ns in rt.run.synced:
        store = getattr(cls, run_values.LOCAL_ATTR)
        if schema.fields[name].immutable:
            run_values.publish_one(store, name, new)
        else:
            run_values.unpublish_one(store, name)
    if user_change:
        rt.run.changed.setdefault(ns, set()).add(name)
        rt.edited.setdefault(ns, set()).add(name)
        if schema.config.url_selfish:
            rt.run.focused.add(ns)
    if rt.widgets:
        widget_sync.push(rt.widgets.for_field(ns, name), new)
    cls.on_change(name, old, new)


# ----------------------------------------------------------- bridge reports
def apply_report(rt: SessionRuntime, report: bridge.BridgeReport) -> bool:
    """Take the browser's real query string (from the bridge) as this run's URL.

    Reports older than the engine's current revision describe a URL the
    engine has already replaced: ignoring them is what prevents a rerun
    race between the browser and the server.
    """
    if report.revision < rt.revision:
        log.debug("dropped a stale bridge report (revision %s < %s)", report.revision, rt.revision)
        return False
    url = Query.parse(report.query)
    if url == rt.run.url:
        log.debug("dropped a bridge report (%s): the run already has that URL", shorten(report.cause))
        return False
    log.debug("the address bar differs (%s): adopting %s", shorten(report.cause), shorten(url.encode()))
    rt.run.url = url
    rt.run.edited_outside = True
    rt.run.synced.clear()
    run_values.forget_this_thread()  # every class syncs again with the new URL on its next read
    return True


def set_tab_id(rt: SessionRuntime, tab_id: str) -> None:
    """Give the session a tab identity from a test (``testing.set_tab_id``); inside a run, load its state."""
    rt.tab_id, rt.tab_source = tab_id, "test"
    if stx.current_context() is not None:
        _follow_identity(rt)


def _on_report() -> None:
    report = bridge.read_report()
    if report is not None:
        apply_report(current(), report)


def _on_identity() -> None:
    correction = bridge.read_correction()
    if correction is not None:
        adopt_tab(current(), correction)


def adopt_tab(rt: SessionRuntime, correction: TabCorrection) -> None:
    """The browser says the server's tab id was not this tab's: take the right one, and its state.

    A cookie that another tab left, a reload whose cookie was lost, or a
    duplicated tab (``copy_from``: it starts as a copy of the original).
    The URL the page loaded with and what was changed in this session since
    win; every other field takes the tab's stored value or its default (the
    params the first run wrote from a wrong guess are not the page's URL).
    """
    if correction.tab == rt.tab_id and correction.copy_from is None:
        return
    log.debug("tab corrected by the browser: %s (copy of %s)", correction.tab, correction.copy_from)
    rt.tab_id, rt.tab_source, rt.tab_corrected = correction.tab, "bridge", True
    identity = store_identity(SETTINGS.identity, rt.tab_id)
    state = rt.persistence
    if SETTINGS.store is False or identity is None or not identity.startswith(TAB_PREFIX) or not rt.values:
        state.identity = identity if SETTINGS.store is not False else state.identity
        return
    state.identity = identity
    state.saved.clear()
    guard = active_guard()
    loaded = Query.parse(rt.loaded_url or "")
    with batch(rt):
        for ns in list(rt.values):
            cls = class_for(rt, ns)
            if cls is None or not persistence.persisted_fields(cls.__state_schema__):
                continue
            schema = cls.__state_schema__
            fetched, own = _fetch_corrected(guard, correction, schema)
            restore = persistence.on_tab_correction(
                schema, fetched, rt.values[ns], loaded, edited=rt.edited.get(ns, set())
            )
            _apply_restore(rt, cls, restore, as_changes=True, record_baseline=own)
            rt.unsaved.add(ns)


def _fetch_corrected(guard: StoreGuard | None, correction: TabCorrection, schema: StateSchema) -> tuple[Fetched, bool]:
    """The state a corrected tab starts from, and whether it is the tab's own document."""
    if correction.copy_from is None or correction.recover:
        own = _fetch(guard, f"{TAB_PREFIX}{correction.tab}", schema)
        if correction.copy_from is None or own.values or not own.clean:
            return own, True
    return _fetch(guard, f"{TAB_PREFIX}{correction.copy_from}", schema), False


# ---------------------------------------------------------------- 6-10: end
class UrlWrite(NamedTuple):
    """What a run's end wrote: what the URL holds, and what the bridge and the browser must be told."""

    final: Query
    push_from: str | None = None
    """Where a push-mode write comes from (the bridge adds its history entry)."""
    held_from: str | None = None
    """The query the bridge replaces when it applies the session's first write itself."""
    message: str | None = None
    """The query string to send the browser (Streamlit's ``page_info_changed``), after the bridge's data."""


def _end_current_run() -> None:
    """Streamlit's end-of-run hook: end the run this session began, if it is this one."""
    rt = current_if_begun()
    if rt is not None:
        end_run(rt)


def end_run(rt: SessionRuntime) -> None:
    """Steps 6-10: everything a run leaves behind, once."""
    ctx = stx.current_context()
    run = rt.run
    if ctx is None or run.flushed or not run.touched:
        return
    _adopt_fallbacks(rt)
    if run.corrected and not run.redraw and not stx.is_fragment_run(ctx):
        rt.redraw_requested = stx.request_rerun(ctx)
    with rt.lock:
        if _url_unchanged(rt, ctx):
            written = UrlWrite(run.url)
        else:
            written = _write_url(rt, ctx, _plan(rt, ctx))
        _save_unsaved(rt)
        run.flushed = True
        if not stx.is_fragment_run(ctx):
            rt.last_touched = set(run.touched)
            rt.page = stx.page_id(ctx)
    if rt.browser is not None and rt.tab_id is not None:
        recent_tabs.ran(rt.browser, ctx.session_id, rt.tab_id)
    _mount_bridge(rt, ctx, written)


def _url_unchanged(rt: SessionRuntime, ctx: stx.ScriptRunContext) -> bool:
    """Whether this run ends with the URL it began with, known without planning (most runs).

    Nothing changed, nothing to repair or focus, the address bar and
    Streamlit both hold what the engine last wrote, and every class used was
    planned into that: the plan could only give the same query again.
    """
    run = rt.run
    snapshot = rt.snapshot
    return (
        snapshot is not None
        and not run.assigned
        and not run.changed
        and not run.repairs
        and not run.focused
        and not run.edited_outside
        and rt.snapshot_states.issuperset(run.touched)
        and stx.read_query(ctx, run.received) == snapshot
    )


def _adopt_fallbacks(rt: SessionRuntime) -> None:
    """A widget that could not show its field's value picked another one; the field follows.

    Such a widget had options bind() could not read (see
    ``widgets/call_site.py``); what the page drew after it showed the old
    value, so this is a correction: the run ends with a redraw.
    """
    for link, value in widget_sync.fallbacks(list(rt.widgets.by_key.values())):
        cls = class_for(rt, link.namespace)
        if cls is None or link.field not in cls.__state_schema__.fields:
            continue
        schema = cls.__state_schema__
        try:
            valid = schema.fields[link.field].validate(value)
        except StateValidationError:
            continue
        notify.warn(
            f"{schema.name}.{link.field}: its widget cannot show {shown(link.shown)} "
            f"(not one of its options, or out of its range) and shows {shown(value)} instead."
        )
        correct(rt, cls, link.field, valid)
        link.shown = value


def _plan(rt: SessionRuntime, ctx: stx.ScriptRunContext) -> Query:
    """The query string this run ends with."""
    run = rt.run
    snapshot = rt.snapshot
    if snapshot is not None and not run.edited_outside and rt.snapshot_states.issuperset(run.touched):
        bound = stx.bound_params(ctx)
        keep = _surviving_params(rt, ctx)
        if keep is None or snapshot.keys() <= keep | bound:  # the focus drops nothing
            return _replan(rt, snapshot, bound)
    touched = []
    for ns in run.touched:
        cls = class_for(rt, ns)
        if cls is not None:
            touched.append(
                TouchedState(
                    schema=cls.__state_schema__,
                    values=rt.values[ns],
                    changed=run.changed.get(ns, set()),
                    repairs=run.repairs.get(ns, set()),
                )
            )
    return plan_query(run.url, touched, keep_only=_surviving_params(rt, ctx), bound=stx.bound_params(ctx))


def _replan(rt: SessionRuntime, snapshot: Query, bound: set[str]) -> Query:
    """The plan when only values changed: the last written URL with the changed params encoded again.

    The same result as a full plan (every class used was planned into
    ``snapshot``, no focus drops params, nothing was edited outside), for
    the cost of the changes instead of every param.
    """
    run = rt.run
    final = Query(snapshot)  # lists are replaced below, never changed in place
    for ns in run.assigned.keys() | run.repairs.keys():
        cls = class_for(rt, ns)
        if cls is None:
            continue
        schema = cls.__state_schema__
        restore = schema.config.restore_url_on_touch
        changed, repairs = run.changed.get(ns, set()), run.repairs.get(ns, set())
        fields = [schema.fields[n] for n in run.assigned.get(ns, ())] + [schema.params[p] for p in repairs]
        for f in fields:
            param = f.param
            if param is None or param in bound:
                continue
            value = rt.values[ns][f.name]
            if f.clear_on_default and f.is_default(value):
                final.pop(param, None)
            elif restore or param in final or f.name in changed or param in repairs:
                final[param] = f.codec.encode(value)
    return final


def _surviving_params(rt: SessionRuntime, ctx: stx.ScriptRunContext) -> set[str] | None:
    """The params that survive this run's focus (None: no state focused the URL, all survive)."""
    if not rt.run.focused:
        return None
    keep: set[str] = set()
    for ns in rt.run.focused:
        keep |= registry.params_of(ns)
        cls = class_for(rt, ns)
        for ref in cls.__state_schema__.config.share_url_with if cls is not None else ():
            for shared_ns in registry.resolve(ref):
                keep |= registry.params_of(shared_ns)
    if stx.is_fragment_run(ctx):
        # A fragment run only re-executes the fragment: the states the last
        # full run used are still on the page and keep their params.
        for ns in rt.last_touched:
            keep |= registry.params_of(ns)
    return keep


def _write_url(rt: SessionRuntime, ctx: stx.ScriptRunContext, final: Query) -> UrlWrite:
    """Write ``final`` if the URL differs (the browser is told in step 10, after the bridge)."""
    run = rt.run
    previous = run.url
    push_from: str | None = None
    held_from: str | None = None
    message: str | None = None
    written: trace.WriteKind | None = None
    text = final.encode()
    if _first_write_held(rt):
        if final != previous:
            held_from = previous.encode()
            written = "held"
            if debugging():
                log.debug("the bridge applies the first URL write: %s", text)
    elif final != stx.read_query(ctx, run.received) or final != previous:
        message = stx.write_query(ctx, final, text)
        rt.writes += 1
        rt.written.append((rt.writes, final.fingerprint()))
        rt.revision += 1
        if debugging():
            log.debug("wrote the URL (revision %s): %s", rt.revision, text)
        if _push_wanted(rt):
            push_from = previous.encode()
        written = "push" if push_from is not None or not bridge.available() else "replace"
    elif debugging():
        log.debug("the URL already holds what the run planned: no write")
    rt.snapshot = final
    rt.snapshot_text = text
    if written is not None:
        _record_url_write(rt, written)
    touched = frozenset(run.touched)
    rt.snapshot_states = rt.snapshot_states | touched if stx.is_fragment_run(ctx) else touched
    run.url = final
    return UrlWrite(final, push_from, held_from, message)


def _first_write_held(rt: SessionRuntime) -> bool:
    """Whether the session's first URL write is left to the bridge.

    Streamlit applies every URL write from the server with
    ``history.pushState``; in a session's first run the bridge's history
    patch may not be installed yet, so that push would stay a new entry:
    the page would open with two entries of itself. The bridge instead
    replaces the address bar with the run's URL itself (``held``), with no
    extra run. Streamlit's frontend keeps the query string it loaded with
    and sends it with the next run, which ``_url_of_run`` recognises; that
    run's write through Streamlit then finds the address bar already equal.
    """
    return rt.writes == 0 and rt.snapshot is None and bridge.available()


def _push_wanted(rt: SessionRuntime) -> bool:
    """Whether this run's write is a user change that should be its own history entry."""
    if rt.run.history_navigation:
        return False
    for ns, names in rt.run.changed.items():
        cls = class_for(rt, ns)
        if cls is None:
            continue
        fields = cls.__state_schema__.fields
        if any(fields[n].param is not None and fields[n].history == "push" for n in names):
            return True
    return False


def _save_unsaved(rt: SessionRuntime) -> None:
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
        # "rejected" (too large, no room): the guard logged it; the class stays in the session


_unserializable_warned: set[str] = set()


def _warn_unserializable(schema: StateSchema, fields: list[str]) -> None:
    """Once per class and process: those fields stay in the session, unsaved; the others are saved."""
    if schema.namespace not in _unserializable_warned:
        _unserializable_warned.add(schema.namespace)
        log.warning("%s.%s not saved: JSON cannot carry the value", schema.name, ", ".join(fields))


def _mount_bridge(rt: SessionRuntime, ctx: stx.ScriptRunContext, written: UrlWrite) -> None:
    """Send the URL element its data, then the browser the run's URL write, and see both leave at once.

    In this order, Streamlit's ``pushState`` of the write reaches a page that
    already holds the bridge's data for it: the bridge knows the write for
    the server's own and needs no wait to tell it from another script's
    push (see README, "The report protocol"). ``stx.delivered`` keeps the
    post-run garbage collection from holding both back.
    """
    final = written.final
    data = bridge.url_data(
        expected=rt.snapshot_text if final is rt.snapshot else final.encode(),
        owned=_owned_params(rt),
        revision=rt.revision,
        push_from=written.push_from,
        held_from=written.held_from,
        tab=rt.tab_id if rt.tab_corrected else None,
    )
    with stx.delivered(ctx, wait=written.message is not None):
        try:
            bridge.mount_url(rt.bridge, data, on_report=_on_report, on_identity=_on_identity)
        except Exception:
            # The URL is already written; a bridge that cannot mount only costs
            # browser-side edit detection, never the app.
            log.warning("the URL bridge could not be mounted", exc_info=True)
        if written.message is not None:
            stx.send_query_string(ctx, written.message)


def _owned_params(rt: SessionRuntime) -> list[str]:
    """The params of the classes this run used, sorted (cached: runs mostly use the same classes)."""
    touched = frozenset(rt.run.touched)
    if rt.owned[0] != touched or not touched:
        rt.owned = (touched, sorted(set().union(*(registry.params_of(ns) for ns in touched))))
    return rt.owned[1]


# ------------------------------------------------------------------ helpers
def _fetch(guard: StoreGuard | None, identity: str | None, schema: StateSchema) -> Fetched:
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


def _apply_restore(
    rt: SessionRuntime, cls: StateClass, restore: Restore, *, as_changes: bool, record_baseline: bool
) -> None:
    """Apply what a class takes from the store: values, params to put back, what the store holds."""
    schema = cls.__state_schema__
    ns = schema.namespace
    for name, value in restore.values.items():
        if as_changes:
            _assign(rt, cls, name, value, user_change=False, origin="default" if name in restore.defaults else "store")
        else:
            _restore_value(rt, schema, name, value)
    if restore.repairs:
        rt.run.repairs.setdefault(ns, set()).update(restore.repairs)
    if not record_baseline:
        return
    if restore.baseline is None:
        rt.persistence.saved.pop(ns, None)
        rt.unsaved.add(ns)  # what the store holds is unknown or dirty: write the class as it is now
    else:
        rt.persistence.saved[ns] = restore.baseline


# ------------------------------------------------------ the inspector's trace
_ORIGIN_WORDS: dict[Origin, str] = {
    "default": "its default",
    "url": "the URL",
    "store": "the store",
    "widget": "a widget",
    "code": "code",
}


def _record_origin(rt: SessionRuntime, schema: StateSchema, name: str, value: Any, origin: Origin) -> None:
    """Remember where a field's new value came from (called only when the value changed)."""
    rt.origins.setdefault(schema.namespace, {})[name] = origin
    if debugging():
        log.debug("%s.%s = %s (from %s)", schema.name, name, shown(value), _ORIGIN_WORDS[origin])


def _restore_value(rt: SessionRuntime, schema: StateSchema, name: str, value: Any) -> None:
    """A stored value a class takes on its first use (before the URL is adopted; not a change to report)."""
    values = rt.values[schema.namespace]
    old, values[name] = values[name], value
    if not same_value(old, value):
        _record_origin(rt, schema, name, value, "store")


def _record_rejection(rt: SessionRuntime, rejection: Rejection) -> None:
    rt.rejected = trace.kept(rt.rejected, trace.rejected_param(rejection))


def _record_url_write(rt: SessionRuntime, kind: trace.WriteKind) -> None:
    """Remember a URL write and the params the run changed or repaired (the inspector lists a few)."""
    run = rt.run
    changed: set[str] = set()
    for ns, names in run.assigned.items():
        cls = class_for(rt, ns)
        fields = cls.__state_schema__.fields if cls is not None else {}
        changed.update(p for n in names if n in fields and (p := fields[n].param) is not None)
    for params in run.repairs.values():
        changed |= params
    rt.url_writes = trace.kept(rt.url_writes, trace.url_write(rt.revision, kind, rt.snapshot_text, changed))
