"""Persistence decisions: a state class's values <-> its stored document, as plain data.

The session (``session.py``) reads and writes the store; this module says
what a stored document means for a class and what to store, without
touching the session:

* :func:`read_document` validates a stored document field by field;
* :func:`on_first_use` is what a class used for the first time takes from
  the store (the URL is adopted after it, so URL params win);
* :func:`on_identity_change` is what every class takes when the session's
  identity changes: the first identity a session gets (URL params and the
  session's own changes win, the rest comes from the store), or another
  person's (nothing of the previous identity stays);
* :func:`document_text` is what to store, as JSON text, so unchanged state
  is never rewritten.

Values go through each field's pydantic adapter (JSON mode) both ways; a
stored value that no longer validates is dropped with a warning.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from .codecs import DecodeError, PartlyInvalid
from .errors import StateValidationError
from .log import log, shown
from .query import Query
from .schema import CompiledField, StateSchema, same_value
from .stores.base import Document, StoreError, encode_document
from .url import decode_param

FORMAT_VERSION = 1
"""Version of the stored document layout ``{"version": 1, "values": {field: json}}``."""


def persisted_fields(schema: StateSchema) -> dict[str, CompiledField]:
    return {name: f for name, f in schema.fields.items() if f.persist}


def make_document(schema: StateSchema, values: Mapping[str, Any]) -> Document:
    """The stored form of a class's persisted values (JSON through each field's adapter)."""
    return document_text(schema, values)[0]


def document_text(schema: StateSchema, values: Mapping[str, Any]) -> tuple[Document, str, list[str]]:
    """The document to store, its JSON text, and the fields left out because JSON cannot carry them.

    A field holding NaN or infinity (set from code; the URL refuses them)
    is left out, so it never stops the other fields from being saved.
    """
    stored: dict[str, Any] = {}
    skipped: list[str] = []
    for name, f in persisted_fields(schema).items():
        try:
            # warnings=False: an Enum or model class defined in the main
            # script is redefined on every rerun, so a value from an earlier
            # run is not an instance of the adapter's class. It still
            # serializes by value, and the load side validates everything.
            stored[name] = f.adapter.dump_python(values[name], mode="json", warnings=False)
        except Exception:
            skipped.append(name)
    document: Document = {"version": FORMAT_VERSION, "values": stored}
    try:
        return document, encode_document(document), skipped
    except StoreError:
        pass
    for name in list(stored):  # rare: find the fields JSON refuses (NaN, infinity)
        try:
            encode_document({"v": stored[name]})
        except StoreError:
            skipped.append(name)
            del stored[name]
    return document, encode_document(document), skipped


@dataclass
class Fetched:
    """A class's stored values for one identity, validated field by field."""

    values: dict[str, Any] = field(default_factory=dict)
    """Field -> stored value that still fits the field."""
    failed: bool = False
    """The store could not be read: the session carries on with what it has."""
    clean: bool = True
    """False when the stored document held something that was dropped (it gets rewritten)."""
    warnings: list[str] = field(default_factory=list)
    """What the visitor should be told (a stored value that no longer fits)."""


def read_document(schema: StateSchema, document: Document | None) -> Fetched:
    """Validate a stored document for ``schema``; fields that no longer fit are dropped with a warning."""
    if document is None:
        return Fetched()
    stored = document.get("values")
    if document.get("version") != FORMAT_VERSION or not isinstance(stored, dict):
        log.warning("ignored a stored %s document in an unknown format", schema.name)
        return Fetched(clean=False)
    persisted = persisted_fields(schema)
    result = Fetched(clean=set(stored) <= set(persisted))
    for name, raw in stored.items():
        f = persisted.get(name)
        if f is None:
            continue  # a field that was removed or stopped persisting
        try:
            result.values[name] = f.validate(raw)
        except StateValidationError as exc:
            result.clean = False
            result.warnings.append(
                f"The saved value of {schema.name}.{name} no longer fits the field ({shown(exc.detail, 120)}); "
                "it was dropped and the field starts from its default."
            )
    return result


