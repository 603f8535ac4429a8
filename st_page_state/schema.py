"""Compiled, immutable descriptions of a state class and its fields.

Built once when a PageState class is created; everything that runs per
script run reads these and never re-inspects annotations.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from pydantic import TypeAdapter, ValidationError

from .bounds import Bounds, allows_inf_nan, field_bounds, scalar_type
from .codecs import FieldCodec, compile_codec, is_immutable_type
from .config import StateConfig
from .errors import StateConfigError, StateValidationError, validation_reason
from .fields import FieldSpec, HistoryMode
from .log import shown
from .v02.values import orient_value_map


@dataclass(frozen=True, eq=False)
class CompiledField:
    """One field with its pydantic adapter and URL codec, ready for use."""

    owner: str
    name: str
    annotation: Any
    spec: FieldSpec
    adapter: TypeAdapter[Any]
    codec: FieldCodec
    param: str | None
    history: HistoryMode
    clear_on_default: bool
    persist: bool
    immutable: bool
    """Every value of the field is immutable: reads can hand it out without a copy (``run_values``)."""
    scalar: Any
    """The plain type under Optional and Annotated (a range's item type): what widget arguments must match."""
    bounds: Bounds
    """The range the annotation declares (``Field(ge=..., le=..., max_length=...)``); bind() passes it on."""
    finite_only: bool
    """NaN and infinity are refused from the URL (unless ``Field(allow_inf_nan=True)``): JSON cannot store them."""

    def validate(self, value: Any) -> Any:
        """Validate (and coerce, in pydantic's lax mode) a value written from code or a widget."""
        try:
            return self.adapter.validate_python(value)
        except ValidationError as exc:
            message = self.spec.error_message or validation_reason(exc, for_visitor=True)
            raise StateValidationError(self.owner, self.name, value, validation_reason(exc), message) from None

    def default(self) -> Any:
        return self.spec.make_default()

    def is_default(self, value: Any) -> bool:
        """Whether ``value`` equals the default: compared with the declared one, never copied (it is not mutated)."""
        spec = self.spec
        return same_value(value, spec.default if spec.default_factory is None else spec.default_factory())


def same_value(a: Any, b: Any) -> bool:
    """Equality that does not confuse ``0``, ``False`` and ``0.0``."""
    if type(a) is not type(b):
        return False
    try:
        return bool(a == b)
    except Exception:
        return a is b


_COMPILED: dict[tuple[str, str], tuple[Any, FieldSpec, StateConfig, CompiledField]] = {}
"""Last compilation of each (namespace, field): Streamlit re-executes the main
script, and so redefines its classes, on every run; an unchanged field is
not compiled again (pydantic schema building is the costly part)."""


def compile_field_cached(
    namespace: str, owner: str, name: str, annotation: Any, spec: FieldSpec, config: StateConfig
) -> CompiledField:
    """``compile_field``, reusing the previous result when nothing about the field changed."""
    key = (namespace, name)
    previous = _COMPILED.get(key)
    if previous is not None:
        old_annotation, old_spec, old_config, compiled = previous
        if old_config == config and _same_annotation(old_annotation, annotation) and _same_spec(old_spec, spec):
            return compiled
    compiled = compile_field(owner, name, annotation, spec, config)
    _COMPILED[key] = (annotation, spec, config, compiled)
    return compiled


def _same_annotation(a: Any, b: Any) -> bool:
    if a is b:
        return True
    try:
        if a == b:
            return True
    except Exception:
        return False
    # Annotated[X, Field(ge=0)] builds a new FieldInfo (compared by identity) each time.
    if typing.get_origin(a) is typing.Annotated and typing.get_origin(b) is typing.Annotated:
        a_args, b_args = typing.get_args(a), typing.get_args(b)
        return bool(
            _same_annotation(a_args[0], b_args[0])
            and len(a_args) == len(b_args)
            and all(repr(x) == repr(y) for x, y in zip(a_args[1:], b_args[1:], strict=True))
        )
    return False


def _same_spec(a: FieldSpec, b: FieldSpec) -> bool:
    if a.default_factory is not b.default_factory:
        code_a = getattr(a.default_factory, "__code__", None)
        code_b = getattr(b.default_factory, "__code__", None)
        if code_a is None or code_a != code_b:
            return False
        a = a._replace(default_factory=None)
        b = b._replace(default_factory=None)
    try:
        return bool(a == b) and type(a.default) is type(b.default)
    except Exception:
        return False


def compile_field(owner: str, name: str, annotation: Any, spec: FieldSpec, config: StateConfig) -> CompiledField:
    spec = orient_value_map(owner, name, annotation, spec)  # 0.2.x: 0.2.x accepted {url-text: value}
    try:
        adapter: TypeAdapter[Any] = TypeAdapter(annotation)
        codec = compile_codec(annotation, spec.value_map, adapter, spec.error_message)
    except Exception as exc:
        raise StateConfigError(f"{owner}.{name}: unsupported type {annotation!r}: {exc}") from exc
    if not spec.has_default():
        raise StateConfigError(
            f"{owner}.{name} needs a default: write `{name}: ... = StateVar(default=...)` "
            "(or default_factory=... for lists and dicts)."
        )
    spec = _converted_default(owner, name, annotation, adapter, spec)
    compiled = CompiledField(
        owner=owner,
        name=name,
        annotation=annotation,
        spec=spec,
        adapter=adapter,
        codec=codec,
        param=(config.url_prefix + spec.url_key) if spec.url_key is not None else None,
        history=spec.history or config.history,
        clear_on_default=config.clear_on_default if spec.clear_on_default is None else spec.clear_on_default,
        persist=spec.persist and config.persist,
        immutable=is_immutable_type(annotation),
        scalar=scalar_type(annotation),
        bounds=field_bounds(annotation),
        finite_only=not allows_inf_nan(annotation),
    )
    if spec.value_map is not None:
        for key in spec.value_map:
            try:
                compiled.validate(key)
            except StateValidationError as exc:
                raise StateConfigError(
                    f"{owner}.{name}: value_map key {key!r} is not a valid value: {exc.detail}"
                ) from None
    return compiled


def _converted_default(owner: str, name: str, annotation: Any, adapter: TypeAdapter[Any], spec: FieldSpec) -> FieldSpec:
    """``spec`` with its default as the field's type holds it: ``"0"`` for an ``int`` becomes ``0``.

    A default kept as written would be a value of another type than every
    value the field takes later (``is_default`` would never match, a
    widget would be seeded with a ``str``). A factory whose result needs
    converting is wrapped, so each call's result is converted; one whose
    result is already of the field's type is kept as it is (no cost per call).
    """
    factory = spec.default_factory
    raw = factory() if factory is not None else spec.default
    try:
        value = adapter.validate_python(raw)
    except ValidationError as exc:
        source = f"the default {shown(raw)}" if factory is None else f"default_factory() returned {shown(raw)}, which"
        raise StateConfigError(
            f"{owner}.{name}: {source} does not fit the field's type {describe_type(annotation)}: "
            f"{validation_reason(exc)}."
        ) from None
    if type(value) is type(raw) and _same_repr(value, raw):
        return spec
    if factory is None:
        return spec._replace(default=value)
    return spec._replace(default_factory=_ConvertingFactory(factory, adapter))


def _same_repr(a: Any, b: Any) -> bool:
    """Whether two values of one type print alike (``[1, True]`` and ``[1, 1]`` are equal, yet not the same)."""
    try:
        return a is b or repr(a) == repr(b)
    except Exception:
        return False


class _ConvertingFactory:
    """A ``default_factory`` whose results are converted to the field's type on every call."""

    __slots__ = ("adapter", "factory")

    def __init__(self, factory: Callable[[], Any], adapter: TypeAdapter[Any]) -> None:
        self.factory, self.adapter = factory, adapter

    def __call__(self) -> Any:
        return self.adapter.validate_python(self.factory())


def describe_type(annotation: Any) -> str:
    """An annotation as a person writes it: ``int``, ``list[str]``, ``date | None`` (constraints left out)."""
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return describe_type(args[0])
    if annotation is type(None) or annotation is None:
        return "None"
    if origin is typing.Union or origin is types.UnionType:
        return " | ".join(describe_type(a) for a in args)
    if origin is typing.Literal:
        return f"Literal[{', '.join(repr(a) for a in args)}]"
    if origin is not None and args:
        name = getattr(origin, "__name__", None) or str(origin).replace("typing.", "")
        return f"{name}[{', '.join('...' if a is Ellipsis else describe_type(a) for a in args)}]"
    if isinstance(annotation, type):
        return annotation.__name__
    return str(annotation).replace("typing.", "")


@dataclass(frozen=True, eq=False)
class StateSchema:
    """Everything the runtime needs to know about one PageState class."""

    namespace: str
    name: str
    config: StateConfig
    fields: dict[str, CompiledField]
    params: dict[str, CompiledField] = field(default_factory=dict)
    published: tuple[str, ...] | None = None
    """The fields whose values reads take from ``run_values`` (None: all of them)."""
    origin: str = ""
    """The file and qualified name the class statement is written in (``"app.py:SidebarState"``): the same
    for a file Streamlit runs as a script and the same file imported as a module, whose namespaces differ."""

    def __post_init__(self) -> None:
        immutable = tuple(name for name, f in self.fields.items() if f.immutable)
        object.__setattr__(self, "published", None if len(immutable) == len(self.fields) else immutable)
        for f in self.fields.values():
            if f.param is None:
                continue
            if f.param in self.params:
                other = self.params[f.param].name
                raise StateConfigError(f"{self.name}.{f.name} and {self.name}.{other} use the same url_key {f.param!r}")
            self.params[f.param] = f


class StateClass(Protocol):
    """What the session, the registry and the bridge need from a PageState class (``state.PageState`` is one)."""

    __state_schema__: StateSchema

    @classmethod
    def on_init(cls) -> None: ...

    @classmethod
    def on_change(cls, field: str, old: Any, new: Any) -> None: ...
