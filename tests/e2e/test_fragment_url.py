"""A change inside st.fragment reruns only the fragment, and the URL still follows."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page

from tests.e2e.conftest import ROOT, Server, search, wait_idle


def test_fragment_change_updates_url_without_a_full_rerun(serve: Callable[..., Server], page: Page) -> None:
    server = serve(ROOT / "tests" / "apps" / "fragment_url.py")
    page.goto(server.url)
    # The bridge applies the first URL write (no history entry, no extra run).
    page.wait_for_function("location.search === '?a=1&b=2'")
    wait_idle(page, 1000)
    full_runs = page.get_by_text("full_runs=").inner_text()
    for expected in (3, 4):
        page.get_by_role("button", name="inc").click()
        page.get_by_text(f"b={expected}").wait_for()
        wait_idle(page, 1000)
        assert search(page) == f"a=1&b={expected}", "the other state's param must survive a fragment run"
    assert page.get_by_text("full_runs=").inner_text() == full_runs, "a fragment change must not rerun the app"
    assert page.evaluate("history.length") <= 2
