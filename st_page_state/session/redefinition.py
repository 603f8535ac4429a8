"""A class defined again: the main script runs its class statements on every run, a hot reload changes them.

The session keeps each class's values across redefinitions; a field that
was added gets its default, a removed one is dropped, and a value whose
field type is a new object (an Enum declared in the script) is moved into
the new type through its JSON form.
"""

from __future__ import annotations

from typing import Any

from pydantic_core import to_jsonable_python

from ..schema import StateClass, StateSchema


def follow_redefinition(schema: StateSchema, previous: StateClass | None, values: dict[str, Any]) -> None:
    """The class object is new (the main script defines it again each run): keep the values fitting it."""
    if previous is not None and previous.__state_schema__ is schema:
        return  # redefined identically: the compiled schema was reused
    for name, f in schema.fields.items():  # the class changed (hot reload): add new fields
        if name not in values:
            values[name] = f.default()
    for stale in values.keys() - schema.fields.keys():
        del values[stale]
    if previous is not None and previous.__state_schema__ is not schema:
        _revalidate_after_redefinition(previous.__state_schema__, schema, values)


def _revalidate_after_redefinition(old: StateSchema, new: StateSchema, values: dict[str, Any]) -> None:
    """Carry values over to a redefined class whose field types are new objects.

    The main script defines its classes again on every run; an Enum (or a
    model) declared there is a new class each time, so a stored member of
    the old one would no longer equal the new members. Values are moved
    through their JSON form into the new type. Fields whose annotation is
    unchanged (``int``, ``list[str]``, imported types) are skipped, which
    keeps a rerun cheap.
    """
    for name, f in new.fields.items():
        before = old.fields.get(name)
        if before is None or before.annotation == f.annotation or name not in values:
            continue
        try:
            values[name] = f.adapter.validate_python(to_jsonable_python(values[name]))
        except Exception:
            values[name] = f.default()
