"""Behind a real nginx: two ``streamlit run`` processes, round-robin, one Redis.

nginx runs the configuration README shows (``examples/deploy/nginx.conf``):
plain round-robin, no sticky sessions, so every page load (and its
websocket) may land on either process. A person opens a deep link, works,
reloads, edits the address bar, and then the process serving the page
stops: the page reconnects to the other one and carries on. Everything is
asserted on what the page paints.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import ROOT, Server
from tests.nginx_server import Nginx
from tests.redis_server import RedisServer

pytestmark = [pytest.mark.browser, pytest.mark.redis]

APP = ROOT / "tests" / "apps" / "balanced_app.py"
RELOADS = 4


@dataclass
class Deployment:
    nginx: Nginx
    servers: dict[str, Server]

    @property
    def url(self) -> str:
        return self.nginx.url

    def logs(self) -> str:
        return "\n".join(server.output() for server in self.servers.values())


@pytest.fixture
def deployment(
    serve: Callable[..., Server], redis_server: RedisServer, tmp_path: Path
) -> Iterator[Deployment]:
    servers = {
        name: serve(APP, env={"REDIS_URL": redis_server.url, "SERVER_NAME": name}) for name in ("alpha", "beta")
    }
    # Not 127.0.0.1: Streamlit lets a localhost origin through whatever the
    # Host header says, so only another address shows that nginx passes it on.
    nginx = Nginx(tmp_path, [server.port for server in servers.values()], host="127.0.0.2").start()
    try:
        yield Deployment(nginx, servers)
    finally:
        nginx.stop()


def sees(tab: Page, **painted: object) -> None:
    """Wait until the page paints each ``label: value`` line."""
    for label, value in painted.items():
        expect(tab.get_by_text(f"{label}: {value}", exact=True)).to_be_visible()


def server_of(page: Page) -> str:
    return str(page.get_by_text("server:").inner_text()).removeprefix("server:").strip()


def pin(page: Page, expected: int) -> None:
    page.get_by_role("button", name="Pin").click()
    sees(page, pins=expected)


def test_round_robin_reloads_address_bar_and_a_stopped_process(deployment: Deployment, page: Page) -> None:
    page.goto(f"{deployment.url}/?status=active&page=2")
    sees(page, status="active", page=2, pins=0)
    page.get_by_test_id("stSelectbox").click()
    page.get_by_role("option", name="done").click()
    sees(page, status="done")
    pin(page, 1)

    # Every reload may land on either process: the state comes back, and a
    # change made on one process is found by the other at the next reload.
    landed = set()
    for pins in range(1, RELOADS + 1):
        page.reload()
        sees(page, status="done", page=2, pins=pins)
        landed.add(server_of(page))
        expect(page).to_have_url(f"{deployment.url}/?status=done&page=2")
        pin(page, pins + 1)
    assert landed == {"alpha", "beta"}

    # Address-bar edit: `status` changed, `page` deleted (it comes back).
    pins = RELOADS + 1
    page.goto(f"{deployment.url}/?status=pending")
    sees(page, status="pending", page=2, pins=pins)
    expect(page.get_by_role("combobox", name="Status")).to_have_value("pending")
    expect(page).to_have_url(f"{deployment.url}/?status=pending&page=2")

    # The process serving this page stops mid-session: the next click
    # reaches the other one, which knows the tab and its state.
    serving = server_of(page)
    deployment.servers[serving].stop()
    (other,) = set(deployment.servers) - {serving}
    pin(page, pins + 1)
    sees(page, server=other, status="pending", page=2)
    expect(page).to_have_url(f"{deployment.url}/?status=pending&page=2")
    page.reload()
    sees(page, server=other, status="pending", page=2, pins=pins + 1)
    assert "Traceback" not in deployment.logs()
