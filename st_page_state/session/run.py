"""The run spine: a run's beginning, body and end, in the order they happen.

Like Streamlit's own ``SessionState.on_script_will_rerun`` and
``on_script_finished``, a run has a beginning, a body and an end:

Beginning (the first state access of a run, in a callback or the script):
    1. read the URL Streamlit received for this run        :func:`.url_write.url_of_run`
    2. find whose state the session holds: the tab or the
       identity callable's person                          :func:`.tab.find_tab`, :func:`.tab.follow_identity`
    3. commit the widgets the user changed since last run  :func:`_commit_widgets`
    4. take the store reads that arrived late              :func:`.store_io.take_news`

Body:
    5. sync each class on its first use in the run: fill it from the store
       (first use in the session), adopt URL edits, run ``on_init``
                                                           :func:`synced_values`
    6. writes from code and widgets, pushed to widgets     :func:`set_value`

End (after the script body, also of a fragment run):
    7. take the values widgets fell back to                :func:`_adopt_fallbacks`
    8. plan the query string                               :func:`.url_write.plan`
    9. write it, at most once                              :func:`.url_write.write_url`
    10. save what is still unsaved, and tell the visitor
        if the store keeps them waiting                    :func:`.saving.save_unsaved`
    11. mount the URL bridge with what was written         :func:`.url_write.mount_bridge`

Other modules return decisions as data (``url.adopt``, ``url.plan_query``,
``persistence.on_first_use``, ``bridge.read_report``, ``widgets.sync``) and
the session package applies them.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from .. import _streamlit as stx
from .. import bridge, notify, run_values
from ..errors import NoSessionError, StateValidationError
from ..log import debugging, log, shorten, shown
from ..missing import MISSING
from ..query import Query
from ..recent_tabs import recent_tabs
from ..runtime import InputError, RunRecord, SessionRuntime
from ..schema import StateClass, StateSchema, same_value
from ..trace import Origin
from ..url import adopt
from ..widgets import sync as widget_sync
from ..widgets.links import WidgetLink
from . import saving
from .changes import assign, class_for, record_rejection
from .conflicts import refuse_twin, warn_url_collisions
from .redefinition import follow_redefinition
from .refusals import refused, report_input_errors
from .saving import save_unsaved
from .store_io import after_first_use, batch, restore_on_first_use, take_news
from .tab import adopt_tab, announce_tab, find_tab, follow_identity
from .url_write import (
    UrlWrite,
    apply_report,
    carried_foreign_params,
    mount_bridge,
    plan,
    url_of_run,
    url_unchanged,
    write_url,
)

RUNTIME_KEY = "st_page_state_runtime"


_this_thread = threading.local()
"""The runtime of the run this thread executes, with that run's marker (a field read must be cheap)."""


def current() -> SessionRuntime:
    """This session's runtime, its run begun; raises :class:`NoSessionError` outside a script run."""
    ctx = stx.current_context()
    if ctx is None:
        raise NoSessionError.here()
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


def _begin_run(rt: SessionRuntime, ctx: stx.ScriptRunContext) -> None:
    previous = rt.run
    again = rt.marker is not None
    unfinished = again and not previous.flushed and bool(previous.touched)
    rt.marker = stx.run_marker(ctx)
    stx.install_run_end_hook(ctx, _end_current_run)
    publishing = stx.install_run_start_hook(ctx, run_values.forget_this_thread)
    page = stx.page_id(ctx)
    received = stx.read_query(ctx, previous.received, rt.snapshot)
    navigation = stx.is_history_navigation(ctx)
    page_changed = rt.page is not None and page != rt.page
    if not stx.is_fragment_run(ctx):
        rt.page = page  # also when this run is cut short: the next run compares with it
    url, carried = url_of_run(rt, previous, received, navigation, same_page=not page_changed)
    if page_changed and debugging():
        how = "the session's own URL, carried over" if carried else "a URL of its own"
        log.debug("page switch with %s: %s", how, shorten(received.encode()))
    rt.run = RunRecord(
        url=url,
        received=received,
        edited_outside=rt.snapshot is None or url != rt.snapshot,
        history_navigation=navigation,
        page_changed=page_changed,
        carried=carried,
        previous_page=rt.snapshot_states | set(previous.touched) if page_changed else frozenset(),
        publishing=publishing,
        redraw=rt.redraw_requested,
    )
    rt.redraw_requested = False
    if unfinished and not page_changed:
        # The previous run ended early (st.stop, an exception): its changes
        # were never written, so this run writes them. After a page switch
        # they are the previous page's, and its params are not this page's.
        previous.carry_into(rt.run)
    if rt.loaded_url is None:
        rt.loaded_url = received.encode()
    find_tab(rt, ctx)
    follow_identity(rt)
    if again and not rt.run.redraw:
        saving.confirm(rt)  # the page ran again: a person is there
    announce_tab(rt, ctx, previous, _on_identity)
    with batch(rt):
        _commit_widgets(rt)
    take_news(rt)


