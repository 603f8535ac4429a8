"""Keeping bound widgets and their fields in step, for one session.

A bound widget and its field are two copies of one value: the field lives
in the session runtime (it survives the widget not being rendered, a page
switch, a reload), the widget's copy lives under its key in
``st.session_state`` (which Streamlit deletes whenever the widget is not
rendered). Each binding is a :class:`WidgetLink` that remembers the value
both sides last agreed on (``shown``), so a difference tells who moved:

* the widget's value differs from ``shown``: the user changed it (or
  submitted a form); the field adopts it when the run starts, before any
  callback or script line reads the field;
* the field differs from ``shown``: code or the URL changed it; the value is
  written under the widget's key before the widget is drawn.

Writing a widget's key after the widget was drawn in the same run is what
Streamlit forbids; :func:`guard_order` turns that into a
:class:`~st_page_state.errors.WidgetOrderError` that says what to do.
"""

from __future__ import annotations

from collections.abc import MutableMapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

import streamlit as st

from . import _streamlit as stx
from . import notify
from .errors import StateValidationError, WidgetOrderError
from .schema import CompiledField
from .session import SessionRuntime, StateClass
from .widgets_values import check_options, is_incomplete_range, same_widget_value, to_widget

LINKS_KEY = "st_page_state_widgets"


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


UNSET: Any = _Unset()


@dataclass
class WidgetLink:
    """One widget bound to one field."""

    key: str
    namespace: str
    field: str
    shown: Any = UNSET
    """The widget value that widget and field last agreed on."""
    options: list[Any] | None = None
    """The options passed to ``bind()`` (as ``options=``/``tabs=``), if any."""
    waiting: bool = False
    """The widget holds an incomplete range; leave it alone until the user finishes."""


@dataclass
class WidgetLinks:
    """Every bound widget of one session, by widget key."""

    by_key: dict[str, WidgetLink] = field(default_factory=dict)

    def for_field(self, namespace: str, name: str) -> list[WidgetLink]:
        return [link for link in self.by_key.values() if link.namespace == namespace and link.field == name]

    def has_field(self, namespace: str, name: str) -> bool:
        return any(link.namespace == namespace and link.field == name for link in self.by_key.values())


def links() -> WidgetLinks:
    """This session's links, kept in ``st.session_state`` next to the runtime."""
    state = _session_state()
    found = state.get(LINKS_KEY)
    if not isinstance(found, WidgetLinks):
        found = WidgetLinks()
        state[LINKS_KEY] = found
    return found


def _session_state() -> MutableMapping[str, Any]:
    return cast("MutableMapping[str, Any]", st.session_state)


def _widget_value(key: str) -> Any:
    """The value under a widget's key, or UNSET when Streamlit holds none (not rendered lately)."""
    state = _session_state()
    try:
        return state[key] if key in state else UNSET
    except KeyError:  # widget state without metadata, after a server-side reset
        return UNSET


# ------------------------------------------------------------------ install
def install(rt: SessionRuntime) -> None:
    """Hook the links into the session runtime (idempotent; the hook lists are per session)."""
    if commit_widgets not in rt.run_start_hooks:
        rt.run_start_hooks.append(commit_widgets)
    if guard_order not in rt.change_guards:
        rt.change_guards.append(guard_order)
    if push_change not in rt.listeners:
        rt.listeners.append(push_change)
    if adopt_widget_corrections not in rt.run_end_hooks:
        rt.run_end_hooks.append(adopt_widget_corrections)


# ------------------------------------------------------------ widget -> field
def commit_widgets(rt: SessionRuntime) -> None:
    """Run start: every widget the user changed since the last run updates its field.

    This is also how a form commits: Streamlit hands over the values of a
    form's widgets only when it is submitted.
    """
    for link in list(links().by_key.values()):
        commit_widget(rt, link)


def commit_widget(rt: SessionRuntime, link: WidgetLink) -> None:
    current = _widget_value(link.key)
    if current is UNSET or (link.shown is not UNSET and same_widget_value(current, link.shown)):
        return
    target = _field(rt, link)
    if target is None:
        return
    cls, f = target
    if is_incomplete_range(current):
        link.waiting = True
        return
    link.waiting = False
    try:
        rt.set_value(cls, f.name, current)
    except StateValidationError as exc:
        # Not a value the field can hold (a float for an int field): keep the
        # field and put its value back into the widget (nothing is drawn yet).
        notify.warn(f"{exc}. The widget shows the previous value again.")
        show(link, rt.touch(cls)[f.name])
        return
    # The change listener may have rewritten the key in the field's own
    # shape (a set's members in option order): agree on what it holds now.
    link.shown = _widget_value(link.key)


