"""Hooks at the start and the end of every run of a session, and the widgets kept through a run's end.

+------------------------------------+----------------------------+-------------------+-------------------------------+
| internal                           | why no public API serves   | checked on        | fallback when missing         |
+====================================+============================+===================+===============================+
| ``run_end_hook``: replaced per     | no end-of-run callback; a  | 1.55-1.67         | session-only: no URL writes,  |
| instance: SafeSessionState         | run's changes are written  |                   | no store saves, no panel      |
| .on_script_finished(               | to the URL once, at its    |                   | redraw; a link is read in the |
| widget_ids_this_run, ...)          | end                        |                   | first run                     |
+------------------------------------+----------------------------+-------------------+-------------------------------+
| ``run_start_hook``: replaced per   | no run-start callback;     | 1.55-1.67         | nothing published: every      |
| instance: ScriptRunContext.reset,  | values published for fast  |                   | field read takes the slow     |
| called first in every run of a     | reads must be forgotten    |                   | path (about 1 us)             |
| script runner                      | first                      |                   |                               |
+------------------------------------+----------------------------+-------------------+-------------------------------+

Both hooks wrap a method of one instance (never the class), so they follow
the session that installed them: Streamlit makes a new ``SafeSessionState``
and ``ScriptRunContext`` with each script runner, and the caller installs
on every run (installing twice changes nothing).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from streamlit.runtime.scriptrunner import get_script_run_ctx

from ..log import log
from . import capabilities
from .capabilities import Capabilities
from .widgets import drawn_widget_ids

if TYPE_CHECKING:
    from streamlit.runtime.scriptrunner import ScriptRunContext

_END_MARK = "_st_page_state_run_end_hooks"
_START_MARK = "_st_page_state_run_start_hooks"
_KEPT_MARK = "_st_page_state_kept_widgets"
_RUN_MARK = "_st_page_state_run"
_caps = capabilities.CURRENT


@capabilities.applies
def _use(caps: Capabilities) -> None:
    global _caps
    _caps = caps


def install_run_end_hook(ctx: ScriptRunContext, hook: Callable[[], None]) -> None:
    """Call ``hook`` at the end of every run of this session, before widget cleanup.

    Wraps ``on_script_finished`` of the run's own ``SafeSessionState``.
    Widgets that the hook registers (the URL bridge) and those kept by
    :func:`keep_widgets_this_run` are added to the run's widget set, so
    Streamlit does not treat them as stale. Without the method (see the
    table), nothing is installed and no run ends: the session's states
    live in the session only.
    """
    if not _caps.run_end_hook:
        return
    state = ctx.session_state
    hooks: list[Callable[[], None]] | None = state.__dict__.get(_END_MARK)
    if hooks is not None:
        if hook not in hooks:
            hooks.append(hook)
        return
    hooks = [hook]
    object.__setattr__(state, _END_MARK, hooks)
    original = type(state).on_script_finished

    def on_script_finished(widget_ids_this_run: frozenset[str], *args: Any, **kwargs: Any) -> None:
        _run_each(hooks, "end-of-run")
        run_ctx = get_script_run_ctx(suppress_warning=True)
        if run_ctx is not None:
            widget_ids_this_run = widget_ids_this_run | drawn_widget_ids(run_ctx)
        kept: set[str] | None = state.__dict__.get(_KEPT_MARK)
        if kept:
            widget_ids_this_run = widget_ids_this_run | kept
            kept.clear()
        original(state, widget_ids_this_run, *args, **kwargs)

    object.__setattr__(state, "on_script_finished", on_script_finished)


def keep_widgets_this_run(ctx: ScriptRunContext, widget_ids: Iterable[str]) -> None:
    """Count ``widget_ids`` as drawn in this run (an element sent again without Streamlit's drawing path)."""
    kept: set[str] = ctx.session_state.__dict__.setdefault(_KEPT_MARK, set())
    kept.update(widget_ids)


def install_run_start_hook(ctx: ScriptRunContext, hook: Callable[[], None]) -> bool:
    """Call ``hook`` at the start of every later run of this script runner, in its thread.

    Wraps ``reset`` of the run's own ``ScriptRunContext``, which the script
    runner calls first thing in every run it makes (full, fragment,
    ``st.rerun()``), before widget callbacks. The runner's first run has
    begun already when the first state access installs it; that run has a
    new thread of its own. Returns False when the runtime lacks the method
    (the caller then publishes no values).
    """
    if not _caps.run_start_hook:
        return False
    hooks: list[Callable[[], None]] | None = ctx.__dict__.get(_START_MARK)
    if hooks is not None:
        if hook not in hooks:
            hooks.append(hook)
        return True
    hooks = [hook]
    object.__setattr__(ctx, _START_MARK, hooks)
    original = type(ctx).reset

    def reset(*args: Any, **kwargs: Any) -> Any:
        _run_each(hooks, "run-start")
        return original(ctx, *args, **kwargs)

    object.__setattr__(ctx, "reset", reset)
    return True


def renewed_marker(ctx: ScriptRunContext) -> object:
    """A run identity without ``ctx.cursors``: an object on the context that the run-start hook replaces."""
    marker: object | None = ctx.__dict__.get(_RUN_MARK)
    if marker is None:
        marker = object()
        object.__setattr__(ctx, _RUN_MARK, marker)
        install_run_start_hook(ctx, lambda: object.__setattr__(ctx, _RUN_MARK, object()))
    return marker


def context_data(ctx: ScriptRunContext) -> dict[str, Any]:
    """The library's own data on the run's context: it lives as long as the script runner (``run_context``)."""
    return ctx.__dict__


def _run_each(hooks: list[Callable[[], None]], moment: str) -> None:
    for each in list(hooks):
        try:
            each()
        except Exception:
            log.exception("%s hook failed", moment)
