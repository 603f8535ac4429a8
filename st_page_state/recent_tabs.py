"""The tabs each browser used lately, so a page whose bridge never loaded still gets its tab back.

A reload finds its tab through the cookie the URL bridge writes as the old
page goes away. The bridge is a JavaScript module that the browser fetches
after the first run; on a slow network or device, a person can type, press
Enter and reload (or edit the address bar) before it has loaded. That page
then knew no tab id and left no cookie, and the new page's session would
start from the defaults: the work, accepted and shown, lost.

So the server remembers, per browser, the tab of each session and when it
last ran. A new session that brings neither a cookie nor a socket tab guesses
the tab of the same browser's session that has disconnected and ran last,
within :data:`RECENT_S`; its source is ``"recent"``. The
bridge then checks the guess like a cookie's: a page that replaced an
earlier page of its tab (a reload, Back/Forward, a navigation in the tab)
and holds no id of its own keeps it; a new tab takes an id of its own.

The browser is recognised by Streamlit's XSRF cookie (one per browser
profile, unguessable, sent with every websocket): without it (XSRF
protection off) there is no guess. One server process only: behind a load
balancer, a new page that reaches another process gets no guess.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

RECENT_S = 8.0
"""How long after its last run a disconnected session's tab can be guessed for a new page of its browser."""
MAX_BROWSERS = 10_000
"""Browsers remembered at most (the least recently seen are forgotten first)."""
MAX_SESSIONS_PER_BROWSER = 8
"""Sessions remembered per browser (its tabs open at once, roughly)."""


@dataclass
class _Seen:
    tab: str
    at: float


class RecentTabs:
    """Per browser, the tab of each of its sessions and when that session last ran (thread-safe)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._browsers: OrderedDict[str, OrderedDict[str, _Seen]] = OrderedDict()

    def ran(self, browser: str, session: str, tab: str) -> None:
        """Session ``session`` of ``browser`` ran now, on ``tab``."""
        with self._lock:
            sessions = self._browsers.pop(browser, None) or OrderedDict()
            sessions.pop(session, None)
            sessions[session] = _Seen(tab, self._clock())
            while len(sessions) > MAX_SESSIONS_PER_BROWSER:
                sessions.popitem(last=False)
            self._browsers[browser] = sessions
            while len(self._browsers) > MAX_BROWSERS:
                self._browsers.popitem(last=False)

    def guess(self, browser: str, session: str, connected: Callable[[str], bool]) -> str | None:
        """The tab of the session of ``browser`` that has gone (not ``connected``) and ran last, if lately."""
        now = self._clock()
        with self._lock:
            sessions = self._browsers.get(browser)
            if not sessions:
                return None
            candidates = [(sid, seen) for sid, seen in sessions.items() if sid != session and now - seen.at <= RECENT_S]
        for sid, seen in sorted(candidates, key=lambda item: item[1].at, reverse=True):
            if not connected(sid):  # an open session is another tab's, live
                return seen.tab
        return None


recent_tabs = RecentTabs()
"""The process's registry."""
