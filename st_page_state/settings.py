"""App-wide settings, set once with :func:`configure` and checked when it is called.

Process-wide on purpose: they describe the app (which store, whether the
bridge runs), not a session. Streamlit reruns the main script, so
``configure()`` at its top runs on every rerun; that is cheap and
idempotent.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from .errors import StateConfigError
from .log import set_debug
from .missing import MISSING, Missing
from .stores.base import Store

IdentitySetting = Literal["tab"] | Callable[[], object] | None
"""``"tab"`` (or None): the browser tab; a callable: whose state to load (None from it: the tab)."""
StoreSetting = Store | Literal[False] | None
"""A store; None: the process's memory store; False: persist nothing."""


@dataclass
class Settings:
    bridge: bool = True
    """Mount the URL bridge component."""
    toasts: bool = True
    """Show warnings as toasts (they are always logged)."""
    store: StoreSetting = None
    """Where state persists across reloads."""
    identity: IdentitySetting = None
    """Whose state the session holds."""
    debug: bool = False
    """Log every decision of the engine."""


SETTINGS = Settings()


def configure(
    *,
    bridge: bool | Missing = MISSING,
    toasts: bool | Missing = MISSING,
    store: StoreSetting | Missing = MISSING,
    identity: IdentitySetting | Missing = MISSING,
    debug: bool | Missing = MISSING,
) -> None:
    """Configure st-page-state for the whole app; call it at the top of the main script.

    Args:
        bridge: Mount the URL bridge component (default True). Without it the
            app still syncs the URL, but cannot see edits made in the browser
            between runs, every URL write adds a history entry, and tabs have
            no identity (nothing is restored after a reload).
        toasts: Show warnings about rejected URL values as ``st.toast``
            (they are always logged).
        store: Where state persists across reloads (README, "Persistence"):
            a ``st_page_state.stores`` store (``MemoryStore``, ``SQLiteStore``,
            ``RedisStore``), ``None`` for the default in-process memory store,
            or ``False`` to persist nothing.
        identity: ``"tab"`` (default) or a callable returning whose state to
            load (e.g. the logged-in user's email); when it returns ``None``
            the tab is used.
        debug: Log every decision of the engine (``st_page_state`` logger,
            DEBUG level, to stderr). The environment variable
            ``ST_PAGE_STATE_DEBUG=1`` does the same.

    Raises:
        StateConfigError: a value of the wrong kind, named with what is accepted.
    """
    if bridge is not MISSING:
        SETTINGS.bridge = _flag("bridge", bridge)
    if toasts is not MISSING:
        SETTINGS.toasts = _flag("toasts", toasts)
    if store is not MISSING:
        if store is not None and store is not False and not isinstance(store, Store):
            raise StateConfigError(
                "configure(store=...) takes a st_page_state.stores.Store (MemoryStore, SQLiteStore, "
                f"RedisStore or a subclass), None for the default or False for none; not {store!r}"
            )
        SETTINGS.store = store
    if identity is not MISSING:
        if identity is not None and identity != "tab" and not callable(identity):
            raise StateConfigError(
                "configure(identity=...) takes 'tab' or a callable returning the identity (e.g. the "
                f"logged-in user's email), not {identity!r}"
            )
        SETTINGS.identity = identity
    if debug is not MISSING:
        SETTINGS.debug = _flag("debug", debug)
        set_debug(SETTINGS.debug)


def _flag(name: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise StateConfigError(f"configure({name}=...) takes True or False, not {value!r}")
    return value
