"""The URL of a run: what the address bar holds as it begins, and the one write at its end.

The rules are :mod:`..url`'s pure functions; this module feeds them what
the run saw, writes the planned query through Streamlit at most once, and
tells the URL bridge what was written (and the browser's reports back).
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import NamedTuple

from .. import _streamlit as stx
from .. import bridge, registry, run_values, trace
from ..log import debugging, log, shorten
from ..query import Query
from ..runtime import RunRecord, SessionRuntime
from ..schema import StateSchema
from ..url import TouchedState, apply_wishes, desired_params, echoed_write, plan_query
from .changes import class_for

Callback = bridge.Callback


class UrlWrite(NamedTuple):
    """What a run's end wrote: what the URL holds, and what the bridge and the browser must be told."""

    final: Query
    push_from: str | None = None
    """Where a push-mode write comes from (the bridge adds its history entry)."""
    held_from: str | None = None
    """The query the bridge replaces when it applies the session's first write itself."""
    message: str | None = None
    """The query string to send the browser (Streamlit's ``page_info_changed``), after the bridge's data."""


def url_of_run(
    rt: SessionRuntime, previous: RunRecord, received: Query, navigation: bool, *, same_page: bool
) -> tuple[Query, bool]:
    """What the address bar holds as this run begins, and whether a page switch only carried it over.

    Streamlit gives a run the query string its frontend last set, or the one
    a server-side ``st.rerun()`` started from: both can be older than what
    the engine wrote at the end of the previous run. The same query string
    as the previous run received (outside Back/Forward) is not news from the
    browser: the previous run's write stands. Nor is an echo of a recent
    write (:func:`url.echoed_write`): a click sent while the engine's last
    writes were still on their way carries the frontend's older copy, and
    adopting it would undo the clicks in between. On a page switch, such a
    URL is the previous page's, carried over (:func:`carried_over`).
    """
    if rt.snapshot is None or navigation:
        rt.echo_floor = rt.writes + 1  # after Back/Forward, only later writes can come back
        rt.held_over = None  # Streamlit's frontend took the history entry's query
        return received, not same_page and not navigation and carried_over(rt, received)
    if (previous.flushed and received == previous.received) or received == rt.held_over:
        return rt.snapshot, not same_page
    if not same_page:
        carried = carried_over(rt, received)
        rt.echo_floor = rt.writes + 1
        return (rt.snapshot, True) if carried else (received, False)
    echoed = echoed_write(rt.written, received, rt.echo_floor)
    if echoed is None:
        rt.echo_floor = rt.writes + 1  # news: the browser's copy is past every write so far
        return received, False
    rt.echo_floor = echoed
    return rt.snapshot, False


def carried_over(rt: SessionRuntime, received: Query) -> bool:
    """Whether a page switch brought only the session's own URL.

    Streamlit's page navigation keeps the query string its frontend holds:
    the engine's last write (or one of the writes just before it, still on
    its way), or, before any write went through Streamlit, the URL the page
    loaded with. None of that is a link to the new page: its params are the
    previous page's. A link (``st.page_link(..., query_params=...)``, a
    pasted URL) brings a query of its own.
    """
    if rt.snapshot is not None and (received == rt.snapshot or echoed_write(rt.written, received, 0) is not None):
        return True
    return rt.writes == 0 and rt.loaded_url is not None and received == Query.parse(rt.loaded_url)


def _shared_namespaces(rt: SessionRuntime, namespaces: Iterable[str]) -> set[str]:
    """The namespaces ``namespaces`` share the URL with (``share_url_with``), themselves included."""
    shared = set(namespaces)
    for ns in namespaces:
        cls = class_for(rt, ns)
        for ref in cls.__state_schema__.config.share_url_with if cls is not None else ():
            shared.update(registry.resolve(ref))
    return shared


def _params_of(namespaces: Iterable[str]) -> set[str]:
    return set().union(*(registry.params_of(ns) for ns in namespaces))


def carried_foreign_params(rt: SessionRuntime, schema: StateSchema) -> set[str]:
    """The params of ``schema`` that the URL carried over holds for another state (the previous page's).

    Another class wrote them (the same ``url_key``); a class shared with
    (either way) or the same class is not another state.
    """
    own = _shared_namespaces(rt, [schema.namespace])
    others = [ns for ns in rt.run.previous_page - own if schema.namespace not in _shared_namespaces(rt, [ns])]
    return set(schema.params) & _params_of(others)