def _commit_widgets(rt: SessionRuntime) -> None:
    """Every widget the user changed since the last run updates its field (also how a form commits)."""
    for link in list(rt.widgets.by_key.values()):
        commit_widget(rt, link)


def commit_widget(rt: SessionRuntime, link: WidgetLink) -> None:
    """The field takes the widget's value if the user changed it; an invalid one is refused and kept in the widget.

    A refused value stays in the widget (what the person typed, to be
    corrected) and the field keeps its value; the refusal is this run's
    ``errors()`` for the field, and a warning at the end of the run unless
    the app read ``errors()`` to show it itself (see :func:`.refusals.report_input_errors`).
    """
    value = widget_sync.changed_by_user(link)
    if value is MISSING:
        return
    cls = class_for(rt, link.namespace)
    if cls is None or link.field not in cls.__state_schema__.fields:
        return
    try:
        set_value(rt, cls, link.field, value, origin="widget")
    except StateValidationError as exc:
        synced_values(rt, cls)  # the class is used in this run: its end reports the refusal
        new = widget_sync.refused(link, value)
        rt.run.input_errors.setdefault(link.namespace, {})[link.field] = InputError(exc.message, value, new)
        return
    # The change may have rewritten the key in the field's own shape (a
    # set's members in option order): agree on what it holds now.
    widget_sync.agree(link)


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
    over_url: frozenset[str] = frozenset()
    if first:
        refuse_twin(rt, schema)
        rt.values[ns] = {name: f.default() for name, f in schema.fields.items()}
        over_url = restore_on_first_use(rt, cls, schema)
    values = rt.values[ns]
    previous = rt.classes.get(ns)
    if previous is not cls:
        follow_redefinition(schema, previous, values)
    if first or run.edited_outside:
        _adopt_url(rt, cls, schema, first, over_url)
    if first:
        after_first_use(rt, ns)
    warn_url_collisions(rt, schema)
    run.synced.add(ns)
    if ns not in run.touched:
        run.touched.append(ns)
    rt.classes[ns] = cls
    if run.page_changed and ns not in rt.last_touched and schema.config.url_selfish:
        run.focused.add(ns)
    if ns not in rt.initialized:
        rt.initialized.add(ns)
        cls.on_init()
    if run.publishing:
        run_values.publish(getattr(cls, run_values.LOCAL_ATTR), values, schema.published)
    return values


def _adopt_url(
    rt: SessionRuntime, cls: StateClass, schema: StateSchema, first: bool, over_url: frozenset[str] = frozenset()
) -> None:
    """Take the URL's params: every one on the class's first use (a deep link), edited ones later.

    ``over_url``: fields whose stored value beats the URL's param (the tab's
    own stale URL, see ``persistence.store_beats_url``).

    Until the session first wrote the URL, what it last knew of the address
    bar is the URL the page loaded with: a run that interrupts the first one
    (a person quick to act on a page that works after its widgets) cuts it
    short before its write, and the same stale params must not count as an
    edit in every later run (they would undo the changes made meanwhile).
    """
    ns = schema.namespace
    run = rt.run
    known = rt.snapshot
    if known is None and not first and rt.loaded_url is not None:
        known = Query.parse(rt.loaded_url)
    adoption = adopt(
        schema,
        rt.values[ns],
        run.url,
        known,
        first_load=first,
        history_navigation=run.history_navigation,
        protected=over_url | run.changed.get(ns, set()),
        skip=carried_foreign_params(rt, schema) if run.carried and first else (),
        widget_bounds=rt.widgets.bounds_of(ns) if rt.widgets else None,
    )
    for rejection in adoption.rejected:
        notify.warn(rejection.message())
        record_rejection(rt, rejection)
        assert rejection.field.param is not None
        run.repairs.setdefault(ns, set()).add(rejection.field.param)
    values = rt.values[ns]
    for name, value in adoption.values.items():
        run.displaced.setdefault((ns, name), values[name])
        assign(rt, cls, name, value, user_change=False, origin="url")


