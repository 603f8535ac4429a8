"""User-visible warnings: a log record always, a toast when inside a run.

Bad URL input is the user's doing, not the developer's: it must be visible
to the person in the browser (a toast) without ever raising.
"""

from __future__ import annotations

import logging

import streamlit as st

from ._streamlit import current_context

LOGGER = logging.getLogger("st_page_state")

_settings = {"toasts": True}


def set_toasts(enabled: bool) -> None:
    _settings["toasts"] = enabled


def warn(message: str) -> None:
    LOGGER.warning("st-page-state: %s", message)
    if _settings["toasts"] and current_context() is not None:
        try:
            st.toast(message, icon="⚠️")
        except Exception:  # a toast must never break the app (e.g. inside a cached function)
            LOGGER.debug("st-page-state: toast failed", exc_info=True)
