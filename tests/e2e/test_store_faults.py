"""A slow or failing Redis never costs a person their work, and they are told while it lasts.

Real redis-server, real ``streamlit run``, real chromium; the person acts
as soon as the page shows, and reloads right after a change. Redis is made
slow with ``DEBUG SLEEP`` (it answers nothing for a while), or stopped and
started again (its append-only file keeps what it stored, as an operator's
restart does).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis
from playwright.sync_api import Browser, BrowserContext, Page, expect

from st_page_state.session.saving import DONE, WAITING
from tests.e2e.conftest import Server
from tests.e2e.test_never_lose_work import APP, new_tab, note_shows, type_note, wait_shown, wait_url
from tests.e2e.test_redis_servers import Balancer
from tests.redis_server import RedisServer, running_redis

pytestmark = [pytest.mark.browser, pytest.mark.redis]


@pytest.fixture
def durable_redis(tmp_path: Path) -> Iterator[RedisServer]:
    yield from running_redis(tmp_path, durable=True)


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    ctx = browser.new_context()
    yield ctx
    ctx.close()


def stored_note(server: RedisServer) -> str | None:
    client = redis.Redis.from_url(server.url, decode_responses=True)
    keys = [k for k in client.keys("st_page_state:*") if k.endswith(":work_app.py:Work")]
    values = [client.get(k) for k in keys]
    notes = [v for v in values if v and '"note"' in v]
    client.close()
    if not notes:
        return None
    return str(json.loads(notes[-1])["values"]["note"])


def toast(page: Page, text: str) -> object:
    return page.locator('[data-testid="stToast"]', has_text=text)


def debug_sleep(server: RedisServer, seconds: float) -> threading.Thread:
    """``redis-cli DEBUG SLEEP``: Redis answers nobody for ``seconds`` (started in the background)."""
    client = redis.Redis.from_url(server.url, socket_timeout=seconds + 10)

    def run() -> None:
        client.execute_command("DEBUG", "SLEEP", seconds)
        client.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    time.sleep(0.05)  # the command reached Redis
    return thread


def test_a_slow_redis_during_a_reload_then_a_change_loses_nothing(
    serve: Callable[..., Server], context: BrowserContext, durable_redis: RedisServer
) -> None:
    """The reported case: the read timed out, the page painted defaults, and the next change wrote them over."""
    server = serve(APP, env={"WORK_STORE": "redis", "WORK_REDIS": durable_redis.url})
    page = new_tab(context)
    page.goto(f"{server.url}/?n=3", wait_until="commit")
    for i in range(2):
        type_note(page, f"keepme {i}")
        wait_shown(page, f"pending | 3 | keepme {i}")
        sleeping = debug_sleep(durable_redis, 2.5)
        page.reload(wait_until="commit")
        # The read missed its deadline: the URL's values and the defaults, and within about a second, one notice.
        wait_shown(page, "pending | 3 | (empty)")
        select_status(page, "active")  # a change while the stored note is unknown
        wait_shown(page, "active | 3 | (empty)")
        expect(toast(page, WAITING["restore"])).to_be_visible(timeout=4000)
        expect(toast(page, WAITING["restore"])).to_have_count(1)
        sleeping.join()
        # Redis answers again: the note comes back by itself, the change stays, the notice goes.
        wait_shown(page, f"active | 3 | keepme {i}")
        expect(toast(page, WAITING["restore"])).to_have_count(0)
        expect(toast(page, DONE["restore"])).to_be_visible()
        wait_url(page, status="active", n="3")
        page.reload(wait_until="commit")
        wait_shown(page, f"active | 3 | keepme {i}")
        assert stored_note(durable_redis) == f"keepme {i}"
        select_status(page, "pending")
        wait_shown(page, f"pending | 3 | keepme {i}")
    assert "Traceback" not in server.output()


def test_redis_stopped_and_started_again_while_a_change_is_made_then_a_reload(
    serve: Callable[..., Server], context: BrowserContext, durable_redis: RedisServer
) -> None:
    server = serve(APP, env={"WORK_STORE": "redis", "WORK_REDIS": durable_redis.url})
    page = new_tab(context)
    page.goto(f"{server.url}/?n=4", wait_until="commit")
    type_note(page, "before the outage")
    wait_shown(page, "pending | 4 | before the outage")
    durable_redis.stop()
    type_note(page, "during the outage")  # accepted and shown: the store cannot take it
    wait_shown(page, "pending | 4 | during the outage")
    expect(toast(page, WAITING["save"])).to_be_visible(timeout=4000)
    # A reload during the outage: this server still holds the change and hands it over.
    page.reload(wait_until="commit")
    wait_shown(page, "pending | 4 | during the outage")
    expect(toast(page, WAITING["save"])).to_be_visible(timeout=4000)
    durable_redis.start()
    # The write lands by itself; the page learns it without the person doing anything.
    expect(toast(page, WAITING["save"])).to_have_count(0, timeout=10_000)
    expect(toast(page, DONE["save"])).to_be_visible()
    assert stored_note(durable_redis) == "during the outage"
    page.reload(wait_until="commit")
    wait_shown(page, "pending | 4 | during the outage")
    note_shows(page, "during the outage")
    assert "Traceback" not in server.output()


def test_a_reload_during_an_outage_never_loses_what_was_stored_before(
    serve: Callable[..., Server], context: BrowserContext, durable_redis: RedisServer, balancer: Balancer
) -> None:
    """Another server process (no copy of the change in memory) serves the reload while Redis is down."""
    env = {"WORK_STORE": "redis", "WORK_REDIS": durable_redis.url}
    first, second = serve(APP, env=env), serve(APP, env=env)
    balancer.route_to(first)
    page = new_tab(context)
    page.goto(f"{balancer.url}/?n=6", wait_until="commit")
    type_note(page, "stored before")
    wait_shown(page, "pending | 6 | stored before")
    durable_redis.stop()
    balancer.route_to(second)  # the reload reaches the other process
    page.reload(wait_until="commit")
    wait_shown(page, "pending | 6 | (empty)")
    expect(toast(page, WAITING["restore"])).to_be_visible(timeout=4000)
    select_status(page, "done")  # the stored note is unknown: this change must not write over it
    wait_shown(page, "done | 6 | (empty)")
    durable_redis.start()
    wait_shown(page, "done | 6 | stored before")
    expect(toast(page, DONE["restore"])).to_be_visible()
    page.reload(wait_until="commit")
    wait_shown(page, "done | 6 | stored before")
    assert stored_note(durable_redis) == "stored before"
    assert "Traceback" not in first.output() + second.output()


def select_status(page: Page, value: str) -> None:
    page.get_by_test_id("stSelectbox").click()
    page.get_by_role("option", name=value).click()


@pytest.fixture
def balancer() -> Iterator[Balancer]:
    proxy = Balancer()
    yield proxy
    proxy.close()
