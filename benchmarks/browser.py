"""st-page-state in a real browser against native ``bind="query-params"``: runs, bytes, latencies.

Two apps, each served by its own fresh ``streamlit run`` process, show the
same page: 5 URL params (``a``, ``b``, ``q``, ``view``, ``page``) of which
``a`` and ``b`` are bound ``st.number_input`` widgets and the other three
are shown as text:

* **st-page-state**: one ``PageState`` class with 5 ``StateVar(url_key=...)``
  fields, ``a`` and ``b`` bound with ``**State.bind(..., step=1)``;
* **native**: ``st.number_input(..., key="a", bind="query-params")``, and
  the three other params read from ``st.query_params`` once per session
  (tuned hand-written).

Headless chromium (Debian's, driven by Playwright) measures, per app, with
the apps interleaved in a shuffled order and a fresh browser context (a new
tab, a new Streamlit session) per repetition, medians reported:

* **script runs per page load**: a deep-link first visit
  (``?a=3&b=4&q=hello&view=grid&page=2``) and a reload of that tab. The app
  appends a line to a file at the top of every run; runs are counted once
  the page is quiet (no websocket frame, no new run, script idle, for a
  while). The first session of each fresh server is a warm-up, not counted;
* **websocket bytes per widget change**: payload bytes of every frame sent
  and received on Streamlit's websocket, from the click on the number
  input's "+" until the page is quiet again (Playwright frame events);
* **click to URL updated**: in the page, ``performance.now()`` from the
  ``click()`` until ``location.search`` holds the new value (polled with
  ``setTimeout(0)``: about 4 ms resolution);
* **URL edit to UI**: another script's ``history.replaceState`` or
  ``history.pushState`` sets owned param ``b`` to a new value; time until
  the widget shows it (5 s timeout: "never").

``python benchmarks/browser.py [--quick] [--reps 5]``: markdown on stdout,
progress on stderr. Needs chromium (``/usr/bin/chromium``, or ``CHROMIUM``).
"""

from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a file: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import argparse
import random
import statistics
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from benchmarks.harness import load_average, machine_line, markdown_table, progress, verdict
from tests.processes import CHROMIUM, CHROMIUM_ARGS, free_port, start_streamlit, stop

ROOT = Path(__file__).resolve().parents[1]
DEEP_LINK = {"a": "3", "b": "4", "q": "hello", "view": "grid", "page": "2"}
EXPECTED_TEXT = "q: hello · view: grid · page: 2"

_RUN_COUNTER = """
import os as _os

with open(_os.environ["BENCH_RUNS_FILE"], "a", encoding="utf-8") as _runs:
    _runs.write("run\\n")
"""

LIBRARY_APP = (
    '''"""Benchmark app: 5 URL params, 2 bound number_inputs, with st-page-state."""
import streamlit as st

from st_page_state import PageState, StateVar
'''
    + _RUN_COUNTER
    + """

class BenchState(PageState):
    a: int = StateVar(default=0, url_key="a")
    b: int = StateVar(default=0, url_key="b")
    q: str = StateVar(default="", url_key="q")
    view: str = StateVar(default="table", url_key="view")
    page: int = StateVar(default=1, url_key="page")


st.number_input("a", **BenchState.bind("a", step=1))
st.number_input("b", **BenchState.bind("b", step=1))
st.text(f"q: {BenchState.q} · view: {BenchState.view} · page: {BenchState.page}")
"""
)

NATIVE_APP = (
    '''"""Benchmark app: 5 URL params, 2 number_inputs with Streamlit's own bind="query-params"."""
import streamlit as st
'''
    + _RUN_COUNTER
    + """
values = st.session_state.get("bench_values")
if values is None:  # tuned: the URL read once per session
    params = st.query_params
    try:
        page = int(params.get("page", "1"))
    except ValueError:
        page = 1
    values = {"q": params.get("q", ""), "view": params.get("view", "table"), "page": page}
    st.session_state["bench_values"] = values

st.number_input("a", value=0, step=1, key="a", bind="query-params")
st.number_input("b", value=0, step=1, key="b", bind="query-params")
st.text(f"q: {values['q']} · view: {values['view']} · page: {values['page']}")
"""
)

APPS = {"st-page-state": LIBRARY_APP, "native": NATIVE_APP}

