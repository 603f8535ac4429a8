"""The inspector panel: every state the session used, where each value came from, and the engine's trail.

``st_page_state.inspector()`` draws an ``st.expander`` (it fits the
sidebar). It only reads: it creates no runtime, changes no value, writes no
URL and asks for no rerun. It is drawn when called and drawn again when the
run ends, so it shows the run's final values and URL write wherever it sits
in the script (a sidebar is often filled first).

Text is drawn with ``st.text`` and ``st.dataframe``, which show it as it
is (``st.table`` renders Markdown in its cells, so it is not used); the few
headings that use Markdown are escaped with
:func:`~st_page_state.notify.as_plain_text`. What the rows say is built in
:mod:`st_page_state.inspection`.
"""

from __future__ import annotations

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from . import _streamlit as stx
from . import inspection, session
from .active_store import active_guard
from .notify import as_plain_text
from .runtime import SessionRuntime
from .settings import SETTINGS
from .stores.guard import StoreHealth

_PENDING = "_st_page_state_inspectors"
"""Attribute of the run context: this run's panels, drawn again when the run ends."""


def inspector(*, label: str = "st-page-state inspector", expanded: bool = False) -> None:
    """Draw a panel with every state class this session used, for debugging.

    For each class: every field's value, its URL param, where the value
    came from (default, URL, store, widget, code) and whether it persists.
    Then the session's identity, the store's health, the last URL writes
    and the URL params the engine refused. ``with st.sidebar: inspector()``
    puts it in the sidebar, anywhere in the script: the panel is drawn at
    once and drawn again when the run ends, with the run's final values and
    its URL write.

    Args:
        label: The expander's label.
        expanded: Whether the panel starts open.
    """
    with st.expander(label, expanded=expanded):
        slot = st.empty()
    ctx = stx.current_context()
    _draw_into(slot, ctx)
    if ctx is not None:
        _draw_again_at_run_end(ctx, slot)


def _draw_again_at_run_end(ctx: stx.ScriptRunContext, slot: DeltaGenerator) -> None:
    """Keep ``slot`` on the run context until the run ends (one list per run, dropped then)."""
    marker = stx.run_marker(ctx)
    pending: tuple[object, list[DeltaGenerator]] | None = stx.context_data(ctx).get(_PENDING)
    if pending is None or pending[0] is not marker:
        pending = (marker, [])
        stx.context_data(ctx)[_PENDING] = pending
    pending[1].append(slot)
    stx.install_run_end_hook(ctx, _draw_pending)


def _draw_pending() -> None:
    """The end-of-run hook: end the session's run first (idempotent), then draw this run's panels again."""
    ctx = stx.current_context()
    if ctx is None:
        return
    pending: tuple[object, list[DeltaGenerator]] | None = stx.context_data(ctx).pop(_PENDING, None)
    if pending is None or pending[0] is not stx.run_marker(ctx):
        return
    rt = _runtime(ctx)
    if rt is not None and rt.marker is pending[0]:
        session.end_run(rt)  # the run's URL write and save happen now, not after the panel
    for slot in pending[1]:
        _draw_into(slot, ctx)


def _draw_into(slot: DeltaGenerator, ctx: stx.ScriptRunContext | None) -> None:
    rt = _runtime(ctx) if ctx is not None else None
    persisting = SETTINGS.store is not False
    health = _store_health() if persisting else None
    tables: list[inspection.StateTable] = []
    writes: list[inspection.Row] = []
    rejected: list[inspection.Row] = []
    if rt is not None:
        with rt.lock:  # a fragment of the same session may change the runtime meanwhile
            tables = inspection.state_tables(rt, lambda ns: session.class_for(rt, ns), persisting=persisting)
            writes = inspection.write_rows(rt.url_writes)
            rejected = inspection.rejection_rows(rt.rejected)
    with slot.container():
        _draw(rt, tables, writes, rejected, persisting, health)


def _draw(
    rt: SessionRuntime | None,
    tables: list[inspection.StateTable],
    writes: list[inspection.Row],
    rejected: list[inspection.Row],
    persisting: bool,
    health: StoreHealth | None,
) -> None:
    st.text("\n".join(inspection.session_lines(rt, persisting=persisting, health=health)))
    if not tables:
        st.text("No state used yet.")
    for table in tables:
        _heading(table.title)
        st.dataframe(table.rows, hide_index=True)
    _heading("Last URL writes")
    if writes:
        st.dataframe(writes, hide_index=True)
    else:
        st.text("None yet.")
    _heading("Refused URL params")
    if rejected:
        st.dataframe(rejected, hide_index=True)
    else:
        st.text("None.")


def _heading(text: str) -> None:
    st.markdown(f"**{as_plain_text(text)}**")


def _runtime(ctx: stx.ScriptRunContext) -> SessionRuntime | None:
    """The session's runtime, or None before any state was used (the panel never creates one)."""
    try:
        rt = ctx.session_state[session.RUNTIME_KEY]
    except (KeyError, AttributeError):
        return None
    return rt if isinstance(rt, SessionRuntime) else None


def _store_health() -> StoreHealth | None:
    guard = active_guard()
    return guard.health() if guard is not None else None
