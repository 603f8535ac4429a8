"""The values a run reads, per thread, where a field read costs one C-level attribute lookup.

Reading ``FilterState.status`` is the hot path of every app: a page reads
its fields many times per run. A Python descriptor that finds the session,
checks the run and looks the value up costs a microsecond; a plain
attribute lookup costs a few dozen nanoseconds. So, once a class is synced
in a run, the values of its immutable fields are *published* into a
``threading.local`` on the class (``_st_run``), and each field name is a
property on the metaclass whose getter is ``operator.attrgetter("_st_run.<name>")``:
both are implemented in C. Streamlit runs each session's script in its own
thread, so one thread's published values are its session's.

A published value is only valid for the run that published it: the next
run on the same thread (Streamlit reruns in the same script thread when a
rerun is requested during a run) forgets them first, through the hook the
session installs on ``on_script_will_rerun``. A miss (nothing published:
the first read of a run, another thread, a mutable value) raises
``AttributeError`` in the getter, and Python falls back to the metaclass
``__getattr__``, the slow path that begins the run and syncs the class.

Lists, sets, dicts and models are never published: the slow path hands
out copies of them, so that mutating one in place cannot bypass
validation.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from operator import attrgetter
from typing import Any

LOCAL_ATTR = "_st_run"
"""The class attribute holding the ``threading.local`` of published values."""

_published = threading.local()
"""Per thread: the locals this thread published into during its current run."""


def new_store() -> threading.local:
    return threading.local()


def accessor(name: str) -> property:
    """The metaclass property for field ``name``: a C-level read of the published value."""
    return property(attrgetter(f"{LOCAL_ATTR}.{name}"))


def publish(store: threading.local, values: Mapping[str, Any], names: Iterable[str] | None) -> None:
    """Publish ``values`` for this thread's run (``names``: only those; None: every one)."""
    if names is None:
        store.__dict__.update(values)
    else:
        store.__dict__.update({name: values[name] for name in names})
    _remember(store)


def publish_one(store: threading.local, name: str, value: Any) -> None:
    setattr(store, name, value)
    _remember(store)


def unpublish_one(store: threading.local, name: str) -> None:
    store.__dict__.pop(name, None)


def forget_this_thread() -> None:
    """Drop everything this thread published: a new run (or a new URL) must sync first."""
    stores: dict[int, threading.local] | None = getattr(_published, "stores", None)
    if not stores:
        return
    for store in stores.values():
        store.__dict__.clear()
    stores.clear()


def _remember(store: threading.local) -> None:
    stores: dict[int, threading.local] | None = getattr(_published, "stores", None)
    if stores is None:
        stores = _published.stores = {}
    stores[id(store)] = store
