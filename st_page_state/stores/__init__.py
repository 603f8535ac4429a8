"""Where state persists across reloads: memory (default), SQLite, Redis.

``RedisStore`` is imported on first access so that the ``redis`` client
stays an optional dependency.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .base import Document, Store, StoreError
from .memory import MemoryStore
from .sqlite import SQLiteStore

if TYPE_CHECKING:
    from .redis import RedisStore

__all__ = ["Document", "MemoryStore", "RedisStore", "SQLiteStore", "Store", "StoreError"]


def __getattr__(name: str) -> Any:
    if name == "RedisStore":
        from .redis import RedisStore

        return RedisStore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