def displaced(rt: SessionRuntime, cls: StateClass, name: str) -> Any:
    """The value a URL value replaced in this run (MISSING: the field did not take one)."""
    return rt.run.displaced.get((cls.__state_schema__.namespace, name), MISSING)


def set_value(rt: SessionRuntime, cls: StateClass, name: str, value: Any, origin: Origin = "code") -> None:
    """A change from code or a widget: validated, recorded, written to the URL at the end of the run."""
    schema = cls.__state_schema__
    new = schema.fields[name].validate(value)
    values = synced_values(rt, cls)
    if rt.widgets and not same_value(values[name], new):
        error = widget_sync.order_error(rt.widgets.for_field(schema.namespace, name), schema.name, name, new)
        if error is not None:
            raise error
    assign(rt, cls, name, new, user_change=True, origin=origin)
    if rt.widgets:
        _replace_refused_entries(rt, schema.namespace, name, new)
    if not rt.batch:
        save_unsaved(rt)


def _replace_refused_entries(rt: SessionRuntime, ns: str, name: str, value: Any) -> None:
    """A write from code shows in widgets that still hold an entry the field refused, also when the value is the same.

    ``Form.reset()`` after a refused entry must empty the widget: the field
    held its default all along, so ``assign`` saw no change to push.
    """
    links = rt.widgets.for_field(ns, name)
    if any(link.rejected is not MISSING for link in links):
        widget_sync.push([link for link in links if link.rejected is not MISSING], value)


def set_fallback(rt: SessionRuntime, cls: StateClass, name: str, value: Any) -> None:
    """Set an already validated value that no user chose (a widget's seed, an option fallback).

    The URL follows, but it is not a user change: no focus, no history
    entry, no widget-order check.
    """
    synced_values(rt, cls)
    assign(rt, cls, name, value, user_change=False, origin="widget")


def correct(rt: SessionRuntime, cls: StateClass, name: str, value: Any) -> None:
    """Replace a value a widget cannot show (``set_fallback``), maybe after it was drawn in this run.

    Elements drawn before showed the old value, so the run ends with one
    redraw (see ``end_run``); a redraw that corrects again asks for no other.
    """
    set_fallback(rt, cls, name, value)
    rt.run.corrected = True


def input_errors(rt: SessionRuntime, cls: StateClass) -> dict[str, str]:
    """``PageState.errors()``: this run's refused widget values of ``cls``, by field; the app shows them."""
    ns = cls.__state_schema__.namespace
    synced_values(rt, cls)
    rt.run.errors_read.add(ns)
    return {name: error.message for name, error in rt.run.input_errors.get(ns, {}).items() if refused(rt, ns, name)}


def focus(rt: SessionRuntime, cls: StateClass) -> None:
    """The class claims the URL in this run (``PageState.focus()``)."""
    synced_values(rt, cls)
    rt.run.focused.add(cls.__state_schema__.namespace)


def _on_report() -> None:
    report = bridge.read_report()
    if report is not None:
        apply_report(current(), report)


def _on_identity() -> None:
    correction = bridge.read_correction()
    if correction is not None:
        adopt_tab(current(), correction)


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
    if run.input_errors:
        report_input_errors(rt)
    if run.corrected and not run.redraw and not stx.is_fragment_run(ctx):
        rt.redraw_requested = stx.request_rerun(ctx)
    with rt.lock:
        if url_unchanged(rt, ctx):
            written = UrlWrite(run.url)
        else:
            written = write_url(rt, ctx, plan(rt, ctx))
        save_unsaved(rt)
        run.flushed = True
        if not stx.is_fragment_run(ctx):
            rt.last_touched = set(run.touched)
            rt.page = stx.page_id(ctx)
    if rt.browser is not None and rt.tab_id is not None:
        recent_tabs.ran(rt.browser, ctx.session_id, rt.tab_id)
    saving.settle(rt)
    if not stx.is_fragment_run(ctx):
        saving.show_notice(rt)
    poll = saving.poll_ms(rt.persistence, time.monotonic())
    mount_bridge(rt, ctx, written, on_report=_on_report, on_identity=_on_identity, poll=poll)


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
