"""``PageState``: typed, namespaced state classes whose fields live in the session.

The metaclass compiles each class once, at creation: annotations become
:class:`~st_page_state.schema.CompiledField` objects (pydantic adapter + URL
codec). ``FilterState.status`` reads this session's value: at C speed from
the values the run published for this thread (:mod:`st_page_state.run_values`),
or through the metaclass ``__getattr__`` on the run's first read.
``FilterState.status = "x"`` validates and records a change. Values never
live on the class: every write goes to the session runtime.
"""

from __future__ import annotations

import functools
import os
import sys
import typing
from collections.abc import Mapping
from itertools import repeat
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from . import deep_links, registry, run_values, session
from .binding import bind_kwargs
from .config import StateConfig, parse_config
from .errors import LinkError, StateConfigError, StateValidationError, UnknownFieldError
from .fields import FieldSpec
from .schema import CompiledField, StateClass, StateSchema, compile_field_cached
from .v02.methods import V02StateMethods, v02_schema
from .v02.values import v02_fields

_RESERVED = frozenset(
    {"bind", "dump", "load", "reset", "schema", "focus", "url", "link", "parse", "errors", "on_init", "on_change"}
    | {"Config"}
    | {"mro"}  # field names become metaclass properties: never shadow type's own attributes
)


def _namespace(cls_module: str, qualname: str, module_file: str | None) -> str:
    """The session-state key prefix of a class: module + qualified name.

    Scripts run by Streamlit (the main script and every page) all execute as
    ``__main__``; their file path, relative to the working directory when
    possible, tells two pages' ``FilterState`` classes apart.
    """
    if cls_module == "__main__" and module_file:
        return f"{_shown_path(module_file, os.getcwd())}:{qualname}"
    return f"{cls_module}.{qualname}"


