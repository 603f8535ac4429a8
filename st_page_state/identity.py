"""Whose state a session holds: the browser tab, or what the ``identity`` callable names.

Store documents are keyed by an identity string: ``tab:<id>`` for a
browser tab (the id is random, made by the URL bridge), ``user:<value>``
for what ``configure(identity=...)`` returns (the logged-in user). A
callable that returns ``None`` (nobody logged in) falls back to the tab, so
anonymous visitors still keep their work.
"""

from __future__ import annotations

from collections.abc import Callable

from .log import log

TAB_PREFIX = "tab:"
USER_PREFIX = "user:"

_callable_failed_logged: list[bool] = []


def store_identity(setting: str | Callable[[], object] | None, tab_id: str | None) -> str | None:
    """The store identity for a session now, or None while it is unknown (no tab id yet, no user)."""
    if callable(setting):
        value = _call(setting)
        if value is not None and str(value) != "":
            return f"{USER_PREFIX}{value}"
    return f"{TAB_PREFIX}{tab_id}" if tab_id else None


def _call(setting: Callable[[], object]) -> object:
    try:
        return setting()
    except Exception:
        if not _callable_failed_logged:  # once per process: it would fail on every run of every session
            _callable_failed_logged.append(True)
            log.exception("the identity callable raised; using the tab identity")
        return None
