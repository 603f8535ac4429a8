"""Reloading a tab in a real browser brings its state back (default memory store).

The tab identity lives in ``sessionStorage``: a reload or an address-bar
edit in the same tab keeps it, a new tab (or another browser) gets a new one.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qs

from playwright.sync_api import Browser, Page

from tests.e2e.conftest import ROOT, Server, search, wait_idle

APP = ROOT / "tests" / "apps" / "persist_app.py"

RECORD_URL_WRITES = """
(() => {
  const urls = [["load", location.search]];
  window.__urlWrites = urls;
  for (const name of ["pushState", "replaceState"]) {
    const original = history[name];
    history[name] = function (...args) {
      const result = original.apply(this, args);
      urls.push([name, location.search]);
      return result;
    };
  }
})();
"""


def params(page: Page) -> dict[str, list[str]]:
    return parse_qs(search(page))


def shown(page: Page, label: str) -> str:
    return str(page.get_by_text(f"{label}:", exact=False).first.inner_text()).split(":", 1)[1].strip()


def settled(page: Page, settle_ms: int = 300) -> None:
    """Wait for a page load's one run and the URL it writes (the bridge applies it)."""
    page.wait_for_function(
        """() => /runs: \\d+/.test(document.body.innerText) && new URLSearchParams(location.search).has('page')"""
    )
    wait_idle(page, settle_ms=settle_ms)


def select_status(page: Page, value: str) -> None:
    wait_idle(page, settle_ms=100)
    page.get_by_test_id("stSelectbox").click()
    page.get_by_role("option", name=value).click()
    page.get_by_text(f"status: {value}").wait_for()


def next_page(page: Page, expected: int) -> None:
    wait_idle(page, settle_ms=100)
    page.get_by_role("button", name="Next page").click()
    page.get_by_text(f"page: {expected}").wait_for()


def do_work(page: Page) -> None:
    """status=active, page 3, notes: the tab's work, as a person would do it."""
    select_status(page, "active")
    next_page(page, 2)
    next_page(page, 3)
    wait_idle(page, settle_ms=100)
    notes = page.get_by_label("Notes")
    notes.fill("remember me")
    notes.press("Enter")
    page.get_by_text("notes: remember me").wait_for()
    wait_idle(page)
    assert params(page) == {"status": ["active"], "page": ["3"]}


def selected_status(page: Page) -> str:
    return str(page.get_by_role("combobox", name="Status").input_value())


def test_reload_restores_the_tab_without_flashing_defaults(serve: Callable[..., Server], page: Page) -> None:
    server = serve(APP)
    page.add_init_script(RECORD_URL_WRITES)
    page.goto(server.url)
    settled(page)
    do_work(page)
    history_length = page.evaluate("history.length")

    page.reload()
    settled(page)
    assert shown(page, "status") == "active" and shown(page, "page") == "3"
    assert selected_status(page) == "active"
    assert page.get_by_label("Notes").input_value() == "remember me"
    assert params(page) == {"status": ["active"], "page": ["3"]}
    # Every URL the page had since the reload: never the defaults.
    writes = page.evaluate("window.__urlWrites")
    assert writes and all("status=active" in url and "page=3" in url for _, url in writes), writes
    assert not any(how == "pushState" for how, _ in writes), writes
    assert page.evaluate("history.length") == history_length
    assert shown(page, "runs") == "1"  # one run per page load: the tab is known in the first
    assert "Traceback" not in server.output()


def test_deleted_and_edited_params_in_the_same_tab(serve: Callable[..., Server], page: Page) -> None:
    server = serve(APP)
    page.add_init_script(RECORD_URL_WRITES)
    page.goto(server.url)
    settled(page)
    do_work(page)

    # Address-bar edit: `page` deleted, `status` changed. The URL wins, the rest comes back.
    page.goto(f"{server.url}/?status=done")
    settled(page)
    assert shown(page, "status") == "done" and shown(page, "page") == "3"
    assert selected_status(page) == "done"
    assert params(page) == {"status": ["done"], "page": ["3"]}

    # Every param deleted: all come back, and the widget shows the value.
    page.goto(server.url)
    settled(page)
    assert params(page) == {"status": ["done"], "page": ["3"]}
    assert selected_status(page) == "done"
    assert shown(page, "runs") == "1"
    # The URL went from empty to the restored state in one replaced entry:
    # no flash of the defaults, no extra history entry.
    assert page.evaluate("window.__urlWrites") == [["load", ""], ["replaceState", "?status=done&page=3"]]


def test_a_new_tab_starts_from_the_url_and_defaults(serve: Callable[..., Server], page: Page, browser: Browser) -> None:
    server = serve(APP)
    page.goto(server.url)
    settled(page)
    do_work(page)
    shared_link = page.url

    same_browser_tab = page.context.new_page()
    other_browser = browser.new_context()
    try:
        for tab in (same_browser_tab, other_browser.new_page()):
            tab.goto(server.url)
            settled(tab)
            assert shown(tab, "status") == "pending" and shown(tab, "page") == "1"
            assert shown(tab, "notes") == "(none)"
            assert params(tab) == {"status": ["pending"], "page": ["1"]}
            tab.goto(shared_link)
            settled(tab)
            # The link's params, nothing of the first tab's session-only notes.
            assert shown(tab, "status") == "active" and shown(tab, "page") == "3"
            assert shown(tab, "notes") == "(none)"
    finally:
        same_browser_tab.close()
        other_browser.close()
    # The first tab still has its own state.
    page.reload()
    settled(page)
    assert shown(page, "notes") == "remember me"
