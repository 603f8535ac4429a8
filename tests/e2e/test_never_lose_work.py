"""Never lose work: a change the app accepted and showed survives a reload, at real-user timings.

Nothing here waits for the page to settle before acting: each test types as
soon as the field shows, reloads right after the change is on screen (or
while the run it caused is still going), on a freshly started server where
the first page load is a cold start. Each race is tried several times
within the test, so a lost change fails here rather than in a user's tab.
Every reload is watched by a MutationObserver that records each value the
page paints: the restored state must be the first thing painted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route, expect
from playwright.sync_api import Error as PlaywrightError

from st_page_state.identity import TAB_COOKIE
from tests.e2e.conftest import ROOT, Server, search
from tests.redis_server import running_redis

APP = ROOT / "tests" / "apps" / "work_app.py"

PAINTED = """
(() => {
  if (sessionStorage.getItem('test.historyAtFirstLoad') === null) {
    sessionStorage.setItem('test.historyAtFirstLoad', String(history.length));
  }
  const painted = [];
  window.__painted = painted;
  const record = () => {
    const box = [...document.querySelectorAll('[data-testid="stMarkdownContainer"]')]
      .find((el) => el.innerText.startsWith('shown: '));
    if (!box) return;
    const note = document.querySelector('input[aria-label="Note"]');
    const snapshot = box.innerText + ' / field: ' + (note ? note.value : '?');
    if (painted[painted.length - 1] !== snapshot) {
      painted.push(snapshot);
      window.__lastPaintAt = Date.now();
    }
  };
  new MutationObserver(record).observe(document, {subtree: true, childList: true, characterData: true, attributes: true});
  // An input's value is a property, not the DOM: also look before every frame is painted.
  const frame = () => { record(); requestAnimationFrame(frame); };
  requestAnimationFrame(frame);
})();
"""


@pytest.fixture(params=["memory", "sqlite", "redis"])
def store_env(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[dict[str, str]]:
    """The app's store: each guarantee holds for the memory, SQLite and Redis stores alike."""
    if request.param == "memory":
        yield {"WORK_STORE": "memory"}
    elif request.param == "sqlite":
        yield {"WORK_STORE": "sqlite", "WORK_DB": str(tmp_path / "state.db")}
    else:
        for server in running_redis(tmp_path):
            yield {"WORK_STORE": "redis", "WORK_REDIS": server.url}


@contextmanager
def visitor(browser: Browser) -> Iterator[BrowserContext]:
    """A browser profile of its own: its own cookies (Streamlit's XSRF cookie too) and storage."""
    ctx = browser.new_context()
    try:
        yield ctx
    finally:
        ctx.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    with visitor(browser) as ctx:
        yield ctx


def new_tab(context: BrowserContext) -> Page:
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.add_init_script(PAINTED)
    return page


def history_grew(page: Page) -> int:
    """Entries added to this tab's history since its first page load (reloads add none)."""
    return int(page.evaluate("history.length - Number(sessionStorage.getItem('test.historyAtFirstLoad'))"))


def reload_when_shown(page: Page, text: str, delay_ms: int) -> None:
    """Arm the page to reload itself ``delay_ms`` after ``text`` is painted (no test-harness latency)."""
    page.evaluate(
        """([text, delay]) => {
            const box = () => [...document.querySelectorAll('[data-testid="stMarkdownContainer"]')]
                .some((el) => el.innerText === text);
            const fire = () => setTimeout(() => {
                // How long after the change was painted the reload starts (read after it).
                sessionStorage.setItem('test.reloadDelayMs', String(Date.now() - window.__lastPaintAt));
                location.reload();
            }, delay);
            if (box()) { fire(); return; }
            const observer = new MutationObserver(() => { if (box()) { observer.disconnect(); fire(); } });
            observer.observe(document.body, {subtree: true, childList: true, characterData: true});
        }""",
        [text, delay_ms],
    )


def painted(page: Page) -> list[str]:
    return list(page.evaluate("window.__painted"))


def params(page: Page) -> dict[str, list[str]]:
    return parse_qs(search(page), keep_blank_values=True)


def note_shows(page: Page, text: str) -> None:
    """The Note input shows ``text`` (waited for: every text_input is empty for a moment as it mounts)."""
    expect(page.get_by_label("Note")).to_have_value(text)


def type_note(page: Page, text: str) -> None:
    field = page.get_by_label("Note")
    field.fill(text)
    field.press("Enter")


def set_n(page: Page, value: int) -> None:
    field = page.get_by_label("N", exact=True)
    field.fill(str(value))
    field.press("Enter")


