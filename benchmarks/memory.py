"""Memory measurements with ``tracemalloc``: per session, and over many reruns.

Two different questions:

* **How much does one session hold?** What a server keeps per browser tab
  is its session state. :func:`session_footprint` runs a session, then
  drops only its session state and counts the bytes that freed (first
  Streamlit's ``st.query_params``, which grows with the URL whoever writes
  it, then the rest); then drops the rest of the AppTest and counts what a
  finished session leaves behind for good (process-wide: a per-session
  leak would show here).
* **Does a long session leak?** :func:`rerun_trace` reruns one session a
  thousand times and samples the traced memory after a full collection.
  A leak adds about the same at every checkpoint; a one-off step (a
  process-wide table resized once, a cache filled lazily) adds once. The
  *steady growth* (the median step between checkpoints times the number of
  checkpoints) tells the two apart.

Streamlit's script runner leaves the last run's module in
``sys.modules["__main__"]``, whose globals (``values = ...``) keep objects
of the session alive: the measurements put the real ``__main__`` back
before counting, as the next run of another session would replace it.
"""

from __future__ import annotations

import gc
import statistics
import sys
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from streamlit.testing.v1 import AppTest

from benchmarks.harness import TIMEOUT, Probe

_REAL_MAIN = sys.modules["__main__"]


def _settled() -> int:
    sys.modules["__main__"] = _REAL_MAIN
    gc.collect()
    return tracemalloc.get_traced_memory()[0]


@contextmanager
def frozen_heap() -> Iterator[None]:
    """Move every object alive now out of the collector's sight for the block (``gc.freeze``).

    A full collection walks the whole heap (Streamlit, pydantic, AppTests of
    earlier tables: about a second each under tracemalloc on a busy
    machine), and these measurements collect dozens of times. Objects alive
    before a measurement are not what it measures; objects the measured
    sessions create stay collectable as usual.
    """
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


@contextmanager
def traced() -> Iterator[None]:
    """tracemalloc on for the block (one frame per trace: cheaper, and only totals are read)."""
    started = not tracemalloc.is_tracing()
    if started:
        tracemalloc.start(1)
    try:
        yield
    finally:
        if started:
            tracemalloc.stop()


@dataclass
class SessionFootprint:
    """Bytes per session: its session state, and what stays after it ended (medians over sessions)."""

    state_sizes: list[int]
    retained_sizes: list[int]
    query_sizes: list[int]
    """Of the session state, Streamlit's own copy of the URL's params (``st.query_params``)."""

    @property
    def session_state(self) -> float:
        return statistics.median(self.state_sizes)

    @property
    def query_params(self) -> float:
        return statistics.median(self.query_sizes)

    @property
    def retained(self) -> float:
        return statistics.median(self.retained_sizes)

    @property
    def sessions(self) -> int:
        return len(self.state_sizes)


def session_footprint(
    script: Path,
    *,
    reruns: int,
    step: Callable[[AppTest], AppTest],
    sessions: int = 3,
) -> SessionFootprint:
    """Open ``sessions`` sessions of ``script`` in turn; each runs once then ``reruns`` times after ``step``.

    The first session is a warm-up (it fills process-wide caches: imports,
    compiled classes) and is not counted.
    """
    state_sizes: list[int] = []
    retained: list[int] = []
    query_sizes: list[int] = []
    with frozen_heap(), traced():
        after = _settled()
        for index in range(sessions + 1):
            before = after
            at = AppTest.from_file(str(script), default_timeout=TIMEOUT)
            at.run()
            for _ in range(reruns):
                step(at)
                at.run()
            if at.exception:
                raise SystemExit(f"{script.name} failed: {at.exception[0].message}")
            with_state = _settled()
            at._session_state._state.query_params = None  # Streamlit's part, whoever wrote the URL
            without_query = _settled()
            at._session_state = None  # type: ignore[assignment]
            at.session_state = None  # type: ignore[assignment]
            without_state = _settled()
            del at
            after = _settled()
            if index > 0:
                state_sizes.append(with_state - without_state)
                query_sizes.append(with_state - without_query)
                retained.append(after - before)
    return SessionFootprint(state_sizes, retained, query_sizes)


@dataclass
class RerunTrace:
    """Traced bytes (after a full collection) every ``every`` reruns of one session."""

    every: int
    samples: list[int]

    @property
    def steady_growth(self) -> float:
        """Bytes over the whole trace at the median rate between checkpoints (ignores one-off steps)."""
        steps = [b - a for a, b in zip(self.samples, self.samples[1:], strict=False)]
        return statistics.median(steps) * (len(self.samples) - 1) if steps else 0.0

    @property
    def total(self) -> int:
        return self.samples[-1] - self.samples[0]

    def series(self) -> str:
        return ", ".join(f"{b / 1024:.0f}" for b in self.samples)


def rerun_trace(
    at: AppTest, probe: Probe, *, runs: int, step: Callable[[AppTest], AppTest], checkpoints: int = 10
) -> RerunTrace:
    """Rerun ``at`` ``runs`` times under tracemalloc, sampling at ``checkpoints + 1`` points."""
    del probe  # the probe keeps only its latest record, so it cannot grow; accepted for symmetry
    checkpoints = max(1, min(checkpoints, runs))
    every = max(1, runs // checkpoints)
    for _ in range(min(20, runs)):  # warm-up: lazily filled caches first
        step(at)
        at.run()
    samples: list[int] = []
    with frozen_heap(), traced():
        samples.append(_settled())
        for i in range(1, runs + 1):
            step(at)
            at.run()
            if i % every == 0:
                samples.append(_settled())
    if at.exception:
        raise SystemExit(f"rerun trace failed: {at.exception[0].message}")
    return RerunTrace(every, samples)
