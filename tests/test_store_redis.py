"""RedisStore against a real redis-server started by the test."""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import redis

from st_page_state import testing
from st_page_state.stores import BadDocumentError, RedisStore, StoreError, StoreTimeoutError
from st_page_state.stores.guard import RETRY_SECONDS, StoreGuard, StoreRead
from st_page_state.stores.redis import redact_url
from tests.conftest import AppFactory
from tests.redis_server import RedisServer
from tests.threads import in_threads, timed

pytestmark = pytest.mark.redis


def test_documents_are_plain_json_strings_with_expiry(redis_server: RedisServer) -> None:
    store = RedisStore(redis_server.url, default_ttl=3600)
    store.set("tab:x/y", "app.py:Filters", {"values": {"status": "active"}}, ttl=30)
    store.set("tab:x/y", "app.py:Other", {"values": {}})
    raw = redis.Redis.from_url(redis_server.url)
    key = store.key("tab:x/y", "app.py:Filters")
    assert key == "st_page_state:tab%3Ax%2Fy:app.py:Filters"
    assert raw.get(key) == b'{"values":{"status":"active"}}'
    assert 29_000 < raw.pttl(key) <= 30_000
    assert 3_599_000 < raw.pttl(store.key("tab:x/y", "app.py:Other")) <= 3_600_000
    RedisStore(redis_server.url, default_ttl=None).set("i", "n", {})
    assert raw.pttl(store.key("i", "n")) == -1  # no expiry


def test_a_short_ttl_really_expires(redis_server: RedisServer) -> None:
    store = RedisStore(redis_server.url)
    store.set("i", "n", {"a": 1}, ttl=0.3)
    assert store.get("i", "n") == {"a": 1}
    time.sleep(0.5)
    assert store.get("i", "n") is None


def test_config_ttl_becomes_the_key_expiry(make_app: AppFactory, redis_server: RedisServer) -> None:
    app = """
import streamlit as st
from st_page_state import PageState, StateVar

class Short(PageState):
    class Config:
        ttl = 120
    value: int = StateVar(default=0, url_key="v")

class Long(PageState):
    value: int = StateVar(default=0, url_key="w")

if st.button("bump"):
    Short.value += 1
    Long.value += 1
st.markdown(f"{Short.value} {Long.value}")
"""
    store = RedisStore(redis_server.url, prefix="ttl-test", default_ttl=7200)
    with testing.configured(store=store):
        at = testing.set_tab_id(make_app(app), "tab-1").run()
        at.button[0].click().run()
    raw = redis.Redis.from_url(redis_server.url)
    keys = sorted(k.decode() for k in raw.keys("ttl-test:*"))
    assert keys == ["ttl-test:tab%3Atab-1:app.py:Long", "ttl-test:tab%3Atab-1:app.py:Short"]
    assert 119_000 < raw.pttl("ttl-test:tab%3Atab-1:app.py:Short") <= 120_000
    assert 7_199_000 < raw.pttl("ttl-test:tab%3Atab-1:app.py:Long") <= 7_200_000


def test_a_stopped_redis_fails_fast_and_a_restarted_one_works_again(redis_server: RedisServer) -> None:
    store = RedisStore(redis_server.url)
    store.set("i", "n", {"a": 1})
    redis_server.stop()
    started = time.monotonic()
    with pytest.raises(StoreError):
        store.get("i", "n")
    with pytest.raises(StoreError):
        store.set("i", "n", {"a": 2})
    assert time.monotonic() - started < 3
    redis_server.start()  # same port, empty (no persistence)
    assert store.get("i", "n") is None
    store.set("i", "n", {"a": 3})
    assert store.get("i", "n") == {"a": 3}


def test_an_unreachable_host_times_out_quickly() -> None:
    store = RedisStore("redis://10.255.255.1:6379/0", timeout=0.3)  # not routable
    started = time.monotonic()
    with pytest.raises(StoreError):
        store.get("i", "n")
    assert time.monotonic() - started < 2


