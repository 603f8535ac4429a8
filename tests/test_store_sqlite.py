"""SQLiteStore on a real database file: restarts, many threads, several processes, failures."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from st_page_state import persistence, testing
from st_page_state.stores import SQLiteStore, StoreError

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


def test_a_corrupt_stored_document_is_a_store_error(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "state.db")
    store.set("i", "n", {})
    with sqlite3.connect(tmp_path / "state.db") as db:
        db.execute("UPDATE st_page_state SET document = 'not json'")
    with pytest.raises(StoreError):
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