CLICK_TO_URL_JS = """async ([index, key, expected, timeout]) => {
    const button = document.querySelectorAll('[data-testid="stNumberInputStepUp"]')[index];
    const start = performance.now();
    button.click();
    while (performance.now() - start < timeout) {
        if (new URLSearchParams(location.search).get(key) === expected) return performance.now() - start;
        await new Promise(resolve => setTimeout(resolve, 0));
    }
    return null;
}"""

EDIT_TO_UI_JS = """async ([method, index, key, value, timeout]) => {
    const params = new URLSearchParams(location.search);
    params.set(key, value);
    const input = () => document.querySelectorAll('[data-testid="stNumberInput"] input')[index];
    const start = performance.now();
    history[method](history.state, '', location.pathname + '?' + params.toString());
    while (performance.now() - start < timeout) {
        const el = input();
        if (el && el.value === value) return performance.now() - start;
        await new Promise(resolve => setTimeout(resolve, 0));
    }
    return null;
}"""

SCRIPT_STATE_JS = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    return app ? app.getAttribute('data-test-script-state') : null;
}"""


# ------------------------------------------------------------------ servers
@dataclass
class AppServer:
    """A fresh ``streamlit run`` process for one app, and the file its runs are counted in."""

    name: str
    url: str
    process: subprocess.Popen[bytes]
    runs_file: Path
    log: Path

    def runs(self) -> int:
        try:
            return self.runs_file.read_text(encoding="utf-8").count("\n")
        except FileNotFoundError:
            return 0

    def stop(self) -> None:
        stop(self.process)

    def errors(self) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return text if "Traceback" in text else ""


def start_server(name: str, source: str, directory: Path) -> AppServer:
    slug = name.replace("-", "_")
    # Both apps are ``app.py`` (each in its own folder): the script's name travels on
    # the wire (the session's name, and the widget keys ``bind()`` derives from it),
    # so different names would weigh on one side's bytes.
    (directory / slug).mkdir(exist_ok=True)
    app = directory / slug / "app.py"
    app.write_text(source, encoding="utf-8")
    runs_file = directory / f"{slug}.runs"
    log = directory / f"{slug}.log"
    port = free_port()
    env = {"PYTHONPATH": str(ROOT), "BENCH_RUNS_FILE": str(runs_file)}
    process = start_streamlit(app, log, port=port, env=env)
    return AppServer(name, f"http://127.0.0.1:{port}", process, runs_file, log)


# ------------------------------------------------------------------- a tab
class Wire:
    """Payload bytes of the frames on Streamlit's websocket(s) of one page, and when the last one passed."""

    def __init__(self, page: object) -> None:
        self.sent = 0
        self.received = 0
        self.last = time.monotonic()
        page.on("websocket", self._attach)  # type: ignore[attr-defined]

    def _attach(self, ws: object) -> None:
        if "_stcore/stream" not in ws.url:  # type: ignore[attr-defined]
            return
        ws.on("framesent", lambda payload: self._count("sent", payload))  # type: ignore[attr-defined]
        ws.on("framereceived", lambda payload: self._count("received", payload))  # type: ignore[attr-defined]

    def _count(self, direction: str, payload: str | bytes) -> None:
        size = len(payload) if isinstance(payload, bytes) else len(payload.encode("utf-8"))
        setattr(self, direction, getattr(self, direction) + size)
        self.last = time.monotonic()

    @property
    def total(self) -> int:
        return self.sent + self.received


@dataclass
class Window:
    """What happened between :meth:`Tab.mark` and :meth:`Tab.since`: runs and websocket bytes."""

    runs: int
    sent: int
    received: int

    @property
    def bytes(self) -> int:
        return self.sent + self.received


