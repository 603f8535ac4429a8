"""Pure probes of the imported Streamlit: which internal of the inventory is where st-page-state expects it.

Each ``probe_<entry>`` function looks at classes, functions, signatures and
dataclass fields of Streamlit's modules (:mod:`.introspect`), and answers
with a value :class:`~.capabilities.Capabilities` keeps: True or False, or
for an internal that moved between releases the name of the layout found
(None when none is). A probe never calls into a running app and never
raises: this is the one place that asks whether an internal exists, so the
modules that use them only branch on the answers.

The internals themselves are listed, with why and since when, in the
inventory table that opens each module using them (data in :mod:`.inventory`).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from .introspect import (
    field_factory,
    find,
    has_fields,
    is_property,
    sets_in_init,
    source_assigns,
    takes,
    takes_attributes,
)

# ------------------------------------------------------------------ the run
_CTX = "streamlit.runtime.scriptrunner_utils.script_run_context:ScriptRunContext"
_SAFE_STATE = "streamlit.runtime.state.safe_session_state:SafeSessionState"
_STATE = "streamlit.runtime.state.session_state:SessionState"


def probe_run_context() -> bool:
    context = find(_CTX)
    return (
        takes(find("streamlit.runtime.scriptrunner:get_script_run_ctx"), "suppress_warning")
        and find("streamlit.runtime.scriptrunner:ScriptRunContext") is context
        and has_fields(context, "session_id", "session_state", "query_string")
        and takes_attributes(context)
    )


def probe_run_cursors() -> bool:
    context = find(_CTX)
    reset = find(_CTX + ".reset")
    return has_fields(context, "cursors") and "cursors" in getattr(getattr(reset, "__code__", None), "co_names", ())


def probe_session_state_unlocked() -> bool:
    return sets_in_init(find(_SAFE_STATE), "_state") and isinstance(find(_STATE), type)


def probe_history_navigation() -> bool:
    return has_fields(find(_CTX), "is_history_navigation")


def probe_page_script_hash() -> bool:
    return is_property(find(_CTX), "page_script_hash")


def probe_page_url_path() -> bool:
    page_info = find("streamlit.source_util:PageInfo")
    return (
        has_fields(find(_CTX), "pages_manager")
        and callable(find("streamlit.runtime.pages_manager:PagesManager.get_pages"))
        and "url_pathname" in getattr(page_info, "__annotations__", {})
    )


def probe_fragment_runs() -> bool:
    return has_fields(find(_CTX), "fragment_ids_this_run")


def probe_rerun_request() -> bool:
    rerun_data = find("streamlit.runtime.scriptrunner_utils.script_requests:RerunData")
    return (
        has_fields(find(_CTX), "script_requests", "cached_message_hashes", "context_info")
        and takes(find("streamlit.runtime.scriptrunner_utils.script_requests:ScriptRequests.request_rerun"), "new_data")
        and has_fields(rerun_data, "query_string", "page_script_hash", "cached_message_hashes", "context_info")
    )


def probe_run_end_hook() -> bool:
    state = find(_SAFE_STATE)
    return takes(find(_SAFE_STATE + ".on_script_finished"), "widget_ids_this_run") and takes_attributes(state)


def probe_run_start_hook() -> bool:
    return callable(find(_CTX + ".reset")) and takes_attributes(find(_CTX))


# ------------------------------------------------------------------ widgets
def probe_widget_id_of_key() -> str | None:
    if takes(find(_STATE + ".get_widget_id_from_key"), "user_key"):
        return "method"
    mapper = find("streamlit.runtime.state.session_state:KeyIdMapper.get_id_from_key")
    if has_fields(find(_STATE), "_key_id_mapper") and takes(mapper, "key", "default"):
        return "mapper"
    return None


def probe_widget_metadata() -> str | None:
    if takes(find(_STATE + ".get_widget_metadata"), "widget_id"):
        return "method"
    if takes(find(_STATE + "._get_widget_metadata"), "widget_id"):
        return "private"
    return None


def probe_widgets_drawn() -> str | None:
    context = find(_CTX)
    shared = find("streamlit.runtime.scriptrunner_utils.shared_run_state:SharedRunState")
    snapshot = "streamlit.runtime.scriptrunner_utils.thread_safe_set:ThreadSafeSet.snapshot"
    if has_fields(context, "shared") and sets_in_init(shared, "widget_ids_this_run") and callable(find(snapshot)):
        return "shared"
    factory = field_factory(context, "widget_ids_this_run")
    if factory is set:
        return "context_set"
    if callable(getattr(factory, "snapshot", None)):
        return "context"
    return None


_RANGE_ARGUMENTS = ("key", "min_value", "max_value", "value")


def probe_range_check() -> bool:
    return takes(find("streamlit.elements.widgets.slider:SliderMixin._slider"), *_RANGE_ARGUMENTS) and takes(
        find("streamlit.elements.widgets.number_input:NumberInputMixin._number_input"), *_RANGE_ARGUMENTS
    )


def probe_date_range_check() -> bool:
    mixin = "streamlit.elements.widgets.time_widgets:TimeWidgetsMixin"
    return takes(find(mixin + "._date_input"), *_RANGE_ARGUMENTS) and takes(
        find(mixin + "._datetime_input"), *_RANGE_ARGUMENTS
    )


INPUT_WIDGETS = (
    "checkbox",
    "color_picker",
    "date_input",
    "datetime_input",
    "feedback",
    "multiselect",
    "number_input",
    "pills",
    "radio",
    "segmented_control",
    "select_slider",
    "selectbox",
    "slider",
    "text_area",
    "text_input",
    "time_input",
    "toggle",
)
"""The input widgets bind() serves whose ``on_change`` takes ``"rerun"`` on some releases and not on others."""
BOUND_CONTAINERS = ("tabs", "expander")
"""Layout elements with a state of their own (``.open``) that bind() follows with ``on_change="rerun"``."""


def rerun_mode_widgets() -> frozenset[str]:
    """The input widgets whose ``on_change`` defaults to ``"rerun"``: exactly those that take the mode.

    A widget must accept its own default, so a default of ``"rerun"`` proves
    the mode is taken; a widget with the default ``None`` may take it or not
    (1.63 calls it as a callback, 1.64 refuses it), and is given ``None``,
    which every release takes.
    """
    return frozenset(name for name in INPUT_WIDGETS if _on_change(name, "default") == "rerun")


def probe_rerun_mode() -> str | None:
    taking = rerun_mode_widgets()
    if taking == frozenset(INPUT_WIDGETS):
        return "every"
    return "some" if taking else None


def probe_bound_containers() -> bool:
    return all(
        takes(find(f"streamlit:{name}"), "key") and "rerun" in str(_on_change(name, "annotation"))
        for name in BOUND_CONTAINERS
    )


def _on_change(widget: str, part: str) -> object:
    """The default or the annotation of ``st.<widget>``'s ``on_change`` parameter (None without one)."""
    function = find(f"streamlit:{widget}")
    try:
        parameter = inspect.signature(function).parameters.get("on_change")
    except (TypeError, ValueError):
        return None
    return None if parameter is None else getattr(parameter, part)


