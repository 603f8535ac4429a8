"""Per-rerun cost of st-page-state against tuned hand-written code, N fields read 3 times.

For N URL-synced ``int`` fields (default N = 10, 200, 1000), each read 3
times per run, this times one script rerun of four apps (``apps.py``):
empty, tuned hand-written, the ``PageState`` class imported from a module,
and the class defined in the script. Two scenarios: an *idle* rerun
(nothing changes, as when an unrelated widget is used) and a rerun where
*one field changes* (so the URL is written).

Runs go through AppTest with the script's bytecode cached as a
``streamlit run`` server caches it, and the time is the server's script
thread time of the rerun (``harness.py``). Apps are interleaved, medians
reported. Then: cost per field at the largest N against the next one
(linear means 1.0), URL writes per run, memory per session against the
hand-written app, memory over 1,000 reruns, and (``--profile``) where the
time goes at the largest N.

``python benchmarks/rerun_overhead.py [--quick] [--profile] [--sizes 10 200 1000] [--runs 40]``:
markdown on stdout, progress on stderr.
"""

from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a file: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import argparse
import cProfile
import pstats
import tempfile
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass

from streamlit.testing.v1 import AppTest

import st_page_state
from benchmarks import apps
from benchmarks.harness import (
    BenchApp,
    Probe,
    interleaved,
    library_settings,
    load_average,
    machine_line,
    markdown_table,
    median,
    median_script,
    median_script_wall,
    median_wall,
    ms,
    progress,
    quiet_streamlit_logs,
    ratio,
    server_like_apptest,
    start_app,
    verdict,
    write_app,
)
from benchmarks.memory import RerunTrace, SessionFootprint, rerun_trace, session_footprint

LABELS = {
    "empty": "empty",
    "tuned": "tuned hand-written",
    "imported": "class imported",
    "in_script": "class in the script",
    "imported_short": "class imported, `clear_on_default`",
}
RATIO_TARGETS = {"imported": 1.25, "in_script": 1.5}
TARGET_SIZES = (200, 1000)
LINEARITY_LIMIT = 1.25
"""Cost per field at the largest N over the next size: 1.0 is linear; above this, flagged superlinear."""
LEAK_LIMIT = 64 * 1024
SCENARIOS = (("idle", False), ("one change", True))


@dataclass
class Group:
    """The apps of one size and scenario, timed together."""

    n: int
    scenario: str
    apps: dict[str, BenchApp]

    def script(self, name: str) -> float:
        return median_script(self.apps[name])

    def wall(self, name: str) -> float:
        return median_wall(self.apps[name])


# ---------------------------------------------------------------- building
def state_module(directory: Path, n: int, *, short_url: bool = False) -> str:
    module = f"bench_state_{n}{'_short' if short_url else ''}"
    path = directory / f"{module}.py"
    if not path.exists():
        path.write_text(apps.state_class_source(n, short_url=short_url), encoding="utf-8")
    return module


def build_group(directory: Path, n: int, scenario: str, change: bool) -> Group:
    tag = f"{n}_{'change' if change else 'idle'}"
    module = state_module(directory, n)
    short = state_module(directory, n, short_url=True)
    return Group(
        n,
        scenario,
        {
            "empty": start_app(directory, f"empty_{tag}", apps.EMPTY_APP),
            "tuned": start_app(directory, f"tuned_{tag}", apps.tuned_app(n, change=change)),
            "imported": start_app(directory, f"imported_{tag}", apps.library_imported_app(module, n, change=change)),
            "in_script": start_app(directory, f"in_script_{tag}", apps.library_in_script_app(n, change=change)),
            "imported_short": start_app(
                directory, f"imported_short_{tag}", apps.library_imported_app(short, n, change=change)
            ),
            "in_script_short": start_app(
                directory, f"in_script_short_{tag}", apps.library_in_script_app(n, change=change, short_url=True)
            ),
        },
    )


def idle(at: AppTest) -> AppTest:
    return at


