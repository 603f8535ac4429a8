"""The browser behind a session: its cookies and websocket, whether it is still connected, and whether one is real.

+------------------------------------+----------------------------+-------------------+-------------------------------+
| internal                           | why no public API serves   | checked on        | fallback when missing         |
+====================================+============================+===================+===============================+
| ``session_manager``: called:       | no public list of          | 1.55-1.67         | every session counts as       |
| Runtime.instance() ._session_mgr   | connected sessions         |                   | connected (no recent-tab      |
| .get_active_session_info(id),      |                            |                   | guess), and no delivery wait  |
| .is_active_session(id)             |                            |                   |                               |
+------------------------------------+----------------------------+-------------------+-------------------------------+
| ``xsrf_cookie``: read: the         | no public key of the       | 1.55-1.67         | no browser key: a reload      |
| _streamlit_xsrf cookie, in         | browser; the token is one  |                   | whose page left no cookie     |
| Tornado's format 2|mask|masked     | per browser profile        |                   | gets a new tab id             |
| token|time                         |                            |                   |                               |
+------------------------------------+----------------------------+-------------------+-------------------------------+
| ``app_test_mode``: read: config    | no public way to tell      | 1.55-1.67         | a runtime that is not a       |
| option global.appTest (AppTest     | AppTest from a server      |                   | Runtime proper (AppTest's     |
| sets it), runtime.get_instance()   |                            |                   | mock) is not a server         |
+------------------------------------+----------------------------+-------------------+-------------------------------+

``st.context.cookies`` and ``st.context.headers`` are public; what is read
in them (Streamlit's XSRF cookie, the protocol list of its websocket, where
the URL bridge adds the tab id) is not, and is checked on each value.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from . import capabilities
from .capabilities import Capabilities
from .run import ScriptRunContext

_caps = capabilities.CURRENT


@capabilities.applies
def _use(caps: Capabilities) -> None:
    global _caps
    _caps = caps


def cookies() -> dict[str, str]:
    """The cookies the browser sent with this session's websocket upgrade (empty when unknown)."""
    try:
        return dict(st.context.cookies)
    except Exception:  # no client context (bare mode)
        return {}


_XSRF_COOKIE = "_streamlit_xsrf"


def browser_key() -> str | None:
    """A key for this session's browser (profile): the token of Streamlit's XSRF cookie, None without one.

    The cookie holds ``2|<mask>|<masked token>|<time>`` (Tornado's format,
    which Streamlit keeps): the mask changes with every page load, the token
    (mask XOR masked token) does not. Anything else is used as it is.
    """
    value = cookies().get(_XSRF_COOKIE) if _caps.xsrf_cookie else None
    if not value:
        return None
    parts = value.split("|")
    if len(parts) == 4 and parts[0] == "2":
        try:
            mask, masked = bytes.fromhex(parts[1]), bytes.fromhex(parts[2])
        except ValueError:
            return value
        if mask:
            return bytes(byte ^ mask[index % len(mask)] for index, byte in enumerate(masked)).hex()
    return value


def websocket_protocols() -> str | None:
    """The ``Sec-WebSocket-Protocol`` list of this session's websocket upgrade (None when unknown)."""
    try:
        value = st.context.headers.get("Sec-WebSocket-Protocol")
    except Exception:  # no client context (bare mode)
        return None
    return value if isinstance(value, str) else None


def _session_manager() -> Any | None:
    """The runtime's session manager, or None (no runtime, or no such internal)."""
    if not _caps.session_manager:
        return None
    from streamlit.runtime import Runtime

    runtime = Runtime.instance() if Runtime.exists() else None
    return None if runtime is None else runtime.__dict__.get("_session_mgr")  # AppTest's mock runtime has none


def session_connected(session_id: str) -> bool:
    """Whether session ``session_id`` still has a browser connected (True when it cannot be told)."""
    manager = _session_manager()
    return True if manager is None else bool(manager.is_active_session(session_id))


def browser_session(ctx: ScriptRunContext) -> Any | None:
    """The ``AppSession`` of a connected browser, or None (AppTest, no runtime, disconnected)."""
    manager = _session_manager()
    info = manager.get_active_session_info(ctx.session_id) if manager is not None else None
    return None if info is None or info.client is None else info.session


_real_server: list[tuple[object, bool]] = []
"""The last runtime asked about, and whether it is a real server (asked on runs that write the URL)."""


def is_real_server() -> bool:
    """Whether a ``streamlit run`` server runs the app (AppTest installs a mock runtime and sets ``global.appTest``).

    Known once per runtime instance: AppTest installs a new one for every run.
    """
    from streamlit import config, runtime

    if not runtime.exists():
        return False
    instance = runtime.get_instance()
    if _real_server and _real_server[0][0] is instance:
        return _real_server[0][1]
    if _caps.app_test_mode:
        real = not bool(config.get_option("global.appTest"))
    else:
        real = type(instance) is runtime.Runtime
    _real_server[:] = [(instance, real)]
    return real
