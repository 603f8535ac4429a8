"""The range a value must lie in, from the field's constraints and from its widget.

A field declares bounds once (``Annotated[int, Field(ge=0, le=10)]``,
``max_length``); they are the single source of truth: pydantic checks them
when a value arrives from the URL, and ``bind()`` passes them to the widget
so the widget offers exactly what the field accepts. A widget can be
narrower than its field (``bind(min_value=...)``, arguments written in the
widget call, or a slider's own 0..100): :class:`Bounds` also describes
those, so a value the widget cannot show is caught before the widget is
drawn (Streamlit would raise, or silently reset it to ``min_value``).

Everything here is a pure function of plain values.
"""

from __future__ import annotations

import datetime as dt
import math
import types
import typing
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

import annotated_types as at

JS_SAFE_INT = 2**53 - 1
"""Largest integer a browser's ``number_input`` holds exactly (JavaScript numbers are doubles)."""

_ORDERED = (int, float, Decimal, dt.date, dt.time)  # datetime is a date


@dataclass(frozen=True)
class Bounds:
    """Inclusive limits; ``None`` on a side means unbounded there."""

    low: Any = None
    high: Any = None
    max_length: int | None = None

    def __bool__(self) -> bool:
        return self.low is not None or self.high is not None or self.max_length is not None

    def narrowed(self, other: Bounds) -> Bounds:
        """The range both allow (each side the tighter of the two)."""
        return Bounds(
            low=_tighter(self.low, other.low, max),
            high=_tighter(self.high, other.high, min),
            max_length=_tighter(self.max_length, other.max_length, min),
        )

    def violation(self, value: Any) -> str | None:
        """Why ``value`` lies outside, in words for a warning; ``None`` when it fits.

        A range (a 2-tuple from a range slider) must fit at both ends;
        values that do not compare with the limits (``None``, another type)
        are not this module's business and fit.
        """
        if isinstance(value, tuple):
            for part in value:
                reason = self.violation(part)
                if reason is not None:
                    return reason
            return None
        if self.max_length is not None and isinstance(value, str) and len(value) > self.max_length:
            return f"longer than {self.max_length} characters"
        if not _comparable(value):
            return None
        if isinstance(value, float) and not math.isfinite(value):
            return "not a finite number"
        try:
            if self.low is not None and value < self.low:
                return f"below the minimum {self.low}"
            if self.high is not None and value > self.high:
                return f"above the maximum {self.high}"
        except TypeError:
            return None
        return None

    def clamp(self, value: Any) -> Any:
        """The nearest value inside (the last resort when neither the previous value nor the default fits)."""
        if isinstance(value, tuple):
            return tuple(self.clamp(part) for part in value)
        if isinstance(value, str) and self.max_length is not None:
            return value[: self.max_length]
        if not _comparable(value) or (isinstance(value, float) and math.isnan(value)):
            return self.low if self.low is not None else value
        try:
            if self.low is not None and value < self.low:
                return type(value)(self.low) if isinstance(value, (int, float)) else self.low
            if self.high is not None and value > self.high:
                return type(value)(self.high) if isinstance(value, (int, float)) else self.high
        except TypeError:
            pass
        return value


def _comparable(value: Any) -> bool:
    return isinstance(value, _ORDERED) and not isinstance(value, bool)


def _tighter(a: Any, b: Any, pick: Any) -> Any:
    if a is None:
        return b
    if b is None:
        return a
    try:
        return pick(a, b)
    except TypeError:
        return a


def field_bounds(annotation: Any) -> Bounds:
    """The bounds a field's annotation declares (``Field(ge=, le=, gt=, lt=, max_length=)``).

    ``gt``/``lt`` become inclusive limits one step inside for integers;
    for other types they are kept as they are, the widget then offers the
    limit itself and pydantic refuses it, which is the nearest a widget
    can express. ``X | None`` looks at ``X``; a range ``tuple[X, X]`` (what
    a range slider holds) has the bounds of ``X`` at both ends.
    """
    integer = scalar_type(annotation) is int
    bounds = Bounds()
    for item in _metadata(annotation):
        bounds = _with_constraint(bounds, item, integer)
    member = _range_member(annotation)
    return bounds if member is None else bounds.narrowed(field_bounds(member))


