"""The URL sync engine's decisions, as pure functions of plain data.

``session.py`` feeds these with what one run saw (the query string, the
snapshot the engine last wrote, what changed) and applies the results; no
Streamlit call happens here, which keeps the rules testable on their own.

The rules (see README, "How the URL stays in sync"):

* a param that differs from the snapshot was edited outside the app: adopt
  it if valid, otherwise keep the value and correct the URL;
* a param missing from the URL is put back (``restore_url_on_touch``),
  except on Back/Forward, where the URL is history and wins;
* a state that *focuses* the URL (a user change with ``url_selfish``, a
  ``focus()`` call, or first use after a page switch) drops the params of
  every state it does not share the URL with;
* all of a run's changes become one URL write.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .bounds import Bounds, has_non_finite
from .codecs import DecodeError, PartlyInvalid
from .log import shorten, shown
from .query import Query
from .schema import CompiledField, StateSchema, same_value
from .v02.values import v02_url_texts

MAX_PARAM_BYTES = 8 * 1024
"""Longest URL text (all values of one param) the engine will parse."""


@dataclass
class Rejection:
    """A param whose URL text the field cannot take; the field keeps its value."""

    field: CompiledField
    texts: list[str]
    reason: str
    partial: bool = False
    """Only some members were refused; the field took the others (``codecs.PartlyInvalid``)."""

    def message(self, outcome: str | None = None) -> str:
        """The warning shown to the visitor; quoted outside text is cut (``log.shown``)."""
        if outcome is None:
            outcome = "The other values were taken." if self.partial else "The previous value was kept."
        return (
            f"Ignored URL parameter {self.field.param}={shown('&'.join(self.texts))} for "
            f"{self.field.owner}.{self.field.name}: {shorten(self.reason, 120)}. {outcome}"
        )


@dataclass
class Adoption:
    """What one state takes from the URL in this run."""

    values: dict[str, Any] = field(default_factory=dict)
    rejected: list[Rejection] = field(default_factory=list)


def decode_param(f: CompiledField, texts: list[str]) -> Any:
    """Decode a param's texts for field ``f``, raising ``DecodeError`` with a reason people can read."""
    size = sum(len(t.encode("utf-8", "surrogatepass")) for t in texts)
    if size > MAX_PARAM_BYTES:
        raise DecodeError(f"the value is {size} bytes long, over the {MAX_PARAM_BYTES}-byte limit")
    if any("\ufffd" in t for t in texts):
        raise DecodeError("the value contains invalid percent-encoding")
    texts = v02_url_texts(f.codec, texts)  # 0.2.x: links written by 0.2.x
    try:
        value = f.codec.decode(texts)
    except PartlyInvalid as exc:
        _check_finite(f, exc.kept)
        raise
    _check_finite(f, value)
    return value


def _check_finite(f: CompiledField, value: Any) -> None:
    if f.finite_only and has_non_finite(value):
        raise DecodeError("not a finite number (NaN and infinity cannot be stored)")