def _bridge(on: bool) -> Callable[[AppTest], AppTest]:
    """A rerun step that switches the URL bridge on or off for the rerun (a process-wide setting)."""

    def step(at: AppTest) -> AppTest:
        st_page_state.configure(bridge=on)
        return at

    return step


def build_breakdown(directory: Path, n: int) -> dict[str, BenchApp]:
    """Idle apps that differ by one part of the library's cost each (see :func:`breakdown_table`).

    Each rerun sets the bridge setting its app needs, so the apps can be
    interleaved in one process.
    """
    module = state_module(directory, n)
    short = state_module(directory, n, short_url=True)
    on, off = _bridge(True), _bridge(False)
    return {
        "empty": start_app(directory, f"parts_empty_{n}", apps.EMPTY_APP, step=on),
        "touch_short_no_bridge": start_app(
            directory, f"parts_touch_short_no_bridge_{n}", apps.library_touch_imported_app(short), step=off
        ),
        "touch_short": start_app(directory, f"parts_touch_short_{n}", apps.library_touch_imported_app(short), step=on),
        "touch_imported": start_app(
            directory, f"parts_touch_imported_{n}", apps.library_touch_imported_app(module), step=on
        ),
        "reads_imported": start_app(
            directory, f"parts_reads_imported_{n}", apps.library_imported_app(module, n, change=False), step=on
        ),
        "touch_in_script": start_app(
            directory, f"parts_touch_in_script_{n}", apps.library_touch_in_script_app(n), step=on
        ),
    }


def breakdown_table(parts: dict[str, BenchApp], n: int) -> str:
    """Where an idle rerun's time goes, by difference between apps that add one part each (no profiler)."""
    t = {name: median_script(app) for name, app in parts.items()}
    reads = apps.READS * n
    rows = [
        ["a rerun of the empty app", ms(t["empty"]), "empty"],
        [
            "st-page-state's per-run work (sync with the URL, end-of-run URL check), class used once, "
            "short URL, no bridge",
            ms(t["touch_short_no_bridge"] - t["empty"]),
            "class imported (`clear_on_default`), read once, bridge off − empty",
        ],
        [
            "the URL bridge element (sent again in every run)",
            ms(t["touch_short"] - t["touch_short_no_bridge"]),
            "the same, bridge on − bridge off",
        ],
        [
            f"every param in the URL ({n} params: Streamlit parses the query string twice per run)",
            ms(t["touch_imported"] - t["touch_short"]),
            "class imported (every param in the URL), read once − the same with `clear_on_default`",
        ],
        [
            f"{reads} field reads ({(t['reads_imported'] - t['touch_imported']) / reads * 1e6:.2f} µs each)",
            ms(t["reads_imported"] - t["touch_imported"]),
            f"class imported, read {apps.READS}x{n} − read once",
        ],
        [
            "creating the class again on every rerun (class in the script)",
            ms(t["touch_in_script"] - t["touch_imported"]),
            "class in the script, read once − class imported, read once",
        ],
    ]
    return markdown_table([f"part (idle rerun, {n} fields)", "CPU ms per rerun", "measured as"], rows, "lrl")


# ---------------------------------------------------------------- profile
@dataclass
class Profile:
    label: str
    shares: dict[str, float]
    top: list[tuple[str, int, float, float]]
    """(function, calls per rerun, self ms per rerun, cumulative ms per rerun)"""


BUCKETS = (
    ("st_page_state", "/st_page_state/"),
    ("pydantic", "/pydantic"),
    ("streamlit", "/streamlit/"),
)


