"""Deep links without a session: a state's query params for given values, and typed values back.

``PageState.link(**values)`` and ``PageState.parse(query)`` are these pure
functions of the compiled schema. Neither keeps its own rules: a link is
written with each field's codec (``url_prefix``, ``value_map``, repeated
keys) and the engine's ``clear_on_default`` rule, and a query is read by the
engine's own adoption (``url.adopt``), so a link opens exactly the state it
names and ``parse`` reads a query exactly as a page that receives it would.
Anchored on nuqs' ``createSerializer`` and ``createLoader``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeAlias
from urllib.parse import urlsplit

from .codecs import DecodeError
from .errors import LinkError, StateValidationError, UnknownFieldError
from .log import shown
from .query import Query
from .schema import CompiledField, StateSchema, same_value
from .url import adopt, decode_param


class LinkParams(dict[str, str | list[str]]):
    """The query params of a link: ``{param: text}``, or ``{param: [text, ...]}`` for a repeated key.

    A dict, so ``st.page_link(page, query_params=...)`` and
    ``st.switch_page(page, query_params=...)`` take it as it is. ``|`` merges
    the links of several states and raises :class:`~st_page_state.errors.LinkError`
    when two of them give one param different values: a URL holds one value
    per param, and silently keeping either would open a state nobody asked for.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._owners: dict[str, str] = {}
        """Who set each param (``"FilterState.status"``), for a conflict's message."""

    def href(self, page: str = "") -> str:
        """``page`` followed by the query string (``"tasks?status=done"``), for ``st.link_button`` and Markdown.

        Encoded the way the engine writes the address bar (and Streamlit's
        ``urlencode``): ``page=2&tag=a&tag=b``. ``""`` for ``page`` gives a
        link to the current page.
        """
        encoded = Query((key, _texts(value)) for key, value in self.items()).encode()
        return f"{page}?{encoded}" if encoded else page

    def __or__(self, other: Mapping[str, Any]) -> LinkParams:  # type: ignore[override]
        if not isinstance(other, Mapping):
            return NotImplemented
        merged = self.copy()
        merged._merge(other)
        return merged

    def __ror__(self, other: Mapping[str, Any]) -> LinkParams:  # type: ignore[override]
        if not isinstance(other, Mapping):
            return NotImplemented
        merged = LinkParams(other)
        merged._merge(self)
        return merged

    def __ior__(self, other: Mapping[str, Any]) -> LinkParams:  # type: ignore[override]
        self._merge(other)
        return self

    def copy(self) -> LinkParams:
        duplicate = LinkParams(self)
        duplicate._owners = dict(self._owners)
        return duplicate

    def _merge(self, other: Mapping[str, Any]) -> None:
        owners = other._owners if isinstance(other, LinkParams) else {}
        for key, value in other.items():
            if key in self and _texts(self[key]) != _texts(value):
                mine = self._owners.get(key, "one link")
                theirs = owners.get(key, "the other")
                raise LinkError(
                    f"the links set the query param {key!r} twice: {mine} gives {shown(self[key])}, "
                    f"{theirs} gives {shown(value)}. A URL holds one value per param: give one of "
                    "the fields another url_key (or its class a Config.url_prefix)."
                )
            self[key] = value
            if key in owners:
                self._owners[key] = owners[key]


