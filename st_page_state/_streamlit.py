"""The few places where st-page-state reaches into Streamlit's runtime.

Kept in one module so a Streamlit upgrade that moves an internal breaks
one file, and so every other module only sees plain functions. Two things
here have no public API in Streamlit:

* an end-of-run hook: the URL engine batches all changes of a run into one
  URL write, which must happen once the script body is done;
* a query-param write that sends exactly one message and leaves params bound
  natively by widgets (``bind="query-params"``) untouched.

When an internal is missing, each function degrades to a slower but correct
public-API path instead of failing, with one log line.
"""

from __future__ import annotations

import dataclasses
import functools
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import streamlit as st
from streamlit.runtime.scriptrunner_utils.script_run_context import (
    ScriptRunContext,
    get_script_run_ctx,
)

from .errors import PageStateError
from .log import log
from .query import Query

__all__ = ["ScriptRunContext"]

_HOOK_MARK = "_st_page_state_run_end_hooks"
_KEPT_MARK = "_st_page_state_kept_widgets"
_missing_hook_logged: list[bool] = []


def current_context() -> ScriptRunContext | None:
    """The running script's context, or ``None`` outside a script run."""
    return get_script_run_ctx(suppress_warning=True)


def run_marker(ctx: ScriptRunContext) -> object:
    """An object that changes identity with every script run (full or fragment).

    ``ScriptRunContext.reset`` gives each run a fresh ``cursors`` dict, which
    is the cheapest per-run identity available on every Streamlit version
    that has Custom Components v2.
    """
    return ctx.cursors


def is_history_navigation(ctx: ScriptRunContext) -> bool:
    """Whether this run was caused by the browser's Back/Forward buttons."""
    return bool(getattr(ctx, "is_history_navigation", False))


def page_id(ctx: ScriptRunContext) -> str:
    try:
        return str(ctx.page_script_hash)
    except Exception:  # pragma: no cover - older runtimes
        return ""


def is_fragment_run(ctx: ScriptRunContext) -> bool:
    return bool(getattr(ctx, "fragment_ids_this_run", None))


def widget_rendered_this_run(ctx: ScriptRunContext, key: str) -> bool:
    """Whether the widget with user key ``key`` was drawn in this run (its key is then read-only).

    Mirrors the check Streamlit makes before raising
    ``StreamlitWidgetAlreadyInstantiatedError`` on a write to that key.
    """
    state = getattr(ctx.session_state, "_state", None)
    widget_id = _widget_id_of_key(state, key)
    return widget_id is not None and widget_id in ctx.shared.widget_ids_this_run


def _widget_id_of_key(state: Any, key: str) -> str | None:
    """The id the widget with user key ``key`` last registered under, or None.

    Streamlit 1.67 made this public (``get_widget_id_from_key``); 1.66 has
    only the key-id mapper behind it.
    """
    get_id = getattr(state, "get_widget_id_from_key", None)
    if get_id is not None:
        return get_id(key)  # type: ignore[no-any-return]
    mapper = getattr(state, "_key_id_mapper", None)
    if mapper is None:  # pragma: no cover - a runtime outside the supported range
        return None
    return mapper.get_id_from_key(key, None)  # type: ignore[no-any-return]


def _widget_metadata(state: Any, widget_id: str) -> Any:
    """A registered widget's metadata, or None (``get_widget_metadata`` is public from Streamlit 1.67)."""
    get = getattr(state, "get_widget_metadata", None) or state._get_widget_metadata
    return get(widget_id)


def options_list(options: Any) -> list[Any] | None:
    """A widget's ``options`` argument as a list, the way Streamlit reads it (first column of a frame).

    A plain string is not a list of options (``st.feedback(options="stars")``).
    """
    if isinstance(options, str):
        return None
    from streamlit.dataframe_util import convert_anything_to_list

    return list(convert_anything_to_list(options))


_real_server: list[tuple[object, bool]] = []
"""The last runtime asked about, and whether it is a real server (asked on runs that write the URL)."""


