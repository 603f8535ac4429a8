"""Class methods and ``schema()`` answers that 0.2.x-era code relies on; each names its replacement."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..schema import CompiledField
from .values import warn_once


class V02StateMethods:
    """Class methods that 0.2.x-era code calls on a PageState; each names its replacement."""

    @classmethod
    def bind_key(cls, field: str) -> str:
        """The widget key that binds a widget to ``field`` (deprecated: use ``**bind(field)``).

        The widget is a view of the field exactly as with ``bind()``: its
        changes are committed to the field when the next run starts.
        """
        warn_once(
            "bind_key",
            f"{cls.__name__}.bind_key(field) is deprecated: pass **{cls.__name__}.bind(field) to the "
            "widget instead of key=...; it carries the key and the change handling.",
        )
        binding: dict[str, Any] = cls.bind(field)  # type: ignore[attr-defined]
        return str(binding["key"])


class JsonSchemaWithV02Fields(dict[str, Any]):
    """What ``PageState.schema()`` returns: a JSON schema, still indexable as in 0.2.x.

    0.2.x returned ``{field: {"default", "url_key", "value_map", "dtype"}}``;
    ``schema()[field]`` keeps giving that (with a DeprecationWarning naming
    ``schema()["properties"][field]``). A field named like a JSON-schema
    key (``title``, ``type``, ``properties``) gets the JSON-schema entry.
    """

    def __init__(self, state_name: str, schema: dict[str, Any], v02: dict[str, dict[str, Any]]) -> None:
        super().__init__(schema)
        self._state_name = state_name
        self._v02 = v02

    def __missing__(self, key: str) -> dict[str, Any]:
        if key not in self._v02:
            raise KeyError(key)
        warn_once(
            "schema[field]",
            f"{self._state_name}.schema()[{key!r}] is the 0.2.x field metadata; since 1.0 schema() is a "
            f"JSON schema: use {self._state_name}.schema()['properties'][{key!r}] (the URL key is its "
            "'x-url-key').",
        )
        return self._v02[key]

    def __reduce__(self) -> Any:
        return (dict, (dict(self),))


def v02_schema(state_name: str, fields: Mapping[str, CompiledField], schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` (the JSON schema of a class) that also answers ``schema[field]`` the 0.2.x way."""
    v02 = {
        name: {
            "default": f.default(),
            "url_key": f.spec.url_key,
            "value_map": dict(f.spec.value_map) if f.spec.value_map is not None else None,
            "dtype": f.annotation,
        }
        for name, f in fields.items()
    }
    return JsonSchemaWithV02Fields(state_name, schema, v02)