class Tab:
    """One browser tab on one app's server, with its websocket traffic and the server's run count."""

    def __init__(self, page: object, server: AppServer, quiet_s: float) -> None:
        self.page = page
        self.server = server
        self.quiet_s = quiet_s
        self.wire = Wire(page)
        self._mark = (0, 0, 0)

    def mark(self) -> None:
        self._mark = (self.server.runs(), self.wire.sent, self.wire.received)

    def since(self) -> Window:
        runs, sent, received = self._mark
        return Window(self.server.runs() - runs, self.wire.sent - sent, self.wire.received - received)

    def settle(self, timeout_s: float = 20.0) -> None:
        """Wait until the page is quiet: script idle, no new run and no websocket frame for ``quiet_s``."""
        page = self.page
        deadline = time.monotonic() + timeout_s
        runs = self.server.runs()
        changed = time.monotonic()
        while time.monotonic() < deadline:
            page.wait_for_timeout(100)  # type: ignore[attr-defined]
            now = time.monotonic()
            current = self.server.runs()
            if current != runs:
                runs, changed = current, now
            state = page.evaluate(SCRIPT_STATE_JS)  # type: ignore[attr-defined]
            if state not in (None, "initial", "running") and now - max(changed, self.wire.last) >= self.quiet_s:
                return
        progress(f"  ({self.server.name}: page still busy after {timeout_s:.0f} s)")

    def inputs(self) -> list[str]:
        return list(
            self.page.evaluate(  # type: ignore[attr-defined]
                """() => [...document.querySelectorAll('[data-testid="stNumberInput"] input')].map(e => e.value)"""
            )
        )

    def text_shown(self) -> bool:
        return bool(
            self.page.evaluate(  # type: ignore[attr-defined]
                "t => document.body.innerText.includes(t)", EXPECTED_TEXT
            )
        )

    def history_length(self) -> int:
        return int(self.page.evaluate("history.length"))  # type: ignore[attr-defined]


# -------------------------------------------------------------- measuring
@dataclass
class Results:
    """Every sample of one app."""

    load_runs: list[int] = field(default_factory=list)
    reload_runs: list[int] = field(default_factory=list)
    load_bytes: list[int] = field(default_factory=list)
    deep_link_ok: list[bool] = field(default_factory=list)
    change_runs: list[int] = field(default_factory=list)
    change_sent: list[int] = field(default_factory=list)
    change_received: list[int] = field(default_factory=list)
    change_history: list[int] = field(default_factory=list)
    click_to_url: list[float | None] = field(default_factory=list)
    edit_to_ui: dict[str, list[float | None]] = field(default_factory=lambda: {"replaceState": [], "pushState": []})
    edit_runs: dict[str, list[int]] = field(default_factory=lambda: {"replaceState": [], "pushState": []})


@contextmanager
def new_tab(browser: object, server: AppServer, quiet_s: float) -> Iterator[Tab]:
    context = browser.new_context()  # type: ignore[attr-defined]
    try:
        page = context.new_page()
        page.set_default_timeout(20_000)
        yield Tab(page, server, quiet_s)
    finally:
        context.close()


def deep_link(server: AppServer) -> str:
    return f"{server.url}/?" + "&".join(f"{k}={v}" for k, v in DEEP_LINK.items())


def measure_once(
    browser: object,
    server: AppServer,
    results: Results,
    *,
    changes: int,
    edit_timeout_ms: int,
    rep: int,
    quiet_s: float,
) -> None:
    """One repetition in a fresh tab: deep-link visit, reload, widget changes, a replaceState and a pushState edit."""
    with new_tab(browser, server, quiet_s) as tab:
        page = tab.page
        tab.mark()
        page.goto(deep_link(server))  # type: ignore[attr-defined]
        page.wait_for_selector('[data-testid="stNumberInput"]')  # type: ignore[attr-defined]
        tab.settle()
        window = tab.since()
        results.load_runs.append(window.runs)
        results.load_bytes.append(window.bytes)
        ok = tab.inputs()[:2] == [DEEP_LINK["a"], DEEP_LINK["b"]] and tab.text_shown()

        tab.mark()
        page.reload()  # type: ignore[attr-defined]
        page.wait_for_selector('[data-testid="stNumberInput"]')  # type: ignore[attr-defined]
        tab.settle()
        results.reload_runs.append(tab.since().runs)
        ok = ok and tab.inputs()[:2] == [DEEP_LINK["a"], DEEP_LINK["b"]] and tab.text_shown()
        results.deep_link_ok.append(ok)

        for _ in range(changes):
            expected = str(int(tab.inputs()[0]) + 1)
            history_before = tab.history_length()
            tab.mark()
            elapsed = page.evaluate(CLICK_TO_URL_JS, [0, "a", expected, 10_000])  # type: ignore[attr-defined]
            tab.settle()
            window = tab.since()
            results.click_to_url.append(None if elapsed is None else float(elapsed))
            results.change_runs.append(window.runs)
            results.change_sent.append(window.sent)
            results.change_received.append(window.received)
            results.change_history.append(tab.history_length() - history_before)

        for offset, method in ((40, "replaceState"), (60, "pushState")):
            value = str(offset + rep)
            tab.mark()
            elapsed = page.evaluate(EDIT_TO_UI_JS, [method, 1, "b", value, edit_timeout_ms])  # type: ignore[attr-defined]
            tab.settle()
            results.edit_to_ui[method].append(None if elapsed is None else float(elapsed))
            results.edit_runs[method].append(tab.since().runs)


