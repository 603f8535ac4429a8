"""Keeping bound widgets and their fields in step: the widget side of each step.

These functions read and write widget keys in ``st.session_state`` and keep
each link's agreed value; they never set a field. What a field should
become (a user's change to commit, a value a widget fell back to) is
returned to the session (``session.py``), which applies it in its run
lifecycle:

* run start: :func:`changed_by_user` for every link, the session commits
  (a value the field refuses stays in the widget: :attr:`WidgetLink.rejected`);
* any field change: :func:`push` puts the new value into widgets not drawn
  yet in this run, and :func:`order_error` refuses a change that a widget
  already drawn cannot show (Streamlit forbids writing its key then);
* run end: :func:`fallbacks` lists widgets that replaced a value they could
  not show (an option they do not offer, a number out of range).
"""

from __future__ import annotations

from collections.abc import Iterable, MutableMapping
from typing import Any, cast

import streamlit as st

from .. import _streamlit as stx
from ..errors import WidgetOrderError
from ..missing import MISSING
from .links import WidgetLink
from .values import is_incomplete_range, same_widget_value, to_widget


def _session_state() -> MutableMapping[str, Any]:
    """This run's session state, without the ``st.session_state`` proxy's per-call lookups (run many times a run)."""
    ctx = stx.current_context()
    return cast("MutableMapping[str, Any]", ctx.session_state if ctx is not None else st.session_state)


def widget_value(key: str) -> Any:
    """The value under a widget's key, or MISSING when Streamlit holds none (not rendered lately)."""
    try:
        return _session_state()[key]
    except KeyError:  # also: widget state without metadata, after a server-side reset
        return MISSING


def show(link: WidgetLink, value: Any) -> None:
    """Put the field's ``value`` under the widget's key, before the widget is drawn.

    A widget that holds a value the field refused keeps it (what the person
    typed stays, to be corrected), as long as it holds that value.
    """
    if link.waiting:
        return
    desired = to_widget(value, link.options)
    current = widget_value(link.key)
    if link.rejected is not MISSING:
        if current is not MISSING and same_widget_value(current, link.rejected):
            return
        link.rejected = MISSING
    if current is MISSING or not same_widget_value(current, desired):
        _session_state()[link.key] = desired
    link.shown = desired


def refused(link: WidgetLink, value: Any) -> bool:
    """The field refused the widget's ``value``: the widget keeps it. Whether it is news (not refused before)."""
    new = link.rejected is MISSING or not same_widget_value(value, link.rejected)
    link.rejected = value
    return new


def changed_by_user(link: WidgetLink) -> Any:
    """The widget's value if the user changed it since widget and field agreed, else MISSING.

    A range widget mid-selection (a date range with one date) is left
    waiting: committing or resetting it would make picking a range impossible.
    """
    current = widget_value(link.key)
    if current is MISSING or (link.shown is not MISSING and same_widget_value(current, link.shown)):
        return MISSING
    link.waiting = is_incomplete_range(current)
    return MISSING if link.waiting else current


def agree(link: WidgetLink) -> None:
    """The field took the widget's value: record what the widget holds now as agreed."""
    link.shown = widget_value(link.key)
    link.rejected = MISSING


def push(links: Iterable[WidgetLink], value: Any) -> None:
    """A field changed (code, URL, store, another widget): update its widgets not drawn yet in this run.

    A widget that is not rendered at the moment gets the value from bind()
    when it comes back. In a fragment run, widgets outside the fragment are
    not redrawn and the browser would send their old value back, so
    pushing waits for the next run that draws them.
    """
    ctx = stx.current_context()
    if ctx is None or stx.is_fragment_run(ctx):
        return
    for link in links:
        if widget_value(link.key) is MISSING or stx.widget_rendered_this_run(ctx, link.key):
            continue
        link.waiting = False
        link.rejected = MISSING  # the field changed: the widget shows it, not the refused entry
        show(link, value)


def order_error(links: Iterable[WidgetLink], owner: str, name: str, new: Any) -> WidgetOrderError | None:
    """The error for a change that a widget already drawn in this run cannot show, if any."""
    ctx = stx.current_context()
    if ctx is None:
        return None
    for link in links:
        if not stx.widget_rendered_this_run(ctx, link.key):
            continue
        current = widget_value(link.key)
        if current is not MISSING and same_widget_value(current, to_widget(new, link.options)):
            continue
        return WidgetOrderError(
            f"{owner}.{name} was set to {new!r} after its widget (key {link.key!r}) was drawn in this "
            "run, so the widget cannot show the new value. Set the field before the widget is created, "
            "or in a callback (on_change=/on_click= run before the script), or, when the value is only "
            "known further down, keep it aside and call st.rerun(), then set the field at the top of the "
            "next run."
        )
    return None


def fallbacks(links: Iterable[WidgetLink]) -> list[tuple[WidgetLink, Any]]:
    """Widgets drawn in this run that show another value than the one they were given, with that value.

    Streamlit replaces an option a widget does not offer (or a number
    outside ``min_value``/``max_value``) with the widget's default while
    drawing it. Without ``options=`` in bind() this is the only place such
    a value is seen; the session makes the field follow before the URL is
    written, so the URL never shows a value the page does not.
    """
    ctx = stx.current_context()
    if ctx is None:
        return []
    found = []
    for link in links:
        if not link.replaceable or link.waiting or link.shown is MISSING or link.rejected is not MISSING:
            continue
        if not stx.widget_rendered_this_run(ctx, link.key):
            continue
        current = widget_value(link.key)
        if current is not MISSING and not same_widget_value(current, link.shown):
            found.append((link, current))
    return found
