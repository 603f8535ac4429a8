"""Persistence decisions: a state class's values <-> its stored document, as plain data.

The session (``session.py``) reads and writes the store; this module says
what a stored document means for a class and what to store, without
touching the session:

* :func:`read_document` validates a stored document field by field;
* :func:`store_beats_url` is the precedence rule between a URL param and a
  stored value (the newest accepted change wins);
* :func:`on_first_use` is what a class used for the first time takes from
  the store (the URL is adopted after it: its params win, except the tab's
  own stale ones);
* :func:`on_late_read` is what a class takes when its stored document
  arrives after a failed or late read;
* :func:`on_identity_change` is what every class takes when the session's
  identity changes: the first identity a session gets (URL params and the
  session's own changes win, the rest comes from the store), or another
  person's (nothing of the previous identity stays);
* :func:`document_text` is what to store, as JSON text, so unchanged state
  is never rewritten; :func:`stored_document` adds what the precedence rule
  needs to know later: the URL the tab held when the values were saved.

Values go through each field's pydantic adapter (JSON mode) both ways; a
stored value that no longer validates is dropped with a warning.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .codecs import DecodeError, PartlyInvalid
from .errors import StateValidationError
from .log import log, shown
from .missing import MISSING
from .query import Query
from .schema import CompiledField, StateSchema, same_value
from .stores.base import Document, StoreError, encode_document
from .url import decode_param

FORMAT_VERSION = 1
"""Version of the stored document layout ``{"version": 1, "values": {field: json}, "seen": {param: [[text]]},
"confirmed": true}`` (the last two optional: documents without them are read as before)."""
MAX_SEEN_TEXT = 8 * 1024
"""Most URL text a document's ``seen`` keeps, all params together (past it, the URL wins for the rest)."""


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


def stored_document(
    document: Document, schema: StateSchema, values: Mapping[str, Any], *urls: Query, confirmed: bool
) -> Document:
    """``document`` with the class's params as the tab's address bar may hold them, and whether a person is there.

    ``urls`` are what the address bar may show as the values are saved: the
    URL the run works from, the query string the browser sent with it, and
    the URLs the session wrote lately (a run cut short by the next one
    writes none, so the address bar may lag behind by a few changes).
    ``seen`` keeps, per param, each text they hold that says something else
    than the value saved (only those can compete with it later), so a later
    page load can tell the tab's own stale URL from an edit
    (:func:`store_beats_url`); ``confirmed`` tells it the tab is a person's,
    whose documents are kept for their full lifetime.
    """
    seen: dict[str, list[list[str]]] = {}
    size = 0
    for param, f in schema.params.items():
        own: list[str] | None = None
        for url in urls:
            texts = url.get(param)
            if texts is None or texts in seen.get(param, ()):
                continue
            if own is None:
                own = f.codec.encode(values[f.name])
            size += sum(map(len, texts))
            if texts != own and size <= MAX_SEEN_TEXT:
                seen.setdefault(param, []).append(list(texts))
    result = {**document, "seen": seen}
    if confirmed:
        result["confirmed"] = True
    return result


@dataclass
class Fetched:
    """A class's stored values for one identity, validated field by field."""

    values: dict[str, Any] = field(default_factory=dict)
    """Field -> stored value that still fits the field."""
    failed: bool = False
    """The store could not be read (down, slow): nothing is known of what it holds. Never save the class
    until a read succeeds, or its defaults would replace the stored work."""
    seen: dict[str, list[list[str]]] | None = None
    """Param -> the URL texts the tab's address bar may have held when the values were saved; None: not
    recorded."""
    confirmed: bool = False
    """The document was saved for a tab a person used (see ``stored_document``)."""
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
    result = Fetched(clean=set(stored) <= set(persisted), seen=_seen(document.get("seen")))
    result.confirmed = document.get("confirmed") is True
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


def _seen(raw: object) -> dict[str, list[list[str]]] | None:
    """A document's ``seen`` URL params, validated (anything else: not recorded)."""
    if not isinstance(raw, dict):
        return None
    seen: dict[str, list[list[str]]] = {}
    for param, candidates in raw.items():
        if not isinstance(candidates, list) or not all(
            isinstance(texts, list) and all(isinstance(t, str) for t in texts) for texts in candidates
        ):
            return None
        seen[str(param)] = candidates
    return seen


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
    over_url: frozenset[str] = frozenset()
    """Fields whose stored value beats the URL's param (the tab's own stale URL): the URL is not
    adopted for them, and the param is rewritten."""


