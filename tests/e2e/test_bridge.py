"""The URL bridge in a real browser: deep links, edits from other scripts, Back/Forward, no loops.

Every test checks the three places a value shows: the widget, the value the
script renders, and ``location.search``. One ``streamlit run`` per app
variant serves the whole module; each test gets a fresh browser context
(a new tab, so a new Streamlit session and a new tab id).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from tests.e2e.conftest import ROOT, Server, search, start_server, wait_idle

pytestmark = pytest.mark.browser

APP = ROOT / "tests" / "apps" / "bridge_app.py"
VARIANTS = {
    "replace": {},
    # Without a store too: the first URL write then waits for the bridge for
    # history's sake alone (with a store, persistence defers it anyway).
    "push": {"BRIDGE_TEST_HISTORY": "push", "BRIDGE_TEST_STORE": "0"},
    "off": {"BRIDGE_TEST_BRIDGE": "0"},
}
TAB_ID_KEY = "st-page-state.tab-id"
RESTORE_BUDGET_MS = 1000


@pytest.fixture(scope="module")
def app_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[str], Server]]:
    """``app_server(variant)``: the module's server for that variant of the app, started on first use."""
    started: dict[str, Server] = {}

    def get(variant: str) -> Server:
        if variant not in started:
            started[variant] = start_server(APP, tmp_path_factory.mktemp(variant), env=VARIANTS[variant])
        return started[variant]

    yield get
    for server in started.values():
        server.stop()
        assert "Traceback" not in server.output(), server.output()


@pytest.fixture(scope="module")
def browser_context(browser: Browser) -> Iterator[BrowserContext]:
    """One context for the module, so Streamlit's static files are fetched once (HTTP cache)."""
    context = browser.new_context()
    yield context
    context.close()


@pytest.fixture
def page(browser_context: BrowserContext) -> Iterator[Page]:
    """A new tab per test: its own ``sessionStorage`` (tab id) and its own Streamlit session.

    Cookies are cleared: the tab closed by the previous test left its id in a
    cookie for a few seconds, which this new tab would otherwise first take
    for its own (then correct; tests/e2e/test_tab_identity.py covers that).
    """
    browser_context.clear_cookies()
    tab = browser_context.new_page()
    tab.set_default_timeout(15_000)
    yield tab
    tab.close()


# ------------------------------------------------------------------ helpers
def rendered(page: Page, name: str) -> str:
    """The value the script rendered as ``name: **value**``."""
    text = page.get_by_test_id("stMarkdownContainer").filter(has_text=re.compile(rf"^{name}: ")).inner_text()
    return text.split(": ", 1)[1].strip()


def runs(page: Page) -> int:
    return int(rendered(page, "runs"))


def radio(page: Page) -> str:
    """The label of the checked radio option."""
    return page.get_by_test_id("stRadio").locator("label:has(input:checked)").inner_text().strip()


def params(page: Page) -> dict[str, list[str]]:
    result: dict[str, list[str]] = {}
    for pair in filter(None, search(page).split("&")):
        key, _, value = pair.partition("=")
        result.setdefault(key, []).append(value)
    return result


def assert_shows(page: Page, status: str) -> None:
    """Widget, rendered value and URL all say ``status``."""
    assert radio(page) == status
    assert rendered(page, "status") == status
    assert params(page).get("status") == [status], search(page)


def wait_for_runs(page: Page, count: int) -> None:
    """Wait until the app has rendered at least ``count`` runs and is idle."""
    page.wait_for_function(
        """count => {
            const box = [...document.querySelectorAll('[data-testid="stMarkdownContainer"]')]
                .find(el => el.innerText.startsWith('runs: '));
            return box !== undefined && Number(box.innerText.slice(6)) >= count;
        }""",
        arg=count,
    )
    wait_idle(page, 200)


def wait_for_status(page: Page, status: str) -> None:
    page.wait_for_function(
        """status => {
            const box = [...document.querySelectorAll('[data-testid="stMarkdownContainer"]')]
                .find(el => el.innerText.startsWith('status: '));
            return box !== undefined && box.innerText === 'status: ' + status
                && new URLSearchParams(location.search).get('status') === status;
        }""",
        arg=status,
    )
    wait_idle(page, 200)


def open_app(page: Page, server: Server, query: str = "", *, bridge: bool = True) -> None:
    """Load the app in a fresh tab and wait for its one run and the URL it writes."""
    page.add_init_script("window.__historyLengthAtLoad ??= history.length;")
    page.goto(f"{server.url}/{'?' + query if query else ''}")
    wait_for_runs(page, 1)
    page.wait_for_function("() => new URLSearchParams(location.search).has('page')")
    wait_idle(page, 300)


def choose(page: Page, status: str) -> None:
    """Click a radio option and wait for the one run it causes."""
    before = runs(page)
    page.get_by_test_id("stRadio").get_by_text(status, exact=True).click()
    wait_for_runs(page, before + 1)


