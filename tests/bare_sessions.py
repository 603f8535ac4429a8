"""Streamlit sessions opened by a plain websocket client: no browser, no JavaScript, no URL bridge.

What a script (or an attacker) can do cheaply: open ``/_stcore/stream``,
ask for one run with a query string (and, if it likes, a tab id of its own
in the reload cookie), wait for the run to finish, and go. Each such
session runs the app once, exactly as a page load would.
"""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.sync.client import connect

from st_page_state.identity import TAB_COOKIE


def open_bare_session(port: int, query: str, *, tab_id: str | None = None, timeout: float = 30.0) -> None:
    """One session: connect, one run of the main page with ``query``, wait for its end, disconnect."""
    headers = {"Cookie": f"{TAB_COOKIE}={tab_id}"} if tab_id is not None else {}
    with connect(
        f"ws://127.0.0.1:{port}/_stcore/stream",
        subprotocols=["streamlit"],  # type: ignore[list-item]
        additional_headers=headers,
        open_timeout=timeout,
        max_size=None,
    ) as socket:
        message = BackMsg()
        message.rerun_script.query_string = query
        message.rerun_script.page_script_hash = ""
        socket.send(message.SerializeToString())
        while True:
            forward = ForwardMsg()
            forward.ParseFromString(socket.recv(timeout=timeout))
            if forward.WhichOneof("type") == "script_finished":
                return


def flood(port: int, sessions: int, *, workers: int = 6) -> None:
    """``sessions`` bare sessions, a few at a time: half with a random tab id in the cookie, half without."""

    def one(n: int) -> None:
        tab = str(uuid.uuid4()) if n % 2 else None
        open_bare_session(port, f"status=active&n={n % 100}", tab_id=tab)

    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(one, range(sessions)))