def _with_constraint(bounds: Bounds, item: Any, integer: bool) -> Bounds:
    step: Any = 1 if integer else 0
    if isinstance(item, at.Interval):
        parts = (
            at.Gt(item.gt) if item.gt is not None else None,
            at.Ge(item.ge) if item.ge is not None else None,
            at.Lt(item.lt) if item.lt is not None else None,
            at.Le(item.le) if item.le is not None else None,
        )
        for part in parts:
            if part is not None:
                bounds = _with_constraint(bounds, part, integer)
        return bounds
    if isinstance(item, at.Ge):
        return bounds.narrowed(Bounds(low=item.ge))
    if isinstance(item, at.Gt):
        return bounds.narrowed(Bounds(low=item.gt + step))
    if isinstance(item, at.Le):
        return bounds.narrowed(Bounds(high=item.le))
    if isinstance(item, at.Lt):
        return bounds.narrowed(Bounds(high=item.lt - step))
    if isinstance(item, at.MaxLen):
        return replace(bounds, max_length=_tighter(bounds.max_length, item.max_length, min))
    return bounds


def _metadata(annotation: Any) -> list[Any]:
    """The constraint objects of ``Annotated[X, ...]`` (pydantic's ``FieldInfo`` unpacked), Optional seen through."""
    found: list[Any] = []
    for arg in _unions_of(annotation):
        if typing.get_origin(arg) is not typing.Annotated:
            continue
        for extra in typing.get_args(arg)[1:]:
            metadata = getattr(extra, "metadata", None)  # pydantic FieldInfo
            found.extend(metadata if isinstance(metadata, list) else [extra])
    return found


def _unions_of(annotation: Any) -> list[Any]:
    """The members of ``X | Y | None`` other than None; ``[annotation]`` for anything else."""
    origin = typing.get_origin(annotation)
    if origin is typing.Union or origin is types.UnionType:
        return [a for a in typing.get_args(annotation) if a is not type(None)]
    return [annotation]


def scalar_type(annotation: Any) -> Any:
    """The plain type under Optional and Annotated (``int`` for ``Annotated[int, ...] | None``).

    A range (``tuple[X, X]``, what a range slider holds) gives ``X``.
    """
    member = _range_member(annotation)
    if member is not None:
        return scalar_type(member)
    for arg in _unions_of(annotation):
        while typing.get_origin(arg) is typing.Annotated:
            arg = typing.get_args(arg)[0]
        return arg
    return None


def _range_member(annotation: Any) -> Any:
    """``X`` when the annotation is a range ``tuple[X, X]`` (Optional and Annotated seen through), else None."""
    for arg in _unions_of(annotation):
        while typing.get_origin(arg) is typing.Annotated:
            arg = typing.get_args(arg)[0]
        items = typing.get_args(arg)
        if typing.get_origin(arg) is tuple and len(items) == 2 and items[0] == items[1]:
            return items[0]
        return None
    return None


def allows_inf_nan(annotation: Any) -> bool:
    """The field opted in to NaN and infinity (``Field(allow_inf_nan=True)``); by default the URL refuses them."""
    return any(getattr(item, "allow_inf_nan", False) is True for item in _metadata(annotation))


def has_non_finite(value: Any) -> bool:
    """Whether a NaN or an infinity hides anywhere in ``value`` (JSON cannot store them)."""
    if isinstance(value, float):
        return not math.isfinite(value)
    if isinstance(value, Decimal):
        return not value.is_finite()
    if isinstance(value, (list, tuple, set, frozenset)):
        return any(has_non_finite(v) for v in value)
    if isinstance(value, dict):
        return any(has_non_finite(v) for v in value.values())
    fields = getattr(value, "__pydantic_fields__", None)
    if fields is not None:
        return any(has_non_finite(getattr(value, name, None)) for name in fields)
    return False