def is_real_server() -> bool:
    """Whether a ``streamlit run`` server runs the app (AppTest installs a mock runtime and sets ``global.appTest``).

    Known once per runtime instance: AppTest installs a new one for every run.
    """
    try:
        from streamlit import config, runtime

        if not runtime.exists():
            return False
        instance = runtime.get_instance()
        if _real_server and _real_server[0][0] is instance:
            return _real_server[0][1]
        real = not bool(config.get_option("global.appTest"))
    except Exception:  # pragma: no cover - other Streamlit versions
        return False
    _real_server[:] = [(instance, real)]
    return real


class EventSlot:
    """A reserved position of the page's *event* container, and the container that writes there.

    The event container is where Streamlit puts toasts and style-only HTML:
    what it holds takes no room in the page, so a zero-height component
    there shifts nothing (in the main container it would add a block gap).
    Like ``st.empty()``, a later run (a fragment run) can write into the
    slot to replace the element in place, but nothing is sent until
    something is written: ``st.empty()`` first sends an empty element, and a
    component already at that position would be unmounted and mounted
    again. The ``DeltaGenerator`` is only built when something is drawn
    through it (:meth:`container`): an element sent again needs just the
    position (:attr:`path`).
    """

    __slots__ = ("_cursor", "_dg", "_parent")

    def __init__(self, cursor: Any, parent: Any, dg: Any = None) -> None:
        self._cursor, self._parent, self._dg = cursor, parent, dg

    @property
    def path(self) -> tuple[int, ...] | None:
        """The delta path of the position (None: a fallback container, draw through :meth:`container`)."""
        return tuple(self._cursor.delta_path) if self._cursor is not None else None

    def container(self) -> Any:
        """A ``DeltaGenerator`` writing at this position (``with slot.container(): component(...)``)."""
        if self._dg is None:
            from streamlit.delta_generator import DeltaGenerator

            cursor = self._cursor
            self._dg = DeltaGenerator(root_container=cursor.root_container, cursor=cursor, parent=self._parent)
        return self._dg


def event_slot() -> EventSlot:
    """Reserve the next position of the page's event container (see :class:`EventSlot`).

    Falls back to ``st.empty()`` in the main container when the internals
    are missing.
    """
    try:
        events = st._event
        cursor = events._cursor
        if cursor is not None:
            return EventSlot(cursor.lock_element(), events)
    except Exception:  # pragma: no cover - other Streamlit versions
        pass
    return EventSlot(None, None, st.empty())


def keep_through_interrupts(kept: Callable[[Any], bool]) -> None:
    """Have Streamlit keep the element deltas ``kept`` picks when a new run interrupts one, as it keeps toasts.

    A run interrupted by a new one loses its messages that have not left
    yet (``ForwardMsgQueue.clear``), except lifecycle messages and toasts.
    Toasts live in the event container with the bridge's tab element, which
    comes first: a toast kept while the element before it was dropped lands
    on a position the page does not have, and the page goes blank ("Bad
    delta path index"). Keeping the element too closes the gap (the next
    run's first event element takes its place). Installed once per process;
    later calls change nothing.
    """
    try:
        from streamlit.runtime import forward_msg_queue

        original = forward_msg_queue._is_toast_delta
    except Exception:  # pragma: no cover - other Streamlit versions
        return
    if getattr(original, "_st_page_state", False):
        return

    def is_toast_delta(msg: Any) -> bool:
        if original(msg):
            return True
        return bool(
            msg.HasField("delta") and msg.delta.WhichOneof("type") == "new_element" and kept(msg.delta.new_element)
        )

    is_toast_delta._st_page_state = True  # type: ignore[attr-defined]
    forward_msg_queue._is_toast_delta = is_toast_delta


