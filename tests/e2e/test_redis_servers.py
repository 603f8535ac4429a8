"""RedisStore: several Streamlit processes behind one address share each tab's state.

A small TCP proxy plays the load balancer: the browser only ever talks to
the proxy's address (one origin, so the tab keeps its ``sessionStorage``
identity), and the test decides which Streamlit process gets the next
connections. Neither process shares memory with the other; only Redis
connects them.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis
from playwright.sync_api import Page

from tests.e2e.conftest import Server, free_port, wait_idle
from tests.e2e.test_reload_browser import (
    APP,
    do_work,
    next_page,
    params,
    select_status,
    selected_status,
    settled,
    shown,
)
from tests.redis_server import RedisServer

pytestmark = [pytest.mark.browser, pytest.mark.redis]


class Balancer:
    """A TCP proxy whose backend the test switches; switching drops open connections."""

    def __init__(self) -> None:
        self.port = free_port()
        self.backend = 0
        self._listener = socket.create_server(("127.0.0.1", self.port))
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def route_to(self, server: Server) -> None:
        with self._lock:
            self.backend = server.port
            dropped, self._open = self._open, set()
        for sock in dropped:
            _close(sock)

    def close(self) -> None:
        self._closed = True
        self.route_to_nothing()
        _close(self._listener)

    def route_to_nothing(self) -> None:
        with self._lock:
            dropped, self._open = self._open, set()
        for sock in dropped:
            _close(sock)

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(("127.0.0.1", self.backend), timeout=5)
                upstream.settimeout(None)
            except OSError:
                _close(client)
                continue
            with self._lock:
                self._open |= {client, upstream}
            threading.Thread(target=self._pump, args=(client, upstream), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        finally:
            _close(source)
            _close(target)


def _close(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    sock.close()


@pytest.fixture
def balancer() -> Iterator[Balancer]:
    proxy = Balancer()
    yield proxy
    proxy.close()


def stored_filter_state(url: str) -> dict[str, object] | None:
    client = redis.Redis.from_url(url)
    keys = [k for k in client.keys("st_page_state:*") if k.endswith(b":persist_app.py:FilterState")]
    if not keys:
        return None
    assert len(keys) == 1, keys
    raw = client.get(keys[0])
    return None if raw is None else dict(json.loads(raw)["values"])


def wait_until(condition: Callable[[], bool], timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached")
        time.sleep(0.1)


def store_warnings(server: Server) -> list[str]:
    return [line for line in server.output().splitlines() if "the state store" in line and "failed" in line]


def test_two_processes_share_state_through_redis(
    serve: Callable[..., Server], page: Page, balancer: Balancer, redis_server: RedisServer, tmp_path: Path
) -> None:
    env = {"PERSIST_STORE": f"redis:{redis_server.url}"}
    alpha = serve(APP, env={**env, "SERVER_NAME": "alpha"})
    beta = serve(APP, env={**env, "SERVER_NAME": "beta"})

    balancer.route_to(alpha)
    page.goto(balancer.url)
    settled(page)
    assert shown(page, "server") == "alpha"
    do_work(page)
    assert stored_filter_state(redis_server.url) == {"status": "active", "page": 3, "notes": "remember me"}

    # The next page load lands on the other process, with every param deleted.
    balancer.route_to(beta)
    page.goto(balancer.url)
    settled(page)
    assert shown(page, "server") == "beta" and shown(page, "notes") == "remember me"
    assert shown(page, "status") == "active" and shown(page, "page") == "3"
    assert selected_status(page) == "active"
    assert params(page) == {"status": ["active"], "page": ["3"]}

    # And back: a change made on beta is found by alpha.
    select_status(page, "done")
    wait_idle(page)
    balancer.route_to(alpha)
    page.reload()
    settled(page)
    assert shown(page, "server") == "alpha" and shown(page, "status") == "done"
    assert shown(page, "page") == "3" and shown(page, "notes") == "remember me"
    assert "Traceback" not in alpha.output() + beta.output()


def test_redis_down_mid_session_then_back(
    serve: Callable[..., Server], page: Page, redis_server: RedisServer
) -> None:
    server = serve(APP, env={"PERSIST_STORE": f"redis:{redis_server.url}"})
    page.goto(server.url)
    settled(page)
    select_status(page, "active")
    wait_idle(page)
    assert stored_filter_state(redis_server.url) == {"status": "active", "page": 1, "notes": ""}

    redis_server.stop()
    select_status(page, "done")
    for expected in (2, 3, 4):
        next_page(page, expected)
    wait_idle(page)
    assert params(page) == {"status": ["done"], "page": ["4"]}  # the app keeps working
    assert len(store_warnings(server)) == 1, server.output()

    redis_server.start()  # same port, empty
    time.sleep(2.5)  # past the guard's back-off
    next_page(page, 5)
    wait_until(lambda: stored_filter_state(redis_server.url) == {"status": "done", "page": 5, "notes": ""})
    assert len(store_warnings(server)) == 1
    assert "Traceback" not in server.output()
