"""Which Streamlit internals this process has: probed once, at import, into one frozen record.

:data:`DETECTED` holds one answer per inventory entry (:mod:`.inventory`),
computed by the pure probes of :mod:`.probes` from the imported Streamlit.
The modules of this package copy the flags they need into module globals
when the record is put to use (:func:`applies`), so a call site branches on
a global, never on ``try``/``except`` around the internal, and a hot path
pays one global lookup. Each internal missing is logged once, at DEBUG when
the inventory says this Streamlit release lacks it, at WARNING when it
should be there (Streamlit moved it); a required one (``run_context``)
makes the import fail with an ImportError naming it.

Tests switch flags off with :func:`forced` to run the fallbacks on the
installed Streamlit.
"""

from __future__ import annotations

import dataclasses
import logging
import textwrap
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Literal

import streamlit

from ..log import log
from . import probes
from .inventory import INVENTORY, Internal


@dataclass(frozen=True)
class Capabilities:
    """One answer per inventory entry: True/False, or the layout found (None: missing)."""

    streamlit_version: str
    run_context: bool
    run_cursors: bool
    session_state_unlocked: bool
    history_navigation: bool
    page_script_hash: bool
    page_url_path: bool
    fragment_runs: bool
    rerun_request: bool
    run_end_hook: bool
    run_start_hook: bool
    widget_id_of_key: Literal["method", "mapper"] | None
    widget_metadata: Literal["method", "private"] | None
    widgets_drawn: Literal["shared", "context", "context_set"] | None
    rerun_mode: Literal["every", "some"] | None
    bound_containers: bool
    range_check: bool
    date_range_check: bool
    options_list: bool
    event_slot: Literal["lock_element", "get_locked_cursor"] | None
    toast_delta: bool
    element_capture: bool
    element_resend: bool
    presenter: bool
    query_params_object: bool
    query_params_dict: bool
    query_param_bindings: Literal["dict", "method"] | None
    page_info_message: bool
    flush_notification: bool
    session_manager: bool
    xsrf_cookie: bool
    app_test_mode: bool
    apptest_script_path: bool
    rerun_widgets: frozenset[str] = frozenset()
    """The input widgets that take ``on_change="rerun"`` (``rerun_mode`` says whether all, some or none)."""

    def missing(self) -> list[Internal]:
        """The inventory entries this record answers as missing."""
        return [entry for entry in INVENTORY if not getattr(self, entry.name)]


def detect() -> Capabilities:
    """Probe the imported Streamlit for every inventory entry."""
    answers = {name: probe() for name, probe in probes.PROBES.items()}
    return Capabilities(
        streamlit_version=streamlit.__version__,
        rerun_widgets=probes.rerun_mode_widgets(),
        **answers,  # type: ignore[arg-type]
    )


DETECTED = detect()
"""What this process's Streamlit has (never changed; :func:`forced` swaps what is used)."""

CURRENT = DETECTED
"""The record the package uses now: :data:`DETECTED`, or a record a test forced."""

_appliers: list[Callable[[Capabilities], None]] = []
_logged: set[str] = set()


def applies(apply: Callable[[Capabilities], None]) -> Callable[[Capabilities], None]:
    """Register ``apply`` (a module's: copy the flags it needs into its globals) and run it on the current record."""
    _appliers.append(apply)
    apply(CURRENT)
    return apply


def use(capabilities: Capabilities) -> None:
    """Put ``capabilities`` to use in every module of the package, and log what it lacks (once per entry)."""
    global CURRENT
    CURRENT = capabilities
    for apply in _appliers:
        apply(capabilities)
    report_missing(capabilities)


@contextmanager
def forced(**answers: object) -> Iterator[Capabilities]:
    """Use the detected record with some answers changed (tests: ``forced(toast_delta=False)``)."""
    before = CURRENT
    use(dataclasses.replace(before, **answers))  # type: ignore[arg-type]
    try:
        yield CURRENT
    finally:
        use(before)


def report_missing(capabilities: Capabilities) -> None:
    """Log one line per missing internal, once per process: DEBUG if this release lacks it, else WARNING."""
    for entry in capabilities.missing():
        if entry.name in _logged or entry.required:
            continue
        _logged.add(entry.name)
        expected = entry.expected(capabilities.streamlit_version)
        level = logging.DEBUG if expected in (False, None) else logging.WARNING
        log.log(
            level,
            "Streamlit %s has no %s (%s); instead: %s",
            capabilities.streamlit_version,
            entry.name,
            entry.what,
            entry.fallback,
        )


def require(capabilities: Capabilities) -> None:
    """Raise ImportError when a required internal is missing: st-page-state cannot work without it."""
    missing = [entry for entry in capabilities.missing() if entry.required]
    if not capabilities.run_cursors and not capabilities.run_start_hook:
        missing += [entry for entry in INVENTORY if entry.name in ("run_cursors", "run_start_hook")]
    if missing:
        names = ", ".join(f"{entry.name} ({entry.what})" for entry in missing)
        raise ImportError(
            f"st-page-state cannot run on Streamlit {capabilities.streamlit_version}: it has no {names}. "
            "See the inventory in st_page_state/_streamlit/."
        )


require(DETECTED)
report_missing(DETECTED)


_COLUMNS = (("internal", 34), ("why no public API serves", 26), ("checked on", 17), ("fallback when missing", 29))


def table(module: str) -> str:
    """The inventory table opening ``module``'s docstring: a grid table (reads as text, renders in Sphinx)."""
    rule = "+" + "+".join("-" * (width + 2) for _, width in _COLUMNS) + "+"
    lines = [rule, *_row(tuple(name for name, _ in _COLUMNS)), rule.replace("-", "=")]
    for entry in INVENTORY:
        if entry.module == module:
            lines += [*_row((f"``{entry.name}``: {entry.what}", entry.why, entry.checked(), entry.fallback)), rule]
    return "\n".join(lines)


def _row(cells: tuple[str, ...]) -> list[str]:
    columns = []
    for cell, (_, width) in zip(cells, _COLUMNS, strict=True):
        lines = textwrap.wrap(cell, width, break_long_words=False, break_on_hyphens=False) or [""]
        too_long = [line for line in lines if len(line) > width]
        if too_long:
            raise ValueError(f"inventory text wider than its column ({width}): {too_long[0]!r}")
        columns.append([line.ljust(width) for line in lines])
    height = max(len(lines) for lines in columns)
    blank = [" " * width for _, width in _COLUMNS]
    return [
        "| " + " | ".join(lines[n] if n < len(lines) else blank[i] for i, lines in enumerate(columns)) + " |"
        for n in range(height)
    ]
