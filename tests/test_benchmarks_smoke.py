"""The benchmarks keep working: tiny sizes, in-process, no timing assertions.

What is asserted is what makes the figures honest rather than fast: every
script compiled once (bytecode cached as a server caches it), every table
printed, the library's URL writes counted. The browser benchmark needs
chromium and a minute; here only its report is checked, on made-up samples.
"""

from __future__ import annotations

import re

import pytest

from benchmarks import browser, rerun_overhead, store_calls, widgets
from benchmarks.harness import server_like_apptest, start_app

pytestmark = pytest.mark.timeout(60)


def test_bytecode_is_compiled_once_per_script(tmp_path) -> None:
    with server_like_apptest() as probe:
        app = start_app(tmp_path, "app", "import streamlit as st\n\nst.write(1)\n")
        for _ in range(3):
            sample = app.rerun(probe)
        assert probe.cache.compiles_of(app.path) == 1
        assert probe.runs == 4
        assert sample.script > 0 and sample.message_bytes > 0


def test_rerun_overhead_prints_every_table(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["--quick", "--sizes", "2", "4", "--runs", "2", "--warmup", "0", "--memory-sizes", "3"]
    argv += ["--sessions", "1", "--memory-runs", "4", "--memory-fields", "3"]
    assert rerun_overhead.main(argv) == 0
    out = capsys.readouterr().out
    assert re.search(r"compiles per script over \d+ runs: 1\)", out), out
    for heading in (
        "| fields | rerun | empty (ms)",
        "## Where an idle",
        "## Cost per field",
        "## URL writes",
        "## Memory per session",
    ):
        assert heading in out
    assert "## Memory over 4 reruns" in out
    assert "| URL writes per run, class imported, 4 fields, one change | 1 | = 1 | OK |" in out


def test_widgets_prints_its_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert widgets.main(["--sizes", "3", "--runs", "2", "--warmup", "0"]) == 0
    out = capsys.readouterr().out
    assert "compiles per script: 1)" in out
    assert "| 3 | one change |" in out


def test_store_calls_prints_its_tables_and_meets_its_targets(capsys: pytest.CaptureFixture[str]) -> None:
    assert store_calls.main(["--quick", "--sessions", "3", "--runs", "2", "--no-redis"]) == 0
    out = capsys.readouterr().out
    assert "| a button that changes three classes | reads 0, writes 1 | 0 / 1 | 0 / 1 |" in out
    assert "| an idle run | reads 0, writes 0 | 0 / 0 | 0 / 0 |" in out
    assert "## Write calls with 3 sessions saving at once" in out


def test_browser_report_on_made_up_samples() -> None:
    lib, native = browser.Results(), browser.Results()
    for r, runs, sent, received, click, edit in ((lib, 2, 400, 7600, 80.0, 300.0), (native, 1, 200, 900, 15.0, None)):
        r.load_runs += [runs, runs]
        r.reload_runs += [runs]
        r.load_bytes += [1000]
        r.deep_link_ok += [True]
        r.change_runs += [1]
        r.change_sent += [sent]
        r.change_received += [received]
        r.change_history += [0]
        r.click_to_url += [click]
        for method in ("replaceState", "pushState"):
            r.edit_to_ui[method] += [edit]
            r.edit_runs[method] += [1]
    table, rows = browser.report({"st-page-state": lib, "native": native}, edit_timeout_ms=5000)
    assert "| script runs per page load: deep-link first visit | 2 | 1 | 1 | **MISSED** |" in table
    assert "never (> 5 s, 1/1)" in table
    assert "<= 1.5x native + 30 ms (52 ms)" in table
    assert len(rows) == 12
