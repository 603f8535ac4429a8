"""User-visible warnings: always a log record, a toast too when inside a run.

Bad URL input is the visitor's doing, not the developer's: it must be
visible in the browser without ever raising. A warning quotes outside text
(a URL value, a stored value), so what reaches the toast is shown as text,
never as Markdown: every ASCII punctuation character is backslash-escaped
(CommonMark lets any of them be escaped), which leaves no link, image,
emphasis, HTML, emoji shortcode, colour directive or formula. Escapes do
not stop GitHub-style autolinks (Streamlit finds bare ``https://...``,
``www.`` and e-mail addresses in the text after escapes are read), so an
invisible word joiner (U+2060) is put where each would start. Quoted values are already cut by the caller
(:func:`st_page_state.log.shown`); the whole message is cut again here as
a last bound.
"""

from __future__ import annotations

import re
import string

import streamlit as st

from ._streamlit import current_context
from .log import log, shorten
from .settings import SETTINGS

MAX_MESSAGE = 400
"""Longest warning text, ours and quoted input together."""

_ESCAPES = str.maketrans({ch: "\\" + ch for ch in string.punctuation})
_AUTOLINK_STARTS = re.compile(r"(?<=:)(?=//)|(?<=[wW]{3})(?=\.)|(?<=@)")
"""Where a bare URL (``scheme://``), a ``www.`` host or an e-mail address would be turned into a link."""
WORD_JOINER = "\u2060"
"""Invisible; breaks what a Markdown renderer would turn into a link (``testing.toast_texts`` removes it)."""


def escape_markdown(text: str) -> str:
    """Markdown source that renders exactly ``text``: no link, image, HTML or formatting, whatever it holds.

    For outside text (a URL value, a user's input) shown with ``st.markdown``,
    ``st.toast``, ``st.success`` and the like, which all read Markdown.
    """
    return _AUTOLINK_STARTS.sub(WORD_JOINER, text).translate(_ESCAPES)


def as_plain_text(text: str) -> str:
    """Markdown source that renders exactly ``text`` (on one line, cut to :data:`MAX_MESSAGE`)."""
    return escape_markdown(shorten(text, MAX_MESSAGE))


def warn(message: str, *, toast: bool = True) -> None:
    """Log ``message`` and show it as a toast (unless ``toast=False`` or ``configure(toasts=False)``)."""
    message = shorten(message, MAX_MESSAGE)
    log.warning("%s", message)
    if toast:
        _toast(message, icon="⚠️")


def waiting(message: str) -> None:
    """A toast that stays until a run no longer sends it: the store keeps the visitor waiting.

    Sent again by every full run while the wait lasts (the page shows one
    toast); the first run that does not send it clears it. Logged once per
    message at debug level (the store's own outage warning is in the log).
    """
    log.debug("%s", message)
    _toast(message, icon="spinner", duration="infinite")


def note(message: str) -> None:
    """A short toast that needs no warning sign (a wait is over)."""
    log.debug("%s", message)
    _toast(message, icon="✅", duration="short")


def _toast(message: str, *, icon: str, duration: str = "short") -> None:
    """The one place a toast is shown: only in a script run, unless ``configure(toasts=False)``."""
    if SETTINGS.toasts and current_context() is not None:
        try:
            st.toast(as_plain_text(message), icon=icon, duration=duration)  # type: ignore[arg-type]
        except Exception:  # a toast must never break the app (e.g. inside a cached function)
            log.debug("toast failed", exc_info=True)
