"""AppTest made to run a script the way a ``streamlit run`` server does, and timed.

Why this exists: ``AppTest.run()`` builds a new ``ScriptCache`` (inside each
new ``LocalScriptRunner``) for every run, so the script is read and compiled
again on every rerun. A ``streamlit run`` server has one ``ScriptCache`` per
process (owned by its ``Runtime``, shared by every session) and compiles a
script once. Compiling a 3,000-line script costs far more than running it,
and that cost lands on every app alike, which dilutes every ratio toward 1.

:func:`server_like_apptest` patches, for the ``with`` block only:

* the ``ScriptCache`` name that ``LocalScriptRunner`` and ``AppTest`` look up
  when they build a runner, so that every run of every AppTest shares one
  :class:`CountingScriptCache` (compiles are counted: a benchmark can prove
  each script compiled once);
* ``LocalScriptRunner._run_script``, the per-rerun work a server's script
  thread does (widget-state processing and callbacks, the script body, the
  end-of-run session-state cleanup that st-page-state's URL write hooks
  into), which is timed with the thread's CPU clock (``time.thread_time``)
  and with ``perf_counter``. CPU time is the figure benchmarks compare: on a
  shared machine, other processes competing for the CPUs stretch wall time
  by whole scheduler slices while leaving a thread's CPU time alone (the
  script thread does no I/O that CPU time would miss; the memory store is
  in-process). AppTest's own per-run work
  (a mock ``Runtime``, a new thread, polling for completion every 1 ms,
  parsing the element tree) is outside that window and reported apart as
  wall time;
* ``BidiComponentManager`` in AppTest, so that every AppTest shares one
  component registry, discovered once, as a server's ``Runtime`` does
  (AppTest scans every installed package's metadata for components on the
  first run of each AppTest: about a second, outside the timed window, but
  it made the benchmarks slow for nothing);
* the same wrapper also records, outside the timed window, the ForwardMsgs
  the run produced: their serialized size and how many of them update the
  browser URL (``page_info_changed``), a library-agnostic count of URL
  writes.

What a server does per run and this does not: ``runner.postScriptGC``
(a full ``gc.collect(2)`` after every run, whose cost depends on the
process heap, not on the app) and sending messages over the websocket
(``benchmarks/browser.py`` measures the bytes in a real browser).
"""

from __future__ import annotations

import cProfile
import logging
import os
import platform
import random
import statistics
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import streamlit as st
from streamlit.runtime.scriptrunner.script_cache import ScriptCache
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1 import app_test as _app_test_module
from streamlit.testing.v1 import local_script_runner as _runner_module
from streamlit.testing.v1.local_script_runner import LocalScriptRunner

TIMEOUT = 120.0


# ------------------------------------------------------------ bytecode cache
class CountingScriptCache(ScriptCache):
    """A ``ScriptCache`` that counts compiles (cache misses) per script path."""

    def __init__(self) -> None:
        super().__init__()
        self.compiles: dict[str, int] = {}
        self.lookups = 0
        self._count_lock = threading.Lock()

    def get_bytecode(self, script_path: str) -> Any:
        path = os.path.abspath(script_path)
        with self._count_lock:
            self.lookups += 1
            if path not in self._cache:
                self.compiles[path] = self.compiles.get(path, 0) + 1
        return super().get_bytecode(script_path)

    def compiles_of(self, script_path: str | Path) -> int:
        return self.compiles.get(os.path.abspath(script_path), 0)


@dataclass
class RunRecord:
    """One rerun as the server's script thread saw it."""

    cpu: float
    seconds: float
    message_bytes: int
    url_updates: int


@dataclass
class Probe:
    """What :func:`server_like_apptest` observed: the most recent rerun and how many ran.

    Only the last run is kept, so that a memory benchmark that reruns an
    app a thousand times does not see the probe itself grow.
    """

    cache: CountingScriptCache = field(default_factory=CountingScriptCache)
    runs: int = 0
    latest: RunRecord | None = None
    profiler: cProfile.Profile | None = None
    """When set, enabled in the script thread around each rerun (cProfile only sees the thread that enables it)."""

    @property
    def last(self) -> RunRecord:
        if self.latest is None:
            raise RuntimeError("no rerun observed: is the AppTest created inside server_like_apptest()?")
        return self.latest


_active_probe: Probe | None = None


