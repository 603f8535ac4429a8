"""No link can crash an example page or put content into it.

Every page of every example (the gallery's pages, the multipage app's
pages, each example run on its own) is opened by a real ``streamlit run``
with hostile values for every URL param the page's states declare:
out of range (above the max, below the min), ``nan``, ``inf``, ``-inf``,
``1e999``, a 400-digit integer, a repeated scalar (``?city=Tokyo&city=Paris``),
a reversed range, an empty value, an 8,000-character value, a Markdown
link, a Markdown image pointing at a local server that must never be
asked for it, raw HTML (``<img onerror>``, ``<a href>``), percent-encoding
garbage, invalid UTF-8 and control characters.

The params are found in the examples' source (every ``url_key`` of every
``PageState``), so a param added to an example is attacked without
touching this file, and ``test_every_example_page_is_attacked`` fails when
an example file is not opened here.

What must hold, as a visitor sees it:

* no exception is ever shown (a MutationObserver installed before the
  page's own scripts records every ``stException`` ever inserted, so one
  that a later run replaced still counts);
* no toast, alert or warning holds a link or an image, no link to the
  attacker's site and no image from the attacker's server appears anywhere,
  and no script runs (``alert()`` would open a dialog);
* a toast quotes at most about 200 characters of a value;
* the page still follows its URL afterwards: an edit to a valid value is
  adopted and shown.

Speed: one server per app (started together), pages opened five at a time
in one browser context, each hostile query applied to all five before
waiting for any. The first hostile query is a deep link (the
page opens with it); the others are edits of the address bar by another
script (``history.replaceState``), which the URL bridge reports. Each
example on its own gets the deep links that crashed pages before.
"""

from __future__ import annotations

import ast
import http.server
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, WebSocket
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from tests.e2e.conftest import ROOT, Server, start_server

EXAMPLES = ROOT / "examples"
TABS_AT_ONCE = 5
"""Pages attacked side by side: enough to overlap their runs, few enough for a 2-core machine under load."""
SHOWN_VALUE_LIMIT = 200
"""The longest run of a hostile value a toast may quote (the library cuts quoted input shorter)."""

LINK = "[Session expired, log in](https://evil.example/login)"
PIXEL_PATH = "/pixel.png"


# --------------------------------------------------------------- the pages
@dataclass(frozen=True)
class ExamplePage:
    """One page to attack: where it is served and how to tell that it follows its URL."""

    app: str
    """The script ``streamlit run`` serves, relative to ``examples/``."""
    path: str
    """The page's URL path in that app ("" for its default page)."""
    file: str | None
    """The file that declares the page's states (None: a page without state)."""
    follow: tuple[str, str] = ("", "")
    """A valid query to edit the URL to afterwards, and a text the page then shows."""
    context: dict[str, str] = field(default_factory=dict)
    """Valid values kept while a text value is attacked, so the page shows that text (the wizard's last step)."""

    @property
    def label(self) -> str:
        return f"{self.app}/{self.path}"


def gallery(file: str, follow: tuple[str, str], **context: str) -> ExamplePage:
    return ExamplePage("gallery.py", file.removesuffix(".py"), file, follow, context)


def standalone(page: ExamplePage) -> ExamplePage:
    return ExamplePage(page.file or "", "", page.file, page.follow, page.context)


GALLERY = [
    ExamplePage("gallery.py", "", None),
    gallery("counter.py", ("count=7", "count=7")),
    gallery("wizard.py", ("step=3&name=Ada&plan=pro", "Ada, you picked the pro plan."), step="3", name="Ada"),
    gallery("filters.py", ("category=music", "category=music")),
    gallery("tabs_navigation.py", ("tab=settings", "Tab: Settings")),
    gallery("sidebar_main.py", ("region=US&year=2023", "Sales · US 2023")),
    gallery("collections_dates.py", ("city=Rome", "city=Rome")),
    gallery("config_options.py", ("list_page=3", "list_page=3")),
    gallery("form.py", ("q=Dune", "1 found: Dune")),
    gallery("fragment.py", ("days=30", "days=30")),
    gallery("all_widgets.py", ("name=Ada", "name=Ada")),
    gallery("persistence.py", ("page=3", "Page 3")),
]
MULTIPAGE = [
    ExamplePage(
        "multipage/app.py", "", "multipage/tasks.py", ("status=done&search=&team=all", "Nightly import (data, done)")
    ),
    ExamplePage("multipage/app.py", "people", "multipage/people.py", ("inactive=true", "Linus (web) · inactive")),
]
STANDALONE = [standalone(page) for page in GALLERY if page.file is not None]
APPS_IN_ORDER = list(dict.fromkeys(page.app for page in GALLERY + MULTIPAGE + STANDALONE))


