"""Widgets as Streamlit records them: ids, metadata, what was drawn this run, a check as drawn, modes they take.

+------------------------------------+----------------------------+-------------------+-------------------------------+
| internal                           | why no public API serves   | checked on        | fallback when missing         |
+====================================+============================+===================+===============================+
| ``widget_id_of_key``: called:      | st.session_state maps keys | method 1.67;      | no widget counts as drawn (as |
| SessionState                       | to values, not to widget   | mapper 1.55-1.66  | widgets_drawn without it)     |
| .get_widget_id_from_key(key), or   | ids                        |                   |                               |
| ._key_id_mapper                    |                            |                   |                               |
| .get_id_from_key(key, None)        |                            |                   |                               |
+------------------------------------+----------------------------+-------------------+-------------------------------+
| ``widget_metadata``: called:       | a widget's metadata        | method 1.67;      | the URL element is drawn by   |
| SessionState                       | (callbacks, presenter) is  | private 1.55-1.66 | its component call in every   |
| .get_widget_metadata(id), or       | not public                 |                   | run, with Streamlit's         |
| ._get_widget_metadata(id)          |                            |                   | presenter                     |
+------------------------------------+----------------------------+-------------------+-------------------------------+
| ``widgets_drawn``: read:           | Streamlit raises when a    | shared 1.59-1.67; | no widget counts as drawn: a  |
| ctx.shared .widget_ids_this_run    | drawn widget's key is      | context 1.58;     | late field write meets        |
| .snapshot(), or                    | written, and tells nothing | context_set       | Streamlit's error, not        |
| ctx.widget_ids_this_run (a set     | before                     | 1.55-1.57         | WidgetOrderError              |
| before 1.58)                       |                            |                   |                               |
+------------------------------------+----------------------------+-------------------+-------------------------------+
| ``range_check``: replaced          | bounds written as          | 1.55-1.67         | bind() adds and checks the    |
| process-wide: SliderMixin._slider  | expressions, or in a call  |                   | bounds it reads in the call's |
| and NumberInputMixin._number_input | bind() cannot read (a      |                   | source; a URL value outside a |
| (keyword arguments); the check may | helper), are known only    |                   | bound it cannot read (or the  |
| add min_value/max_value            | when the widget is drawn   |                   | slider's own 0-100 in a       |
|                                    |                            |                   | helper's call) makes          |
|                                    |                            |                   | st.slider raise               |
+------------------------------------+----------------------------+-------------------+-------------------------------+
| ``date_range_check``: replaced     | as range_check: bounds are | 1.55-1.67         | bind() adds and checks the    |
| process-wide:                      | known only when the widget |                   | bounds it reads in the call's |
| TimeWidgetsMixin._date_input and   | is drawn                   |                   | source; a URL date outside a  |
| TimeWidgetsMixin._datetime_input   |                            |                   | bound it cannot read makes    |
| (keyword arguments); the check may |                            |                   | st.date_input raise, and      |
| add min_value/max_value            |                            |                   | st.datetime_input show (and   |
|                                    |                            |                   | the field take) the time now  |
+------------------------------------+----------------------------+-------------------+-------------------------------+
| ``rerun_mode``: read: the default  | a widget whose default it  | every 1.66-1.67;  | on_change=None, the same as   |
| of on_change in each input         | is not refuses             | some 1.63-1.65;   | "rerun" on every release and  |
| widget's signature (st.checkbox,   | on_change="rerun" (1.64,   | absent 1.55-1.62  | allowed in forms, for each    |
| ...): "rerun" there means the      | 1.65) or takes it for a    |                   | widget whose default is not   |
| widget takes the mode              | callback: a TypeError on   |                   | "rerun"                       |
|                                    | change, an error in a form |                   |                               |
|                                    | (before 1.64); None, the   |                   |                               |
|                                    | older spelling, is         |                   |                               |
|                                    | deprecated from 1.66 on    |                   |                               |
+------------------------------------+----------------------------+-------------------+-------------------------------+
| ``bound_containers``: read:        | a public parameter; read   | 1.55-1.67         | bind() on st.tabs or          |
| st.tabs and st.expander take key   | once so that bind() can    |                   | st.expander raises            |
| and on_change="rerun" (their       | say what this release      |                   | StateConfigError naming the   |
| state, .open)                      | lacks                      |                   | release                       |
+------------------------------------+----------------------------+-------------------+-------------------------------+
| ``options_list``: called:          | how Streamlit reads        | 1.55-1.67         | lists, tuples, sets, ranges   |
| streamlit.dataframe_util           | options (a frame's first   |                   | and dict keys are read; other |
| .convert_anything_to_list(options) | column) is not public      |                   | options are checked after the |
|                                    |                            |                   | draw                          |
+------------------------------------+----------------------------+-------------------+-------------------------------+

``ctx`` is the run's ``ScriptRunContext``; the session state is read behind
its lock (``session_state_unlocked`` in :mod:`.run`).
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..errors import PageStateError, StateConfigError
from ..log import log
from . import capabilities
from .capabilities import Capabilities
from .probes import BOUND_CONTAINERS, INPUT_WIDGETS

if TYPE_CHECKING:
    from streamlit.runtime.scriptrunner import ScriptRunContext

_RENDERED_BY_METHOD = False
"""Hot path on Streamlit 1.67: the id through ``get_widget_id_from_key``, the drawn ids in ``ctx.shared``."""
_RERUN_WIDGETS: frozenset[str] = frozenset()
"""The input widgets that take ``on_change="rerun"`` (all of them from Streamlit 1.66 on)."""
_caps = capabilities.CURRENT


@capabilities.applies
def _use(caps: Capabilities) -> None:
    global _RENDERED_BY_METHOD, _RERUN_WIDGETS, _caps
    _caps = caps
    _RERUN_WIDGETS = caps.rerun_widgets if caps.rerun_mode else frozenset()
    _RENDERED_BY_METHOD = (
        caps.session_state_unlocked and caps.widget_id_of_key == "method" and caps.widgets_drawn == "shared"
    )


def widget_rendered_this_run(ctx: ScriptRunContext, key: str) -> bool:
    """Whether the widget with user key ``key`` was drawn in this run (its key is then read-only).

    Mirrors the check Streamlit makes before raising
    ``StreamlitWidgetAlreadyInstantiatedError`` on a write to that key.
    """
    if _RENDERED_BY_METHOD:
        widget_id = ctx.session_state._state.get_widget_id_from_key(key)
        return widget_id is not None and widget_id in ctx.shared.widget_ids_this_run
    return _rendered_elsewhere(ctx, key)


def _rendered_elsewhere(ctx: ScriptRunContext, key: str) -> bool:
    """:func:`widget_rendered_this_run` on the other layouts (before 1.67, before 1.59), or False without them."""
    if not _caps.session_state_unlocked:
        return False
    widget_id = widget_id_of_key(ctx.session_state._state, key)
    if widget_id is None:
        return False
    drawn = _caps.widgets_drawn
    if drawn == "shared":
        return widget_id in ctx.shared.widget_ids_this_run
    if drawn is None:
        return False
    return widget_id in ctx.widget_ids_this_run  # type: ignore[attr-defined]


def widget_id_of_key(state: Any, key: str) -> str | None:
    """The id the widget with user key ``key`` last registered under in SessionState ``state``, or None."""
    how = _caps.widget_id_of_key
    if how == "method":
        return state.get_widget_id_from_key(key)  # type: ignore[no-any-return]
    if how == "mapper":
        return state._key_id_mapper.get_id_from_key(key, None)  # type: ignore[no-any-return]
    return None


def widget_metadata(state: Any, widget_id: str) -> Any:
    """A registered widget's metadata in SessionState ``state``, or None."""
    how = _caps.widget_metadata
    if how == "method":
        return state.get_widget_metadata(widget_id)
    if how == "private":
        return state._get_widget_metadata(widget_id)
    return None