def adopt(
    schema: StateSchema,
    current: Mapping[str, Any],
    url: Query,
    snapshot: Query | None,
    *,
    first_load: bool,
    history_navigation: bool,
    protected: Iterable[str] = (),
    skip: Collection[str] = (),
    widget_bounds: Mapping[str, Bounds] | None = None,
) -> Adoption:
    """Decide which of ``schema``'s params the state adopts from ``url``.

    On first load every present param is a deep link. Later, only params
    that differ from ``snapshot`` (what the app wrote) are edits. Fields in
    ``protected`` changed from code or a widget in this run and win over
    the URL. Params in ``skip`` are not this state's to take (another
    page's, carried over by a page switch). ``widget_bounds`` (per field) are the ranges of its bound
    widgets, narrower than the field's own: a value outside is refused
    like an invalid one, since the widget could not show it.
    """
    result = Adoption()
    protected_names = set(protected)
    for param, f in schema.params.items():
        if f.name in protected_names or param in skip:
            continue
        texts = url.get(param)
        if texts is None:
            if history_navigation and f.clear_on_default and not first_load:
                default = f.default()
                if not same_value(current[f.name], default):
                    result.values[f.name] = default
            continue
        if not first_load and snapshot is not None and snapshot.get(param) == texts:
            continue
        try:
            value = decode_param(f, texts)
        except PartlyInvalid as exc:  # a list keeps its valid members, with a warning for the others
            value = exc.kept
            result.rejected.append(Rejection(f, list(texts), str(exc), partial=True))
        except DecodeError as exc:
            result.rejected.append(Rejection(f, list(texts), str(exc)))
            continue
        outside = widget_bounds.get(f.name) if widget_bounds else None
        reason = outside.violation(value) if outside else None
        if reason is not None:
            if result.rejected and result.rejected[-1].field is f:
                result.rejected.pop()  # refused as a whole: no word about some members
            result.rejected.append(Rejection(f, list(texts), f"{reason} (the widget's range)"))
            continue
        if not same_value(value, current[f.name]):
            result.values[f.name] = value
    return result


def echoed_write(written: Iterable[tuple[int, int]], received: Query, floor: int) -> int | None:
    """The number of the write that ``received`` echoes, or None when it is news from the browser.

    Streamlit's frontend sends each rerun with its own copy of the query
    string, which follows the engine's writes one message later: a burst of
    clicks carries writes the engine has already replaced. Such a copy only
    moves forward, so a write older than ``floor`` (older than one the
    browser already sent back) is no echo: something set that URL again.
    ``written``: ``(number, Query.fingerprint())`` of each recent write.
    """
    echo = received.fingerprint()
    for number, fingerprint in reversed(list(written)):
        if number < floor:
            return None
        if fingerprint == echo:
            return number
    return None


@dataclass
class TouchedState:
    """A state used in this run, as the planner needs to see it."""

    schema: StateSchema
    values: Mapping[str, Any]
    changed: set[str]
    """Fields changed by code or widgets in this run."""
    repairs: set[str]
    """Params to rewrite though no user changed them (rejected, restored or widget-corrected values)."""


def desired_params(
    state: TouchedState, url: Query, *, only: Iterable[CompiledField] | None = None
) -> tuple[dict[str, list[str]], set[str]]:
    """The params this state wants in the URL, and the ones it wants absent (``only``: just these fields).

    A param is wanted when the state restores its params, the URL has it,
    the field changed in this run or the param is repaired; a field at its
    default with ``clear_on_default`` wants it absent.
    """
    want: dict[str, list[str]] = {}
    absent: set[str] = set()
    restore = state.schema.config.restore_url_on_touch
    for f in state.schema.params.values() if only is None else only:
        param = f.param
        if param is None:
            continue
        value = state.values[f.name]
        if f.clear_on_default and f.is_default(value):
            absent.add(param)
        elif restore or param in url or f.name in state.changed or param in state.repairs:
            want[param] = f.codec.encode(value)
    return want, absent


def apply_wishes(result: Query, want: Mapping[str, list[str]], absent: Iterable[str], *, bound: set[str]) -> None:
    """Put a state's wishes into ``result``; params bound to widgets natively are Streamlit's, never touched."""
    for key in absent:
        if key not in bound:
            result.pop(key, None)
    for key, texts in want.items():
        if key not in bound:
            result[key] = texts


def plan_query(
    url: Query,
    touched: list[TouchedState],
    *,
    keep_only: set[str] | None,
    bound: set[str],
) -> Query:
    """The query string at the end of a run.

    ``keep_only`` is the set of params that survive selfishness (``None``
    when no selfish state focused the URL in this run); params bound to
    widgets natively always survive.
    """
    result = Query()
    for key, texts in url.items():
        if keep_only is None or key in keep_only or key in bound:
            result[key] = list(texts)
    for state in touched:
        apply_wishes(result, *desired_params(state, url), bound=bound)
    return result