def shown(state: str) -> str:
    return f"shown: {state}"


def wait_shown(page: Page, state: str) -> None:
    try:
        page.get_by_text(shown(state), exact=True).wait_for()
    except PlaywrightError as exc:
        try:
            seen = f"URL {page.url!r}, painted {painted(page)}, page: {page.inner_text('body')[:600]!r}"
        except PlaywrightError:
            seen = "the page was navigating"
        raise AssertionError(f"never shown: {state!r}; {seen}") from exc


def wait_url(page: Page, **expected: str) -> None:
    page.wait_for_function(
        """expected => Object.entries(expected).every(([k, v]) => new URLSearchParams(location.search).get(k) === v)""",
        arg=expected,
    )


def assert_painted_only(page: Page, state: str, note: str) -> None:
    """Every value painted since this page load is the restored one: no default was ever shown.

    A Streamlit ``text_input`` shows an empty value for a moment while it
    mounts, whatever its value (measured with a native ``st.text_input(value=...)``),
    and before it exists there is no field: neither is a value of the state.
    """
    page.wait_for_function("note => document.querySelector('input[aria-label=\"Note\"]')?.value === note", arg=note)
    page.evaluate("() => new Promise(requestAnimationFrame)")
    snapshots = [s for s in painted(page) if not s.endswith((" / field: ", " / field: ?"))]
    assert snapshots, "nothing was painted"
    assert all(s == f"{shown(state)} / field: {note}" for s in snapshots), painted(page)


# ------------------------------------------------------------------ tests
def test_work_typed_as_the_page_shows_survives_an_address_bar_edit(
    serve: Callable[..., Server], context: BrowserContext, store_env: dict[str, str]
) -> None:
    """The reported case: type at once, press Enter, delete a param in the address bar and press Enter."""
    server = serve(APP, env=store_env)  # fresh: the first iteration is a cold start
    iterations = 5 if store_env["WORK_STORE"] == "memory" else 2
    for i in range(iterations):
        context.clear_cookies()  # a visitor opening the link (test_a_new_tab_... covers a closed tab's cookie)
        page = new_tab(context)
        page.goto(f"{server.url}/?status=active&n=7", wait_until="commit")
        type_note(page, f"work {i}")  # as soon as the field shows
        wait_shown(page, f"active | 7 | work {i}")  # accepted and shown
        page.goto(f"{server.url}/?n=7")  # the address-bar edit, at once
        wait_shown(page, f"active | 7 | work {i}")
        assert_painted_only(page, f"active | 7 | work {i}", f"work {i}")
        wait_url(page, n="7", status="active")
        assert f"runs: 1 | init saw: active/7/work {i}" in page.inner_text("body")
        page.close()
    assert "Traceback" not in server.output()


class HeldBridge:
    """Holds back the URL bridge's module for a context, as a slow network or device would, until released."""

    def __init__(self, context: BrowserContext) -> None:
        self.holding = True
        self.held: list[Route] = []
        context.route("**/url_bridge.js*", self._route)

    def _route(self, route: Route) -> None:
        if self.holding:
            self.held.append(route)
        else:
            route.continue_()

    def release(self) -> None:
        """From now on the module arrives; the requests held so far failed (their pages are gone)."""
        self.holding = False
        for route in self.held:
            route.abort()
        self.held.clear()


def test_work_typed_before_the_bridge_loaded_survives_an_address_bar_edit(
    serve: Callable[..., Server], context: BrowserContext, browser: Browser
) -> None:
    """The page's bridge never arrives before the edit: its tab is found again, and a new tab still starts fresh."""
    server = serve(APP)
    bridge = HeldBridge(context)
    for i in range(3):
        bridge.holding = True
        context.clear_cookies(name=TAB_COOKIE)
        page = new_tab(context)
        page.goto(f"{server.url}/?status=active&n=7", wait_until="commit")
        type_note(page, f"early {i}")
        wait_shown(page, f"active | 7 | early {i}")
        assert bridge.held, "the bridge's module was not asked for"
        assert page.evaluate("sessionStorage.getItem('st-page-state.tab-id')") is None  # the page knows no tab
        bridge.release()
        page.goto(f"{server.url}/?n=7")  # the address-bar edit: no cookie was left
        wait_shown(page, f"active | 7 | early {i}")
        assert_painted_only(page, f"active | 7 | early {i}", f"early {i}")
        wait_url(page, n="7", status="active")
        page.close()
    # A new tab opened right after another tab's page went away before its
    # bridge loaded is another tab: it may start on that page's tab (the
    # server cannot tell), and takes its own once its bridge is there.
    with visitor(browser) as other:
        held = HeldBridge(other)
        first = new_tab(other)
        first.goto(f"{server.url}/?status=active", wait_until="commit")
        type_note(first, "not yours")
        wait_shown(first, "active | 5 | not yours")
        held.release()
        first.close()
        second = new_tab(other)
        second.goto(server.url, wait_until="commit")
        wait_shown(second, "pending | 5 | (empty)")
        second.wait_for_function("() => sessionStorage.getItem('st-page-state.tab-id') !== null")
        second.reload()
        wait_shown(second, "pending | 5 | (empty)")
    assert "Traceback" not in server.output()