@dataclass(frozen=True)
class SentElement:
    """A component element as Streamlit sent it, to send again, unchanged, without the component call.

    Streamlit's component call validates, hashes, serializes and registers
    two widgets on every run: half a millisecond, on every run of every
    session, for an element (the URL bridge) that changes only when the URL
    does. When it is unchanged, :func:`send_again` enqueues a copy of the
    same message at the slot's position and keeps its widgets (and so their
    callbacks) registered.
    """

    message: Any
    """The ``ForwardMsg`` that carried the element, its hash computed: copied, given a position, enqueued."""
    widget_ids: frozenset[str]
    """The element's widget ids (its state and its trigger aggregator)."""

    def with_json(self, data_json: str) -> SentElement:
        """The same element with other data, its hash computed once here (Streamlit hashes a message without one)."""
        message = type(self.message)()
        message.CopyFrom(self.message)
        message.delta.new_element.bidi_component.json = data_json
        message.hash = ""
        message.metadata.cacheable = False
        try:
            from streamlit.runtime.forward_msg_cache import populate_hash_if_needed

            populate_hash_if_needed(message)
        except Exception:  # pragma: no cover - other Streamlit versions: hashed on every send instead
            pass
        return SentElement(message, self.widget_ids)


def capture_element(ctx: ScriptRunContext, call: Callable[[], object]) -> SentElement | None:
    """Run ``call`` (one component call) and return the element it sent, or None if it cannot be told."""
    sent: list[Any] = []
    original = ctx._enqueue

    def capture(msg: Any) -> None:
        sent.append(msg)
        original(msg)

    object.__setattr__(ctx, "_enqueue", capture)
    try:
        call()
    finally:
        object.__setattr__(ctx, "_enqueue", original)
    try:
        from streamlit.components.v2.bidi_component.main import _make_trigger_id

        messages = [m for m in sent if m.HasField("delta") and m.delta.new_element.HasField("bidi_component")]
        if len(messages) != 1:  # none, or a cached message sent as a reference to it
            return None
        message = type(messages[0])()
        message.CopyFrom(messages[0])
        element_id = message.delta.new_element.bidi_component.id
        return SentElement(message, frozenset({element_id, _make_trigger_id(element_id, "events")}))
    except Exception:  # pragma: no cover - other Streamlit versions
        return None


def send_again(ctx: ScriptRunContext, slot: EventSlot, element: SentElement) -> bool:
    """Enqueue ``element`` at ``slot`` again and keep its widgets for this run.

    False when it cannot: the element's widgets are no longer registered
    (a run did not mount it, so Streamlit dropped them, and their callbacks
    with them), or the internals moved; the caller then makes the
    component call. In a full run the message is copied and enqueued as it
    is, with its hash (Streamlit's drawing path would build, serialize and
    hash it again); a fragment run draws through Streamlit's path, which
    knows how a fragment writes outside itself.
    """
    try:
        proto = element.message.delta.new_element.bidi_component
        if _widget_metadata(ctx.session_state._state, proto.id) is None:
            return False
        path = slot.path
        if path is None or is_fragment_run(ctx):
            from streamlit.elements.lib.layout_utils import LayoutConfig

            slot.container()._enqueue("bidi_component", proto, layout_config=LayoutConfig(width="stretch", height=0))
        else:
            from streamlit.runtime.scriptrunner import enqueue_message

            message = type(element.message)()
            message.CopyFrom(element.message)
            message.metadata.delta_path[:] = path
            enqueue_message(message)
    except Exception:  # pragma: no cover - other Streamlit versions
        return False
    kept: set[str] = ctx.session_state.__dict__.setdefault(_KEPT_MARK, set())
    kept.update(element.widget_ids)
    return True


_PRESENT_MARK = "_st_page_state_presents_triggers_only"