@functools.lru_cache(maxsize=256)
def _shown_path(module_file: str, cwd: str) -> str:
    """``module_file`` relative to ``cwd`` when inside it.

    Cached: resolving stats every folder of both paths (about 2 ms per run on a
    loaded server), and the main script defines its classes again on every run.
    """
    path = Path(module_file)
    try:
        return path.resolve().relative_to(Path(cwd).resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _resolve_annotations(cls: type, own: Mapping[str, Any], frame: Any) -> dict[str, Any]:
    """The class body's annotations as types (``frame``: where the class statement ran)."""
    if not own:
        return {}
    if not any(isinstance(a, str) or a is None for a in own.values()):
        return dict(own)  # already objects: nothing to resolve (the common case, and cheap on every rerun)
    module = sys.modules.get(cls.__module__)
    globalns = dict(vars(module)) if module is not None else {}
    localns = dict(frame.f_locals)
    globalns.update({k: v for k, v in frame.f_globals.items() if k not in globalns})
    holder = type("_Annotations", (), {"__annotations__": dict(own), "__module__": cls.__module__})
    try:
        hints = typing.get_type_hints(holder, globalns=globalns, localns=localns, include_extras=True)
    except Exception as exc:
        raise StateConfigError(f"{cls.__qualname__}: cannot resolve field annotations: {exc}") from exc
    return {name: hints[name] for name in own if name in hints}


_COMPILED_CLASSES: dict[str, tuple[tuple[Any, ...], StateSchema]] = {}
"""Per namespace, what the class statement declared last time and the schema it gave: the main
script defines its classes again on every run, and an unchanged declaration reuses the schema."""


def _declaration(bases: tuple[type, ...], raw_config: type | None, namespace: Mapping[str, Any]) -> tuple[Any, ...]:
    """What a class statement declares that its schema depends on, comparable in one ``==``."""
    annotations = namespace.get("__annotations__", {})
    config = {k: v for k, v in vars(raw_config).items() if not k.startswith("_")} if raw_config else None
    inherited = tuple(base.__dict__.get("__state_schema__") for base in bases)
    # Without a Python loop over the fields: a class with 1000 fields is declared again on every run.
    specs = tuple(map(namespace.get, annotations, repeat(FieldSpec, len(annotations))))
    unannotated = namespace.keys() - annotations.keys()  # a few dunders, methods, fields without annotation
    loose = tuple(sorted((name, namespace[name]) for name in unannotated if isinstance(namespace[name], FieldSpec)))
    return (inherited, config, annotations, specs, loose)


def _origin(qualname: str, module_file: str | None, ns: str) -> str:
    """Where a class statement is written: ``"app.py:SidebarState"``, the same however the file was run or imported."""
    if not module_file:
        return ns
    return f"{_shown_path(module_file, os.getcwd())}:{qualname}"


def _compile_class(
    cls: type, ns: str, origin: str, raw_config: type | None, namespace: dict[str, Any], frame: Any
) -> StateSchema:
    name = cls.__name__
    inherited_fields: dict[str, CompiledField] = {}
    inherited_config = StateConfig()
    for base in reversed(cls.__mro__[1:]):
        schema = base.__dict__.get("__state_schema__")
        if isinstance(schema, StateSchema):
            inherited_fields.update(schema.fields)
            inherited_config = schema.config
    config = parse_config(name, raw_config, inherited_config)
    hints = _resolve_annotations(cls, namespace.get("__annotations__", {}), frame)
    hints = v02_fields(name, namespace, hints)  # 0.2.x: 0.2.x-style class bodies
    fields: dict[str, CompiledField] = {}
    for base_field in inherited_fields.values():
        fields[base_field.name] = compile_field_cached(
            ns, name, base_field.name, base_field.annotation, base_field.spec, config
        )
    for field_name, annotation in hints.items():
        if field_name.startswith("_") or typing.get_origin(annotation) is ClassVar or annotation is ClassVar:
            continue
        if field_name in _RESERVED:
            raise StateConfigError(f"{name}.{field_name}: the name is taken by a PageState method; rename the field")
        declared = namespace.get(field_name, FieldSpec())
        spec = declared if isinstance(declared, FieldSpec) else FieldSpec(default=declared)
        fields[field_name] = compile_field_cached(ns, name, field_name, annotation, spec, config)
    return StateSchema(namespace=ns, name=name, config=config, fields=fields, origin=origin)


class PageStateMeta(type):
    """Compiles fields at class creation and routes class attribute access to the session.

    Each PageState class gets a metaclass of its own (a subclass of this
    one, shared by every redefinition of the class) whose properties read
    the fields at C speed: see :mod:`st_page_state.run_values`. So a class
    has at most one PageState base; plain mixin classes are fine.
    """

    __state_schema__: StateSchema

    def __new__(mcs, name: str, bases: tuple[type, ...], namespace: dict[str, Any], **kwargs: Any) -> PageStateMeta:
        if namespace.get("_page_state_base", False):
            return super().__new__(mcs, name, bases, namespace, **kwargs)
        raw_config = namespace.pop("Config", None)
        cls = super().__new__(mcs, name, bases, namespace, **kwargs)
        frame = sys._getframe(1)  # where the class statement runs
        module_file = sys.modules[cls.__module__].__dict__.get("__file__") if cls.__module__ in sys.modules else None
        if cls.__module__ == "__main__":
            module_file = frame.f_globals.get("__file__", module_file)
        ns = _namespace(cls.__module__, cls.__qualname__, module_file)
        declaration = _declaration(bases, raw_config, namespace)
        cached = _COMPILED_CLASSES.get(ns)
        if cached is not None and cached[0] == declaration:
            schema = cached[1]
        else:
            origin = _origin(cls.__qualname__, module_file, ns)
            schema = _compile_class(cls, ns, origin, raw_config, namespace, frame)
            _COMPILED_CLASSES[ns] = (declaration, schema)
        type.__setattr__(cls, "__state_schema__", schema)
        meta, store = run_values.accessors(mcs, ns, tuple(schema.fields), _read_latest)
        type.__setattr__(cls, "__class__", meta)
        type.__setattr__(cls, run_values.LOCAL_ATTR, store)
        registry.register(ns, typing.cast("StateClass", cls))
        return cls

    def __setattr__(cls, name: str, value: Any) -> None:
        schema: StateSchema | None = cls.__dict__.get("__state_schema__")
        if schema is None or name.startswith("_"):
            type.__setattr__(cls, name, value)
        elif name in schema.fields:
            session.set_value(session.current(), cls, name, value)  # type: ignore[arg-type]
        elif hasattr(cls, name):
            type.__setattr__(cls, name, value)
        else:
            raise UnknownFieldError(name_of(cls), name, schema.fields)

    def __delattr__(cls, name: str) -> None:
        schema: StateSchema | None = cls.__dict__.get("__state_schema__")
        if schema is not None and name in schema.fields:
            raise AttributeError(f"use {cls.__name__}.reset({name!r}) to restore a field's default")
        type.__delattr__(cls, name)

    if not TYPE_CHECKING:

        def __getattr__(cls, name: str) -> Any:
            """A field's slow path (nothing published for this run yet), or a shadowed class attribute."""
            schema = cls.__dict__.get("__state_schema__")
            if schema is not None and name in schema.fields:
                return _read(cls, name)
            if schema is None or name.startswith("__"):
                raise AttributeError(name)
            raise UnknownFieldError(name_of(cls), name, schema.fields)


def name_of(cls: type) -> str:
    return cls.__qualname__


def _read_latest(namespace: str, name: str) -> Any:
    """The slow read for a field, through the newest definition of its class."""
    cls = registry.lookup(namespace)
    if cls is None:  # pragma: no cover - a namespace is registered before its store is read
        raise RuntimeError(f"no PageState class {namespace!r}")
    return _read(cls, name)


def _read(cls: StateClass, name: str) -> Any:
    """A field read that could not use the published values: sync the class in this run, then read."""
    try:
        values = session.synced_values(session.current(), cls)
    except AttributeError as exc:
        # Raised from __getattr__, it would read as "no such field" for a field that exists.
        raise RuntimeError(f"reading {cls.__state_schema__.name}.{name} failed: {exc}") from exc
    return _copy(values[name])


class PageState(V02StateMethods, metaclass=PageStateMeta):  # 0.2.x: 0.2.x-era methods
    """Base class of typed, namespaced page state.

    Declare fields as annotated class attributes, then read and write them
    on the class itself::

        class FilterState(PageState):
            status: str = StateVar(default="pending", url_key="status")

        FilterState.status = "active"
    """

    _page_state_base: ClassVar[bool] = True
    __state_schema__: ClassVar[StateSchema]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._page_state_base = False

    def __new__(cls, *args: Any, **kwargs: Any) -> PageState:
        raise TypeError(
            f"{cls.__name__} is used as a class, not instantiated: read {cls.__name__}.<field> directly."
        )

    # hooks --------------------------------------------------------------
    @classmethod
    def on_init(cls) -> None:
        """Runs once per session, the first time the state is used. Override to seed values."""

    @classmethod
    def on_change(cls, field: str, old: Any, new: Any) -> None:
        """Runs after every real change of a field (falsy values included). Override to react."""

    # methods --------------------------------------------------------------
    @classmethod
    def _field(cls, name: str) -> CompiledField:
        fields = cls.__state_schema__.fields
        if name not in fields:
            raise UnknownFieldError(name_of(cls), name, fields)
        return fields[name]

    @classmethod
    def dump(cls, *, mode: typing.Literal["python", "json"] = "python") -> dict[str, Any]:
        """All field values; ``mode="json"`` gives JSON-compatible values."""
        values = session.synced_values(session.current(), cls)
        if mode == "json":
            fields = cls.__state_schema__.fields
            return {name: f.adapter.dump_python(values[name], mode="json") for name, f in fields.items()}
        return {name: _copy(values[name]) for name in cls.__state_schema__.fields}

    @classmethod
    def load(cls, data: Mapping[str, Any]) -> None:
        """Set several fields at once; all are validated before any is changed."""
        validated: dict[str, Any] = {}
        for name, value in data.items():
            validated[name] = cls._field(name).validate(value)
        rt = session.current()
        with session.batch(rt):
            for name, value in validated.items():
                session.set_value(rt, cls, name, value)

    @classmethod
    def reset(cls, field: str | None = None) -> None:
        """Restore one field (or every field) to its default."""
        names = [cls._field(field).name] if field is not None else list(cls.__state_schema__.fields)
        rt = session.current()
        with session.batch(rt):
            for name in names:
                session.set_value(rt, cls, name, cls.__state_schema__.fields[name].default(), origin="default")

    @classmethod
    def schema(cls) -> dict[str, Any]:
        """A JSON schema of the fields, with each field's URL parameter as ``x-url-key``."""
        properties: dict[str, Any] = {}
        for name, f in cls.__state_schema__.fields.items():
            prop = dict(f.adapter.json_schema())
            prop["default"] = f.adapter.dump_python(f.default(), mode="json")
            if f.spec.description:
                prop["description"] = f.spec.description
            prop["x-url-key"] = f.param
            properties[name] = prop
        schema = {"title": cls.__name__, "type": "object", "properties": properties}
        return v02_schema(cls.__name__, cls.__state_schema__.fields, schema)  # 0.2.x: 0.2.x schema()[field]

    @classmethod
    def errors(cls) -> dict[str, str]:
        """The values bound widgets entered in this run that the fields refused: ``{field: message}``.

        Such a value stays in its widget (what the person typed, to be
        corrected) and the field keeps its value. The message is the field's
        ``StateVar(error_message=...)``, else a plain reason. Show it next to
        the widget (``st.error``); an app that reads ``errors()`` gets no
        toast for them. Empty when every entry was taken.
        """
        return session.input_errors(session.current(), cls)

    @classmethod
    def focus(cls) -> None:
        """Claim the URL now: drop params of states not shared with, restore this state's params."""
        session.focus(session.current(), cls)

    @classmethod
    def url(cls, /, **overrides: Any) -> str:
        """A query string (``"?status=active"``) with this state's values, for deep links.

        ``overrides`` replace field values in the link only; they are
        validated like writes. :meth:`link` is the same without a session:
        other fields at their defaults instead of their current values.
        """
        schema = cls.__state_schema__
        values = dict(session.synced_values(session.current(), cls))
        named = deep_links.link_overrides(schema, overrides)
        values.update(named)
        return deep_links.encode_params(schema, values, named=named.keys()).href()

    @classmethod
    def link(cls, /, **values: Any) -> deep_links.LinkParams:
        """The query params of a link to this state with ``values``, every other field at its default.

        Validated like writes (an invalid value raises
        :class:`StateValidationError`, a session-only field :class:`LinkError`)
        and written exactly as the engine writes the URL. Needs no session.
        For ``st.page_link(page, query_params=...)`` and
        ``st.switch_page(page, query_params=...)``; ``.href(page)`` gives
        the URL text (``st.link_button``); ``A.link(...) | B.link(...)``
        merges the links of several states.
        """
        return deep_links.link(cls.__state_schema__, values)

    @classmethod
    def parse(cls, query: deep_links.QueryInput) -> deep_links.ParsedQuery:
        """Typed values from a query (``st.query_params``, a dict, a query string or URL), with no session.

        Every field is in the result; a param its field cannot take leaves
        the field at its default, and ``.rejected[field]`` says why. The
        rules are the engine's own: the result is what a page opened with
        this query would show (before any stored value of the tab).
        """
        return deep_links.parse(cls.__state_schema__, query)

    @classmethod
    def bind(cls, field: str, value: Any = None, **widget_kwargs: Any) -> dict[str, Any]:
        """Keyword arguments that make a Streamlit input widget a view of ``field``."""
        return bind_kwargs(cls, cls._field(field), value, widget_kwargs)


def _copy(value: Any) -> Any:
    """Hand out copies of containers: mutating one in place would change the
    state without validation, on_change or a URL write."""
    if type(value) in (list, dict, set):
        return value.copy()
    return value


__all__ = ["LinkError", "PageState", "PageStateMeta", "StateValidationError"]