def test_a_reload_right_after_a_change_brings_it_back(serve: Callable[..., Server], context: BrowserContext) -> None:
    server = serve(APP)
    page = new_tab(context)
    page.goto(f"{server.url}/?n=1", wait_until="commit")
    # The first document's own DOMContentLoaded must not stand in for the first reload's below.
    page.wait_for_load_state("domcontentloaded")
    for i in range(5):
        # A new document, not a same-document navigation: Playwright's
        # expect_navigation also resolves on the History API writes of the run.
        with page.expect_event("domcontentloaded"):
            reload_when_shown(page, shown(f"pending | 1 | draft {i}"), delay_ms=20 * i)  # 0 to 80 ms
            type_note(page, f"draft {i}")
        wait_shown(page, f"pending | 1 | draft {i}")
        delay = float(page.evaluate("sessionStorage.getItem('test.reloadDelayMs')"))
        assert delay < 100, f"the reload came {delay} ms after the change was painted"
        assert_painted_only(page, f"pending | 1 | draft {i}", f"draft {i}")
    assert history_grew(page) == 0, "reloads and the first URL write add no history entry"


def test_a_reload_during_the_work_a_page_does_after_its_widgets_keeps_the_change(
    serve: Callable[..., Server], context: BrowserContext, store_env: dict[str, str]
) -> None:
    """The reported case: 1 s of work after a bound number input; reload as soon as the new value shows.

    The change is saved when it is committed, but the URL is written at the
    end of the run: the reload finds the old ``?n=`` in the address bar and
    the new value in the store. The tab's own stale URL must not win.
    """
    server = serve(APP, env={**store_env, "WORK_TAIL": "1.0"})
    page = new_tab(context)
    page.goto(f"{server.url}/?n=5", wait_until="commit")
    page.wait_for_load_state("domcontentloaded")
    for i in range(4 if store_env["WORK_STORE"] == "memory" else 2):
        value = 60 + i
        with page.expect_event("domcontentloaded"):
            reload_when_shown(page, shown(f"pending | {value} | (empty)"), delay_ms=0)
            set_n(page, value)
        assert search(page).count("n=") == 1
        wait_shown(page, f"pending | {value} | (empty)")
        assert_painted_only(page, f"pending | {value} | (empty)", "(empty)")
        wait_url(page, n=str(value))  # the stale param is rewritten
    # An address-bar edit still wins over the store, tail or not.
    page.goto(f"{server.url}/?n=7")
    wait_shown(page, "pending | 7 | (empty)")
    page.reload()
    wait_shown(page, "pending | 7 | (empty)")
    assert "Traceback" not in server.output()


def test_a_reload_while_a_run_is_still_going_keeps_the_change(
    serve: Callable[..., Server], context: BrowserContext
) -> None:
    """The change is committed and drawn, then the run sleeps; the reload ends that session mid-run."""
    server = serve(APP)
    page = new_tab(context)
    page.goto(server.url, wait_until="commit")
    for i in range(3):
        type_note(page, f"slow {i}")
        wait_shown(page, f"pending | 5 | slow {i}")
        page.wait_for_selector('[data-testid="stApp"][data-test-script-state="running"]', state="attached")
        page.reload(wait_until="commit")
        wait_shown(page, f"pending | 5 | slow {i}")
        assert_painted_only(page, f"pending | 5 | slow {i}", f"slow {i}")
    type_note(page, "done")
    wait_shown(page, "pending | 5 | done")