def _left_behind(rt: SessionRuntime) -> set[str]:
    """In a run the URL was carried into: the previous page's params that no state of this page owns or shares."""
    here = _shared_namespaces(rt, rt.run.touched)
    return _params_of(rt.run.previous_page - here) - _params_of(here)


def apply_report(rt: SessionRuntime, report: bridge.BridgeReport) -> bool:
    """Take the browser's real query string (from the bridge) as this run's URL.

    Reports older than the engine's current revision describe a URL the
    engine has already replaced: ignoring them is what prevents a rerun
    race between the browser and the server. A report the bridge made
    after ``popstate`` is Back/Forward, adopted as such (no history entry of
    its own, an absent param means its default): Streamlit before 1.65
    answers Back with a run on the latest URL it wrote, not the entry's.
    """
    if report.revision < rt.revision:
        log.debug("dropped a stale bridge report (revision %s < %s)", report.revision, rt.revision)
        return False
    url = Query.parse(report.query)
    if url == rt.run.url:
        log.debug("dropped a bridge report (%s): the run already has that URL", shorten(report.cause))
        return False
    if report.cause == "mount" and _lagging(rt, url):
        log.debug("dropped a bridge report (mount): the address bar still shows a URL from before the last write")
        return False
    log.debug("the address bar differs (%s): adopting %s", shorten(report.cause), shorten(url.encode()))
    if report.cause == "popstate":  # Back/Forward that Streamlit before 1.65 reran with its own, latest copy
        rt.run.history_navigation = True
        rt.echo_floor = rt.writes + 1
    rt.run.url = url
    rt.run.edited_outside = True
    rt.run.synced.clear()
    run_values.forget_this_thread()  # every class syncs again with the new URL on its next read
    return True


def _lagging(rt: SessionRuntime, url: Query) -> bool:
    """Whether ``url`` is one the address bar showed earlier in this session (loaded, received or written).

    A URL element that mounts for the first time after the session already
    wrote (its first run was cut short, or its element did not reach the
    page) finds the address bar behind: that is no edit, and the write on
    its way corrects it. An edit made before the bridge loaded is a URL the
    session never had.
    """
    if url == rt.snapshot:
        return False
    shown = [*rt.persistence.recent_urls, rt.loaded_url or ""]
    return any(url == Query.parse(text) for text in shown)


def url_unchanged(rt: SessionRuntime, ctx: stx.ScriptRunContext) -> bool:
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
        and not run.carried
        and rt.snapshot_states.issuperset(run.touched)
        and stx.read_query(ctx, run.received) == snapshot
    )


def plan(rt: SessionRuntime, ctx: stx.ScriptRunContext) -> Query:
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
    """The plan when only values changed: the last written URL with the changed params planned again.

    The same result as a full plan (every class used was planned into
    ``snapshot``, no focus drops params, nothing was edited outside), for
    the cost of the changes instead of every param.
    """
    run = rt.run
    final = Query(snapshot)  # lists are replaced, never changed in place
    for ns in run.assigned.keys() | run.repairs.keys():
        cls = class_for(rt, ns)
        if cls is None:
            continue
        schema = cls.__state_schema__
        repairs = run.repairs.get(ns, set())
        state = TouchedState(schema, rt.values[ns], run.changed.get(ns, set()), repairs)
        fields = [schema.fields[n] for n in run.assigned.get(ns, ())] + [schema.params[p] for p in repairs]
        apply_wishes(final, *desired_params(state, snapshot, only=fields), bound=bound)
    return final


def _surviving_params(rt: SessionRuntime, ctx: stx.ScriptRunContext) -> set[str] | None:
    """The params that survive this run (None: all of them).

    A state that focuses the URL keeps only its own params and those of the
    states it shares with; a page switch leaves the previous page's params
    behind (README, "Multipage apps").
    """
    run = rt.run
    keep: set[str] | None = None
    if run.focused:
        keep = _params_of(_shared_namespaces(rt, run.focused))
        if stx.is_fragment_run(ctx):
            # A fragment run only re-executes the fragment: the states the last
            # full run used are still on the page and keep their params.
            keep |= _params_of(rt.last_touched)
    if run.carried:
        left = _left_behind(rt)
        if left:
            keep = (set(run.url) if keep is None else keep) - left
    return keep