def present_only_with_triggers(ctx: ScriptRunContext, element: SentElement) -> None:
    """Have session state show ``element``'s state as it is unless a trigger of the element fired.

    Streamlit's presenter for a component's state merges its trigger
    values into a write-through dict, and defines that dict's class on
    every call: about 45 µs. Session state presents every value at the
    start of every run (``SessionState._compact_state``) and whenever a
    widget reads ``filtered_state`` (``st.number_input`` does, as it is
    drawn): with 200 bound number inputs, 9 ms per run. The URL element
    sets only triggers, which fire in a few runs; in the others its state
    is shown as stored (a plain dict). Where the internals differ, nothing
    changes.
    """
    try:
        state = ctx.session_state._state
        proto = element.message.delta.new_element.bidi_component
        meta = _widget_metadata(state, proto.id)
        original = getattr(meta, "presenter", None)
        if original is None or getattr(original, _PRESENT_MARK, False):
            return
        aggregator = next(iter(element.widget_ids - {proto.id}))

        def present(base_value: Any, session_state: Any) -> Any:
            try:
                fired = session_state._new_widget_state[aggregator]
            except KeyError:
                fired = None
            return original(base_value, session_state) if fired else base_value

        setattr(present, _PRESENT_MARK, True)
        state._new_widget_state.set_widget_metadata(dataclasses.replace(meta, presenter=present))
    except Exception:  # pragma: no cover - other Streamlit versions
        return


@dataclass
class _Deliveries:
    """How many flushes of one session's browser queue the event loop has sent in full."""

    condition: threading.Condition
    sent: int = 0


_DELIVERIES_MARK = "_st_page_state_deliveries"
DELIVERY_WAIT_S = 0.05
"""Longest the script thread waits for its messages to leave (a loaded machine, a slow socket)."""


def _browser_session(ctx: ScriptRunContext) -> Any | None:
    """The ``AppSession`` of a connected browser, or None (AppTest, no runtime, disconnected)."""
    try:
        from streamlit.runtime import Runtime

        if not Runtime.exists():
            return None
        info = Runtime.instance()._session_mgr.get_active_session_info(ctx.session_id)
    except Exception:  # pragma: no cover - other Streamlit versions
        return None
    return None if info is None or info.client is None else info.session


def _deliveries(session: Any) -> _Deliveries | None:
    """The session's delivery count, counted from now on (wraps the instance's ``on_flushed_messages_sent``)."""
    deliveries: _Deliveries | None = session.__dict__.get(_DELIVERIES_MARK)
    if deliveries is not None:
        return deliveries
    original = getattr(session, "on_flushed_messages_sent", None)
    if original is None or getattr(session, "_browser_queue", None) is None:  # pragma: no cover - other versions
        return None
    deliveries = _Deliveries(threading.Condition())

    def on_flushed_messages_sent() -> None:
        try:
            original()
        finally:
            with deliveries.condition:
                deliveries.sent += 1
                deliveries.condition.notify_all()

    session.__dict__[_DELIVERIES_MARK] = deliveries
    session.on_flushed_messages_sent = on_flushed_messages_sent
    return deliveries


def _collects_after_runs() -> bool:
    try:
        from streamlit import config

        return bool(config.get_option("runner.postScriptGC"))
    except Exception:  # pragma: no cover - other Streamlit versions
        return True


@contextmanager
def delivered(ctx: ScriptRunContext, *, wait: bool) -> Iterator[None]:
    """Messages enqueued in the block reach the browser before Streamlit's post-run garbage collection.

    After every run the script thread runs ``gc.collect(2)`` (option
    ``runner.postScriptGC``, on by default), which holds the GIL for the
    whole collection: 50 to 400 ms in a process that imported pydantic and a
    few libraries. Messages still queued for the event loop then wait for it,
    and the URL that the run wrote reaches the address bar that much later
    (measured: the server wrote it 2 ms after the click's run began; the
    browser saw it 65 ms after). With ``wait``, the block's end waits (the
    GIL released) until the event loop has sent every message queued so far,
    at most :data:`DELIVERY_WAIT_S`.
    """
    session = _browser_session(ctx) if wait and _collects_after_runs() else None
    deliveries = _deliveries(session) if session is not None else None
    start = deliveries.sent if deliveries is not None else 0
    yield
    if session is None or deliveries is None:
        return
    queue = session._browser_queue
    with deliveries.condition:
        deliveries.condition.wait_for(lambda: deliveries.sent > start and queue.is_empty(), DELIVERY_WAIT_S)


def cookies() -> dict[str, str]:
    """The cookies the browser sent with this session's websocket upgrade (empty when unknown)."""
    try:
        return dict(st.context.cookies)
    except Exception:  # pragma: no cover - no client context (bare mode)
        return {}


