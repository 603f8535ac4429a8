"""The inventory of Streamlit internals st-page-state uses: one record per internal, the tables built from them.

Public parameters that differ across the supported releases (which input
widgets take ``on_change="rerun"``, whether ``st.tabs`` takes ``key``) are
recorded the same way, so that every per-release decision is made in one
place, at import.

Every module of this package that reads or replaces an internal opens with
the table of its records (:func:`.capabilities.table`); a test checks that each module's
docstring holds exactly its table, that every record has a probe
(:mod:`.probes`) and a capability flag (:mod:`.capabilities`), and that the
probe finds the internal on the installed Streamlit where :attr:`Internal.history`
says it should be. Adding an internal means adding a record here first.

``history`` says what each probe answered on the releases read (every minor
release from :data:`FIRST_CHECKED` to :data:`LAST_CHECKED`, ``x.y.0``),
newest first: ``(("1.62", True), ("1.55", False))`` is "present since 1.62".
A probe that answers with a layout names it (``"shared"``).
"""

from __future__ import annotations

from dataclasses import dataclass

FIRST_CHECKED = "1.55"
LAST_CHECKED = "1.67"

Answer = bool | str | None
"""What a probe answers: present or not, or which layout of a moved internal (None: none)."""


@dataclass(frozen=True)
class Internal:
    """One internal: what is read or replaced, why, since when, and what happens without it."""

    name: str
    """The capability flag and probe name (``probe_<name>``)."""
    module: str
    """The module of this package that uses it."""
    what: str
    """Read or replaced, and the names (``ctx`` is the run's ``ScriptRunContext``)."""
    why: str
    """Why no public API serves."""
    fallback: str
    """What st-page-state does when the probe finds it missing."""
    history: tuple[tuple[str, Answer], ...] = ((FIRST_CHECKED, True),)
    required: bool = False
    """No fallback: st-page-state refuses to import without it."""

    def expected(self, version: str) -> Answer:
        """What the probe should answer on Streamlit ``version`` (the newest record for a newer one)."""
        wanted = release_line(version)
        for since, answer in self.history:
            if wanted >= minor(since):
                return answer
        return self.history[-1][1]

    def checked(self) -> str:
        """The "checked on" cell: each answer with the releases that gave it."""
        parts = []
        until = LAST_CHECKED
        for since, answer in self.history:
            span = since if since == until else f"{since}-{until}"
            label = "absent" if answer in (False, None) else ("" if answer is True else str(answer))
            parts.append(f"{label} {span}".strip())
            until = f"{minor(since)[0]}.{minor(since)[1] - 1}"
        return "; ".join(parts)


def release_line(version: str) -> tuple[int, int]:
    """The minor release a build belongs to: its own, or for a nightly (``"1.66.2.dev20261026"``, built from the
    branch of the next minor release, as ``streamlit-nightly`` is) the one after."""
    major, line = minor(version)
    return (major, line + 1) if "dev" in version else (major, line)


def minor(version: str) -> tuple[int, int]:
    """``"1.67.0"`` (or ``"1.68.0.dev20260101"``) as ``(1, 67)``."""
    major, _, rest = version.partition(".")
    digits = "".join(ch for ch in rest.split(".")[0] if ch.isdigit())
    return int(major), int(digits or 0)


