"""Worker threads that run store calls, so that the caller can stop waiting for one.

A Python thread blocked in a socket read or an SQLite lock cannot be
interrupted. To give a script run a deadline whatever the backend does,
the guard hands each call to one of a few worker threads and waits for it
at most that long. What happens to a call the caller gave up on:

* still waiting for a free worker: it is cancelled and never runs (a write
  given up on must not land later, over newer state);
* already running: it is *stranded*; it finishes in the background, its
  result is dropped, and :meth:`DeadlineWorkers.stranded_for` tells the
  guard not to start another write of the same document meanwhile.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Hashable
from typing import Any

from .base import StoreTimeoutError

MAX_WORKERS = 16
"""Threads per store running calls; calls beyond wait for one (within their deadline)."""

WORKER_IDLE_SECONDS = 30.0
"""A worker thread with nothing to do for this long ends (a new one starts when needed)."""


class _Job:
    """One store call handed to a worker thread."""

    __slots__ = ("action", "tags", "done", "state", "result", "error")

    def __init__(self, action: Callable[[], Any], tags: tuple[Hashable, ...]) -> None:
        self.action = action
        self.tags = tags
        self.done = threading.Event()
        self.state = "pending"  # -> running -> done; or cancelled (never ran); or running -> stranded -> done
        self.result: Any = None
        self.error: BaseException | None = None


class DeadlineWorkers:
    """A few daemon threads that run store calls, so a caller can stop waiting for one.

    Daemon threads: a call stuck in a dead backend must not keep the server
    from exiting. Threads start on demand (up to ``limit``) and end after
    :data:`WORKER_IDLE_SECONDS` without work.
    """

    def __init__(self, name: str, limit: int | None = None) -> None:
        self._name = name
        self._limit = MAX_WORKERS if limit is None else limit
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._queue: deque[_Job] = deque()
        self._threads = 0
        self._idle = 0
        self.stranded = 0
        self._stranded_tags: dict[Hashable, int] = {}

    def call(self, action: Callable[[], Any], timeout: float, tags: tuple[Hashable, ...] = ()) -> Any:
        """``action()``'s result, run on a worker; StoreTimeoutError after ``timeout`` seconds.

        A call still running then is stranded: :meth:`stranded_for` is true
        for each of its ``tags`` (the documents it writes) until it ends.
        """
        job = _Job(action, tags)
        with self._lock:
            self._queue.append(job)
            if len(self._queue) > self._idle and self._threads < self._limit:
                self._threads += 1
                threading.Thread(target=self._work, name=self._name, daemon=True).start()
            else:
                self._wake.notify()
        if not job.done.wait(timeout):
            with self._lock:
                if job.state == "pending":
                    job.state = "cancelled"
                    self._queue.remove(job)
                    raise StoreTimeoutError(
                        f"no worker was free within the deadline of {timeout:g} s (earlier calls are stuck)"
                    )
                if job.state == "running":
                    job.state = "stranded"
                    self.stranded += 1
                    for tag in tags:
                        self._stranded_tags[tag] = self._stranded_tags.get(tag, 0) + 1
                    raise StoreTimeoutError(f"no answer within the deadline of {timeout:g} s")
        if job.error is not None:
            raise job.error
        return job.result

    def stranded_for(self, tag: Hashable) -> bool:
        """Whether a call with this tag outlived its caller and is still running."""
        with self._lock:
            return tag in self._stranded_tags

    def _work(self) -> None:
        while True:
            with self._lock:
                while not self._queue:
                    self._idle += 1
                    woken = self._wake.wait(WORKER_IDLE_SECONDS)
                    self._idle -= 1
                    if not woken and not self._queue:
                        self._threads -= 1
                        return
                job = self._queue.popleft()
                job.state = "running"
            try:
                job.result = job.action()
            except BaseException as exc:  # handed to the caller, who classifies it
                job.error = exc
            with self._lock:
                if job.state == "stranded":
                    self.stranded -= 1
                    for tag in job.tags:
                        left = self._stranded_tags.pop(tag) - 1
                        if left:
                            self._stranded_tags[tag] = left
                job.state = "done"
            job.done.set()
            del job