@dataclass(frozen=True)
class Restore:
    """What one class takes from the store."""

    values: dict[str, Any]
    """Field -> value to assign (not a user change)."""
    repairs: set[str]
    """Params to put back in the URL (a restored value whose param is missing)."""
    baseline: str | None
    """The JSON text the store holds for the class afterwards; None: unknown, the next save writes."""
    defaults: frozenset[str] = frozenset()
    """Fields in ``values`` that take their default, the store holding nothing for them (the others
    come from the store)."""


def baseline_text(schema: StateSchema, fetched: Fetched, values: Mapping[str, Any]) -> str | None:
    """What the store is known to hold, so unchanged state is never rewritten.

    After a failed read the session's current values count as stored: a
    store that comes back must not get this session's defaults written over
    the state it holds, only the user's later changes.
    """
    if not fetched.clean:
        return None
    if not fetched.failed:
        values = {name: f.default() for name, f in schema.fields.items()} | fetched.values
    return document_text(schema, values)[1]


def on_first_use(schema: StateSchema, fetched: Fetched, values: Mapping[str, Any], url: Query) -> Restore:
    """A class used for the first time in the session takes every stored value (the URL is adopted after)."""
    repairs = {f.param for name, f in schema.fields.items() if name in fetched.values and f.param is not None}
    restored = {**values, **fetched.values}
    return Restore(
        values=dict(fetched.values),
        repairs={p for p in repairs if p not in url},
        baseline=baseline_text(schema, fetched, restored),
    )


def on_identity_change(
    schema: StateSchema,
    fetched: Fetched,
    values: Mapping[str, Any],
    url: Query,
    *,
    protected: Collection[str],
    keep_url: bool,
) -> Restore:
    """What a class the session already uses takes when the identity changes.

    ``keep_url`` (the session's first identity): params present and valid in
    the URL win, everything else comes from the store. Otherwise (another
    person): each field takes the new identity's stored value or its
    default. Fields in ``protected`` changed in this run and keep their value.
    """
    new: dict[str, Any] = {}
    repairs: set[str] = set()
    for name, f in schema.fields.items():
        if name in protected:
            continue
        if keep_url:
            if name not in fetched.values or _url_decides(f, url, values[name]):
                continue
            new[name] = fetched.values[name]
        else:
            new[name] = fetched.values.get(name, f.default())
        if name in fetched.values and f.param is not None:
            repairs.add(f.param)
    baseline = baseline_text(schema, fetched, {**values, **new}) if persisted_fields(schema) else None
    return Restore(values=new, repairs=repairs, baseline=baseline, defaults=frozenset(new.keys() - fetched.values))


def on_tab_correction(
    schema: StateSchema, fetched: Fetched, values: Mapping[str, Any], url: Query, *, edited: Collection[str]
) -> Restore:
    """What a class takes when the browser corrects the tab: the URL and this session's edits win.

    Every other field takes the (corrected or copied-from) tab's stored
    value or its default: nothing of a tab the session wrongly guessed may
    stay. That includes a field whose URL value its widget could not show:
    it went back to the value the URL displaced, the wrong tab's.
    """
    new: dict[str, Any] = {}
    repairs: set[str] = set()
    for name, f in schema.fields.items():
        if name in edited or not f.persist or _url_decides(f, url, values[name]):
            continue  # a field that is never stored was never guessed wrong
        new[name] = fetched.values.get(name, f.default())
        if name in fetched.values and f.param is not None:
            repairs.add(f.param)
    return Restore(
        values=new,
        repairs=repairs,
        baseline=baseline_text(schema, fetched, {**values, **new}),
        defaults=frozenset(new.keys() - fetched.values),
    )


def _url_decides(f: CompiledField, url: Query, value: Any) -> bool:
    """Whether the URL decides this field: its param is there, decodes, and the field holds what it says.

    An invalid param was rejected; a valid one the field does not hold was
    refused later (its widget could not show it).
    """
    if f.param is None:
        return False
    texts = url.get(f.param)
    if texts is None:
        return False
    try:
        decoded = decode_param(f, texts)
    except PartlyInvalid as exc:  # the field took the valid members
        decoded = exc.kept
    except DecodeError:
        return False
    return same_value(decoded, value)