_XSRF_COOKIE = "_streamlit_xsrf"


def browser_key() -> str | None:
    """A key for this session's browser (profile): the token of Streamlit's XSRF cookie, None without one.

    The cookie holds ``2|<mask>|<masked token>|<time>`` (Tornado's format,
    which Streamlit keeps): the mask changes with every page load, the token
    (mask XOR masked token) does not. Anything else is used as it is.
    """
    value = cookies().get(_XSRF_COOKIE)
    if not value:
        return None
    parts = value.split("|")
    if len(parts) == 4 and parts[0] == "2":
        try:
            mask, masked = bytes.fromhex(parts[1]), bytes.fromhex(parts[2])
        except ValueError:
            return value
        if mask:
            return bytes(byte ^ mask[index % len(mask)] for index, byte in enumerate(masked)).hex()
    return value


def session_connected(session_id: str) -> bool:
    """Whether session ``session_id`` still has a browser connected (True when it cannot be told)."""
    try:
        from streamlit.runtime import Runtime

        if not Runtime.exists():
            return True
        return bool(Runtime.instance()._session_mgr.is_active_session(session_id))
    except Exception:  # pragma: no cover - other Streamlit versions
        return True


def websocket_protocols() -> str | None:
    """The ``Sec-WebSocket-Protocol`` list of this session's websocket upgrade (None when unknown)."""
    try:
        value = st.context.headers.get("Sec-WebSocket-Protocol")
    except Exception:  # pragma: no cover - no client context (bare mode)
        return None
    return value if isinstance(value, str) else None


def install_run_end_hook(ctx: ScriptRunContext, hook: Callable[[], None]) -> None:
    """Call ``hook`` at the end of every run of this session, before widget cleanup.

    Wraps ``on_script_finished`` of the run's own ``SafeSessionState``
    instance (never the class), once per instance: Streamlit makes a new one
    with each script runner, so the caller installs on every run. Widgets that the hook
    registers (the URL bridge) are added to the run's widget set so Streamlit
    does not treat them as stale. Every Streamlit version st-page-state
    supports has the method; if one does not, URL writes wait for the next
    run that uses a state, and one error is logged.
    """
    state = ctx.session_state
    original = getattr(type(state), "on_script_finished", None)
    if original is None:
        if not _missing_hook_logged:
            _missing_hook_logged.append(True)
            log.error("this Streamlit has no SafeSessionState.on_script_finished: URL writes are delayed a run")
        return
    hooks: list[Callable[[], None]] | None = state.__dict__.get(_HOOK_MARK)
    if hooks is not None:
        if hook not in hooks:
            hooks.append(hook)
        return
    hooks = [hook]
    object.__setattr__(state, _HOOK_MARK, hooks)

    def on_script_finished(widget_ids_this_run: frozenset[str], *args: Any, **kwargs: Any) -> None:
        for each in list(hooks):
            try:
                each()
            except Exception:
                log.exception("end-of-run hook failed")
        run_ctx = current_context()
        if run_ctx is not None:
            widget_ids_this_run = widget_ids_this_run | run_ctx.shared.widget_ids_this_run.snapshot()
        kept: set[str] | None = state.__dict__.get(_KEPT_MARK)
        if kept:
            widget_ids_this_run = widget_ids_this_run | kept
            kept.clear()
        original(state, widget_ids_this_run, *args, **kwargs)

    object.__setattr__(state, "on_script_finished", on_script_finished)


def request_rerun(ctx: ScriptRunContext) -> bool:
    """Ask for another run of the whole app once this one ends, as ``st.rerun()`` does but without stopping it.

    Safe from the end-of-run hook: the script runner looks for a pending
    rerun right after the hook returns. False when Streamlit cannot take
    the request (the session is closing).
    """
    requests = getattr(ctx, "script_requests", None)
    if requests is None:
        return False
    from streamlit.runtime.scriptrunner_utils.script_requests import RerunData

    try:
        return bool(
            requests.request_rerun(
                RerunData(
                    query_string=ctx.query_string,
                    page_script_hash=ctx.page_script_hash,
                    cached_message_hashes=getattr(ctx, "cached_message_hashes", frozenset()),
                    context_info=getattr(ctx, "context_info", None),
                )
            )
        )
    except Exception:  # pragma: no cover - an internal that changed shape
        log.debug("could not request a rerun", exc_info=True)
        return False


