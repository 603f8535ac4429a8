"""A deployment under load loses nothing: many tabs, two processes behind nginx, one Redis, 2 cores.

Every tab is a person in a browser profile of their own: set a number,
type a note, and reload as soon as the page shows it (while the run's
tail is still going) or a moment later, over and over, all tabs at once.
Every reload must come back with what was shown; a reload that reached
the other process, or a store call that missed its deadline under load,
may take a moment longer (the read is retried and the page reruns), but
never loses anything.

``make test-load`` runs 8 tabs for 6 rounds each (``LOAD_TABS``,
``LOAD_ROUNDS``, ``LOAD_TAIL`` override); the suite (``make test``, CI)
runs a smaller version. The figures are printed.
"""

from __future__ import annotations

import asyncio
import os
import random
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.async_api import Page, async_playwright, expect

from tests.e2e.conftest import ROOT, Server
from tests.nginx_server import Nginx
from tests.processes import CHROMIUM, CHROMIUM_ARGS
from tests.redis_server import RedisServer

pytestmark = [pytest.mark.browser, pytest.mark.redis]

APP = ROOT / "tests" / "apps" / "work_app.py"
TABS = int(os.environ.get("LOAD_TABS", "4"))
ROUNDS = int(os.environ.get("LOAD_ROUNDS", "3"))
TAIL = os.environ.get("LOAD_TAIL", "0.5")
SETTLE_S = 45.0
"""Longest a reload may take to show the restored state under load (a late read is retried and rerun)."""


@dataclass
class Outcome:
    reloads: int = 0
    lost: list[str] = field(default_factory=list)
    slowest: float = 0.0


@pytest.fixture
def deployment(serve: Callable[..., Server], redis_server: RedisServer, tmp_path: Path) -> Iterator[tuple[Nginx, list[Server]]]:
    env = {"WORK_STORE": "redis", "WORK_REDIS": redis_server.url, "WORK_TAIL": TAIL}
    if os.environ.get("LOAD_DEBUG"):
        env["ST_PAGE_STATE_DEBUG"] = "1"
    servers = [serve(APP, env={**env, "SERVER_NAME": name}) for name in ("alpha", "beta")]
    nginx = Nginx(tmp_path, [server.port for server in servers], host="127.0.0.2").start()
    try:
        yield nginx, servers
    finally:
        nginx.stop()


async def shows(page: Page, text: str, timeout: float) -> bool:
    try:
        await page.get_by_text(f"shown: {text}", exact=True).wait_for(timeout=timeout * 1000)
    except Exception:
        return False
    return True


async def one_tab(url: str, index: int, browser: object, outcome: Outcome) -> None:
    context = await browser.new_context()  # type: ignore[attr-defined]
    page = await context.new_page()
    try:
        await _work_and_reload(page, url, index, outcome)
    except Exception as exc:
        body = await page.inner_text("body")
        outcome.lost.append(f"tab {index}: {str(exc).splitlines()[0]}; url {page.url}, page: {body[:300]!r}")
    await context.close()


async def _work_and_reload(page: Page, url: str, index: int, outcome: Outcome) -> None:
    page.set_default_timeout(SETTLE_S * 1000)
    rng = random.Random(index)
    await page.goto(f"{url}/?n=1", wait_until="commit")
    await page.get_by_text("shown: pending | 1 | (empty)", exact=True).wait_for()
    # The page shows: its note field holds its value (a Streamlit text_input is empty while it mounts,
    # and the browser sends that empty value if another widget changes in that moment).
    await expect(page.get_by_label("Note")).to_have_value("(empty)")
    note = "(empty)"
    for round_ in range(ROUNDS):
        value = 10 + (index * 7 + round_) % 90
        number = page.get_by_label("N", exact=True)
        await number.fill(str(value))
        await number.press("Enter")
        await page.get_by_text(f"shown: pending | {value} | {note}", exact=True).wait_for()
        note = f"tab {index} round {round_}"
        field_ = page.get_by_label("Note")
        await field_.fill(note)
        await expect(field_).to_have_value(note)  # a person sees what they typed before pressing Enter
        await field_.press("Enter")
        state = f"pending | {value} | {note}"
        await page.get_by_text(f"shown: {state}", exact=True).wait_for()
        if round_ % 2:
            await asyncio.sleep(rng.uniform(0.05, 0.6))  # a moment later; else at once, during the tail
        started = time.monotonic()
        await page.reload(wait_until="commit")
        outcome.reloads += 1
        if not await shows(page, state, SETTLE_S):
            body = await page.inner_text("body")
            outcome.lost.append(f"tab {index} round {round_}: expected {state!r}, url {page.url}, page: {body[:300]!r}")
            return
        outcome.slowest = max(outcome.slowest, time.monotonic() - started)


async def run_tabs(url: str, outcome: Outcome) -> None:
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            await asyncio.gather(*(one_tab(url, index, browser, outcome) for index in range(TABS)))
        finally:
            await browser.close()


def test_many_tabs_through_two_processes_and_one_redis_lose_nothing(deployment: tuple[Nginx, list[Server]]) -> None:
    nginx, servers = deployment
    outcome = Outcome()
    failure: list[BaseException] = []

    def run() -> None:  # the async API, away from the sync API's loop of the other browser tests
        try:
            asyncio.run(run_tabs(nginx.url, outcome))
        except BaseException as exc:
            failure.append(exc)

    started = time.monotonic()
    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    took = time.monotonic() - started
    logs = "\n".join(server.output() for server in servers)
    missed = logs.count("the state store")  # one warning per outage: a call missed its deadline or failed
    print(
        f"\nload: {TABS} tabs x {ROUNDS} rounds, tail {TAIL} s: {outcome.reloads} reloads in {took:.0f} s, "
        f"slowest restore {outcome.slowest:.1f} s, store outages logged {missed}, lost {len(outcome.lost)}"
    )
    if os.environ.get("LOAD_DEBUG"):
        for server in servers:
            Path(f"/tmp/load-{server.port}.log").write_text(server.output())
    assert not failure, failure
    assert outcome.lost == [], "\n".join(outcome.lost)
    assert outcome.reloads == TABS * ROUNDS
    assert "Traceback" not in logs
    served = {line.split(" -> ")[1].split(" ")[0] for line in nginx.access_log().splitlines() if " -> " in line}
    assert len(served) == 2, "both processes served pages"
