"""Helpers for testing apps that use st-page-state with Streamlit's ``AppTest``.

In a browser, the URL bridge gives every tab an identity (kept in
``sessionStorage``) and a reload of the tab finds the tab's stored state.
``AppTest`` has no browser, hence no tab identity and no persistence, until
a test gives it one::

    from streamlit.testing.v1 import AppTest
    from st_page_state import testing

    at = testing.set_tab_id(AppTest.from_file("app.py"), "tab-1").run()
    at.selectbox[0].select("active").run()

    again = testing.reload(at).run()                    # same tab, same URL
    again = testing.reload(at, query={}).run()          # same tab, params deleted
    other = testing.set_tab_id(AppTest.from_file("app.py"), "tab-2").run()  # a new tab

Settings made with :func:`st_page_state.configure` are process-wide; wrap a
test in :func:`configured` to change them for that test only (for example
to give it a fresh store).
"""

from __future__ import annotations

import copy
import logging
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import fields
from pathlib import Path
from typing import Any

from streamlit.testing.v1 import AppTest

from . import _streamlit as stx
from . import session
from .active_store import active_guard
from .log import LOGGER_NAME, set_debug
from .notify import WORD_JOINER
from .runtime import SessionRuntime
from .settings import SETTINGS, configure
from .stores.behind import writer_for

__all__ = ["configured", "reload", "runtime_of", "set_tab_id", "tab_id", "toast_texts", "wait_for_store"]


def runtime_of(at: AppTest) -> SessionRuntime | None:
    """The st-page-state runtime of an AppTest's session (None before anything used a state)."""
    try:
        rt = at.session_state[session.RUNTIME_KEY]
    except KeyError:
        return None
    return rt if isinstance(rt, SessionRuntime) else None


def toast_texts(at: AppTest) -> list[str]:
    """The toasts of the last run as the visitor reads them.

    st-page-state shows outside text (a rejected URL value) as plain text,
    so its toasts are Markdown with every punctuation character escaped,
    and an invisible word joiner (U+2060) where a bare link would start;
    this undoes both, which is what the browser displays.
    """
    return [re.sub(r"\\(.)", r"\1", str(toast.value)).replace(WORD_JOINER, "") for toast in at.toast]


def set_tab_id(at: AppTest, tab_id: str) -> AppTest:
    """Give the AppTest's session the tab identity the browser bridge would report.

    Before the first run, the session starts as a tab whose identity is
    already known (as after the bridge's handshake): its stored state is
    restored in that first run. After runs, it acts like the bridge
    reporting the tab late: the next run loads the tab's stored state.
    Returns ``at`` so calls chain.
    """
    if not isinstance(tab_id, str) or not 0 < len(tab_id) <= 128:
        raise ValueError("tab_id must be a non-empty string of at most 128 characters")
    rt = runtime_of(at)
    if rt is None:
        rt = SessionRuntime()
        at.session_state[session.RUNTIME_KEY] = rt
    session.set_tab_id(rt, tab_id)
    return at


def tab_id(at: AppTest) -> str | None:
    """The tab identity of the AppTest's session, if it has one."""
    rt = runtime_of(at)
    return rt.tab_id if rt is not None else None


_CARRIED_OVER = ("user", "context")
"""AppTest attributes a reload keeps that only newer Streamlits have (1.67 added both)."""


def reload(at: AppTest, *, query: Mapping[str, str | list[str]] | None = None) -> AppTest:
    """A new AppTest that is ``at``'s browser tab after a reload (not run yet).

    A reload starts a new Streamlit session for the same script, the same
    tab identity and, unless ``query`` gives the URL the person reloaded
    with (``{}`` for one without params), the URL the app last wrote. The
    logged-in user, secrets and context carry over, as in a browser (user
    and context where the installed Streamlit's AppTest has them).

    A browser tab always has an identity; an AppTest has one only when
    :func:`set_tab_id` gave it one (or ``configure(identity=...)`` names
    whose state it is). Without either, a reload would be a new tab that
    finds nothing stored, which is never what a test of a reload means:
    ``ValueError`` says what to add.
    """
    script = stx.apptest_script_path(at)
    rt = runtime_of(at)
    if rt is not None and rt.tab_id is None and rt.persistence.identity is None:
        raise ValueError(
            "reload() of an AppTest without a tab identity: the reloaded session would be a new tab, "
            "with nothing restored. Give the AppTest its tab before its first run: "
            "testing.set_tab_id(AppTest.from_file(...), 'tab-1') (or configure(identity=...) for "
            "state kept per user)."
        )
    # Absolute: AppTest resolves a relative path against the calling file, which is this one.
    fresh = AppTest.from_file(Path(script).resolve(), default_timeout=at.default_timeout)
    source = at.query_params if query is None else query
    for key, value in source.items():
        fresh.query_params[key] = list(value) if isinstance(value, (list, tuple)) else value
    fresh.secrets = copy.deepcopy(at.secrets)
    for name in _CARRIED_OVER:
        if hasattr(at, name):
            setattr(fresh, name, copy.deepcopy(getattr(at, name)))
    current = tab_id(at)
    if current is not None:
        set_tab_id(fresh, current)
    return fresh


def wait_for_store(timeout: float = 5.0) -> bool:
    """Wait until the configured store has nothing left to do in the background; whether it got there.

    SQLite and Redis writes are handed to a writer thread, and a store read
    that failed is retried there (README, "When the store is slow or
    down"). A test that looks into the store itself, or that brings a
    store back and expects a session to find it, waits for that first.
    """
    guard = active_guard()
    if guard is None:
        return True
    return writer_for(guard).wait_idle(timeout)


@contextmanager
def configured(**settings: Any) -> Iterator[None]:
    """Apply :func:`st_page_state.configure` settings for the ``with`` block only.

    Settings are process-wide, and AppTest runs apps in the test process:
    without this, a store or identity configured by one test leaks into the
    next. ``with testing.configured(store=MemoryStore()): ...``
    """
    saved = {f.name: getattr(SETTINGS, f.name) for f in fields(SETTINGS)}
    debugging_before = logging.getLogger(LOGGER_NAME).level == logging.DEBUG
    try:
        configure(**settings)
        yield
    finally:
        for name, value in saved.items():
            setattr(SETTINGS, name, value)
        if "debug" in settings:
            set_debug(debugging_before)  # the logger too: configure(debug=...) set its level