def probe_options_list() -> bool:
    return callable(find("streamlit.dataframe_util:convert_anything_to_list"))


# ------------------------------------------------------------------ elements
_DG = "streamlit.delta_generator:DeltaGenerator"


def probe_event_slot() -> str | None:
    import streamlit

    generator = find(_DG)
    if not (
        isinstance(inspect.getattr_static(streamlit, "_event", None), generator or ())
        and is_property(generator, "_cursor")
        and takes(getattr(generator, "__init__", None), "root_container", "cursor", "parent")
        and is_property(find("streamlit.cursor:Cursor"), "delta_path")
    ):
        return None
    for method in ("lock_element", "get_locked_cursor"):
        if callable(find("streamlit.cursor:RunningCursor." + method)):
            return method
    return None


def probe_toast_delta() -> bool:
    return takes(find("streamlit.runtime.forward_msg_queue:_is_toast_delta"), "msg")


def probe_element_capture() -> bool:
    return has_fields(find(_CTX), "_enqueue") and takes(
        find("streamlit.components.v2.bidi_component.main:_make_trigger_id"), "base", "event"
    )


def probe_element_resend() -> bool:
    return (
        takes(find("streamlit.runtime.scriptrunner:enqueue_message"), "msg")
        and takes(find(_DG + "._enqueue"), "delta_type", "element_proto", "layout_config")
        and takes(find("streamlit.elements.lib.layout_utils:LayoutConfig"), "width", "height")
        and takes(find("streamlit.runtime.forward_msg_cache:populate_hash_if_needed"), "msg")
    )


