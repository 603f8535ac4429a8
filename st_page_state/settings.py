"""App-wide settings, set once with :func:`configure`.

Process-wide on purpose: they describe the app (which store, whether the
bridge runs), not a session.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import notify


@dataclass
class Settings:
    bridge: bool = True
    toasts: bool = True
    store: Any = None
    identity: Any = None


SETTINGS = Settings()
_UNSET: Any = object()


def configure(
    *,
    bridge: bool = _UNSET,
    toasts: bool = _UNSET,
    store: Any = _UNSET,
    identity: Any = _UNSET,
) -> None:
    """Configure st-page-state for the whole app; call it at the top of the main script.

    Args:
        bridge: Mount the URL bridge component (default True). Without it the
            app still syncs the URL, but cannot see edits made in the browser
            between runs, and "replace" mode cannot stop history entries.
        toasts: Show warnings about rejected URL values as ``st.toast``
            (they are always logged).
        store: Where state persists across reloads (see README, "Persistence"):
            a ``st_page_state.stores`` store (``MemoryStore``, ``SQLiteStore``,
            ``RedisStore``), ``None`` for the default in-process memory store,
            or ``False`` to persist nothing.
        identity: ``"tab"`` (default) or a callable returning the identity
            whose state to load (e.g. the logged-in user); when it returns
            ``None`` the tab identity is used.
    """
    if bridge is not _UNSET:
        SETTINGS.bridge = bool(bridge)
    if toasts is not _UNSET:
        SETTINGS.toasts = bool(toasts)
        notify.set_toasts(bool(toasts))
    if store is not _UNSET:
        SETTINGS.store = store
    if identity is not _UNSET:
        SETTINGS.identity = identity