def write_url(rt: SessionRuntime, ctx: stx.ScriptRunContext, final: Query) -> UrlWrite:
    """Write ``final`` if the URL differs (the browser is told in step 10, after the bridge)."""
    run = rt.run
    previous = run.url
    push_from: str | None = None
    held_from: str | None = None
    message: str | None = None
    written: trace.WriteKind | None = None
    text = final.encode()
    if rt.snapshot is None:  # the session's first URL: the bridge's script is on its way
        rt.held_until = time.monotonic() + BRIDGE_LOAD_S
    if _write_held(rt):
        address = run.received if run.carried else previous  # what the address bar shows now
        if final != address:
            held_from = address.encode()
            rt.held_over = run.received
            rt.revision += 1
            written = "held"
            if debugging():
                log.debug("the bridge applies the URL write (revision %s): %s", rt.revision, text)
    elif final != stx.read_query(ctx, run.received) or final != previous:
        message = stx.write_query(ctx, final, text)
        rt.held_over = None
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


BRIDGE_LOAD_S = 3.0
"""How long after a session's first write its writes stay held while none went through Streamlit: the
bridge's script loads after the first run, and a change made before it did would add a history entry."""


def _write_held(rt: SessionRuntime) -> bool:
    """Whether this run's URL write is left to the bridge (a session's first ones, a new page's first).

    Streamlit applies every URL write from the server with
    ``history.pushState``. Until the bridge's script has loaded (the first
    run mounts it; a person may click before the browser fetched it) its
    history patch is not there to make that push a replace, so it would
    stay a new entry: the page would open with two entries of itself. The
    session's writes are held for the bridge for :data:`BRIDGE_LOAD_S`
    after its first (a user change in push mode excepted). After a page switch,
    Streamlit pushes the new page's path itself, and a write through
    Streamlit could land before that push, on the previous page's entry.
    The bridge instead replaces the address bar with the run's URL itself
    (``held``), on the right entry, with no extra run. Streamlit's frontend
    keeps the query string it had and sends it with the next run, which
    ``url_of_run`` recognises; that run's write through Streamlit then finds
    the address bar already equal.
    """
    if not bridge.available():
        return False
    if rt.writes == 0 and (rt.snapshot is None or time.monotonic() < rt.held_until) and not _push_wanted(rt):
        return True
    return rt.run.page_changed and not rt.run.history_navigation


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


def mount_bridge(
    rt: SessionRuntime,
    ctx: stx.ScriptRunContext,
    written: UrlWrite,
    *,
    on_report: Callback,
    on_identity: Callback,
    poll: int | None = None,
) -> None:
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
        held_from=_held_from(rt, written),
        tab=rt.tab_id if rt.tab_corrected else None,
        poll=poll,
        page=stx.page_url_path(ctx),
        switch=_switched(rt, ctx),
    )
    with stx.delivered(ctx, wait=written.message is not None):
        try:
            bridge.mount_url(rt.bridge, data, on_report=on_report, on_identity=on_identity)
        except Exception:
            # The URL is already written; a bridge that cannot mount only costs
            # browser-side edit detection, never the app.
            log.warning("the URL bridge could not be mounted", exc_info=True)
        if written.message is not None:
            stx.send_query_string(ctx, written.message)


def _switched(rt: SessionRuntime, ctx: stx.ScriptRunContext) -> bool:
    """The run showed another page than the previous one, by a page switch (not Back/Forward)."""
    return rt.run.page_changed and not rt.run.history_navigation and not stx.is_fragment_run(ctx)


def _held_from(rt: SessionRuntime, written: UrlWrite) -> str | None:
    """What the bridge replaces with the expected URL: this run's held write's, or an earlier one's.

    While writes are held (Streamlit's frontend still holds ``held_over``),
    every run tells the bridge: its script may have missed the data of the
    run that held the write (it loaded later, or Streamlit drew only the
    next run's data), and the address bar would still show that query.
    """
    if written.held_from is not None:
        return written.held_from
    return rt.held_over.encode() if rt.held_over is not None else None


def _owned_params(rt: SessionRuntime) -> list[str]:
    """The params of the classes this run used, sorted (cached: runs mostly use the same classes)."""
    touched = frozenset(rt.run.touched)
    if rt.owned[0] != touched or not touched:
        rt.owned = (touched, sorted(set().union(*(registry.params_of(ns) for ns in touched))))
    return rt.owned[1]


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