def drawn_widget_ids(ctx: ScriptRunContext) -> frozenset[str]:
    """The ids of the widgets drawn in this run so far (empty when Streamlit does not say)."""
    drawn = _caps.widgets_drawn
    if drawn == "shared":
        return ctx.shared.widget_ids_this_run.snapshot()
    if drawn == "context":
        return ctx.widget_ids_this_run.snapshot()  # type: ignore[attr-defined, no-any-return]
    if drawn == "context_set":
        return frozenset(ctx.widget_ids_this_run)  # type: ignore[attr-defined]
    return frozenset()


def on_change_mode(widget: str | None) -> str | None:
    """What bind() passes as ``on_change`` to ``st.<widget>`` when the caller gives no callback.

    ``"rerun"`` where the widget takes it; else ``None``, the older
    spelling of the same (every release takes it, also inside a form).
    ``st.tabs`` and ``st.expander`` refuse ``None`` and need ``"rerun"`` to
    report their state; a Streamlit where they cannot gets a clear error.
    An unknown widget (``None``: bind() could not read the call) gets
    ``"rerun"`` only where every input widget takes it.
    """
    if widget in BOUND_CONTAINERS:
        if not _caps.bound_containers:
            raise StateConfigError(
                f"st.{widget} of Streamlit {_caps.streamlit_version} takes no key and on_change='rerun', so "
                f"bind() cannot follow which one is open. Upgrade Streamlit, or draw st.{widget} without bind()."
            )
        return "rerun"
    if widget in _RERUN_WIDGETS or (_caps.rerun_mode == "every" and widget not in INPUT_WIDGETS):
        return "rerun"
    return None


