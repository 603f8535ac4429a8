"""0.2.x-era declarations and links, read by the 1.x class machinery and URL engine.

1.0 is the successor of the 0.2.x releases published under the same name
(see README, "Coming from 0.2.x"). Everything 0.2.x documented either
works, with a :class:`DeprecationWarning` (once per process) that names
what to write instead, or fails with an error that names it. The core
modules call into this module at a few marked points:

* :func:`orient_value_map` (``schema.compile_field``): 0.2.x accepted a
  ``value_map`` written ``{"url-text": value}``, the reverse of the
  documented ``{value: "url-text"}``;
* :func:`v02_config_options` (``config.parse_config``): Config options
  that only 0.2.x had;
* :func:`v02_fields` (``PageStateMeta.__new__``): class bodies in the 0.2.x
  style (a ``StateVar`` without annotation, ``_model_metadata``,
  ``before_set``);
* :func:`v02_url_texts` (``url.decode_param``): links written by 0.2.x,
  which put lists, sets, tuples and dicts in the URL as base64 JSON.

The methods 0.2.x-era code calls on a class are in :mod:`.methods`.
"""

from __future__ import annotations

import base64
import binascii
import enum
import json
import re
import sys
import threading
import warnings
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Optional

from pydantic import TypeAdapter, ValidationError

from ..errors import StateConfigError
from ..fields import FieldSpec

if TYPE_CHECKING:
    from ..codecs import FieldCodec

GUIDE = "https://github.com/st-page-state/st-page-state#coming-from-02x"
"""Where the warnings send 0.2.x users: README, "Coming from 0.2.x" (a URL, since a warning is read in a terminal)."""

_WARNED: set[str] = set()
_WARNED_LOCK = threading.Lock()


def warn_once(key: str, message: str, category: type[Warning] = DeprecationWarning) -> None:
    """Warn about a 0.2.x usage once per process, pointing at the user's line.

    Streamlit re-executes the script on every run; without ``key`` an app
    would repeat the same warning on every click.
    """
    with _WARNED_LOCK:
        if key in _WARNED:
            return
        _WARNED.add(key)
    warnings.warn(message, category, stacklevel=_caller_level())


def _caller_level() -> int:
    """The ``stacklevel`` of the first frame outside this package, seen from ``warn_once``."""
    frame = sys._getframe(2)
    level = 2
    while frame.f_back is not None and frame.f_globals.get("__name__", "").partition(".")[0] == "st_page_state":
        frame = frame.f_back
        level += 1
    return level


def _literal(value: Any) -> str:
    """A value as the user would write it in a ``value_map`` literal."""
    if isinstance(value, enum.Enum):
        return f"{type(value).__name__}.{value.name}"
    return repr(value)


def _map_literal(pairs: list[tuple[Any, Any]]) -> str:
    return "{" + ", ".join(f"{_literal(k)}: {_literal(v)}" for k, v in pairs) + "}"


# ----------------------------------------------------------------- value_map
def orient_value_map(owner: str, name: str, annotation: Any, spec: FieldSpec) -> FieldSpec:
    """The field's ``value_map`` as ``{value: "url-text"}``, flipping a 0.2.x-style reversed one.

    A map whose values are all strings is taken as written (the documented
    orientation; ``compile_field`` checks its keys). A map whose keys are
    all strings that are *not* valid values of the field while all its
    values are valid is unambiguously reversed: it is flipped, with a
    DeprecationWarning that shows the map to write. Anything else cannot be
    read either way and raises :class:`StateConfigError` showing the right
    orientation.
    """
    value_map = spec.value_map
    if value_map is None or all(isinstance(text, str) for text in value_map.values()):
        return spec
    try:
        adapter: TypeAdapter[Any] = TypeAdapter(annotation)
    except Exception:
        return spec  # compile_field reports the unsupported type

    def valid(value: Any) -> bool:
        try:
            adapter.validate_python(value)
        except (ValidationError, TypeError, ValueError):
            return False
        return True

    items = list(value_map.items())
    flipped_literal = _map_literal([(value, text) for text, value in items])
    keys_are_text = all(isinstance(text, str) and not valid(text) for text, _ in items)
    if keys_are_text and all(valid(value) for _, value in items):
        flipped: dict[Any, str] = {}
        try:
            for text, value in items:
                flipped[adapter.validate_python(value)] = text
        except TypeError:  # an unhashable value cannot be a key
            flipped = {}
        if len(flipped) == len(items):
            warn_once(
                f"value_map:{owner}.{name}",
                f"{owner}.{name}: value_map is written {{'url-text': value}}, the reverse of what "
                f"StateVar takes; it is read as value_map={flipped_literal}. Write it that way "
                f"({{value: 'url-text'}}): the reversed form is accepted only for code written for "
                f"st-page-state 0.2.x (see {GUIDE}).",
            )
            return spec._replace(value_map=flipped)
    why, hint = _why_unreadable(items, valid, keys_are_text, flipped_literal)
    raise StateConfigError(
        f"{owner}.{name}: value_map maps each value of the field to the text shown in the URL, "
        f"{{value: 'url-text'}}; {why}: {hint}."
    )


