"""Running a store call from many threads at once, timing each: the stores' concurrency tests share it."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from st_page_state.stores import StoreError


def timed(action: Callable[[], object]) -> tuple[float, object]:
    """(seconds taken, result or the StoreError raised)."""
    started = time.monotonic()
    try:
        result = action()
    except StoreError as exc:
        result = exc
    return time.monotonic() - started, result


def in_threads(count: int, action: Callable[[int], object]) -> tuple[float, list[tuple[float, object]]]:
    """Run ``action(n)`` in ``count`` threads at once: (wall time, [(duration, result or error)])."""
    results: list[tuple[float, object]] = [(0.0, None)] * count
    start = threading.Barrier(count)

    def run(n: int) -> None:
        start.wait()
        results[n] = timed(lambda: action(n))

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.monotonic() - started, results