@contextmanager
def _patched(patches: list[tuple[object, str, object]]) -> Iterator[None]:
    """Set ``(owner, name, value)`` attributes for the block, then put the originals back."""
    saved = [(owner, name, getattr(owner, name)) for owner, name, _ in patches]
    for owner, name, value in patches:
        setattr(owner, name, value)
    try:
        yield
    finally:
        for owner, name, value in reversed(saved):
            setattr(owner, name, value)


@contextmanager
def server_like_apptest() -> Iterator[Probe]:
    """Within the block, AppTest runs share one bytecode cache and each rerun is timed (see module doc)."""
    global _active_probe
    if _active_probe is not None:
        raise RuntimeError("server_like_apptest() is not reentrant")
    probe = Probe()
    original_run_script = LocalScriptRunner._run_script
    original_components = getattr(_app_test_module, "BidiComponentManager", None)  # absent before Streamlit 1.56
    shared_components: list[Any] = []

    def shared_cache() -> ScriptCache:
        return probe.cache

    def shared_component_manager() -> Any:
        if not shared_components:
            manager = original_components()  # type: ignore[misc]
            manager.discover_and_register_components(start_file_watching=False)
            manager.discover_and_register_components = lambda **_: None  # type: ignore[method-assign]  # once, like a server
            shared_components.append(manager)
        return shared_components[0]

    def timed_run_script(self: LocalScriptRunner, rerun_data: Any) -> None:
        profiler = probe.profiler
        if profiler is not None:
            profiler.enable()
        start = time.perf_counter()
        cpu_start = time.thread_time()
        try:
            original_run_script(self, rerun_data)
        finally:
            cpu = time.thread_time() - cpu_start
            seconds = time.perf_counter() - start
            if profiler is not None:
                profiler.disable()
            messages = list(self.forward_msg_queue._queue)
            probe.latest = RunRecord(
                cpu=cpu,
                seconds=seconds,
                message_bytes=sum(m.ByteSize() for m in messages),
                url_updates=sum(1 for m in messages if m.WhichOneof("type") == "page_info_changed"),
            )
            probe.runs += 1

    patches: list[tuple[object, str, object]] = [
        (_runner_module, "ScriptCache", shared_cache),  # LocalScriptRunner.__init__ builds its runner's cache
        (_app_test_module, "ScriptCache", shared_cache),  # AppTest._run builds one for its PagesManager
        (LocalScriptRunner, "_run_script", timed_run_script),
    ]
    if original_components is not None:  # Streamlit 1.55's AppTest has no component registry to share
        patches.append((_app_test_module, "BidiComponentManager", shared_component_manager))
    _active_probe = probe
    try:
        with _patched(patches):
            yield probe
    finally:
        _active_probe = None


# ------------------------------------------------------------------- apps
@dataclass
class Sample:
    """One timed rerun: the script thread's CPU and wall time, AppTest's wall time, and what the run sent."""

    script: float
    """CPU seconds of the script thread (the figure compared)."""
    script_wall: float
    wall: float
    """Wall seconds of the whole ``at.run()``, AppTest's own work included."""
    message_bytes: int
    url_updates: int
    lib_writes: int | None


@dataclass
class BenchApp:
    """An app under test: its script on disk, a live AppTest session, and how to drive one rerun."""

    name: str
    path: Path
    at: AppTest
    step: Callable[[AppTest], AppTest] = field(default=lambda at: at)
    """Prepares the next rerun (e.g. sets a widget value); default: an idle rerun."""
    samples: list[Sample] = field(default_factory=list)

    def rerun(self, probe: Probe) -> Sample:
        self.step(self.at)
        writes_before = library_writes(self.at)
        start = time.perf_counter()
        self.at.run()
        wall = time.perf_counter() - start
        writes_after = library_writes(self.at)
        record = probe.last
        lib_writes = writes_after - writes_before if writes_before is not None and writes_after is not None else None
        return Sample(record.cpu, record.seconds, wall, record.message_bytes, record.url_updates, lib_writes)

    def check(self) -> None:
        if self.at.exception:
            raise SystemExit(f"{self.name} failed: {self.at.exception[0].message}")


def write_app(directory: Path, name: str, source: str) -> Path:
    path = directory / f"{name}.py"
    path.write_text(source, encoding="utf-8")
    return path


