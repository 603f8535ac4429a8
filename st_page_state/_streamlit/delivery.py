"""Waiting, at the end of a run that wrote the URL, until its messages have left for the browser.

+------------------------------------+----------------------------+-------------------+-------------------------------+
| internal                           | why no public API serves   | checked on        | fallback when missing         |
+====================================+============================+===================+===============================+
| ``flush_notification``: replaced   | nothing tells the script   | 1.67; absent      | no wait: a URL write reaches  |
| per instance: AppSession           | thread that its messages   | 1.55-1.66         | the address bar after the     |
| .on_flushed_messages_sent(); read: | left                       |                   | post-run GC (50-400 ms)       |
| AppSession._browser_queue          |                            |                   |                               |
| .is_empty()                        |                            |                   |                               |
+------------------------------------+----------------------------+-------------------+-------------------------------+

After every run the script thread runs ``gc.collect(2)`` (option
``runner.postScriptGC``, on by default), which holds the GIL for the whole
collection: 50 to 400 ms in a process that imported pydantic and a few
libraries. Messages still queued for the event loop wait for it, and the
URL the run wrote reaches the address bar that much later (measured: the
server wrote it 2 ms after the click's run began; the browser saw it 65 ms
after). The session is found through :func:`.client.browser_session`.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from . import capabilities
from .capabilities import Capabilities
from .client import browser_session
from .run import ScriptRunContext

_caps = capabilities.CURRENT


@capabilities.applies
def _use(caps: Capabilities) -> None:
    global _caps
    _caps = caps


@dataclass
class _Deliveries:
    """How many flushes of one session's browser queue the event loop has sent in full."""

    condition: threading.Condition
    sent: int = 0


_DELIVERIES_MARK = "_st_page_state_deliveries"
DELIVERY_WAIT_S = 0.05
"""Longest the script thread waits for its messages to leave (a loaded machine, a slow socket)."""


def _deliveries(session: Any) -> _Deliveries:
    """The session's delivery count, counted from now on (wraps the instance's ``on_flushed_messages_sent``)."""
    deliveries: _Deliveries | None = session.__dict__.get(_DELIVERIES_MARK)
    if deliveries is not None:
        return deliveries
    original = session.on_flushed_messages_sent
    deliveries = _Deliveries(threading.Condition())

    def on_flushed_messages_sent() -> None:
        try:
            original()
        finally:
            with deliveries.condition:
                deliveries.sent += 1
                deliveries.condition.notify_all()

    session.__dict__[_DELIVERIES_MARK] = deliveries
    session.on_flushed_messages_sent = on_flushed_messages_sent
    return deliveries


def _collects_after_runs() -> bool:
    from streamlit import config

    return bool(config.get_option("runner.postScriptGC"))


@contextmanager
def delivered(ctx: ScriptRunContext, *, wait: bool) -> Iterator[None]:
    """Messages enqueued in the block reach the browser before Streamlit's post-run garbage collection.

    With ``wait``, the block's end waits (the GIL released) until the event
    loop has sent every message queued so far, at most :data:`DELIVERY_WAIT_S`.
    Without the internals, it does not wait: the URL arrives after the collection.
    """
    waiting = wait and _caps.flush_notification and _collects_after_runs()
    session = browser_session(ctx) if waiting else None
    deliveries = _deliveries(session) if session is not None else None
    start = deliveries.sent if deliveries is not None else 0
    yield
    if session is None or deliveries is None:
        return
    queue = session._browser_queue
    with deliveries.condition:
        deliveries.condition.wait_for(lambda: deliveries.sent > start and queue.is_empty(), DELIVERY_WAIT_S)
