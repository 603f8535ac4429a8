"""Whose state a session holds: the browser tab, or what the ``identity`` callable names.

Store documents are keyed by an identity string: ``tab:<id>`` for a
browser tab, ``user:<value>`` for what ``configure(identity=...)`` returns
(the logged-in user). A callable that returns ``None`` (nobody logged in)
falls back to the tab, so anonymous visitors still keep their work.

A tab id is a random UUID (version 4, lowercase), the only format accepted
from a browser. A session learns its tab in its first run, before anything
is drawn:

* a reload, or an address-bar edit (which reloads): the URL bridge wrote the
  tab id into a short-lived cookie as the old page went away (``pagehide``);
  browsers send cookies with the websocket upgrade, so ``st.context.cookies``
  holds it in the new session's first run (source ``"cookie"``);
* a reload or address-bar edit of a page whose bridge had not loaded yet
  (it left no cookie): the tab of the same browser's session that went
  away a moment ago (source ``"recent"``, see :mod:`.recent_tabs`);
* anything else (a first visit, a new tab): the server mints a new id
  (source ``"minted"``) and hands it to the bridge, which keeps it in the
  tab's ``sessionStorage``.

* a reconnect of an open page (the websocket dropped, and behind a load
  balancer the new one may reach another server process): the bridge adds
  the tab id to the new socket's ``Sec-WebSocket-Protocol`` list (source
  ``"socket"``), so the new session's first run, often a click, works on the
  tab's state and not on the defaults.

The bridge checks the server's guess against ``sessionStorage`` and reports
a correction when it differs (a cookie that belonged to another tab, a
duplicated tab, a reload whose cookie was lost): see README, "Persistence".
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal
from urllib.parse import unquote

from .log import log, shown

TAB_PREFIX = "tab:"
USER_PREFIX = "user:"
TAB_COOKIE = "st_page_state_tab"
"""The cookie the bridge writes on ``pagehide`` for the next page load of the same tab."""
URL_COOKIE = "st_page_state_url"
"""Written beside it: the query strings the page showed in the seconds before it began to leave and since, at
most 4 (a reload asks for the URL the browser knew as it began, and a URL write may still reach the page
before it goes), each ``?``-prefixed and URL-encoded, joined by ``|`` (see ``persistence.store_beats_url``)."""
COOKIE_MAX_AGE = 30
"""Seconds the cookies live: a reload of a slow page (a loaded server) takes seconds; the next page of
any tab reads and clears them, and the bridge corrects a guess that was another tab's."""
MAX_URL_COOKIE = 3000
"""Longest query string the bridge writes into the URL cookie (cookies hold about 4 KiB)."""
SOCKET_TAB_PREFIX = "st-page-state.tab."
"""Marks the tab id's entry in a reconnecting websocket's protocol list (``frontend/src/patchSocket.ts``)."""
_TAB_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")

TabSource = Literal["cookie", "socket", "recent", "minted", "bridge", "test"]
"""Where a session's tab id came from (the bridge checks the first four)."""


def is_tab_id(value: object) -> bool:
    """Whether ``value`` has exactly the format tab ids are made in."""
    return isinstance(value, str) and _TAB_ID.fullmatch(value) is not None


def mint_tab_id() -> str:
    return str(uuid.uuid4())


def tab_from_cookies(cookies: Mapping[str, str]) -> str | None:
    """The tab id the previous page of this tab left in its cookie, if any (anything malformed: one log line)."""
    value = cookies.get(TAB_COOKIE)
    if value is None:
        return None
    if not is_tab_id(value):
        log.warning("ignored a %s cookie that is not a tab id: %s", TAB_COOKIE, shown(value))
        return None
    return value


def held_urls_from_cookies(cookies: Mapping[str, str]) -> list[str] | None:
    """The query strings the tab's previous page showed as it went away (the URL cookie), if any."""
    value = cookies.get(URL_COOKIE)
    if not value:
        return None
    texts = [unquote(part) for part in value.split("|")]
    if len(value) > 3 * MAX_URL_COOKIE or sum(map(len, texts)) > MAX_URL_COOKIE + 4 or len(texts) > 4 or not all(
        text.startswith("?") for text in texts
    ):
        log.warning("ignored a malformed %s cookie: %s", URL_COOKIE, shown(value, 80))
        return None
    return texts


def tab_from_protocols(header: str | None) -> str | None:
    """The tab id a reconnecting page sent with its websocket's protocol list, if any."""
    if not header or SOCKET_TAB_PREFIX not in header:
        return None
    for entry in header.split(","):
        value = entry.strip()
        if value.startswith(SOCKET_TAB_PREFIX):
            tab = value.removeprefix(SOCKET_TAB_PREFIX)
            if is_tab_id(tab):
                return tab
            log.warning("ignored a websocket protocol entry that is not a tab id: %s", shown(value))
    return None


@dataclass(frozen=True)
class TabCorrection:
    """The bridge's answer when the server's tab id was not this tab's."""

    tab: str
    """The tab's id from now on."""
    copy_from: str | None
    """A duplicated tab: the original tab whose state this one starts as a copy of."""
    recover: bool = False
    """``copy_from`` holds this tab's own work, saved there before an earlier correction was
    confirmed (the page went away first): what ``tab`` itself has stored wins over it."""


def parse_correction(payload: object) -> TabCorrection | None:
    """A correction from the browser, validated; anything malformed is dropped with a log line."""
    if payload is None:
        return None
    tab = payload.get("tab") if isinstance(payload, dict) else None
    source = payload.get("from") if isinstance(payload, dict) else None
    recover = payload.get("recover", False) if isinstance(payload, dict) else False
    if (
        not is_tab_id(tab)
        or not (source is None or is_tab_id(source))
        or source == tab
        or recover not in (True, False)
        or (recover and source is None)
    ):
        log.warning("ignored a malformed tab identity report %s", shown(payload, 200))
        return None
    assert isinstance(tab, str)
    return TabCorrection(tab=tab, copy_from=source if isinstance(source, str) else None, recover=bool(recover))


def store_identity(setting: str | Callable[[], object] | None, tab_id: str | None) -> str | None:
    """The store identity for a session now, or None while it is unknown (no tab id, no user)."""
    if callable(setting):
        value = _call(setting)
        if value is not None and str(value) != "":
            return f"{USER_PREFIX}{value}"
    return f"{TAB_PREFIX}{tab_id}" if tab_id else None


_callable_failed_logged: list[bool] = []


def _call(setting: Callable[[], object]) -> object:
    try:
        return setting()
    except Exception:
        if not _callable_failed_logged:  # once per process: it would fail on every run of every session
            _callable_failed_logged.append(True)
            log.exception("the identity callable raised; using the tab identity")
        return None
