"""Python side of the URL bridge component (``frontend/`` holds the TypeScript).

Streamlit's backend only learns the browser's query string when a run
happens, and its frontend sends a cached copy, not ``location.search``. The
bridge watches the real address bar in the browser and reports owned params
that differ from what the server expects, tagged with the revision it knew,
so stale reports can be ignored (no rerun race). It converts Streamlit's
``pushState`` into ``replaceState`` for "replace"-mode states, applies a
session's first URL write itself (so it adds no history entry), and keeps
the tab's identity (``sessionStorage``, a cookie on ``pagehide``).

This module builds what the bridge is sent and reads what it answers, as
plain data; the session (``session.py``) decides when to mount it and
applies what it reports. One component, mounted twice, both times in the
page's event container (zero height, no layout gap):

* the *tab* element, once, at the first state access of a session: it
  carries the tab id the server chose, so the browser can check it and keep
  it before the rest of the first run is drawn (a person may reload at once);
* the *URL* element, at the end of every full run, with what the run wrote.
  A fragment run that changes what the bridge must know (it wrote the URL)
  refills that same slot: otherwise the bridge would hold the previous
  revision, see the fragment's URL write as a foreign edit and report it.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import streamlit as st

from . import _streamlit as stx
from .identity import TabCorrection, parse_correction
from .log import log, shown
from .settings import SETTINGS

BRIDGE_KEY = "st_page_state_bridge"
TAB_KEY = "st_page_state_tab"
ASSET = Path(__file__).parent / "bridge_assets" / "url_bridge.js"
COMPONENT = "st-page-state.url_bridge"
"""``<project>.<component>`` as the package's manifest (``st_page_state/pyproject.toml``) declares it."""
INLINE_COMPONENT = "st_page_state_url_bridge"
MAX_REPORTED_QUERY = 64 * 1024
"""Longest query string a report may carry; longer ones are dropped (the engine parses at most 8 KiB per param)."""


@cache
def _component() -> Any | None:
    """The registered component, or None when the frontend was not built."""
    if not ASSET.exists():
        log.warning(
            "the URL bridge is not built (%s is missing); run `npm ci && npm run build`. "
            "URL sync keeps working without it, but edits made in the page by other scripts go unseen, "
            "every URL write adds a history entry and nothing is restored after a reload.",
            ASSET,
        )
        return None
    try:
        # Served as a file: fetched once per page, not sent with every run.
        # No html: the bridge draws nothing, and every run resends the element's fields.
        return st.components.v2.component(COMPONENT, js=ASSET.name)
    except Exception as exc:  # the manifest was not found (not installed): send the code inline
        log.debug("serving the URL bridge inline (%s)", exc)
    js = ASSET.read_text(encoding="utf-8")
    if "\n" not in js.strip():
        js = "// st-page-state url bridge\n" + js
    return st.components.v2.component(INLINE_COMPONENT, js=js)


def available() -> bool:
    """Whether the bridge runs in this app: switched on, built, and served to a real browser."""
    return SETTINGS.bridge and stx.is_real_server() and _component() is not None


# ------------------------------------------------------------------ answers
@dataclass(frozen=True)
class BridgeReport:
    """What the bridge saw in the address bar."""

    query: str
    """The real query string (no ``?``)."""
    revision: int
    """The engine revision the bridge held when it looked; older than the engine's: stale."""
    cause: str
    """Why it looked (``replaceState``, ``pushState``, ``hashchange``, ``mount``, ``data``): for the debug log."""


def _value(key: str, name: str) -> Any:
    try:
        state = st.session_state[key]
    except KeyError:
        return None
    if isinstance(state, dict):
        return state.get(name)
    return getattr(state, name, None)


def read_report() -> BridgeReport | None:
    """The bridge's latest report, validated (see :func:`parse_report`)."""
    return parse_report(_value(BRIDGE_KEY, "report"))


def read_correction() -> TabCorrection | None:
    """The tab identity the browser corrected the server's guess to, from either element."""
    for key in (TAB_KEY, BRIDGE_KEY):
        payload = _value(key, "identity")
        if payload is not None:
            return parse_correction(payload)
    return None


def parse_report(payload: object) -> BridgeReport | None:
    """A report from the browser, validated; a malformed one is dropped with a log line, never raised."""
    if payload is None:
        return None
    if not isinstance(payload, dict):
        log.warning("ignored a malformed URL bridge report %s", shown(payload, 200))
        return None
    query, revision, cause = payload.get("query"), payload.get("revision"), payload.get("cause", "")
    if (
        not isinstance(query, str)
        or len(query) > MAX_REPORTED_QUERY
        or isinstance(revision, bool)
        or not isinstance(revision, (int, float))
        or not math.isfinite(revision)
        or revision != int(revision)
        or not isinstance(cause, str)
    ):
        log.warning("ignored a malformed URL bridge report %s", shown(payload, 200))
        return None
    return BridgeReport(query=query, revision=int(revision), cause=cause[:32])