def profile_app(app: BenchApp, probe: Probe, runs: int, label: str, top: int = 15) -> Profile:
    """cProfile of ``runs`` reruns in the script thread: self time per package, and the library's top functions."""
    profiler = cProfile.Profile()
    probe.profiler = profiler
    try:
        for _ in range(runs):
            app.rerun(probe)
    finally:
        probe.profiler = None
    stats = pstats.Stats(profiler)
    raw = stats.stats  # type: ignore[attr-defined]
    total = sum(entry[2] for entry in raw.values()) or 1e-9
    shares: dict[str, float] = {}
    for (filename, _line, _name), entry in raw.items():
        bucket = next((b for b, marker in BUCKETS if marker in filename), None)
        if bucket is None:
            bucket = "the script" if filename == str(app.path) else "other (stdlib, builtins)"
        shares[bucket] = shares.get(bucket, 0.0) + entry[2] / total
    lib = [
        (f"{Path(filename).name}:{line} {name}", entry[1] // runs, entry[2] / runs, entry[3] / runs)
        for (filename, line, name), entry in raw.items()
        if "/st_page_state/" in filename
    ]
    lib.sort(key=lambda row: row[2], reverse=True)
    return Profile(label, shares, lib[:top])


# ----------------------------------------------------------------- report
def span(values: list[int | None]) -> str:
    known = [v for v in values if v is not None]
    if not known:
        return "n/a"
    lo, hi = min(known), max(known)
    return str(lo) if lo == hi else f"{lo}–{hi}"


def timing_table(groups: list[Group], *, short_url: bool = False) -> str:
    """Per-rerun CPU time and ratios to tuned; ``short_url``: the library apps with ``clear_on_default``."""
    suffix = "_short" if short_url else ""
    rows = []
    for g in groups:
        tuned = g.script("tuned")
        row: list[object] = [g.n, g.scenario, ms(g.script("empty")), ms(tuned)]
        for name in ("imported", "in_script"):
            t = g.script(name + suffix)
            target = RATIO_TARGETS[name]
            ok = t / tuned <= target if g.n in TARGET_SIZES else None
            row += [ms(t), ratio(t, tuned), f"<= {target}x {verdict(ok)}" if ok is not None else "—"]
        rows.append(row)
    return markdown_table(
        [
            "fields",
            "rerun",
            "empty (ms)",
            "tuned hand-written (ms)",
            "class imported (ms)",
            "imported / tuned",
            "target",
            "class in the script (ms)",
            "in script / tuned",
            "target",
        ],
        rows,
        "rl" + "r" * 8,
    )


def wall_table(groups: list[Group]) -> str:
    """Ratios by wall clock: the script thread's, and AppTest's whole ``run()`` (diluted by AppTest's own work)."""
    rows = []
    for g in groups:
        thread = {name: median_script_wall(g.apps[name]) for name in ("tuned", "imported", "in_script")}
        whole = {name: g.wall(name) for name in ("tuned", "imported", "in_script")}
        rows.append(
            [
                g.n,
                g.scenario,
                ms(thread["tuned"]),
                ms(thread["imported"]),
                ratio(thread["imported"], thread["tuned"]),
                ms(thread["in_script"]),
                ratio(thread["in_script"], thread["tuned"]),
                ms(whole["tuned"]),
                ratio(whole["imported"], whole["tuned"]),
                ratio(whole["in_script"], whole["tuned"]),
            ]
        )
    return markdown_table(
        [
            "fields",
            "rerun",
            "thread wall: tuned (ms)",
            "imported (ms)",
            "imported / tuned",
            "in script (ms)",
            "in script / tuned",
            "AppTest wall: tuned (ms)",
            "imported / tuned",
            "in script / tuned",
        ],
        rows,
        "rl" + "r" * 8,
    )


def linearity(groups: list[Group]) -> tuple[str, list[tuple[str, float]]]:
    sizes = sorted({g.n for g in groups})
    if len(sizes) < 2:
        return "", []
    small, large = sizes[-2], sizes[-1]
    by_key = {(g.n, g.scenario): g for g in groups}
    rows, checks = [], []
    for scenario, _ in SCENARIOS:
        for name in ("tuned", "imported", "in_script"):
            per_field = {}
            for n in (small, large):
                g = by_key[(n, scenario)]
                per_field[n] = max(g.script(name) - g.script("empty"), 1e-9) / n
            growth = per_field[large] / per_field[small]
            if name != "tuned":
                checks.append((f"{LABELS[name]}, {scenario}", growth))
            rows.append(
                [
                    LABELS[name],
                    scenario,
                    f"{per_field[small] * 1e6:.2f}",
                    f"{per_field[large] * 1e6:.2f}",
                    # the tuned app's net cost is within noise of zero: a growth ratio of it means nothing
                    "—" if name == "tuned" else f"{growth:.2f}x",
                    "—" if name == "tuned" else verdict(growth <= LINEARITY_LIMIT),
                ]
            )
    table = markdown_table(
        ["app", "rerun", f"µs per field at {small}", f"µs per field at {large}", f"{large} / {small}", "linear"],
        rows,
        "llrrrl",
    )
    return table, checks


def writes_table(groups: list[Group]) -> str:
    rows = []
    for g in groups:
        row: list[object] = [g.n, g.scenario]
        row += [span([s.lib_writes for s in g.apps[name].samples]) for name in ("imported", "in_script")]
        row += [span([s.url_updates for s in g.apps[name].samples]) for name in ("tuned", "imported", "in_script")]
        row += [
            f"{median(s.message_bytes for s in g.apps[name].samples) / 1024:.1f}"
            for name in ("tuned", "imported", "in_script")
        ]
        rows.append(row)
    return markdown_table(
        [
            "fields",
            "rerun",
            "URL writes: imported",
            "URL writes: in script",
            "URL messages: tuned",
            "URL messages: imported",
            "URL messages: in script",
            "KiB sent: tuned",
            "KiB sent: imported",
            "KiB sent: in script",
        ],
        rows,
        "rl" + "r" * 8,
    )


LIBRARY_MEMORY_APPS = ("imported", "imported_short", "in_script")
MEMORY_APPS = ("tuned", *LIBRARY_MEMORY_APPS)
"""The apps compared per session; ``imported_short`` keeps the same URL as the tuned app (only changed params)."""


def memory_table(footprints: dict[int, dict[str, SessionFootprint]]) -> str:
    rows = []
    for n, by_app in sorted(footprints.items()):
        tuned = by_app["tuned"].session_state
        for name in MEMORY_APPS:
            fp = by_app[name]
            rows.append(
                [
                    n,
                    LABELS[name],
                    f"{fp.session_state / 1024:.1f}",
                    f"{fp.query_params / 1024:.1f}",
                    f"{(fp.session_state - fp.query_params) / 1024:.1f}",
                    "—" if name == "tuned" else ratio(fp.session_state, max(tuned, 1.0)),
                    f"{fp.retained / 1024:+.1f}",
                ]
            )
    return markdown_table(
        [
            "fields",
            "app",
            "session state KiB",
            "of which Streamlit's query params",
            "the rest",
            "/ tuned",
            "left after the session ended KiB",
        ],
        rows,
        "rl" + "r" * 5,
    )


def leak_table(traces: dict[str, RerunTrace], runs: int) -> str:
    rows = []
    for name, trace in traces.items():
        ok = trace.steady_growth < LEAK_LIMIT if name != "tuned" else None
        rows.append(
            [
                LABELS[name],
                runs,
                f"{trace.steady_growth / 1024:+.1f}",
                f"{trace.total / 1024:+.1f}",
                verdict(ok) if ok is not None else "—",
            ]
        )
    return markdown_table(
        ["app (one change per rerun)", "reruns", "steady growth KiB", "last − first checkpoint KiB", "flat (< 64 KiB)"],
        rows,
        "lrrrl",
    )


def profile_report(profiles: list[Profile]) -> str:
    out = []
    for p in profiles:
        shares = ", ".join(
            f"{name} {share * 100:.0f}%" for name, share in sorted(p.shares.items(), key=lambda kv: -kv[1])
        )
        out.append(f"**{p.label}**: self time by package: {shares}.\n")
        out.append(
            markdown_table(
                ["st_page_state function", "calls / rerun", "self ms / rerun", "cumulative ms / rerun"],
                [[f"`{fn}`", calls, f"{own * 1000:.2f}", f"{cum * 1000:.2f}"] for fn, calls, own, cum in p.top],
                "lrrr",
            )
        )
        out.append("")
    return "\n".join(out)


def target_rows(
    groups: list[Group],
    growth_checks: list[tuple[str, float]],
    footprints: dict[int, dict[str, SessionFootprint]],
    traces: dict[str, RerunTrace],
) -> list[list[object]]:
    """One row per target of the issue: what was measured, the goal, OK or MISSED."""
    rows: list[list[object]] = []
    for g in groups:
        if g.n not in TARGET_SIZES:
            continue
        for name, target in RATIO_TARGETS.items():
            value = g.script(name) / g.script("tuned")
            rows.append(
                [
                    f"{LABELS[name]} / tuned, {g.n} fields, {g.scenario}",
                    f"{value:.2f}x",
                    f"<= {target}x",
                    verdict(value <= target),
                ]
            )
    for label, growth in growth_checks:
        rows.append(
            [
                f"linear in N: per-field cost growth, {label}",
                f"{growth:.2f}x",
                f"<= {LINEARITY_LIMIT}x",
                verdict(growth <= LINEARITY_LIMIT),
            ]
        )
    for g in groups:
        for name in ("imported", "in_script"):
            writes = [s.lib_writes for s in g.apps[name].samples]
            if all(w is None for w in writes):
                continue
            want = 1 if g.scenario == "one change" else 0
            ok = all(w == want for w in writes)
            rows.append(
                [
                    f"URL writes per run, {LABELS[name]}, {g.n} fields, {g.scenario}",
                    span(writes),
                    f"= {want}",
                    verdict(ok),
                ]
            )
    for n, by_app in sorted(footprints.items()):
        tuned = by_app["tuned"].session_state
        for name in LIBRARY_MEMORY_APPS:
            own = by_app[name].session_state
            rows.append(
                [
                    f"memory per session, {LABELS[name]}, {n} fields",
                    f"{own / 1024:.1f} KiB",
                    f"<= {tuned / 1024:.1f} KiB (tuned)",
                    verdict(own <= tuned),
                ]
            )
    for name, trace in traces.items():
        if name != "tuned":
            rows.append(
                [
                    f"no leak over reruns, {LABELS[name]}",
                    f"{trace.steady_growth / 1024:+.1f} KiB",
                    "< 64 KiB steady growth",
                    verdict(trace.steady_growth < LEAK_LIMIT),
                ]
            )
    return rows


# -------------------------------------------------------------------- main
def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument(
        "--quick", action="store_true", help="a smoke run of about a minute (few runs, small memory checks)"
    )
    parser.add_argument("--sizes", type=int, nargs="+", help="numbers of fields (default 10 200 1000)")
    parser.add_argument("--runs", type=int, help="timed reruns per app (default 40; the median is reported)")
    parser.add_argument("--warmup", type=int, help="untimed reruns per app first (default 5)")
    parser.add_argument("--memory-sizes", type=int, nargs="*", help="fields for memory per session (default 200 1000)")
    parser.add_argument("--memory-runs", type=int, help="reruns of the leak check (default 1000; 0 skips it)")
    parser.add_argument("--memory-fields", type=int, help="fields of the leak check app (default 200)")
    parser.add_argument("--sessions", type=int, help="sessions measured per app for memory per session (default 5)")
    parser.add_argument("--profile", action="store_true", help="also profile the library apps at the largest size")
    args = parser.parse_args(argv)
    quick = args.quick
    args.sizes = sorted(set(args.sizes or ([200, 1000] if quick else [10, 200, 1000])))
    args.runs = args.runs or (5 if quick else 40)
    args.warmup = args.warmup if args.warmup is not None else (1 if quick else 5)
    if args.memory_sizes is None:
        args.memory_sizes = [200] if quick else [200, 1000]
    if args.memory_runs is None:
        args.memory_runs = 50 if quick else 1000
    if args.memory_fields is None:
        args.memory_fields = 50 if quick else 200
    if args.sessions is None:
        args.sessions = 3 if quick else 5
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    with warnings.catch_warnings(), library_settings(toasts=False):
        warnings.simplefilter("ignore")
        return run(args)


def run(args: argparse.Namespace) -> int:
    quiet_streamlit_logs()
    started = time.perf_counter()
    machine = machine_line()
    progress(machine)

    groups: list[Group] = []
    footprints: dict[int, dict[str, SessionFootprint]] = {}
    traces: dict[str, RerunTrace] = {}
    profiles: list[Profile] = []
    with tempfile.TemporaryDirectory(prefix="st_page_state_bench_") as tmp, server_like_apptest() as probe:
        directory = Path(tmp)
        sys.path.insert(0, tmp)  # the imported-class apps import their state module from here
        try:
            for n in args.sizes:
                for scenario, change in SCENARIOS:
                    progress(f"timing {n} fields, {scenario}: {args.runs} interleaved reruns per app...")
                    group = build_group(directory, n, scenario, change)
                    interleaved(list(group.apps.values()), probe, runs=args.runs, warmup=args.warmup, seed=n)
                    groups.append(group)
            largest = max(args.sizes)
            progress(f"cost breakdown, {largest} fields, idle...")
            parts = build_breakdown(directory, largest)
            interleaved(list(parts.values()), probe, runs=args.runs, warmup=args.warmup, seed=1)
            st_page_state.configure(bridge=True)  # whichever part ran last
            compiles = {app.name: probe.cache.compiles_of(app.path) for g in groups for app in g.apps.values()}
            reruns_per_app = 1 + args.warmup + args.runs

            def bump(at: AppTest) -> AppTest:
                return at  # the "one change" apps change a field themselves on every run

            for n in args.memory_sizes:
                progress(f"memory per session, {n} fields...")
                module = state_module(directory, n)
                scripts = {
                    "tuned": write_app(directory, f"mem_tuned_{n}", apps.tuned_app(n, change=True)),
                    "imported": write_app(
                        directory, f"mem_imported_{n}", apps.library_imported_app(module, n, change=True)
                    ),
                    "in_script": write_app(directory, f"mem_in_script_{n}", apps.library_in_script_app(n, change=True)),
                    "imported_short": write_app(
                        directory,
                        f"mem_imported_short_{n}",
                        apps.library_imported_app(state_module(directory, n, short_url=True), n, change=True),
                    ),
                }
                footprints[n] = {
                    name: session_footprint(path, reruns=5, step=bump, sessions=args.sessions)
                    for name, path in scripts.items()
                }

            if args.memory_runs > 0:
                n = args.memory_fields
                module = state_module(directory, n)
                sources = {
                    "tuned": apps.tuned_app(n, change=True),
                    "imported": apps.library_imported_app(module, n, change=True),
                    "in_script": apps.library_in_script_app(n, change=True),
                }
                for name, source in sources.items():
                    progress(f"memory over {args.memory_runs} reruns, {LABELS[name]}, {n} fields...")
                    app = start_app(directory, f"leak_{name}_{n}", source)
                    traces[name] = rerun_trace(app.at, probe, runs=args.memory_runs, step=idle)

            if args.profile:
                n = max(args.sizes)
                for g in groups:
                    if g.n != n:
                        continue
                    for name in ("imported", "in_script"):
                        label = f"{LABELS[name]}, {n} fields, {g.scenario}"
                        progress(f"profiling {label}...")
                        profiles.append(profile_app(g.apps[name], probe, runs=max(5, args.runs // 2), label=label))
        finally:
            sys.path.remove(tmp)

    elapsed = time.perf_counter() - started
    print(f"# Rerun overhead: N fields read {apps.READS}x per rerun\n")
    print(f"Machine: {machine}. Took {elapsed:.0f} s; load at the end {load_average()}.\n")
    print(
        f"Median of {args.runs} interleaved reruns per app after {args.warmup} warm-up; "
        "time = CPU time of the server's script thread for one rerun (`ScriptRunner._run_script`), "
        "through AppTest with the script's bytecode cached once per process like `streamlit run` "
        f"(compiles per script over {reruns_per_app} runs: {span(list(compiles.values()))}).\n"
    )
    print("## The same URL as the tuned app\n")
    print(timing_table(groups, short_url=True))
    print(
        "\nTuned hand-written: one dict in `st.session_state`, the URL read once per session, only the changed "
        "param written, so its URL holds only params that changed. Here the state class has "
        "`clear_on_default = True`, so its URL holds only params that differ from their default: the same URL. "
        "Targets (at 200 and 1000 fields): class imported <= 1.25x, class in the script <= 1.5x. "
        'Native `bind="query-params"` only binds widgets: see `widgets.py`.\n'
    )
    print("## Every param in the URL (the default)\n")
    print(timing_table(groups))
    print(
        "\nBy default every field with a `url_key` is in the URL, so a shared link carries the whole state. "
        "Streamlit parses the whole query string at the start of every run (twice), whoever writes it: "
        "at 1000 params that alone is most of the difference to the tuned app, whose URL stays short.\n"
    )
    print("## Wall clock\n")
    print(wall_table(groups))
    print(
        "\nThe same reruns by wall clock: the script thread's (what a user waits for on an idle machine; stretched "
        "by other processes on a busy one) and AppTest's whole `run()` (its own per-run work dilutes the ratios).\n"
    )
    print(f"## Where an idle rerun's time goes ({largest} fields, by difference, no profiler)\n")
    print(breakdown_table(parts, largest))
    print()
    table, growth_checks = linearity(groups)
    if table:
        print("## Cost per field (net of the empty app)\n")
        print(table)
        print()
    print("## URL writes and messages per rerun\n")
    print(writes_table(groups))
    print(
        "\nURL writes: st-page-state's own counter (`testing.runtime_of(at).writes`; target 0 idle, 1 on change). "
        "URL messages: `page_info_changed` ForwardMsgs the run sent (any app). KiB sent: serialized size of all "
        "ForwardMsgs of the run (median).\n"
    )
    if footprints:
        print("## Memory per session\n")
        print(memory_table(footprints))
        print(
            "\nSession state KiB: bytes freed when one session's session state is dropped, after a first run and "
            "5 reruns with one change each (median over sessions after a warm-up session; tracemalloc); of which "
            "Streamlit's query params: what Streamlit's `st.query_params` holds for the URL (every param, unless "
            "`clear_on_default`: the tuned app writes only changed params). Left after "
            "the session ended: traced bytes after the whole session is gone minus before it started (a "
            "per-session leak shows here). Target: the library's session no bigger than the hand-written one's.\n"
        )
        print("Per session, KiB (session state / left after it ended):")
        for n, by_app in sorted(footprints.items()):
            for name, fp in by_app.items():
                pairs = ", ".join(
                    f"{a / 1024:.0f}/{b / 1024:+.0f}" for a, b in zip(fp.state_sizes, fp.retained_sizes, strict=True)
                )
                print(f"- {n} fields, {LABELS[name]}: {pairs}")
        print()
    if traces:
        print(f"## Memory over {args.memory_runs} reruns ({args.memory_fields} fields)\n")
        print(leak_table(traces, args.memory_runs))
        print("\nTraced KiB every", next(iter(traces.values())).every, "reruns:")
        for name, trace in traces.items():
            print(f"- {LABELS[name]}: {trace.series()}")
        print()

    print("## Targets\n")
    print(
        markdown_table(
            ["check", "measured", "target", "verdict"], target_rows(groups, growth_checks, footprints, traces), "lrrl"
        )
    )
    if profiles:
        print(f"\n## Where the time goes ({max(args.sizes)} fields, cProfile in the script thread)\n")
        print(profile_report(profiles))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
