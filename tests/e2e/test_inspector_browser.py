"""The inspector in a real browser: drawn again when the run ends, and outside text stays text."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

from playwright.sync_api import Locator, Page

from tests.e2e.conftest import ROOT, Server, wait_idle

HOSTILE = "<img src=x onerror=window.pwned=1>[log in](https://evil.example/login)<script>window.pwned=2</script>"


def rows(sidebar: Locator) -> list[list[str]]:
    """The panel's table rows (the data grid keeps an accessible table in the page)."""
    found = []
    for row in sidebar.locator('[role="grid"] tr').all():
        found.append([text.strip() for text in row.locator("td").all_inner_texts()])
    return [row for row in found if row]


def test_a_panel_drawn_first_shows_the_runs_final_state(serve: Callable[..., Server], page: Page) -> None:
    server = serve(ROOT / "tests" / "apps" / "inspector_app.py")
    page.goto(f"{server.url}/?q={quote(HOSTILE)}&page=zz")
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_text("URL: revision").wait_for()
    page.get_by_role("button", name="next").click()
    page.get_by_text("page=2").wait_for()
    wait_idle(page, 1000)
    # The sidebar is drawn before the click's change; it is drawn again when the run ends.
    sidebar.locator('[role="grid"] td').first.wait_for(state="attached")
    shown = rows(sidebar)
    assert shown and shown[0][:2] == ["page", "2"], shown  # the narrow sidebar shows the first columns
    assert any("'zz'" in row for row in shown), shown  # the refused param
    # Outside text: no element, link or script came out of it, and it is cut.
    assert page.evaluate("window.pwned") is None
    assert sidebar.locator('a[href*="evil"], img, script').count() == 0
    assert all(len(text) <= 120 for row in shown for text in row)