def declared_params(file: Path) -> dict[str, str]:
    """``{param: annotation source}`` of every PageState field with a ``url_key`` in ``file``.

    The sibling modules the file imports (``from team_filter import ...``)
    count too: their states show on the page.
    """
    tree = ast.parse(file.read_text(encoding="utf-8"))
    params: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and (file.parent / f"{node.module}.py").exists():
            params.update(declared_params(file.parent / f"{node.module}.py"))
        if isinstance(node, ast.ClassDef):
            params.update(_class_params(node))
    return params


def _class_params(cls: ast.ClassDef) -> dict[str, str]:
    prefix = ""
    for item in cls.body:
        if isinstance(item, ast.ClassDef) and item.name == "Config":
            for setting in item.body:
                if isinstance(setting, ast.Assign) and any(
                    isinstance(t, ast.Name) and t.id == "url_prefix" for t in setting.targets
                ):
                    prefix = ast.literal_eval(setting.value)
    params = {}
    for item in cls.body:
        if not (isinstance(item, ast.AnnAssign) and isinstance(item.value, ast.Call)):
            continue
        if not (isinstance(item.value.func, ast.Name) and item.value.func.id == "StateVar"):
            continue
        for keyword in item.value.keywords:
            if keyword.arg == "url_key" and isinstance(keyword.value, ast.Constant) and keyword.value.value:
                params[prefix + keyword.value.value] = ast.unparse(item.annotation)
    return params


# ------------------------------------------------------- the hostile values
def _plain(*texts: str) -> Callable[[str], list[str]]:
    return lambda annotation: [quote(t, safe="") for t in texts]


def _raw(*texts: str) -> Callable[[str], list[str]]:
    """Texts put in the query string as they are (their percent-encoding is the attack)."""
    return lambda annotation: list(texts)


def _out_of_range(number: str, date: str, time: str) -> Callable[[str], list[str]]:
    def texts(annotation: str) -> list[str]:
        if "datetime" in annotation:
            value = f"{date}T{time}"
        elif "date" in annotation:
            value = date
        elif "time" in annotation:
            value = time
        else:
            value = number
        return [value, value] if annotation.startswith("tuple[") else [value]

    return texts


KINDS: dict[str, Callable[[str], list[str]]] = {
    "above the max": _out_of_range("1000000", "9999-12-31", "23:59:59"),
    "below the min": _out_of_range("-1000000", "0001-01-01", "00:00:00"),
    "nan": _plain("nan"),
    "inf": _plain("inf"),
    "-inf": _plain("-inf"),
    "1e999": _plain("1e999"),
    "huge integer": _plain("9" * 400),
    "repeated scalar": _plain("Tokyo", "Paris"),
    "reversed range": _plain("2000", "500"),
    "empty": _plain(""),
    "wrong type": _plain("abc"),
    "8,000 characters": _plain(LINK + "x" * (8000 - len(LINK))),
    "Markdown link": _plain(LINK),
    "Markdown image": lambda annotation: [],  # filled in with the pixel server's port (``hostile_query``)
    "HTML image": _plain("<img src=x onerror=alert(1)>"),
    "HTML link": _plain("<a href=https://evil.example/login>Session expired, log in</a>"),
    "percent garbage": _raw("%zz%%2%"),
    "invalid UTF-8": _raw("%FF%FE%80abc"),
    "control characters": _raw("a%00b%07c%1B%5B31md%0D%0Ae%7F"),
}
TEXT_KINDS = {"8,000 characters", "Markdown link", "Markdown image", "HTML image", "HTML link", "control characters"}
DEEP_LINK_KINDS = ["above the max", "Markdown link"]
"""Opened as deep links by each example on its own (every kind is a deep link or an edit on the gallery)."""