def _field(rt: SessionRuntime, link: WidgetLink) -> tuple[StateClass, CompiledField] | None:
    cls = rt.class_for(link.namespace)
    if cls is None:
        return None
    f = cls.__state_schema__.fields.get(link.field)
    return (cls, f) if f is not None else None


# ------------------------------------------------------------ field -> widget
def show(link: WidgetLink, value: Any) -> None:
    """Put the field's ``value`` under the widget's key, before the widget is drawn."""
    if link.waiting:
        return
    desired = to_widget(value, link.options)
    current = _widget_value(link.key)
    if current is UNSET or not same_widget_value(current, desired):
        _session_state()[link.key] = desired
    link.shown = desired


def push_change(rt: SessionRuntime, namespace: str, name: str, new: Any) -> None:
    """Listener: a field changed (code, URL, another widget); update its widgets not drawn yet.

    A widget that is not rendered at the moment gets the value from bind()
    when it comes back. In a fragment run, widgets outside the fragment are
    not redrawn and the browser would send their old value back, so pushing
    waits for the next run that draws them.
    """
    ctx = stx.current_context()
    if ctx is None or stx.is_fragment_run(ctx):
        return
    for link in links().for_field(namespace, name):
        if _widget_value(link.key) is UNSET or stx.widget_rendered_this_run(ctx, link.key):
            continue
        link.waiting = False
        show(link, new)


def guard_order(rt: SessionRuntime, namespace: str, name: str, new: Any) -> None:
    """Change guard: refuse a change the field's widget, already drawn in this run, cannot show."""
    ctx = stx.current_context()
    if ctx is None:
        return
    for link in links().for_field(namespace, name):
        if not stx.widget_rendered_this_run(ctx, link.key):
            continue
        current = _widget_value(link.key)
        if current is not UNSET and same_widget_value(current, to_widget(new, link.options)):
            continue
        cls = rt.class_for(namespace)
        owner = cls.__state_schema__.name if cls is not None else namespace
        raise WidgetOrderError(
            f"{owner}.{name} was set to {new!r} after its widget (key {link.key!r}) was drawn in this "
            "run, so the widget cannot show the new value. Set the field before the widget is created, "
            "or in a callback (on_change=/on_click= run before the script), or, when the value is only "
            "known further down, keep it aside and call st.rerun(), then set the field at the top of the "
            "next run."
        )


# -------------------------------------------------- corrections by widgets
def adopt_widget_corrections(rt: SessionRuntime) -> None:
    """Run end: a widget that could not show its field's value picked another one; the field follows.

    Streamlit replaces an option it does not offer (or a number outside
    ``min_value``/``max_value``) with the widget's default while drawing it.
    Without ``options=`` in bind() this is the only place such a value is
    seen. It runs before the URL is written, so the URL never shows a value
    the page does not.
    """
    ctx = stx.current_context()
    if ctx is None:
        return
    for link in list(links().by_key.values()):
        if link.waiting or link.shown is UNSET or not stx.widget_rendered_this_run(ctx, link.key):
            continue
        current = _widget_value(link.key)
        if current is UNSET or same_widget_value(current, link.shown):
            continue
        target = _field(rt, link)
        if target is None:
            continue
        cls, f = target
        try:
            value = f.validate(current)
        except StateValidationError:
            continue
        notify.warn(
            f"{cls.__state_schema__.name}.{f.name}: its widget cannot show {link.shown!r} "
            f"(not one of its options, or out of its range) and shows {current!r} instead."
        )
        rt.assign_correction(cls, f.name, value)
        link.shown = current


def fall_back_if_not_offered(rt: SessionRuntime, cls: StateClass, f: CompiledField, options: Sequence[Any]) -> None:
    """bind(options=...): a value the widget does not offer falls back, with one warning."""
    value = rt.touch(cls)[f.name]
    fallback = check_options(value, f.default(), options)
    if fallback is None:
        return
    try:
        new = f.validate(fallback.value)
    except StateValidationError:
        return
    shown = ", ".join(repr(m) for m in fallback.missing)
    notify.warn(f"{cls.__state_schema__.name}.{f.name}: {shown} is not one of the widget's options; using {new!r}.")
    rt.assign_correction(cls, f.name, new)
