"""Replacing a value a widget cannot show, before Streamlit draws the widget.

A field can hold a value its widget cannot show: a stale option, a number
outside the widget's range. Streamlit would raise (``st.slider``), or
silently show something else (its first option, its ``min_value``). These
functions replace the value first, by the rules README states ("Bounds,
options and links that do not fit"): a value the URL brought in this run
gives way to the one it displaced; otherwise the value the widget last
showed, the default, and clamping as the last resort. The replacement goes
through ``session.correct``, which ends the run with a redraw so everything
on the page agrees.

bind() calls them with what it can read; sliders, number inputs and date
inputs are checked once more when they are drawn, with their real
arguments, and get the field's bounds there when the call left them out
(:func:`watching_drawn_ranges`). :func:`refuse_misfit` refuses, at bind
time or as the widget is drawn, a field its widget cannot show at all.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import _streamlit as stx
from . import notify, session
from .errors import StateConfigError, StateValidationError
from .log import shown
from .missing import MISSING
from .runtime import SessionRuntime
from .schema import CompiledField, StateClass, describe_type, same_value
from .url import Rejection
from .widgets.fit import misfit
from .widgets.links import WidgetLink
from .widgets.ranges import added_arguments, widget_range
from .widgets.sync import show
from .widgets.values import check_options

_watching: list[frozenset[str]] = []


def watching_drawn_ranges() -> frozenset[str]:
    """Check every bound ranged widget (slider, number and date inputs) as it is drawn (installed once per process).

    The widgets that are: those whose drawing method this Streamlit has
    (none without the internals; see ``range_check`` and ``date_range_check``).
    """
    if not _watching:
        _watching.append(stx.check_ranges_before_drawing(_check_when_drawn))
    return _watching[0]


def fall_back_if_not_offered(rt: SessionRuntime, cls: StateClass, f: CompiledField, options: list[Any]) -> None:
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


def fall_back_if_out_of_range(rt: SessionRuntime, cls: StateClass, f: CompiledField, link: WidgetLink) -> bool:
    """A value the widget cannot show (Streamlit would raise, or reset it to ``min_value``) is replaced first.

    The previous value comes back: the one a URL value displaced in this
    run, else the one the widget last showed, else the default; clamping
    is the last resort when none of them fits.
    """
    value = session.synced_values(rt, cls)[f.name]
    reason = link.bounds.violation(value)
    if reason is None:
        return False
    candidates = (session.displaced(rt, cls, f.name), link.shown, f.default(), link.bounds.clamp(value))
    new = next((c for c in (_fitting(f, link, c) for c in candidates) if c is not MISSING), MISSING)
    if new is MISSING:
        return False
    _replace(rt, cls, f, value, new, f"{reason} (the widget's range)")
    return True


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


def _check_when_drawn(widget: str, key: str, arguments: dict[str, Any]) -> None:
    """A bound ranged widget is about to be drawn: give it the field's bounds, then check its value against them.

    bind() added what it could read from the source; a call it could not
    read (a helper that takes the widget as an argument) gets the field's
    bounds here, so they come from the field however bind() is called. Here
    every bound is a plain value (``len(rows)`` included), so the value
    Streamlit gets is one it can show. See ``_streamlit.check_ranges_before_drawing``.
    """
    rt = session.current_if_begun()
    link = rt.widgets.by_key.get(key) if rt is not None else None
    if rt is None or link is None:
        return
    cls = session.class_for(rt, link.namespace)
    if cls is None or link.field not in cls.__state_schema__.fields:
        return
    f = cls.__state_schema__.fields[link.field]
    refuse_misfit(cls, f, widget, arguments)
    drawn = {name: value for name, value in arguments.items() if value is not None}
    added = added_arguments(widget, f.scalar, f.bounds, drawn.keys())
    arguments.update(added)
    drawn.update(added)
    link.bounds = f.bounds.narrowed(widget_range(widget, f.scalar, drawn, ()))
    if fall_back_if_out_of_range(rt, cls, f, link):
        show(link, session.synced_values(rt, cls)[f.name])  # also in a fragment run, where a change is not pushed


def refuse_misfit(cls: StateClass, f: CompiledField, widget: str | None, *given: Mapping[str, Any]) -> None:
    """Raise ``StateConfigError`` for a field bound to a widget that cannot show it, or beside ``bind="query-params"``.

    ``given``: what the call is known to pass (``selection_mode``,
    ``options``, ``bind``), the first mapping that has a name wins. Runs
    for every bound widget on every run: the common case is two lookups.
    """
    native = _argument("bind", given)
    if native is not None:
        raise StateConfigError(
            f"{cls.__state_schema__.name}.bind({f.name!r}) and bind={native!r} are given to one widget: the "
            "field's url_key already keeps the URL in step with the widget (a field without url_key stays "
            "out of the URL on purpose), while Streamlit's own URL binding would put the widget's key into "
            "the URL and fight over the value. Drop bind= from the widget call."
        )
    if widget is None:
        return
    problem = widget_misfit(widget, f, _argument("selection_mode", given) == "multi", _argument("options", given))
    if problem is not None:
        raise StateConfigError(
            f"{cls.__state_schema__.name}.bind({f.name!r}): the field is a {describe_type(f.annotation)}, "
            f"and {problem}"
        )


def _argument(name: str, given: tuple[Mapping[str, Any], ...]) -> Any:
    for arguments in given:
        if name in arguments:
            return arguments[name]
    return None


_MISFITS: dict[tuple[str, bool, int], tuple[CompiledField, str | None]] = {}
"""Per (widget, multi, field id): the field and whether it fits (bind() asks on every run)."""


def widget_misfit(widget: str, f: CompiledField, multi: bool, options: Any) -> str | None:
    """``fit.misfit`` for ``f``, remembered per field and widget (options only matter for a misfit)."""
    cache_key = (widget, multi, id(f))
    known = _MISFITS.get(cache_key)
    if known is not None and known[0] is f:
        problem = known[1]
    else:
        problem = misfit(widget, f.annotation, multi=multi, options=None)
        if len(_MISFITS) > 4096:
            _MISFITS.clear()
        _MISFITS[cache_key] = (f, problem)
    if problem is not None and options is not None:
        return misfit(widget, f.annotation, multi=multi, options=stx.options_list(options))
    return problem


def _fitting(f: CompiledField, link: WidgetLink, candidate: Any) -> Any:
    """``candidate`` as a valid value of the field inside the widget's range, or MISSING."""
    if candidate is MISSING:
        return MISSING
    try:
        value = f.validate(candidate)
    except StateValidationError:
        return MISSING
    return value if link.bounds.violation(value) is None else MISSING


