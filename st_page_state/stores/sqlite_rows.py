"""The SQL of :class:`~st_page_state.stores.SQLiteStore`: its table, and writing a batch within the budget.

One table, ``st_page_state``, one row per document. The budget
(``max_documents``) needs to count the rows without a table scan on every
write, and to find the oldest provisional and idle rows: a one-row table
that triggers keep up to date, and an index by (provisional, written_at).
A file made by an earlier version (no ``written_at``, ``provisional``) is
upgraded in place when a connection opens; its rows count as idle.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from .base import EncodedWrite

PURGE_LIMIT = 200
"""Most expired rows one purge deletes, so a purge never makes a write slow."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS st_page_state (
    identity TEXT NOT NULL,
    namespace TEXT NOT NULL,
    document TEXT NOT NULL,
    expires_at REAL,
    written_at REAL,
    provisional INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (identity, namespace)
) WITHOUT ROWID
"""
_ADDED_COLUMNS = {"written_at": "REAL", "provisional": "INTEGER NOT NULL DEFAULT 0"}
"""Columns a table made by an earlier version lacks (added when a connection opens)."""
_BUDGET_SCHEMA = """
CREATE INDEX IF NOT EXISTS st_page_state_age ON st_page_state (provisional, written_at);
CREATE TABLE IF NOT EXISTS st_page_state_count (id INTEGER PRIMARY KEY CHECK (id = 0), documents INTEGER NOT NULL);
INSERT OR IGNORE INTO st_page_state_count VALUES (0, (SELECT count(*) FROM st_page_state));
CREATE TRIGGER IF NOT EXISTS st_page_state_added AFTER INSERT ON st_page_state
BEGIN UPDATE st_page_state_count SET documents = documents + 1 WHERE id = 0; END;
CREATE TRIGGER IF NOT EXISTS st_page_state_removed AFTER DELETE ON st_page_state
BEGIN UPDATE st_page_state_count SET documents = documents - 1 WHERE id = 0; END;
"""
"""The budget's bookkeeping: the documents counted by triggers (no table scan), and an index by age."""
_MADE = {"st_page_state", "st_page_state_age", "st_page_state_count", "st_page_state_added", "st_page_state_removed"}


@dataclass(frozen=True)
class Budget:
    max_documents: int | None
    protect_before: float
    """Documents written before this (wall-clock) time may be evicted."""


def write_rows(db: sqlite3.Connection, rows: list[EncodedWrite], now: float, budget: Budget, purge: bool) -> list[int]:
    """Upsert ``rows`` in one transaction; the indexes of those refused because the budget is full."""
    refused: list[int] = []
    db.execute("BEGIN IMMEDIATE")
    try:
        for row in rows:
            if budget.max_documents is not None and not make_room(db, row, budget, now):
                refused.append(row.position)
                continue
            db.execute(
                "INSERT INTO st_page_state (identity, namespace, document, expires_at, written_at, provisional) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (identity, namespace) DO UPDATE SET "
                "document = excluded.document, expires_at = excluded.expires_at, "
                "written_at = excluded.written_at, provisional = excluded.provisional",
                (row.identity, row.namespace, row.text, None if row.lifetime is None else now + row.lifetime,
                 now, int(row.provisional)),
            )
        if purge:
            db.execute(
                "DELETE FROM st_page_state WHERE (identity, namespace) IN ("
                "SELECT identity, namespace FROM st_page_state "
                "WHERE expires_at IS NOT NULL AND expires_at <= ? LIMIT ?)",
                (now, PURGE_LIMIT),
            )
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise
    return refused


def make_room(db: sqlite3.Connection, row: EncodedWrite, budget: Budget, now: float) -> bool:
    """Whether ``row`` fits the budget, after evicting: expired, then provisional, then idle documents."""
    key = (row.identity, row.namespace)
    if db.execute("SELECT 1 FROM st_page_state WHERE identity = ? AND namespace = ?", key).fetchone():
        return True  # an update: the count does not grow
    (count,) = db.execute("SELECT documents FROM st_page_state_count WHERE id = 0").fetchone()
    assert budget.max_documents is not None
    excess = count + 1 - budget.max_documents
    if excess <= 0:
        return True
    victims = db.execute(
        "SELECT identity, namespace FROM st_page_state WHERE expires_at IS NOT NULL AND expires_at <= ? LIMIT ?",
        (now, excess),
    ).fetchall()
    for provisional, before in ((1, now + 1.0), (0, budget.protect_before)):
        if len(victims) >= excess:
            break
        victims += db.execute(
            "SELECT identity, namespace FROM st_page_state WHERE provisional = ? "
            "AND (written_at IS NULL OR written_at < ?) ORDER BY written_at LIMIT ?",
            (provisional, before, excess - len(victims) + 1),
        ).fetchall()
    victims = [v for v in dict.fromkeys(map(tuple, victims)) if v != key][:excess]
    if len(victims) < excess:
        return False
    db.executemany("DELETE FROM st_page_state WHERE identity = ? AND namespace = ?", victims)
    return True


def prepare(db: sqlite3.Connection) -> None:
    """Create the table (or add what an earlier version's lacks) and the budget's bookkeeping.

    Read-only when everything is there already, so a connection opens while
    another process holds the write lock.
    """
    made = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE name LIKE 'st_page_state%'")}
    if made >= _MADE:
        return
    db.execute(_SCHEMA)
    present = {row[1] for row in db.execute("PRAGMA table_info(st_page_state)")}
    for column, kind in _ADDED_COLUMNS.items():
        if column not in present:
            try:
                db.execute(f"ALTER TABLE st_page_state ADD COLUMN {column} {kind}")
            except sqlite3.OperationalError as exc:
                if "duplicate column" not in str(exc):  # another process added it first
                    raise
    db.executescript(_BUDGET_SCHEMA)
