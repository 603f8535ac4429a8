"""Where state persists across reloads: memory (default), SQLite, Redis.

``RedisStore`` is imported on first access so that the ``redis`` client
stays an optional dependency.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .base import BadDocumentError, Document, Store, StoreError, StoreFullError, StoreTimeoutError
from .memory import MemoryStore
from .sqlite import SQLiteStore

if TYPE_CHECKING:
    from .redis import RedisStore

__all__ = [
    "BadDocumentError",
    "Document",
    "MemoryStore",
    "RedisStore",
    "SQLiteStore",
    "Store",
    "StoreError",
    "StoreFullError",
    "StoreTimeoutError",
]


def __getattr__(name: str) -> Any:
    if name == "RedisStore":
        from .redis import RedisStore

        return RedisStore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