# ------------------------------------------------------------------- data
def url_data(
    *,
    expected: str,
    owned: list[str],
    revision: int,
    push_from: str | None = None,
    held_from: str | None = None,
    tab: str | None = None,
    poll: int | None = None,
    page: str | None = None,
    switch: bool = False,
) -> dict[str, Any]:
    """What the URL element is sent after a run (see README, "The report protocol"); empty fields left out.

    ``page``: the URL path of the page the run showed ("" for the default
    page; left out when Streamlit does not say), so that the bridge never
    takes one page's data for another's (page switches, Back/Forward to
    another page's entry). ``switch``: the run showed another page than the
    previous run (a page switch). ``poll``: the
    server waits on the store (a read still missing, a change not stored
    yet); the bridge reruns the page after that many milliseconds (its
    ``poll`` trigger) so the page learns the answer without the visitor
    doing anything.
    """
    data: dict[str, Any] = {"expected": expected, "owned": owned, "revision": revision}
    if page is not None:
        data["page"] = page
    if switch:
        data["switch"] = True
    if push_from is not None:
        data["push"] = {"from": push_from}
    if held_from is not None:
        data["held"] = {"from": held_from}
    if tab is not None:
        data["tab"] = tab
    if poll is not None:
        data["poll"] = poll
    return data


def tab_data(tab_id: str, source: str) -> dict[str, Any]:
    """What the tab element is sent: the server's tab id and where it came from."""
    return {"tab": {"id": tab_id, "source": source}}


@dataclass
class BridgeMount:
    """Where a session's URL element is mounted and what it was last sent.

    The slot is a ``DeltaGenerator`` (not picklable, only valid for this
    connection), so a pickled runtime drops it; the next full run mounts a
    new one.
    """

    slot: stx.EventSlot | None = None
    """The reserved element position the URL element is drawn into (None: not mounted)."""
    owned: list[str] = field(default_factory=list)
    """The params the last full run's states own (a fragment run adds its own)."""
    data: dict[str, Any] | None = None
    """What the URL element was last sent (a fragment run resends only when it differs)."""
    element: stx.SentElement | None = None
    """The element Streamlit built for ``data``: sent again as is while ``data`` does not change."""
    page: str | None = None
    """The page whose run registered ``element`` with Streamlit (a component call, not a copy).

    Sent again only on that page: Streamlit keeps per-page bookkeeping of a
    widget (its page, whether a page switch drops its state) that only a
    registration updates, and a copy sent on another page left the
    element's report callback unanswered after a page switch."""

    def __getstate__(self) -> dict[str, Any]:
        return {}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.slot, self.owned, self.data, self.element, self.page = None, [], None, None, None


Callback = Callable[[], None]


def is_tab_element(element: Any) -> bool:
    """Whether an ``Element`` proto is the bridge's tab element (Streamlit ends its id with the key)."""
    return element.WhichOneof("type") == "bidi_component" and str(element.bidi_component.id).endswith(TAB_KEY)


def mount_tab(data: dict[str, Any], *, on_identity: Callback) -> bool:
    """Mount the tab element now (the first state access of a session); whether it was mounted.

    It comes first in the event container, ahead of the run's toasts, so it
    must outlive an interrupted run as they do (:func:`stx.keep_through_interrupts`).
    """
    component = _component() if SETTINGS.bridge else None
    if component is None:
        return False
    stx.keep_through_interrupts(is_tab_element)
    with stx.event_slot().container():
        component(key=TAB_KEY, data=data, height=0, on_identity_change=on_identity)
    return True


def mount_url(
    mount_state: BridgeMount, data: dict[str, Any], *, on_report: Callback, on_identity: Callback
) -> None:
    """Mount the URL element at the end of a full run; refresh it after a fragment run that changed its data."""
    ctx = stx.current_context()
    component = _component() if SETTINGS.bridge and ctx is not None else None
    if ctx is None or component is None:
        return
    if stx.is_fragment_run(ctx):
        if mount_state.slot is None:
            return
        # A fragment run touches only some states; the others are still on the page.
        data = {**data, "owned": sorted(set(data["owned"]) | set(mount_state.owned))}
        if data == mount_state.data:
            return
    else:
        mount_state.slot = stx.event_slot()
        mount_state.owned = list(data["owned"])
    page = stx.page_id(ctx)
    if mount_state.element is not None and mount_state.page == page:
        element = mount_state.element
        if data != mount_state.data:
            element = element.with_json(json.dumps(data, separators=(",", ":")))
        if stx.send_again(ctx, mount_state.slot, element):
            mount_state.element, mount_state.data = element, data
            return

    def call() -> None:
        component(key=BRIDGE_KEY, data=data, height=0, on_report_change=on_report, on_identity_change=on_identity)

    with mount_state.slot.container():
        mount_state.element = stx.capture_element(ctx, call)
    mount_state.data, mount_state.page = data, page
    if mount_state.element is not None:
        stx.present_only_with_triggers(ctx, mount_state.element)
