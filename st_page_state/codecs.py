"""Value <-> URL text, one codec per field, compiled at class creation.

The URL is meant to be read and edited by people, so each type gets the
plainest text that round-trips: repeated keys for collections
(``?tag=a&tag=b``), ISO 8601 for dates and times, ``true``/``false`` for
bools, enums by value. Only dicts, models and nested structures, for which
no plain form exists, become compact JSON.

Parsing is delegated to pydantic: the codec turns URL text into Python
values just far enough for the field's ``TypeAdapter`` to validate them
(with every ``Annotated`` constraint), never casting by hand what pydantic
already knows how to parse.
"""

from __future__ import annotations

import datetime as dt
import enum
import types
import typing
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal, Union
from uuid import UUID

from pydantic import TypeAdapter, ValidationError

from .errors import validation_reason
from .log import shown

TRUE_TEXT = "true"
FALSE_TEXT = "false"

_SCALAR_TYPES: tuple[type, ...] = (
    str, int, float, bool, Decimal, UUID, dt.date, dt.datetime, dt.time,
)
_COLLECTION_ORIGINS: tuple[Any, ...] = (
    list, set, frozenset, tuple, Sequence, typing.Sequence, typing.AbstractSet,
)


class DecodeError(ValueError):
    """URL text that does not decode to a valid value for the field."""


class PartlyInvalid(DecodeError):
    """A repeated param of which some texts are valid members and some are not.

    ``kept`` is the value of the valid members: a list keeps them, as a
    widget keeps the offered members of a stale selection, instead of
    losing the whole list to one bad member. Callers that do not handle it
    refuse the whole value, like any ``DecodeError``.
    """

    def __init__(self, reason: str, kept: Any) -> None:
        super().__init__(reason)
        self.kept = kept


def _strip_annotated(tp: Any) -> Any:
    while typing.get_origin(tp) is typing.Annotated:
        tp = typing.get_args(tp)[0]
    return tp


def _split_optional(tp: Any) -> tuple[Any, bool]:
    """``Optional[X]`` / ``X | None`` -> ``(X, True)``; anything else -> ``(tp, False)``."""
    bare = _strip_annotated(tp)
    origin = typing.get_origin(bare)
    if origin is Union or origin is types.UnionType:
        args = [a for a in typing.get_args(bare) if a is not type(None)]
        if len(args) < len(typing.get_args(bare)):
            inner = args[0] if len(args) == 1 else Union[tuple(args)]  # noqa: UP007
            return inner, True
    return tp, False


def _is_scalar(tp: Any) -> bool:
    bare = _strip_annotated(tp)
    if typing.get_origin(bare) is Literal:
        return all(isinstance(v, (str, int, bool)) or v is None for v in typing.get_args(bare))
    return isinstance(bare, type) and (issubclass(bare, enum.Enum) or issubclass(bare, _SCALAR_TYPES))


_IMMUTABLE_TYPES: tuple[type, ...] = (*_SCALAR_TYPES, bytes, dt.timedelta, type(None))


def is_immutable_type(tp: Any) -> bool:
    """Whether every value of the annotation ``tp`` is immutable (safe to hand out without a copy)."""
    bare = _strip_annotated(tp)
    origin = typing.get_origin(bare)
    if origin is Literal:
        return True
    if origin is Union or origin is types.UnionType:
        return all(is_immutable_type(arg) for arg in typing.get_args(bare))
    if origin in (tuple, frozenset):
        return all(arg is Ellipsis or is_immutable_type(arg) for arg in typing.get_args(bare))
    return isinstance(bare, type) and (issubclass(bare, enum.Enum) or issubclass(bare, _IMMUTABLE_TYPES))