def hostile_query(page: ExamplePage, kind: str, pixel: str) -> str:
    """The query string that gives every param of ``page`` the ``kind`` of hostile value."""
    if page.file is None:
        return f"x={quote(LINK, safe='')}&x=%FF"
    parts = []
    for param, annotation in declared_params(EXAMPLES / page.file).items():
        if kind in TEXT_KINDS and param in page.context:
            texts = [quote(page.context[param], safe="")]
        elif kind == "Markdown image":
            texts = [quote(f"![x]({pixel})", safe="")]
        else:
            texts = KINDS[kind](annotation)
        parts += [f"{quote(param, safe='')}={text}" for text in texts]
    return "&".join(parts)


# ------------------------------------------------------------ the browser
WATCH = """
(() => {
  if (window.__hostile) return;
  const seen = {label: 'page load', exceptions: [], unsafe: [], toasts: []};
  window.__hostile = seen;
  const WARNINGS = '[data-testid="stToast"], [data-testid="stAlert"], [data-testid="stAlertContainer"], '
    + '[data-testid="stNotification"], [data-testid="stException"]';
  const UNSAFE = 'a[href*="evil.example"], img[src*="pixel"], img[src="x"]';
  const note = (list, text) => { if (!list.includes(text)) list.push(text); };
  const look = () => {
    for (const el of document.querySelectorAll('[data-testid="stException"]')) {
      note(seen.exceptions, seen.label + ': ' + el.innerText.slice(0, 300));
    }
    for (const el of document.querySelectorAll(WARNINGS)) {
      if (el.querySelector('a, img')) note(seen.unsafe, seen.label + ': in a warning: ' + el.innerHTML.slice(0, 300));
    }
    for (const el of document.querySelectorAll(UNSAFE)) {
      note(seen.unsafe, seen.label + ': ' + el.outerHTML.slice(0, 300));
    }
    for (const el of document.querySelectorAll('[data-testid="stToast"]')) note(seen.toasts, el.innerText);
  };
  new MutationObserver(look).observe(document, {subtree: true, childList: true, characterData: true, attributes: true});
})();
"""

IDLE = """() => document.querySelector('[data-testid="stApp"]')?.getAttribute('data-test-script-state') !== 'running'"""


def _ends_a_run(frame: bytes) -> bool:
    """Whether a websocket frame from the server is Streamlit's ``script_finished`` message."""
    try:
        message = ForwardMsg.FromString(frame)
    except Exception:  # not a ForwardMsg: nothing to count
        return False
    return message.WhichOneof("type") == "script_finished"


BRIDGE_READY = "() => !/\\[native code\\]/.test(history.replaceState.toString())"


