"""Many browser sessions on one server at once: no value crosses between them."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Browser

from tests.e2e.conftest import ROOT, Server, search, wait_idle

APP = ROOT / "tests" / "apps" / "sessions.py"


def test_concurrent_sessions_keep_their_own_values(serve: Callable[..., Server], browser: Browser) -> None:
    server = serve(APP)
    contexts = [browser.new_context() for _ in range(6)]
    pages = [ctx.new_page() for ctx in contexts]
    try:
        for i, page in enumerate(pages):
            page.goto(f"{server.url}/?who=user{i}", wait_until="commit")
        for page in pages:
            wait_idle(page)
        for round_ in range(1, 4):
            for page in pages:  # click all before waiting: the runs overlap on the server
                page.get_by_role("button", name="click").click()
            for i, page in enumerate(pages):
                page.get_by_text(f"who=user{i} clicks={round_} seen=user{i}").wait_for()
        for i, page in enumerate(pages):
            wait_idle(page)
            assert f"who=user{i}" in search(page) and "clicks=3" in search(page)
    finally:
        for ctx in contexts:
            ctx.close()
    assert "Traceback" not in server.output()
