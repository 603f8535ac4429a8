"""The values a run reads, per thread, where a field read costs one C-level attribute lookup.

Reading ``FilterState.status`` is the hot path of every app: a page reads
its fields many times per run. A Python descriptor that finds the session,
checks the run and looks the value up costs a microsecond; a plain
attribute lookup costs a few dozen nanoseconds. So, once a class is synced
in a run, the values of its immutable fields are *published* into a
``threading.local`` of the class (its *store*), and each field is a property
of the class's own metaclass whose getter is
``functools.partial(getattr, store, "<name>")``: all of it implemented in C.
Streamlit runs each session's script in its own thread, so one thread's
published values are its session's. A class the main script defines again
on every run keeps its metaclass and store (:func:`accessors`). Where
nothing was published for this thread (the run's first read of the class,
another thread, a mutable value), the store's class attribute for the field
takes the slow path that begins the run and syncs the class.

A published value is only valid for the run that published it: the next
run on the same thread (Streamlit reruns in the same script thread when a
rerun is requested during a run, or ``st.rerun()`` is called) forgets them
first, through the hook the session installs on the run context's ``reset``.

Lists, sets, dicts and models are never published: the slow path hands
out copies of them, so that mutating one in place cannot bypass
validation.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping
from functools import partial
from typing import Any

LOCAL_ATTR = "_st_run"
"""The class attribute holding the class's store (the session's code finds it there)."""

_ACCESSORS: dict[str, tuple[type, tuple[str, ...], type, threading.local]] = {}
"""Per namespace: the metaclass a class was given, for which parent metaclass and fields, and its store."""

_published = threading.local()
"""Per thread: the locals this thread published into during its current run."""


SlowRead = Callable[[str, str], Any]
"""``(namespace, field) -> value``: a read that syncs the class in this run first."""


class _Unpublished:
    """A store's class attribute for one field: found only when this thread published nothing for it.

    A non-data descriptor, so a published value (in the thread's instance
    dict) wins; otherwise its ``__get__`` takes the slow path. It never
    raises ``AttributeError``: the metaclass property reads the store with
    ``getattr(store, name, default)``, which would swallow it.
    """

    __slots__ = ("field", "namespace", "read")

    def __init__(self, namespace: str, field: str, read: SlowRead) -> None:
        self.namespace, self.field, self.read = namespace, field, read

    def __get__(self, store: object, owner: type | None = None) -> Any:
        if store is None:
            return self
        try:
            return self.read(self.namespace, self.field)
        except AttributeError as exc:
            raise RuntimeError(f"reading {self.field} failed: {exc}") from exc


def accessors(parent: type, namespace: str, fields: tuple[str, ...], read: SlowRead) -> tuple[type, threading.local]:
    """The metaclass whose properties read ``fields`` from a store, and that store, for one class.

    Shared by every definition of the class (same namespace, same fields),
    so a class the main script defines on every rerun costs no new
    metaclass. A field nothing was published for is read by ``read``.
    """
    cached = _ACCESSORS.get(namespace)
    if cached is not None and cached[0] is parent and cached[1] == fields:
        return cached[2], cached[3]
    label = namespace.rpartition(".")[2].rpartition(":")[2]
    store_type = type(f"{label}Values", (threading.local,), {f: _Unpublished(namespace, f, read) for f in fields})
    store = store_type()
    meta = type(f"{label}Fields", (parent,), {f: property(partial(getattr, store, f)) for f in fields})
    _ACCESSORS[namespace] = (parent, fields, meta, store)
    return meta, store


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