# ----------------------------------------------------------------- report
def med(values: list[float] | list[int]) -> float:
    return float(statistics.median(values)) if values else float("nan")


def spread(values: list[int]) -> str:
    if not values:
        return "n/a"
    m, lo, hi = med(values), min(values), max(values)
    core = f"{m:g}"
    return core if lo == hi else f"{core} ({lo}–{hi})"


def latency(values: list[float | None], timeout_ms: int) -> tuple[float | None, str]:
    """Median latency, or None when most samples never got there."""
    seen = [v for v in values if v is not None]
    if not values:
        return None, "n/a"
    if len(seen) * 2 <= len(values):
        return None, f"never (> {timeout_ms / 1000:g} s, {len(values) - len(seen)}/{len(values)})"
    note = f", {len(values) - len(seen)} never" if len(seen) < len(values) else ""
    return med(seen), f"{med(seen):.0f} ({min(seen):.0f}–{max(seen):.0f}{note})"


def report(results: dict[str, Results], *, edit_timeout_ms: int) -> tuple[str, list[list[object]]]:
    lib, nat = results["st-page-state"], results["native"]
    rows: list[list[object]] = []

    def runs_row(label: str, a: list[int], b: list[int]) -> None:
        ok = bool(a) and max(a) <= 1
        rows.append([label, spread(a), spread(b), "1", verdict(ok)])

    runs_row("script runs per page load: deep-link first visit", lib.load_runs, nat.load_runs)
    runs_row("script runs per page load: reload", lib.reload_runs, nat.reload_runs)
    rows.append(
        [
            "deep link shows the linked values (first visit and reload)",
            f"{sum(lib.deep_link_ok)}/{len(lib.deep_link_ok)}",
            f"{sum(nat.deep_link_ok)}/{len(nat.deep_link_ok)}",
            "all",
            verdict(all(lib.deep_link_ok)),
        ]
    )
    rows.append(["script runs per widget change", spread(lib.change_runs), spread(nat.change_runs), "1", "—"])
    lib_bytes = [s + r for s, r in zip(lib.change_sent, lib.change_received, strict=True)]
    nat_bytes = [s + r for s, r in zip(nat.change_sent, nat.change_received, strict=True)]
    lb, nb = med(lib_bytes), med(nat_bytes)
    rows.append(
        [
            "websocket bytes per widget change (sent + received)",
            f"{lb / 1024:.2f} KiB ({med(lib.change_sent) / 1024:.2f} + {med(lib.change_received) / 1024:.2f})",
            f"{nb / 1024:.2f} KiB ({med(nat.change_sent) / 1024:.2f} + {med(nat.change_received) / 1024:.2f})",
            f"<= 1.25x native ({1.25 * nb / 1024:.2f} KiB); measured {lb / nb:.2f}x" if nb else "<= 1.25x native",
            verdict(lb <= 1.25 * nb) if nb else "n/a",
        ]
    )
    rows.append(
        [
            "websocket bytes per page load (deep-link first visit)",
            f"{med(lib.load_bytes) / 1024:.1f} KiB",
            f"{med(nat.load_bytes) / 1024:.1f} KiB",
            "—",
            "—",
        ]
    )
    rows.append(
        ["history entries added per widget change", spread(lib.change_history), spread(nat.change_history), "—", "—"]
    )
    lc, lc_text = latency(lib.click_to_url, 10_000)
    nc, nc_text = latency(nat.click_to_url, 10_000)
    budget = 1.5 * nc + 30 if nc is not None else None
    rows.append(
        [
            "widget click to URL updated (ms)",
            lc_text,
            nc_text,
            f"<= 1.5x native + 30 ms ({budget:.0f} ms)" if budget is not None else "<= 1.5x native + 30 ms",
            verdict(lc is not None and budget is not None and lc <= budget),
        ]
    )
    for method in ("replaceState", "pushState"):
        le, le_text = latency(lib.edit_to_ui[method], edit_timeout_ms)
        _, ne_text = latency(nat.edit_to_ui[method], edit_timeout_ms)
        rows.append(
            [
                f"`history.{method}` edit by another script to UI (ms)",
                le_text,
                ne_text,
                "<= 200 ms",
                verdict(le is not None and le <= 200),
            ]
        )
        rows.append(
            [
                f"script runs after a `{method}` edit",
                spread(lib.edit_runs[method]),
                spread(nat.edit_runs[method]),
                "—",
                "—",
            ]
        )
    table = markdown_table(["measure", "st-page-state", "native bind", "target", "verdict"], rows, "lrrrl")
    return table, rows


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="one repetition, shorter waits (about a minute)")
    parser.add_argument("--reps", type=int, help="fresh tabs per app (default 5)")
    parser.add_argument("--changes", type=int, help="widget changes per tab (default 3)")
    parser.add_argument("--quiet", type=float, help="seconds without a frame or a run that count as settled (1.0)")
    parser.add_argument("--edit-timeout", type=float, help="seconds to wait for an edit to show (5)")
    args = parser.parse_args(argv)
    args.reps = args.reps or (1 if args.quick else 5)
    args.changes = args.changes or (2 if args.quick else 3)
    args.quiet = args.quiet or (0.8 if args.quick else 1.0)
    args.edit_timeout = args.edit_timeout or (3.0 if args.quick else 5.0)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("playwright is not installed: pip install -e '.[dev]'", file=sys.stderr)
        return 2
    if not Path(CHROMIUM).exists():
        print(f"chromium not found at {CHROMIUM} (set CHROMIUM=...)", file=sys.stderr)
        return 2
    machine = machine_line()
    progress(machine)
    started = time.perf_counter()
    edit_timeout_ms = int(args.edit_timeout * 1000)
    results = {name: Results() for name in APPS}
    servers: dict[str, AppServer] = {}
    browser_version = "?"
    with tempfile.TemporaryDirectory(prefix="st_page_state_browser_") as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        browser_version = browser.version
        try:
            for name, source in APPS.items():
                progress(f"starting a fresh `streamlit run` for {name}...")
                servers[name] = start_server(name, source, Path(tmp))
            for server in servers.values():  # warm-up: the server's first session imports and compiles
                with new_tab(browser, server, args.quiet) as tab:
                    tab.page.goto(deep_link(server))  # type: ignore[attr-defined]
                    tab.page.wait_for_selector('[data-testid="stNumberInput"]')  # type: ignore[attr-defined]
                    tab.settle()
            rng = random.Random(0)
            order = list(servers)
            for rep in range(args.reps):
                rng.shuffle(order)
                for name in order:
                    progress(f"repetition {rep + 1}/{args.reps}: {name}...")
                    measure_once(
                        browser,
                        servers[name],
                        results[name],
                        changes=args.changes,
                        edit_timeout_ms=edit_timeout_ms,
                        rep=rep,
                        quiet_s=args.quiet,
                    )
        finally:
            browser.close()
            for server in servers.values():
                server.stop()
            errors = {name: server.errors() for name, server in servers.items() if server.errors()}
    table, _ = report(results, edit_timeout_ms=edit_timeout_ms)
    print("# Browser: 5 URL params, 2 bound number_inputs, st-page-state against native bind\n")
    took = f"Took {time.perf_counter() - started:.0f} s; load at the end {load_average()}."
    print(f"Machine: {machine} · Chromium {browser_version} (headless). {took}\n")
    print(
        f"Medians over {args.reps} fresh tabs per app ({args.changes} widget changes each), apps interleaved, each "
        f"app on its own fresh `streamlit run`; settled = {args.quiet:g} s without a websocket frame or a run.\n"
    )
    print(table)
    print(
        "\nRuns: counted server-side (the app appends a line per run). Bytes: payload of every websocket frame, "
        "both directions, from the click until settled. Click to URL: `performance.now()` in the page from "
        "`click()` on the number input's + until `location.search` holds the new value (about 4 ms resolution). "
        "Edit to UI: another script's `history.replaceState`/`pushState` sets owned param `b`; time until the "
        "widget shows the value. Native `bind` does not watch the address bar, so it never follows such edits."
    )
    for name, text in errors.items():
        print(f"\n**{name} server logged a traceback:**\n\n```\n{text[-3000:]}\n```")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