def encode_scalar(value: Any) -> str:
    """The canonical URL text of one scalar value."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return TRUE_TEXT if value else FALSE_TEXT
    if isinstance(value, enum.Enum):
        return encode_scalar(value.value)
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    return str(value)


class _ItemCodec:
    """Decodes the URL text of one scalar (a field value or one list item)."""

    def __init__(self, item_type: Any, adapter: TypeAdapter[Any] | None = None, message: str | None = None) -> None:
        self.message = message
        inner, self.nullable = _split_optional(item_type)
        bare = _strip_annotated(inner)
        self._inner = inner
        # Built on first use: enums and literals decode by table and never need it.
        self._adapter = adapter if adapter is not None and not self.nullable else None
        # Finite types decode by table: exact, and immune to the lax-mode
        # question of whether "1" may become the enum member whose value is 1.
        self._table: dict[str, Any] | None = None
        if isinstance(bare, type) and issubclass(bare, enum.Enum):
            self._table = {encode_scalar(m): m for m in bare}
        elif typing.get_origin(bare) is Literal:
            self._table = {encode_scalar(v): v for v in typing.get_args(bare)}

    @property
    def choices(self) -> tuple[Any, ...] | None:
        """The values an enum or a literal allows, in order (None: any value of the type)."""
        return tuple(self._table.values()) if self._table is not None else None

    def decode(self, text: str) -> Any:
        if self.nullable and text == "":
            return None
        if self._table is not None:
            if text in self._table:
                return self._table[text]
            choices = ", ".join(repr(t) for t in self._table)
            raise DecodeError(f"{text!r} is not one of {choices}")
        if self._adapter is None:
            self._adapter = TypeAdapter(self._inner)
        try:
            return self._adapter.validate_strings(text)
        except ValidationError as exc:
            raise DecodeError(self.message or validation_reason(exc, for_visitor=True)) from None


@dataclass
class FieldCodec:
    """How one field's value maps to the texts of its query parameter.

    ``kind`` is ``"scalar"`` (one text), ``"repeated"`` (one text per item,
    the param repeated) or ``"json"`` (one compact JSON text).
    """

    kind: Literal["scalar", "repeated", "json"]
    adapter: TypeAdapter[Any]
    items: tuple[_ItemCodec, ...]
    variadic: bool
    value_map: Mapping[Any, str] | None
    _reverse_map: dict[str, Any]
    message: str | None = None
    """The field's ``error_message``: what a refused value is told, instead of pydantic's reason."""

    def encode(self, value: Any) -> list[str]:
        """Texts for the param, in order; never empty, so the param stays present."""
        if self.kind == "json":
            return [self.adapter.dump_json(value).decode()]
        if self.kind == "scalar":
            return [self._encode_item(value)]
        members = sorted_members(value) if isinstance(value, (set, frozenset)) else list(value)
        texts = [self._encode_item(v) for v in members]
        return texts or [""]

    def decode(self, texts: Sequence[str]) -> Any:
        """Validate the param's texts into a value, or raise ``DecodeError``."""
        if self.kind == "json":
            if len(texts) != 1:
                raise DecodeError(f"expected one value, got {len(texts)}")
            try:
                return self.adapter.validate_json(texts[0])
            except ValidationError as exc:
                raise DecodeError(self._reason(exc)) from None
        if self.kind == "scalar":
            if len(texts) != 1:
                raise DecodeError(f"expected one value, got {len(texts)} (the parameter is repeated)")
            raw: Any = self._decode_item(0, texts[0])
        else:
            items = [] if list(texts) == [""] else list(texts)
            if not self.variadic and len(items) != len(self.items):
                raise DecodeError(f"expected {len(self.items)} values, got {len(items)}")
            if self.variadic:
                return self._decode_members(items)
            raw = [self._decode_item(i, t) for i, t in enumerate(items)]
        try:
            return self.adapter.validate_python(raw)
        except ValidationError as exc:
            raise DecodeError(self._reason(exc)) from None

    def _reason(self, exc: ValidationError) -> str:
        return self.message or validation_reason(exc, for_visitor=True)

    def _decode_members(self, items: list[str]) -> Any:
        """A list, set or ``tuple[X, ...]``: the valid members are kept when some are invalid (``PartlyInvalid``)."""
        raw: list[Any] = []
        refused: list[str] = []
        for index, text in enumerate(items):
            try:
                raw.append(self._decode_item(index, text))
            except DecodeError as exc:
                reason = str(exc)
                refused.append(reason if reason.startswith(repr(text)) else f"{shown(text)}: {reason}")
        if refused and not raw:
            raise DecodeError(refused[0])
        try:
            value = self.adapter.validate_python(raw)
        except ValidationError as exc:
            raise DecodeError(self._reason(exc)) from None
        if refused:
            dropped = len(refused)
            raise PartlyInvalid(f"{refused[0]}" + (f" (and {dropped - 1} more)" if dropped > 1 else ""), value)
        return value

    def _encode_item(self, value: Any) -> str:
        if self.value_map is not None:
            try:
                mapped = self.value_map.get(value)
            except TypeError:  # unhashable
                mapped = None
            if mapped is not None:
                return mapped
        return encode_scalar(value)

    def _decode_item(self, index: int, text: str) -> Any:
        if text in self._reverse_map:
            return self._reverse_map[text]
        codec = self.items[0] if self.variadic else self.items[index]
        try:
            return codec.decode(text)
        except DecodeError:
            choices = codec.choices
            if self.value_map is None or choices is None:
                raise
            # Name the choices as the URL writes them, not as the code holds them.
            texts = ", ".join(repr(self._encode_item(c)) for c in choices)
            raise DecodeError(f"{text!r} is not one of {texts}") from None


def sorted_members(values: Iterable[Any]) -> list[Any]:
    """The members of a set in a stable order: sets have none, and the same set must give the same URL.

    Sorted by value where the members compare, else by their URL text.
    """
    members = list(values)
    try:
        return sorted(members)
    except TypeError:
        return sorted(members, key=encode_scalar)


def compile_codec(
    annotation: Any,
    value_map: Mapping[Any, str] | None = None,
    adapter: TypeAdapter[Any] | None = None,
    message: str | None = None,
) -> FieldCodec:
    """Build the codec for a field annotated ``annotation`` (reusing the field's ``adapter`` if given).

    ``message``: the field's ``error_message``, the reason given for a value its type refuses.
    """
    adapter = adapter if adapter is not None else TypeAdapter(annotation)
    reverse = {text: value for value, text in (value_map or {}).items()}
    inner, nullable = _split_optional(annotation)
    bare = _strip_annotated(inner)

    def make(
        kind: Literal["scalar", "repeated", "json"], items: tuple[_ItemCodec, ...] = (), variadic: bool = True
    ) -> FieldCodec:
        return FieldCodec(kind, adapter, items, variadic, value_map, reverse, message)

    if _is_scalar(bare):
        return make("scalar", (_ItemCodec(annotation, adapter, message),))
    origin = typing.get_origin(bare)
    args = typing.get_args(bare)
    if not nullable and origin in _COLLECTION_ORIGINS and args:
        if origin is tuple and not (len(args) == 2 and args[1] is Ellipsis):
            if all(_is_scalar(a) for a in args) and args != ((),):
                return make("repeated", tuple(_ItemCodec(a) for a in args), variadic=False)
        elif _is_scalar(args[0]):
            return make("repeated", (_ItemCodec(args[0]),))
    return make("json")