def store_beats_url(
    f: CompiledField, stored: Any, url: Query, own: Sequence[Query], seen: Mapping[str, list[list[str]]] | None
) -> bool:
    """Whether a stored value wins over the URL's param for field ``f``: the newest accepted change wins.

    A URL param wins, as a link or an edit always does, unless it is only
    the tab's own stale URL: every change is saved the moment it is made,
    but the URL is written at the end of the run, so a reload during the
    rest of the run (a chart drawn after the widgets) finds the old param
    in the address bar and the new value in the store. The store wins when
    all of these hold:

    * the param is in ``url`` and says something else than ``stored``;
    * one of ``own`` (what the tab's previous page showed as it began to
      leave and as it went, or the URL the page loaded with when that is not
      known) has the same text: the person did not edit it, and it is not a
      link;
    * the document records (``seen``) that the tab's address bar may have
      held that same text when the value was saved: the value is newer
      than the URL. (Without the record, or when the URL holds a text
      written after the save, e.g. while the store was down, the URL wins.)
    """
    if f.param is None or seen is None:
        return False
    texts = url.get(f.param)
    if texts is None or all(o.get(f.param) != texts for o in own) or texts not in seen.get(f.param, []):
        return False
    try:
        return not same_value(decode_param(f, texts), stored)
    except DecodeError:
        return True  # the URL's text is not even valid: the stored value beats it


def baseline_text(schema: StateSchema, fetched: Fetched) -> str | None:
    """What the store is known to hold, so unchanged state is never rewritten; None: unknown, the next save writes.

    Never known after a failed read: the caller keeps the class unsaved
    until a read succeeds.
    """
    if not fetched.clean or fetched.failed:
        return None
    values = {name: f.default() for name, f in schema.fields.items()} | fetched.values
    return document_text(schema, values)[1]


def on_first_use(
    schema: StateSchema, fetched: Fetched, values: Mapping[str, Any], url: Query, own: Sequence[Query]
) -> Restore:
    """A class used for the first time in the session takes every stored value (the URL is adopted after).

    URL params win (adopted after this), except those :func:`store_beats_url`
    gives to the store: ``over_url``, kept from the URL adoption and written
    back into the URL.
    """
    over = frozenset(
        name
        for name, value in fetched.values.items()
        if store_beats_url(schema.fields[name], value, url, own, fetched.seen)
    )
    repairs = {
        f.param for name, f in schema.fields.items() if name in fetched.values and f.param is not None
    }
    return Restore(
        values=dict(fetched.values),
        repairs={p for p in repairs if p not in url or schema.params[p].name in over},
        baseline=baseline_text(schema, fetched),
        over_url=over,
    )


def on_late_read(
    schema: StateSchema,
    fetched: Fetched,
    values: Mapping[str, Any],
    url: Query,
    own: Sequence[Query],
    *,
    untouched: Collection[str],
) -> Restore:
    """What a class takes when its stored document arrives after the read failed (the store was down or slow).

    The class started from the URL and its defaults. A field still
    ``untouched`` since then takes what it would have taken had the read
    come in time: the stored value, unless the URL's param wins
    (:func:`store_beats_url`). A field the person, the URL or code changed
    since keeps its value: that change is newer than anything stored.
    """
    new: dict[str, Any] = {}
    repairs: set[str] = set()
    over: set[str] = set()
    for name, stored in fetched.values.items():
        f = schema.fields[name]
        if name not in untouched:
            continue
        beats = store_beats_url(f, stored, url, own, fetched.seen)
        if f.param is not None and f.param in url and not beats:
            continue
        if not same_value(values[name], stored):
            new[name] = stored
        if f.param is not None:
            repairs.add(f.param)
        if beats:
            over.add(name)
    return Restore(values=new, repairs=repairs, baseline=baseline_text(schema, fetched), over_url=frozenset(over))


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
    baseline = baseline_text(schema, fetched) if persisted_fields(schema) else None
    return Restore(values=new, repairs=repairs, baseline=baseline, defaults=frozenset(new.keys() - fetched.values))


def on_tab_correction(
    schema: StateSchema,
    fetched: Fetched,
    values: Mapping[str, Any],
    url: Query,
    *,
    edited: Collection[str],
    over_url: Collection[str] = (),
) -> Restore:
    """What a class takes when the browser corrects the tab: the URL and this session's edits win.

    Every other field takes the (corrected or copied-from) tab's stored
    value or its default: nothing of a tab the session wrongly guessed may
    stay. That includes a field whose URL value its widget could not show:
    it went back to the value the URL displaced, the wrong tab's. A field in
    ``over_url`` took the wrong guess's stored value over the URL's param:
    it takes the URL's value, as it would have without the guess.
    """
    new: dict[str, Any] = {}
    repairs: set[str] = set()
    for name, f in schema.fields.items():
        if name in edited or not f.persist or _url_decides(f, url, values[name]):
            continue  # a field that is never stored was never guessed wrong
        linked = _url_value(f, url) if name in over_url else MISSING
        if linked is not MISSING:
            new[name] = linked
            continue
        new[name] = fetched.values.get(name, f.default())
        if name in fetched.values and f.param is not None:
            repairs.add(f.param)
    return Restore(
        values=new,
        repairs=repairs,
        baseline=baseline_text(schema, fetched),
        defaults=frozenset(new.keys() - fetched.values),
    )


def _url_value(f: CompiledField, url: Query) -> Any:
    """The value the URL's param gives field ``f``; MISSING when absent or invalid."""
    texts = url.get(f.param) if f.param is not None else None
    if texts is None:
        return MISSING
    try:
        return decode_param(f, texts)
    except DecodeError:
        return MISSING


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
