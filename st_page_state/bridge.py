"""Python side of the URL bridge component (``frontend/`` holds the TypeScript).

Streamlit's backend only learns the browser's query string when a run
happens, and its frontend sends a cached copy, not ``location.search``. The
bridge watches the real address bar in the browser and reports owned params
that differ from what the server expects, tagged with the revision it knew,
so stale reports can be ignored (no rerun race). It also converts
Streamlit's ``pushState`` into ``replaceState`` for "replace"-mode states,
and gives each tab an identity kept in ``sessionStorage``.

This module only builds what the bridge is sent and reads what it answers,
as plain data; the session (``session.py``) decides when to mount it and
applies what it reports. The bridge is mounted once per full run, after the
script body, with zero height, into a slot (like ``st.empty``) kept in
:class:`BridgeMount`. A fragment run that changes what the bridge must know
(it wrote the URL) refills that same slot: otherwise the bridge would hold
the previous revision, see the fragment's URL write as a foreign edit and
report it, costing a full rerun for nothing.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import streamlit as st

from . import _streamlit as stx
from .log import log, shown
from .settings import SETTINGS

BRIDGE_KEY = "st_page_state_bridge"
ASSET = Path(__file__).parent / "bridge_assets" / "url_bridge.js"
MAX_REPORTED_QUERY = 64 * 1024
"""Longest query string a report may carry; longer ones are dropped (the engine parses at most 8 KiB per param)."""
MAX_TAB_ID = 128


@cache
def _component() -> Any | None:
    """The registered component, or None when the frontend was not built."""
    if not ASSET.exists():
        log.warning(
            "the URL bridge is not built (%s is missing); run `npm ci && npm run build`. "
            "URL sync keeps working without it, but edits made in the page by other scripts go unseen "
            "and every URL write adds a history entry.",
            ASSET,
        )
        return None
    js = ASSET.read_text(encoding="utf-8")
    if "\n" not in js.strip():
        js = "// st-page-state url bridge\n" + js
    return st.components.v2.component("st_page_state_url_bridge", html="<span hidden></span>", js=js)


def available() -> bool:
    """Whether the bridge runs in this app: switched on, built, and served by a real browser session."""
    return SETTINGS.bridge and ASSET.exists() and stx.is_real_server()


@dataclass(frozen=True)
class BridgeReport:
    """What the bridge saw in the address bar."""

    query: str
    """The real query string (no ``?``)."""
    revision: int
    """The engine revision the bridge held when it looked; older than the engine's: stale."""
    cause: str
    """Why it looked (``replaceState``, ``pushState``, ``hashchange``, ``mount``, ``data``): for the debug log."""


def _value(name: str) -> Any:
    try:
        state = st.session_state[BRIDGE_KEY]
    except KeyError:
        return None
    if isinstance(state, dict):
        return state.get(name)
    return getattr(state, name, None)


def read_report() -> BridgeReport | None:
    """The bridge's latest report, validated (see :func:`parse_report`)."""
    return parse_report(_value("report"))


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


def read_tab_id() -> str | None:
    """The tab id the bridge reported, if it is one."""
    tab_id = _value("tab_id")
    if isinstance(tab_id, str) and 0 < len(tab_id) <= MAX_TAB_ID:
        return tab_id
    return None


def bridge_data(
    *, expected: str, owned: list[str], revision: int, push_from: str | None, tab_id: str | None
) -> dict[str, Any]:
    """What the bridge is sent on a run (see README, "The report protocol")."""
    return {
        "expected": expected,
        "owned": owned,
        "revision": revision,
        "push": {"from": push_from} if push_from is not None else None,
        "tabId": tab_id,
    }


@dataclass
class BridgeMount:
    """Where a session's bridge is mounted and what it was last sent.

    The slot is a ``DeltaGenerator`` (not picklable, only valid for this
    connection), so a pickled runtime drops it; the next full run mounts a
    new one.
    """

    slot: Any = None
    """The reserved element position the bridge is drawn into (None: not mounted)."""
    owned: list[str] = field(default_factory=list)
    """The params the last full run's states own (a fragment run adds its own)."""
    data: dict[str, Any] | None = None
    """What the bridge was last sent (a fragment run resends only when it differs)."""

    def __getstate__(self) -> dict[str, Any]:
        return {}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.slot, self.owned, self.data = None, [], None


def mount(
    mount_state: BridgeMount,
    data: dict[str, Any],
    *,
    on_report: Callable[[], None],
    on_tab_id: Callable[[], None],
) -> None:
    """Mount the bridge at the end of a full run; refresh it after a fragment run that changed its data."""
    ctx = stx.current_context()
    if not SETTINGS.bridge or ctx is None:
        return
    component = _component()
    if component is None:
        return
    if stx.is_fragment_run(ctx):
        if mount_state.slot is None:
            return
        # A fragment run touches only some states; the others are still on the page.
        data = {**data, "owned": sorted(set(data["owned"]) | set(mount_state.owned))}
        if data == mount_state.data:
            return
    else:
        mount_state.slot = stx.reserve_element_slot()
        mount_state.owned = list(data["owned"])
    with mount_state.slot:
        component(key=BRIDGE_KEY, data=data, height=0, on_report_change=on_report, on_tab_id_change=on_tab_id)
    mount_state.data = data