def options_list(options: Any) -> list[Any] | None:
    """A widget's ``options`` argument as a list, the way Streamlit reads it (first column of a frame).

    A plain string is not a list of options (``st.feedback(options="stars")``).
    """
    if isinstance(options, str):
        return None
    if _caps.options_list:
        from streamlit.dataframe_util import convert_anything_to_list

        return list(convert_anything_to_list(options))
    if isinstance(options, (list, tuple, set, frozenset, range, dict)):
        return list(options)
    return None


RangeCheck = Callable[[str, str, dict[str, Any]], None]
"""``check(widget, key, arguments)``: called with a widget's keyword arguments just before it is drawn;
it may add arguments the call left out (they are the dict the drawing method is then called with)."""

_RANGED_WIDGETS = (
    ("range_check", "streamlit.elements.widgets.slider", "SliderMixin", "_slider", "slider"),
    ("range_check", "streamlit.elements.widgets.number_input", "NumberInputMixin", "_number_input", "number_input"),
    ("date_range_check", "streamlit.elements.widgets.time_widgets", "TimeWidgetsMixin", "_date_input", "date_input"),
    (
        "date_range_check",
        "streamlit.elements.widgets.time_widgets",
        "TimeWidgetsMixin",
        "_datetime_input",
        "datetime_input",
    ),
)
"""(capability flag, module, class, drawing method, widget) of each widget the range check wraps."""
_DRAW_MARK = "_st_page_state_range_check"


def check_ranges_before_drawing(check: RangeCheck) -> frozenset[str]:
    """Have ``check`` see every ranged widget call's arguments before Streamlit draws it.

    The ranged widgets (``st.slider``, ``st.number_input``, ``st.date_input``,
    ``st.datetime_input``) raise on a value outside ``min_value``/``max_value``
    (``st.number_input`` silently resets it to ``min_value``). Their bounds may
    be written as any expression (``len(rows)``), or the call may be one
    bind() cannot read at all (a helper function that takes the widget):
    when the widget is drawn, its arguments are plain values. ``check`` gets
    them, with the key, in time to put a value the widget can show under the
    key, and may add the arguments the field implies (its bounds) to the
    dict the widget is then drawn with. Wraps the widgets' internal drawing
    methods once per process (each public widget function calls its method
    with keyword arguments only); a widget whose method this Streamlit lacks
    (``range_check``, ``date_range_check``) is left as it is, and bind()
    checks the bounds it can read. A library error the check raises (a
    field bound to a widget that cannot show it) reaches the app; any other
    failure is logged. Returns the names of the widgets checked.
    """
    checked: set[str] = set()
    for flag, module_name, class_name, method_name, widget in _RANGED_WIDGETS:
        if not getattr(_caps, flag):
            continue
        owner = getattr(importlib.import_module(module_name), class_name)
        original = getattr(owner, method_name)
        if not getattr(original, _DRAW_MARK, False):
            setattr(owner, method_name, _checked(original, widget, check))
        checked.add(widget)
    return frozenset(checked)


def _checked(original: Callable[..., Any], widget: str, check: RangeCheck) -> Callable[..., Any]:
    @functools.wraps(original)
    def drawing(self: Any, *args: Any, **kwargs: Any) -> Any:
        key = kwargs.get("key")
        if key is not None:
            try:
                check(widget, str(key), kwargs)
            except PageStateError:
                raise
            except Exception:
                log.exception("checking a %s's range failed", widget)
        return original(self, *args, **kwargs)

    setattr(drawing, _DRAW_MARK, True)
    return drawing