def start_app(
    directory: Path,
    name: str,
    source: str,
    *,
    step: Callable[[AppTest], AppTest] | None = None,
    query: dict[str, str] | None = None,
) -> BenchApp:
    """Write ``source`` as ``<name>.py``, open a session on it and run it once (the first visit)."""
    path = write_app(directory, name, source)
    at = AppTest.from_file(str(path), default_timeout=TIMEOUT)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    app = BenchApp(name, path, at, step or (lambda a: a))
    app.check()
    return app


def library_writes(at: AppTest) -> int | None:
    """st-page-state's own count of URL writes in this session, if the runtime exposes one (public helper)."""
    try:
        from st_page_state import testing
    except ImportError:
        return None
    runtime_of = getattr(testing, "runtime_of", None)
    if runtime_of is None:
        return None
    try:
        rt = runtime_of(at)
    except Exception:
        return None
    if rt is None:
        return 0
    writes = getattr(rt, "writes", None)
    return writes if isinstance(writes, int) else None


@contextmanager
def library_settings(**settings: Any) -> Iterator[None]:
    """``st_page_state.configure(...)`` for the block only (settings are process-wide; a caller keeps its own).

    Uses the public ``testing.configured`` helper, or plain ``configure`` if a
    version of the library lacks it.
    """
    import st_page_state
    from st_page_state import testing

    configured = getattr(testing, "configured", None)
    if configured is None:
        st_page_state.configure(**settings)
        yield
        return
    with configured(**settings):
        yield


def interleaved(apps: Sequence[BenchApp], probe: Probe, *, runs: int, warmup: int, seed: int = 0) -> None:
    """Rerun every app ``warmup`` times untimed, then ``runs`` times each, in a shuffled order per round.

    Interleaving makes a load spike or a thermal drift on the machine hit
    every app alike; shuffling the order within each round keeps one app
    from always running right after another (caches, GC debt).
    """
    rng = random.Random(seed)
    order = list(apps)
    for _ in range(warmup):
        for app in order:
            app.rerun(probe)
    for app in apps:
        app.check()
        app.samples.clear()
    for _ in range(runs):
        rng.shuffle(order)
        for app in order:
            app.samples.append(app.rerun(probe))
    for app in apps:
        app.check()


def median(values: Iterable[float]) -> float:
    return statistics.median(list(values))


def median_script(app: BenchApp) -> float:
    return median(s.script for s in app.samples)


def median_wall(app: BenchApp) -> float:
    return median(s.wall for s in app.samples)


def median_script_wall(app: BenchApp) -> float:
    return median(s.script_wall for s in app.samples)


# ----------------------------------------------------------------- report
def machine_line() -> str:
    """The machine facts every table states: results only compare within one machine and one run."""
    try:
        import st_page_state

        lib = f"st-page-state {st_page_state.__version__}"
    except Exception:  # pragma: no cover
        lib = "st-page-state (not importable)"
    try:
        load = f"load {os.getloadavg()[0]:.2f}"
    except OSError:  # pragma: no cover - not on every platform
        load = "load n/a"
    cpu = platform.processor() or platform.machine()
    affinity = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (
        f"{lib} · Streamlit {st.__version__} · Python {platform.python_version()} · "
        f"{platform.system()} {cpu} · {os.cpu_count()} CPUs ({affinity} usable) · {load}"
    )


def load_average() -> str:
    """The 1-minute load average now: with the one in :func:`machine_line`, it brackets a run's conditions."""
    try:
        return f"{os.getloadavg()[0]:.2f}"
    except OSError:  # pragma: no cover
        return "n/a"


class _NoMissingContext(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return "missing ScriptRunContext" not in record.getMessage()


def quiet_streamlit_logs() -> None:
    """Silence "missing ScriptRunContext" warnings: the harness reads session state between runs, on purpose.

    A filter, not a level: Streamlit resets its loggers' levels whenever its config is reloaded.
    """
    logger = logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context")
    if not any(isinstance(f, _NoMissingContext) for f in logger.filters):
        logger.addFilter(_NoMissingContext())


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def markdown_table(header: Sequence[str], rows: Iterable[Sequence[object]], align: str | None = None) -> str:
    """A markdown table; ``align`` is one character per column, ``l`` or ``r`` (default: first left, rest right)."""
    align = align or ("l" + "r" * (len(header) - 1))
    marks = ["---" if a == "l" else "---:" for a in align]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(marks) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f}"


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}x" if b > 0 else "n/a"


def verdict(ok: bool | None) -> str:
    if ok is None:
        return "n/a"
    return "OK" if ok else "**MISSED**"
