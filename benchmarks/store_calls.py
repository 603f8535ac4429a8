"""Store calls per script run: how often a session reads and writes its store, alone and among many.

``python benchmarks/store_calls.py [--quick] [--sessions 24] [--runs 20]``

Two questions (README of st-page-state, "Persistence"; issue "never lose
work"):

1. **Per run, one session** (AppTest, each store): store reads and write
   calls for a tab's first run, a reload of a tab with stored state, a run
   that changes one class, one that changes three, and an idle run. Targets:
   at most one read per class on a tab's first run (none later), at most
   one write call per run (batched across classes), none when nothing
   changed.
2. **Many sessions at once** (threads standing in for 24 tabs on 2 cores,
   each saving a change every few milliseconds through the store's writer):
   store write calls per saved change. Batching across sessions keeps the
   calls, and so the waits for the store, fewer than the changes.

Redis rows need a ``redis-server`` on the PATH (started on a free port,
stopped afterwards); without one they are left out. Counts are exact, not
timings, so they do not depend on the machine.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

from st_page_state import testing  # noqa: E402
from st_page_state.stores import MemoryStore, SQLiteStore, Store, StoreError  # noqa: E402
from st_page_state.stores.base import DocumentWrite  # noqa: E402
from st_page_state.stores.behind import writer_for  # noqa: E402
from st_page_state.stores.guard import guard_for  # noqa: E402

APP = """
import streamlit as st
from st_page_state import PageState, StateVar

class Filters(PageState):
    status: str = StateVar(default="pending", url_key="status")
    notes: str = StateVar(default="", url_key=None)

class Paging(PageState):
    page: int = StateVar(default=1, url_key="page")

class Layout(PageState):
    columns: int = StateVar(default=2, url_key=None)

st.selectbox("Status", ["pending", "active", "done"], **Filters.bind("status"))
if st.button("three"):
    Filters.notes += "!"
    Paging.page += 1
    Layout.columns += 1
st.markdown(f"{Filters.status} {Filters.notes} {Paging.page} {Layout.columns}")
"""
CLASSES = 3


class Counted:
    """Wraps a store's class so that every instance counts its calls (reads, write calls, documents written)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.reads = 0
        self.write_calls = 0
        self.documents = 0

    def take(self) -> tuple[int, int]:
        """(reads, write calls) since the last take."""
        with self.lock:
            counts = (self.reads, self.write_calls)
            self.reads = self.write_calls = self.documents = 0
            return counts


def counting(store: Store, counts: Counted) -> Store:
    get, set_many = store.get, store.set_many

    def counted_get(identity: str, namespace: str) -> dict[str, object] | None:
        with counts.lock:
            counts.reads += 1
        return get(identity, namespace)

    def counted_set_many(writes: Sequence[DocumentWrite]) -> list[StoreError | None]:
        with counts.lock:
            counts.write_calls += 1
            counts.documents += len(writes)
        return set_many(writes)

    store.get = counted_get  # type: ignore[method-assign]
    store.set_many = counted_set_many  # type: ignore[method-assign]
    return store


@contextmanager
def redis_url(directory: Path) -> Iterator[str | None]:
    if shutil.which("redis-server") is None:
        yield None
        return
    from tests.redis_server import RedisServer

    server = RedisServer(directory).start()
    try:
        yield server.url
    finally:
        server.stop()


def stores(directory: Path, redis: str | None) -> dict[str, Callable[[], Store]]:
    made: dict[str, Callable[[], Store]] = {
        "memory": MemoryStore,
        "SQLite": lambda: SQLiteStore(directory / f"state-{random.random()}.db"),
    }
    if redis is not None:
        from st_page_state.stores import RedisStore

        made["Redis"] = lambda: RedisStore(redis, prefix=f"bench{random.random()}")
    return made


@dataclass
class Row:
    step: str
    target: str
    counts: dict[str, tuple[int, int]]


