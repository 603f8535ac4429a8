"""Tab identity: whose state the session holds, found in its first run and corrected by the browser.

A session learns its tab before anything is drawn (see :mod:`..identity`
for the sources: the reconnecting socket, the reload cookie, this
browser's page that just went away, or a new id), hands it to the browser
at once (the tab element), loads the identity's stored state, and takes
the browser's correction when the guess was wrong (a duplicated tab, a
cookie another tab left).
"""

from __future__ import annotations

from .. import _streamlit as stx
from .. import bridge, persistence
from ..active_store import active_guard
from ..identity import (
    TAB_PREFIX,
    USER_PREFIX,
    TabCorrection,
    held_urls_from_cookies,
    mint_tab_id,
    store_identity,
    tab_from_cookies,
    tab_from_protocols,
)
from ..log import debugging, log, shorten
from ..persistence import Fetched
from ..query import Query
from ..recent_tabs import recent_tabs
from ..runtime import RunRecord, SessionRuntime
from ..schema import StateSchema
from ..settings import SETTINGS
from ..stores.guard import StoreGuard
from .changes import class_for
from .saving import confirm
from .store_io import apply_restore, batch, fetch, read_later

Callback = bridge.Callback


def find_tab(rt: SessionRuntime, ctx: stx.ScriptRunContext) -> None:
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
    cookies = stx.cookies()
    cookie = tab_from_cookies(cookies) if socket is None else None
    rt.browser = stx.browser_key()
    recent = _recent_tab(rt.browser, ctx) if socket is None and cookie is None else None
    if socket is not None:
        rt.tab_id, rt.tab_source = socket, "socket"
    elif cookie is not None:
        rt.tab_id, rt.tab_source = cookie, "cookie"
        rt.persistence.own_urls = held_urls_from_cookies(cookies)
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


def announce_tab(rt: SessionRuntime, ctx: stx.ScriptRunContext, previous: RunRecord, on_identity: Callback) -> None:
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
        bridge.mount_tab(bridge.tab_data(rt.tab_id, rt.tab_source), on_identity=on_identity)
    except Exception:
        log.warning("the URL bridge's tab element could not be mounted", exc_info=True)


def follow_identity(rt: SessionRuntime) -> None:
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
    _forget_stored(rt, identity)
    if identity is not None and identity.startswith(USER_PREFIX):
        confirm(rt)  # a logged-in person
    guard = active_guard() if identity is not None else None
    for ns in list(rt.values):
        cls = class_for(rt, ns)
        if cls is None:
            continue
        schema = cls.__state_schema__
        if first and not persistence.persisted_fields(schema):
            continue
        fetched = fetch(guard, identity, schema)
        restore = persistence.on_identity_change(
            schema, fetched, rt.values[ns], rt.run.url, protected=rt.run.changed.get(ns, set()), keep_url=first
        )
        apply_restore(rt, cls, restore, as_changes=True, record_baseline=guard is not None)
        if fetched.failed and guard is not None and identity is not None:
            read_later(rt, guard, identity, ns)


def _forget_stored(rt: SessionRuntime, identity: str | None) -> None:
    """The session holds another identity's state from now on: nothing known of the previous one's store applies."""
    state = rt.persistence
    state.identity = identity
    state.saved.clear()
    state.pending.clear()
    state.unread.clear()
    state.provisional.clear()
    state.over_url.clear()


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
    over_url = dict(state.over_url)
    _forget_stored(rt, identity)
    state.own_urls = None  # the corrected tab's own URL is the one the page loaded with
    state.recent_urls.clear()  # what the address bar showed came from the wrong guess
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
                schema,
                fetched,
                rt.values[ns],
                loaded,
                edited=rt.edited.get(ns, set()),
                over_url=over_url.get(ns, frozenset()),
            )
            apply_restore(rt, cls, restore, as_changes=True, record_baseline=own)
            rt.unsaved.add(ns)
            if fetched.failed and guard is not None and own:
                read_later(rt, guard, identity, ns)


def _fetch_corrected(guard: StoreGuard | None, correction: TabCorrection, schema: StateSchema) -> tuple[Fetched, bool]:
    """The state a corrected tab starts from, and whether it is the tab's own document."""
    if correction.copy_from is None or correction.recover:
        own = fetch(guard, f"{TAB_PREFIX}{correction.tab}", schema)
        if correction.copy_from is None or own.values or not own.clean:
            return own, True
    return fetch(guard, f"{TAB_PREFIX}{correction.copy_from}", schema), False


def set_tab_id(rt: SessionRuntime, tab_id: str) -> None:
    """Give the session a tab identity from a test (``testing.set_tab_id``); inside a run, load its state."""
    rt.tab_id, rt.tab_source = tab_id, "test"
    if stx.current_context() is not None:
        follow_identity(rt)
