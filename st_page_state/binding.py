"""``PageState.bind``: make a Streamlit input widget a two-way view of a field.

``bind()`` returns keyword arguments for the widget call: a ``key`` derived
from the field, and ``on_change``. It never returns ``value=``, ``index=``
or ``default=``: the widget is seeded only through ``st.session_state``
under its key, before it is drawn, which is the one way Streamlit accepts
without its "default value but also set via Session State" warning.

``on_change`` is ``"rerun"`` unless the caller passes a callback, or
``None`` (the older spelling of the same) for a widget that does not take
the mode on this Streamlit release (``stx.on_change_mode``, decided at
import). Both are accepted inside ``st.form`` (where a callable is
forbidden), and ``"rerun"`` makes ``st.tabs``/``st.expander`` report their
state. The field does not need a callback to learn the new value:
the session commits every changed widget when the next run starts (see
:mod:`st_page_state.session`), which also commits a form's widgets when it
is submitted.

The field's own storage never depends on the widget's key: Streamlit
deletes a widget's key when the widget is not rendered, while the field
must keep its value (conditional UI, tabs, page switches).

``bind()`` also catches the mistakes it can see before Streamlit fails in
its own words: a field type the widget cannot hold, ``bind="query-params"``
beside it, a second widget with the same key (see
``widget_fallbacks.refuse_misfit``). A call it cannot read (a helper that
takes the widget) is no excuse for a crash: ranged widgets get the field's
bounds as they are drawn (``widget_fallbacks.watching_drawn_ranges``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import _streamlit as stx
from . import session
from . import widget_fallbacks as fallbacks
from .errors import StateConfigError
from .missing import MISSING
from .runtime import SessionRuntime
from .schema import CompiledField, StateClass
from .widgets.call_site import call_site, caller_frame
from .widgets.ranges import added_arguments, may_replace, widget_range
from .widgets.sync import show

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
    frame = caller_frame()
    site = call_site(frame)
    in_call = site.values(frame) if site.written else {}
    del frame
    fallbacks.refuse_misfit(cls, f, site.widget, kwargs, in_call)
    seed = _seed(cls, f, value, kwargs, in_call)
    key = str(kwargs.pop("key", None) or widget_key(cls, f))
    options = _options(kwargs) or _options(in_call)
    on_change = _on_change(kwargs, site.widget)
    written = site.written | kwargs.keys()
    added = added_arguments(site.widget, f.scalar, f.bounds, written)
    # Installed whatever the call site says: a ranged widget bind() cannot
    # see (a helper that takes the widget) gets its bounds as it is drawn.
    checked_when_drawn = site.widget in fallbacks.watching_drawn_ranges()

    rt = session.current()
    _refuse_second_widget(rt, cls, f, key)
    values = session.synced_values(rt, cls)
    link, created, first_for_field = rt.widgets.link(key, cls.__state_schema__.namespace, f.name)
    link.options = options
    link.replaceable = may_replace(site.widget, options is not None, checked_when_drawn)
    if created:  # an older link was committed when the run began
        session.commit_widget(rt, link)
    if first_for_field and seed is not MISSING:
        _apply_seed(rt, cls, f, seed)
    if options is not None:
        fallbacks.fall_back_if_not_offered(rt, cls, f, options)
    if not checked_when_drawn:  # else checked once more, exactly, as the widget is drawn
        link.bounds = f.bounds.narrowed(widget_range(site.widget, f.scalar, {**in_call, **kwargs, **added}, written))
        if link.bounds:
            fallbacks.fall_back_if_out_of_range(rt, cls, f, link)
    show(link, values[f.name])
    return {**kwargs, **added, "key": key, "on_change": on_change}


def _refuse_second_widget(rt: SessionRuntime, cls: StateClass, f: CompiledField, key: str) -> None:
    """A key bound again in this run after its widget was drawn: Streamlit would refuse a second widget with it.

    Also where a ``bind="query-params"`` that bind() could not see is
    found: Streamlit registered it when the widget was drawn (a run before).
    """
    bound = rt.run.bound_keys
    ctx = stx.current_context()
    if ctx is None:
        return
    if key not in bound:
        bound.add(key)
        if stx.is_bound_natively(ctx, key):
            fallbacks.refuse_misfit(cls, f, None, {"bind": "query-params"})  # raises
        return
    if not stx.widget_rendered_this_run(ctx, key):
        return
    name = cls.__state_schema__.name
    raise StateConfigError(
        f"{name}.bind({f.name!r}) is called for a second widget in this run, with the same key {key!r}: "
        f"Streamlit refuses two widgets with one key. To show the field in two widgets, give each its own "
        f"key: **{name}.bind({f.name!r}, key=\"{f.name}_2\"); both stay in step with the field."
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


def _options(kwargs: dict[str, Any]) -> list[Any] | None:
    for name in OPTION_PARAMS:
        if name in kwargs:
            return stx.options_list(kwargs[name])
    return None


def _on_change(kwargs: dict[str, Any], widget: str | None) -> Any:
    """The widget's rerun mode (``stx.on_change_mode``), the caller's mode string, or the caller's callback
    run after the field is updated."""
    callback = kwargs.pop("on_change", None)
    args: tuple[Any, ...] = tuple(kwargs.pop("args", None) or ())
    cb_kwargs: dict[str, Any] = dict(kwargs.pop("kwargs", None) or {})
    if callback is None:
        return stx.on_change_mode(widget)
    if isinstance(callback, str):
        return callback
    user_callback: Callable[..., Any] = callback

    def on_change() -> None:
        session.current()  # the first state access of a run commits every changed widget
        user_callback(*args, **cb_kwargs)

    return on_change
