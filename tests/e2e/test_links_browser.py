"""A ``st.page_link`` built with ``link()``, clicked in a real browser: the target page opens with the
linked state in its widgets, its output and the address bar (``examples/multipage/``).
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qs

from playwright.sync_api import Page, expect

from tests.e2e.conftest import ROOT, Server, search

APP = ROOT / "examples" / "multipage" / "app.py"


def test_clicking_a_page_link_opens_the_linked_state(serve: Callable[..., Server], page: Page) -> None:
    server = serve(APP)
    page.goto(server.url)  # Tasks is the default page, at /
    search_box = page.get_by_label("Search")
    search_box.fill("login")
    search_box.press("Enter")
    expect(page.get_by_text("Fix login (web, open)")).to_be_visible()
    page.wait_for_function("() => new URLSearchParams(location.search).get('search') === 'login'")

    page.get_by_test_id("stSidebarNav").get_by_text("People").click()
    page.get_by_text("Open data tasks").click()

    expect(page.get_by_role("heading", name="Tasks")).to_be_visible()
    expect(page.get_by_text("Dashboard query (data, open)")).to_be_visible()
    expect(page.get_by_label("Search")).to_have_value("", timeout=5_000)
    expect(page.get_by_test_id("stSidebar").get_by_role("radio", name="data")).to_be_checked()
    page.wait_for_function("() => new URLSearchParams(location.search).get('team') === 'data'")
    assert page.evaluate("location.pathname") == "/"
    assert parse_qs(search(page), keep_blank_values=True) == {"team": ["data"], "status": ["open"], "search": [""]}
    assert "Traceback" not in server.output(), server.output()
