"""Rerun overhead of st-page-state against the same state written by hand.

For states of 10, 50 and 200 URL-synced ``int`` fields (each read 3 times
per run), this times a full script rerun through Streamlit's ``AppTest``
for two apps that do the same work:

* ``library``: a ``PageState`` class with one ``StateVar(url_key=...)`` per field;
* ``by hand``: ``st.session_state`` + ``st.query_params``: initialise each
  value from the URL if present (else the default), read it 3 times, and
  write the URL param when the value changed.

Two scenarios per size: an *idle* rerun (nothing changes, as when another
widget of the page is used) and a rerun where *one field changes* (so both
apps write the URL). An empty app gives the fixed cost of an AppTest run,
which the "net" columns subtract to show the state handling alone.

Then, on one app: memory over 1,000 reruns (tracemalloc, sampled every 100
reruns; must stay flat, with one live state class) and URL writes per run
(the runtime's own counter; must be <= 1).

Run: ``make bench`` or ``python benchmarks/rerun_overhead.py [--runs N] [--profile]``.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import os
import platform
import pstats
import statistics
import sys
import tempfile
import time
import tracemalloc
import warnings
from dataclasses import dataclass
from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest

import st_page_state
from st_page_state import registry

SIZES = (10, 50, 200)
READS_PER_RUN = 3
RUNTIME_KEY = "st_page_state_runtime"
TIMEOUT = 60
TARGET_RATIO = 1.5
TARGET_LINEARITY = 25.0


# --------------------------------------------------------------- app sources
def state_class(n: int) -> list[str]:
    return [
        "from st_page_state import PageState, StateVar",
        "",
        "",
        "class BenchState(PageState):",
        *(f'    f{i}: int = StateVar(default={i}, url_key="f{i}")' for i in range(n)),
        "",
    ]


def library_body(n: int, *, change: bool) -> list[str]:
    lines = ["", "total = 0"]
    for _ in range(READS_PER_RUN):
        lines += [f"total += BenchState.f{i}" for i in range(n)]
    if change:
        lines.append("BenchState.f0 += 1")
    lines.append("st.write(total)")
    return lines


def library_app(n: int, *, change: bool) -> str:
    """The state class defined in the script itself: Streamlit re-creates it on every rerun."""
    return "\n".join(["import streamlit as st", *state_class(n), *library_body(n, change=change)]) + "\n"


def library_app_importing(module: str, n: int, *, change: bool) -> str:
    """The state class imported from a module (as multipage apps share states): created once."""
    lines = ["import streamlit as st", f"from {module} import BenchState", "", *library_body(n, change=change)]
    return "\n".join(lines) + "\n"


def hand_app(n: int, *, change: bool) -> str:
    defaults = ", ".join(f'"f{i}": {i}' for i in range(n))
    lines = [
        "import streamlit as st",
        "",
        f"DEFAULTS = {{{defaults}}}",
        "state = st.session_state",
        "params = st.query_params",
        "for name, default in DEFAULTS.items():",
        "    if name not in state:",
        "        text = params.get(name)",
        "        try:",
        "            state[name] = int(text) if text is not None else default",
        "        except ValueError:",
        "            state[name] = default",
        "",
        "total = 0",
    ]
    for _ in range(READS_PER_RUN):
        lines += [f'total += state["f{i}"]' for i in range(n)]
    if change:
        lines.append('state["f0"] += 1')
    lines += [
        "for name in DEFAULTS:",
        "    text = str(state[name])",
        "    if params.get(name) != text:",
        "        params[name] = text",
        "st.write(total)",
    ]
    return "\n".join(lines) + "\n"


EMPTY_APP = "import streamlit as st\n\nst.write(0)\n"


# ------------------------------------------------------------------- timing
def make_app(directory: Path, name: str, source: str) -> AppTest:
    path = directory / f"{name}.py"
    path.write_text(source, encoding="utf-8")
    at = AppTest.from_file(str(path), default_timeout=TIMEOUT)
    at.run()
    if at.exception:
        raise SystemExit(f"{name} failed: {at.exception[0].message}")
    return at


def timed_run(at: AppTest) -> float:
    start = time.perf_counter()
    at.run()
    return time.perf_counter() - start


def measure(apps: dict[str, AppTest], runs: int, warmup: int) -> dict[str, float]:
    """Median seconds per rerun of each app, runs interleaved so that load drifts hit all alike."""
    for _ in range(warmup):
        for at in apps.values():
            at.run()
    samples: dict[str, list[float]] = {name: [] for name in apps}
    for _ in range(runs):
        for name, at in apps.items():
            samples[name].append(timed_run(at))
    for name, at in apps.items():
        if at.exception:
            raise SystemExit(f"{name} failed: {at.exception[0].message}")
    return {name: statistics.median(values) for name, values in samples.items()}


def url_writes(at: AppTest, runs: int) -> list[int]:
    """URL writes the runtime made in each of ``runs`` reruns."""
    counts = []
    for _ in range(runs):
        before = at.session_state[RUNTIME_KEY].writes
        at.run()
        counts.append(at.session_state[RUNTIME_KEY].writes - before)
    return counts


@dataclass
class MemoryTrace:
    """Traced memory (after a full collection) every ``every`` reruns, and what grew."""

    every: int
    samples: list[int]
    live_classes: int
    top: list[str]

    @property
    def steady_growth(self) -> float:
        """Bytes per ``every * len(samples)`` reruns at the median rate between checkpoints.

        A leak adds about the same at every checkpoint; a one-off step (a
        process-wide table resized once, a cache filled lazily) adds once,
        which the median ignores.
        """
        steps = [b - a for a, b in zip(self.samples, self.samples[1:], strict=False)]
        return statistics.median(steps) * len(self.samples)

    @property
    def total(self) -> int:
        return self.samples[-1] - self.samples[0]

    def series(self) -> str:
        return ", ".join(f"{b / 1024:.0f}" for b in self.samples)


def memory_trace(at: AppTest, runs: int, checkpoints: int = 10) -> MemoryTrace:
    """Rerun ``at`` ``runs`` times under tracemalloc, sampling the traced memory at ``checkpoints`` points."""
    every = max(1, runs // checkpoints)
    for _ in range(20):
        at.run()
    tracemalloc.start(1)
    samples: list[int] = []
    first: tracemalloc.Snapshot | None = None
    for i in range(1, runs + 1):
        at.run()
        if i % every == 0:
            gc.collect()
            samples.append(tracemalloc.get_traced_memory()[0])
            if first is None:
                first = tracemalloc.take_snapshot()
    last = tracemalloc.take_snapshot()
    tracemalloc.stop()
    assert first is not None
    top = [
        f"{stat.size_diff / 1024:+.1f} KiB  {stat.traceback[0].filename}:{stat.traceback[0].lineno}"
        for stat in last.compare_to(first, "lineno")[:5]
        if stat.size_diff > 0
    ]
    path = at._script_path  # the app's own PageState classes, still alive after all reruns
    live = sum(
        1
        for obj in gc.get_objects()
        if isinstance(obj, type)
        and getattr(obj, "__state_schema__", None) is not None
        and obj.__state_schema__.namespace.split(":")[0].endswith(Path(path).name)
    )
    return MemoryTrace(every, samples, live, top)


def profile_library(directory: Path, n: int, runs: int) -> str:
    """cProfile of the script thread of ``runs`` reruns of the library app (AppTest runs scripts in a thread)."""
    from streamlit.testing.v1.local_script_runner import LocalScriptRunner

    at = make_app(directory, f"profile_{n}", library_app(n, change=True))
    profiler = cProfile.Profile()
    original = LocalScriptRunner._run_script_thread

    def profiled(self: LocalScriptRunner) -> None:
        profiler.enable()
        try:
            original(self)
        finally:
            profiler.disable()

    LocalScriptRunner._run_script_thread = profiled  # type: ignore[method-assign]
    try:
        for _ in range(runs):
            at.run()
    finally:
        LocalScriptRunner._run_script_thread = original  # type: ignore[method-assign]
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(r"st_page_state", 25)
    return out.getvalue()


# ------------------------------------------------------------------- report
def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f}"


def verdict(ok: bool) -> str:
    return "OK" if ok else "MISSED"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=60, help="timed reruns per app (median is reported)")
    parser.add_argument("--warmup", type=int, default=10, help="untimed reruns per app first")
    parser.add_argument("--memory-runs", type=int, default=1000, help="reruns for the memory check")
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--profile", action="store_true", help="also print a cProfile of the largest library app")
    args = parser.parse_args(argv)

    warnings.filterwarnings("ignore")
    st_page_state.configure(toasts=False)
    sizes = sorted(args.sizes)
    print(
        f"st-page-state {st_page_state.__version__} · streamlit {st.__version__} · "
        f"Python {platform.python_version()} · {platform.machine()} · {os.cpu_count()} CPUs · "
        f"load {os.getloadavg()[0]:.2f}",
        file=sys.stderr,
    )
    results: list[tuple[int, str, dict[str, float]]] = []
    with tempfile.TemporaryDirectory(prefix="st_page_state_bench_") as tmp:
        directory = Path(tmp)
        empty = make_app(directory, "empty", EMPTY_APP)
        for n in sizes:
            for scenario, change in (("idle", False), ("one change", True)):
                tag = f"{n}_{'change' if change else 'idle'}"
                module = f"bench_state_{tag}"
                (directory / f"{module}.py").write_text("\n".join(state_class(n)), encoding="utf-8")
                apps = {
                    "empty": empty,
                    "hand": make_app(directory, f"hand_{tag}", hand_app(n, change=change)),
                    "library": make_app(directory, f"library_{tag}", library_app(n, change=change)),
                    "imported": make_app(
                        directory, f"library_imported_{tag}", library_app_importing(module, n, change=change)
                    ),
                }
                print(f"timing {n} fields, {scenario}...", file=sys.stderr)
                results.append((n, scenario, measure(apps, args.runs, args.warmup)))

        writes_app = make_app(directory, "writes_idle", library_app(50, change=False))
        idle_writes = url_writes(writes_app, 20)
        writes_app = make_app(directory, "writes_change", library_app(50, change=True))
        change_writes = url_writes(writes_app, 20)

        print(f"memory: {args.memory_runs} reruns each...", file=sys.stderr)
        classes_before = registry.count()
        lib_mem = memory_trace(make_app(directory, "mem_lib", library_app(50, change=True)), args.memory_runs)
        classes_after = registry.count()
        hand_mem = memory_trace(make_app(directory, "mem_hand", hand_app(50, change=True)), args.memory_runs)

        profile = profile_library(directory, max(sizes), 50) if args.profile else ""

    print(f"\n## Rerun time (median of {args.runs} AppTest reruns after {args.warmup} warm-up)\n")
    print(
        "| fields | rerun | by hand (ms) | st-page-state (ms) | ratio "
        "| net by hand (ms) | net st-page-state (ms) | net ratio | class imported (ms) | ratio |"
    )
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n, scenario, t in results:
        net_hand = max(t["hand"] - t["empty"], 1e-6)
        net_lib = max(t["library"] - t["empty"], 1e-6)
        print(
            f"| {n} | {scenario} | {ms(t['hand'])} | {ms(t['library'])} | {t['library'] / t['hand']:.2f} "
            f"| {ms(net_hand)} | {ms(net_lib)} | {net_lib / net_hand:.2f} "
            f"| {ms(t['imported'])} | {t['imported'] / t['hand']:.2f} |"
        )
    empty_ms = statistics.median(t["empty"] for _, _, t in results)
    print(
        f"\nAn empty app's rerun costs {ms(empty_ms)} ms (AppTest's own work); net = time - that. "
        '"class imported": the same app with `BenchState` imported from a module instead of '
        "defined in the script (Streamlit re-creates a class defined in the script on every rerun)."
    )

    print("\n## Targets\n")
    largest, smallest = max(sizes), min(sizes)
    for scenario in ("idle", "one change"):
        by_size = {n: t for n, s, t in results if s == scenario}
        ratio = by_size[largest]["library"] / by_size[largest]["hand"]
        print(
            f"- ratio at {largest} fields ({scenario}): {ratio:.2f} "
            f"(target <= {TARGET_RATIO}) {verdict(ratio <= TARGET_RATIO)}"
        )
        if largest != smallest:
            full = by_size[largest]["library"] / by_size[smallest]["library"]
            net = (by_size[largest]["library"] - by_size[largest]["empty"]) / max(
                by_size[smallest]["library"] - by_size[smallest]["empty"], 1e-6
            )
            print(
                f"- library cost {largest}/{smallest} fields ({scenario}): {full:.1f}x per rerun, {net:.1f}x net "
                f"(linear would be {largest / smallest:.0f}x; target <= ~{TARGET_LINEARITY:.0f}x) "
                f"{verdict(net <= TARGET_LINEARITY)}"
            )
    most = max(idle_writes + change_writes)
    print(
        f"- URL writes per run (50 fields): idle {max(idle_writes)}, one change {max(change_writes)} "
        f"(target <= 1) {verdict(most <= 1)}"
    )
    flat = lib_mem.steady_growth < 64 * 1024 and lib_mem.live_classes <= 1 and classes_after - classes_before <= 1
    print(
        f"- memory over {args.memory_runs} reruns (tracemalloc, 50 fields, one change per run): steady growth "
        f"{lib_mem.steady_growth / 1024:+.1f} KiB, last minus first checkpoint {lib_mem.total / 1024:+.1f} KiB "
        f"(hand-written app: {hand_mem.steady_growth / 1024:+.1f} / {hand_mem.total / 1024:+.1f} KiB); "
        f"live `BenchState` classes after: {lib_mem.live_classes}; registered PageState classes "
        f"{classes_before} -> {classes_after} (flat: steady growth < 64 KiB, 1 class) {verdict(flat)}"
    )
    print(f"  traced KiB every {lib_mem.every} reruns: library {lib_mem.series()}; by hand {hand_mem.series()}")
    if not flat:
        print("\n  Top growth sites (library app):")
        for line in lib_mem.top:
            print(f"    {line}")
    if profile:
        print(f"\n## cProfile: library app, {max(sizes)} fields, 50 reruns (st_page_state functions)\n")
        print("```")
        print(profile.rstrip())
        print("```")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