class PixelServer:
    """A tiny local HTTP server standing in for the attacker's: it counts the requests it gets."""

    def __init__(self) -> None:
        hits: list[str] = []
        self.hits = hits

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
                hits.append(self.path)
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}{PIXEL_PATH}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@dataclass
class Tab:
    """One open page and what it is being attacked with."""

    page: ExamplePage
    tab: Page
    pixel: str
    kind: str = ""
    finished: int = 0
    """Runs the server had finished when the current attack began."""
    runs_ended: list[int] = field(default_factory=lambda: [0])
    """Runs the server has finished for this tab, counted from its websocket (``script_finished``)."""
    dialogs: list[str] = field(default_factory=list)
    events: list[str] = field(default_factory=list)
    """What the browser said about this tab (console errors, page errors, sockets, requests that failed), for a failure's message."""

    def __post_init__(self) -> None:
        # The server's own word that a run ended: a DOM attribute can skip a
        # short run's "running" state when React batches the two updates.
        def count(frame: str | bytes) -> None:
            if isinstance(frame, bytes) and _ends_a_run(frame):
                self.runs_ended[0] += 1

        def socket(ws: WebSocket) -> None:
            self.note(f"websocket opened {ws.url}")
            ws.on("framereceived", count)
            ws.on("close", lambda _: self.note("websocket closed"))

        self.tab.on("websocket", socket)
        self.tab.on("console", lambda m: self.note(f"console {m.type}: {m.text}"))
        self.tab.on("pageerror", lambda error: self.note(f"page error: {error}"))
        self.tab.on("requestfailed", lambda r: self.note(f"request failed: {r.url[:120]} {r.failure}"))
        self.tab.on("load", lambda _: self.note("load"))

    def note(self, event: str) -> None:
        self.events.append(f"{time.monotonic():.2f} {event[:500]}")

    def diagnosis(self) -> str:
        """The browser's log of this tab and its run count, for a failure's message."""
        return f"runs ended: {self.runs_ended[0]}; browser: " + "\n".join(self.events[-40:])

    def attack(self, kind: str, *, server: Server | None = None) -> None:
        """Open the page with ``kind`` (a deep link when ``server`` is given), or edit its URL to it."""
        self.kind = kind
        query = hostile_query(self.page, kind, self.pixel)
        label = f"{self.page.label} ({kind})"
        if server is not None:
            self.tab.goto(f"{server.url}/{self.page.path}?{query}", wait_until="commit")
            self.tab.evaluate("label => { window.__hostile.label = label; }", label)
            return
        self.finished = self.runs_ended[0]
        self.tab.evaluate(
            "([label, query]) => { window.__hostile.label = label; history.replaceState(null, '', '?' + query); }",
            [label, query],
        )

    def shown(self) -> None:
        """Wait until the run the attack caused has ended: what a visitor now sees must be sound."""
        deadline = time.monotonic() + 30
        while self.runs_ended[0] <= self.finished:
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"{self.page.label}: no run followed the edit to {self.kind!r} within 30 s "
                    f"(URL now {self.tab.evaluate('location.search')!r}) {self.diagnosis()}"
                )
            self.tab.wait_for_timeout(20)  # lets Playwright deliver the websocket's frames
        self.tab.wait_for_function(IDLE)  # and the page has drawn that run
        self.check()

    def check(self) -> None:
        seen = self.tab.evaluate("() => window.__hostile")
        assert not seen["exceptions"], seen["exceptions"]
        assert not seen["unsafe"], seen["unsafe"]
        assert not self.dialogs, f"{self.page.label}: a script ran ({self.dialogs})"
        for toast in seen["toasts"]:
            assert not quotes_too_much(toast), f"{self.page.label} ({self.kind}): toast quotes too much: {toast!r}"

    def follows_its_url(self) -> None:
        """After all of it, the page still adopts a valid edit of its URL and shows it."""
        query, text = self.page.follow
        if not query:
            return
        self.tab.evaluate("query => history.replaceState(null, '', '?' + query)", query)
        try:
            self.tab.get_by_text(text, exact=False).first.wait_for(timeout=30_000)
        except Exception as exc:
            raise AssertionError(
                f"{self.page.label} ({self.kind}): after the edit to ?{query}, {text!r} never showed; "
                f"URL {self.tab.evaluate('location.search')!r}, page: {self.tab.inner_text('body')[:1500]!r}\n{self.diagnosis()}"
            ) from exc
        for part in query.split("&"):
            assert part in str(self.tab.evaluate("location.search")), (self.page.label, part)


def quotes_too_much(toast: str) -> bool:
    """Whether ``toast`` quotes more than ``SHOWN_VALUE_LIMIT`` characters of a long hostile value in a row."""
    for value in (LINK + "x" * (8000 - len(LINK)), "9" * 400):
        for start in range(0, len(value) - SHOWN_VALUE_LIMIT, 25):
            if value[start : start + SHOWN_VALUE_LIMIT + 1] in toast:
                return True
    return False


# ------------------------------------------------------------ fixtures
class Servers:
    """One ``streamlit run`` per app, started in the background a few at a time, first needed first."""

    def __init__(self, tmp: pytest.TempPathFactory) -> None:
        self._tmp = tmp
        self._pool = ThreadPoolExecutor(max_workers=3)
        self._started = {app: self._pool.submit(self._start, app) for app in APPS_IN_ORDER}

    def _start(self, app: str) -> Server:
        return start_server(EXAMPLES / app, self._tmp.mktemp("app"))

    def __getitem__(self, app: str) -> Server:
        return self._started[app].result()

    def stop(self) -> None:
        self._pool.shutdown(wait=True)
        for future in self._started.values():
            if future.exception() is None:
                future.result().stop()


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    started = Servers(tmp_path_factory)
    yield started
    started.stop()


@pytest.fixture(scope="module")
def pixel() -> Iterator[PixelServer]:
    server = PixelServer()
    yield server
    server.stop()


@contextmanager
def visitor(browser: Browser) -> Iterator[BrowserContext]:
    """A browser context of its own for each batch of tabs: a visitor with no cookies or storage of earlier tabs.

    A closed tab leaves its id in a 5-second cookie for its reload; every
    server here is on 127.0.0.1, and cookies ignore ports. Tabs of a later
    batch would start on a closed tab's state, then be corrected by their
    bridge: a case of its own (tests/e2e/test_never_lose_work.py), not this test's.
    """
    ctx = browser.new_context()
    ctx.add_init_script(WATCH)
    ctx.set_default_timeout(30_000)
    try:
        yield ctx
    finally:
        ctx.close()