def test_missing_redis_client_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "redis", None)
    with pytest.raises(ImportError, match=r"st-page-state\[redis\]"):
        RedisStore("redis://localhost:6379/0")


# ------------------------------------------------------------ faults
@contextmanager
def paused(server: RedisServer) -> Iterator[None]:
    """The redis-server process stopped (SIGSTOP): connections are accepted, nothing is answered."""
    assert server.process is not None
    os.kill(server.process.pid, signal.SIGSTOP)
    try:
        yield
    finally:
        os.kill(server.process.pid, signal.SIGCONT)


@contextmanager
def busy_with_a_script(server: RedisServer, seconds: float) -> Iterator[None]:
    """Another client keeps the single-threaded server busy (a slow Lua script, like a KEYS * on a big db).

    Under 5 s: past ``busy-reply-threshold`` Redis answers BUSY instead of nothing.
    """
    client = redis.Redis.from_url(server.url, socket_timeout=seconds + 30)
    spin = "local t = redis.call('TIME') local stop = t[1] * 1e6 + t[2] + ARGV[1] " \
        "repeat t = redis.call('TIME') until t[1] * 1e6 + t[2] >= stop return 1"
    started = threading.Event()

    def run() -> None:
        started.set()
        client.eval(spin, 0, int(seconds * 1e6))

    thread = threading.Thread(target=run)
    thread.start()
    started.wait()
    time.sleep(0.1)  # the script is running
    try:
        yield
    finally:
        thread.join()
        client.close()


