"""The library's one logger, and the cut applied to outside text before anyone sees it.

Every record goes to the ``st_page_state`` logger with the prefix
``st-page-state:``, so an app's log shows which library spoke. Text that
came from outside (a URL value, a stored document, a bridge report) is cut
by :func:`shorten` before it reaches a log line or a warning: an 8,000
character query value must not become an 8,000 character log line.

``configure(debug=True)`` (or the environment variable
``ST_PAGE_STATE_DEBUG=1``) logs every decision of the engine at DEBUG level.
"""

from __future__ import annotations

import logging
import os
from collections.abc import MutableMapping
from typing import Any

LOGGER_NAME = "st_page_state"
PREFIX = "st-page-state: "
MAX_SHOWN = 200
"""How many characters of outside text a warning or log line shows."""
DEBUG_ENV = "ST_PAGE_STATE_DEBUG"

_logger = logging.getLogger(LOGGER_NAME)


class _Prefixed(logging.LoggerAdapter):  # type: ignore[type-arg]
    def process(self, msg: Any, kwargs: MutableMapping[str, Any]) -> tuple[Any, MutableMapping[str, Any]]:
        return f"{PREFIX}{msg}", kwargs


log = _Prefixed(_logger, {})


def shorten(text: object, limit: int = MAX_SHOWN) -> str:
    """``text`` as one printable line of at most ``limit`` characters, cut with an ellipsis.

    Control characters (newlines included) are escaped (``\\n``), so outside
    text cannot forge a log line; only the first ``2 * limit`` characters
    are looked at, so a huge value costs nothing.
    """
    flat = (text if isinstance(text, str) else str(text))[: limit * 2]
    if not flat.isprintable():
        flat = "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in flat)
    if len(flat) <= limit:
        return flat
    return flat[: max(limit - 1, 0)] + "…"


def shown(value: object, limit: int = 60) -> str:
    """``repr(value)`` cut for a message: how a warning quotes outside input."""
    return shorten(repr(value), limit)


def set_debug(enabled: bool) -> None:
    """Log the engine's decisions (DEBUG) to stderr, or stop doing so."""
    if enabled:
        _logger.setLevel(logging.DEBUG)
        if not any(getattr(h, "_st_page_state", False) for h in _logger.handlers):
            handler = logging.StreamHandler()
            handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
            handler._st_page_state = True  # type: ignore[attr-defined]
            _logger.addHandler(handler)
    else:
        _logger.setLevel(logging.NOTSET)
        for ours in [h for h in _logger.handlers if getattr(h, "_st_page_state", False)]:
            _logger.removeHandler(ours)


def debugging() -> bool:
    return _logger.isEnabledFor(logging.DEBUG)


if os.environ.get(DEBUG_ENV, "").strip().lower() in ("1", "true", "yes", "on"):
    set_debug(True)