def open_tabs(context: BrowserContext, pages: list[ExamplePage], pixel: PixelServer) -> list[Tab]:
    tabs = []
    for page in pages:
        tab = Tab(page, context.new_page(), pixel.url)
        tab.tab.on("dialog", lambda dialog, tab=tab: (tab.dialogs.append(dialog.message), dialog.dismiss()))
        tabs.append(tab)
    return tabs


def attack(servers: Servers, tabs: list[Tab], kinds: list[str]) -> None:
    """The first kind as a deep link, the others as URL edits, every tab in step."""
    for tab in tabs:
        tab.attack(kinds[0], server=servers[tab.page.app])
    for tab in tabs:
        try:
            tab.tab.locator('[data-testid="stMain"] h1').first.wait_for()  # a visitor sees the page
        except Exception as exc:
            raise AssertionError(
                f"{tab.page.label} ({kinds[0]}): the page's title never showed; URL {tab.tab.url!r}, "
                f"page: {tab.tab.inner_text('body')[:800]!r}\n{tab.diagnosis()}\nserver: {servers[tab.page.app].output()[-3000:]}"
            ) from exc
        tab.check()
        tab.shown()
        if tab.page.file is not None:
            tab.tab.wait_for_function(BRIDGE_READY)
    for kind in kinds[1:]:
        with_state = [tab for tab in tabs if tab.page.file is not None]
        for tab in with_state:
            tab.attack(kind)
        for tab in with_state:
            tab.shown()


# ------------------------------------------------------------------ tests
def test_every_example_page_is_attacked() -> None:
    """Every example file that declares URL params is opened: as a gallery or multipage page, and on its own."""
    attacked = {page.file for page in GALLERY + MULTIPAGE if page.file}
    with_params = {str(path.relative_to(EXAMPLES)) for path in EXAMPLES.rglob("*.py") if declared_params(path)}
    with_params -= {"multipage/app.py", "multipage/team_filter.py", "multipage/task_filter.py"}  # imported by pages
    assert with_params <= attacked, f"examples no page attacks: {sorted(with_params - attacked)}"
    assert all(declared_params(EXAMPLES / file) for file in attacked), "a page without params: nothing attacked"
    in_gallery = set(ast.literal_eval(_gallery_list()))
    assert in_gallery == {page.file for page in GALLERY if page.file}, "the gallery's pages and this table differ"
    assert in_gallery == {page.app for page in STANDALONE}


def _gallery_list() -> str:
    """The file names of ``examples/gallery.py``'s EXAMPLES, as a Python literal."""
    tree = ast.parse((EXAMPLES / "gallery.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "EXAMPLES" for t in node.targets):
            assert isinstance(node.value, ast.List)
            return repr([ast.literal_eval(item)[0] for item in node.value.elts])
    raise AssertionError("examples/gallery.py has no EXAMPLES list")


def test_no_link_crashes_an_example_page_or_puts_content_into_it(
    servers: Servers, browser: Browser, pixel: PixelServer
) -> None:
    pages = GALLERY + MULTIPAGE
    for start in range(0, len(pages), TABS_AT_ONCE):
        with visitor(browser) as context:
            tabs = open_tabs(context, pages[start : start + TABS_AT_ONCE], pixel)
            attack(servers, tabs, list(KINDS))
            for tab in tabs:
                tab.follows_its_url()
            for tab in tabs:
                tab.check()
    assert not pixel.hits, f"the attacker's server was asked for {pixel.hits}"


def test_each_example_on_its_own_survives_the_links_that_crashed_it(
    servers: Servers, browser: Browser, pixel: PixelServer
) -> None:
    for kind in DEEP_LINK_KINDS:
        for start in range(0, len(STANDALONE), TABS_AT_ONCE):
            with visitor(browser) as context:
                tabs = open_tabs(context, STANDALONE[start : start + TABS_AT_ONCE], pixel)
                attack(servers, tabs, [kind])
                for tab in tabs:
                    tab.follows_its_url()
                    tab.check()
    assert not pixel.hits, f"the attacker's server was asked for {pixel.hits}"