def per_run(directory: Path, make: dict[str, Callable[[], Store]]) -> list[Row]:
    app = directory / "app.py"
    app.write_text(APP)
    steps = [
        ("a new tab's first run", "reads <= 3, writes 0"),
        ("its second run (a person is there)", "reads 0, writes 0"),
        ("a widget change (one class)", "reads 0, writes 1"),
        ("a button that changes three classes", "reads 0, writes 1"),
        ("an idle run", "reads 0, writes 0"),
        ("a reload: first run of a tab with stored state", f"reads <= {CLASSES}, writes 0"),
    ]
    results: dict[str, list[tuple[int, int]]] = {}
    for name, factory in make.items():
        counts = Counted()
        store = counting(factory(), counts)
        seen: list[tuple[int, int]] = []

        def measure(at: AppTest, seen: list[tuple[int, int]] = seen, counts: Counted = counts) -> AppTest:
            assert testing.wait_for_store(), "the store's writer did not finish"
            seen.append(counts.take())
            return at

        with testing.configured(store=store):
            at = testing.set_tab_id(AppTest.from_file(str(app)), "tab-bench")
            measure(at.run())
            measure(at.run())
            measure(at.selectbox[0].select("active").run())
            measure(at.button[0].click().run())
            measure(at.run())
            measure(testing.reload(at).run())
        results[name] = seen
    return [Row(step, target, {name: results[name][i] for name in make}) for i, (step, target) in enumerate(steps)]


def per_run_table(rows: list[Row], names: list[str]) -> str:
    lines = [
        "## Store calls per run, one session",
        "",
        "Reads / write calls in each run (AppTest; the memory store writes at once, SQLite and Redis through "
        "their writer thread, which the end of the run flushes).",
        "",
        "| run | target | " + " | ".join(names) + " |",
        "|---|---|" + "---|" * len(names),
    ]
    for row in rows:
        cells = " | ".join(f"{r} / {w}" for r, w in (row.counts[name] for name in names))
        lines.append(f"| {row.step} | {row.target} | {cells} |")
    return "\n".join(lines)


def many_sessions(factory: Callable[[], Store], sessions: int, runs: int) -> tuple[int, int, int, float]:
    """``sessions`` threads each save ``runs`` changes a few ms apart; (changes, documents, calls, seconds)."""
    counts = Counted()
    store = counting(factory(), counts)
    writer = writer_for(guard_for(store))
    start = threading.Barrier(sessions)

    def session(n: int) -> None:
        rng = random.Random(n)
        start.wait()
        for run in range(runs):
            document = {"version": 1, "values": {"n": run}}
            writer.submit([DocumentWrite(f"tab:{n}", "app.py:Work", document)], lambda *_: None)
            time.sleep(rng.uniform(0.002, 0.02))

    began = time.monotonic()
    threads = [threading.Thread(target=session, args=(n,)) for n in range(sessions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert writer.wait_idle(30)
    took = time.monotonic() - began
    return sessions * runs, counts.documents, counts.write_calls, took


def many_table(results: dict[str, tuple[int, int, int, float]], sessions: int) -> str:
    lines = [
        f"## Write calls with {sessions} sessions saving at once",
        "",
        "Each session saves a change every 2-20 ms (far more often than people click). A change queued while "
        "an older one of the same document waits replaces it; one store call carries every document queued "
        "meanwhile.",
        "",
        "| store | changes saved | documents written | store write calls | seconds |",
        "|---|---|---|---|---|",
    ]
    for name, (changes, documents, calls, took) in results.items():
        lines.append(f"| {name} | {changes} | {documents} | {calls} | {took:.1f} |")
    return "\n".join(lines)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer sessions and changes: a smoke run")
    parser.add_argument("--sessions", type=int, default=24, help="sessions saving at once (default 24)")
    parser.add_argument("--runs", type=int, default=20, help="changes each session saves (default 20)")
    parser.add_argument("--no-redis", action="store_true", help="leave Redis out even if redis-server is installed")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.quick:
        args.sessions, args.runs = min(args.sessions, 8), min(args.runs, 5)
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        with redis_url(directory) if not args.no_redis else _none() as redis:
            make = stores(directory, redis)
            print("# Store calls per run\n")
            print(f"Python {sys.version.split()[0]}; stores: {', '.join(make)}.\n")
            print(per_run_table(per_run(directory, make), list(make)))
            print()
            results = {name: many_sessions(factory, args.sessions, args.runs) for name, factory in make.items()}
            print(many_table(results, args.sessions))
    return 0


@contextmanager
def _none() -> Iterator[None]:
    yield None


if __name__ == "__main__":
    raise SystemExit(main())
