"""SQLiteStore: a tab's state survives a server restart (one process, then another)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page

from tests.e2e.conftest import Server, free_port
from tests.e2e.test_reload_browser import APP, do_work, params, selected_status, settled, shown


def test_state_survives_a_server_restart(serve: Callable[..., Server], page: Page, tmp_path: Path) -> None:
    port = free_port()
    env = {"PERSIST_STORE": f"sqlite:{tmp_path / 'state.db'}"}
    first = serve(APP, env={**env, "SERVER_NAME": "first"}, port=port)
    page.goto(f"{first.url}/")
    settled(page)
    do_work(page)
    first.stop()

    # Same port, so the same origin: the tab keeps its sessionStorage identity.
    second = serve(APP, env={**env, "SERVER_NAME": "second"}, port=port)
    page.goto(f"{second.url}/")  # every param deleted, on a process that never saw this tab
    settled(page)
    assert shown(page, "server") == "second" and shown(page, "notes") == "remember me"
    assert shown(page, "status") == "active" and shown(page, "page") == "3"
    assert selected_status(page) == "active"
    assert params(page) == {"status": ["active"], "page": ["3"]}
    assert "Traceback" not in first.output() + second.output()
    assert "st-page-state" not in second.output()  # no store warning
