"""Elements: a slot in the page's event container, a component element sent again as it is, and two guards.

+------------------------------------+----------------------------+-------------------+-------------------------------+
| internal                           | why no public API serves   | checked on        | fallback when missing         |
+====================================+============================+===================+===============================+
| ``event_slot``: read: st._event,   | st.empty() takes a block   | lock_element      | st.empty() in the main        |
| its ._cursor .lock_element()       | gap in the page and sends  | 1.59-1.67;        | container (one block gap)     |
| (get_locked_cursor() before 1.59); | an empty element first     | get_locked_cursor |                               |
| DeltaGenerator(root_container,     |                            | 1.55-1.58         |                               |
| cursor, parent)                    |                            |                   |                               |
+------------------------------------+----------------------------+-------------------+-------------------------------+
| ``toast_delta``: replaced          | an interrupted run keeps   | 1.62-1.67; absent | nothing kept: before 1.62     |
| process-wide: forward_msg_queue    | only its toasts; the tab   | 1.55-1.61         | Streamlit keeps no toasts     |
| ._is_toast_delta(msg)              | element before them must   |                   | either, so no gap opens       |
|                                    | stay                       |                   |                               |
+------------------------------------+----------------------------+-------------------+-------------------------------+
| ``element_capture``: replaced for  | a component call does not  | 1.55-1.67         | the URL element is drawn by   |
| one call: ctx._enqueue; called:    | return the element it sent |                   | its component call in every   |
| bidi_component.main                |                            |                   | run (about 0.5 ms)            |
| ._make_trigger_id(id, "events")    |                            |                   |                               |
+------------------------------------+----------------------------+-------------------+-------------------------------+
| ``element_resend``: called:        | no public way to send an   | 1.55-1.67         | as element_capture without it |
| scriptrunner.enqueue_message,      | element again without its  |                   |                               |
| DeltaGenerator._enqueue( ...,      | component call             |                   |                               |
| layout_config=LayoutConfig(...)),  |                            |                   |                               |
| forward_msg_cache                  |                            |                   |                               |
| .populate_hash_if_needed           |                            |                   |                               |
+------------------------------------+----------------------------+-------------------+-------------------------------+
| ``presenter``: replaced for the    | Streamlit's component      | 1.55-1.67         | Streamlit's presenter (about  |
| URL element:                       | presenter builds a class   |                   | 45 us per presentation)       |
| WidgetMetadata.presenter, via      | per call, for every state  |                   |                               |
| SessionState._new_widget_state     | presentation               |                   |                               |
| .set_widget_metadata               |                            |                   |                               |
+------------------------------------+----------------------------+-------------------+-------------------------------+

``ctx`` is the run's ``ScriptRunContext``. Everything here serves the URL
bridge's two elements (:mod:`st_page_state.bridge`), which are drawn in
every run of every session: each internal saves time or a page gap, and
without it the element is drawn through the public component call.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import streamlit as st

from ..log import log
from . import capabilities
from .capabilities import Capabilities
from .hooks import keep_widgets_this_run
from .run import ScriptRunContext, is_fragment_run
from .widgets import widget_metadata

_caps = capabilities.CURRENT


@capabilities.applies
def _use(caps: Capabilities) -> None:
    global _caps
    _caps = caps


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

    ``st.empty()`` in the main container where Streamlit has no such slot,
    or outside a run (no cursor).
    """
    lock = _caps.event_slot
    if lock is not None:
        events = st._event
        cursor = events._cursor
        if cursor is not None:
            locked = cursor.lock_element() if lock == "lock_element" else cursor.get_locked_cursor()  # type: ignore[attr-defined]
            return EventSlot(locked, events)
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
    later calls change nothing. Streamlit before 1.62 keeps no toasts, so
    there is no gap to close.
    """
    if not _caps.toast_delta:
        return
    from streamlit.runtime import forward_msg_queue

    original = forward_msg_queue._is_toast_delta
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
        if _caps.element_resend:
            from streamlit.runtime.forward_msg_cache import populate_hash_if_needed

            populate_hash_if_needed(message)
        return SentElement(message, self.widget_ids)


def capture_element(ctx: ScriptRunContext, call: Callable[[], object]) -> SentElement | None:
    """Run ``call`` (one component call) and return the element it sent, or None if it cannot be told."""
    if not _caps.element_capture:
        call()
        return None
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
    messages = [m for m in sent if m.HasField("delta") and m.delta.new_element.HasField("bidi_component")]
    if len(messages) != 1:  # none, or a cached message sent as a reference to it
        return None
    from streamlit.components.v2.bidi_component.main import _make_trigger_id

    message = type(messages[0])()
    message.CopyFrom(messages[0])
    element_id = message.delta.new_element.bidi_component.id
    return SentElement(message, frozenset({element_id, _make_trigger_id(element_id, "events")}))


def send_again(ctx: ScriptRunContext, slot: EventSlot, element: SentElement) -> bool:
    """Enqueue ``element`` at ``slot`` again and keep its widgets for this run.

    False when it cannot: the element's widgets are no longer registered
    (a run did not mount it, so Streamlit dropped them, and their callbacks
    with them), or an internal is missing; the caller then makes the
    component call. In a full run the message is copied and enqueued as it
    is, with its hash (Streamlit's drawing path would build, serialize and
    hash it again); a fragment run draws through Streamlit's path, which
    knows how a fragment writes outside itself.
    """
    if not (_caps.element_resend and _caps.widget_metadata and _caps.session_state_unlocked):
        return False
    proto = element.message.delta.new_element.bidi_component
    if widget_metadata(ctx.session_state._state, proto.id) is None:
        return False
    path = slot.path
    if path is None or is_fragment_run(ctx):
        from streamlit.elements.lib.layout_utils import LayoutConfig

        try:
            slot.container()._enqueue("bidi_component", proto, layout_config=LayoutConfig(width="stretch", height=0))
        except Exception:  # Streamlit may refuse a write from this fragment run; the component call decides
            log.debug("could not send the element again", exc_info=True)
            return False
    else:
        from streamlit.runtime.scriptrunner import enqueue_message

        message = type(element.message)()
        message.CopyFrom(element.message)
        message.metadata.delta_path[:] = path
        enqueue_message(message)
    keep_widgets_this_run(ctx, element.widget_ids)
    return True


PRESENT_MARK = "_st_page_state_presents_triggers_only"


def present_only_with_triggers(ctx: ScriptRunContext, element: SentElement) -> None:
    """Have session state show ``element``'s state as it is unless a trigger of the element fired.

    Streamlit's presenter for a component's state merges its trigger
    values into a write-through dict, and defines that dict's class on
    every call: about 45 µs. Session state presents every value at the
    start of every run (``SessionState._compact_state``) and whenever a
    widget reads ``filtered_state`` (``st.number_input`` does, as it is
    drawn): with 200 bound number inputs, 9 ms per run. The URL element
    sets only triggers, which fire in a few runs; in the others its state
    is shown as stored (a plain dict). Without the internals, nothing changes.
    """
    if not (_caps.presenter and _caps.widget_metadata and _caps.session_state_unlocked):
        return
    state = ctx.session_state._state
    proto = element.message.delta.new_element.bidi_component
    meta = widget_metadata(state, proto.id)
    original = getattr(meta, "presenter", None)
    if original is None or getattr(original, PRESENT_MARK, False):
        return
    aggregator = next(iter(element.widget_ids - {proto.id}))

    def present(base_value: Any, session_state: Any) -> Any:
        try:
            fired = session_state._new_widget_state[aggregator]
        except KeyError:
            fired = None
        return original(base_value, session_state) if fired else base_value

    setattr(present, PRESENT_MARK, True)
    state._new_widget_state.set_widget_metadata(dataclasses.replace(meta, presenter=present))
