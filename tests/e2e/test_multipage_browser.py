"""Multipage apps in a real browser: every promise of a freshly loaded page holds after page switches.

Driven as a person does, on the example gallery (``examples/gallery.py``)
and the multipage example (``examples/multipage/app.py``): the sidebar's
page links, then, as soon as the page shows, the URL edited by another
script (``replaceState``, ``pushState``), an invalid value, a deleted
param, and Back/Forward counted against the steps the person saw. Each
sequence runs a few times in the test, on a new tab each time, so a race
fails here and not in a user's tab. What must hold (README, "Multipage apps"):

* an edit after any sequence of switches is adopted, an invalid one is
  refused with a short warning and the URL restored, a deleted param is
  put back;
* a page switch is one history entry, holding the new page's path and its
  params only: Back and Forward never need a press that shows nothing new;
* a page does not take the previous page's params (no filter carried over,
  no warning about a param that is not its own).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import parse_qs

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e.conftest import ROOT, Server, start_server

pytestmark = pytest.mark.browser

GALLERY = ROOT / "examples" / "gallery.py"
MULTIPAGE = ROOT / "examples" / "multipage" / "app.py"
LOOPS = 3
ADOPT_MS = 2_000
"""The longest wait for an adopted edit to show (README promises about 200 ms; CI machines are slower)."""

PAGES = {
    # sidebar title: (path, the page's title, the params its states own)
    "Overview": ("/", "st-page-state examples", None),
    "Counter": ("/counter", "Counter", {"count"}),
    "Filters": ("/filters", "Filters", {"status", "category", "min_price", "since", "page"}),
    "Forms": ("/form", "Search form", {"q", "category", "max_price", "in_stock"}),
    "Config options": ("/config_options", "Config options", None),
    "Sidebar + main": ("/sidebar_main", None, {"region", "year", "details", "view"}),
    "Fragments": ("/fragment", "Fragment", {"region", "metric", "days"}),
    "Persistence": ("/persistence", "Persistence", None),
    "Tabs navigation": ("/tabs_navigation", "Tabs navigation", None),
    "All widgets": ("/all_widgets", "All widgets", None),
}


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Server]]:
    started = {
        "gallery": start_server(GALLERY, tmp_path_factory.mktemp("gallery"), env={"ST_PAGE_STATE_DEBUG": "1"}),
        "multipage": start_server(MULTIPAGE, tmp_path_factory.mktemp("multipage")),
    }
    yield started
    for server in started.values():
        server.stop()
        assert "Traceback" not in server.output(), server.output()


@pytest.fixture(scope="module")
def context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context()
    yield context
    context.close()


@pytest.fixture
def new_tab(context: BrowserContext) -> Iterator[Callable[[], Page]]:
    """``new_tab()``: a fresh tab (its own session and tab id); closed at the end of the test."""
    tabs: list[Page] = []

    def make() -> Page:
        context.clear_cookies()
        tab = context.new_page()
        tab.set_default_timeout(15_000)
        tab.add_init_script(EXCEPTION_RECORDER)
        tabs.append(tab)
        return tab

    yield make
    for tab in tabs:
        tab.close()


EXCEPTION_RECORDER = """
window.__history = [];
for (const name of ['pushState', 'replaceState']) {
  const write = history[name];
  history[name] = function (...args) { window.__history.push(name + ' ' + String(args[2])); return write.apply(this, args); };
}
addEventListener('popstate', () => window.__history.push('popstate ' + location.pathname + location.search));
window.__exceptions = 0;
new MutationObserver(() => {
  window.__exceptions = Math.max(window.__exceptions, document.querySelectorAll('[data-testid="stException"]').length);
}).observe(document, {subtree: true, childList: true});
"""


# ------------------------------------------------------------------ acting as a person
def title(page: Page, text: str) -> None:
    """Wait until the page shows its title: the moment a person starts acting."""
    page.get_by_role("heading", name=text, exact=True).first.wait_for()


def open_page(page: Page, server: Server, sidebar_title: str) -> None:
    path, heading, _ = PAGES[sidebar_title]
    page.goto(server.url + path)
    shows(page, sidebar_title, heading)


def switch(page: Page, step: str) -> None:
    """Click the page's link in the sidebar (``"link:Title"``: its ``st.page_link`` on the page), and wait until it shows."""
    how, _, sidebar_title = step.rpartition(":")
    path, heading, _ = PAGES[sidebar_title]
    where = page.get_by_test_id("stMain") if how == "link" else page.get_by_test_id("stSidebarNav")
    where.get_by_role("link", name=sidebar_title, exact=True).first.click()
    shows(page, sidebar_title, heading)


def shows(page: Page, sidebar_title: str, heading: str | None) -> None:
    path = PAGES[sidebar_title][0]
    page.wait_for_function("path => location.pathname === path", arg=path)
    if heading is not None:
        title(page, heading)
    else:
        page.get_by_test_id("stMain").get_by_test_id("stMarkdownContainer").first.wait_for()


