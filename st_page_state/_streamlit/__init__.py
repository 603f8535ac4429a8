"""Every place where st-page-state reaches into Streamlit's internals, and nowhere else.

Other modules of the package call plain functions from here
(``from . import _streamlit as stx``; ``stx.read_query(ctx)``) and never
touch a Streamlit internal themselves. Each module below opens with the
inventory table of the internals it reads or replaces: why no public API
serves, the releases it was checked on, and the fallback when it is
missing. Which internals exist is probed once, at import
(:mod:`.capabilities`); the modules branch on those answers, and a test
per entry fails when an internal moves (tests/test_streamlit_internals.py).

* :mod:`.run`: the run's context, run identity, page, fragment and Back/Forward runs, rerun requests
* :mod:`.hooks`: hooks at run start and run end, widgets kept through a run's end
* :mod:`.widgets`: widget ids and metadata, widgets drawn this run, the draw-time range check, options,
  the ``on_change`` each widget takes
* :mod:`.elements`: the event-container slot, a component element sent again, its presenter, the interrupt guard
* :mod:`.query_params`: the session's query params read and written as one URL update
* :mod:`.delivery`: waiting until a run's URL update has left for the browser
* :mod:`.client`: the browser (cookies, XSRF key, websocket protocols, connected), AppTest or a real server
* :mod:`.apptest`: what the testing helpers read of an AppTest
* :mod:`.inventory`, :mod:`.probes`, :mod:`.capabilities`: the records, the probes, the answers
"""

from __future__ import annotations

from .apptest import script_path as apptest_script_path
from .capabilities import DETECTED, Capabilities
from .client import browser_key, browser_session, cookies, is_real_server, session_connected, websocket_protocols
from .delivery import DELIVERY_WAIT_S, delivered
from .elements import (
    PRESENT_MARK,
    EventSlot,
    SentElement,
    capture_element,
    event_slot,
    keep_through_interrupts,
    present_only_with_triggers,
    send_again,
)
from .hooks import context_data, install_run_end_hook, install_run_start_hook, keep_widgets_this_run
from .query_params import bound_params, is_bound_natively, read_query, send_query_string, write_query
from .run import (
    ScriptRunContext,
    current_context,
    is_fragment_run,
    is_history_navigation,
    page_id,
    page_url_path,
    request_rerun,
    run_marker,
)
from .widgets import (
    RangeCheck,
    check_ranges_before_drawing,
    drawn_widget_ids,
    on_change_mode,
    options_list,
    widget_id_of_key,
    widget_metadata,
    widget_rendered_this_run,
)

__all__ = [
    "DELIVERY_WAIT_S",
    "DETECTED",
    "PRESENT_MARK",
    "Capabilities",
    "EventSlot",
    "RangeCheck",
    "ScriptRunContext",
    "SentElement",
    "apptest_script_path",
    "bound_params",
    "browser_key",
    "browser_session",
    "capture_element",
    "check_ranges_before_drawing",
    "context_data",
    "cookies",
    "current_context",
    "delivered",
    "drawn_widget_ids",
    "event_slot",
    "install_run_end_hook",
    "install_run_start_hook",
    "is_bound_natively",
    "is_fragment_run",
    "is_history_navigation",
    "is_real_server",
    "keep_through_interrupts",
    "keep_widgets_this_run",
    "on_change_mode",
    "options_list",
    "page_id",
    "page_url_path",
    "page_url_path",
    "present_only_with_triggers",
    "read_query",
    "request_rerun",
    "run_marker",
    "send_again",
    "send_query_string",
    "session_connected",
    "websocket_protocols",
    "widget_id_of_key",
    "widget_metadata",
    "widget_rendered_this_run",
    "write_query",
]