def _why_unreadable(
    items: list[tuple[Any, Any]], valid: Callable[[Any], bool], keys_are_text: bool, flipped_literal: str
) -> tuple[str, str]:
    """Why a ``value_map`` reads neither way, and the map to write instead."""
    if all(isinstance(text, str) for text, _ in items) and all(valid(value) for _, value in items):
        if keys_are_text:
            one_each = {_literal(value): text for text, value in reversed(items)}
            return (
                "it reads as {'url-text': value}, but two of its texts stand for the same value",
                "keep one text per value: value_map={" + ", ".join(f"{v}: {t!r}" for v, t in one_each.items()) + "}",
            )
        return (
            "its keys are valid values of the field too, so it is not clear which side is the URL text",
            f"write value_map={flipped_literal}",
        )
    key, text = next((k, v) for k, v in items if not isinstance(v, str))
    return (
        f"the URL text of {_literal(key)} is {_literal(text)}, not a string",
        f"for example value_map={_map_literal([(key, str(text))])}",
    )


# ------------------------------------------------------------- Config options
_NONE_IN_URL = (
    "since 1.0 a None value is written as an empty parameter (?{param}=) that reads back as None, "
    "so it survives a reload"
)


def v02_config_options(state_name: str, given: dict[str, Any]) -> dict[str, Any]:
    """Remove the Config options only 0.2.x had, warning once about each; returns the rest."""
    if "ignore_none_url" not in given:
        return given
    rest = dict(given)
    ignore = rest.pop("ignore_none_url")
    if ignore:
        advice = (
            "to keep a None value out of the URL, give the field default=None and "
            "clear_on_default=True (or set Config.clear_on_default = True)"
        )
    else:
        advice = "as ignore_none_url = False did"
    warn_once(
        f"ignore_none_url:{state_name}",
        f"{state_name}.Config.ignore_none_url is a 0.2.x option with no effect since 1.0: "
        f"{_NONE_IN_URL.format(param='field')}; {advice}. Remove the option (see {GUIDE}).",
    )
    return rest


# --------------------------------------------------------------- class bodies
def v02_fields(state_name: str, namespace: Mapping[str, Any], hints: dict[str, Any]) -> dict[str, Any]:
    """The annotations to compile, adding 0.2.x fields declared without one.

    0.2.x took the type of an un-annotated ``count = StateVar(default=0)``
    from its default (``str`` when the default is None). Such a field still
    works, with a warning asking for the annotation, which is what gives it
    its static type in 1.x. ``_model_metadata`` (the pre-StateVar syntax)
    never worked in 0.2.x and is refused; ``before_set`` is no longer
    called.
    """
    if "_model_metadata" in namespace:
        raise StateConfigError(
            f"{state_name}._model_metadata is the pre-StateVar declaration syntax, which st-page-state "
            "no longer reads: declare each field as `name: type = StateVar(default=..., url_key=..., "
            "value_map={value: 'url-text'})`."
        )
    if "before_set" in namespace:
        warn_once(
            f"before_set:{state_name}",
            f"{state_name}.before_set() is a 0.2.x hook that st-page-state no longer calls; "
            "move its logic to on_change(cls, field, old, new), which runs after every real change.",
            UserWarning,
        )
    inferred: dict[str, Any] = {}
    for field_name, declared in namespace.items():
        if not isinstance(declared, FieldSpec) or field_name in hints or field_name.startswith("_"):
            continue
        if declared.default_factory is not None:
            sample = declared.default_factory()
        else:
            sample = declared.default
        annotation: Any = Optional[str] if sample is None else type(sample)  # noqa: UP045 - a runtime object
        shown = "str | None" if sample is None else type(sample).__name__
        warn_once(
            f"annotation:{state_name}.{field_name}",
            f"{state_name}.{field_name} has no annotation; its type is taken from its default ({shown}), "
            f"as 0.2.x did. Annotate it: `{field_name}: {shown} = StateVar(...)` (the annotation is the "
            "field's type, for validation and for your IDE).",
        )
        inferred[field_name] = annotation
    if not inferred:
        return hints
    return {**hints, **inferred}


# ------------------------------------------------------------------ old links
_BASE64_TEXT = re.compile(r"[A-Za-z0-9_-]+={0,2}")


def v02_url_texts(codec: FieldCodec, texts: list[str]) -> list[str]:
    """The texts of a param, with a 0.2.x base64 JSON value turned into its 1.x form.

    0.2.x wrote a list, set or tuple as ``urlsafe_b64encode(json.dumps([item
    texts]))`` and a dict as the base64 of its JSON; 1.x writes repeated
    keys and plain JSON. A bookmark made with 0.2.x therefore still opens
    the same view, and the URL is rewritten in the 1.x form. Only a text
    that is strict base64 of a JSON array (or, for JSON fields, of any JSON
    document) is read this way, which no person types by hand.
    """
    if codec.kind == "scalar" or len(texts) != 1:
        return texts
    text = texts[0]
    if len(text) < 4 or len(text) % 4 or text[0] not in "We" or not _BASE64_TEXT.fullmatch(text):
        return texts  # base64 of '[' starts with 'W', of '{' with 'e'
    try:
        decoded = json.loads(base64.urlsafe_b64decode(text.encode("ascii")).decode("utf-8"))
    except (binascii.Error, ValueError, UnicodeError):
        return texts
    if codec.kind == "repeated":
        if isinstance(decoded, list) and all(isinstance(item, str) for item in decoded):
            return list(decoded) if decoded else [""]
        return texts
    return [json.dumps(decoded, separators=(",", ":"))]