def test_a_reload_that_takes_twelve_seconds_still_knows_its_tab_in_its_first_run(
    serve: Callable[..., Server], context: BrowserContext
) -> None:
    """On a loaded server a reload takes seconds between the old page going and the new one's websocket.

    The new page's scripts are held back for 12 s (the old 5-s cookie was
    gone by then, and the page painted its defaults first): the reload
    cookie must still name the tab when the first run starts.
    """
    server = serve(APP)
    page = new_tab(context)
    page.goto(f"{server.url}/?n=9", wait_until="commit")
    type_note(page, "slow reload")
    wait_shown(page, "pending | 9 | slow reload")
    held: list[Route] = []
    releasing = False

    def hold(route: Route) -> None:
        if releasing:
            route.continue_()
        else:
            held.append(route)

    page.route("**/static/js/**", hold)
    page.reload(wait_until="commit")  # the old page is gone: its cookie is written
    page.wait_for_timeout(12_000)  # the slow part of the reload itself, not a wait for the app
    assert held, "the page's scripts were not asked for"
    releasing = True
    for route in held:
        route.continue_()
    wait_shown(page, "pending | 9 | slow reload")
    assert_painted_only(page, "pending | 9 | slow reload", "slow reload")
    assert "runs: 1 |" in page.inner_text("body")


def test_a_duplicated_tab_starts_as_a_copy_and_then_lives_on_its_own(
    serve: Callable[..., Server], context: BrowserContext
) -> None:
    server = serve(APP)
    original = new_tab(context)
    original.goto(f"{server.url}/?status=done&n=3", wait_until="commit")
    for i in range(3):
        type_note(original, f"original {i}")
        wait_shown(original, f"done | 3 | original {i}")
        with context.expect_page() as opened:
            original.evaluate("window.open(location.href)")
        copy = opened.value
        copy.set_default_timeout(15_000)
        wait_shown(copy, f"done | 3 | original {i}")  # URL and session-only fields copied
        ids = [tab.evaluate("sessionStorage.getItem('st-page-state.tab-id')") for tab in (original, copy)]
        copy.wait_for_function("id => sessionStorage.getItem('st-page-state.tab-id') !== id", arg=ids[0])
        type_note(copy, f"copy {i}")
        wait_shown(copy, f"done | 3 | copy {i}")
        for tab, note in ((original, f"original {i}"), (copy, f"copy {i}")):
            tab.reload(wait_until="commit")
            wait_shown(tab, f"done | 3 | {note}")
        copy.close()
    assert "Traceback" not in server.output()


def test_a_new_tab_never_keeps_another_tabs_state(serve: Callable[..., Server], context: BrowserContext) -> None:
    """A tab closed a moment ago left its id in a cookie; the next new tab must not become it.

    The new tab's link may carry a value its widget cannot show (``n=101``,
    over the widget's maximum): the field then goes back to the value the
    link displaced, which is the closed tab's while the server still holds
    its guess, and the run that follows at once (the redraw) must still
    hand the guess to the browser to correct.
    """
    server = serve(APP)
    for i, link in enumerate(("", "?n=101", "?n=101&status=done")):
        first = new_tab(context)
        first.goto(f"{server.url}/?status=active&n=42", wait_until="commit")
        type_note(first, f"mine {i}")
        wait_shown(first, f"active | 42 | mine {i}")
        first.close()  # pagehide: the cookie holds the closed tab's id for a few seconds
        second = new_tab(context)
        second.goto(f"{server.url}/{link}", wait_until="commit")
        status = "done" if "status=done" in link else "pending"
        wait_shown(second, f"{status} | 5 | (empty)")  # corrected within moments if the first paint guessed wrong
        note_shows(second, "(empty)")
        wait_url(second, n="5", status=status)
        type_note(second, f"other {i}")
        wait_shown(second, f"{status} | 5 | other {i}")
        second.close()
    # The closed tabs' work was not overwritten by the new tabs.
    reopened = new_tab(context)
    reopened.goto(f"{server.url}/?status=active&n=42", wait_until="commit")
    wait_shown(reopened, "active | 42 | (empty)")


def test_one_script_run_per_page_load(serve: Callable[..., Server], context: BrowserContext) -> None:
    server = serve(APP)
    page = new_tab(context)
    page.goto(f"{server.url}/?n=2", wait_until="commit")
    wait_url(page, n="2", status="pending")  # the first URL write is the bridge's, no second run
    page.wait_for_timeout(1500)  # time for a second run to show up, if there were one
    assert "runs: 1 |" in page.inner_text("body")
    type_note(page, "x")
    wait_shown(page, "pending | 2 | x")
    page.reload(wait_until="commit")
    wait_shown(page, "pending | 2 | x")
    page.wait_for_timeout(1500)
    assert "runs: 1 | init saw: pending/2/x" in page.inner_text("body")
    assert history_grew(page) == 0
