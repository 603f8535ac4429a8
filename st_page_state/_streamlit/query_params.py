"""The session's query params: read with repeated keys kept, and written as one URL update that the caller sends.

+------------------------------------+----------------------------+-------------------+-------------------------------+
| internal                           | why no public API serves   | checked on        | fallback when missing         |
+====================================+============================+===================+===============================+
| ``query_params_object``: read:     | st.query_params takes the  | 1.55-1.67         | read and written through      |
| SessionState.query_params, the     | lock and checks for a stop |                   | st.query_params               |
| session's QueryParams, without the | request on every call      |                   |                               |
| lock                               |                            |                   |                               |
+------------------------------------+----------------------------+-------------------+-------------------------------+
| ``query_params_dict``: read and    | one write of the whole     | 1.55-1.67         | st.query_params: one delete   |
| written: QueryParams._query_params | query, bound params kept;  |                   | per dropped param and one     |
| (and ctx.query_string)             | the public API sends a     |                   | update, each a message        |
|                                    | message per call           |                   |                               |
+------------------------------------+----------------------------+-------------------+-------------------------------+
| ``query_param_bindings``: read:    | st.query_params does not   | dict 1.55-1.67    | no param counts as bound; a   |
| QueryParams._bindings_by_param, or | say which params widgets   |                   | write Streamlit refuses is    |
| QueryParams.is_bound(key): the     | bind                       |                   | skipped; bind='query-params'  |
| params widgets bind, and whether a |                            |                   | beside bind() is refused only |
| widget key is bound                |                            |                   | where bind() reads it in the  |
|                                    |                            |                   | call                          |
+------------------------------------+----------------------------+-------------------+-------------------------------+
| ``page_info_message``: sent:       | what QueryParams           | 1.55-1.67         | the query is written through  |
| ForwardMsg.page_info_changed       | ._send_query_param_msg()   |                   | st.query_params               |
| .query_string, with                | sends, encoded by the      |                   |                               |
| ctx.enqueue(msg)                   | library's faster encoder   |                   |                               |
+------------------------------------+----------------------------+-------------------+-------------------------------+

``ctx`` is the run's ``ScriptRunContext``. Only the session's script thread
reads or writes its query params, and these functions run in it. A run
reads them at its start and at its end (:func:`read_query`, a hot path:
one flag check, then attribute reads). Without the internals, everything
goes through ``st.query_params``: correct, slower, and a write may send a
message per param (each one a history entry unless the bridge replaces it).
"""

from __future__ import annotations

from typing import Any

import streamlit as st
from streamlit.errors import StreamlitAPIException

from ..query import Query
from . import capabilities
from .capabilities import Capabilities
from .run import ScriptRunContext

_RAW = False
"""Read and write ``QueryParams._query_params`` of the session's own ``SessionState``."""
_caps = capabilities.CURRENT

_EMBED_PARAMS = ("embed", "embed_options")


@capabilities.applies
def _use(caps: Capabilities) -> None:
    global _RAW, _caps
    _caps = caps
    _RAW = caps.session_state_unlocked and caps.query_params_object and caps.query_params_dict


def read_query(ctx: ScriptRunContext, *known: Query | None) -> Query:
    """The query params Streamlit holds for this run, repeated keys kept.

    ``known``: queries this session read or wrote lately. When Streamlit
    holds the params one of them came from, that one is returned, so an
    unchanged URL (or the one the engine just wrote) costs a dict comparison
    instead of a parse: a run calls this at its start and at its end.
    """
    if not _RAW:
        qp = st.query_params
        return Query((key, list(qp.get_all(key))) for key in qp)
    raw: dict[str, Any] = ctx.session_state._state.query_params._query_params
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


def bound_params(ctx: ScriptRunContext) -> set[str]:
    """Params that a widget owns natively through ``bind="query-params"`` (none when Streamlit does not say)."""
    how = _caps.query_param_bindings
    if how is None or not (_caps.session_state_unlocked and _caps.query_params_object):
        return set()
    qp = ctx.session_state._state.query_params
    if how == "dict" and _caps.query_params_dict:
        return {key for key in qp._bindings_by_param if key in qp._query_params}
    return {key for key in qp if qp.is_bound(key)}


def is_bound_natively(ctx: ScriptRunContext, key: str) -> bool:
    """Whether the widget with user key ``key`` was drawn with ``bind="query-params"`` (its key is then a URL param).

    Streamlit registers the binding as the widget is drawn and keeps it
    until the widget is gone, whether or not the param is in the URL
    (``query_param_bindings``); False when Streamlit does not say.
    """
    how = _caps.query_param_bindings
    if how is None or not (_caps.session_state_unlocked and _caps.query_params_object):
        return False
    qp = ctx.session_state._state.query_params
    if how == "dict":
        return key in qp._bindings_by_param
    return bool(qp.is_bound(key))


def write_query(ctx: ScriptRunContext, query: Query, encoded: str) -> str | None:
    """Make Streamlit's query params equal ``query`` (``encoded``: its text), for one URL update that the caller sends.

    Bound params keep their current values and position (Streamlit forbids
    writing them); everything else is replaced. Returns the query string to
    send the browser with :func:`send_query_string`, at the moment the caller
    chooses (after the URL bridge's data: see ``session._mount_bridge``), or
    None when the internals are missing and the public API sent it already.
    """
    if not (_RAW and _caps.page_info_message and _caps.query_param_bindings):
        _write_public(query, bound_params(ctx))  # Streamlit refuses to drop a bound param it knows of
        return None
    qp = ctx.session_state._state.query_params
    current: dict[str, Any] = qp._query_params
    bound = bound_params(ctx)
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
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    msg = ForwardMsg()
    msg.page_info_changed.query_string = text
    ctx.enqueue(msg)


def _write_public(query: Query, bound: set[str]) -> None:
    """Make ``st.query_params`` equal ``query`` through the public API, bound params left as they are.

    Each delete and the update send a message. A param Streamlit refuses
    to write (bound to a widget, where it could not be told) is skipped.
    """
    qp = st.query_params
    current = {key: qp.get_all(key) for key in qp}
    for key in [key for key in current if key not in query and key not in bound]:
        try:
            del qp[key]
        except StreamlitAPIException:
            continue
    changed = {key: texts for key, texts in query.items() if key not in bound and current.get(key) != texts}
    if not changed:
        return
    try:
        qp.update({key: texts[0] if len(texts) == 1 else texts for key, texts in changed.items()})
    except StreamlitAPIException:  # a bound param among them: write the others one by one
        for key, texts in changed.items():
            try:
                qp[key] = texts[0] if len(texts) == 1 else texts
            except StreamlitAPIException:
                continue
