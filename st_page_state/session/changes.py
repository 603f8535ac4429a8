"""Every change of a field's value, and what the inspector records of it.

The lowest step of the session: :func:`assign` is the one function that
puts a new value into a session's runtime, whoever decided it (code, a
widget, the URL, the store); it pushes the value to the field's widgets,
calls ``on_change`` and marks the class unsaved. Where each value came
from, and the URL params the engine refused, are kept for the inspector.
"""

from __future__ import annotations

from typing import Any

from .. import registry, run_values, trace
from ..log import debugging, log, shown
from ..runtime import SessionRuntime
from ..schema import StateClass, StateSchema, same_value
from ..trace import Origin
from ..url import Rejection
from ..widgets import sync as widget_sync


def class_for(rt: SessionRuntime, ns: str) -> StateClass | None:
    found: StateClass | None = rt.classes.get(ns) or registry.lookup(ns)
    return found


def assign(rt: SessionRuntime, cls: StateClass, name: str, new: Any, *, user_change: bool, origin: Origin) -> None:
    schema = cls.__state_schema__
    ns = schema.namespace
    values = rt.values[ns]
    old = values[name]
    if same_value(old, new):
        return
    values[name] = new
    record_origin(rt, schema, name, new, origin)
    rt.unsaved.add(ns)
    rt.run.assigned.setdefault(ns, set()).add(name)
    if rt.run.publishing and ns in rt.run.synced:
        store = getattr(cls, run_values.LOCAL_ATTR)
        if schema.fields[name].immutable:
            run_values.publish_one(store, name, new)
        else:
            run_values.unpublish_one(store, name)
    if user_change:
        rt.run.changed.setdefault(ns, set()).add(name)
        rt.edited.setdefault(ns, set()).add(name)
        if schema.config.url_selfish:
            rt.run.focused.add(ns)
    if rt.widgets:
        widget_sync.push(rt.widgets.for_field(ns, name), new)
    cls.on_change(name, old, new)


_ORIGIN_WORDS: dict[Origin, str] = {
    "default": "its default",
    "url": "the URL",
    "store": "the store",
    "widget": "a widget",
    "code": "code",
}


def record_origin(rt: SessionRuntime, schema: StateSchema, name: str, value: Any, origin: Origin) -> None:
    """Remember where a field's new value came from (called only when the value changed)."""
    rt.origins.setdefault(schema.namespace, {})[name] = origin
    if debugging():
        log.debug("%s.%s = %s (from %s)", schema.name, name, shown(value), _ORIGIN_WORDS[origin])


def restore_value(rt: SessionRuntime, schema: StateSchema, name: str, value: Any) -> None:
    """A stored value a class takes on its first use (before the URL is adopted; not a change to report)."""
    values = rt.values[schema.namespace]
    old, values[name] = values[name], value
    if not same_value(old, value):
        record_origin(rt, schema, name, value, "store")


def record_rejection(rt: SessionRuntime, rejection: Rejection) -> None:
    rt.rejected = trace.kept(rt.rejected, trace.rejected_param(rejection))
