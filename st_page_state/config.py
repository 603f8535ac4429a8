"""The ``class Config:`` of a PageState, parsed and checked at class creation."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from typing import Any

from .errors import StateConfigError
from .fields import HistoryMode
from .v02.values import v02_config_options


@dataclass(frozen=True)
class StateConfig:
    """Per-class options; the defaults are the public contract (see README)."""

    url_prefix: str = ""
    url_selfish: bool = True
    restore_url_on_touch: bool = True
    share_url_with: tuple[Any, ...] = ()
    history: HistoryMode = "replace"
    clear_on_default: bool = False
    persist: bool = True
    ttl: float | None = None


CONFIG_KEYS: tuple[str, ...] = tuple(f.name for f in fields(StateConfig))

_BOOL_KEYS = ("url_selfish", "restore_url_on_touch", "clear_on_default", "persist")


def parse_config(state_name: str, raw: type | None, inherited: StateConfig) -> StateConfig:
    """Merge a class's ``Config`` over the one it inherits, rejecting unknown keys."""
    if raw is None:
        return inherited
    given = {k: v for k, v in vars(raw).items() if not k.startswith("_")}
    given = v02_config_options(state_name, given)  # 0.2.x: options only 0.2.x had
    unknown = sorted(set(given) - set(CONFIG_KEYS))
    if unknown:
        raise StateConfigError(
            f"{state_name}.Config has unknown option(s) {', '.join(map(repr, unknown))}; "
            f"valid options are: {', '.join(CONFIG_KEYS)}."
        )
    for key in _BOOL_KEYS:
        if key in given and not isinstance(given[key], bool):
            raise StateConfigError(f"{state_name}.Config.{key} must be True or False, not {given[key]!r}")
    if "history" in given and given["history"] not in ("replace", "push"):
        raise StateConfigError(f"{state_name}.Config.history must be 'replace' or 'push', not {given['history']!r}")
    if "url_prefix" in given and not isinstance(given["url_prefix"], str):
        raise StateConfigError(f"{state_name}.Config.url_prefix must be a string")
    if "ttl" in given and given["ttl"] is not None:
        ttl = given["ttl"]
        if isinstance(ttl, bool) or not isinstance(ttl, (int, float)) or ttl <= 0:
            raise StateConfigError(f"{state_name}.Config.ttl must be a positive number of seconds or None")
    if "share_url_with" in given:
        shared = given["share_url_with"]
        if isinstance(shared, (str, type)) or not isinstance(shared, Sequence):
            shared = [shared]
        for item in shared:
            if not isinstance(item, (str, type)):
                raise StateConfigError(
                    f"{state_name}.Config.share_url_with takes PageState classes or their names, not {item!r}"
                )
        given["share_url_with"] = tuple(shared)
    return replace(inherited, **given)
