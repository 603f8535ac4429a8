"""The running script: its context, what tells one run from the next, why it runs, and asking for another.

+------------------------------------+----------------------------+-------------------+-------------------------------+
| internal                           | why no public API serves   | checked on        | fallback when missing         |
+====================================+============================+===================+===============================+
| ``run_context``: read:             | Streamlit documents        | 1.55-1.67         | none: importing st-page-state |
| get_script_run_ctx()               | get_script_run_ctx for     |                   | raises ImportError naming     |
| (streamlit.runtime.scriptrunner),  | threads; nothing public    |                   | this entry                    |
| ctx.session_id, ctx.session_state, | names the session          |                   |                               |
| ctx.query_string (also written);   |                            |                   |                               |
| the library keeps data in          |                            |                   |                               |
| ctx.__dict__                       |                            |                   |                               |
+------------------------------------+----------------------------+-------------------+-------------------------------+
| ``run_cursors``: read:             | no public identity of a    | 1.55-1.67         | a marker object that          |
| ctx.cursors, a new dict at every   | run; a field read compares |                   | run_start_hook renews at      |
| run start, as the identity of the  | it (hot path)              |                   | every run start               |
| run                                |                            |                   |                               |
+------------------------------------+----------------------------+-------------------+-------------------------------+
| ``session_state_unlocked``: read:  | widget and query-param     | 1.55-1.67         | query params go through       |
| ctx.session_state._state, the      | records are not public;    |                   | st.query_params; widget ids,  |
| SessionState behind                | only the script thread     |                   | resend and presenter are off  |
| SafeSessionState's lock            | reads them                 |                   |                               |
+------------------------------------+----------------------------+-------------------+-------------------------------+
| ``history_navigation``: read:      | st.query_params does not   | 1.65-1.67; absent | False: Back counts as an      |
| ctx.is_history_navigation (the run | say why a run began        | 1.55-1.64         | address-bar edit, and a URL   |
| comes from Back/Forward)           |                            |                   | the session wrote lately as a |
|                                    |                            |                   | stale echo: Back can be       |
|                                    |                            |                   | undone                        |
+------------------------------------+----------------------------+-------------------+-------------------------------+
| ``page_script_hash``: read:        | the library does not see   | 1.55-1.67         | "": page switches are not     |
| ctx.page_script_hash, the page the | the app's st.navigation    |                   | told apart; a switch's params |
| run draws                          | result                     |                   | are adopted as a link         |
+------------------------------------+----------------------------+-------------------+-------------------------------+
| ``page_url_path``: read: the       | st.navigation returns the  | 1.55-1.67         | unknown: the URL bridge pairs |
| url_pathname of the run's page in  | page (its url_path) to the |                   | a page switch's data with     |
| ctx.pages_manager .get_pages(),    | app's script, not to the   |                   | Streamlit's push of the new   |
| the path Streamlit's frontend      | library                    |                   | path by their order, not by   |
| shows for it ("" for the default   |                            |                   | the path                      |
| page)                              |                            |                   |                               |
+------------------------------------+----------------------------+-------------------+-------------------------------+
| ``fragment_runs``: read:           | no public way to tell a    | 1.55-1.67         | every run counts as full: a   |
| ctx.fragment_ids_this_run (set in  | fragment run               |                   | fragment run may push values  |
| a fragment run)                    |                            |                   | to widgets it does not draw   |
+------------------------------------+----------------------------+-------------------+-------------------------------+
| ``rerun_request``: called:         | st.rerun() raises to stop  | 1.55-1.67         | no redraw: a value corrected  |
| ctx.script_requests                | the run; the run-end hook  |                   | after it was drawn shows from |
| .request_rerun(RerunData(          | must ask and return        |                   | the next run                  |
| query_string, page_script_hash,    |                            |                   |                               |
| cached_message_hashes,             |                            |                   |                               |
| context_info))                     |                            |                   |                               |
+------------------------------------+----------------------------+-------------------+-------------------------------+

``ctx`` is the run's ``ScriptRunContext``. :func:`run_marker` and
:func:`is_fragment_run` run many times per run (every field read):
each is one global flag check and one attribute read.
"""

from __future__ import annotations

from streamlit.runtime.scriptrunner import ScriptRunContext, get_script_run_ctx

from . import capabilities
from .capabilities import Capabilities
from .hooks import renewed_marker

__all__ = ["ScriptRunContext"]

_CURSORS = True
_FRAGMENTS = True
_HISTORY = True
_caps = capabilities.CURRENT


@capabilities.applies
def _use(caps: Capabilities) -> None:
    global _CURSORS, _FRAGMENTS, _HISTORY, _caps
    _caps = caps
    _CURSORS, _FRAGMENTS, _HISTORY = caps.run_cursors, caps.fragment_runs, caps.history_navigation


def current_context() -> ScriptRunContext | None:
    """The running script's context, or ``None`` outside a script run."""
    return get_script_run_ctx(suppress_warning=True)


def run_marker(ctx: ScriptRunContext) -> object:
    """An object that changes identity with every script run (full or fragment).

    ``ScriptRunContext.reset`` gives each run a fresh ``cursors`` dict, the
    cheapest per-run identity there is.
    """
    if _CURSORS:
        return ctx.cursors
    return renewed_marker(ctx)


def is_fragment_run(ctx: ScriptRunContext) -> bool:
    return _FRAGMENTS and bool(ctx.fragment_ids_this_run)


def is_history_navigation(ctx: ScriptRunContext) -> bool:
    """Whether this run was caused by the browser's Back/Forward buttons."""
    return _HISTORY and bool(ctx.is_history_navigation)


def page_id(ctx: ScriptRunContext) -> str:
    """The page this run draws (its script hash; "" when Streamlit does not say)."""
    return str(ctx.page_script_hash) if _caps.page_script_hash else ""


def page_url_path(ctx: ScriptRunContext) -> str | None:
    """The URL path of the page this run shows ("" for the default page), or None when it cannot be told.

    What Streamlit's frontend puts in the address bar for the page: the URL
    bridge pairs a page switch's data with Streamlit's push of that path.
    """
    if not _caps.page_url_path:
        return None
    page = ctx.pages_manager.get_pages().get(ctx.page_script_hash)
    path = page.get("url_pathname") if page is not None else None
    return path if isinstance(path, str) else None


def request_rerun(ctx: ScriptRunContext) -> bool:
    """Ask for another run of the whole app once this one ends, as ``st.rerun()`` does but without stopping it.

    Safe from the end-of-run hook: the script runner looks for a pending
    rerun right after the hook returns. False when Streamlit cannot take
    the request (the session is closing, or no such internal).
    """
    requests = ctx.script_requests if _caps.rerun_request else None
    if requests is None:
        return False
    from streamlit.runtime.scriptrunner_utils.script_requests import RerunData

    return bool(
        requests.request_rerun(
            RerunData(
                query_string=ctx.query_string,
                page_script_hash=ctx.page_script_hash,
                cached_message_hashes=ctx.cached_message_hashes,
                context_info=ctx.context_info,
            )
        )
    )
