"""Python side of the URL bridge component (frontend/ holds the TypeScript).

Streamlit's backend only learns the browser's query string when a run
happens, and its frontend sends a cached copy, not ``location.search``. The
bridge watches the real address bar in the browser and reports owned params
that differ from what the server expects, tagged with the revision it knew,
so stale reports can be ignored (no rerun race). It also converts
Streamlit's ``pushState`` into ``replaceState`` for "replace"-mode states,
and gives each tab an identity kept in ``sessionStorage``.

It is mounted once per full run, after the script body, with zero height,
into a slot (like ``st.empty``) kept per session. A fragment run that
changes what the bridge must know (it wrote the URL) refills that same slot:
without it the bridge would hold the previous revision, see the fragment's
URL write as a foreign edit and report it, costing a full rerun for nothing.
A session's first URL write waits for the bridge (:func:`holds_first_write`).
"""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path
from typing import Any

import streamlit as st

from . import _streamlit as stx
from .settings import SETTINGS

BRIDGE_KEY = "st_page_state_bridge"
ASSET = Path(__file__).parent / "bridge_assets" / "url_bridge.js"
LOGGER = logging.getLogger("st_page_state")


@cache
def _component() -> Any | None:
    """The registered component, or None when the frontend was not built."""
    if not ASSET.exists():
        LOGGER.warning(
            "st-page-state: the URL bridge is not built (%s is missing); run `npm ci && npm run build`. "
            "URL sync keeps working without it, but edits made in the page by other scripts go unseen "
            "and every URL write adds a history entry.",
            ASSET,
        )
        return None
    js = ASSET.read_text(encoding="utf-8")
    if "\n" not in js.strip():
        js = "// st-page-state url bridge\n" + js
    return st.components.v2.component("st_page_state_url_bridge", html="<span hidden></span>", js=js)


def _on_report() -> None:
    from .session import BridgeReport, runtime

    payload = _bridge_value("report")
    if not isinstance(payload, dict):
        return
    try:
        report = BridgeReport(
            query=str(payload.get("query", "")),
            revision=int(payload.get("revision", -1)),
            cause=str(payload.get("cause", "")),
        )
    except (TypeError, ValueError):
        LOGGER.warning("st-page-state: ignored a malformed bridge report %r", payload)
        return
    runtime().apply_report(report)


def _on_tab_id() -> None:
    from .session import runtime

    tab_id = _bridge_value("tab_id")
    if isinstance(tab_id, str) and 0 < len(tab_id) <= 128:
        runtime().set_tab_id(tab_id)


def _bridge_value(name: str) -> Any:
    try:
        state = st.session_state[BRIDGE_KEY]
    except KeyError:
        return None
    if isinstance(state, dict):
        return state.get(name)
    return getattr(state, name, None)


def holds_first_write(rt: Any) -> bool:
    """Whether the session's first URL write waits for the bridge's handshake.

    Streamlit applies every URL write from the server with
    ``history.pushState``. On a session's first run the bridge's history
    patch is not installed yet, so that push would stay a new entry: the page
    would open with two entries of itself and Back would land on the URL as
    it was loaded instead of leaving. The run that the bridge's tab-id report
    causes right after mounting writes instead, through the patch. That run
    also knows the tab, so its stored state is restored first and the URL
    never flashes default values over it (see ``persistence``).
    """
    if rt.writes or rt.snapshot is not None or rt.tab_id is not None:
        return False
    return SETTINGS.bridge and ASSET.exists() and stx.is_real_server()


def bridge_data(rt: Any, *, expected: str, push_from: str | None) -> dict[str, Any]:
    return {
        "expected": expected,
        "owned": rt.owned_params(),
        "revision": rt.revision,
        "push": {"from": push_from} if push_from is not None else None,
        "tabId": rt.tab_id,
    }


class BridgeMount:
    """Where this session's bridge is mounted and what it was last sent.

    Kept on the session's runtime. The slot is a ``DeltaGenerator`` (not
    picklable, only valid for this connection), so a pickled runtime drops
    it; the next full run mounts a new one.
    """

    def __init__(self) -> None:
        self.slot: Any = None
        self.owned: list[str] = []
        self.data: dict[str, Any] | None = None

    def __getstate__(self) -> dict[str, Any]:
        return {}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__()  # type: ignore[misc]


_MOUNT_ATTR = "bridge_mount"


def _mount_of(rt: Any) -> BridgeMount:
    mount = getattr(rt, _MOUNT_ATTR, None)
    if not isinstance(mount, BridgeMount):
        mount = BridgeMount()
        setattr(rt, _MOUNT_ATTR, mount)
    return mount


def mount_after_run(rt: Any, *, expected: str, push_from: str | None) -> None:
    """Mount the bridge at the end of a full run; refresh it after a fragment run that changed its data."""
    if not SETTINGS.bridge:
        return
    ctx = stx.current_context()
    if ctx is None:
        return
    component = _component()
    if component is None:
        return
    mount = _mount_of(rt)
    data = bridge_data(rt, expected=expected, push_from=push_from)
    if stx.is_fragment_run(ctx):
        if mount.slot is None:
            return
        # A fragment run touches only some states; the others are still on the page.
        data["owned"] = sorted(set(data["owned"]) | set(mount.owned))
        if data == mount.data:
            return
    else:
        mount.slot = stx.reserve_element_slot()
        mount.owned = list(data["owned"])
    with mount.slot:
        component(
            key=BRIDGE_KEY,
            data=data,
            height=0,
            on_report_change=_on_report,
            on_tab_id_change=_on_tab_id,
        )
    mount.data = data