def location(page: Page) -> tuple[str, dict[str, list[str]]]:
    pathname, search = page.evaluate("[location.pathname, location.search]")
    return str(pathname), parse_qs(str(search).lstrip("?"), keep_blank_values=True)


def edit(page: Page, how: str, query: str) -> None:
    """Another script (or an extension) changes the address bar."""
    page.evaluate(f"q => history.{how}(history.state, '', location.pathname + q)", query)


def count(page: Page) -> Any:
    return expect(page.get_by_test_id("stMetricValue"))


def wait_for_query(page: Page, param: str, value: str) -> None:
    page.wait_for_function(
        "([p, v]) => new URLSearchParams(location.search).get(p) === v", arg=[param, value], timeout=ADOPT_MS
    )


def history_log(page: Page) -> list[str]:
    """Every history write and Back/Forward of the tab (as the browser applied them), for failure messages."""
    return list(page.evaluate("window.__history"))


def no_exception(page: Page) -> None:
    assert page.evaluate("window.__exceptions") == 0


def toasts(page: Page) -> list[str]:
    return page.get_by_test_id("stToast").all_inner_texts()


# ------------------------------------------------------------ URL edits after switches
SEQUENCES = {
    "one switch": ["Filters", "Counter"],
    "st.page_link": ["Overview", "link:Counter"],
    "A to B to A": ["Counter", "Filters", "Counter"],
    "A to B to C": ["Filters", "Forms", "Counter"],
}


@pytest.mark.parametrize("sequence", SEQUENCES, ids=list(SEQUENCES))
def test_after_page_switches_the_url_is_followed_as_on_a_fresh_page(
    servers: dict[str, Server], new_tab: Callable[[], Page], sequence: str
) -> None:
    first, *rest = SEQUENCES[sequence]
    for _ in range(LOOPS):
        page = new_tab()
        open_page(page, servers["gallery"], first)
        for step in rest:
            switch(page, step)
        # As soon as Counter shows, another script edits the address bar.
        edit(page, "replaceState", "?count=7")
        count(page).to_have_text("7", timeout=ADOPT_MS)
        edit(page, "pushState", "?count=8")
        count(page).to_have_text("8", timeout=ADOPT_MS)
        edit(page, "replaceState", "?count=abc")
        expect(page.get_by_test_id("stToast").filter(has_text="Ignored URL parameter count")).to_be_visible(
            timeout=ADOPT_MS
        )
        wait_for_query(page, "count", "8")  # refused: the URL is restored
        count(page).to_have_text("8")
        edit(page, "replaceState", "")  # the param deleted
        wait_for_query(page, "count", "8")
        count(page).to_have_text("8")
        assert location(page) == ("/counter", {"count": ["8"]})
        no_exception(page)
        page.close()


# ------------------------------------------------------------------- Back and Forward
def test_back_and_forward_take_one_press_per_page_switch(servers: dict[str, Server], new_tab: Callable[[], Page]) -> None:
    steps = ["Counter", "Filters", "Forms", "Counter", "Filters"]
    for _ in range(LOOPS):
        page = new_tab()
        open_page(page, servers["gallery"], steps[0])
        page.get_by_role("button", name="+1").click()
        count(page).to_have_text("1")
        wait_for_query(page, "count", "1")
        seen = [_settled_location(page, steps[0])]
        for step in steps[1:]:
            switch(page, step)
            seen.append(_settled_location(page, step, history_log(page)))
        assert seen[0] == ("/counter", {"count": ["1"]})
        # One press per step, each as soon as the page it shows is there.
        for index in range(len(steps) - 2, -1, -1):
            page.go_back(wait_until="commit")
            shows(page, steps[index], PAGES[steps[index]][1])
            assert _settled_location(page, steps[index], history_log(page)) == seen[index], f"Back to step {index}"
        for index in range(1, len(steps)):
            page.go_forward(wait_until="commit")
            shows(page, steps[index], PAGES[steps[index]][1])
            assert _settled_location(page, steps[index], history_log(page)) == seen[index], f"Forward to step {index}"
        no_exception(page)
        page.close()


def _settled_location(page: Page, sidebar_title: str, context: object = None) -> tuple[str, dict[str, list[str]]]:
    """Where the address bar is once the page's own params are in it (exactly them: no other page's)."""
    path, _, owned = PAGES[sidebar_title]
    deadline = time.monotonic() + ADOPT_MS / 1000
    while True:
        where = location(page)
        if where[0] == path and (owned is None or set(where[1]) == owned):
            return where
        if time.monotonic() > deadline:
            raise AssertionError(f"expected {path} with exactly {owned}, the address bar shows {where}; {context}")
        page.wait_for_timeout(20)


