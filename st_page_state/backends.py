"""``RedisBackend``: the 0.2.x Redis persistence API, on top of :class:`~st_page_state.stores.RedisStore`.

st-page-state 0.2.x persisted state with::

    r_backend = RedisBackend(host="localhost", port=6379, default_ttl=3600,
                             key_prefix="example", session_id=lambda: ...)
    with r_backend.session():
        ...

Since 1.0 persistence is a setting of the app, and it runs on every script
run without a ``with`` block::

    configure(store=RedisStore("redis://localhost:6379/0", prefix="example", default_ttl=3600),
              identity=lambda: ...)

``RedisBackend`` does exactly that for 0.2.x code: building it calls
:func:`~st_page_state.configure` with the matching store and identity, and
``session()`` is a context that only re-applies them. Both warn once
(``DeprecationWarning``) with the 1.x code to write.

How the 0.2.x arguments map:

* ``host``, ``port``, ``db``, ``password``, ``ssl`` (and any other
  ``redis.Redis`` keyword argument) -> the store's Redis connection;
* ``socket_timeout`` -> ``RedisStore(timeout=...)`` (1 s when not given:
  a store call happens inside a script run and must not hang it);
* ``default_ttl`` -> ``RedisStore(default_ttl=...)`` (``None``: no expiry,
  as in 0.2.x); ``Config.ttl`` of a class still overrides it;
* ``key_prefix`` -> ``RedisStore(prefix=...)``;
* ``session_id``: ``None`` -> the browser tab (0.2.x used Streamlit's
  session id, which a reload loses; the tab survives it), a string -> that
  fixed identity, a callable -> ``configure(identity=callable)``, resolved
  at the start of every run; when its value changes the state of the new
  identity is loaded and nothing of the old one stays, as in 0.2.x.

Stored data is not shared with 0.2.x: keys are
``<prefix>:<identity>:<module.Class>`` and documents are versioned JSON,
so state saved by 0.2.x starts afresh after the upgrade.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager, nullcontext
from typing import TYPE_CHECKING, Any

from . import registry
from .errors import StateConfigError, StateValidationError, UnknownFieldError
from .identity import USER_PREFIX
from .log import log
from .persistence import FORMAT_VERSION, make_document
from .settings import configure
from .stores.base import StoreError
from .v02.values import GUIDE, warn_once

if TYPE_CHECKING:
    from .stores.redis import RedisStore

__all__ = ["RedisBackend"]


DEFAULT_TIMEOUT = 1.0

_STORES: dict[str, RedisStore] = {}
"""One store per connection setting: the script builds the backend on every
run, and a rerun must reuse the connection pool (0.2.x cached the backend in
the session for the same reason)."""
_STORES_LOCK = threading.Lock()

SessionId = str | Callable[[], Any] | None


class FixedIdentity:
    """``session_id="juan"``: every session holds the state of that one identity."""

    def __init__(self, value: str) -> None:
        self.value = value

    def __call__(self) -> str:
        return self.value

    def __repr__(self) -> str:
        return f"FixedIdentity({self.value!r})"


def _identity_setting(session_id: SessionId) -> Any:
    if session_id is None:
        return "tab"
    if isinstance(session_id, str):
        return FixedIdentity(session_id)
    if callable(session_id):
        return session_id
    raise StateConfigError(
        f"RedisBackend(session_id=...) takes None (the browser tab), a string or a callable returning "
        f"the identity, not {session_id!r}"
    )


def _host_text(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def _store_for(
    *,
    host: str,
    port: int,
    db: int,
    password: str | None,
    ssl: bool,
    socket_timeout: float | None,
    default_ttl: float | None,
    key_prefix: str,
    options: dict[str, Any],
) -> RedisStore:
    """The RedisStore for these 0.2.x settings, built once per process."""
    from .stores.redis import RedisStore, _import_redis

    timeout = DEFAULT_TIMEOUT if socket_timeout is None else float(socket_timeout)
    url = f"{'rediss' if ssl else 'redis'}://{_host_text(host)}:{int(port)}/{int(db)}"
    key = repr((url, password, key_prefix, default_ttl, timeout, sorted(options.items(), key=lambda kv: kv[0])))
    with _STORES_LOCK:
        store = _STORES.get(key)
        if store is not None:
            return store
        if password is None and not options:
            store = RedisStore(url, prefix=key_prefix, default_ttl=default_ttl, timeout=timeout)
        else:
            # Built here rather than from a URL so the password never shows in
            # the store's repr, log lines or errors (which print the URL).
            redis = _import_redis()
            settings: dict[str, Any] = {"socket_connect_timeout": timeout, "socket_timeout": timeout}
            settings.update(options)
            client = redis.Redis(host=host, port=int(port), db=int(db), password=password, ssl=ssl, **settings)
            store = RedisStore(url, prefix=key_prefix, default_ttl=default_ttl, timeout=timeout, client=client)
        _STORES[key] = store
        return store


def _namespace(state: Any) -> str:
    """The storage namespace of a PageState class, its name (0.2.x keyed by class name) or namespace."""
    found = registry.resolve(state)
    if len(found) == 1:
        return found[0]
    if not found:
        raise StateConfigError(f"no PageState class named {state!r} has been defined in this process")
    raise StateConfigError(
        f"several PageState classes are named {state!r} ({', '.join(sorted(found))}); pass the class itself "
        "or one of these namespaces"
    )


class RedisBackend:
    """Redis persistence as 0.2.x configured it (deprecated: use ``configure(store=RedisStore(...))``).

    Args:
        host, port, db, password, ssl: Where Redis runs (as ``redis.Redis`` takes them).
        default_ttl: Seconds a class's stored state lives after its last write,
            unless its ``Config.ttl`` says otherwise; None: no expiry.
        key_prefix: First part of every Redis key.
        socket_timeout: Seconds to wait for Redis (1 s when None).
        session_id: Whose state a session holds: None for the browser tab,
            a string for one fixed identity, or a callable returning it
            (e.g. the logged-in user), called at the start of every run.
        **kwargs: Further ``redis.Redis`` arguments.

    Building it configures the app (:func:`st_page_state.configure`) with
    the matching store and identity; :meth:`session` is kept as a context
    that re-applies them. State is restored when a class is first used in
    a session and saved as soon as a change is accepted, whether or not the
    code runs inside ``session()``.
    """

    def __init__(
        self,
        host: str = "localhost",
        port: int = 6379,
        db: int = 0,
        password: str | None = None,
        default_ttl: float | None = None,
        key_prefix: str = "st_page_state",
        ssl: bool = False,
        socket_timeout: float | None = None,
        session_id: SessionId = None,
        **kwargs: Any,
    ) -> None:
        self.default_ttl = default_ttl
        self.key_prefix = key_prefix
        self.session_id = session_id
        self.store = _store_for(
            host=host,
            port=port,
            db=db,
            password=password,
            ssl=ssl,
            socket_timeout=socket_timeout,
            default_ttl=default_ttl,
            key_prefix=key_prefix,
            options=dict(kwargs),
        )
        self._identity = _identity_setting(session_id)
        if session_id is None:
            identity_hint = ""
        elif isinstance(session_id, str):
            identity_hint = f", identity=lambda: {session_id!r}"
        else:
            identity_hint = ", identity=<your session_id callable>"
        warn_once(
            "RedisBackend",
            "RedisBackend is the st-page-state 0.2.x API and is deprecated. Configure the app once instead: "
            f"configure(store=RedisStore({self.store.url!r}, prefix={key_prefix!r}, default_ttl={default_ttl!r})"
            f"{identity_hint}) "
            f"(from st_page_state import configure; from st_page_state.stores import RedisStore). See {GUIDE}.",
        )
        self._apply()

    def __repr__(self) -> str:
        return f"RedisBackend({self.store!r}, session_id={self.session_id!r})"

    def _apply(self) -> None:
        configure(store=self.store, identity=self._identity)

    @property
    def client(self) -> Any:
        """The ``redis.Redis`` client the store uses."""
        return self.store.client

    def session(self) -> AbstractContextManager[RedisBackend]:
        """Kept for 0.2.x code: persistence no longer needs a ``with`` block (deprecated).

        0.2.x loaded every class on entry and saved on exit. Since 1.0 a
        class is restored when a session first uses it (the URL's params
        winning) and saved as soon as a change is accepted.
        """
        warn_once(
            "RedisBackend.session",
            "RedisBackend.session() is deprecated: state is restored and saved on every run once the store "
            "is configured (configure(store=...)), so the `with` block can go; its body stays as it is.",
        )
        self._apply()
        return nullcontext(self)

    # 0.2.x's lower-level methods, keyed by class name and session id -----------
    def resolve_ttl(self, state_cls: Any) -> float | None:
        """The class's ``Config.ttl``, else ``default_ttl``."""
        schema = getattr(state_cls, "__state_schema__", None)
        ttl = schema.config.ttl if schema is not None else None
        return ttl if ttl is not None else self.default_ttl

    def ping(self) -> bool:
        """Whether Redis answers."""
        try:
            return bool(self.store.client.ping())
        except Exception:
            return False

    def load(self, class_name: Any, session_id: str) -> dict[str, Any] | None:
        """The stored values of a class for ``session_id`` (None when nothing is stored or Redis fails)."""
        namespace = _namespace(class_name)
        cls = registry.lookup(namespace)
        try:
            document = self.store.get(f"{USER_PREFIX}{session_id}", namespace)
        except StoreError as exc:
            log.warning("Redis load failed for %s: %s", namespace, exc)
            return None
        if document is None or document.get("version") != FORMAT_VERSION:
            return None
        stored = document.get("values")
        if not isinstance(stored, Mapping):
            return None
        values: dict[str, Any] = {}
        for name, raw in stored.items():
            f = cls.__state_schema__.fields.get(name) if cls is not None else None
            if f is None:
                continue
            try:
                values[name] = f.validate(raw)
            except StateValidationError:
                continue
        return values

    def load_all(self, session_id: str) -> dict[str, dict[str, Any]]:
        """``{class name: values}`` for every PageState class with state stored for ``session_id``."""
        result: dict[str, dict[str, Any]] = {}
        for namespace in registry.namespaces():
            values = self.load(namespace, session_id)
            if values:
                cls = registry.lookup(namespace)
                result[cls.__state_schema__.name if cls is not None else namespace] = values
        return result

    def save(self, class_name: Any, session_id: str, data: Mapping[str, Any], ttl: float | None = None) -> None:
        """Store ``data`` (field values, validated) as the class's state for ``session_id``."""
        namespace = _namespace(class_name)
        cls = registry.lookup(namespace)
        if cls is None:
            raise StateConfigError(f"no PageState class is registered under {namespace!r}")
        schema = cls.__state_schema__
        values = {name: f.default() for name, f in schema.fields.items()}
        for name, value in data.items():
            if name not in schema.fields:
                raise UnknownFieldError(schema.name, name, schema.fields)
            values[name] = schema.fields[name].validate(value)
        try:
            self.store.set(f"{USER_PREFIX}{session_id}", namespace, make_document(schema, values), ttl)
        except StoreError as exc:
            log.warning("Redis save failed for %s: %s", namespace, exc)

    def delete(self, class_name: Any, session_id: str) -> None:
        """Forget the class's stored state for ``session_id``."""
        namespace = _namespace(class_name)
        try:
            self.store.delete(f"{USER_PREFIX}{session_id}", namespace)
        except StoreError as exc:
            log.warning("Redis delete failed for %s: %s", namespace, exc)