def _texts(value: Any) -> list[str]:
    """A param's value as its texts, the way Streamlit reads ``query_params`` values (``str()`` of each)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, Iterable):
        return [str(item) for item in value]
    return [str(value)]


def link(schema: StateSchema, values: Mapping[str, Any]) -> LinkParams:
    """The params of a link to the state ``values`` describe, every other field at its default.

    Every value named is in the link, also one equal to its default in a
    field that clears on default: a link that left it out would open with
    whatever value the tab holds, not the one the caller named.
    """
    state = {name: f.default() for name, f in schema.fields.items() if f.param is not None}
    named = link_overrides(schema, values)
    state.update(named)
    return encode_params(schema, state, named=named.keys())


def link_overrides(schema: StateSchema, values: Mapping[str, Any]) -> dict[str, Any]:
    """``values`` validated like writes, refusing unknown fields and fields that live outside the URL."""
    validated: dict[str, Any] = {}
    for name, value in values.items():
        f = schema.fields.get(name)
        if f is None:
            raise UnknownFieldError(schema.name, name, schema.fields)
        if f.param is None:
            raise LinkError(
                f"{schema.name}.{name} has no url_key: it lives in the session only and cannot travel in "
                f"a link. Give it StateVar(url_key=...) to put it in URLs."
            )
        validated[name] = _travelling(f, f.validate(value))
    return validated


def _travelling(f: CompiledField, value: Any) -> Any:
    """``value``, once sure that a page opened with its URL text would hold it again.

    Some valid values do not survive the URL: text over the engine's length
    limit is refused, ``[""]`` reads back as ``[]``, ``""`` in an optional
    field as ``None``. A link that opens another state than the one it
    names is a bug to report where the link is made.
    """
    texts = f.codec.encode(value)
    try:
        back = decode_param(f, texts)
    except DecodeError as exc:
        reason = f"in a link, a page would refuse its URL text: {exc}"
        raise StateValidationError(f.owner, f.name, value, reason) from None
    if not same_value(back, value):
        raise StateValidationError(
            f.owner, f.name, value, f"in a link, its URL text {shown('&'.join(texts))} reads back as {shown(back)}"
        )
    return value


def encode_params(schema: StateSchema, values: Mapping[str, Any], *, named: Collection[str] = ()) -> LinkParams:
    """The params for ``values`` (a value per URL field) as the engine writes them.

    A param whose field clears on default is left out at the default,
    unless its field is in ``named`` (the caller asked for that value); a
    repeated key is a list even with one text, so the shape follows the
    field, not the value.
    """
    params = LinkParams()
    for param, f in schema.params.items():
        value = values[f.name]
        if f.clear_on_default and f.name not in named and f.is_default(value):
            continue
        texts = f.codec.encode(value)
        params[param] = texts if f.codec.kind == "repeated" else texts[0]
        params._owners[param] = f"{schema.name}.{f.name}"
    return params


@dataclass(frozen=True)
class RejectedParam:
    """A param whose text its field cannot take; the field is at its default in the parsed values."""

    field: str
    param: str
    texts: tuple[str, ...]
    reason: str

    def __str__(self) -> str:
        return f"{self.param}={shown('&'.join(self.texts))}: {self.reason}"


class ParsedQuery(dict[str, Any]):
    """Typed values read from a query: every field of the state, at its default where the query has no valid text.

    ``rejected`` says which params were refused and why, by field name
    (empty when every param was valid). A list or set param with some
    invalid members keeps the valid ones, and ``rejected`` names the others.
    """

    def __init__(self, values: Mapping[str, Any], rejected: Mapping[str, RejectedParam]) -> None:
        super().__init__(values)
        self.rejected: dict[str, RejectedParam] = dict(rejected)


QueryInput: TypeAlias = Mapping[str, object] | str


def parse(schema: StateSchema, query: QueryInput) -> ParsedQuery:
    """The state's values as a page receiving ``query`` would adopt them, with no session.

    Every present param goes through the engine's adoption of a deep link
    (``url.adopt`` on first load): the same decoding, limits and reasons.
    Params of other states are ignored.
    """
    values = {name: f.default() for name, f in schema.fields.items()}
    adoption = adopt(schema, values, query_of(query), None, first_load=True, history_navigation=False)
    values.update(adoption.values)
    rejected = {r.field.name: _rejected(r.field, r.texts, r.reason) for r in adoption.rejected}
    return ParsedQuery(values, rejected)


def _rejected(f: CompiledField, texts: list[str], reason: str) -> RejectedParam:
    assert f.param is not None
    return RejectedParam(field=f.name, param=f.param, texts=tuple(texts), reason=reason)


def query_of(source: QueryInput) -> Query:
    """``source`` as a :class:`Query`: a query string or URL, or a mapping of param to text(s).

    Repeated keys are kept: a list value, or a multi-valued mapping's
    ``get_all``/``getlist``/``getall``; other values are read as ``str()``
    of each, as Streamlit reads ``query_params``.
    """
    if isinstance(source, str):
        return Query.parse(_query_text(source))
    if not isinstance(source, Mapping):
        raise TypeError(f"parse() takes a query string or a mapping of params, not {type(source).__name__}")
    every = _all_values_getter(source)
    query = Query()
    for key in source.keys():
        value = every(key) if every is not None else source[key]
        if value is not None:  # a mapping built from optional arguments: None is "not given"
            query[str(key)] = _texts(value)
    return query


def _query_text(text: str) -> str:
    """The query part of a URL (``https://host/tasks?a=1#top``), a path with a query (``tasks?a=1``,
    what ``LinkParams.href`` writes) or a bare query string (``?a=1``, ``a=1``)."""
    if "://" in text:
        return urlsplit(text).query
    head, question, tail = text.partition("?")
    if question and "=" not in head and "&" not in head:
        text = tail
    return text.partition("#")[0]


def _all_values_getter(source: Mapping[str, Any]) -> Any:
    """The mapping's "every value of a key" method: ``st.query_params.get_all``, Starlette's and
    Werkzeug's ``getlist``, aiohttp's ``getall``; None for a plain dict."""
    for name in ("get_all", "getlist", "getall"):
        getter = getattr(source, name, None)
        if callable(getter):
            return getter
    return None
