"""SQLiteStore on a real database file: restarts, many threads, several processes, failures."""

from __future__ import annotations

import logging
import os
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from st_page_state import active_store as persistence
from st_page_state import testing
from st_page_state.log import MAX_SHOWN as LOG_TEXT_LIMIT
from st_page_state.stores import BadDocumentError, SQLiteStore, StoreError, StoreTimeoutError
from st_page_state.stores.guard import StoreGuard
from tests.threads import in_threads, timed

WRITER = """
import sys
from st_page_state.stores import SQLiteStore
store = SQLiteStore(sys.argv[1], deadline=10)
name = sys.argv[2]
for i in range(int(sys.argv[3])):
    store.set("proc:" + name, f"ns{i % 7}", {"writer": name, "i": i, "pad": [i] * 40})
    got = store.get("proc:" + name, f"ns{i % 7}")
    assert got is not None and got["i"] == i and got["pad"] == [i] * 40, got
    shared = store.get("shared", "ns")
    assert shared is None or shared["pad"] == [shared["i"]] * 40, shared
    store.set("shared", "ns", {"writer": name, "i": i, "pad": [i] * 40})
print("ok")
"""


def test_state_survives_a_new_store_on_the_same_file(tmp_path: Path) -> None:
    first = SQLiteStore(tmp_path / "state.db")
    first.set("tab:1", "app.py:Filters", {"version": 1, "values": {"status": "active"}})
    first.close()
    second = SQLiteStore(tmp_path / "state.db")
    assert second.get("tab:1", "app.py:Filters") == {"version": 1, "values": {"status": "active"}}


def test_the_database_is_in_wal_mode(tmp_path: Path) -> None:
    SQLiteStore(tmp_path / "state.db").set("i", "n", {})
    with sqlite3.connect(tmp_path / "state.db") as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_many_sessions_in_threads_never_see_a_torn_document(tmp_path: Path) -> None:
    # 16 threads in a tight loop on 2 cores: about consistency, not latency
    # (a store this overloaded may, rightly, miss a 0.5 s deadline).
    store = SQLiteStore(tmp_path / "state.db", deadline=10)
    errors: list[BaseException] = []
    start = threading.Barrier(16)

    def session(n: int) -> None:
        try:
            start.wait()
            for i in range(150):
                store.set(f"tab:{n}", "app.py:State", {"n": n, "i": i, "pad": [n * i] * 30})
                own = store.get(f"tab:{n}", "app.py:State")
                assert own == {"n": n, "i": i, "pad": [n * i] * 30}
                shared = store.get("user:shared", "app.py:State")
                assert shared is None or shared["pad"] == [shared["n"] * shared["i"]] * 30
                store.set("user:shared", "app.py:State", {"n": n, "i": i, "pad": [n * i] * 30})
        except BaseException as exc:  # collected and re-raised in the main thread
            errors.append(exc)

    threads = [threading.Thread(target=session, args=(n,)) for n in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    for n in range(16):
        assert store.get(f"tab:{n}", "app.py:State") == {"n": n, "i": 149, "pad": [n * 149] * 30}
    with sqlite3.connect(tmp_path / "state.db") as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("SELECT count(*) FROM st_page_state").fetchone()[0] == 17


def test_two_processes_write_one_file_at_the_same_time(tmp_path: Path) -> None:
    path = str(tmp_path / "state.db")
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, path, name, "400"], stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for name in ("a", "b", "c")
    ]
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err.decode()
        assert out.strip() == b"ok"
    store = SQLiteStore(path)
    for name in ("a", "b", "c"):
        assert store.get(f"proc:{name}", "ns0") == {"writer": name, "i": 399, "pad": [399] * 40}
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_an_unusable_path_raises_store_error_and_recovers(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "missing-dir" / "state.db")
    with pytest.raises(StoreError):
        store.set("i", "n", {"a": 1})
    with pytest.raises(StoreError):
        store.get("i", "n")
    (tmp_path / "missing-dir").mkdir()
    store.set("i", "n", {"a": 1})
    assert store.get("i", "n") == {"a": 1}


def test_a_corrupt_stored_document_is_bad_data(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "state.db")
    store.set("i", "n", {})
    with sqlite3.connect(tmp_path / "state.db") as db:
        db.execute("UPDATE st_page_state SET document = 'not json'")
    with pytest.raises(BadDocumentError):
        store.get("i", "n")
    with sqlite3.connect(tmp_path / "state.db") as db:
        db.execute("UPDATE st_page_state SET document = 12")  # not even text
    with pytest.raises(BadDocumentError):
        store.get("i", "n")


def test_stores_on_one_file_are_one_backend_for_the_app(tmp_path: Path) -> None:
    """``configure(store=SQLiteStore(path))`` at the top of a rerunning script keeps one connection."""
    first, second = SQLiteStore(tmp_path / "a.db"), SQLiteStore(str(tmp_path / "a.db"))
    other = SQLiteStore(tmp_path / "b.db")
    with testing.configured(store=first):
        assert persistence.active_store() is first
    with testing.configured(store=second):
        assert persistence.active_store() is first
    with testing.configured(store=other):
        assert persistence.active_store() is other