def probe_presenter() -> bool:
    states = find("streamlit.runtime.state.session_state:WStates")
    return (
        has_fields(find("streamlit.runtime.state.common:WidgetMetadata"), "id", "presenter")
        and has_fields(find(_STATE), "_new_widget_state")
        and takes(getattr(states, "set_widget_metadata", None), "widget_meta")
        and callable(getattr(states, "__getitem__", None))
    )


# ------------------------------------------------------------------ query params
_QP = "streamlit.runtime.state.query_params:QueryParams"


def probe_query_params_object() -> bool:
    return has_fields(find(_STATE), "query_params")


def probe_query_params_dict() -> bool:
    return has_fields(find(_QP), "_query_params")


def probe_query_param_bindings() -> str | None:
    if has_fields(find(_QP), "_bindings_by_param"):
        return "dict"
    if takes(find(_QP + ".is_bound"), "param_key"):
        return "method"
    return None


def probe_page_info_message() -> bool:
    message = find("streamlit.proto.ForwardMsg_pb2:ForwardMsg")
    fields = getattr(getattr(message, "DESCRIPTOR", None), "fields_by_name", {})
    page_info = fields.get("page_info_changed")
    query_field = getattr(getattr(page_info, "message_type", None), "fields_by_name", {}).get("query_string")
    return query_field is not None and takes(find(_CTX + ".enqueue"), "msg")


# ------------------------------------------------------------------ the client and delivery
def probe_session_manager() -> bool:
    manager = "streamlit.runtime.session_manager:SessionManager"
    return (
        sets_in_init(find("streamlit.runtime.runtime:Runtime"), "_session_mgr")
        and takes(find(manager + ".get_active_session_info"), "session_id")
        and takes(find(manager + ".is_active_session"), "session_id")
        and has_fields(find("streamlit.runtime.session_manager:ActiveSessionInfo"), "client", "session")
    )


def probe_flush_notification() -> bool:
    from streamlit import config

    session = find("streamlit.runtime.app_session:AppSession")
    return (
        callable(getattr(session, "on_flushed_messages_sent", None))
        and sets_in_init(session, "_browser_queue")
        and callable(find("streamlit.runtime.forward_msg_queue:ForwardMsgQueue.is_empty"))
        and takes_attributes(session)
        and "runner.postScriptGC" in _options(config)
    )


def probe_xsrf_cookie() -> bool:
    name = find("streamlit.web.server.starlette.starlette_server_config:XSRF_COOKIE_NAME")
    return name == "_streamlit_xsrf" and callable(
        find("streamlit.web.server.starlette.starlette_app_utils:generate_xsrf_token_string")
    )


def probe_app_test_mode() -> bool:
    from streamlit import config

    return "global.appTest" in _options(config)


def probe_apptest_script_path() -> bool:
    return source_assigns("streamlit.testing.v1.app_test", "self._script_path = ")


def _options(config: Any) -> Any:
    """Streamlit's registered config option names (read without parsing any config file)."""
    return getattr(config, "_config_options_template", {})


PROBES: dict[str, Callable[[], object]] = {
    name.removeprefix("probe_"): function
    for name, function in list(globals().items())
    if name.startswith("probe_") and callable(function)
}
"""Every probe by its inventory entry's name."""
