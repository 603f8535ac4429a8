"""The browser smoke set of the floor run (``make test-floor``): one realistic app, on the lowest Streamlit.

What AppTest of an old release cannot show is checked here, in chromium,
on a real ``streamlit run``: every bound widget takes what bind() passes on
that release (``on_change``), a form commits on submit only, the bridge
adopts another script's edit, a reload restores the tab, and push-mode
Back/Forward walk the entries without a bounce (before 1.65 through the
bridge's popstate report). It runs in the full browser suite too, on the
newest Streamlit.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page

from tests.e2e.conftest import ROOT, Server, search, start_server, wait_idle

pytestmark = pytest.mark.browser

APP = ROOT / "tests" / "apps" / "floor_app.py"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    started = start_server(APP, tmp_path_factory.mktemp("floor"))
    yield started
    started.stop()
    assert "Traceback" not in started.output(), started.output()


def shown(page: Page) -> str:
    text = page.get_by_test_id("stMarkdownContainer").filter(has_text=re.compile(r"^shown: ")).inner_text()
    return text.removeprefix("shown: ").strip()


def wait_shown(page: Page, expected: str) -> None:
    """Wait until the script rendered ``expected`` (``status | tags | urgent | note | 'q' | page``)."""
    page.wait_for_function(
        """expected => [...document.querySelectorAll('[data-testid="stMarkdownContainer"]')]
            .some(el => el.innerText.trim() === 'shown: ' + expected)""",
        arg=expected,
    )
    wait_idle(page, 200)


def pairs(query: str) -> list[str]:
    return sorted(query.split("&")) if query else []


def wait_url(page: Page, query: str) -> None:
    """Wait until the address bar holds the params of ``query`` (in any order: a changed state's come first)."""
    try:
        page.wait_for_function(
            """wanted => location.search.replace(/^\\?/, '').split('&').filter(Boolean).sort().join('&') === wanted""",
            arg="&".join(pairs(query)),
        )
    except Exception:
        assert pairs(search(page)) == pairs(query), f"shown: {shown(page)}"
        raise


def open_app(page: Page, server: Server, query: str = "") -> None:
    page.goto(f"{server.url}/{'?' + query if query else ''}")
    page.get_by_text("shown: ").wait_for()
    wait_idle(page, 300)


def test_each_bound_widget_changes_the_state_and_the_url_and_a_reload_keeps_it(server: Server, page: Page) -> None:
    open_app(page, server, "status=active&tag=b")
    wait_shown(page, "active | b | False | - | '' | 1")
    page.get_by_test_id("stRadio").get_by_text("done", exact=True).click()
    wait_shown(page, "done | b | False | - | '' | 1")
    page.get_by_test_id("stCheckbox").get_by_text("Urgent").click()
    wait_shown(page, "done | b | True | - | '' | 1")
    page.get_by_test_id("stMultiSelect").click()
    page.get_by_role("option", name="c", exact=True).click()
    page.keyboard.press("Escape")
    wait_shown(page, "done | b+c | True | - | '' | 1")
    note = page.get_by_label("Note")
    note.fill("call back")
    note.press("Control+Enter")
    wait_shown(page, "done | b+c | True | call back | '' | 1")
    wait_url(page, "status=done&tag=b&tag=c&urgent=true&note=call+back&q=&page=1")
    page.reload()
    page.get_by_text("shown: ").wait_for()
    assert shown(page) == "done | b+c | True | call back | '' | 1", "the reload paints the restored state"
    wait_idle(page, 300)
    assert pairs(search(page)) == pairs("status=done&tag=b&tag=c&urgent=true&note=call+back&q=&page=1")


def test_a_form_commits_on_submit_only(server: Server, page: Page) -> None:
    open_app(page, server)
    query = page.get_by_label("Query")
    query.fill("dune")
    query.press("Tab")
    page.wait_for_timeout(500)
    assert shown(page) == "pending | none | False | - | '' | 1", "nothing changes before the form is submitted"
    page.get_by_test_id("stFormSubmitButton").get_by_role("button").click()
    wait_shown(page, "pending | none | False | - | 'dune' | 1")
    wait_url(page, "status=pending&tag=&urgent=false&note=-&q=dune&page=1")


def test_another_scripts_edit_is_adopted(server: Server, page: Page) -> None:
    open_app(page, server)
    wait_url(page, "status=pending&tag=&urgent=false&note=-&q=&page=1")
    page.evaluate("history.replaceState(history.state, '', location.pathname + '?status=active&tag=&urgent=false&note=-&q=&page=1')")
    wait_shown(page, "active | none | False | - | '' | 1")
    page.evaluate("history.replaceState(history.state, '', location.pathname + '?status=bogus&tag=&urgent=false&note=-&q=&page=1')")
    page.get_by_test_id("stToast").filter(has_text="status").wait_for()
    wait_url(page, "status=active&tag=&urgent=false&note=-&q=&page=1")
    assert shown(page) == "active | none | False | - | '' | 1"


def test_push_mode_back_and_forward_walk_the_entries(server: Server, page: Page) -> None:
    open_app(page, server)
    wait_url(page, "status=pending&tag=&urgent=false&note=-&q=&page=1")
    start = page.evaluate("history.length")
    for expected in (2, 3, 4):
        page.get_by_role("button", name="Next page").click()
        wait_shown(page, f"pending | none | False | - | '' | {expected}")
    assert page.evaluate("history.length") == start + 3
    for move, expected in ((page.go_back, 3), (page.go_back, 2), (page.go_forward, 3), (page.go_back, 2)):
        move()
        wait_shown(page, f"pending | none | False | - | '' | {expected}")
        wait_url(page, f"status=pending&tag=&urgent=false&note=-&q=&page={expected}")
        page.wait_for_timeout(500)  # a bounce forward would show up here
        assert shown(page).endswith(f"| {expected}") and f"page={expected}" in pairs(search(page))
    assert page.evaluate("history.length") == start + 3, "Back/Forward add no entry"
