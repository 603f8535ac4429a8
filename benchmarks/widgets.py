"""Per-rerun cost of 200 widgets bound with st-page-state against native ``bind="query-params"``.

Five apps draw the same N ``st.number_input`` widgets (default N = 200,
``step=1``, int values) in a loop (``apps.py``): native
``bind="query-params"`` (the baseline of the target), tuned hand-written
(keyed widgets seeded from the URL once, an ``on_change`` callback writes
the one changed param), st-page-state with the class imported and with the
class in the script (``**State.bind("f<i>", step=1)``), and an empty app.
Two scenarios: an *idle* rerun, and a rerun after the user changed the
first widget (AppTest's ``set_value``, the same widget-state path a browser
takes).

Same method as ``rerun_overhead.py``: AppTest with the bytecode cached like
a server, the server's script-thread time of a rerun, apps interleaved,
medians. Target: the library <= 1.2x native per rerun.

``python benchmarks/widgets.py [--quick] [--sizes 200] [--runs 40]``
"""

from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a file: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import argparse
import tempfile
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass

from streamlit.testing.v1 import AppTest

from benchmarks import apps
from benchmarks.harness import (
    BenchApp,
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
)

LABELS = {
    "empty": "empty",
    "native": 'native bind="query-params"',
    "tuned": "tuned hand-written",
    "imported": "class imported",
    "in_script": "class in the script",
}
TARGET = 1.2
TARGET_SIZE = 200


def change_first_widget(at: AppTest) -> AppTest:
    """What a user does: a new value in the first number_input (the next rerun sends it as widget state)."""
    widget = at.number_input[0]
    widget.set_value(int(widget.value or 0) + 1)
    return at


def keep(at: AppTest) -> AppTest:
    return at


@dataclass
class Group:
    n: int
    scenario: str
    apps: dict[str, BenchApp]


def build_group(directory: Path, n: int, scenario: str, step: Callable[[AppTest], AppTest]) -> Group:
    tag = f"{n}_{'change' if step is change_first_widget else 'idle'}"
    module = f"widget_state_{n}"
    module_path = directory / f"{module}.py"
    if not module_path.exists():
        module_path.write_text(apps.widget_class_source(n), encoding="utf-8")
    sources = {
        "empty": apps.EMPTY_APP,
        "native": apps.native_widgets_app(n),
        "tuned": apps.tuned_widgets_app(n),
        "imported": apps.library_widgets_imported_app(module, n),
        "in_script": apps.library_widgets_in_script_app(n),
    }
    built = {
        name: start_app(directory, f"w_{name}_{tag}", source, step=step if name != "empty" else keep)
        for name, source in sources.items()
    }
    return Group(n, scenario, built)


def timing_table(groups: list[Group]) -> str:
    rows = []
    for g in groups:
        native = median_script(g.apps["native"])
        tuned = median_script(g.apps["tuned"])
        row: list[object] = [g.n, g.scenario, ms(median_script(g.apps["empty"])), ms(native), ms(tuned)]
        for name in ("imported", "in_script"):
            t = median_script(g.apps[name])
            ok = t / native <= TARGET if g.n == TARGET_SIZE else None
            row += [ms(t), ratio(t, native), verdict(ok), ratio(t, tuned)]
        rows.append(row)
    return markdown_table(
        [
            "widgets",
            "rerun",
            "empty (ms)",
            "native bind (ms)",
            "tuned hand-written (ms)",
            "class imported (ms)",
            "imported / native",
            "<= 1.2x",
            "imported / tuned",
            "class in script (ms)",
            "in script / native",
            "<= 1.2x",
            "in script / tuned",
        ],
        rows,
        "rl" + "r" * 11,
    )


def detail_table(groups: list[Group]) -> str:
    rows = []
    for g in groups:
        for name in ("native", "tuned", "imported", "in_script"):
            samples = g.apps[name].samples
            url = sorted({s.url_updates for s in samples})
            rows.append(
                [
                    g.n,
                    g.scenario,
                    LABELS[name],
                    ms(median_script_wall(g.apps[name])),
                    ms(median_wall(g.apps[name])),
                    "–".join(str(u) for u in (url[0], url[-1])) if url[0] != url[-1] else url[0],
                    f"{median(s.message_bytes for s in samples) / 1024:.1f}",
                ]
            )
    return markdown_table(
        ["widgets", "rerun", "app", "thread wall (ms)", "AppTest wall (ms)", "URL messages / run", "KiB sent / run"],
        rows,
        "rllrrrr",
    )


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a smoke run of well under a minute")
    parser.add_argument("--sizes", type=int, nargs="+", help="numbers of widgets (default 200)")
    parser.add_argument("--runs", type=int, help="timed reruns per app (default 40)")
    parser.add_argument("--warmup", type=int, help="untimed reruns per app first (default 5)")
    args = parser.parse_args(argv)
    args.sizes = sorted(set(args.sizes or [TARGET_SIZE]))
    args.runs = args.runs or (5 if args.quick else 40)
    args.warmup = args.warmup if args.warmup is not None else (1 if args.quick else 5)
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
    with tempfile.TemporaryDirectory(prefix="st_page_state_widgets_") as tmp, server_like_apptest() as probe:
        sys.path.insert(0, tmp)
        try:
            for n in args.sizes:
                for scenario, step in (("idle", keep), ("one change", change_first_widget)):
                    progress(f"timing {n} widgets, {scenario}: {args.runs} interleaved reruns per app...")
                    group = build_group(Path(tmp), n, scenario, step)
                    interleaved(list(group.apps.values()), probe, runs=args.runs, warmup=args.warmup, seed=n)
                    groups.append(group)
            compiles = sorted({probe.cache.compiles_of(a.path) for g in groups for a in g.apps.values()})
        finally:
            sys.path.remove(tmp)

    print("# Bound widgets: N number_inputs, st-page-state against native bind\n")
    print(f"Machine: {machine}. Took {time.perf_counter() - started:.0f} s; load at the end {load_average()}.\n")
    print(
        f"Median of {args.runs} interleaved reruns per app after {args.warmup} warm-up; time = CPU time of the "
        "server's script thread for one rerun, bytecode cached like `streamlit run` "
        f"(compiles per script: {'/'.join(map(str, compiles))}).\n"
    )
    print(timing_table(groups))
    print(
        "\nOne change: the first widget gets a new value from the user before the rerun. Target: st-page-state "
        f'<= {TARGET}x native `bind="query-params"` per rerun at {TARGET_SIZE} widgets.\n'
    )
    print("## Wall time and messages\n")
    print(detail_table(groups))
    print(
        "\nThread wall: the script thread's wall clock (stretched by other processes on a busy machine). "
        "AppTest wall: the whole `at.run()`, including AppTest's own work (element tree parsing grows with the "
        "widgets): diluted, for reference only. URL messages: `page_info_changed` ForwardMsgs sent by the run "
        "(native binding updates the URL in the browser itself, so it sends none). KiB sent: serialized size of "
        "the run's ForwardMsgs (median)."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
