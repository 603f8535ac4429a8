"""Real-browser harness: ``streamlit run`` on a free port + Playwright in Debian's chromium.

Playwright cannot download browsers here, so it drives ``/usr/bin/chromium``
(``CHROMIUM`` overrides the path).
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.processes import CHROMIUM, CHROMIUM_ARGS, free_port, start_streamlit, stop

pytest.importorskip("playwright")
from playwright.sync_api import Browser, Page, sync_playwright  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]

E2E_DIR = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test under tests/e2e ``browser`` (a conftest's ``pytestmark`` marks nothing)."""
    for item in items:
        if E2E_DIR in item.path.resolve().parents:
            item.add_marker(pytest.mark.browser)


@dataclass
class Server:
    """A running ``streamlit run`` process."""

    url: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    def stop(self) -> None:
        stop(self.process)

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


def start_server(app: Path, tmp_dir: Path, *, env: dict[str, str] | None = None, port: int | None = None) -> Server:
    port = port or free_port()
    log = tmp_dir / f"streamlit-{port}.log"
    process = start_streamlit(app.resolve(), log, port=port, env={"PYTHONPATH": str(ROOT), **(env or {})})
    return Server(f"http://127.0.0.1:{port}", port, process, log)


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Callable[..., Server]]:
    """``serve(app_path)`` starts a server for the test and stops it afterwards."""
    servers: list[Server] = []

    def factory(app: Path | str, **kwargs: object) -> Server:
        server = start_server(Path(app).resolve(), tmp_path, **kwargs)  # type: ignore[arg-type]
        servers.append(server)
        return server

    yield factory
    for server in servers:
        server.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"chromium not found at {CHROMIUM}: run scripts/install-system-deps.sh")
    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context()
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    yield tab
    context.close()


def wait_idle(page: Page, settle_ms: int = 300) -> None:
    """Wait until the app has rendered and no script run is in progress."""
    page.wait_for_selector('[data-testid="stApp"]', state="attached")
    page.wait_for_function(
        """() => {
            const app = document.querySelector('[data-testid="stApp"]');
            if (!app) return false;
            const state = app.getAttribute('data-test-script-state');
            return state !== 'running' && state !== 'initial';
        }""",
    )
    page.wait_for_timeout(settle_ms)


def search(page: Page) -> str:
    """``location.search`` of the page, without the leading ``?``."""
    return str(page.evaluate("location.search")).lstrip("?")