INVENTORY: tuple[Internal, ...] = (
    # ------------------------------------------------------------ run.py
    Internal(
        "run_context",
        "run",
        "read: get_script_run_ctx() (streamlit.runtime.scriptrunner), ctx.session_id, ctx.session_state, "
        "ctx.query_string (also written); the library keeps data in ctx.__dict__",
        "Streamlit documents get_script_run_ctx for threads; nothing public names the session",
        "none: importing st-page-state raises ImportError naming this entry",
        required=True,
    ),
    Internal(
        "run_cursors",
        "run",
        "read: ctx.cursors, a new dict at every run start, as the identity of the run",
        "no public identity of a run; a field read compares it (hot path)",
        "a marker object that run_start_hook renews at every run start",
    ),
    Internal(
        "session_state_unlocked",
        "run",
        "read: ctx.session_state._state, the SessionState behind SafeSessionState's lock",
        "widget and query-param records are not public; only the script thread reads them",
        "query params go through st.query_params; widget ids, resend and presenter are off",
    ),
    Internal(
        "history_navigation",
        "run",
        "read: ctx.is_history_navigation (the run comes from Back/Forward)",
        "st.query_params does not say why a run began",
        "False: Back counts as an address-bar edit, and a URL the session wrote lately as a stale echo: "
        "Back can be undone",
        history=(("1.65", True), ("1.55", False)),
    ),
    Internal(
        "page_script_hash",
        "run",
        "read: ctx.page_script_hash, the page the run draws",
        "the library does not see the app's st.navigation result",
        '"": page switches are not told apart; a switch\'s params are adopted as a link',
    ),
    Internal(
        "page_url_path",
        "run",
        "read: the url_pathname of the run's page in ctx.pages_manager .get_pages(), the path "
        'Streamlit\'s frontend shows for it ("" for the default page)',
        "st.navigation returns the page (its url_path) to the app's script, not to the library",
        "unknown: the URL bridge pairs a page switch's data with Streamlit's push of the new path by "
        "their order, not by the path",
    ),
    Internal(
        "fragment_runs",
        "run",
        "read: ctx.fragment_ids_this_run (set in a fragment run)",
        "no public way to tell a fragment run",
        "every run counts as full: a fragment run may push values to widgets it does not draw",
    ),
    Internal(
        "rerun_request",
        "run",
        "called: ctx.script_requests .request_rerun(RerunData( query_string, page_script_hash, "
        "cached_message_hashes, context_info))",
        "st.rerun() raises to stop the run; the run-end hook must ask and return",
        "no redraw: a value corrected after it was drawn shows from the next run",
    ),
    # ------------------------------------------------------------ hooks.py
    Internal(
        "run_end_hook",
        "hooks",
        "replaced per instance: SafeSessionState .on_script_finished( widget_ids_this_run, ...)",
        "no end-of-run callback; a run's changes are written to the URL once, at its end",
        "session-only: no URL writes, no store saves, no panel redraw; a link is read in the first run",
    ),
    Internal(
        "run_start_hook",
        "hooks",
        "replaced per instance: ScriptRunContext.reset, called first in every run of a script runner",
        "no run-start callback; values published for fast reads must be forgotten first",
        "nothing published: every field read takes the slow path (about 1 us)",
    ),
    # ------------------------------------------------------------ widgets.py
    Internal(
        "widget_id_of_key",
        "widgets",
        "called: SessionState .get_widget_id_from_key(key), or ._key_id_mapper .get_id_from_key(key, None)",
        "st.session_state maps keys to values, not to widget ids",
        "no widget counts as drawn (as widgets_drawn without it)",
        history=(("1.67", "method"), ("1.55", "mapper")),
    ),
    Internal(
        "widget_metadata",
        "widgets",
        "called: SessionState .get_widget_metadata(id), or ._get_widget_metadata(id)",
        "a widget's metadata (callbacks, presenter) is not public",
        "the URL element is drawn by its component call in every run, with Streamlit's presenter",
        history=(("1.67", "method"), ("1.55", "private")),
    ),
    Internal(
        "widgets_drawn",
        "widgets",
        "read: ctx.shared .widget_ids_this_run .snapshot(), or ctx.widget_ids_this_run (a set before 1.58)",
        "Streamlit raises when a drawn widget's key is written, and tells nothing before",
        "no widget counts as drawn: a late field write meets Streamlit's error, not WidgetOrderError",
        history=(("1.59", "shared"), ("1.58", "context"), ("1.55", "context_set")),
    ),
    Internal(
        "range_check",
        "widgets",
        "replaced process-wide: SliderMixin._slider and NumberInputMixin._number_input (keyword arguments); "
        "the check may add min_value/max_value",
        "bounds written as expressions, or in a call bind() cannot read (a helper), are known only when the "
        "widget is drawn",
        "bind() adds and checks the bounds it reads in the call's source; a URL value outside a bound it "
        "cannot read (or the slider's own 0-100 in a helper's call) makes st.slider raise",
    ),
    Internal(
        "date_range_check",
        "widgets",
        "replaced process-wide: TimeWidgetsMixin._date_input and TimeWidgetsMixin._datetime_input (keyword "
        "arguments); the check may add min_value/max_value",
        "as range_check: bounds are known only when the widget is drawn",
        "bind() adds and checks the bounds it reads in the call's source; a URL date outside a bound it "
        "cannot read makes st.date_input raise, and st.datetime_input show (and the field take) the time now",
    ),
    Internal(
        "rerun_mode",
        "widgets",
        'read: the default of on_change in each input widget\'s signature (st.checkbox, ...): "rerun" there '
        "means the widget takes the mode",
        'a widget whose default it is not refuses on_change="rerun" (1.64, 1.65) or takes it for a callback: '
        "a TypeError on change, an error in a form (before 1.64); None, the older spelling, is deprecated "
        "from 1.66 on",
        'on_change=None, the same as "rerun" on every release and allowed in forms, for each widget '
        'whose default is not "rerun"',
        history=(("1.66", "every"), ("1.63", "some"), ("1.55", None)),
    ),
    Internal(
        "bound_containers",
        "widgets",
        'read: st.tabs and st.expander take key and on_change="rerun" (their state, .open)',
        "a public parameter; read once so that bind() can say what this release lacks",
        "bind() on st.tabs or st.expander raises StateConfigError naming the release",
    ),
    Internal(
        "options_list",
        "widgets",
        "called: streamlit.dataframe_util .convert_anything_to_list(options)",
        "how Streamlit reads options (a frame's first column) is not public",
        "lists, tuples, sets, ranges and dict keys are read; other options are checked after the draw",
    ),
    # ------------------------------------------------------------ elements.py
    Internal(
        "event_slot",
        "elements",
        "read: st._event, its ._cursor .lock_element() (get_locked_cursor() before 1.59); "
        "DeltaGenerator(root_container, cursor, parent)",
        "st.empty() takes a block gap in the page and sends an empty element first",
        "st.empty() in the main container (one block gap)",
        history=(("1.59", "lock_element"), ("1.55", "get_locked_cursor")),
    ),
    Internal(
        "toast_delta",
        "elements",
        "replaced process-wide: forward_msg_queue ._is_toast_delta(msg)",
        "an interrupted run keeps only its toasts; the tab element before them must stay",
        "nothing kept: before 1.62 Streamlit keeps no toasts either, so no gap opens",
        history=(("1.62", True), ("1.55", False)),
    ),
    Internal(
        "element_capture",
        "elements",
        'replaced for one call: ctx._enqueue; called: bidi_component.main ._make_trigger_id(id, "events")',
        "a component call does not return the element it sent",
        "the URL element is drawn by its component call in every run (about 0.5 ms)",
    ),
    Internal(
        "element_resend",
        "elements",
        "called: scriptrunner.enqueue_message, DeltaGenerator._enqueue( ..., layout_config=LayoutConfig(...)), "
        "forward_msg_cache .populate_hash_if_needed",
        "no public way to send an element again without its component call",
        "as element_capture without it",
    ),
    Internal(
        "presenter",
        "elements",
        "replaced for the URL element: WidgetMetadata.presenter, via SessionState._new_widget_state "
        ".set_widget_metadata",
        "Streamlit's component presenter builds a class per call, for every state presentation",
        "Streamlit's presenter (about 45 us per presentation)",
    ),
    # ------------------------------------------------------------ query_params.py
    Internal(
        "query_params_object",
        "query_params",
        "read: SessionState.query_params, the session's QueryParams, without the lock",
        "st.query_params takes the lock and checks for a stop request on every call",
        "read and written through st.query_params",
    ),
    Internal(
        "query_params_dict",
        "query_params",
        "read and written: QueryParams._query_params (and ctx.query_string)",
        "one write of the whole query, bound params kept; the public API sends a message per call",
        "st.query_params: one delete per dropped param and one update, each a message",
    ),
    Internal(
        "query_param_bindings",
        "query_params",
        "read: QueryParams._bindings_by_param, or QueryParams.is_bound(key): the params widgets bind, "
        "and whether a widget key is bound",
        "st.query_params does not say which params widgets bind",
        "no param counts as bound; a write Streamlit refuses is skipped; bind='query-params' beside bind() "
        "is refused only where bind() reads it in the call",
        history=(("1.55", "dict"),),
    ),
    Internal(
        "page_info_message",
        "query_params",
        "sent: ForwardMsg.page_info_changed .query_string, with ctx.enqueue(msg)",
        "what QueryParams ._send_query_param_msg() sends, encoded by the library's faster encoder",
        "the query is written through st.query_params",
    ),
    # ------------------------------------------------------------ delivery.py
    Internal(
        "flush_notification",
        "delivery",
        "replaced per instance: AppSession .on_flushed_messages_sent(); read: AppSession._browser_queue .is_empty()",
        "nothing tells the script thread that its messages left",
        "no wait: a URL write reaches the address bar after the post-run GC (50-400 ms)",
        history=(("1.67", True), ("1.55", False)),
    ),
    # ------------------------------------------------------------ client.py
    Internal(
        "session_manager",
        "client",
        "called: Runtime.instance() ._session_mgr .get_active_session_info(id), .is_active_session(id)",
        "no public list of connected sessions",
        "every session counts as connected (no recent-tab guess), and no delivery wait",
    ),
    Internal(
        "xsrf_cookie",
        "client",
        "read: the _streamlit_xsrf cookie, in Tornado's format 2|mask|masked token|time",
        "no public key of the browser; the token is one per browser profile",
        "no browser key: a reload whose page left no cookie gets a new tab id",
    ),
    Internal(
        "app_test_mode",
        "client",
        "read: config option global.appTest (AppTest sets it), runtime.get_instance()",
        "no public way to tell AppTest from a server",
        "a runtime that is not a Runtime proper (AppTest's mock) is not a server",
    ),
    # ------------------------------------------------------------ apptest.py
    Internal(
        "apptest_script_path",
        "apptest",
        "read: AppTest._script_path",
        "AppTest does not expose the path of its script",
        "testing.reload() raises TypeError naming this entry",
    ),
)
"""Every internal st-page-state uses, grouped by the module that uses it."""