def replace_url_and_time(page: Page, query: str, status: str) -> float | None:
    """Another script's ``history.replaceState(query)``; ms until the URL's status param reads ``status``."""
    elapsed = page.evaluate(
        """async ([query, status]) => {
            const start = performance.now();
            history.replaceState(history.state, '', location.pathname + (query ? '?' + query : ''));
            while (performance.now() - start < 10000) {
                if (new URLSearchParams(location.search).get('status') === status) {
                    return performance.now() - start;
                }
                await new Promise(resolve => setTimeout(resolve, 10));
            }
            return null;
        }""",
        [query, status],
    )
    return None if elapsed is None else float(elapsed)


# -------------------------------------------------------------------- tests
def test_deep_link_opens_on_the_linked_value_without_a_history_entry(
    app_server: Callable[[str], Server], page: Page
) -> None:
    open_app(page, app_server("replace"), "status=active")
    assert_shows(page, "active")
    assert params(page) == {"status": ["active"], "page": ["1"]}
    assert page.evaluate("history.length") == page.evaluate("window.__historyLengthAtLoad")
    tab_id = page.evaluate(f"sessionStorage.getItem({TAB_ID_KEY!r})")
    assert tab_id and tab_id not in page.url


def test_widget_change_updates_the_url_within_one_run(app_server: Callable[[str], Server], page: Page) -> None:
    open_app(page, app_server("replace"))
    assert_shows(page, "pending")
    for status in ("active", "done"):
        before = runs(page)
        choose(page, status)
        assert runs(page) == before + 1
        assert_shows(page, status)


def test_script_edits_are_restored_or_adopted(app_server: Callable[[str], Server], page: Page) -> None:
    open_app(page, app_server("replace"))
    choose(page, "done")

    # Deleting an owned param: put back within a second, value unchanged.
    elapsed = replace_url_and_time(page, "page=1", "done")
    assert elapsed is not None and elapsed <= RESTORE_BUDGET_MS, f"restored after {elapsed} ms"
    wait_idle(page, 300)
    assert_shows(page, "done")
    assert params(page)["page"] == ["1"]

    # Changing it to a valid value: adopted by the state and the widget.
    elapsed = replace_url_and_time(page, "status=active&page=1", "active")
    assert elapsed is not None
    wait_for_status(page, "active")
    assert_shows(page, "active")


def test_invalid_script_edit_is_rejected_with_a_toast(app_server: Callable[[str], Server], page: Page) -> None:
    open_app(page, app_server("replace"))
    choose(page, "done")
    elapsed = replace_url_and_time(page, "status=bogus&page=1", "done")
    assert elapsed is not None and elapsed <= RESTORE_BUDGET_MS, f"corrected after {elapsed} ms"
    toast = page.get_by_test_id("stToast").filter(has_text="Ignored URL parameter status")
    toast.wait_for()
    assert "bogus" in toast.inner_text()
    wait_idle(page, 300)
    assert_shows(page, "done")


def test_replace_mode_changes_add_no_history_entries(app_server: Callable[[str], Server], page: Page) -> None:
    open_app(page, app_server("replace"))
    start = page.evaluate("history.length")
    assert start == page.evaluate("window.__historyLengthAtLoad")
    for status in ("active", "done", "pending"):
        choose(page, status)
        assert_shows(page, status)
    assert page.evaluate("history.length") == start


def test_push_mode_back_and_forward_walk_the_changes(app_server: Callable[[str], Server], page: Page) -> None:
    open_app(page, app_server("push"), "status=active")
    assert_shows(page, "active")
    start = page.evaluate("history.length")
    assert start == page.evaluate("window.__historyLengthAtLoad"), "opening the page added an entry"
    for status in ("done", "pending", "active"):
        choose(page, status)
        assert_shows(page, status)
    assert page.evaluate("history.length") == start + 3

    for move, status in ((page.go_back, "pending"), (page.go_back, "done"), (page.go_forward, "pending")):
        before = runs(page)
        move()
        wait_for_status(page, status)
        page.wait_for_timeout(500)  # a bounce forward would show up here
        assert_shows(page, status)
        assert before + 1 <= runs(page) <= before + 2, "one run per navigation, at most one more"
    assert page.evaluate("history.length") == start + 3


def test_no_rerun_loop_after_an_edit(app_server: Callable[[str], Server], page: Page) -> None:
    open_app(page, app_server("replace"))

    before = runs(page)
    page.get_by_test_id("stRadio").get_by_text("active", exact=True).click()
    page.wait_for_timeout(3000)
    assert abs(runs(page) - (before + 1)) <= 1
    assert_shows(page, "active")

    before = runs(page)
    page.evaluate("history.replaceState(history.state, '', location.pathname + '?status=done&page=1')")
    page.wait_for_timeout(3000)
    assert abs(runs(page) - (before + 1)) <= 1
    assert_shows(page, "done")


def test_bridge_turned_off(app_server: Callable[[str], Server], page: Page) -> None:
    open_app(page, app_server("off"), "status=active", bridge=False)
    assert_shows(page, "active")
    assert page.locator(".st-key-st_page_state_bridge").count() == 0
    assert page.locator(".stBidiComponent").count() == 0
    choose(page, "done")
    assert_shows(page, "done")
    assert page.evaluate(f"sessionStorage.getItem({TAB_ID_KEY!r})") is None
    assert page.evaluate("window[Symbol.for('st-page-state.history-patch')]") is None