# ------------------------------------------------------------ faults
LOCK_HOLDER = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")
db.execute("INSERT OR REPLACE INTO st_page_state VALUES ('holder', 'ns', '{}', NULL)")
print("locked", flush=True)
sys.stdin.read()  # holds the write lock until the test closes stdin
db.execute("COMMIT")
"""


@contextmanager
def write_lock_held_by_another_process(path: Path) -> Iterator[None]:
    """Another process (another Streamlit server, a backup script) holds the file's write lock."""
    holder = subprocess.Popen(
        [sys.executable, "-c", LOCK_HOLDER, str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == b"locked"
        yield
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=30)


def test_a_lock_held_by_another_process_fails_each_call_after_its_own_deadline(tmp_path: Path) -> None:
    """The reported case: sessions waited one after another (7, 13, 18 ... 30 s).

    Now each waiting call fails after its own deadline: twelve sessions
    writing at once all get their answer after about one deadline.
    """
    path = tmp_path / "state.db"
    SQLiteStore(path).set("tab:seed", "ns", {"seed": 1})
    store = SQLiteStore(path, deadline=0.5)  # a fresh store: it even connects while the file is locked
    with write_lock_held_by_another_process(path):
        wall, results = in_threads(12, lambda n: store.set(f"tab:{n}", "ns", {"n": n}))
        assert all(isinstance(result, StoreTimeoutError) for _, result in results), results
        durations = sorted(duration for duration, _ in results)
        assert durations[0] > 0.3, durations  # they did wait for the lock...
        assert durations[-1] < 1.5, durations  # ...each for its own deadline, not in turn
        assert wall < 2.5, wall  # one process-wide lock held for the deadline would take 12 x 0.5 s
        # WAL: reads do not wait for the writer at all.
        took, document = timed(lambda: store.get("tab:seed", "ns"))
        assert document == {"seed": 1} and took < 0.3
    store.set("tab:after", "ns", {"ok": True})  # the lock is gone: writes work again
    assert store.get("tab:after", "ns") == {"ok": True}
    assert store.get("holder", "ns") == {}


def test_through_the_guard_a_locked_file_costs_one_deadline_and_one_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "state.db"
    store = SQLiteStore(path, deadline=0.5)
    store.set("tab:seed", "ns", {"seed": 1})
    guard = StoreGuard(store)
    with write_lock_held_by_another_process(path), caplog.at_level(logging.WARNING, logger="st_page_state"):
        wall, results = in_threads(12, lambda n: guard.write(f"tab:{n}", "ns", {"n": n}, None))
        assert [result.status for _, result in results] == ["failed"] * 12  # type: ignore[attr-defined]
        assert wall < 2.5, wall
        # During the pause after the outage, calls do not even wait.
        took, _ = timed(lambda: guard.write("tab:late", "ns", {}, None))
        assert took < 0.1
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1, warnings
    assert "database is locked" in warnings[0] or "deadline" in warnings[0], warnings
    health = guard.health()
    assert not health.healthy and health.failures >= 12 and health.outages == 1
    assert health.last_error is not None and len(health.last_error) <= LOG_TEXT_LIMIT


@pytest.mark.parametrize("removed", [("state.db",), ("state.db", "state.db-wal", "state.db-shm")], ids=["db", "db+wal"])
def test_a_database_file_deleted_while_running_is_noticed_and_created_again(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, removed: tuple[str, ...]
) -> None:
    """Before: writes went on into the deleted file, and vanished with it."""
    path = tmp_path / "state.db"
    store = SQLiteStore(path)
    store.set("tab:old", "ns", {"old": True})
    for name in removed:
        (tmp_path / name).unlink(missing_ok=True)
    assert not path.exists()
    with caplog.at_level(logging.WARNING, logger="st_page_state"):
        assert store.get("tab:old", "ns") is None  # the old file's content is gone, and the store says so
        store.set("tab:new", "ns", {"new": True})
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "was deleted" in warnings[0], warnings
    assert path.exists()
    with sqlite3.connect(path) as db:  # another process sees the write: it is in the file at the path
        assert db.execute("SELECT document FROM st_page_state").fetchall() == [('{"new":true}',)]
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert SQLiteStore(path).get("tab:new", "ns") == {"new": True}


def test_a_database_file_replaced_while_running_is_used_from_then_on(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "state.db"
    store = SQLiteStore(path)
    store.set("tab:1", "ns", {"from": "old file"})
    # Closed, so the old file's -wal journal is checkpointed and removed: a
    # journal left next to a replaced file would be mixed into it by SQLite.
    store.close()
    restored = SQLiteStore(tmp_path / "backup.db")
    restored.set("tab:1", "ns", {"from": "backup"})
    restored.close()
    (tmp_path / "backup.db").replace(path)
    with caplog.at_level(logging.WARNING, logger="st_page_state"):
        assert store.get("tab:1", "ns") == {"from": "backup"}
    assert any("was replaced" in r.getMessage() for r in caplog.records)


def test_sessions_share_a_few_connections(tmp_path: Path) -> None:
    """Streamlit runs each script run in a new thread: a connection per thread would pile up."""
    path = tmp_path / "state.db"
    store = SQLiteStore(path, max_connections=3)

    def session(n: int) -> None:
        for i in range(20):
            store.set(f"tab:{n}", "ns", {"i": i})

    in_threads(24, session)
    open_files = [os.readlink(fd) for fd in Path("/proc/self/fd").iterdir() if _is_link(fd)]
    assert 1 <= open_files.count(str(path)) <= 3, open_files
    store.close()
    open_files = [os.readlink(fd) for fd in Path("/proc/self/fd").iterdir() if _is_link(fd)]
    assert open_files.count(str(path)) == 0


def _is_link(fd: Path) -> bool:
    try:
        os.readlink(fd)
    except OSError:
        return False
    return True


def test_an_oversized_row_is_dropped_without_being_parsed(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    SQLiteStore(path).set("i", "n", {})
    with sqlite3.connect(path) as db:
        db.execute("UPDATE st_page_state SET document = ?", ('{"a":"' + "é" * 2_000_000 + '"}',))
    with pytest.raises(BadDocumentError, match="4000008 bytes, over the size limit of 65536 bytes"):
        SQLiteStore(path).get("i", "n")