def test_push_mode_changes_and_page_switches_share_one_history(
    servers: dict[str, Server], new_tab: Callable[[], Page]
) -> None:
    """Config options' photo slider pushes an entry per change; page switches add one each."""
    page = new_tab()
    open_page(page, servers["gallery"], "Counter")
    switch(page, "Config options")
    slider = page.get_by_role("slider")
    slider.first.focus()
    photos = []
    for _ in range(2):
        before = location(page)[1].get("photo", ["1"])[0]
        slider.first.press("ArrowRight")
        page.wait_for_function(
            "b => new URLSearchParams(location.search).get('photo') !== b", arg=before, timeout=ADOPT_MS
        )
        photos.append(location(page)[1]["photo"][0])
    switch(page, "Counter")
    assert location(page)[0] == "/counter"
    page.go_back(wait_until="commit")
    page.wait_for_function("() => location.pathname === '/config_options'")
    wait_for_query(page, "photo", photos[1])
    page.go_back(wait_until="commit")
    wait_for_query(page, "photo", photos[0])
    page.go_back(wait_until="commit")
    wait_for_query(page, "photo", "1")
    page.go_back(wait_until="commit")
    page.wait_for_function("() => location.pathname === '/counter'")
    no_exception(page)


# ------------------------------------------------------------------------ no leaks
LEAK_PATHS = [
    ["Filters", "Forms"],
    ["Sidebar + main", "Fragments"],
    ["Persistence", "Forms", "Filters"],
    ["Tabs navigation", "All widgets"],
]


@pytest.mark.parametrize("steps", LEAK_PATHS, ids=[" to ".join(p) for p in LEAK_PATHS])
def test_an_untouched_page_leaves_nothing_to_the_next(
    servers: dict[str, Server], new_tab: Callable[[], Page], steps: list[str]
) -> None:
    server = servers["gallery"]
    for _ in range(LOOPS):
        page = new_tab()
        log_start = len(server.output())
        open_page(page, server, steps[0])
        for step in steps[1:]:
            switch(page, step)
        if steps[-1] == "Forms":
            expect(page.get_by_text(re.compile(r"^6 found"))).to_be_visible()
        _settled_location(page, steps[-1], (history_log(page), server.output()[log_start:][-3000:]))
        page.wait_for_timeout(300)  # a warning would be on its way by now
        assert toasts(page) == []
        assert "Ignored URL parameter" not in server.output()[log_start:]
        no_exception(page)
        page.close()


# ----------------------------------------------------------------- the multipage example
def test_multipage_example_follows_the_url_after_switches(servers: dict[str, Server], new_tab: Callable[[], Page]) -> None:
    server = servers["multipage"]
    for _ in range(LOOPS):
        page = new_tab()
        page.goto(server.url + "/")  # Tasks, the default page
        title(page, "Tasks")
        page.get_by_test_id("stSidebar").get_by_text("web", exact=True).click()
        page.wait_for_function("() => new URLSearchParams(location.search).get('team') === 'web'")
        page.get_by_test_id("stSidebarNav").get_by_role("link", name="People").click()
        title(page, "People")
        edit(page, "replaceState", "?team=web&sort=team&inactive=false")
        expect(page.get_by_role("combobox", name="Sort by")).to_have_value("team", timeout=ADOPT_MS)
        edit(page, "pushState", "?team=data&sort=team&inactive=false")
        expect(page.get_by_text("Ada (data)")).to_be_visible(timeout=ADOPT_MS)
        expect(page.get_by_text("Grace (web)")).to_have_count(0)
        edit(page, "replaceState", "?team=data&sort=team")  # inactive deleted
        page.wait_for_function(
            "() => new URLSearchParams(location.search).get('inactive') === 'false'", timeout=ADOPT_MS
        )
        assert location(page) == ("/people", {"team": ["data"], "sort": ["team"], "inactive": ["false"]})
        page.get_by_test_id("stSidebarNav").get_by_role("link", name="Tasks").click()
        title(page, "Tasks")
        wait_for_query(page, "status", "open")  # the page's first write is on the switch's entry
        where = location(page)
        assert where[0] == "/" and set(where[1]) <= {"team", "status", "search"}, where
        assert where[1]["team"] == ["data"], "the shared sidebar state goes along"
        # A link built with link() (st.page_link on People) is adopted: a link is not a switch.
        page.get_by_test_id("stSidebarNav").get_by_role("link", name="People").click()
        title(page, "People")
        page.get_by_role("link", name="Open web tasks").click()
        title(page, "Tasks")
        wait_for_query(page, "team", "web")
        assert location(page) == ("/", {"team": ["web"], "status": ["open"], "search": [""]})
        expect(page.get_by_test_id("stSidebar").get_by_role("radio", name="web")).to_be_checked()
        page.go_back(wait_until="commit")
        title(page, "People")
        page.go_back(wait_until="commit")
        title(page, "Tasks")
        page.go_back(wait_until="commit")
        title(page, "People")
        assert location(page) == ("/people", {"team": ["data"], "sort": ["team"], "inactive": ["false"]})
        # The other script's pushState of an owned param replaced the entry (the bridge cannot tell
        # it from Streamlit's push of a write): one more Back is the Tasks page as it was left.
        page.go_back(wait_until="commit")
        title(page, "Tasks")
        where = location(page)
        assert where == ("/", {"team": ["web"], "status": ["open"], "search": [""]}), history_log(page)
        no_exception(page)
        page.close()