def test_non_json_bytes_in_one_key_are_bad_data_not_an_outage(
    redis_server: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    """The reported case: one key with garbage refused every session's store calls for 2 s."""
    store = RedisStore(redis_server.url)
    guard = StoreGuard(store)
    store.set("tab:good", "app.py:Filters", {"values": {"status": "active"}})
    raw = redis.Redis.from_url(redis_server.url)
    raw.set(store.key("tab:bad\n", "app.py:Filters"), b"\x80\x81 not json \x00" * 10)
    with caplog.at_level(logging.WARNING, logger="st_page_state"):
        bad = guard.read("tab:bad\n", "app.py:Filters")
        assert bad.status == "bad" and bad.document is None and bad.ok
        assert guard.read("tab:bad\n", "app.py:Filters").status == "bad"
        took, good = timed(lambda: guard.read("tab:good", "app.py:Filters"))
        assert good == StoreRead("found", {"values": {"status": "active"}}) and took < 0.3
        assert guard.write("tab:other", "app.py:Filters", {"values": {}}, None).ok
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1, warnings  # the second read of the same class is rate-limited
    assert "tab:bad\\n / app.py:Filters" in warnings[0] and "not valid JSON" in warnings[0]
    assert "\n" not in warnings[0] and "not json" not in warnings[0]  # never the stored text
    health = guard.health()
    assert health.healthy and health.outages == 0 and health.bad_documents == 2
    assert health.last_bad_document is not None and "app.py:Filters" in health.last_bad_document
    raw.close()


def test_a_key_of_another_redis_type_is_bad_data(redis_server: RedisServer) -> None:
    store = RedisStore(redis_server.url)
    raw = redis.Redis.from_url(redis_server.url)
    raw.rpush(store.key("i", "n"), "a", "b")
    with pytest.raises(BadDocumentError, match="another type"):
        store.get("i", "n")
    store.set("i", "n", {"fixed": True})  # SET replaces a key of any type
    assert store.get("i", "n") == {"fixed": True}
    raw.set(store.key("i", "n"), b"")
    assert store.get("i", "n") is None  # an empty string is never a document: missing
    raw.close()


def test_a_hung_server_costs_each_call_one_deadline(redis_server: RedisServer) -> None:
    store = RedisStore(redis_server.url, deadline=0.5)
    store.set("i", "n", {"a": 1})  # a pooled connection exists
    with paused(redis_server):
        took, error = timed(lambda: store.get("i", "n"))
        assert isinstance(error, StoreTimeoutError) and 0.3 < took < 1.5, (took, error)
        # Ten sessions at once, on pooled and on new connections: each waits its own deadline.
        wall, results = in_threads(10, lambda n: store.set(f"tab:{n}", "n", {"n": n}))
        assert all(isinstance(result, StoreTimeoutError) for _, result in results), results
        assert max(duration for duration, _ in results) < 1.5 and wall < 2.5, (wall, results)  # in turn: 5 s
        # A store built while the server is hung (a connection, then no answer).
        took, error = timed(lambda: RedisStore(redis_server.url, deadline=0.5).get("i", "n"))
        assert isinstance(error, StoreTimeoutError) and took < 1.5, (took, error)
    assert store.get("i", "n") == {"a": 1}  # answers again, on fresh connections


def test_a_server_busy_with_a_slow_script_costs_one_deadline(redis_server: RedisServer) -> None:
    store = RedisStore(redis_server.url, deadline=0.5)
    store.set("i", "n", {"a": 1})
    with busy_with_a_script(redis_server, seconds=4):
        wall, results = in_threads(10, lambda n: store.get("i", "n"))
        assert all(isinstance(result, StoreTimeoutError) for _, result in results), results
        assert max(duration for duration, _ in results) < 1.5 and wall < 2.5, (wall, results)  # in turn: 5 s
    assert store.get("i", "n") == {"a": 1}


def test_through_the_guard_a_hung_server_is_tried_by_one_call_at_a_time(
    redis_server: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    now = [0.0]
    store = RedisStore(redis_server.url, deadline=0.5)
    guard = StoreGuard(store, clock=lambda: now[0])
    assert guard.write("i", "n", {"a": 1}, None).ok
    with paused(redis_server), caplog.at_level(logging.INFO, logger="st_page_state"):
        took, first = timed(lambda: guard.read("i", "n"))
        assert first.status == "failed" and took < 1.5  # type: ignore[attr-defined]
        took, again = timed(lambda: guard.read("i", "n"))
        assert again.status == "failed" and took < 0.05  # type: ignore[attr-defined]  # paused: no waiting
        now[0] += RETRY_SECONDS + 0.1
        # After the pause, one call tries the backend; the others do not pile onto it.
        wall, results = in_threads(8, lambda n: guard.read(f"tab:{n}", "n"))
        durations = sorted(duration for duration, _ in results)
        assert all(result.status == "failed" for _, result in results)  # type: ignore[attr-defined]
        assert durations[-2] < 0.25 and 0.3 < durations[-1] < 1.5, durations
    now[0] += RETRY_SECONDS + 0.1
    assert guard.read("i", "n") == StoreRead("found", {"a": 1})
    messages = [r.getMessage() for r in caplog.records]
    assert len([m for m in messages if "failed to read" in m]) == 1
    health = guard.health()
    assert health.healthy and health.failures == 0 and health.outages == 1
    assert health.last_error is not None and "Timeout" in health.last_error


def test_the_password_never_reaches_logs(free_port: int, caplog: pytest.LogCaptureFixture) -> None:
    store = RedisStore(f"redis://app:s3cret@127.0.0.1:{free_port}/0", deadline=0.3)
    assert "s3cret" not in repr(store) and "app:***@127.0.0.1" in repr(store)
    with pytest.raises(StoreError) as caught:
        store.get("i", "n")
    assert "s3cret" not in str(caught.value)
    with caplog.at_level(logging.DEBUG, logger="st_page_state"):
        assert not StoreGuard(store).write("i", "n", {}, None).ok
    assert caplog.records and not any("s3cret" in r.getMessage() for r in caplog.records)
    assert redact_url("rediss://:pw@h:1/0?password=x&ssl_cert_reqs=none") == (
        "rediss://***@h:1/0?password=%2A%2A%2A&ssl_cert_reqs=none"
    )


@pytest.fixture
def free_port() -> int:
    from tests.processes import free_port as pick

    return pick()
