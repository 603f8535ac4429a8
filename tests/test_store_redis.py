"""RedisStore against a real redis-server started by the test."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from st_page_state import testing
from st_page_state.stores import RedisStore, StoreError
from tests.conftest import AppFactory
from tests.redis_server import RedisServer, running_redis

pytestmark = pytest.mark.redis


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    yield from running_redis(tmp_path)


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
