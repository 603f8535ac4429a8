"""Which store the app uses: the one ``configure(store=...)`` names, one per backend per process.

Streamlit reruns the main script, so ``configure(store=SQLiteStore(...))``
builds a new store object on every run; two stores with the same
``shared_key()`` are one backend, and the first one built keeps serving
(its connection and its failure state).
"""

from __future__ import annotations

import threading
from collections.abc import Hashable

from .settings import SETTINGS
from .stores.base import Store
from .stores.guard import StoreGuard, guard_for
from .stores.memory import MemoryStore

_default: list[MemoryStore] = []
_shared: dict[Hashable, Store] = {}
_lock = threading.Lock()


def active_store() -> Store | None:
    """The configured store; the process's memory store by default; None when persistence is off."""
    setting = SETTINGS.store
    if setting is False:
        return None
    if setting is None:
        with _lock:
            if not _default:
                _default.append(MemoryStore())
            return _default[0]
    key = setting.shared_key()
    if key is None:
        return setting
    with _lock:
        return _shared.setdefault(key, setting)


def active_guard() -> StoreGuard | None:
    """The configured store behind its failure guard, or None when persistence is off."""
    store = active_store()
    return None if store is None else guard_for(store)
