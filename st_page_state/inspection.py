"""What the inspector panel shows, as rows of plain text built from a session's runtime.

No Streamlit here: the panel (``panel.py``) draws these rows with elements
that never interpret Markdown or HTML. Every value is turned into text
and cut here (:func:`~st_page_state.log.shown`), whether it came from code,
the URL or the store, so nothing long or hostile reaches the page.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from .identity import TAB_PREFIX
from .log import shorten, shown
from .runtime import SessionRuntime
from .schema import StateClass
from .stores.guard import StoreHealth
from .trace import Origin, RejectedParam, UrlWrite

Row = dict[str, str]

MAX_VALUE_SHOWN = 80
"""Characters of a field's value shown in the panel."""
TAB_ID_SHOWN = 8
"""Characters of the tab id shown (enough to tell tabs apart)."""

ORIGIN_LABELS: dict[Origin, str] = {
    "default": "default",
    "url": "URL",
    "store": "store",
    "widget": "widget",
    "code": "code",
}
TAB_SOURCES: dict[str, str] = {
    "cookie": "cookie: a reload of this tab",
    "recent": "recent: a reload before the bridge had loaded",
    "minted": "minted: a new tab",
    "bridge": "bridge: the browser corrected it",
    "test": "test: testing.set_tab_id",
}


@dataclass(frozen=True)
class StateTable:
    """One state class the session used, and a row per field."""

    title: str
    """The class name and its namespace."""
    rows: list[Row]


def clock(at: float) -> str:
    """Local wall-clock time of day, to the second."""
    return time.strftime("%H:%M:%S", time.localtime(at))


def state_tables(
    rt: SessionRuntime, class_for: Callable[[str], StateClass | None], *, persisting: bool
) -> list[StateTable]:
    """A table per class the session used, in order of first use."""
    tables = []
    for ns, values in rt.values.items():
        cls = class_for(ns)
        origins = rt.origins.get(ns, {})
        if cls is None:  # the class is gone (a page's module was edited away): show the bare values
            rows = [_row(name, value, None, origins.get(name), "?") for name, value in values.items()]
            tables.append(StateTable(shorten(ns), rows))
            continue
        schema = cls.__state_schema__
        rows = [
            _row(name, values[name], f.param, origins.get(name), _persists(f.persist, persisting))
            for name, f in schema.fields.items()
            if name in values
        ]
        tables.append(StateTable(shorten(f"{schema.name} ({ns})"), rows))
    return tables


def _row(name: str, value: Any, param: str | None, origin: Origin | None, persists: str) -> Row:
    return {
        "field": name,
        "value": shown(value, MAX_VALUE_SHOWN),
        "from": ORIGIN_LABELS[origin or "default"],
        "URL param": param if param is not None else "— (session only)",
        "persists": persists,
    }


def _persists(field_persists: bool, persisting: bool) -> str:
    if not persisting:
        return "no (persistence off)"
    return "yes" if field_persists else "no"


def session_lines(rt: SessionRuntime | None, *, persisting: bool, health: StoreHealth | None) -> list[str]:
    """The session's identity, the store's health and the URL's revision, one line each."""
    identity = rt.persistence.identity if rt is not None else None
    lines = [f"identity: {_identity(rt, identity, persisting=persisting)}"]
    if identity is not None and not identity.startswith(TAB_PREFIX) and rt is not None and rt.tab_id is not None:
        lines.append(f"tab: {_tab(rt.tab_id, rt.tab_source)}")
    lines.append(f"store: {_store(health, persisting=persisting)}")
    lines.append(f"URL: revision {rt.revision if rt else 0}, {rt.writes if rt else 0} writes")
    return lines


def _identity(rt: SessionRuntime | None, identity: str | None, *, persisting: bool) -> str:
    tab = rt.tab_id if rt is not None else None
    if identity is not None and not identity.startswith(TAB_PREFIX):
        return f"{shorten(identity, 60)} (identity callable)"
    if tab is not None:
        return _tab(tab, rt.tab_source if rt is not None else None)
    if not persisting:
        return "none (persistence off, no URL bridge)"
    return "not known yet (no tab id, no user): nothing is stored or restored"


def _tab(tab_id: str, source: str | None) -> str:
    tab = tab_id if len(tab_id) <= TAB_ID_SHOWN else f"{tab_id[:TAB_ID_SHOWN]}…"
    return f"tab {shorten(tab)} ({TAB_SOURCES.get(source or '', str(source))})"


def _store(health: StoreHealth | None, *, persisting: bool) -> str:
    if not persisting or health is None:
        return "none (configure(store=False)): state lives in the session only"
    if health.healthy:
        return f"{health.store}, healthy since {clock(health.since)}"
    failing = f"{health.store}, FAILING since {clock(health.since)} ({health.failures} failed calls)"
    return f"{failing}; last error: {health.last_error or 'unknown'}"


def write_rows(writes: Iterable[UrlWrite]) -> list[Row]:
    """The last URL writes, newest first."""
    return [
        {
            "revision": str(w.revision),
            "at": clock(w.at),
            "how": w.kind,
            "changed": ", ".join(w.changed) or "—",
            "query": w.query or "(empty)",
        }
        for w in reversed(list(writes))
    ]


def rejection_rows(rejected: Iterable[RejectedParam]) -> list[Row]:
    """The last refused URL params, newest first."""
    return [
        {"at": clock(r.at), "param": r.param, "value": r.value, "reason": r.reason, "state": r.state}
        for r in reversed(list(rejected))
    ]
