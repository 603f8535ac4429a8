"""``PageState.bind``: make a Streamlit input widget a two-way view of a field.

``bind()`` returns keyword arguments for the widget call: a ``key`` derived
from the field, and ``on_change``. It never returns ``value=``, ``index=``
or ``default=``: the widget is seeded only through ``st.session_state``
under its key, before it is drawn, which is the one way Streamlit accepts
without its "default value but also set via Session State" warning.

``on_change`` is ``"rerun"`` unless the caller passes a callback. The mode
string is accepted by every input widget, also inside ``st.form`` (where a
callable is forbidden), and it makes ``st.tabs``/``st.expander`` report
their state. The field does not need a callback to learn the new value:
the session commits every changed widget when the next run starts (see
:mod:`st_page_state.session`), which also commits a form's widgets when it
is submitted.

The field's own storage never depends on the widget's key: Streamlit
deletes a widget's key when the widget is not rendered, while the field
must keep its value (conditional UI, tabs, page switches).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .. import _streamlit as stx
from .. import notify, session
from ..errors import StateConfigError, StateValidationError
from ..log import shown
from ..missing import MISSING
from ..runtime import SessionRuntime, StateClass
from ..schema import CompiledField, same_value
from ..url import Rejection
from .call_site import call_site, caller_frame
from .links import WidgetLink
from .ranges import added_arguments, widget_range
from .sync import show
from .values import check_options

KEY_PREFIX = "st_page_state:"
OPTION_PARAMS = ("options", "tabs")
"""Widget parameters that list what the widget offers (``tabs`` for ``st.tabs``)."""


def widget_key(cls: StateClass, f: CompiledField) -> str:
    """A stable, readable widget key that cannot collide with another class's or a user's.

    ``st_page_state:<namespace>.<field>``; the namespace is the class's
    module (or script path) and qualified name, unique per class.
    """
    return f"{KEY_PREFIX}{cls.__state_schema__.namespace}.{f.name}"


def bind_kwargs(cls: StateClass, f: CompiledField, value: Any, widget_kwargs: dict[str, Any]) -> dict[str, Any]:
    """The keyword arguments ``PageState.bind`` returns; see the module docstring."""
    kwargs = dict(widget_kwargs)
    _refuse_native_url_binding(cls, f, kwargs)
    frame = caller_frame()
    site = call_site(frame)
    in_call = site.values(frame) if site.written else {}
    del frame
    seed = _seed(cls, f, value, kwargs, in_call)
    key = str(kwargs.pop("key", None) or widget_key(cls, f))
    options = _options(kwargs) or _options(in_call)
    on_change = _on_change(kwargs)
    written = site.written.keys() | kwargs.keys()
    added = added_arguments(site.widget, f.scalar, f.bounds, written)
    shows = f.bounds.narrowed(widget_range(site.widget, f.scalar, {**in_call, **kwargs, **added}, written))

    rt = session.current()
    values = session.synced_values(rt, cls)
    if not _watching_ranges:
        _watch_ranges()
    link, first_bind = rt.widgets.link(key, cls.__state_schema__.namespace, f.name)
    link.options = options
    link.bounds = shows
    session.commit_widget(rt, link)
    if first_bind and seed is not MISSING:
        _apply_seed(rt, cls, f, seed)
    if options is not None:
        _fall_back_if_not_offered(rt, cls, f, options)
    if shows:
        _fall_back_if_out_of_range(rt, cls, f, link)
    show(link, values[f.name])
    return {**kwargs, **added, "key": key, "on_change": on_change}


def _refuse_native_url_binding(cls: StateClass, f: CompiledField, kwargs: dict[str, Any]) -> None:
    if kwargs.get("bind") is not None:
        raise StateConfigError(
            f"{cls.__state_schema__.name}.bind({f.name!r}, bind=...): the field's url_key already "
            "syncs the URL; Streamlit's own bind='query-params' would fight over it. Drop bind=."
        )


def _seed(cls: StateClass, f: CompiledField, value: Any, kwargs: dict[str, Any], in_call: dict[str, Any]) -> Any:
    """The first-run value: ``value=``, or a widget's own ``default=``/``index=`` turned into one.

    ``default=`` (multiselect, pills, feedback, tabs) and ``index=``
    (selectbox, radio) are taken out of the widget call: passed together
    with a key that session state sets, Streamlit would warn. ``index=``
    needs the options: bind()'s ``options=``, or the ones written in the
    widget call (``in_call``).
    """
    default = kwargs.pop("default", MISSING)
    index = kwargs.pop("index", MISSING)
    if value is not None:
        return value
    if default is not MISSING:
        return default
    if index is MISSING:
        return MISSING
    if index is None:
        return None
    options = _options(kwargs) or _options(in_call)
    if options is None:
        raise StateConfigError(
            f"{cls.__state_schema__.name}.bind({f.name!r}, index={index!r}): bind() cannot see "
            "the widget's options. Pass the option itself as value=..., or pass options=[...] "
            "to bind()."
        )
    return options[index]


def _apply_seed(rt: SessionRuntime, cls: StateClass, f: CompiledField, seed: Any) -> None:
    """Seed the field unless it already has a value of its own (from the URL, the store or code)."""
    if f.param is not None and f.param in rt.run.url:
        return
    if not f.is_default(session.synced_values(rt, cls)[f.name]):
        return
    session.set_fallback(rt, cls, f.name, f.validate(seed))


def _fall_back_if_not_offered(rt: SessionRuntime, cls: StateClass, f: CompiledField, options: list[Any]) -> None:
    """A value the widget does not offer falls back (see ``check_options``), with one warning.

    A value that came from the URL in this run gives way to the one it
    displaced, when that one is offered: a bad link changes nothing.
    """
    value = session.synced_values(rt, cls)[f.name]
    fallback = check_options(value, f.default(), options)
    if fallback is None:
        return
    displaced = session.displaced(rt, cls, f.name)
    offered = (
        displaced is not MISSING
        and not isinstance(value, (list, set, frozenset))  # a list keeps the members offered instead
        and check_options(displaced, f.default(), options) is None
    )
    try:
        new = f.validate(displaced if offered else fallback.value)
    except StateValidationError:
        return
    missing = ", ".join(shown(m) for m in fallback.missing[:5])
    _replace(rt, cls, f, value, new, f"{missing} is not one of the widget's options")


def _fall_back_if_out_of_range(rt: SessionRuntime, cls: StateClass, f: CompiledField, link: WidgetLink) -> None:
    """A value the widget cannot show (Streamlit would raise, or reset it to ``min_value``) is replaced first.

    The previous value comes back: the one a URL value displaced in this
    run, else the one the widget last showed, else the default; clamping
    is the last resort when none of them fits.
    """
    value = session.synced_values(rt, cls)[f.name]
    reason = link.bounds.violation(value)
    if reason is None:
        return
    candidates = (session.displaced(rt, cls, f.name), link.shown, f.default(), link.bounds.clamp(value))
    new = next((c for c in (_fitting(f, link, c) for c in candidates) if c is not MISSING), MISSING)
    if new is not MISSING:
        _replace(rt, cls, f, value, new, f"{reason} (the widget's range)")


def _replace(rt: SessionRuntime, cls: StateClass, f: CompiledField, value: Any, new: Any, reason: str) -> None:
    """Set the field to ``new`` before its widget is drawn, and say why: as a refused URL value if it was one."""
    displaced = session.displaced(rt, cls, f.name)
    texts = rt.run.url.get(f.param) if f.param is not None and displaced is not MISSING else None
    if texts is not None:
        outcome = "The previous value was kept." if same_value(new, displaced) else f"Using {shown(new)}."
        notify.warn(Rejection(f, list(texts), reason).message(outcome))
    else:
        name = f"{cls.__state_schema__.name}.{f.name}"
        notify.warn(f"{name}: its widget cannot show {shown(value)} ({reason}); using {shown(new)}.")
    session.correct(rt, cls, f.name, new)


_watching_ranges: list[bool] = []


def _watch_ranges() -> None:
    stx.check_ranges_before_drawing(_check_before_drawing)
    _watching_ranges.append(True)


def _check_before_drawing(widget: str, key: str, arguments: dict[str, Any]) -> None:
    """A bound slider or number_input is about to be drawn: check its value against the range as drawn.

    bind() checked what it could read from the source; here every bound is
    a plain value (``len(rows)`` included), so the value Streamlit gets is
    one it can show. See ``_streamlit.check_ranges_before_drawing``.
    """
    rt = session.current_if_begun()
    link = rt.widgets.by_key.get(key) if rt is not None else None
    if rt is None or link is None:
        return
    cls = session.class_for(rt, link.namespace)
    if cls is None or link.field not in cls.__state_schema__.fields:
        return
    f = cls.__state_schema__.fields[link.field]
    drawn = {name: value for name, value in arguments.items() if value is not None}
    link.bounds = f.bounds.narrowed(widget_range(widget, f.scalar, drawn, ()))
    _fall_back_if_out_of_range(rt, cls, f, link)
    show(link, session.synced_values(rt, cls)[f.name])


def _fitting(f: CompiledField, link: WidgetLink, candidate: Any) -> Any:
    """``candidate`` as a valid value of the field inside the widget's range, or MISSING."""
    if candidate is MISSING:
        return MISSING
    try:
        value = f.validate(candidate)
    except StateValidationError:
        return MISSING
    return value if link.bounds.violation(value) is None else MISSING


def _options(kwargs: dict[str, Any]) -> list[Any] | None:
    for name in OPTION_PARAMS:
        if name in kwargs:
            return stx.options_list(kwargs[name])
    return None


def _on_change(kwargs: dict[str, Any]) -> Any:
    """``"rerun"``, the caller's mode string, or the caller's callback run after the field is updated."""
    callback = kwargs.pop("on_change", None)
    args: tuple[Any, ...] = tuple(kwargs.pop("args", None) or ())
    cb_kwargs: dict[str, Any] = dict(kwargs.pop("kwargs", None) or {})
    if callback is None:
        return "rerun"
    if isinstance(callback, str):
        return callback
    user_callback: Callable[..., Any] = callback

    def on_change() -> None:
        session.current()  # the first state access of a run commits every changed widget
        user_callback(*args, **cb_kwargs)

    return on_change