RangeCheck = Callable[[str, str, dict[str, Any]], None]
"""``check(widget, key, arguments)``: called with a widget's keyword arguments just before it is drawn;
it may add arguments the call left out (they are the dict the drawing method is then called with)."""

_RANGED_WIDGETS = (
    ("streamlit.elements.widgets.slider", "SliderMixin", "_slider", "slider"),
    ("streamlit.elements.widgets.number_input", "NumberInputMixin", "_number_input", "number_input"),
    ("streamlit.elements.widgets.time_widgets", "TimeWidgetsMixin", "_date_input", "date_input"),
    ("streamlit.elements.widgets.time_widgets", "TimeWidgetsMixin", "_datetime_input", "datetime_input"),
)
_DRAW_MARK = "_st_page_state_range_check"


def check_ranges_before_drawing(check: RangeCheck) -> bool:
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
    with keyword arguments only); a Streamlit without them is left as it
    is, and bind() checks the bounds it can read. A library error the check
    raises (a field bound to a widget that cannot show it) reaches the app;
    any other failure is logged. Whether every widget is checked.
    """
    import importlib

    installed = 0
    for module_name, class_name, method_name, widget in _RANGED_WIDGETS:
        try:
            owner = getattr(importlib.import_module(module_name), class_name, None)
        except ImportError:  # pragma: no cover - another Streamlit layout
            owner = None
        original = getattr(owner, method_name, None)
        if original is None:
            continue
        if not getattr(original, _DRAW_MARK, False):
            setattr(owner, method_name, _checked(original, widget, check))
        installed += 1
    return installed == len(_RANGED_WIDGETS)


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


_START_MARK = "_st_page_state_run_start_hooks"


def install_run_start_hook(ctx: ScriptRunContext, hook: Callable[[], None]) -> bool:
    """Call ``hook`` at the start of every later run of this script runner, in its thread.

    Wraps ``reset`` of the run's own ``ScriptRunContext`` instance, which
    the script runner calls first thing in every run it makes (full,
    fragment, ``st.rerun()``), before widget callbacks. The runner's first
    run has begun already when the first state access installs it; that
    run has a new thread of its own. Returns False when the runtime lacks
    the method (the caller then publishes no values).
    """
    original = getattr(type(ctx), "reset", None)
    if original is None:  # pragma: no cover - other Streamlit versions
        return False
    hooks: list[Callable[[], None]] | None = ctx.__dict__.get(_START_MARK)
    if hooks is not None:
        if hook not in hooks:
            hooks.append(hook)
        return True
    hooks = [hook]
    object.__setattr__(ctx, _START_MARK, hooks)

    def reset(*args: Any, **kwargs: Any) -> Any:
        for each in list(hooks):
            try:
                each()
            except Exception:
                log.exception("run-start hook failed")
        return original(ctx, *args, **kwargs)

    object.__setattr__(ctx, "reset", reset)
    return True


def _query_params(ctx: ScriptRunContext) -> Any:
    """The session's ``QueryParams``, read without the lock.

    Only the session's script thread reads or writes them, and these
    functions run in it; the public path (a context manager taking the
    session-state lock and checking for a stop request) costs a few
    microseconds per call, and a run makes several.
    """
    qp = getattr(getattr(ctx.session_state, "_state", None), "query_params", None)
    if qp is not None:
        return qp
    with ctx.session_state.query_params() as locked:  # pragma: no cover - other Streamlit versions
        return locked


_EMBED_PARAMS = ("embed", "embed_options")


def read_query(ctx: ScriptRunContext, *known: Query | None) -> Query:
    """The query params Streamlit holds for this run, repeated keys kept.

    ``known``: queries this session read or wrote lately. When Streamlit
    holds the params one of them came from, that one is returned, so an
    unchanged URL (or the one the engine just wrote) costs a dict comparison
    instead of a parse: a run calls this at its start and at its end.
    """
    qp = _query_params(ctx)
    raw: dict[str, Any] | None = getattr(qp, "_query_params", None)
    if raw is None:  # pragma: no cover - other Streamlit versions
        return Query((key, list(qp.get_all(key))) for key in qp)
    for query in known:
        if query is not None and query.source == raw:
            return query
    query = Query(
        (key, list(value) if isinstance(value, list) else [value])
        for key, value in raw.items()
        if key.lower() not in _EMBED_PARAMS
    )
    query.source = {key: list(value) if isinstance(value, list) else value for key, value in raw.items()}
    return query


def is_bound_natively(ctx: ScriptRunContext, key: str) -> bool:
    """Whether the widget with user key ``key`` was drawn with ``bind="query-params"`` (its key is then a URL param).

    Streamlit registers the binding as the widget is drawn and keeps it
    until the widget is gone (``QueryParams.is_bound``); False when the
    internals are missing.
    """
    return _is_bound(_query_params(ctx), key)


def bound_params(ctx: ScriptRunContext) -> set[str]:
    """Params that a widget owns natively through ``bind="query-params"``."""
    qp = _query_params(ctx)
    bindings: dict[str, Any] | None = getattr(qp, "_bindings_by_param", None)
    if bindings is not None:
        return {key for key in bindings if key in qp._query_params}
    return {key for key in qp if _is_bound(qp, key)}  # pragma: no cover - other Streamlit versions


def _is_bound(qp: Any, key: str) -> bool:
    is_bound = getattr(qp, "is_bound", None)
    return bool(is_bound(key)) if is_bound is not None else False


def write_query(ctx: ScriptRunContext, query: Query, encoded: str) -> str | None:
    """Make Streamlit's query params equal ``query`` (``encoded``: its text), for one URL update that the caller sends.

    Bound params keep their current values and position (Streamlit forbids
    writing them); everything else is replaced. Returns the query string to
    send the browser with :func:`send_query_string`, at the moment the caller
    chooses (after the URL bridge's data: see ``session._mount_bridge``), or
    None when the internals are missing and the public API sent it already.
    """
    qp = _query_params(ctx)
    current: dict[str, Any] | None = getattr(qp, "_query_params", None)
    if current is None or getattr(qp, "_send_query_param_msg", None) is None:
        _write_query_public(query)
        return None
    bindings = getattr(qp, "_bindings_by_param", None)
    bound = set(bindings) if bindings is not None else {key for key in current if _is_bound(qp, key)}
    rebuilt: dict[str, Any] = {}
    kept = Query()
    special = {key for key in (*bound, *_EMBED_PARAMS) if key in current}
    for key in [key for key in current if key in special] if special else ():  # in their order
        value = current[key]
        rebuilt[key] = value
        kept[key] = list(value) if isinstance(value, list) else [value]
    for key, texts in query.items():
        if key in rebuilt:
            continue
        rebuilt[key] = texts[0] if len(texts) == 1 else list(texts)
    qp._query_params = rebuilt
    sent = Query([*kept.items(), *((k, v) for k, v in query.items() if k not in kept)]) if kept else query
    query.source = dict(rebuilt)  # read_query recognises it while Streamlit holds it
    text = sent.encode() if kept else encoded
    ctx.query_string = text
    return text


def send_query_string(ctx: ScriptRunContext, text: str) -> None:
    """Send the browser the URL update :func:`write_query` prepared: one ``page_info_changed``.

    What ``QueryParams._send_query_param_msg`` does, with our encoder
    (Python's ``urlencode`` is slow).
    """
    try:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        msg = ForwardMsg()
        msg.page_info_changed.query_string = text
        ctx.enqueue(msg)
    except Exception:  # pragma: no cover - other Streamlit versions
        qp = _query_params(ctx)
        qp._send_query_param_msg()


def _write_query_public(query: Query) -> None:  # pragma: no cover - fallback path
    st.query_params.from_dict({k: v for k, v in query.items()})
